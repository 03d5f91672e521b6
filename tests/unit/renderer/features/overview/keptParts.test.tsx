/**
 * Each community's figures kept on disk (docs/dashboard-model.md, "per-community figures"; renderer/data/figureRows.ts
 * `part`/`keepPart`, renderer/features/overview/data.ts `useReportParts`): after a restart the dashboard is drawn from
 * them without reading a figure row or opening a document; they are sealed; a write behind their back or a change in
 * memory makes them stale, and stale parts are never shown.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { cleanup, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { docName } from '@shared/ydoc/docName';
import { FIGURE_ROWS_COLLECTION } from '../../../../../renderer/data/figureRows';
import type { KeyRing } from '../../../../../renderer/data/keyring';
import { WorkstationStore } from '../../../../../renderer/data/store';
import { prepareDashboard } from '../../../../../renderer/features/overview';
import type { CommunityReport } from '../../../../../renderer/features/overview/report';
import { keysOf, LOAD, useTestStore } from '../../storeFixture';
import { A, seedDashboard } from './fixture';
import { kpi, overdueRow, recordEvent, renderOverview } from './screen';

const getStore = useTestStore();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** The figure-rows rows on disk: the community's kept parts, and the documents' rows. */
async function onDisk(store: WorkstationStore) {
  const all = (await store.db.recordBuckets.toArray()).filter((r) => r.collection === FIGURE_ROWS_COLLECTION);
  return {
    parts: all.filter((r) => r.docName.includes('#part:')),
    rows: all.filter((r) => !r.docName.includes('#part:') && !r.docName.endsWith('#calendar')),
  };
}

async function keptPart(store: WorkstationStore): Promise<CommunityReport> {
  const [row] = (await onDisk(store)).parts;
  if (row === undefined) throw new Error('no part kept');
  return (JSON.parse(await store.db.rows.openRecordBucket(row)) as { part: CommunityReport }).part;
}

const incidentsName = docName({ community: A, collection: 'incidents', year: 2026 });
const servicesName = docName({ community: A, collection: 'services', year: 2026 });

/** Closes the store and opens its database again, as after a restart (the test store's keys kept). */
async function restart(store: WorkstationStore, keys: KeyRing): Promise<WorkstationStore> {
  cleanup();
  await store.flush();
  const dbName = store.db.name;
  await store.close();
  return WorkstationStore.open(dbName, { keys });
}

describe('数据看板 keeps each community’s figures', { timeout: 90_000 }, () => {
  it('draws them after a restart without reading a figure row; a write behind their back makes them stale', async () => {
    const first = getStore();
    const keys = keysOf(first);
    await seedDashboard(first);
    let store = first;
    // Seeded in this session, the documents changed in memory: nothing is kept from them until they are on disk.
    store = await restart(store, keys);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    await waitFor(async () => expect((await onDisk(store)).parts).toHaveLength(1), LOAD);
    const [sealed] = (await onDisk(store)).parts;
    // Sealed with the community's key: no title, no name in clear.
    expect(sealed?.json).toBeUndefined();
    expect(new TextDecoder().decode(sealed?.sealed)).not.toContain('楼道堆放杂物');
    expect((await keptPart(store)).figures.now.workload).toBe(5);

    // The documents' own figure rows taken away: the kept part alone draws the same figures.
    store = await restart(store, keys);
    await store.db.recordBuckets.bulkDelete(
      (await onDisk(store)).rows.map((r) => [r.docName, r.collection, r.bucket] as [string, string, number]),
    );
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    expect(kpi('overdue')).toBe('2');
    expect(overdueRow()).toBe('西河A社区楼道堆放杂物张三9');
    expect(store.docs.isOpen(incidentsName)).toBe(false);
    expect(store.docs.isOpen(servicesName)).toBe(false);
    expect((await onDisk(store)).rows).toHaveLength(0);

    // An event written while the dashboard was closed (another window, a sync): the kept part is stale.
    cleanup();
    await recordEvent(store, A, 'grid-1');
    store = await restart(store, keys);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('6'), LOAD);
    // And kept again, made from the documents as they are now.
    await waitFor(async () => expect((await keptPart(store)).figures.now.workload).toBe(6), LOAD);
    cleanup();
    await store.flush();
    await store.close();
  });

  it('counts a change in memory at once, and neither keeps nor reads parts of a changed document', async () => {
    const first = getStore();
    const keys = keysOf(first);
    await seedDashboard(first);
    let store = first;
    store = await restart(store, keys);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    await waitFor(async () => expect((await onDisk(store)).parts).toHaveLength(1), LOAD);

    await recordEvent(store, A, 'grid-1');
    await waitFor(() => expect(kpi('workload')).toBe('6'), LOAD);
    await store.flush();
    // The part on disk is the one made before the change (not kept from a document changed in memory) …
    expect((await keptPart(store)).figures.now.workload).toBe(5);
    // … and after a restart it is stale (the event's update rows are on disk): the new event is counted.
    store = await restart(store, keys);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('6'), LOAD);
    cleanup();
    await store.flush();
    await store.close();
  });

  it('prepares the figures of a new day ahead of its first drawing', async () => {
    const first = getStore();
    const keys = keysOf(first);
    await seedDashboard(first);
    let store = await restart(first, keys);
    // Nothing drawn yet on this device: nothing to prepare.
    expect(await prepareDashboard(store, '2026-11-18')).toEqual({ current: 0, computed: 0 });
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    await waitFor(async () => expect((await onDisk(store)).parts).toHaveLength(1), LOAD);

    // The next morning, before the dashboard is opened: this month's figures as of the new day are made and kept.
    store = await restart(store, keys);
    vi.setSystemTime(new Date('2026-11-19T01:00:00Z'));
    expect(await prepareDashboard(store, '2026-11-19')).toEqual({ current: 0, computed: 1 });
    expect((await keptPart(store)).asOf).toBe('2026-11-19');
    expect(await prepareDashboard(store, '2026-11-19')).toEqual({ current: 1, computed: 0 });
    // The first drawing of the day reads them: with the documents' figure rows gone, nothing is opened.
    store = await restart(store, keys);
    await store.db.recordBuckets.bulkDelete(
      (await onDisk(store)).rows.map((r) => [r.docName, r.collection, r.bucket] as [string, string, number]),
    );
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    expect(store.docs.isOpen(incidentsName)).toBe(false);
    expect((await onDisk(store)).rows).toHaveLength(0);
    cleanup();
    await store.flush();
    await store.close();
  });

  it('computes the figures again when a kept part does not open', async () => {
    const first = getStore();
    const keys = keysOf(first);
    await seedDashboard(first);
    let store = await restart(first, keys);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    await waitFor(async () => expect((await onDisk(store)).parts).toHaveLength(1), LOAD);
    store = await restart(store, keys);
    // Damaged on disk: the sealed bytes no longer open.
    const [part] = (await onDisk(store)).parts;
    if (part?.sealed === undefined) throw new Error('no sealed part');
    await store.db.recordBuckets.put({ ...part, sealed: part.sealed.map((b) => b ^ 0xff) });
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    expect(overdueRow()).toBe('西河A社区楼道堆放杂物张三9');
    // And kept again, readable.
    await waitFor(async () => expect((await keptPart(store)).figures.now.workload).toBe(5), LOAD);
    cleanup();
    await store.flush();
    await store.close();
  });
});
