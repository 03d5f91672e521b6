import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { accessLogOf } from '@shared/domain/registry/accessLog';
import { recordHistory, revealSensitive, updateResident } from '@shared/domain/registry/commands';
import type { AuditEntry } from '@shared/domain/registry/types';
import {
  appendToArchive,
  archivedAuditYears,
  auditYearOf,
  deleteArchived,
  entriesToArchive,
  firstKeptYear,
  mergeAuditEntries,
  noteArchivedYears,
} from '@shared/ydoc/auditArchive';
import {
  auditArchiveName,
  communityDocNames,
  docName,
  isAuditArchiveDocName,
  pairedMaskedName,
  parseDocName,
  toCommunityId,
} from '@shared/ydoc/docName';
import { appendAudit, auditArray } from '@shared/ydoc/registry';
import { reconcileMasked } from '@shared/ydoc/registryMasked';
import { addResident, makeCtx, smallRegistry, unwrap } from '../domain/registry/fixtures';

const entry = (id: string, at: string): AuditEntry => ({
  id,
  at,
  userId: 'u1',
  userName: '王芳',
  deviceId: 'd1',
  action: 'update',
  collection: 'residents',
  recordId: 'r1',
  fields: { phone: '13800138000' },
});
const ids = (entries: readonly { id: string }[]): string[] => entries.map((e) => e.id);
const NOW = new Date('2026-12-02T10:00:00.000Z');

describe('the audit archive documents', () => {
  it('are named <community>/audit/<year>, parsed back, have no masked twin and are not synced with the rest', () => {
    const community = toCommunityId('shunqing-xihe');
    const name = auditArchiveName(community, 2023);
    expect(name).toBe('shunqing-xihe/audit/2023');
    expect(parseDocName(name)).toEqual({ community, collection: 'audit', year: 2023 });
    expect(docName({ community, collection: 'audit', year: 2023 })).toBe(name);
    expect(isAuditArchiveDocName(name)).toBe(true);
    expect(isAuditArchiveDocName('shunqing-xihe/registry')).toBe(false);
    expect(isAuditArchiveDocName('shunqing-xihe/cases/2023')).toBe(false);
    expect(pairedMaskedName(name)).toBeNull();
    expect(parseDocName('shunqing-xihe/audit-masked/2023')).toBeNull();
    expect(communityDocNames(community, [2023])).not.toContain(name);
  });

  it('take the entries before 1 January of last year, by the year of their time', () => {
    expect(firstKeptYear(NOW)).toBe(2025);
    const registry = new Y.Doc();
    appendAudit(registry, [
      entry('a', '2023-05-01T00:00:00.000Z'),
      entry('b', '2024-12-31T23:59:59.999Z'),
      entry('c', '2025-01-01T00:00:00.000Z'),
      entry('d', '2023-06-01T00:00:00.000Z'),
      entry('e', '2026-11-30T00:00:00.000Z'),
      { ...entry('', 'unknown'), id: undefined } as unknown as AuditEntry,
    ]);
    const moved = entriesToArchive(registry, NOW);
    expect([...moved.keys()].sort()).toEqual([2023, 2024]);
    expect(ids(moved.get(2023)!)).toEqual(['a', 'd']);
    expect(ids(moved.get(2024)!)).toEqual(['b']);
    expect(auditYearOf({ at: 'x' })).toBeNull();
  });

  it('append by id (a second pass adds nothing) and delete runs of neighbours', () => {
    const archive = new Y.Doc();
    const entries = [entry('a', '2023-01-01T00:00:00Z'), entry('b', '2023-02-01T00:00:00Z')];
    expect(appendToArchive(archive, entries, 'test')).toBe(2);
    expect(appendToArchive(archive, [...entries, entry('c', '2023-03-01T00:00:00Z')], 'test')).toBe(1);
    expect(ids(auditArray(archive).toArray())).toEqual(['a', 'b', 'c']);

    const registry = new Y.Doc();
    appendAudit(
      registry,
      ['a', 'b', 'x', 'c', 'y', 'z'].map((id) => entry(id, '2023-01-01T00:00:00Z')),
    );
    let transactions = 0;
    registry.on('afterTransaction', () => transactions++);
    expect(deleteArchived(registry, new Set(['a', 'b', 'c', 'q']), 'test')).toBe(3);
    expect(transactions).toBe(1);
    expect(ids(auditArray(registry).toArray())).toEqual(['x', 'y', 'z']);
    expect(deleteArchived(registry, new Set(['a']), 'test')).toBe(0);
  });

  it('note each archived year once, keeping the time of the first pass', () => {
    const registry = new Y.Doc();
    noteArchivedYears(registry, [2023, 2021], '2026-01-05T00:00:00Z', 'test');
    noteArchivedYears(registry, [2023, 2024], '2026-02-05T00:00:00Z', 'test');
    expect(archivedAuditYears(registry)).toEqual([2021, 2023, 2024]);
    expect(registry.getMap('auditArchive').get('2023')).toBe('2026-01-05T00:00:00Z');
  });

  it('merge with the registry without doubles', () => {
    const a = entry('a', '2023-01-01T00:00:00Z');
    const b = entry('b', '2023-01-02T00:00:00Z');
    expect(ids(mergeAuditEntries([a, b], [b, entry('c', '2026-01-01T00:00:00Z')]))).toEqual(['a', 'b', 'c']);
  });
});

