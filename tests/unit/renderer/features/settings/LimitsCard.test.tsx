/**
 * 设置 → 时限设置 (docs/incidents-model.md, "an office's own limits"): the limits in force and their history, an
 * admin's change from a later day (typed, saved, refused in words), the Sichuan defaults restored, and a person who
 * is not an admin reading them only.
 */
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '@shared/domain/dates';
import { DEFAULT_LIMITS, type LimitsVersion } from '@shared/domain/incidents/limits';
import { limitsVersionKey, readLimitVersions } from '@shared/domain/incidents/officeLimits';
import { toCommunityId } from '@shared/ydoc/docName';
import { auditArray, metaMap } from '@shared/ydoc/registry';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { LimitsCard } from '../../../../../renderer/features/settings/LimitsCard';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('limits-xihe');
const today = chinaDate(new Date());
const tomorrow = addDays(today, 1);

async function seed(role: 'admin' | 'editor') {
  const store = getStore();
  await store.createCommunity({ id: community, name: '西河社区' });
  await store.setCurrentCommunity(community);
  store.setAccountRole(role);
  return store;
}

function renderCard(store: WorkstationStore, language: 'zh-CN' | 'en' = 'zh-CN') {
  return renderUi(
    <StoreProvider store={store}>
      <LimitsCard />
    </StoreProvider>,
    { language },
  );
}

/** The in-force table's row of a limit, as text. */
function inForce(label: string): string {
  const row = screen.getAllByTestId('limits-row').find((r) => r.textContent.startsWith(label));
  return row?.textContent.slice(label.length) ?? '';
}

/** What a field of the form holds. */
const valueOf = (label: string) => screen.getByLabelText<HTMLInputElement>(label).value;
const message = () => screen.getByTestId('limits-message').textContent;
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const save = () => fireEvent.click(screen.getByRole('button', { name: '保存时限' }));

