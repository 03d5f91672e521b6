/**
 * The 双报到 Excel page on the real store (issue 21, docs/party-model.md "Excel"): a members' check-in roster with one
 * bad row is previewed row by row (the good one to record, the bad one with its reason), recorded through the
 * command, and the same file chosen again records nothing twice; the bad row is saved with its reason; the roster
 * export holds the member's check-in state.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { createBuilding, createCompound, createHousehold, createResident } from '@shared/domain/registry/commands';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { maskIdNumber } from '@shared/domain/registry/mask';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { listPartyRecords } from '@shared/ydoc/party';
import { readSheet } from '../../../../../renderer/data/excel';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { MembersSection } from '../../../../../renderer/features/party';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-party-excel');
const SLOW = { timeout: 20_000 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

async function seed(store: WorkstationStore) {
  const ctx = store.commandContext(community);
  const { doc } = await store.registry(community);
  const compound = value(createCompound(doc, ctx, { name: '锦绣花园', kind: 'commercial' }));
  const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
  const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
  const person = (n: number, name: string) =>
    value(
      createResident(doc, ctx, {
        name,
        idNumber: idOf(n),
        householdId: household,
        tags: ['party-member'],
      }),
    );
  return { wang: person(1, '王建国'), li: person(2, '李秀英') };
}

/** The ID number the seed gives its n-th member. */
const idOf = (n: number) => makeIdNumber('511302', `1970-01-0${n}`, seqForSex(n, 'male'));

