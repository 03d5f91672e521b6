// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { listRecords } from '@shared/ydoc/registry';
import type { CommunityId } from '@shared/ydoc/docName';
import { readSheet } from '../../../../../../renderer/data/excel';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../../renderer/data/store';
import { ImportWizard } from '../../../../../../renderer/features/registry/excel/ImportWizard';
import type { Language } from '../../../../../../renderer/i18n';
import { PlatformProvider } from '../../../../../../renderer/platform';
import { testPlatform } from '../../../meetings/meetingFixture';
import { renderUi } from '../../../render';
import { LOAD, useTestStore } from '../../../storeFixture';
import { badChecksum, makeXlsx, testId, testPhone } from '../../../../../e2e/support/xlsx';

const getStore = useTestStore();
const SLOW = { timeout: 20_000 };
/** A demo community, a workbook read and planned, an import: seconds each on a loaded machine. */
const TEST_TIMEOUT = 90_000;

const HEADERS = ['姓名', '身份证号', '联系电话', '楼栋', '单元', '门牌号', '与户主关系'];

/** A demo community: three compounds (锦江花园, 北湖老院, 模范街老院), each with a 1栋. */
async function demoCommunity(store: WorkstationStore): Promise<CommunityId> {
  const { doc } = generateDemoCommunity(21, { residents: 60, buildings: 6 });
  return store.addDemoCommunity(Y.encodeStateAsUpdate(doc));
}

function renderWizard(
  store: WorkstationStore,
  community: CommunityId,
  file: Uint8Array,
  saved: { defaultName: string; content: Uint8Array }[],
  language: Language = 'zh-CN',
) {
  const platform = testPlatform([], {
    openFile: () => Promise.resolve({ path: '/tmp/花名册.xlsx', name: '花名册.xlsx', bytes: file }),
    saveFile: (request) => {
      saved.push({ defaultName: request.defaultName, content: request.content as Uint8Array });
      return Promise.resolve({ path: `/tmp/${request.defaultName}`, bytes: request.content.length });
    },
  });
  return renderUi(
    <PlatformProvider platform={platform}>
      <StoreProvider store={store}>
        <ImportWizard community={community} />
      </StoreProvider>
    </PlatformProvider>,
    { language },
  );
}

async function chooseCompound(label: string, name: string): Promise<void> {
  fireEvent.click(screen.getByRole('combobox', { name: label }));
  fireEvent.click(await screen.findByRole('option', { name, hidden: true }));
}

