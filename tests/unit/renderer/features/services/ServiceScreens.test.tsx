/**
 * 便民服务's screens (issue 20): the list's working days left on each promise, the window's new application (materials
 * checked, channel, resident), an application's steps and its 好差评 with the 差评's fix and return call, each run
 * through the screens and seen in the document. Dates are fixed on 2026's working-day calendar and hand-computed.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { nationalCalendar } from '@shared/domain/calendar';
import type { CommandContext, CommandResult, Permission } from '@shared/domain/kernel';
import { acceptApplication, completeApplication, saveServiceItem } from '@shared/domain/services/commands';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { listApplications, readApplication } from '@shared/ydoc/services';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { ApplicationList } from '../../../../../renderer/features/services/ApplicationList';
import { ApplicationPage } from '../../../../../renderer/features/services/ApplicationPage';
import { describeServiceError } from '../../../../../renderer/features/services/labels';
import { NewApplication } from '../../../../../renderer/features/services/NewApplication';
import { translate, type Translate } from '../../../../../renderer/i18n';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-services');
const name = docName({ community, collection: 'services', year: 2026 });
const env = { calendar: nationalCalendar() };

// Today is Wednesday 18 November 2026 (only `Date` is faked; timers stay real).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

function must<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let n = 0;
function ctxAt(day: string, permissions: readonly Permission[] = ['services.edit', 'admin']): CommandContext {
  return {
    actor: { userId: 'u-window', userName: '窗口赵敏', deviceId: 'dev-window' },
    now: () => new Date(`${day}T02:00:00Z`),
    newId: () => `app-${String(++n).padStart(3, '0')}`,
    permissions: new Set(permissions),
  };
}

async function seed(store: WorkstationStore) {
  const doc = await store.document(name);
  must(
    saveServiceItem(doc, ctxAt('2026-11-02'), {
      id: 'svc-allowance',
      name: '高龄津贴申领',
      kind: 'government',
      department: '民政',
      promiseDays: 5,
      materials: ['身份证', '户口簿'],
      handler: { name: '孙丽', ref: null },
    }),
  );
  must(
    saveServiceItem(doc, ctxAt('2026-11-02'), {
      id: 'svc-permit',
      name: '居住证办理',
      kind: 'government',
      department: '派出所',
      promiseDays: 10,
      materials: [],
      handler: { name: '赵敏', ref: null },
    }),
  );
  const accept = (day: string, itemId: string, applicant: string) =>
    must(
      acceptApplication(doc, ctxAt(day), {
        community,
        itemId,
        applicant: { name: applicant },
        channel: 'window',
      }),
    );
  // Monday 9 November, 5 working days: due Monday 16 November, two working days over on the 18th.
  const late = accept('2026-11-09', 'svc-allowance', '陈秀英');
  // Tuesday 17 November, 10 working days: due Tuesday 1 December, nine working days left on the 18th.
  const fresh = accept('2026-11-17', 'svc-permit', '刘德明');
  return { doc, late, fresh };
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

const rows = () => screen.queryAllByTestId('service-row');

/** A minute passes: steps are folded in time order, and a clock standing still would give them one instant. */
function tick() {
  vi.setSystemTime(new Date(Date.now() + 60_000));
}

