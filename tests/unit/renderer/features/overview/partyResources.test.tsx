/**
 * 数据看板's 党建与资源 section (docs/dashboard-model.md, "party building and resources"): on the hand-counted data of
 * partyFixture.ts, every figure as counted by hand, each a link to its list under 党建与资源, in Chinese and English,
 * live after a change; and on the demo community, the figures the party and resources domains' own functions give.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { chinaDate } from '@shared/domain/dates';
import { generateDemoParty } from '@shared/domain/party/demo';
import { appraisalRows, checkInState, checkInsOf } from '@shared/domain/party/rules';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { generateDemoResources } from '@shared/domain/resources/demo';
import { fundBalance, listFundEntries } from '@shared/domain/resources/funds';
import { bookingConflicts } from '@shared/domain/resources/venues';
import { docName, toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { insertPartyRecord, listPartyRecords } from '@shared/ydoc/party';
import { listRecords } from '@shared/ydoc/registry';
import { listBookings } from '@shared/ydoc/resources';
import type { SaveFileRequest } from '@shared/ipc/contract';
import type { Language } from '../../../../../renderer/i18n';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { OverviewScreen } from '../../../../../renderer/features/overview/OverviewScreen';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';
import { fixtureActivities, fixtureRegistry } from '../../../shared/domain/dashboard/partyFixture';

const getStore = useTestStore();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

const XIHE = toCommunityId('xihe-a');
const activities = (community: CommunityId, year: number) => docName({ community, collection: 'activities', year });

async function seedFixture(store: WorkstationStore): Promise<void> {
  await store.createCommunity({ id: XIHE, name: '西河A社区' });
  await store.setCurrentCommunity(XIHE);
  const { doc } = await store.registry(XIHE);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(fixtureRegistry()), 'test');
  const docs = fixtureActivities();
  for (const year of [2025, 2026] as const) {
    Y.applyUpdate(await store.document(activities(XIHE, year)), Y.encodeStateAsUpdate(docs[year]), 'test');
  }
}

function renderOverview(store: WorkstationStore, language: Language = 'zh-CN', saved: SaveFileRequest[] = []) {
  const location = memoryLocation({ path: '/', record: true });
  const view = renderUi(
    <PlatformProvider
      platform={testPlatform([], {
        saveFile: (request) => {
          saved.push(request);
          return Promise.resolve({ path: `/tmp/${request.defaultName}`, bytes: request.content.length });
        },
      })}
    >
      <StoreProvider store={store}>
        <Router hook={location.hook}>
          <OverviewScreen />
        </Router>
      </StoreProvider>
    </PlatformProvider>,
    { language },
  );
  return { ...view, location };
}

const figure = (key: string) => screen.getByTestId(`pr-${key}`).textContent;

describe('数据看板: 党建与资源', () => {
  it('shows the hand-counted figures of November 2026 as of the 18th, each a link to its list', async () => {
    const store = getStore();
    await seedFixture(store);
    const { location } = renderOverview(store);
    await waitFor(() => expect(figure('members-checked')).toBe('3/4'), LOAD);
    // 双报到 (partyFixture.ts: the counts by hand).
    expect(figure('members-period')).toBe('1');
    expect(figure('members-due')).toBe('1');
    expect(figure('members-overdue')).toBe('2');
    expect(figure('members-never')).toBe('2');
    expect(figure('units-checked')).toBe('2/2');
    expect(figure('units-due')).toBe('1');
    expect(figure('units-overdue')).toBe('0');
    expect(figure('posts')).toBe('2/3（满员1个）');
    expect(figure('service-hours')).toBe('11.0小时（5次）');
    expect(figure('service-median')).toBe('3.0小时（3人）');
    expect(figure('service-rating')).toBe('3.5分（4个评价）');
    // 三红三百.
    expect(figure('patrols')).toBe('2次（发现3处）');
    expect(figure('findings-events')).toBe('1');
    expect(figure('concerns')).toBe('3');
    expect(figure('concerns-events')).toBe('1');
    expect(figure('volunteers')).toBe('6.5小时（2人）');
    expect(figure('session-lecture')).toBe('2场（5人次）');
    expect(figure('session-stage')).toBe('1场（4人次）');
    expect(figure('session-teahouse')).toBe('1场（2人次）');
    expect(figure('teahouse-cases')).toBe('1');
    // Venues: 18.5 of 720 open hours.
    expect(figure('venue-occasions')).toBe('12');
    expect(figure('venue-occupancy')).toBe('2.6%（18.5/720.0小时）');
    expect(figure('venue-attendance')).toBe('42');
    expect(figure('venue-conflicts')).toBe('1');
    expect(figure('venue-regular')).toBe('1');
    const rooms = within(screen.getByTestId('overview-party-rooms')).getAllByRole('row');
    expect(rooms.map((r) => r.textContent)).toEqual([
      '场地场次预约小时开放小时使用率到场人次',
      '党员活动室1116.5360.04.6%42',
      '多功能厅12.0360.00.6%0',
    ]);
    expect(within(screen.getByTestId('overview-party-regular')).getAllByRole('row')[1]?.textContent).toBe(
      '四点半课堂阳光社工党员活动室922',
    );
    // Projects and funds.
    for (const status of ['published', 'approved', 'refused', 'contracted', 'closed']) {
      expect(figure(`project-${status}`)).toBe('1');
    }
    expect(figure('project-new')).toBe('1');
    expect(figure('project-rating')).toBe('4.0分（3个评价）');
    expect(figure('fund-party-balance')).toBe('800.00元');
    expect(figure('fund-party-spending')).toBe('200.00元');
    expect(figure('fund-development-balance')).toBe('500.00元');
    expect(figure('fund-development-income')).toBe('500.00元');
    expect(figure('fund-development-spending')).toBe('0.00元');
    expect(figure('fund-care-balance')).toBe('250.00元');
    expect(figure('fund-care-spending')).toBe('30.00元');

    // Each figure opens the list it counts, by keyboard as by mouse: links are the page's tab stops.
    const never = within(screen.getByTestId('pr-members-never')).getByRole('link');
    expect(never.getAttribute('href')).toBe('/party/members/appraisal');
    expect(within(screen.getByTestId('pr-venue-conflicts')).getByRole('link').getAttribute('href')).toBe(
      '/party/venues/bookings/conflicts',
    );
    expect(within(screen.getByTestId('pr-concerns')).getByRole('link').getAttribute('href')).toBe(
      '/party/sanhong/concerns',
    );
    expect(within(screen.getByTestId('pr-fund-care-balance')).getByRole('link').getAttribute('href')).toBe(
      '/party/funds',
    );
    fireEvent.click(never);
    expect(location.history.at(-1)).toBe('/party/members/appraisal');
  });

  it('adds a street’s communities up, without links to one community’s lists', async () => {
    const store = getStore();
    await seedFixture(store);
    const B = toCommunityId('xihe-b');
    await store.createCommunity({ id: B, name: '西河B社区' });
    const { doc } = await store.registry(B);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(fixtureRegistry()), 'test');
    Y.applyUpdate(await store.document(activities(B, 2026)), Y.encodeStateAsUpdate(fixtureActivities()[2026]), 'test');
    await store.setCurrentCommunity(XIHE);
    renderOverview(store);
    await waitFor(() => expect(figure('members-checked')).toBe('3/4'), LOAD);
    expect(within(screen.getByTestId('pr-members-checked')).getByRole('link')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '本机全部社区（2个）' }));
    // B has this year's document only: m3's check-in of 2025 is not there, so B counts m3 by the registry's 报到 day
    // alone (still checked in, still overdue); the rest adds up twice.
    await waitFor(() => expect(figure('members-checked')).toBe('6/8'));
    expect(figure('members-overdue')).toBe('4');
    expect(figure('venue-conflicts')).toBe('2');
    expect(figure('fund-party-balance')).toBe('1600.00元');
    expect(figure('service-median')).toBe('3.0小时（6人）');
    expect(within(screen.getByTestId('pr-members-checked')).queryByRole('link')).toBeNull();
    expect(within(screen.getByTestId('overview-party-rooms')).getAllByRole('row')).toHaveLength(5);
  });

  it('counts again at once when a record is added (here a concern collected on the 17th)', async () => {
    const store = getStore();
    await seedFixture(store);
    renderOverview(store);
    await waitFor(() => expect(figure('concerns')).toBe('3'), LOAD);
    const doc = await store.document(activities(XIHE, 2026));
    doc.transact(() => {
      insertPartyRecord(doc, 'concerns', 'late', {
        id: 'late',
        at: '2026-11-17T02:00:00.000Z',
        by: { userId: 'u-office', userName: '党建专干 刘芳' },
        on: '2026-11-17',
        collectorId: 'm1',
        residentId: null,
        place: '',
        content: '井盖松动',
      });
    });
    await waitFor(() => expect(figure('concerns')).toBe('4'));
  });

  it('exports the same figures to the workbook as numbers and prints them in the 通报', async () => {
    const store = getStore();
    await seedFixture(store);
    const saved: SaveFileRequest[] = [];
    renderOverview(store, 'zh-CN', saved);
    await waitFor(() => expect(figure('members-checked')).toBe('3/4'), LOAD);
    fireEvent.click(screen.getByRole('button', { name: '导出Excel' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(saved[0]?.content as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('党建与资源');
    const rows = new Map<string, unknown>();
    sheet?.eachRow((row, n) => {
      if (n < 3) return;
      const [, , label, value] = row.values as unknown[];
      rows.set(label as string, value);
    });
    expect(rows.get('党员数')).toBe(4);
    expect(rows.get('已报到党员')).toBe(3);
    expect(rows.get('超期未复报到党员')).toBe(2);
    expect(rows.get('本年未报到党员（民主评议标记）')).toBe(2);
    expect(rows.get('服务时长（小时）')).toBe(11);
    expect(rows.get('党员服务时长中位数')).toBe(3);
    expect(rows.get('巡查发现转网格事件')).toBe(1);
    expect(rows.get('小红帽志愿时长（小时）')).toBe(6.5);
    expect(rows.get('场地使用率')).toBeCloseTo(18.5 / 720, 10);
    expect(rows.get('待处理预约冲突')).toBe(1);
    expect(rows.get('党建工作经费余额')).toBe(800);
    expect(rows.get('党员关爱基金本期支出')).toBe(30);
    // The printed 通报 holds the same figures as the section words them.
    fireEvent.click(screen.getByRole('button', { name: '打印通报' }));
    const printed = within(await screen.findByTestId('overview-bulletin-party'));
    const line = (label: string) =>
      printed.getAllByRole('row').find((row) => row.children[1]?.textContent === label)?.children[2]?.textContent;
    expect(line('超期未复报到党员')).toBe('2');
    expect(line('红袖标巡查')).toBe('2次（发现3处）');
    expect(line('党建工作经费余额')).toBe('800.00元');
    const roomSheet = workbook.getWorksheet('各场地使用情况');
    expect((roomSheet?.getRow(3).values as unknown[]).slice(1)).toEqual([
      '西河A社区',
      '党员活动室',
      11,
      16.5,
      360,
      16.5 / 360,
      42,
    ]);
  });

  it('reads in English with the same numbers', async () => {
    const store = getStore();
    await seedFixture(store);
    renderOverview(store, 'en');
    await waitFor(() => expect(figure('members-checked')).toBe('3 / 4'), LOAD);
    expect(screen.getByText('Members not checked in this year (appraisal flag)')).toBeTruthy();
    expect(figure('posts')).toBe('2 / 3 (1 full)');
    expect(figure('fund-party-balance')).toBe('CNY 800.00');
    expect(figure('venue-occupancy')).toBe('2.6% (18.5 of 720.0 h)');
  });

  it('shows the demo community’s figures as the party and resources domains count them', async () => {
    const store = getStore();
    const today = chinaDate(new Date());
    const year = Number(today.slice(0, 4));
    const { doc: registry } = generateDemoCommunity(20261126, { residents: 600, today });
    const party = generateDemoParty(20261126, { registry, today });
    const resources = generateDemoResources(20261126, {
      registry,
      today,
      activities: new Map(party.docs),
    });
    const community = await store.addDemoCommunity(Y.encodeStateAsUpdate(registry));
    const years = [...new Set([...party.docs.keys(), ...resources.activities.keys()])];
    for (const y of years) {
      const doc = resources.activities.get(y) ?? party.docs.get(y);
      if (doc) Y.applyUpdate(await store.document(activities(community, y)), Y.encodeStateAsUpdate(doc), 'demo');
    }
    renderOverview(store);

    // What the domains say, each by its own function.
    const docs = [year - 1, year].flatMap((y) => {
      const doc = resources.activities.get(y) ?? party.docs.get(y);
      return doc ? [doc] : [];
    });
    const checkIns = docs.flatMap((d) => listPartyRecords(d, 'checkIns'));
    const members = listRecords(registry, 'residents').filter((r) => !r.deletedAt && r.tags.includes('party-member'));
    const states = members.map((m) =>
      checkInState(m.partyCheckIn, checkInsOf(checkIns, { kind: 'member', id: m.id }), today),
    );
    const thisYear = party.docs.get(year) ?? resources.activities.get(year);
    const never = appraisalRows(
      year,
      members.map((m) => m.id),
      thisYear ? listPartyRecords(thisYear, 'checkIns') : [],
      [],
      today,
    ).filter((r) => r.neverCheckedIn).length;
    const inMonth = (day: string) => day >= `${today.slice(0, 7)}-01` && day <= today;
    const patrols = docs
      .flatMap((d) => listPartyRecords(d, 'patrols'))
      .filter((p) => inMonth(chinaDate(new Date(p.startsAt))));
    const concerns = docs.flatMap((d) => listPartyRecords(d, 'concerns')).filter((c) => inMonth(c.on));
    const conflicts = docs.reduce((n, d) => n + bookingConflicts(listBookings(d)).length, 0);
    const entries = listFundEntries(registry).filter((e) => e.date <= today);
    const projects = listRecords(registry, 'projects');

    await waitFor(
      () =>
        expect(figure('members-checked')).toBe(
          `${states.filter((s) => s.status !== 'never').length}/${members.length}`,
        ),
      LOAD,
    );
    expect(members.length).toBeGreaterThan(0);
    expect(figure('members-overdue')).toBe(String(states.filter((s) => s.status === 'due').length));
    expect(never).toBeGreaterThan(0);
    expect(figure('members-never')).toBe(String(never));
    expect(figure('patrols')).toMatch(new RegExp(`^${patrols.length}次`));
    expect(figure('concerns')).toBe(String(concerns.length));
    // The demo holds one conflict made by two devices offline.
    expect(conflicts).toBe(1);
    expect(figure('venue-conflicts')).toBe('1');
    for (const fund of ['party', 'development', 'care'] as const) {
      expect(figure(`fund-${fund}-balance`)).toBe(`${(fundBalance(entries, fund) / 100).toFixed(2)}元`);
    }
    for (const status of ['published', 'approved', 'refused', 'contracted', 'closed'] as const) {
      expect(figure(`project-${status}`)).toBe(String(projects.filter((p) => p.status === status).length));
    }
    expect(projects.length).toBeGreaterThanOrEqual(5);
  });
});
