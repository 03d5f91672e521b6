/**
 * 社情民意's screens (issue 20): the office queue (lights and working days, filters, Enter opens), the 登记 form's
 * messages and what it stores (the photo included), and an event's actions run through its page from 受理 to a
 * 不满意 call-back that reopens it, each refusal said in words.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { chinaDate } from '@shared/domain/dates';
import {
  acceptIncident,
  assignIncident,
  reportIncident,
  requestIncidentClose,
  verifyIncident,
  type IncidentsEnv,
} from '@shared/domain/incidents/commands';
import { readIncidentFile } from '@shared/domain/incidents/files';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import type { IncidentFieldsInput } from '@shared/domain/incidents/types';
import type { CommandContext, CommandResult, Permission } from '@shared/domain/kernel';
import { domainError } from '@shared/domain/result';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { listIncidents, readIncident } from '@shared/ydoc/incidents';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { IncidentPage } from '../../../../../renderer/features/incidents/IncidentPage';
import { IncidentQueue } from '../../../../../renderer/features/incidents/IncidentQueue';
import { describeIncidentError } from '../../../../../renderer/features/incidents/labels';
import { ReportForm } from '../../../../../renderer/features/incidents/ReportForm';
import { translate } from '../../../../../renderer/i18n';
import { PlatformProvider, type Platform } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

// Mantine's autosizing Textarea listens to `document.fonts`, which jsdom lacks: a behaviour-free stand-in.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    configurable: true,
    value: { addEventListener: () => undefined, removeEventListener: () => undefined },
  });
}

const getStore = useTestStore();
const community = toCommunityId('test-events');
const today = chinaDate(new Date());
const YEAR = Number(today.slice(0, 4));
const env: IncidentsEnv = { calendar: nationalCalendar(), limits: DEFAULT_LIMITS };
const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('zh-CN', key, params);

function must<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let ids = 0;
function ctxOf(permissions: readonly Permission[], at: Date = new Date()): CommandContext {
  return {
    actor: { userId: 'u-office', userName: '社区干部李明', deviceId: 'dev-office' },
    now: () => at,
    newId: () => `inc-${String(++ids).padStart(5, '0')}`,
    permissions: new Set(permissions),
  };
}
const OFFICE: readonly Permission[] = ['incidents.edit', 'incidents.dispatch'];

function fields(overrides: Partial<IncidentFieldsInput> = {}): IncidentFieldsInput {
  return {
    title: '3栋楼道堆放杂物',
    content: '楼道堆放纸箱，有消防隐患。',
    occurredAt: new Date().toISOString(),
    place: { grid: null, compound: null, building: null, household: null, text: '3栋2单元' },
    category: 'opinion',
    subCategory: '消防隐患',
    kind: 'complaint',
    urgency: 'normal',
    peopleInvolved: 3,
    reporter: { name: '刘阿姨', phone: '13800001234', anonymous: false },
    source: 'patrol',
    attachments: [],
    ...overrides,
  };
}

async function docOf(store: WorkstationStore, year = YEAR) {
  return store.document(docName({ community, collection: 'incidents', year }));
}

async function report(store: WorkstationStore, overrides: Partial<IncidentFieldsInput> = {}, at = new Date()) {
  return must(
    reportIncident(await docOf(store, Number(chinaDate(at).slice(0, 4))), ctxOf(OFFICE, at), {
      community,
      ...fields(overrides),
    }),
  );
}

function renderEvents(store: WorkstationStore, ui: ReactElement, path = '/', platform: Partial<Platform> = {}) {
  const location = memoryLocation({ path, record: true });
  const result = renderUi(
    <PlatformProvider platform={testPlatform([], platform)}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return { ...result, location };
}

const rows = () => screen.queryAllByTestId('incident-row');
const select = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('the office queue', { timeout: 60_000 }, () => {
  it('lists open events reddest first with the working days of their stage, filters by state and category, Enter opens', async () => {
    const store = getStore();
    // Reported on 2 March last year and never accepted: its one-day acceptance limit is long past.
    const stale = await report(
      store,
      { title: '路灯不亮', category: 'other' },
      new Date(`${YEAR - 1}-03-02T02:00:00Z`),
    );
    const fresh = await report(store, { title: '噪音扰民', category: 'dispute', kind: 'help' });
    const doc = await docOf(store);
    must(acceptIncident(doc, ctxOf(OFFICE), { incidentId: fresh }, env));
    const done = await report(store, { title: '井盖松动' });
    must(acceptIncident(doc, ctxOf(OFFICE), { incidentId: done }, env));
    must(
      assignIncident(doc, ctxOf(OFFICE), { incidentId: done, to: { kind: 'unit', name: '市政所', ref: null } }, env),
    );
    must(requestIncidentClose(doc, ctxOf(OFFICE), { incidentId: done, closure: 'substantive', note: '已修复' }, env));
    must(verifyIncident(doc, ctxOf(OFFICE), { incidentId: done }, env));

    const { location } = renderEvents(store, <IncidentQueue community={community} />);
    await waitFor(() => expect(rows()).toHaveLength(2), LOAD);
    expect(screen.getByTestId('incident-count').textContent).toBe('共 2 件');
    expect(rows()[0]?.textContent).toContain('路灯不亮');
    expect(rows()[0]?.getAttribute('data-light')).toBe('red');
    expect(within(rows()[0] as HTMLElement).getByTestId('incident-due').textContent).toMatch(/^受理超期\d+个工作日$/);
    expect(rows()[1]?.textContent).toContain('噪音扰民');
    // 求助: seven working days of handling from today; green until 70 % of them.
    expect(within(rows()[1] as HTMLElement).getByTestId('incident-due').textContent).toBe('处置剩7个工作日');
    expect(rows()[1]?.getAttribute('data-light')).toBe('green');
    expect(screen.getByTestId('incident-fig-reported').textContent).toBe('1');
    expect(screen.getByTestId('incident-fig-inhand').textContent).toBe('1');
    expect(screen.getByTestId('incident-fig-red').textContent).toBe('1');

    select('状态', 'closed');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('井盖松动');
    expect(rows()[0]?.textContent).toContain('已结案');
    select('状态', '');
    await waitFor(() => expect(rows()).toHaveLength(3));
    select('大类', 'dispute');
    await waitFor(() => expect(rows()).toHaveLength(1));
    select('大类', '');
    select('时限', 'red');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('路灯不亮');

    fireEvent.keyDown(rows()[0] as HTMLElement, { key: 'Enter' });
    expect(location.history.at(-1)).toBe(`/e/${YEAR - 1}/${stale}`);
  });
});

describe('the 登记 form', { timeout: 60_000 }, () => {
  it('says every missing field at once, then stores the event with its photo', async () => {
    const store = getStore();
    const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    renderEvents(store, <ReportForm community={community} />, '/new', {
      openFile: () => Promise.resolve({ path: '/tmp/现场.png', name: '现场.png', bytes: PNG }),
    });
    const form = await screen.findByTestId('incident-report-form', undefined, LOAD);
    fireEvent.click(within(form).getByRole('button', { name: '提交' }));
    await screen.findByTestId('incident-form-errors');
    expect(screen.getByText('标题必须填写')).toBeTruthy();
    expect(screen.getByText('内容必须填写')).toBeTruthy();
    expect(screen.getByText('请选择网格或小区，或填写地点描述。')).toBeTruthy();
    expect(listIncidents(await docOf(store), DEFAULT_LIMITS)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText(/标题/), { target: { value: '小区门口积水' } });
    fireEvent.change(screen.getByLabelText(/内容/), { target: { value: '暴雨后门口积水没过脚踝。' } });
    fireEvent.change(screen.getByLabelText('地点描述'), { target: { value: '东门' } });
    select('诉求类型', 'complaint');
    select('来源', 'volunteer');
    fireEvent.change(screen.getByLabelText('涉及人数'), { target: { value: '0' } });
    fireEvent.click(within(form).getByRole('button', { name: '提交' }));
    await waitFor(() => expect(screen.getByText('涉及人数格式不正确')).toBeTruthy());
    expect(screen.queryByText('标题必须填写')).toBeNull();
    fireEvent.change(screen.getByLabelText('涉及人数'), { target: { value: '12' } });

    fireEvent.click(screen.getByRole('button', { name: '添加照片或附件…' }));
    await screen.findByText('现场.png');
    fireEvent.click(within(form).getByRole('button', { name: '提交' }));
    await screen.findByText('已登记：小区门口积水。', undefined, LOAD);

    const [stored] = listIncidents(await docOf(store), DEFAULT_LIMITS);
    expect(stored?.status).toBe('reported');
    expect(stored?.base).toMatchObject({
      title: '小区门口积水',
      kind: 'complaint',
      source: 'volunteer',
      peopleInvolved: 12,
      place: { grid: null, text: '东门' },
    });
    expect(stored?.base.attachments).toHaveLength(1);
    const file = readIncidentFile(await docOf(store), stored?.base.attachments[0] ?? '');
    expect(file?.name).toBe('现场.png');
    expect(file?.data.startsWith('data:image/png;base64,')).toBe(true);
  });
});

describe("an event's page", { timeout: 60_000 }, () => {
  it('offers what the state allows and runs each action: 不予受理 refused without a reason, 受理, 交办 with 抄告, 申请结案, 结案', async () => {
    const store = getStore();
    const id = await report(store);
    renderEvents(store, <IncidentPage community={community} year={YEAR} id={id} />);
    const status = () => screen.getByTestId('incident-status').textContent;
    await waitFor(() => expect(status()).toBe('待受理'), LOAD);
    const actions = () => within(screen.getByTestId('incident-actions'));
    for (const name of ['受理', '不予受理', '上报', '合并为重复', '关联']) {
      expect(actions().getByRole('button', { name })).toBeTruthy();
    }
    expect(actions().queryByRole('button', { name: '申请结案' })).toBeNull();

    // 不予受理 without a reason is refused in words, and nothing is written.
    fireEvent.click(actions().getByRole('button', { name: '不予受理' }));
    fireEvent.click(actions().getByRole('button', { name: '提交' }));
    await screen.findByText('理由必须填写');
    fireEvent.click(actions().getByRole('button', { name: '取消' }));

    fireEvent.click(actions().getByRole('button', { name: '受理' }));
    await waitFor(() => expect(status()).toBe('已受理'));
    fireEvent.click(actions().getByRole('button', { name: '交办' }));
    select('交办对象', 'unit');
    fireEvent.change(screen.getByLabelText(/单位名称/), { target: { value: '市政所' } });
    fireEvent.change(screen.getByLabelText(/抄告/), { target: { value: '物业公司，派出所' } });
    fireEvent.click(actions().getByRole('button', { name: '提交' }));
    await waitFor(() => expect(status()).toBe('处置中'));
    expect(screen.getByTestId('incident-assignee').textContent).toBe('单位 · 市政所');
    expect(screen.getByTestId('incident-timeline').textContent).toContain('交办给单位 · 市政所，抄告物业公司、派出所');

    fireEvent.click(actions().getByRole('button', { name: '申请结案' }));
    select('办结类型', 'procedural');
    select('程序性办结类型', 'project-list');
    fireEvent.change(screen.getByLabelText(/处置情况/), { target: { value: '已纳入明年改造计划' } });
    fireEvent.click(actions().getByRole('button', { name: '提交' }));
    await waitFor(() => expect(status()).toBe('待核查'));
    expect(screen.getByTestId('incident-timeline').textContent).toContain(
      '申请结案（程序性办结 · 纳入项目库）：已纳入明年改造计划',
    );

    fireEvent.click(actions().getByRole('button', { name: '核查通过并结案' }));
    await waitFor(() => expect(status()).toBe('已结案'));
    // Another account recorded it than the one that asked to close it: the call-back is due, not the archive.
    expect(actions().getByRole('button', { name: '回访' })).toBeTruthy();
    expect(actions().queryByRole('button', { name: '归档' })).toBeNull();
  });

  it('a 不满意 call-back needs the resident’s words and reopens the event with the 15-day fix limit', async () => {
    const store = getStore();
    const doc = await docOf(store);
    // Reported by a grid worker; handled and closed by the office: a call-back is due.
    const id = must(
      reportIncident(
        doc,
        { ...ctxOf(['incidents.edit']), actor: { userId: 'u-grid', userName: '网格员王芳', deviceId: 'd' } },
        { community, ...fields() },
      ),
    );
    must(acceptIncident(doc, ctxOf(OFFICE), { incidentId: id }, env));
    must(assignIncident(doc, ctxOf(OFFICE), { incidentId: id, to: { kind: 'unit', name: '物业', ref: null } }, env));
    must(requestIncidentClose(doc, ctxOf(OFFICE), { incidentId: id, closure: 'substantive', note: '已清走' }, env));
    must(verifyIncident(doc, ctxOf(OFFICE), { incidentId: id }, env));

    renderEvents(store, <IncidentPage community={community} year={YEAR} id={id} />);
    const status = () => screen.getByTestId('incident-status').textContent;
    await waitFor(() => expect(status()).toBe('已结案'), LOAD);
    const actions = () => within(screen.getByTestId('incident-actions'));
    fireEvent.click(actions().getByRole('button', { name: '回访' }));
    select('满意度', '2');
    fireEvent.click(actions().getByRole('button', { name: '提交' }));
    await screen.findByText('评价为不满意时，请记下群众的意见。');
    expect(readIncident(doc, id, DEFAULT_LIMITS)?.visits).toHaveLength(0);
    fireEvent.change(screen.getByLabelText(/群众意见/), { target: { value: '纸箱又堆回来了' } });
    fireEvent.click(actions().getByRole('button', { name: '提交' }));
    await waitFor(() => expect(status()).toBe('处置中'));
    expect(screen.getByText('返工 1 次')).toBeTruthy();
    expect(screen.getByTestId('incident-due').textContent).toBe('处置剩15个工作日');
    expect(screen.getByTestId('incident-timeline').textContent).toContain(
      '电话回访：不满意，重新办理。群众意见：纸箱又堆回来了',
    );
  });

  it('offers a viewer nothing, and the actions appear as soon as the role is granted', async () => {
    const store = getStore();
    const id = await report(store);
    store.setAccountRole('viewer');
    renderEvents(store, <IncidentPage community={community} year={YEAR} id={id} />);
    await waitFor(() => expect(screen.getByTestId('incident-status').textContent).toBe('待受理'), LOAD);
    expect(screen.getByText('当前没有您可以办理的事项。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '受理' })).toBeNull();
    expect(screen.queryByRole('button', { name: '转为调解案件' })).toBeNull();
    act(() => store.setAccountRole('editor'));
    await waitFor(() => expect(screen.getByRole('button', { name: '受理' })).toBeTruthy());
    expect(screen.getByRole('button', { name: '转为调解案件' })).toBeTruthy();
  });

  it('words each refusal: out of turn, a late send-back, a self-handled call-back, the same assignee', () => {
    const zh = (e: Parameters<typeof describeIncidentError>[1]) => describeIncidentError(t, e);
    expect(zh(domainError('invalid', 'action', { action: 'verify', status: 'reported' }))).toBe(
      '事件现在是“待受理”，不能“核查通过并结案”。',
    );
    expect(zh(domainError('invalid', 'action', { limit: 2 }))).toBe('交办已超过 2 个工作日，不能再回退。');
    expect(zh(domainError('invalid', 'action', { action: 'visit', status: 'self-handled' }))).toBe(
      '登记人本人办结的事件无需回访，可直接归档。',
    );
    expect(zh(domainError('invalid', 'to'))).toBe('事件已交办给这位承办人，请选另一位。');
    expect(zh(domainError('required', 'reason'))).toBe('理由必须填写');
    expect(zh(domainError('permission-denied'))).toBe('您没有这项操作的权限');
  });
});
