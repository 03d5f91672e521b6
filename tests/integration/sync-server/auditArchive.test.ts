/**
 * The audit in a bounded home (docs/registry-model.md, "Where the audit lives"; sync-server/auditArchiver.ts). Against
 * a real server process over real websockets: a registry holding audit entries of three closed years and of this
 * year is archived: each closed year's entries land in `<community>/audit/<year>` and leave the registry (and the
 * viewers' masked copy), whose encoded size shrinks; clients converge and keep editing; a late entry of an archived
 * year is moved at the next pass; an editor deleting an audit entry is still put back; nobody writes an archive; a
 * viewer reading masked copies is refused the archive; a restart neither carries archived entries back from the
 * masked copy nor archives twice.
 *
 * `AUDIT_ARCHIVE_ENTRIES` (entries per closed year, 1,500 unless set) scales it: the measurement in
 * docs/registry-model.md ran with 25000.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { AuditEntry } from '@shared/domain/registry/types';
import { archivedAuditYears, archiveArray } from '@shared/ydoc/auditArchive';
import { auditArchiveName, toCommunityId } from '@shared/ydoc/docName';
import { appendAudit, auditArray, insertRecord, readRecord, setFields } from '@shared/ydoc/registry';
import { readOnce } from '../../../renderer/sync/readOnce';
import {
  adminInProcess,
  connectProvider,
  docUrl,
  issueToken,
  rawAttempt,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';
const REGISTRY = `${COMMUNITY}/registry`;
const MASKED = `${COMMUNITY}/registry-masked`;
const PER_YEAR = Number(process.env.AUDIT_ARCHIVE_ENTRIES ?? 1_500);
const THIS_YEAR = new Date().getUTCFullYear();
const CLOSED = [THIS_YEAR - 5, THIS_YEAR - 4, THIS_YEAR - 3];
const RECENT = 40;
const archiveOf = (year: number): string => auditArchiveName(toCommunityId(COMMUNITY), year);

/** An entry as a registry command writes it (about 260 bytes encoded: an update of a resident's phone and note). */
function entry(year: number, i: number, user = 'editor'): AuditEntry {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + (i % 12)).padStart(2, '0');
  return {
    id: randomUUID(),
    at: `${year}-${month}-${day}T0${i % 10}:12:34.${String(i % 1000).padStart(3, '0')}Z`,
    userId: user,
    userName: user,
    deviceId: 'device-7f3a9c21',
    action: 'update',
    collection: 'residents',
    recordId: `r${i % 300}`,
    fields: { phone: `138${String(10_000_000 + i).slice(-8)}`, note: `第${i % 97}次走访` },
  };
}

const size = (doc: Y.Doc): number => Y.encodeStateAsUpdate(doc).byteLength;
const auditIds = (doc: Y.Doc): string[] =>
  auditArray(doc)
    .toArray()
    .map((e) => e.id);