async function rosterFile(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('报到');
  sheet.addRow(['姓名', '报到日期', '报到方式', '工作单位']);
  sheet.addRow(['王建国', new Date(Date.UTC(2026, 2, 2)), '线下', '南充市第一中学']);
  sheet.addRow(['李秀英', '2026-13-01', '线上', '']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('双报到 Excel', () => {
  it('previews a roster with one bad row, records the good one once, and saves the bad one with its reason', async () => {
    const store = getStore();
    const { wang } = await seed(store);
    const file = await rosterFile();
    const saved: { name: string; bytes: Uint8Array }[] = [];
    const platform = testPlatform([], {
      openFile: () => Promise.resolve({ path: '报到.xlsx', name: '报到.xlsx', bytes: file }),
      saveFile: (request) => {
        saved.push({ name: request.defaultName, bytes: request.content as Uint8Array });
        return Promise.resolve({ path: request.defaultName, bytes: 1 });
      },
    });
    const location = memoryLocation({ path: '/excel', record: true });
    renderUi(
      <PlatformProvider platform={platform}>
        <StoreProvider store={store}>
          <Router hook={location.hook}>
            <MembersSection community={community} />
          </Router>
        </StoreProvider>
      </PlatformProvider>,
    );
    const choose = await screen.findByRole('button', { name: '选择 Excel 文件…' }, SLOW);
    fireEvent.click(choose);
    const preview = await screen.findByTestId('party-import-preview', {}, SLOW);
    expect(within(preview).getByTestId('party-import-summary').textContent).toBe(
      '报到.xlsx：共 2 行，可登记 1 行，已登记过跳过 0 行，有问题 1 行。',
    );
    const rows = () => within(screen.getByTestId('party-import-preview')).getAllByTestId('party-import-row');
    expect(rows().map((r) => [r.dataset.status, r.textContent])).toEqual([
      ['new', '2王建国—按姓名（未填身份证号）2026-03-02线下报到南充市第一中学将登记'],
      ['bad', '3李秀英—按姓名（未填身份证号）2026-13-01线上报到报到日期不是有效日期（例：2026-03-02）'],
    ]);

    fireEvent.click(within(preview).getByRole('button', { name: '登记 1 条报到' }));
    await waitFor(
      () => expect(screen.getByTestId('party-excel-message').textContent).toBe('已登记 1 条报到，未能登记 0 条。'),
      LOAD,
    );
    const activities = await store.document(docName({ community, collection: 'activities', year: 2026 }));
    expect(listPartyRecords(activities, 'checkIns')).toMatchObject([
      { subject: { kind: 'member', id: wang }, on: '2026-03-02', channel: 'offline', workplace: '南充市第一中学' },
    ]);
    await waitFor(() => expect(rows()[0]?.dataset.status).toBe('exists'), LOAD);

    // The same file again: nothing new to record.
    fireEvent.click(screen.getByRole('button', { name: '选择 Excel 文件…' }));
    await waitFor(
      () =>
        expect(screen.getByTestId('party-import-summary').textContent).toBe(
          '报到.xlsx：共 2 行，可登记 0 行，已登记过跳过 1 行，有问题 1 行。',
        ),
      LOAD,
    );
    expect(rows()[0]?.textContent).toContain('这天的报到已登记过，跳过');
    expect(screen.getByRole('button', { name: '登记 0 条报到' })).toHaveProperty('disabled', true);

    // The bad row saved with its reason, to correct and import again.
    fireEvent.click(screen.getByRole('button', { name: '保存未导入的 1 行（含原因）' }));
    await waitFor(() => expect(saved).toHaveLength(1), LOAD);
    const back = await readSheet(saved[0]?.bytes ?? new Uint8Array());
    if (!back.ok) throw new Error(back.error);
    expect(back.value.rows).toEqual([
      ['姓名', '报到日期', '报到方式', '工作单位', '未导入原因'],
      ['李秀英', '2026-13-01', '线上', '', '报到日期不是有效日期（例：2026-03-02）'],
    ]);
    expect(listPartyRecords(activities, 'checkIns')).toHaveLength(1);

    // The roster export: the member checked in on 2 March, re-check-in due 2 September (overdue on 18 November).
    fireEvent.click(screen.getByRole('button', { name: '导出双报到名册' }));
    await waitFor(() => expect(saved).toHaveLength(2), LOAD);
    expect(saved[1]?.name).toBe('双报到名册 2026-11-18.xlsx');
    const roster = await readSheet(saved[1]?.bytes ?? new Uint8Array());
    if (!roster.ok) throw new Error(roster.error);
    expect(roster.value.rows.find((r) => r[0] === '王建国')).toEqual([
      '王建国',
      expect.any(String),
      '2026-03-02',
      '2026-03-02',
      '1',
      '2026-09-02',
      '复报到已到期',
      '南充市第一中学',
    ]);
  });
});

describe('双报到 Excel by ID number', () => {
  it('finds the member by the row’s ID number, shows the number masked, and gives a mismatched name its reason', async () => {
    const store = getStore();
    const { wang } = await seed(store);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('报到');
    sheet.addRow(['姓名', '身份证号', '报到日期']);
    sheet.addRow(['王建国', idOf(1), '2026-03-02']);
    sheet.addRow(['王建国', idOf(2), '2026-03-03']);
    const file = new Uint8Array(await workbook.xlsx.writeBuffer());
    const logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    const platform = testPlatform([], {
      openFile: () => Promise.resolve({ path: '报到.xlsx', name: '报到.xlsx', bytes: file }),
    });
    renderUi(
      <PlatformProvider platform={platform}>
        <StoreProvider store={store}>
          <Router hook={memoryLocation({ path: '/excel' }).hook}>
            <MembersSection community={community} />
          </Router>
        </StoreProvider>
      </PlatformProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: '选择 Excel 文件…' }, SLOW));
    const preview = await screen.findByTestId('party-import-preview', {}, SLOW);
    const rows = within(preview).getAllByTestId('party-import-row');
    expect(rows.map((r) => [r.dataset.status, within(r).getByTestId('party-import-id').textContent])).toEqual([
      ['new', maskIdNumber(idOf(1))],
      ['bad', maskIdNumber(idOf(2))],
    ]);
    expect(rows[0]?.textContent).toContain('按身份证号');
    expect(rows[1]?.textContent).toContain('姓名与登记簿中这个身份证号的姓名不符');
    fireEvent.click(within(preview).getByRole('button', { name: '登记 1 条报到' }));
    await waitFor(
      () => expect(screen.getByTestId('party-excel-message').textContent).toBe('已登记 1 条报到，未能登记 0 条。'),
      LOAD,
    );
    const activities = await store.document(docName({ community, collection: 'activities', year: 2026 }));
    expect(listPartyRecords(activities, 'checkIns')).toMatchObject([{ subject: { kind: 'member', id: wang } }]);
    // PIPL art. 28: the full numbers are on no screen and in no log.
    for (const number of [idOf(1), idOf(2)]) {
      expect(document.body.textContent).not.toContain(number);
      for (const spy of logged) expect(JSON.stringify(spy.mock.calls)).not.toContain(number);
    }
    for (const spy of logged) spy.mockRestore();
  });
});
