// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addActionItem, recordVote, signIn } from '@shared/domain/meetings/commands';
import {
  createBuilding,
  createCompound,
  createHousehold,
  createVolunteer,
  createZone,
} from '@shared/domain/registry/commands';
import { addResident } from '../../shared/domain/registry/fixtures';
import { intakeCase } from '@shared/domain/mediation/commands';
import { listMeetings, readMeeting } from '@shared/ydoc/meetings';
import { MeetingPage } from '../../../../renderer/features/meetings/MeetingPage';
import { ActionItemsList } from '../../../../renderer/features/meetings/ActionItemsList';
import { chinaInstant, CreateMeeting } from '../../../../renderer/features/meetings/CreateMeeting';
import { MeetingCalendar, monthGrid } from '../../../../renderer/features/meetings/MeetingCalendar';
import { inPeriod, MeetingList } from '../../../../renderer/features/meetings/MeetingList';
import { MeetingsDashboard } from '../../../../renderer/features/meetings/MeetingsDashboard';
import { PrintView } from '../../../../renderer/features/meetings/print/PrintView';
import { LOAD, useTestStore, value } from '../storeFixture';
import { community, must, renderMeetings, seedMeeting, YEAR } from './meetingFixture';

const getStore = useTestStore();

describe('meeting list', () => {
  it('filters by type and status, searches, and opens a meeting with Enter', async () => {
    const store = getStore();
    const first = await seedMeeting(store, { title: '十一月居民代表会议', started: false });
    await seedMeeting(store, { title: '十二月居民代表会议', started: true });
    const { location } = renderMeetings(store, <MeetingList community={community} />);
    await waitFor(() => expect(screen.getAllByTestId('meeting-row')).toHaveLength(2), LOAD);
    expect(screen.getByTestId('meeting-count').textContent).toBe('共2次会议');

    fireEvent.change(screen.getByLabelText('状态'), { target: { value: 'in-progress' } });
    await waitFor(() => expect(screen.getAllByTestId('meeting-row')).toHaveLength(1));
    expect(screen.getByTestId('meeting-row').textContent).toContain('十二月居民代表会议');
    fireEvent.change(screen.getByLabelText('状态'), { target: { value: '' } });

    fireEvent.change(screen.getByLabelText('会议类型'), { target: { value: 'owners-assembly' } });
    await waitFor(() => expect(screen.queryAllByTestId('meeting-row')).toHaveLength(0));
    expect(screen.getByText('没有符合条件的会议。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('会议类型'), { target: { value: '' } });

    // Search reaches agenda items as well as titles.
    fireEvent.change(screen.getByLabelText('查找会议'), { target: { value: '十一月' } });
    await waitFor(() => expect(screen.getAllByTestId('meeting-row')).toHaveLength(1));
    const row = screen.getByTestId('meeting-row');
    expect(row.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(row, { key: 'Enter' });
    expect(location.history.at(-1)).toBe(`/m/${YEAR}/${first.id}`);
  });

  it('puts meetings on their day of the month grid, Monday first', async () => {
    expect(monthGrid(2026, 3)[0]).toEqual([null, null, null, null, null, null, '2026-03-01']);
    expect(monthGrid(2026, 3).flat().filter(Boolean)).toHaveLength(31);
    expect(monthGrid(2026, 2).at(-1)?.at(-1)).toBe(null);
    const store = getStore();
    const { id } = await seedMeeting(store, { title: '月历上的会议', started: false });
    renderMeetings(store, <MeetingCalendar community={community} />);
    const grid = await screen.findByRole('table', { name: '会议日历' }, LOAD);
    const upcoming = await screen.findByRole('link', { name: /\d{2}:\d{2} 月历上的会议 · 社区议事厅/ }, LOAD);
    expect(upcoming.getAttribute('href')).toContain(`/m/${YEAR}/${id}`);
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const shownMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    // The grid shows this month; tomorrow may be in the next one.
    if (tomorrow.slice(0, 7) !== shownMonth) fireEvent.click(screen.getByRole('button', { name: '下个月' }));
    const link = await within(grid).findByRole('link', { name: '09:00 月历上的会议' });
    expect(link.closest('td')?.getAttribute('data-day')).toBe(tomorrow);
  });

  it('knows which period a day falls in', () => {
    expect(inPeriod('2026-11-27', 'upcoming', '2026-11-26')).toBe(true);
    expect(inPeriod('2026-11-25', 'upcoming', '2026-11-26')).toBe(false);
    expect(inPeriod('2026-11-01', 'this-month', '2026-11-26')).toBe(true);
    expect(inPeriod('2025-12-31', 'last-year', '2026-11-26')).toBe(true);
    expect(inPeriod('2025-12-31', 'this-year', '2026-11-26')).toBe(false);
    expect(inPeriod('2027-01-08', 'next-year', '2026-11-26')).toBe(true);
    expect(inPeriod('2026-12-31', 'next-year', '2026-11-26')).toBe(false);
  });
});

describe('new meeting', () => {
  it('reads the typed time as China time whatever the device zone', () => {
    expect(chinaInstant('2026-03-10T09:00')).toBe('2026-03-10T01:00:00.000Z');
    expect(chinaInstant('2026-03-10')).toBeNull();
  });

  it('expects every head of the zone at a five-heads meeting and creates it', async () => {
    const store = getStore();
    const ctx = store.commandContext();
    const { doc } = await store.registry(community);
    const volunteer = value(createVolunteer(doc, ctx, { name: '刘片长', phone: '13900001111' }));
    const courtyardHead = value(createVolunteer(doc, ctx, { name: '陈院长', phone: '13900002222' }));
    const buildingHead = value(createVolunteer(doc, ctx, { name: '赵楼长', phone: '13900003333' }));
    const area = value(
      createZone(doc, ctx, { level: 'area', name: '东片区', head: { kind: 'volunteer', id: volunteer } }),
    );
    const courtyard = value(
      createZone(doc, ctx, {
        level: 'courtyard',
        name: '1号院',
        parentId: area,
        head: { kind: 'volunteer', id: courtyardHead },
      }),
    );
    const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
    value(
      createBuilding(doc, ctx, {
        compoundId: compound,
        name: '3栋',
        zoneId: courtyard,
        head: { kind: 'volunteer', id: buildingHead },
      }),
    );
    const { location } = renderMeetings(store, <CreateMeeting community={community} />, '/new');
    fireEvent.change(screen.getByLabelText('会议类型'), { target: { value: 'five-heads' } });
    const zone = await screen.findByLabelText(/^片区\/院落/);
    await waitFor(() => expect(within(zone).getAllByRole('option').length).toBeGreaterThan(1), LOAD);
    fireEvent.change(zone, { target: { value: area } });
    const preview = screen.getByTestId('expected-preview');
    await waitFor(() => expect(preview.textContent).toContain('应到3人'), LOAD);
    expect(preview.textContent).toContain('刘片长、陈院长、赵楼长');
    expect(screen.getByText(/仅作提示/)).toBeTruthy();
    // The office makes this meeting's quorum binding and asks for a two-thirds quorum (practice, so configurable).
    fireEvent.click(screen.getByLabelText('出席不足时不能表决'));
    fireEvent.change(screen.getByLabelText('出席要求'), { target: { value: '2/3/at-least' } });
    await waitFor(() => expect(screen.queryByText(/仅作提示/)).toBeNull());
    expect(screen.getByText(/出席：应到人员2\/3以上/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/^会议名称/), { target: { value: '五长联席会议（东片区）' } });
    fireEvent.change(screen.getByLabelText(/^会议时间/), { target: { value: `${YEAR}-12-01T14:30` } });
    fireEvent.change(screen.getByLabelText(/^会议地点/), { target: { value: '东片区活动室' } });
    fireEvent.change(screen.getByLabelText(/^主持人/), { target: { value: '刘片长' } });
    fireEvent.change(screen.getByLabelText(/^召集人/), { target: { value: '张主任' } });
    fireEvent.change(screen.getByLabelText(/^记录人/), { target: { value: '王记录' } });
    fireEvent.click(screen.getByRole('button', { name: '创建会议' }));
    await waitFor(() => expect(location.history.at(-1)).toMatch(new RegExp(`^/m/${YEAR}/`)));
    const meetings = listMeetings(await store.document(`${community}/meetings/${YEAR}`));
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({
      type: 'five-heads',
      title: '五长联席会议（东片区）',
      startsAt: `${YEAR}-12-01T06:30:00.000Z`,
      scope: { kind: 'zone', zoneId: area },
      rules: { binding: true, quorum: { num: 2, den: 3, comparison: 'at-least' } },
    });
  });
});

describe('representatives from the registry', () => {
  it('adds a registered resident found by search to the expected list, with the resident id', async () => {
    const store = getStore();
    const ctx = store.commandContext();
    const { doc } = await store.registry(community);
    const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
    const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
    const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
    const resident = value(addResident(doc, ctx, household, { name: '欧阳代表' }));
    renderMeetings(store, <CreateMeeting community={community} />, '/new');
    fireEvent.change(await screen.findByLabelText('从居民名册添加居民代表'), { target: { value: 'oy' } });
    const hit = await screen.findByTestId('picker-hit', {}, LOAD);
    expect(hit.textContent).toContain('欧阳代表');
    fireEvent.click(hit);
    fireEvent.change(screen.getByLabelText(/^应到人员/), { target: { value: '无名代表' } });
    await waitFor(() => expect(screen.getByTestId('expected-preview').textContent).toContain('应到2人'), LOAD);
    fireEvent.change(screen.getByLabelText(/^会议名称/), { target: { value: '居民代表会议' } });
    fireEvent.change(screen.getByLabelText(/^会议时间/), { target: { value: `${YEAR}-12-02T09:00` } });
    fireEvent.change(screen.getByLabelText(/^会议地点/), { target: { value: '议事厅' } });
    fireEvent.change(screen.getByLabelText(/^主持人/), { target: { value: '欧阳代表' } });
    fireEvent.change(screen.getByLabelText(/^召集人/), { target: { value: '张主任' } });
    fireEvent.change(screen.getByLabelText(/^记录人/), { target: { value: '王记录' } });
    fireEvent.click(screen.getByRole('button', { name: '创建会议' }));
    const name = `${community}/meetings/${YEAR}`;
    await waitFor(async () => expect(listMeetings(await store.document(name))).toHaveLength(1));
    const [meeting] = listMeetings(await store.document(name));
    expect(meeting?.scope).toEqual({
      kind: 'list',
      people: [
        { name: '欧阳代表', residentId: resident },
        { name: '无名代表', residentId: null },
      ],
    });
  });
});

describe('case links', () => {
  it('links the meeting to a mediation case of its year and unlinks it', async () => {
    const store = getStore();
    const cases = await store.document(`${community}/cases/${YEAR}`);
    const caseId = must(
      intakeCase(
        cases,
        store.commandContext(),
        {
          place: { buildingId: null, householdId: null, address: '北湖路12号' },
          source: 'resident-request',
          category: 'water-leak',
          risk: 'yellow',
          parties: [
            { role: 'applicant', name: '周申请' },
            { role: 'respondent', name: '吴被申' },
          ],
          facts: '楼上漏水到楼下',
        },
        null,
      ),
    );
    const { id, doc } = await seedMeeting(store, { started: false });
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);
    const picker = await screen.findByLabelText('选择本年度案件', {}, LOAD);
    await waitFor(() => expect(within(picker).getAllByRole('option')).toHaveLength(2));
    // The case number is written as on the case's own pages (issue 18 item 16: it was shown two ways).
    expect(within(picker).getAllByRole('option')[1]?.textContent).toMatch(
      new RegExp(`^\\(${YEAR}\\)\\S*人调字第 \\d+ 号 周申请、吴被申$`),
    );
    fireEvent.change(picker, { target: { value: caseId } });
    fireEvent.click(screen.getByRole('button', { name: '关联' }));
    await waitFor(() => expect(readMeeting(doc, id)?.caseIds).toEqual([caseId]));
    expect((await screen.findByText(/周申请、吴被申/, { selector: 'p' })).textContent).toContain(String(YEAR));
    fireEvent.click(screen.getByRole('button', { name: '取消关联' }));
    await waitFor(() => expect(readMeeting(doc, id)?.caseIds).toEqual([]));
  });
});

describe('prints and action items', () => {
  async function heldMeeting() {
    const store = getStore();
    const seeded = await seedMeeting(store);
    const { doc, ctx, id, itemId, registry } = seeded;
    must(signIn(doc, ctx, { meetingId: id, key: 'name:代表甲', status: 'present' }));
    must(signIn(doc, ctx, { meetingId: id, key: 'name:代表乙', status: 'late' }));
    must(signIn(doc, ctx, { meetingId: id, key: 'name:代表丙', status: 'absent', reason: '住院' }));
    must(
      recordVote(
        doc,
        ctx,
        {
          meetingId: id,
          itemId,
          vote: { mode: 'by-count', for: 2, against: 0, abstain: 0 },
          resolution: '划定临时停车位',
        },
        registry,
      ),
    );
    must(
      addActionItem(doc, ctx, {
        meetingId: id,
        title: '施划停车线',
        owner: { name: '王记录' },
        deadline: '2000-01-01',
      }),
    );
    return { store, ...seeded };
  }

  it('prints the minutes with attendance by name, the vote and the resolution, through the platform', async () => {
    const { store, id } = await heldMeeting();
    const printed: unknown[] = [];
    const { location } = renderMeetings(
      store,
      <PrintView community={community} year={YEAR} id={id} kind="minutes" />,
      '/',
      printed,
    );
    const page = await screen.findByTestId('print-page', {}, LOAD);
    expect(page.textContent).toContain('居民代表会议（十一月）会议记录');
    expect(within(page).getByTestId('print-expected').textContent).toBe('代表丙、代表乙、代表甲');
    expect(within(page).getByTestId('print-present').textContent).toBe('代表乙（迟到）、代表甲');
    expect(page.textContent).toContain('缺席（1人）代表丙（住院）');
    expect(page.textContent).toContain('赞成2票、反对0票、弃权0票');
    expect(page.textContent).toContain('决议：划定临时停车位（通过）');
    expect(page.textContent).toContain('施划停车线');
    // The document sits outside the app's layout, so the print CSS can hide everything else.
    expect(page.closest('.cgw-print-root')?.parentElement).toBe(document.body);
    expect(document.body.classList.contains('cgw-printing')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '打印 / 导出PDF' }));
    // Keyboard: the print button has focus on open; Escape closes the preview back to the meeting.
    expect(document.activeElement?.textContent).toBe('打印 / 导出PDF');
    fireEvent.keyDown(page, { key: 'Escape' });
    expect(location.history.at(-1)).toBe(`/m/${YEAR}/${id}`);
    // Printed once the print is in the PIPL log (features/registry/printAudit.ts).
    await waitFor(
      () =>
        expect(printed).toEqual([
          { defaultName: '居民代表会议（十一月）-会议记录.pdf', pageSize: 'A4', title: '居民代表会议（十一月）' },
        ]),
      LOAD,
    );
  });

  it('prints a sign-in sheet with a line per expected attendee and spare lines', async () => {
    const { store, id } = await heldMeeting();
    renderMeetings(store, <PrintView community={community} year={YEAR} id={id} kind="sign-in" />);
    const page = await screen.findByTestId('print-page', {}, LOAD);
    const rows = within(page).getAllByRole('row');
    expect(rows).toHaveLength(1 + 20);
    expect(rows[1]?.textContent).toBe('1代表丙');
  });

  it('warns on the notice when it goes up later than the type asks', async () => {
    const store = getStore();
    const { id } = await seedMeeting(store, { started: false });
    renderMeetings(store, <PrintView community={community} year={YEAR} id={id} kind="notice" />);
    expect((await screen.findByTestId('notice-warning', {}, LOAD)).textContent).toBe(
      '通知只提前了1天发布，本类会议要求至少提前2天。',
    );
    expect(screen.getByTestId('print-page').textContent).toContain(
      '社区议事厅召开居民代表会议（十一月），会议议题如下：小区停车管理',
    );
  });

  it("shows an open action item on its owner's list and the dashboard until it is answered", async () => {
    const { store } = await heldMeeting();
    store.actAs({ id: 'account-王记录', name: '王记录', createdBy: null });
    await store.createCommunity({ id: community, name: '测试社区' });
    renderMeetings(store, <ActionItemsList community={community} />);
    const row = await screen.findByTestId('my-action-item', {}, LOAD);
    expect(row.textContent).toContain('施划停车线');
    expect(row.textContent).toContain('已逾期');
    renderMeetings(store, <MeetingsDashboard />);
    // Marked as mine once the person of this community is known (not another community's answer meanwhile).
    await waitFor(() => expect(screen.getByTestId('dashboard-action-item').textContent).toContain('我的'), LOAD);
    fireEvent.change(within(row).getByLabelText('“施划停车线”的落实情况'), { target: { value: '已施划完毕' } });
    fireEvent.click(within(row).getByRole('button', { name: '办结' }));
    await waitFor(() => expect(screen.queryAllByTestId('my-action-item')).toHaveLength(0));
    await waitFor(() => expect(screen.queryAllByTestId('dashboard-action-item')).toHaveLength(0));
  });

  it("leaves someone else's item off my list but shows it under everyone's", async () => {
    const { store } = await heldMeeting();
    store.actAs({ id: 'account-别人', name: '别人', createdBy: null });
    renderMeetings(store, <ActionItemsList community={community} />);
    expect(await screen.findByText('没有待落实的事项。', {}, LOAD)).toBeTruthy();
    fireEvent.click(screen.getByText('全部'));
    expect((await screen.findByTestId('my-action-item')).textContent).toContain('王记录');
  });
});
