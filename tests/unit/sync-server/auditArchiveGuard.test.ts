import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntry } from '@shared/domain/registry/types';
import { AUDIT_ARCHIVE_MAP, archivedAuditYears, deleteArchived, noteArchivedYears } from '@shared/ydoc/auditArchive';
import { permanentRulesFor } from '@shared/ydoc/permanent';
import { appendAudit, auditArray } from '@shared/ydoc/registry';
import { ARCHIVE_ORIGIN } from '../../../sync-server/auditArchiver';
import { PermanentGuard } from '../../../sync-server/guard';

const REGISTRY = 'shunqing-xihe/registry';

/** A client's update applied the way writes.ts does: inspect, apply, restore in a server transaction. */
function serverApply(server: Y.Doc, name: string, update: Uint8Array): number {
  const rules = permanentRulesFor(name);
  if (rules === null) throw new Error(`no rules for ${name}`);
  const guard = new PermanentGuard(server, rules);
  const captures = guard.inspect(Y.decodeUpdate(update));
  Y.applyUpdate(server, update, 'client');
  let restored = 0;
  server.transact(() => {
    restored = guard.restore(captures).reduce((sum, r) => sum + r.count, 0);
  }, 'server');
  return restored;
}

function replica(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

const entry = (id: string, year: number): AuditEntry => ({
  id,
  at: `${year}-03-01T08:00:00.000Z`,
  userId: 'u1',
  userName: '王芳',
  deviceId: 'd1',
  action: 'update',
  collection: 'residents',
  recordId: 'r1',
  fields: { note: 'x' },
});

const ids = (doc: Y.Doc): string[] =>
  auditArray(doc)
    .toArray()
    .map((e) => e.id);

describe("the guard and the server's archiver", () => {
  it("lets the archiver's deletion stand when a device that merged it sends its whole state back", () => {
    const server = new Y.Doc();
    server.transact(() => appendAudit(server, [entry('old1', 2021), entry('old2', 2021), entry('new1', 2026)]));
    const laptop = replica(server);
    // The archiver deletes in a transaction of its own (not a client's update: the guard does not inspect it).
    deleteArchived(server, new Set(['old1', 'old2']), ARCHIVE_ORIGIN);
    noteArchivedYears(server, [2021], '2027-01-05T00:00:00.000Z', ARCHIVE_ORIGIN);
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(server, Y.encodeStateVector(laptop)));
    laptop.transact(() => appendAudit(laptop, [entry('new2', 2026)]));
    // Its answer to the server's sync-step-1 carries its whole delete set, the archiver's deletions included.
    const restored = serverApply(server, REGISTRY, Y.encodeStateAsUpdate(laptop, Y.encodeStateVector(new Y.Doc())));
    expect(restored).toBe(0);
    expect(ids(server)).toEqual(['new1', 'new2']);
  });

  it('still puts back an audit entry a device deletes, and a year of the archive note it deletes or rewrites', () => {
    const server = new Y.Doc();
    server.transact(() => appendAudit(server, [entry('a', 2026), entry('b', 2026)]));
    noteArchivedYears(server, [2021, 2022], '2027-01-05T00:00:00.000Z', ARCHIVE_ORIGIN);
    const device = replica(server);
    const before = Y.encodeStateVector(device);
    device.transact(() => {
      auditArray(device).delete(0, 1);
      device.getMap(AUDIT_ARCHIVE_MAP).delete('2021');
      device.getMap(AUDIT_ARCHIVE_MAP).set('2022', 'rewritten');
    });
    const restored = serverApply(server, REGISTRY, Y.encodeStateAsUpdate(device, before));
    expect(restored).toBe(3);
    expect(ids(server)).toEqual(['a', 'b']);
    expect(archivedAuditYears(server)).toEqual([2021, 2022]);
    expect(server.getMap(AUDIT_ARCHIVE_MAP).get('2022')).toBe('2027-01-05T00:00:00.000Z');
  });

  it("guards a year's archive as append-only too", () => {
    const server = new Y.Doc();
    server.transact(() => appendAudit(server, [entry('a', 2021), entry('b', 2021)]));
    const device = replica(server);
    const before = Y.encodeStateVector(device);
    auditArray(device).delete(0, 2);
    expect(serverApply(server, 'shunqing-xihe/audit/2021', Y.encodeStateAsUpdate(device, before))).toBe(2);
    expect(ids(server)).toEqual(['a', 'b']);
  });
});
