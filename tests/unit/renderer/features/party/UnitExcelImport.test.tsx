/**
 * The 驻区单位 import on the 双报到 Excel page, on the real store (docs/party-model.md "Excel"): a units sheet with a
 * new unit, a registered one with a new contact and a bad row is previewed row by row, written through the party
 * commands, and the same file chosen again writes nothing; the bad row is saved with its reason.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { registerUnit } from '@shared/domain/party/commands';
import { toCommunityId } from '@shared/ydoc/docName';
import { listRecords, readAudit } from '@shared/ydoc/registry';
import { readSheet } from '../../../../../renderer/data/excel';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import { MembersSection } from '../../../../../renderer/features/party';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-party-units-excel');
const SLOW = { timeout: 20_000 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

async function unitsFile(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('驻区单位');
  sheet.addRow(['单位名称', '单位类型', '联系人', '首次报到日期', '共建协议', '协议签订日期', '协议到期日期']);
  sheet.addRow(['锦绣小学', '事业单位', '李老师', new Date(Date.UTC(2026, 2, 1)), '是', '2026-03-01', '2027-02-28']);
  sheet.addRow(['滨江物业公司', '', '王经理', '', '', '', '']);
  sheet.addRow(['新华书店', '书店', '', '2026-04-01', '', '', '']);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('驻区单位 Excel import', () => {
  it('previews units with a bad row, writes the good ones once, and saves the bad one with its reason', async () => {
    const store = getStore();
    const { doc } = await store.registry(community);
    const firm = value(
      registerUnit(doc, store.commandContext(community), {
        name: '滨江物业公司',
        kind: 'private-firm',
        contact: '张三',
        checkedInOn: '2026-02-01',
      }),
    );
    const file = await unitsFile();
    const saved: { name: string; bytes: Uint8Array }[] = [];
    const platform = testPlatform([], {
      openFile: () => Promise.resolve({ path: '单位.xlsx', name: '单位.xlsx', bytes: file }),
      saveFile: (request) => {
        saved.push({ name: request.defaultName, bytes: request.content as Uint8Array });
        return Promise.resolve({ path: request.defaultName, bytes: 1 });
      },
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
    fireEvent.click(await screen.findByRole('button', { name: '选择驻区单位 Excel 文件…' }, SLOW));
    const preview = await screen.findByTestId('unit-import-preview', {}, SLOW);
    expect(within(preview).getByTestId('unit-import-summary').textContent).toBe(
      '单位.xlsx：共 3 行，新登记 1 行，更新 1 行，无变化跳过 0 行，有问题 1 行。',
    );
    const rows = () => within(screen.getByTestId('unit-import-preview')).getAllByTestId('unit-import-row');
    expect(rows().map((r) => [r.dataset.status, r.textContent])).toEqual([
      ['new', '2锦绣小学——新登记单位报到；共建协议 2026-03-01 至 2027-02-28'],
      ['update', '3滨江物业公司——更新：联系人'],
      ['bad', '4新华书店——单位类型只能是机关、事业单位、国有企业、非公企业、社会组织'],
    ]);

    fireEvent.click(within(preview).getByRole('button', { name: '导入 2 个单位' }));
    await waitFor(
      () => expect(screen.getByTestId('party-excel-message').textContent).toBe('已导入 2 个单位，未能导入 0 个。'),
      LOAD,
    );
    const units = listRecords(doc, 'units');
    expect(units.map((u) => [u.name, u.contact, u.kind, u.checkedInOn, u.agreement?.until ?? null])).toEqual(
      expect.arrayContaining([
        ['锦绣小学', '李老师', 'institution', '2026-03-01', '2027-02-28'],
        ['滨江物业公司', '王经理', 'private-firm', '2026-02-01', null],
      ]),
    );
    expect(units).toHaveLength(2);
    expect(units.find((u) => u.name === '滨江物业公司')?.id).toBe(firm);
    await waitFor(() => expect(rows().map((r) => r.dataset.status)).toEqual(['exists', 'exists', 'bad']), LOAD);

    // The same file again: nothing to write, no audit entry.
    const audit = readAudit(doc).length;
    fireEvent.click(screen.getByRole('button', { name: '选择驻区单位 Excel 文件…' }));
    await waitFor(
      () =>
        expect(screen.getByTestId('unit-import-summary').textContent).toBe(
          '单位.xlsx：共 3 行，新登记 0 行，更新 0 行，无变化跳过 2 行，有问题 1 行。',
        ),
      LOAD,
    );
    expect(screen.getByRole('button', { name: '导入 0 个单位' })).toHaveProperty('disabled', true);
    expect(readAudit(doc)).toHaveLength(audit);

    // The bad row saved with its reason, to correct and import again.
    const unitsPreview = screen.getByTestId('unit-import-preview');
    fireEvent.click(within(unitsPreview).getByRole('button', { name: '保存未导入的 1 行（含原因）' }));
    await waitFor(() => expect(saved).toHaveLength(1), LOAD);
    expect(saved[0]?.name).toBe('驻区单位未导入的行.xlsx');
    const back = await readSheet(saved[0]?.bytes ?? new Uint8Array());
    if (!back.ok) throw new Error(back.error);
    expect(back.value.rows).toEqual([
      ['单位名称', '单位类型', '联系人', '首次报到日期', '共建协议', '协议签订日期', '协议到期日期', '未导入原因'],
      ['新华书店', '书店', '', '2026-04-01', '', '', '', '单位类型只能是机关、事业单位、国有企业、非公企业、社会组织'],
    ]);
  });
});
