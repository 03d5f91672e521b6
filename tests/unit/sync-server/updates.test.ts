import { describe, expect, it } from 'vitest';
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
