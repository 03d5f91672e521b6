import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { holdsAlready } from '../../../sync-server/updates';

describe('holdsAlready', () => {
  it('recognises an update the document already holds, including its deletions', () => {
    const client = new Y.Doc();
    client.getMap('m').set('a', 1);
    client.getMap('m').set('b', 2);
    client.getMap('m').delete('a');
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    expect(holdsAlready(server, Y.decodeUpdate(Y.encodeStateAsUpdate(client)))).toBe(true);
    // What a stock client answers to the server's sync-step-1 when nothing is missing: its whole delete set.
    expect(holdsAlready(server, Y.decodeUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))))).toBe(true);
  });

  it('sees new structs and new deletions', () => {
    const client = new Y.Doc();
    client.getMap('m').set('a', 1);
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    const before = Y.encodeStateVector(client);
    client.getMap('m').set('b', 2);
    expect(holdsAlready(server, Y.decodeUpdate(Y.encodeStateAsUpdate(client, before)))).toBe(false);

    const deleter = new Y.Doc();
    Y.applyUpdate(deleter, Y.encodeStateAsUpdate(server));
    const seen = Y.encodeStateVector(deleter);
    deleter.getMap('m').delete('a');
    // The delete-only part: no new structs of the first client, one new deletion of its item.
    const diff = Y.encodeStateAsUpdate(deleter, seen);
    const decoded = Y.decodeUpdate(diff);
    decoded.structs = decoded.structs.filter((s) => s.id.client !== deleter.clientID);
    expect(decoded.ds.clients.size).toBe(1);
    expect(holdsAlready(server, decoded)).toBe(false);
  });
});

describe('holdsAlready on hostile updates', () => {
  it('does not throw on a delete range of length 0 at the clock the server announced', () => {
    const server = new Y.Doc();
    server.getMap('m').set('a', 1);
    const clock = Y.getState(server.store, server.clientID);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no structs
    encoding.writeVarUint(encoder, 1); // one client in the delete set
    encoding.writeVarUint(encoder, server.clientID);
    encoding.writeVarUint(encoder, 1); // one range
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, 0); // of length 0
    const decoded = Y.decodeUpdate(encoding.toUint8Array(encoder));
    expect(() => holdsAlready(server, decoded)).not.toThrow();
    expect(holdsAlready(server, decoded)).toBe(true);
  });
});
