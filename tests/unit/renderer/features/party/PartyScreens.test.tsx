/**
 * The party sections' screens (issue 21) on the real store: a member checks in (the list shows the re-check-in due),
 * a post is claimed once (the second claim is worded), service hours past 24 are refused and right ones listed, the
 * 民主评议 list flags the member who never checked in, a patrol finding becomes a grid event with one action, a
 * 三平台 organisation is set up with a resident, and a viewer is offered no form.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { createPost, recordCheckIn, recordPatrol } from '@shared/domain/party/commands';
import { createBuilding, createCompound, createHousehold, createResident } from '@shared/domain/registry/commands';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { listIncidents } from '@shared/ydoc/incidents';
import { listPartyRecords } from '@shared/ydoc/party';
import { listRecords } from '@shared/ydoc/registry';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { MembersSection, PlatformsSection, SanhongSection } from '../../../../../renderer/features/party';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-party');
const activities = docName({ community, collection: 'activities', year: 2026 });
const SLOW = { timeout: 20_000 };

// Today is Wednesday 18 November 2026 (only `Date` is faked; timers stay real).
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
  const person = (n: number, name: string, tags: ('party-member' | 'volunteer')[]) =>
    value(
      createResident(doc, ctx, {
        name,
        idNumber: makeIdNumber('511302', `1970-01-0${n}`, seqForSex(n, 'male')),
        householdId: household,
        tags,
      }),
    );
  const wang = person(1, '王建国', ['party-member']);
  const li = person(2, '李秀英', ['party-member']);
  const zhang = person(3, '张伟', ['volunteer']);
  return { doc, ctx, compound, wang, li, zhang };
}

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

const memberRow = (name: string) =>
  screen.getAllByTestId('party-member-row').find((row) => row.textContent.includes(name)) as HTMLElement;

describe('双报到', () => {
  it('records a member’s check-in from the form and shows the re-check-in due in six months', async () => {
    const store = getStore();
    const { wang } = await seed(store);
    renderAt(store, <MembersSection community={community} />);
    await waitFor(() => expect(screen.getAllByTestId('party-member-row')).toHaveLength(2), SLOW);
    expect(within(memberRow('王建国')).getByText('未报到')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^党员/), { target: { value: wang } });
    fireEvent.change(screen.getByLabelText('工作单位'), { target: { value: '南充市第一中学' } });
    fireEvent.click(screen.getByRole('button', { name: '登记报到' }));
    await waitFor(() => expect(within(memberRow('王建国')).getByText('2027-05-18 前复报到')).toBeTruthy(), LOAD);
    expect(memberRow('王建国').textContent).toContain('南充市第一中学');
    const doc = await store.document(activities);
    expect(listPartyRecords(doc, 'checkIns')).toMatchObject([
      { subject: { kind: 'member', id: wang }, kind: 'first', on: '2026-11-18', workplace: '南充市第一中学' },
    ]);
  });

  it('claims a post once, words the second claim, and refuses 25 hours while taking 2.5', async () => {
    const store = getStore();
    const { doc, ctx, wang } = await seed(store);
    value(createPost(doc, ctx, { title: '楼道清洁', kind: 'post', category: 'governance', capacity: 3 }));
    renderAt(store, <MembersSection community={community} />, '/posts');
    const select = await screen.findByLabelText('“楼道清洁”的认领人', {}, SLOW);
    const claim = () => {
      fireEvent.change(select, { target: { value: `member:${wang}` } });
      fireEvent.click(screen.getByRole('button', { name: '认领' }));
    };
    claim();
    await waitFor(() => expect(screen.getByTestId('party-post-claimants').textContent).toBe('王建国'), LOAD);
    expect(screen.getByText('1/3')).toBeTruthy();
    claim();
    expect((await screen.findByRole('alert')).textContent).toBe('已认领过这个岗位，不能重复认领');

    // 服务记录: the post is offered to the one who claimed it; hours past a day are refused.
    fireEvent.click(screen.getByRole('link', { name: '服务记录' }));
    const form = await screen.findByTestId('party-service-form', {}, LOAD);
    fireEvent.change(within(form).getByLabelText(/^报到对象/), { target: { value: `member:${wang}` } });
    const post = within(form).getByLabelText<HTMLSelectElement>('服务岗位');
    expect([...post.options].map((o) => o.textContent)).toEqual(['不对应岗位', '楼道清洁']);
    fireEvent.change(post, { target: { value: post.options[1]?.value } });
    fireEvent.change(within(form).getByLabelText(/^服务时长/), { target: { value: '25' } });
    fireEvent.change(within(form).getByLabelText(/^内容/), { target: { value: '清扫楼道' } });
    fireEvent.click(within(form).getByRole('button', { name: '登记服务' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('服务时长（小时）太长');
    fireEvent.change(within(form).getByLabelText(/^服务时长/), { target: { value: '2.5' } });
    fireEvent.click(within(form).getByRole('button', { name: '登记服务' }));
    await waitFor(() => expect(screen.getAllByTestId('party-service-row')).toHaveLength(1), LOAD);
    expect(screen.getByTestId('party-service-row').textContent).toContain('2.5');
    expect(screen.getByTestId('party-service-row').textContent).toContain('楼道清洁');
  });

  it('flags for 民主评议 the member who never checked in this year', async () => {
    const store = getStore();
    const { doc: registry, wang } = await seed(store);
    const doc = await store.document(activities);
    value(
      recordCheckIn(
        doc,
        store.commandContext(community),
        { subject: { kind: 'member', id: wang }, on: '2026-03-02' },
        { registry },
      ),
    );
    renderAt(store, <MembersSection community={community} />, '/appraisal');
    await waitFor(() => expect(screen.getAllByTestId('party-appraisal-row')).toHaveLength(2), SLOW);
    const rows = screen.getAllByTestId('party-appraisal-row');
    const li = rows.find((r) => r.textContent.includes('李秀英')) as HTMLElement;
    const wangRow = rows.find((r) => r.textContent.includes('王建国')) as HTMLElement;
    expect(li.dataset.never).toBe('yes');
    expect(within(li).getByText('未报到，不能评为合格')).toBeTruthy();
    expect(wangRow.dataset.never).toBe('no');
    expect(wangRow.textContent).toContain('2026-03-02');
    expect(screen.getByTestId('party-appraisal-summary').textContent).toBe(
      '党员 2 名，其中全年未报到 1 名（不能评为合格）。',
    );
  });
});

describe('三红三百 and 三平台', () => {
  it('turns a patrol finding into a grid event with one action, and shows the link', async () => {
    const store = getStore();
    const { doc: registry, zhang } = await seed(store);
    const doc = await store.document(activities);
    value(
      recordPatrol(
        doc,
        store.commandContext(community),
        {
          route: '商业街',
          startsAt: '2026-11-17T11:00:00Z',
          endsAt: '2026-11-17T12:00:00Z',
          patrollerIds: [zhang],
          findings: [{ text: '消防通道被堵', place: '步行街 3 号' }],
        },
        { registry },
      ),
    );
    renderAt(store, <SanhongSection community={community} />);
    const finding = await screen.findByTestId('party-finding', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('party-patrol').textContent).toContain('巡查人员：张伟'), LOAD);
    fireEvent.click(within(finding).getByRole('button', { name: '把发现 1 转为网格事件' }));
    fireEvent.click(within(finding).getByRole('button', { name: '登记为网格事件' }));
    const link = await within(finding).findByTestId('party-out-link', {}, LOAD);
    const incidents = listIncidents(
      await store.document(docName({ community, collection: 'incidents', year: 2026 })),
      DEFAULT_LIMITS,
    );
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.base).toMatchObject({
      title: '消防通道被堵',
      source: 'patrol',
      place: { text: '步行街 3 号' },
    });
    expect(link.textContent).toBe(`已转网格事件 2026/${incidents[0]?.base.id}`);
    expect(link.getAttribute('href')).toBe(`/events/e/2026/${incidents[0]?.base.id}`);
  });

  it('sets up a compound’s party branch with a resident picked from the registry', async () => {
    const store = getStore();
    await seed(store);
    renderAt(store, <PlatformsSection community={community} />);
    const branch = await waitFor(() => {
      const card = screen.getAllByTestId('party-platform').find((c) => c.dataset.kind === 'party-branch');
      if (!card) throw new Error('no branch card');
      return card;
    }, SLOW);
    fireEvent.change(within(branch).getByRole('searchbox'), { target: { value: '李秀英' } });
    fireEvent.click(await within(branch).findByTestId('party-pick-hit', {}, LOAD));
    fireEvent.click(within(branch).getByRole('button', { name: '设立' }));
    await waitFor(() => expect(within(branch).getByText('李秀英（负责人）')).toBeTruthy(), LOAD);
    const { doc } = await store.registry(community);
    expect(listRecords(doc, 'platforms')).toMatchObject([{ kind: 'party-branch', memberIds: [expect.any(String)] }]);
  });

  it('offers a viewer the lists but no form', async () => {
    const store = getStore();
    await seed(store);
    store.setRole('viewer');
    renderAt(store, <MembersSection community={community} />);
    await waitFor(() => expect(screen.getAllByTestId('party-member-row')).toHaveLength(2), SLOW);
    expect(screen.queryByTestId('party-checkin-form')).toBeNull();
    expect(screen.queryByRole('button', { name: '登记报到' })).toBeNull();
  });
});
