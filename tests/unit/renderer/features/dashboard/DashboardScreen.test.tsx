/**
 * 工作台 (issue 18, items 10 and 14). First start: no community on this device, and the home screen opens on what to
 * do first, 新建社区 or 载入示范社区, not on 尚未选择社区 and area cards alone. With a community open it is "today":
 * follow-up visits due, cases near or past their time limit, and my open action items, each a link to its page.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '@shared/domain/dates';
import { addActionItem } from '@shared/domain/meetings/commands';
import { intakeCase, reachCaseAgreement, recordCaseVisit } from '@shared/domain/mediation/commands';
import { casesNearDeadline, followUpDay, followUpsDue } from '@shared/domain/mediation/due';
import type { CaseId } from '@shared/domain/mediation/types';
import type * as Y from 'yjs';
import { docName } from '@shared/ydoc/docName';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { DashboardScreen } from '../../../../../renderer/features/dashboard/DashboardScreen';
import { intake } from '../../mediation/mediationFixture';
import { community, must, renderMeetings, seedMeeting, YEAR as MEETING_YEAR } from '../../meetings/meetingFixture';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const DAY = 86_400_000;
const today = chinaDate(new Date());

/**
 * Registers a case `daysAgo` days ago (the time limit is one month from registration), in the document of its year
 * (the dashboard reads this year's and last year's).
 */
async function caseRegistered(store: WorkstationStore, daysAgo: number, applicant: string) {
  const at = new Date(Date.now() - daysAgo * DAY);
  const year = Number(chinaDate(at).slice(0, 4));
  const doc = await store.document(docName({ community, collection: 'cases', year }));
  const ctx = { ...store.commandContext(), now: () => at };
  const input = intake();
  const parties = input.parties.map((p, i) => (i === 0 ? { ...p, name: applicant } : p));
  const id: CaseId = must(intakeCase(doc, ctx, { ...input, parties }, null));
  return { id, year, doc };
}

function agreed(store: WorkstationStore, registered: { id: CaseId; doc: Y.Doc }, performanceDeadline: string | null) {
  const { id: caseId, doc } = registered;
  const ctx = store.commandContext();
  must(recordCaseVisit(doc, ctx, { caseId, kind: 'visit', by: '周楼长' }));
  must(
    reachCaseAgreement(doc, ctx, {
      caseId,
      kind: 'oral',
      terms: '修好水管，赔偿200元',
      mediatorName: '赵调解',
      performanceDeadline,
    }),
  );
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

describe('工作台 on first start', () => {
  it('offers 新建社区 and 载入示范社区 when no community is open, and creates one from there', async () => {
    const store = getStore();
    const { location } = renderMeetings(store, <DashboardScreen />);
    const create = await screen.findByRole('button', { name: '新建社区' }, LOAD);
    expect(screen.getByRole('button', { name: '载入示范社区' })).toBeTruthy();
    expect(screen.queryByTestId('today-card')).toBeNull();
    const form = create.closest('form') as HTMLElement;
    fireEvent.change(within(form).getByRole('textbox', { name: /社区名称/ }), { target: { value: '北门社区' } });
    fireEvent.change(within(form).getByRole('textbox', { name: /社区编号/ }), {
      target: { value: 'shunqing-beimen' },
    });
    fireEvent.click(create);
    await waitFor(() => expect(location.history.at(-1)).toBe('/registry'), LOAD);
    expect((await store.db.communities.get('shunqing-beimen'))?.name).toBe('北门社区');
    // Back on 工作台 the community is open: no call to create one any more, today's card instead.
    expect(await screen.findByTestId('today-card', {}, LOAD)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '载入示范社区' })).toBeNull();
  });
});

