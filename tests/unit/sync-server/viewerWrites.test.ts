/**
 * The viewer's append check (sync-server/viewerWrites.ts) on hand-written updates no client would send: its work grows
 * with the size of the update, not with its square, whatever order the structs come in, since it runs on the
 * document's write queue; and structs that cover the same clock twice are refused. The rule itself (what is an
 * append) is tested against a real server in tests/integration/sync-server/viewerAudit.test.ts.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { auditAppendOnly } from '../../../sync-server/viewerWrites';

interface Struct {
  readonly client: number;
  readonly clock: number;
  readonly after: Y.ID;
}

/** A V1 update of one-entry items, each placed after `after` (no right neighbour), grouped by client as given. */
function update(groups: readonly (readonly Struct[])[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, groups.length);
  for (const structs of groups) {
    encoding.writeVarUint(e, structs.length);
    encoding.writeVarUint(e, structs[0]!.client);
    encoding.writeVarUint(e, structs[0]!.clock);
    for (const { after } of structs) {
      encoding.writeUint8(e, 0x80 | 8); // has a left origin; content: plain JSON values
      encoding.writeVarUint(e, after.client);
      encoding.writeVarUint(e, after.clock);
      encoding.writeVarUint(e, 1);
      encoding.writeAny(e, { action: 'print' });
    }
  }
  encoding.writeVarUint(e, 0); // no deletions
  return encoding.toUint8Array(e);
}

function registry(): { doc: Y.Doc; last: Y.ID } {
  const doc = new Y.Doc();
  doc.getArray('audit').push([{ action: 'create' }]);
  return { doc, last: Y.createID(doc.clientID, 0) };
}

const N = 100_000;

describe('auditAppendOnly on large updates', () => {
  it('checks a chain of 100,000 one-entry structs of one client in linear time', () => {
    const { doc, last } = registry();
    const structs = Array.from({ length: N }, (_, i) => ({
      client: 77,
      clock: i,
      after: i === 0 ? last : Y.createID(77, i - 1),
    }));
    const decoded = Y.decodeUpdate(update([structs]));
    // Searched linearly, this took about a minute here (past the test's timeout); by bisection, half a second. The
    // time is not asserted (a loaded machine is not a slow check): a quadratic search fails by the timeout.
    expect(auditAppendOnly(doc, decoded, ['audit'])).toEqual({ ok: true });
  });

  it('follows a chain met from its far end, one struct per client, in linear time', () => {
    const { doc, last } = registry();
    const n = 2 * N;
    // Clients are written in decreasing order; the chain runs from the lowest client up, so the first struct looked at
    // is the last of the chain and its walk crosses every other.
    const clients = Array.from({ length: n }, (_, i) => 1_000 + i);
    const groups = clients.map((client, i) => [
      { client, clock: 0, after: i === 0 ? last : Y.createID(clients[i - 1]!, 0) },
    ]);
    const decoded = Y.decodeUpdate(update(groups.reverse()));
    // With a list searched at every step of the walk, about 15 seconds; with a set, about one (not asserted: see above).
    expect(auditAppendOnly(doc, decoded, ['audit'])).toEqual({ ok: true });
  });

  it('refuses a chain that loops on itself and structs of a client that overlap', () => {
    const { doc, last } = registry();
    const loop = [
      { client: 77, clock: 0, after: Y.createID(77, 1) },
      { client: 77, clock: 1, after: Y.createID(77, 0) },
    ];
    expect(auditAppendOnly(doc, Y.decodeUpdate(update([loop])), ['audit']).ok).toBe(false);
    const twice = Y.decodeUpdate(update([[{ client: 77, clock: 0, after: last }]]));
    twice.structs.push(...Y.decodeUpdate(update([[{ client: 77, clock: 0, after: last }]])).structs);
    expect(auditAppendOnly(doc, twice, ['audit'])).toEqual({ ok: false, reason: 'structs of a client overlap' });
  });
});
