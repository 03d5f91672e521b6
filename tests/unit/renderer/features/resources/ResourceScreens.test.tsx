/**
 * 阵地, 项目化 and 三项资金 screens (issue 21) with the real store: a booking refused when it clashes, a clash that
 * arrives by sync shown on the rooms and bookings pages and resolved by cancelling one (audited); a need published,
 * voted on by a resident found in the registry, refused without a reason, approved, contracted and its contract shown
 * for print; a spending above the balance refused, a care payment to a party member, and the yearly report.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import * as Y from 'yjs';
import type { CommandContext } from '@shared/domain/kernel';
import { createBuilding, createCompound, createHousehold } from '@shared/domain/registry/commands';
import { listFundEntries, recordFundEntry } from '@shared/domain/resources/funds';
import { projectEntries } from '@shared/domain/resources/projects';
import { bookVenue, createVenue, venuesEnv } from '@shared/domain/resources/venues';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { listRecords, readRecord } from '@shared/ydoc/registry';
import { listBookings, readResourceAudit } from '@shared/ydoc/resources';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { FundsPages } from '../../../../../renderer/features/resources/FundScreens';
import { ProjectsPages } from '../../../../../renderer/features/resources/ProjectScreens';
import { VenuesPages } from '../../../../../renderer/features/resources/VenueScreens';
import { PlatformProvider } from '../../../../../renderer/platform';
import { addResident } from '../../../shared/domain/registry/fixtures';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-resources');
const activities = docName({ community, collection: 'activities', year: 2026 });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-05-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

function renderAt(store: WorkstationStore, ui: ReactElement, path = '/') {
  const location = memoryLocation({ path, record: true });
  const result = renderUi(
    <PlatformProvider platform={testPlatform([])}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return { ...result, location };
}

async function residents(store: WorkstationStore) {
  const ctx = store.commandContext();
  const { doc } = await store.registry(community);
  const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
  const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
  const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
  const member = value(addResident(doc, ctx, household, { name: '欧阳红', tags: ['party-member'] }));
  const neighbour = value(addResident(doc, ctx, household, { name: '欧阳明' }));
  return { doc, member, neighbour };
}

const otherDevice = (): CommandContext => ({
  actor: { userId: 'u-grid', userName: '网格员赵敏', deviceId: 'dev-other' },
  now: () => new Date('2026-05-18T03:00:00Z'),
  newId: () => 'booking-from-other-device',
  permissions: new Set(['resources.edit']),
});

describe('阵地', () => {
  it('books a room, refuses a clash, shows a clash that arrived by sync and resolves it by cancelling one', async () => {
    const store = getStore();
    const { doc: registry } = await store.registry(community);
    const room = value(createVenue(registry, store.commandContext(), { name: '多功能活动室', capacity: 60 }));
    const { location } = renderAt(store, <VenuesPages community={community} />, '/book');
    const form = await screen.findByTestId('booking-form', {}, LOAD);
    const fill = (label: RegExp, text: string) =>
      fireEvent.change(within(form).getByLabelText(label), { target: { value: text } });
    fill(/^日期/, '2026-05-20');
    fill(/^开始时间/, '14:00');
    fill(/^结束时间/, '16:00');
    fill(/^活动内容/, '主题党日活动');
    fill(/^组织方/, '第一党支部');
    fill(/^预计人数/, '30');
    fireEvent.click(within(form).getByRole('button', { name: '预约' }));
    await waitFor(() => expect(location.history.at(-1)).toBe(`/room/${room}`), LOAD);
    const doc = await store.document(activities);
    expect(listBookings(doc)).toHaveLength(1);

    // The same hour again on this device: refused, saying with what.
    location.navigate('/book');
    const again = await screen.findByTestId('booking-form', {}, LOAD);
    fireEvent.change(within(again).getByLabelText(/^日期/), { target: { value: '2026-05-20' } });
    fireEvent.change(within(again).getByLabelText(/^开始时间/), { target: { value: '15:00' } });
    fireEvent.change(within(again).getByLabelText(/^结束时间/), { target: { value: '17:00' } });
    fireEvent.change(within(again).getByLabelText(/^活动内容/), { target: { value: '网格员培训' } });
    fireEvent.change(within(again).getByLabelText(/^组织方/), { target: { value: '网格站' } });
    fireEvent.click(within(again).getByRole('button', { name: '预约' }));
    expect((await screen.findByTestId('resources-error')).textContent).toBe(
      '该场地2026-05-20 14:00-16:00已预约（主题党日活动），不能重复预约。',
    );
    expect(listBookings(doc)).toHaveLength(1);

    // Another device, offline, booked the same hour; its update arrives by sync.
    const other = new Y.Doc();
    value(
      bookVenue(
        other,
        otherDevice(),
        {
          venueId: room,
          date: '2026-05-20',
          start: '15:00',
          end: '17:00',
          purpose: '网格员培训',
          organiser: '网格站',
          fee: 'free',
          expected: 20,
        },
        venuesEnv(registry),
      ),
    );
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'sync');
    location.navigate('/');
    const alert = await screen.findByTestId('venue-conflicts', {}, LOAD);
    expect(alert.textContent).toContain('多功能活动室 2026-05-20：');
    expect(alert.textContent).toContain('主题党日活动（14:00-16:00');
    expect(alert.textContent).toContain('网格员培训（15:00-17:00，网格员赵敏）');
    expect(screen.getByTestId('venue-row').textContent).toContain('冲突 2');

    fireEvent.click(within(alert).getByRole('link', { name: '去处理冲突' }));
    await waitFor(() => expect(screen.getAllByTestId('booking-row')).toHaveLength(2), LOAD);
    for (const row of screen.getAllByTestId('booking-row')) expect(row.getAttribute('data-conflict')).toBe('yes');
    const theirs = screen.getAllByTestId('booking-row').find((r) => r.textContent.includes('网格员赵敏'));
    fireEvent.click(within(theirs as HTMLElement).getByRole('button', { name: '取消预约' }));
    fireEvent.click(await screen.findByRole('button', { name: '确认取消' }));
    expect((await screen.findByTestId('resources-error')).textContent).toBe('原因必须填写');
    fireEvent.change(screen.getByLabelText(/^原因/), { target: { value: '与党课冲突，改到周五' } });
    fireEvent.click(screen.getByRole('button', { name: '确认取消' }));
    await waitFor(() => expect(screen.queryByTestId('venue-conflicts')).toBeNull(), LOAD);
    expect(listBookings(doc).find((b) => b.id === 'booking-from-other-device')).toMatchObject({
      status: 'cancelled',
      cancelReason: '与党课冲突，改到周五',
    });
    expect(readResourceAudit(doc).at(-1)).toMatchObject({
      action: 'cancelBooking',
      recordId: 'booking-from-other-device',
    });
  });
});

describe('项目化', () => {
  it('publishes a need, records a resident’s vote, refuses 拒签 without a reason, approves, contracts and shows it for print', async () => {
    const store = getStore();
    const { doc, neighbour } = await residents(store);
    const { location } = renderAt(store, <ProjectsPages community={community} />, '/new');
    const form = await screen.findByTestId('project-form', {}, LOAD);
    fireEvent.change(within(form).getByLabelText(/^项目名称/), { target: { value: '社区老年助餐点' } });
    fireEvent.change(within(form).getByLabelText(/^居民需求/), { target: { value: '独居老人午餐难' } });
    fireEvent.click(within(form).getByRole('button', { name: '发布' }));
    await waitFor(() => expect(location.history.at(-1)).toMatch(/^\/p\//), LOAD);
    const id = listRecords(doc, 'projects')[0]?.id ?? '';
    expect(await screen.findByTestId('project-status')).toHaveProperty('textContent', '征求意见中');

    const consult = screen.getByTestId('project-consult');
    fireEvent.change(within(consult).getByLabelText(/^查找居民/), { target: { value: '欧阳明' } });
    await waitFor(
      () => expect(within(consult).getByLabelText<HTMLSelectElement>(/^居民$/).value).toBe(neighbour),
      LOAD,
    );
    fireEvent.change(within(consult).getByLabelText(/^表决意见/), { target: { value: 'disagree' } });
    fireEvent.click(within(consult).getByRole('button', { name: '登记表决' }));
    await waitFor(() => expect(screen.getByTestId('project-tally').textContent).toBe('同意0，反对1，弃权0'));
    fireEvent.change(within(consult).getByLabelText(/^表决意见/), { target: { value: 'agree' } });
    fireEvent.click(within(consult).getByRole('button', { name: '登记表决' }));
    await waitFor(() => expect(screen.getByTestId('project-tally').textContent).toBe('同意1，反对0，弃权0'));
    expect(projectEntries(readRecord(doc, 'projects', id) ?? {}).votes).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: '拒签' }));
    expect((await screen.findByTestId('resources-error')).textContent).toBe('拒签理由必须填写');
    fireEvent.click(screen.getByRole('button', { name: '通过' }));
    await waitFor(() => expect(screen.getByTestId('project-status').textContent).toBe('已通过'));

    const contract = await screen.findByTestId('contract-form');
    fireEvent.change(within(contract).getByLabelText(/^服务机构/), { target: { value: '幸福里养老服务有限公司' } });
    fireEvent.change(within(contract).getByLabelText(/^年租金/), { target: { value: '12000' } });
    fireEvent.click(within(contract).getByRole('button', { name: '签订协议' }));
    await waitFor(() => expect(screen.getByTestId('project-status').textContent).toBe('已签约'));
    expect(readRecord(doc, 'projects', id)?.contract).toMatchObject({
      rent: 1_200_000,
      provider: '幸福里养老服务有限公司',
    });

    fireEvent.click(screen.getByRole('link', { name: '打印协议 / 存为PDF' }));
    const page = await screen.findByTestId('contract-page', {}, LOAD);
    expect(page.textContent).toContain('社区项目服务协议');
    expect(page.textContent).toContain('乙方：幸福里养老服务有限公司');
    expect(page.textContent).toContain('年租金12,000.00元');
    expect(within(page).getByTestId('contract-commitments').querySelectorAll('li').length).toBe(5);
  });
});

describe('三项资金', () => {
  it('refuses a spending above the balance, records a care payment to a party member and reports the year', async () => {
    const store = getStore();
    const { doc, member } = await residents(store);
    value(
      recordFundEntry(doc, store.commandContext(), {
        fund: 'care',
        kind: 'income',
        amount: 100_000,
        date: '2026-01-08',
        category: 'allocation',
      }),
    );
    const { location } = renderAt(store, <FundsPages community={community} />, '/new');
    const form = await screen.findByTestId('fund-form', {}, LOAD);
    fireEvent.change(within(form).getByLabelText(/^资金/), { target: { value: 'care' } });
    fireEvent.click(within(form).getByRole('radio', { name: '支出' }));
    fireEvent.change(within(form).getByLabelText(/^金额/), { target: { value: '1500' } });
    fireEvent.change(within(form).getByLabelText(/^查找慰问党员/), { target: { value: '欧阳' } });
    // Only party members are offered.
    await waitFor(() => expect(within(form).getByLabelText<HTMLSelectElement>(/^慰问党员$/).value).toBe(member), LOAD);
    expect(within(form).queryByRole('option', { name: '欧阳明' })).toBeNull();
    fireEvent.change(within(form).getByLabelText(/^慰问事由/), { target: { value: '住院慰问' } });
    fireEvent.click(within(form).getByRole('button', { name: '记账' }));
    expect((await screen.findByTestId('resources-error')).textContent).toBe('支出超过资金余额（余额1,000.00元）。');
    fireEvent.change(within(form).getByLabelText(/^金额/), { target: { value: '500' } });
    fireEvent.click(within(form).getByRole('button', { name: '记账' }));
    await waitFor(() => expect(location.history.at(-1)).toBe('/'), LOAD);
    expect(await screen.findByTestId('fund-balance-care', {}, LOAD)).toHaveProperty('textContent', '¥500.00');
    expect(listFundEntries(doc).find((e) => e.kind === 'spending')).toMatchObject({ memberId: member, amount: 50_000 });

    location.navigate('/report');
    const report = await screen.findByTestId('fund-report', {}, LOAD);
    fireEvent.change(screen.getByLabelText(/^资金/), { target: { value: 'care' } });
    await waitFor(() => expect(screen.getByRole('heading', { name: '党员关爱基金2026年度收支报表' })).toBeTruthy());
    expect(within(report).getByTestId('report-opening').textContent).toBe('0.00');
    expect(within(report).getByTestId('report-income').textContent).toBe('1,000.00');
    expect(within(report).getByTestId('report-spending').textContent).toBe('500.00');
    expect(within(report).getByTestId('report-closing').textContent).toBe('500.00');
    expect(within(report).getByTestId('fund-report-entries').textContent).toContain('慰问：欧阳红；住院慰问');
  });
});