describe('办件列表', () => {
  it('lists open applications by their promised day with the working days left or over, and filters by state', async () => {
    const store = getStore();
    const { doc, fresh } = await seed(store);
    renderAt(store, <ApplicationList community={community} />);
    await waitFor(() => expect(rows()).toHaveLength(2), LOAD);
    expect(rows()[0]?.textContent).toContain('陈秀英');
    expect(within(rows()[0] as HTMLElement).getByTestId('service-left').textContent).toBe('超期2个工作日');
    expect(rows()[0]?.textContent).toContain('2026-11-16');
    expect(within(rows()[1] as HTMLElement).getByTestId('service-left').textContent).toBe('剩9个工作日');
    expect(rows()[1]?.textContent).toContain('2026-12-01');

    must(completeApplication(doc, ctxAt('2026-11-18'), { applicationId: fresh, result: '已发证' }, env));
    fireEvent.click(screen.getByRole('radio', { name: /^已办结/ }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('刘德明');
    expect(rows()[0]?.textContent).toContain('已办结');
  });
});

describe('新办件', () => {
  it('refuses to accept while a listed material is missing, naming it, then accepts and opens the application', async () => {
    const store = getStore();
    await seed(store);
    const { location } = renderAt(store, <NewApplication community={community} />, '/new');
    await waitFor(() => expect(screen.getByRole('option', { name: /高龄津贴申领/ })).toBeTruthy(), LOAD);
    fireEvent.change(screen.getByLabelText(/服务事项/), { target: { value: 'svc-allowance' } });
    expect(screen.getByTestId('service-item-info').textContent).toContain('承诺5个工作日内办结');
    fireEvent.change(screen.getByLabelText(/^申请人/), { target: { value: '杨桂兰' } });
    fireEvent.click(screen.getByRole('radio', { name: '电话' }));
    fireEvent.click(screen.getByLabelText('身份证'));
    fireEvent.click(screen.getByRole('button', { name: '受理' }));
    expect((await screen.findByTestId('service-error')).textContent).toBe(
      '材料不齐，不能受理：缺少户口簿。请一次性告知申请人补齐。',
    );
    const doc = await store.document(name);
    expect(listApplications(doc)).toHaveLength(2);

    fireEvent.click(screen.getByLabelText('户口簿'));
    fireEvent.click(screen.getByRole('button', { name: '受理' }));
    await waitFor(() => expect(listApplications(doc)).toHaveLength(3));
    const made = listApplications(doc).find((a) => a.base.applicant.name === '杨桂兰');
    // The materials checked at the window are kept with the application, as the item listed them.
    expect(made?.base).toMatchObject({
      channel: 'phone',
      acceptedOn: '2026-11-18',
      promiseDays: 5,
      agent: null,
      materials: ['身份证', '户口簿'],
    });
    expect(location.history.at(-1)).toBe(`/a/2026/${encodeURIComponent(made?.base.id ?? '')}`);
    renderAt(store, <ApplicationPage community={community} year={2026} id={made?.base.id ?? ''} edit />);
    expect((await screen.findByTestId('service-materials', undefined, LOAD)).textContent).toBe(
      '已收材料：身份证、户口簿',
    );
  });

  it('asks for the grid worker when the application is made at the door', async () => {
    const store = getStore();
    await seed(store);
    renderAt(store, <NewApplication community={community} />, '/new');
    await waitFor(() => expect(screen.getByRole('option', { name: /居住证办理/ })).toBeTruthy(), LOAD);
    fireEvent.change(screen.getByLabelText(/服务事项/), { target: { value: 'svc-permit' } });
    fireEvent.change(screen.getByLabelText(/^申请人/), { target: { value: '黄志强' } });
    fireEvent.click(screen.getByRole('radio', { name: '上门代办' }));
    fireEvent.change(screen.getByLabelText(/代办员/), { target: { value: ' ' } });
    fireEvent.click(screen.getByRole('button', { name: '受理' }));
    expect((await screen.findByTestId('service-error')).textContent).toBe('上门代办须填写代办的网格员。');
    fireEvent.change(screen.getByLabelText(/代办员/), { target: { value: '王晓红' } });
    fireEvent.click(screen.getByRole('button', { name: '受理' }));
    const doc = await store.document(name);
    await waitFor(() => expect(listApplications(doc)).toHaveLength(3));
    expect(listApplications(doc).find((a) => a.base.channel === 'door')?.base.agent?.name).toBe('王晓红');
  });
});

describe('办件页', () => {
  it('finishes, takes a 差评 with the resident’s words, shows the fix due in 15 working days, then the fix and the call back', async () => {
    const store = getStore();
    const { doc, late } = await seed(store);
    renderAt(store, <ApplicationPage community={community} year={2026} id={late} edit />);
    await waitFor(() => expect(screen.getByTestId('service-status').textContent).toBe('已受理'), LOAD);
    expect(screen.getByTestId('service-promise').textContent).toBe('超期2个工作日');
    // Accepted: done, refused or transferred; nothing about ratings yet.
    expect(screen.queryByTestId('service-form-rated')).toBeNull();
    const form = (type: string) => within(screen.getByTestId(`service-form-${type}`));

    form('done').getByRole('button', { name: '办结' }).click();
    expect((await screen.findByTestId('service-error')).textContent).toBe('请填写说明。');
    fireEvent.change(form('done').getByLabelText('办理结果'), { target: { value: '津贴已发放' } });
    fireEvent.click(form('done').getByRole('button', { name: '办结' }));
    await waitFor(() => expect(screen.getByTestId('service-status').textContent).toBe('已办结'));
    expect(readApplication(doc, late)?.done).toEqual({ on: '2026-11-18', workdaysTaken: 7 });
    expect(screen.queryByTestId('service-form-refused')).toBeNull();

    fireEvent.click(form('rated').getByRole('radio', { name: '不满意' }));
    fireEvent.click(form('rated').getByRole('button', { name: '记录评价' }));
    expect((await screen.findByTestId('service-error')).textContent).toBe('差评须记录群众的意见，整改时依此办理。');
    tick();
    fireEvent.change(form('rated').getByLabelText(/群众意见/), { target: { value: '超过承诺时限' } });
    fireEvent.click(form('rated').getByRole('button', { name: '记录评价' }));
    await waitFor(() => expect(screen.getByTestId('service-status').textContent).toBe('差评整改中'));
    // 15 working days after Wednesday 18 November: Wednesday 9 December.
    expect(screen.getByTestId('service-fix').textContent).toContain('2026-11-18收到差评，须在2026-12-09前');
    expect(screen.getByTestId('service-fix').textContent).toContain('尚未整改（剩15个工作日）');
    // The call back waits for the fix.
    expect(screen.queryByTestId('service-form-called-back')).toBeNull();

    tick();
    fireEvent.change(form('rectified').getByLabelText('整改情况'), { target: { value: '约谈经办人，上门致歉' } });
    fireEvent.click(form('rectified').getByRole('button', { name: '记录整改' }));
    await waitFor(() => expect(screen.getByTestId('service-fix').textContent).toContain('2026-11-18已整改'));
    tick();
    fireEvent.change(form('called-back').getByLabelText('回访情况'), { target: { value: '居民表示满意' } });
    fireEvent.click(form('called-back').getByRole('button', { name: '记录回访' }));
    await waitFor(() => expect(screen.getByTestId('service-status').textContent).toBe('已办结'));
    expect(screen.getByTestId('service-fix').textContent).toContain('2026-11-18已回访');
    // After the fix the resident may rate once more.
    expect(screen.getByTestId('service-form-rated')).toBeTruthy();
    expect(readApplication(doc, late)?.fix).toEqual({
      ratedOn: '2026-11-18',
      fixedOn: '2026-11-18',
      calledBackOn: '2026-11-18',
    });
  });

  it('offers nothing to one who may only read', async () => {
    const store = getStore();
    const { late } = await seed(store);
    renderAt(store, <ApplicationPage community={community} year={2026} id={late} edit={false} />);
    await waitFor(() => expect(screen.getByTestId('service-status').textContent).toBe('已受理'), LOAD);
    expect(screen.getByText('您只能查看，不能办理（需要便民服务办理权限）。')).toBeTruthy();
    expect(screen.queryByTestId('service-form-done')).toBeNull();
  });
});

describe('refusals in words', () => {
  it('names the state and the step a command refused as out of turn, and a withdrawn item', () => {
    const t: Translate = (key, params) => translate('zh-CN', key, params);
    expect(
      describeServiceError(t, {
        code: 'invalid',
        field: 'action',
        params: { action: 'rateApplication', status: 'accepted' },
      }),
    ).toBe('办件当前为“已受理”，不能记录评价。');
    expect(describeServiceError(t, { code: 'not-found', field: 'itemId' })).toBe(
      '所选服务事项已撤下或不存在，请重新选择。',
    );
    expect(describeServiceError(t, { code: 'required', field: 'applicant.name' })).toBe('名称必须填写');
  });
});