describe('ImportWizard', () => {
  it(
    'imports a roster without a 小区 column into the compound chosen, creating its missing building, skipping blank and 合计 rows, and exports the problem row',
    async () => {
      const store = getStore();
      const community = await demoCommunity(store);
      const bad = badChecksum(testId('female', '1971-01-01'));
      const file = await makeXlsx([
        HEADERS,
        ['屏幕测试甲', testId('male', '1961-01-01'), testPhone(1), '1栋', '1单元', '8801', '本人'],
        [],
        ['屏幕测试乙', testId('male', '1962-02-02'), '', '66栋', '', '101', '本人'],
        ['屏幕测试丙', bad, '', '1栋', '1单元', '8802', '本人'],
        ['总计', '', '', '', '', '', '3人'],
      ]);
      const saved: { defaultName: string; content: Uint8Array }[] = [];
      renderWizard(store, community, file, saved);

      fireEvent.click(await screen.findByRole('button', { name: '选择Excel文件' }, LOAD));
      // Three compounds have a 1栋 and the sheet names none: nobody can tell which.
      const rows = await screen.findByTestId('import-rows', {}, SLOW);
      expect(within(rows).getAllByText(/楼栋名称不唯一/)).toHaveLength(2);

      await chooseCompound('默认小区', '北湖老院');
      await waitFor(() => expect(screen.getByTestId('import-summary').textContent).toContain('有效 2 行'), SLOW);
      const summary = screen.getByTestId('import-summary').textContent;
      expect(summary).toContain('共 3 行');
      expect(summary).toContain('有问题 1 行');
      expect(summary).toContain('将新建 1 栋楼');
      expect(screen.getByTestId('import-skipped').textContent).toBe(
        '已跳过合计行：第 6 行。 已跳过 1 个空行：第 3 行。',
      );
      expect(screen.getByTestId('import-new-buildings').textContent).toContain('北湖老院66栋（1 人）');

      // The problem row comes back as a workbook: the roster's columns, then 问题 in the app's language.
      fireEvent.click(screen.getByRole('button', { name: '导出有问题的 1 行' }));
      await waitFor(() => expect(saved).toHaveLength(1), SLOW);
      expect(saved[0]?.defaultName).toBe('花名册-问题行.xlsx');
      const read = await readSheet(saved[0]!.content);
      if (!read.ok) throw new Error(read.error);
      expect(read.value.rows[0]).toEqual([...HEADERS, '问题']);
      expect(read.value.rows[1]?.slice(0, 2)).toEqual(['屏幕测试丙', bad]);
      expect(read.value.rows[1]?.[7]).toBe('身份证号校验位错误，请核对是否抄错');
      expect(read.value.rows).toHaveLength(2);

      fireEvent.click(screen.getByRole('button', { name: '导入2条有效记录' }));
      await waitFor(() => expect(screen.getByTestId('import-done').textContent).toContain('已导入2位居民'), SLOW);
      expect(screen.getByTestId('import-done').textContent).toContain('新建 1 栋楼');
      const { doc } = await store.registry(community);
      const north = listRecords(doc, 'compounds').find((c) => c.name === '北湖老院')!;
      const created = listRecords(doc, 'buildings').filter((b) => b.name === '66栋');
      expect(created.map((b) => b.compoundId)).toEqual([north.id]);
      const jia = listRecords(doc, 'residents').find((r) => r.name === '屏幕测试甲')!;
      const household = listRecords(doc, 'households').find((h) => h.id === jia.householdId)!;
      const building = listRecords(doc, 'buildings').find((b) => b.id === household.buildingId)!;
      expect([building.compoundId, building.name]).toEqual([north.id, '1栋']);
    },
    TEST_TIMEOUT,
  );

  it(
    'leaves the missing building alone when the box is unticked, and writes the problems in English in English mode',
    async () => {
      const store = getStore();
      const community = await demoCommunity(store);
      const file = await makeXlsx([
        ['姓名', '身份证号', '小区', '楼栋', '门牌号'],
        ['屏幕测试丁', testId('male', '1963-03-03'), '锦江花园', '77栋', '101'],
        ['屏幕测试戊', testId('male', '1964-04-04'), '锦江花园', '1栋', '7701'],
      ]);
      const saved: { defaultName: string; content: Uint8Array }[] = [];
      renderWizard(store, community, file, saved, 'en');
      fireEvent.click(await screen.findByRole('button', { name: 'Choose Excel file' }, LOAD));
      await waitFor(() => expect(screen.getByTestId('import-summary').textContent).toContain('2 valid'), SLOW);
      fireEvent.click(screen.getByRole('checkbox', { name: /Create these 1 buildings/ }));
      await waitFor(() => expect(screen.getByTestId('import-summary').textContent).toContain('1 valid'));
      fireEvent.click(screen.getByRole('button', { name: 'Export the 1 problem rows' }));
      await waitFor(() => expect(saved).toHaveLength(1), SLOW);
      const read = await readSheet(saved[0]!.content);
      if (!read.ok) throw new Error(read.error);
      expect(read.value.rows[0]?.[5]).toBe('Problem');
      expect(read.value.rows[1]?.[5]).toBe('Unknown building: 77栋');

      fireEvent.click(screen.getByRole('button', { name: /^Import 1/ }));
      await waitFor(() => expect(screen.getByTestId('import-done')).toBeTruthy(), SLOW);
      const { doc } = await store.registry(community);
      expect(listRecords(doc, 'buildings').filter((b) => b.name === '77栋')).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'in update mode shows what the monthly roster changes, keeps what it leaves empty, and clears it only when asked',
    async () => {
      const store = getStore();
      const community = await demoCommunity(store);
      const { doc } = await store.registry(community);
      const resident = listRecords(doc, 'residents').find((r) => r.phone !== null && r.deletedAt === null)!;
      const household = listRecords(doc, 'households').find((h) => h.id === resident.householdId)!;
      const building = listRecords(doc, 'buildings').find((b) => b.id === household.buildingId)!;
      const compound = listRecords(doc, 'compounds').find((c) => c.id === building.compoundId)!;
      const entrance = listRecords(doc, 'entrances').find((e) => e.id === household.entranceId)?.name ?? '';
      const file = await makeXlsx([
        ['姓名', '身份证号', '联系电话', '小区', '楼栋', '单元', '门牌号'],
        [`${resident.name}改`, resident.idNumber, '', compound.name, building.name, entrance, household.doorNumber],
      ]);
      renderWizard(store, community, file, []);
      fireEvent.click(await screen.findByRole('radio', { name: /新增并更新已有居民/ }, LOAD));
      fireEvent.click(screen.getByRole('button', { name: '选择Excel文件' }));
      const row = await screen.findByText('将更新：', {}, SLOW);
      const cell = row.parentElement!;
      expect(cell.textContent).toContain(`姓名：${resident.name} → ${resident.name}改`);
      expect(cell.textContent).not.toContain('联系电话');
      expect(screen.getByTestId('import-summary').textContent).toContain('将更新 1 位');

      fireEvent.click(screen.getByRole('checkbox', { name: /也清空名册中原有的内容/ }));
      await waitFor(
        () =>
          expect(screen.getByText('将更新：').parentElement?.textContent).toMatch(
            /联系电话：1\d{2}\*{4}\d{4} → （空）/,
          ),
        SLOW,
      );
      fireEvent.click(screen.getByRole('button', { name: '导入1条有效记录' }));
      await waitFor(() => expect(screen.getByTestId('import-done').textContent).toContain('更新1位居民'), SLOW);
      const after = listRecords(doc, 'residents').find((r) => r.id === resident.id)!;
      expect(after).toMatchObject({ name: `${resident.name}改`, phone: null, householdId: resident.householdId });
    },
    TEST_TIMEOUT,
  );
});