describe('时限设置 in settings', { timeout: 60_000 }, () => {
  it('shows the Sichuan defaults on a registry that never set any, and an admin sets a change from tomorrow', async () => {
    const store = await seed('admin');
    renderCard(store);
    await waitFor(() => expect(screen.getByTestId('limits-since').textContent).toBe('现行时限：四川12345默认值'), LOAD);
    expect(inForce('处置（投诉举报）')).toBe('15 个工作日');
    expect(inForce('处置（咨询）')).toBe('3 个工作日');
    expect(inForce('黄灯提醒（占时限的百分比）')).toBe('70%');
    expect(screen.getByTestId('limits-no-history').textContent).toBe('尚未修改，一直按四川12345默认值。');

    // The form starts from the limits in force, the effective day tomorrow.
    expect(valueOf('处置（投诉举报）')).toBe('15');
    expect(valueOf('生效日期')).toBe(tomorrow);
    type('处置（投诉举报）', '10');
    type('黄灯提醒（占时限的百分比）', '60');
    save();
    await waitFor(() => expect(message()).toBe(`已保存：自 ${tomorrow} 起按新时限计算（第 1 版）。`), LOAD);

    const { doc } = await store.registry(community);
    const [version] = readLimitVersions(doc);
    expect(version).toEqual({
      effectiveFrom: tomorrow,
      revision: 1,
      limits: { ...DEFAULT_LIMITS, handle: { ...DEFAULT_LIMITS.handle, complaint: 10 }, warningShare: 0.6 },
    });
    expect(auditArray(doc).toArray().at(-1)).toMatchObject({ action: 'update', collection: 'meta' });

    // Today still counts with the defaults: the change is listed as to come.
    await waitFor(() => expect(screen.getAllByTestId('limits-version')).toHaveLength(1), LOAD);
    expect(inForce('处置（投诉举报）')).toBe('15 个工作日');
    const row = screen.getAllByTestId('limits-version')[0] as HTMLElement;
    expect(row.textContent).toBe(
      `${tomorrow}1处置（投诉举报）：15 个工作日 → 10 个工作日；黄灯提醒（占时限的百分比）：70% → 60%待生效`,
    );
  });

  it('says in words why a change is refused: today as its day, a limit that is not a number of working days', async () => {
    const store = await seed('admin');
    renderCard(store);
    await screen.findByLabelText('生效日期', {}, LOAD);
    type('生效日期', today);
    save();
    await waitFor(
      () => expect(message()).toBe(`生效日期最早为明天（${tomorrow}）：已开始计时的环节不能改时限。`),
      LOAD,
    );
    expect(screen.getByTestId('limits-message').getAttribute('role')).toBe('alert');
    type('生效日期', tomorrow);
    type('处置（咨询）', '');
    save();
    await waitFor(() => expect(message()).toBe('处置（咨询）应为 1 至 365 之间的整数（工作日）。'), LOAD);
    type('处置（咨询）', '2.5');
    save();
    await waitFor(() => expect(message()).toBe('处置（咨询）应为 1 至 365 之间的整数（工作日）。'), LOAD);
    type('处置（咨询）', '3');
    type('黄灯提醒（占时限的百分比）', '150');
    save();
    await waitFor(() => expect(message()).toBe('黄灯提醒应为 1 至 100 之间的百分比。'), LOAD);
    const { doc } = await store.registry(community);
    expect(readLimitVersions(doc)).toEqual([]);
  });

  it('restores the Sichuan defaults into the form; saved for the same day, they replace the change to come', async () => {
    const store = await seed('admin');
    const { doc } = await store.registry(community);
    renderCard(store);
    await screen.findByLabelText('处置（求助）', {}, LOAD);
    type('处置（求助）', '5');
    save();
    await waitFor(() => expect(message()).toMatch(/第 1 版/), LOAD);
    // The form starts again from the version just set.
    await waitFor(() => expect(valueOf('处置（求助）')).toBe('5'), LOAD);

    fireEvent.click(screen.getByRole('button', { name: '恢复四川默认值' }));
    expect(message()).toBe('已填入四川12345默认值，选好生效日期后保存。');
    expect(valueOf('处置（求助）')).toBe('7');
    save();
    await waitFor(() => expect(message()).toBe(`已保存：自 ${tomorrow} 起按新时限计算（第 2 版）。`), LOAD);
    await waitFor(() => expect(screen.getAllByTestId('limits-version')).toHaveLength(2), LOAD);
    const [second, first] = screen.getAllByTestId('limits-version');
    expect(second?.textContent).toBe(`${tomorrow}2与此前相同待生效`);
    expect(first?.textContent).toBe(`${tomorrow}1处置（求助）：7 个工作日 → 5 个工作日同日已重新设定`);
    expect(readLimitVersions(doc)).toHaveLength(2);

    // Saving the same limits again writes nothing.
    save();
    await waitFor(() => expect(message()).toBe(`与 ${tomorrow} 起适用的时限相同，没有修改。`), LOAD);
    expect(readLimitVersions(doc)).toHaveLength(2);
  });

  it('a person who is not an admin reads the limits in force since an earlier day, in English too, without a form', async () => {
    const store = await seed('editor');
    const { doc } = await store.registry(community);
    // Set by an admin earlier (or arriving by sync): in force since yesterday.
    const version: LimitsVersion = {
      effectiveFrom: addDays(today, -1),
      revision: 1,
      limits: { ...DEFAULT_LIMITS, handle: { ...DEFAULT_LIMITS.handle, complaint: 12 } },
    };
    metaMap(doc).set(limitsVersionKey(version, 'earlier'), version);
    renderCard(store, 'en');
    await waitFor(
      () =>
        expect(screen.getByTestId('limits-since').textContent).toBe(
          `In force: since ${version.effectiveFrom} (revision 1)`,
        ),
      LOAD,
    );
    expect(inForce('Handling (Complaint)')).toBe('12 working days');
    expect(within(screen.getByTestId('limits-history')).getByText('In force')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save the limits' })).toBeNull();
    expect(screen.getByText('Only an administrator changes the limits.')).toBeTruthy();
  });
});