describe('工作台 as today', () => {
  it('lists follow-ups due, cases near or past their deadline and my action items, each linking to its page', async () => {
    const store = getStore();
    store.actAs({ id: 'account-王记录', name: '王记录', createdBy: null });
    await store.createCommunity({ id: community, name: '测试社区', districtName: '顺庆区' });
    const overdue = await caseRegistered(store, 40, '超期甲');
    const near = await caseRegistered(store, 25, '临期乙');
    await caseRegistered(store, 0, '刚登记丙');
    const followUp = await caseRegistered(store, 0, '回访丁');
    agreed(store, followUp, null);
    const later = await caseRegistered(store, 0, '未到期戊');
    agreed(store, later, addDays(today, 10));
    const { doc, ctx, id: meetingId } = await seedMeeting(store, { title: '十一月居民代表会议' });
    must(
      addActionItem(doc, ctx, { meetingId, title: '施划停车线', owner: { name: '王记录' }, deadline: '2000-01-01' }),
    );
    must(addActionItem(doc, ctx, { meetingId, title: '修路灯', owner: { name: '别人' }, deadline: '2000-01-02' }));

    renderMeetings(store, <DashboardScreen />);
    const card = await screen.findByTestId('today-card', {}, LOAD);
    await waitFor(() => expect(within(card).getAllByTestId('today-deadline')).toHaveLength(2), LOAD);

    const deadlines = within(card).getAllByTestId('today-deadline');
    // Overdue first, then near the deadline.
    expect(deadlines[0]?.textContent).toContain('已超期');
    expect(deadlines[0]?.textContent).toContain('超期甲');
    expect(deadlines[1]?.textContent).toContain('临近期限');
    expect(deadlines[1]?.textContent).toContain('临期乙');
    expect(
      within(card)
        .getByRole('link', { name: /临期乙/ })
        .getAttribute('href'),
    ).toBe(`/mediation/case/${near.year}/${near.id}`);
    expect(
      within(card)
        .getByRole('link', { name: /超期甲/ })
        .getAttribute('href'),
    ).toBe(`/mediation/case/${overdue.year}/${overdue.id}`);
    expect(card.textContent).not.toContain('刚登记丙');

    const followUps = within(card).getAllByTestId('today-follow-up');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.textContent).toContain('回访丁');
    expect(followUps[0]?.textContent).toContain(`应于 ${today} 回访`);
    expect(
      within(followUps[0] as HTMLElement)
        .getByRole('link')
        .getAttribute('href'),
    ).toBe(`/mediation/case/${followUp.year}/${followUp.id}`);
    expect(followUps[0]?.textContent).toMatch(/\(\d{4}\)顺人调字第 \d+ 号/);
    expect(card.textContent).not.toContain('未到期戊');

    const actions = within(card).getAllByTestId('today-action');
    expect(actions).toHaveLength(1);
    expect(actions[0]?.textContent).toContain('施划停车线 · 2000-01-01前 · 十一月居民代表会议');
    expect(actions[0]?.textContent).toContain('已逾期');
    expect(
      within(actions[0] as HTMLElement)
        .getByRole('link')
        .getAttribute('href'),
    ).toBe(`/meetings/m/${MEETING_YEAR}/${meetingId}`);
    expect(card.textContent).not.toContain('修路灯');
    expect(within(card).getByText('我的落实事项（1项）')).toBeTruthy();
  });

  it('says when nothing is due', async () => {
    const store = getStore();
    await store.createCommunity({ id: community, name: '测试社区' });
    renderMeetings(store, <DashboardScreen />);
    const card = await screen.findByTestId('today-card', {}, LOAD);
    expect(await within(card).findByText('今天没有到期的回访、临期案件或待落实事项。', {}, LOAD)).toBeTruthy();
  });
});

describe('what is due', () => {
  it('waits for the performance deadline before a follow-up is due, and follows a corrected agreement', () => {
    const base = {
      status: 'performing',
      outcome: { kind: 'agreement', agreementId: 'a1', at: '2026-03-01T02:00:00.000Z' },
      agreements: {
        a1: { id: 'a1', performanceDeadline: '2026-03-10', supersededBy: 'a2' },
        a2: { id: 'a2', performanceDeadline: '2026-03-20', supersededBy: null },
      },
    } as never;
    expect(followUpDay(base)).toBe('2026-03-20');
    expect(followUpsDue([base], '2026-03-19')).toHaveLength(0);
    expect(followUpsDue([base], '2026-03-20')).toHaveLength(1);
    expect(followUpDay({ ...(base as object), status: 'followed-up' } as never)).toBeNull();
  });

  it('puts overdue cases before those near their deadline and leaves cases with an outcome out', () => {
    const c = (id: string, startDate: string, status = 'handling') =>
      ({ id, status, startDate, dueDate: addDays(startDate, 30), extensions: [], outcome: null }) as never;
    const due = casesNearDeadline(
      [c('near', '2026-03-01'), c('over', '2026-02-01'), c('fresh', '2026-03-25'), c('done', '2026-01-01', 'agreed')],
      '2026-03-26',
    );
    expect(due.map((d) => [(d.case as { id: string }).id, d.state])).toEqual([
      ['over', 'red'],
      ['near', 'yellow'],
    ]);
  });
});