describe('the masked copy and entry ids', () => {
  it('keeps an entry id a mask would change, so a reload neither appends it again nor carries it back', () => {
    // A UUID whose last group holds 11 digits starting with 1 reads as a mobile to the text mask.
    const id = '408591e6-125b-4acd-b81e-e18512345905';
    const registry = new Y.Doc();
    appendAudit(registry, [entry(id, '2026-01-01T00:00:00Z')]);
    const masked = new Y.Doc();
    reconcileMasked(registry, masked, 'server');
    expect(ids(auditArray(masked).toArray())).toEqual([id]);
    expect(auditArray(masked).get(0).fields.phone).toBe('138****8000');
    const again = reconcileMasked(registry, masked, 'server');
    expect(again.missingInSource).toEqual([]);
    expect(auditArray(masked).length).toBe(1);
  });

  it('recognises an entry a copy of before holds with its id masked', () => {
    const id = '408591e6-125b-4acd-b81e-e18512345905';
    const registry = new Y.Doc();
    appendAudit(registry, [entry(id, '2026-01-01T00:00:00Z')]);
    const masked = new Y.Doc();
    auditArray(masked).push([{ ...entry('408591e6-125b-4acd-b81e-e185****5905', '2026-01-01T00:00:00Z') }]);
    const reconciled = reconcileMasked(registry, masked, 'server');
    expect(reconciled.missingInSource).toEqual([]);
    expect(auditArray(masked).length).toBe(1);
  });
});

describe("a record's history and a resident's access log across archived years", () => {
  /** The server's move (auditArchiver.ts) as it leaves the documents: each year's entries in its archive. */
  function archiveAll(registry: Y.Doc, now: Date): Y.Doc[] {
    const archives: Y.Doc[] = [];
    const moved = new Set<string>();
    for (const [, entries] of entriesToArchive(registry, now)) {
      const archive = new Y.Doc();
      appendToArchive(archive, entries, 'server');
      for (const one of entries) moved.add(one.id);
      archives.push(archive);
    }
    deleteArchived(registry, moved, 'server');
    return archives;
  }

  it('finds the archived entries when the archives are given, each once, in the same order as before', () => {
    const ctx = makeCtx({ user: 'clerk', start: '2023-03-02T01:00:00.000Z' });
    const { doc, household } = smallRegistry(ctx);
    const zhang = unwrap(addResident(doc, ctx, household, { name: '张三' }));
    ctx.advance(400 * 24 * 3600 * 1000); // into 2024
    unwrap(updateResident(doc, ctx, { id: zhang, changes: { note: '独居' } }));
    unwrap(revealSensitive(doc, ctx, { residentId: zhang, field: 'phone' }));
    ctx.advance(400 * 24 * 3600 * 1000); // into 2025
    unwrap(updateResident(doc, ctx, { id: zhang, changes: { note: '已搬走' } }));
    const history = ids(recordHistory(doc, 'residents', zhang));
    const access = accessLogOf(doc, zhang).map((e) => e.at);
    expect(history).toHaveLength(4); // created, a note, the reveal, a note
    expect(access).toHaveLength(1);

    const archives = archiveAll(doc, new Date('2026-06-01T00:00:00.000Z'));
    expect(archives).toHaveLength(2);
    expect(ids(recordHistory(doc, 'residents', zhang))).toEqual(history.slice(3));
    expect(accessLogOf(doc, zhang)).toEqual([]);
    expect(ids(recordHistory(doc, 'residents', zhang, archives))).toEqual(history);
    expect(accessLogOf(doc, zhang, archives).map((e) => e.at)).toEqual(access);
    // A device that has not yet received the server's deletion holds an entry in both: listed once.
    const both = new Y.Doc();
    appendAudit(both, auditArray(archives[0]!).toArray());
    expect(ids(recordHistory(both, 'residents', zhang, archives))).toEqual(history.slice(0, 3));
  });
});