describe('the registry audit of closed years in yearly documents', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let editorToken: string;
  let viewerToken: string;
  const closedIds = new Map<number, string[]>();
  const recentIds: string[] = [];
  let before = 0;

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    editorToken = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    viewerToken = (await issueToken(data.dir, 'leader', COMMUNITY, 'viewer')).token;
    // First run without the archiver: the registry with years of entries, and a viewer's masked copy of it.
    server = await ServerProcess.start(data.dir, ['--audit-archive-every-ms', '0', '--max-message-bytes', '67108864']);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < 300; i++) insertRecord(doc, 'residents', `r${i}`, { name: `居民${i}`, phone: '13800138000' });
    });
    for (const year of CLOSED) {
      const entries = Array.from({ length: PER_YEAR }, (_, i) => entry(year, i));
      closedIds.set(
        year,
        entries.map((e) => e.id),
      );
      // As commands write them: each entry in the transaction of its write (a resident's note set).
      entries.forEach((one, i) =>
        doc.transact(() => {
          setFields(doc, 'residents', `r${i % 300}`, { note: `第${i % 97}次走访` });
          appendAudit(doc, [one]);
        }),
      );
    }
    const recent = Array.from({ length: RECENT }, (_, i) => entry(THIS_YEAR, i));
    recentIds.push(...recent.map((e) => e.id));
    doc.transact(() => appendAudit(doc, recent));
    before = size(doc);
    const editor = connectProvider(server, REGISTRY, editorToken, doc);
    await whenSynced(editor);
    const viewer = connectProvider(server, MASKED, viewerToken);
    await whenSynced(viewer, 60_000);
    await waitFor(() => auditArray(viewer.doc).length === CLOSED.length * PER_YEAR + RECENT, 60_000, 'masked copy');
    // Everything acknowledged, then the server stops (writing every document out).
    await waitFor(async () => {
      const check = connectProvider(server, REGISTRY, editorToken);
      await whenSynced(check, 60_000);
      const done = auditArray(check.doc).length === CLOSED.length * PER_YEAR + RECENT;
      check.destroy();
      return done;
    }, 60_000);
    editor.destroy();
    viewer.destroy();
    await server.stop();
    server = await ServerProcess.start(data.dir, ['--audit-archive-every-ms', '300']);
  }, 240_000);

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('moves each closed year into its document, shrinks the registry and its masked copy, and clients converge', async () => {
    const viewer = connectProvider(server, MASKED, viewerToken);
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor, 60_000);
    await whenSynced(viewer, 60_000);
    // The archiver runs on the loaded registry: the closed years leave it, on every client.
    await waitFor(() => auditArray(editor.doc).length === RECENT, 60_000, 'registry archived');
    await waitFor(() => auditArray(viewer.doc).length === RECENT, 60_000, 'masked copy archived');
    expect(auditIds(editor.doc)).toEqual(recentIds);
    expect(auditIds(viewer.doc)).toEqual(recentIds);
    expect(archivedAuditYears(editor.doc)).toEqual(CLOSED);

    // What a new device downloads now.
    const fresh = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(fresh, 60_000);
    const after = size(fresh.doc);
    const freshViewer = connectProvider(server, MASKED, viewerToken);
    await whenSynced(freshViewer, 60_000);
    const pass = server.logs.find((line) => line.msg.includes('audit entries of closed years moved'));
    console.log(
      `audit archive pass: ${JSON.stringify(pass)}; ` +
        `audit archive: ${CLOSED.length} x ${PER_YEAR} entries + ${RECENT}: registry ${before} B before, ${after} B after` +
        ` (the editor's own copy after: ${size(editor.doc)} B); masked copy for a new viewer: ${size(freshViewer.doc)} B`,
    );
    expect(after).toBeLessThan(before / 5);
    expect(size(freshViewer.doc)).toBeLessThan(before / 5);
    fresh.destroy();
    freshViewer.destroy();

    // Each year's document holds exactly that year's entries, in order.
    for (const year of CLOSED) {
      const archive = connectProvider(server, archiveOf(year), editorToken);
      await whenSynced(archive, 60_000);
      expect(
        archiveArray(archive.doc)
          .toArray()
          .map((e) => e.id),
      ).toEqual(closedIds.get(year));
      archive.destroy();
    }

    // Editing goes on: a change and its entry reach the viewer (masked) and another editor.
    const other = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(other);
    const now = entry(THIS_YEAR, 7);
    editor.doc.transact(() => {
      setFields(editor.doc, 'residents', 'r1', { phone: '13912345678' });
      appendAudit(editor.doc, [now]);
    });
    await waitFor(() => readRecord(other.doc, 'residents', 'r1')?.phone === '13912345678');
    await waitFor(() => auditIds(viewer.doc).includes(now.id));
    expect(readRecord(viewer.doc, 'residents', 'r1')?.phone).toBe('139****5678');

    // A late entry of an archived year (a laptop offline since then) is moved at the next pass.
    const late = entry(CLOSED[1]!, 99_999);
    other.doc.transact(() => appendAudit(other.doc, [late]));
    const archive = connectProvider(server, archiveOf(CLOSED[1]!), editorToken);
    await whenSynced(archive);
    await waitFor(() => auditIds(archive.doc).includes(late.id), 10_000, 'late entry archived');
    await waitFor(() => !auditIds(other.doc).includes(late.id), 10_000, 'late entry moved');
    expect(auditIds(editor.doc)).not.toContain(late.id);
    expect(auditIds(archive.doc)).toHaveLength(PER_YEAR + 1);

    // Nobody writes an archive: an editor's append there is dropped and reaches no one.
    archive.doc.transact(() => appendAudit(archive.doc, [entry(CLOSED[1]!, 5)]));
    const reader = connectProvider(server, archiveOf(CLOSED[1]!), editorToken);
    await whenSynced(reader);
    await new Promise((r) => setTimeout(r, 300));
    expect(auditIds(reader.doc)).toHaveLength(PER_YEAR + 1);
    archive.destroy();
    reader.destroy();

    // An editor deleting an audit entry of the registry is still put back (the guard of issue [1/9]).
    const victim = auditIds(other.doc)[0]!;
    other.doc.transact(() => auditArray(other.doc).delete(0, 1));
    await waitFor(() => auditIds(other.doc).includes(victim), 10_000, 'deleted entry put back');
    expect(auditIds(editor.doc)).toContain(victim);
    expect(auditIds(editor.doc)).toHaveLength(RECENT + 1);
    other.destroy();
    editor.destroy();
    viewer.destroy();
  }, 240_000);

  it('refuses the archive to a viewer reading masked copies', async () => {
    const refused = await rawAttempt(docUrl(server, archiveOf(CLOSED[0]!), viewerToken));
    expect(refused.opened).toBe(false);
    expect(refused.status).toBe(403);
    const allowed = await rawAttempt(docUrl(server, archiveOf(CLOSED[0]!), editorToken));
    expect(allowed.opened).toBe(true);
    // The resident drawer's one-off read (renderer/sync/readOnce.ts): the year's entries for an editor, refused for
    // a viewer.
    const options = { WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket, timeoutMs: 30_000 };
    const read = await readOnce(server.url, editorToken, archiveOf(CLOSED[2]!), options);
    expect(auditIds(read)).toEqual(closedIds.get(CLOSED[2]!));
    await expect(readOnce(server.url, viewerToken, archiveOf(CLOSED[2]!), options)).rejects.toThrow();
  }, 60_000);

  it('after a restart carries nothing back from the masked copy and archives nothing twice', async () => {
    await server.stop();
    server = await ServerProcess.start(data.dir, ['--audit-archive-every-ms', '300']);
    const viewer = connectProvider(server, MASKED, viewerToken);
    const editor = connectProvider(server, REGISTRY, editorToken);
    await whenSynced(editor, 60_000);
    await whenSynced(viewer, 60_000);
    await new Promise((r) => setTimeout(r, 1_000)); // a few passes
    expect(auditArray(editor.doc).length).toBe(RECENT + 1);
    expect(auditArray(viewer.doc).length).toBe(RECENT + 1);
    for (const year of CLOSED) {
      const archive = connectProvider(server, archiveOf(year), editorToken);
      await whenSynced(archive);
      expect(new Set(auditIds(archive.doc)).size).toBe(auditIds(archive.doc).length);
      expect(auditIds(archive.doc)).toHaveLength(year === CLOSED[1] ? PER_YEAR + 1 : PER_YEAR);
      archive.destroy();
    }
    editor.destroy();
    viewer.destroy();
  }, 120_000);
});
