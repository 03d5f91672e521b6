import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  acceptIncident,
  assignIncident,
  recordVisit,
  requestIncidentClose,
  verifyIncident,
} from '@shared/domain/incidents/commands';
import { previousPeriod, streetDashboard, type CommunityHistories } from '@shared/domain/dashboard/street';
import {
  acceptApplication,
  completeApplication,
  rateApplication,
  saveServiceItem,
  transferApplication,
} from '@shared/domain/services/commands';
import { publishTask, raiseCard } from '@shared/domain/tasks/commands';
import { listIncidents } from '@shared/ydoc/incidents';
import { listApplications } from '@shared/ydoc/services';
import { listTasks } from '@shared/ydoc/tasks';
import { env, head, headAssignee, office, report, unwrap } from '../incidents/fixtures';
import { makeCtx, street, template } from '../tasks/fixtures';

/**
 * Two communities in November 2026 (no holiday), figures computed by hand:
 * 西河 x1 (投诉) closed on time in 5 working days, rated 5; x2 (咨询, due 11-05) still open on 11-30.
 * 东坝 y1 (投诉) closed on time in 5 working days, rated 3 (基本满意: not satisfied).
 */
function closedOnTime(doc: Y.Doc, rating: number): string {
  const o = office('2026-11-02');
  const id = report(doc, o);
  unwrap(acceptIncident(doc, o, { incidentId: id }, env));
  unwrap(assignIncident(doc, o, { incidentId: id, to: headAssignee, cc: [] }, env));
  unwrap(
    requestIncidentClose(doc, head('2026-11-09'), { incidentId: id, closure: 'substantive', note: '已处理' }, env),
  );
  unwrap(verifyIncident(doc, office('2026-11-10'), { incidentId: id }, env));
  unwrap(recordVisit(doc, office('2026-11-11'), { incidentId: id, method: 'phone', rating }, env));
  return id;
}

function histories(): CommunityHistories[] {
  const x = new Y.Doc();
  closedOnTime(x, 5);
  const o = office('2026-11-02');
  const x2 = report(x, o, { title: '路灯不亮', kind: 'consult' });
  unwrap(acceptIncident(x, o, { incidentId: x2 }, env));
  unwrap(assignIncident(x, o, { incidentId: x2, to: headAssignee, cc: [] }, env));
  const y = new Y.Doc();
  closedOnTime(y, 3);
  const of = (id: string, name: string, doc: Y.Doc) => ({
    id,
    name,
    incidents: listIncidents(doc, env.limits),
    services: [],
    tasks: [],
  });
  return [of('dongba', '东坝社区', y), of('xihe', '西河社区', x)];
}

const options = {
  period: { from: '2026-11-01', to: '2026-11-30' },
  asOf: '2026-11-30',
  calendar: env.calendar,
  limits: env.limits,
};

describe('the street dashboard', () => {
  it('compares with the period of the same length just before', () => {
    expect(previousPeriod({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: '2026-10-02', to: '2026-10-31' });
  });

  it('gives the hand-computed KPIs, ranking, trend, categories, hot spots, overdue list and people', () => {
    const d = streetDashboard(histories(), options);
    expect(Object.fromEntries(d.kpis.map((k) => [k.key, [k.value, k.previous, k.change]]))).toEqual({
      workload: [3, 0, 3],
      closeRate: [2 / 3, null, null],
      onTimeRate: [2 / 3, null, null],
      averageWorkdays: [5, null, null],
      satisfaction: [0.5, null, null],
      overdue: [1, 0, 1],
      openCards: [0, 0, 0],
    });
    // 西河: 30 × 0.5 + 35 × 0.5 + 35 × 1 = 67.5 (C, under the on-time line); 东坝: 30 + 35 + 0 = 65 (C, under the
    // satisfaction line).
    expect(d.ranking.map((r) => [r.name, r.score, r.grade, r.below])).toEqual([
      ['西河社区', 67.5, 'C', ['onTime']],
      ['东坝社区', 65, 'C', ['satisfaction']],
    ]);
    expect(d.trend).toEqual([{ month: '2026-11', reported: 3, closed: 2 }]);
    expect(d.byCategory).toEqual([{ category: 'opinion', count: 3, satisfaction: 0.5 }]);
    expect(d.hotspots).toEqual([
      { kind: 'grid', ref: 'grid-1', count: 3 },
      { kind: 'building', ref: 'b-3', count: 3 },
    ]);
    // Due 11-05; 11-06 .. 11-30 hold 17 working days.
    expect(d.overdue.map(({ incidentId: _id, ...row }) => row)).toEqual([
      { community: 'xihe', title: '路灯不亮', owner: '楼栋长赵强', workdaysOver: 17 },
    ]);
    expect(d.people).toEqual([{ userId: 'u-office', name: '社区干部李明', reported: 3 }]);
  });

  it('weighs the ranking as the street sets it', () => {
    const d = streetDashboard(histories(), { ...options, weights: { onTime: 0, closed: 0, satisfied: 100 } });
    expect(d.ranking.map((r) => [r.name, r.score, r.grade])).toEqual([
      ['西河社区', 100, 'A'],
      ['东坝社区', 0, 'D'],
    ]);
  });

  /**
   * One community over October-November 2026 (previous period: August-September), with all three histories:
   * - grid event Q, reported Mon 09-14, asked to close 09-18 (4 working days), rated 5: the previous period only;
   * - grid event R, reported Thu 10-29, asked to close Tue 11-03 (3 working days), closed 11-04, rated 3;
   * - services (promise 5 working days): S1 accepted 11-02, done 11-06 (4 working days), rated 4; S2 accepted 11-02
   *   and still open past its 11-09 promise; S3 accepted 11-03 and transferred (out of what is due);
   * - a task published 11-02 (completion due 11-16), never claimed, with a 黄牌 and a 普通 card open.
   * Now: workload 1 + 3 + 1 = 5, due 1 + (3 − 1) + 1 = 4, closed and on time 1 + 1 + 0 = 2, working days
   * (3 + 4) / 2, satisfied 0 + 1 of 1 + 1 rated, overdue 0 + 1 + 1, one yellow-or-red card open.
   */
  it('adds services and tasks to the KPIs, compares with a previous period and trends by the real closure month', () => {
    const incidents = new Y.Doc();
    const closeOn = (reported: string, asked: string, closed: string, visited: string, rating: number) => {
      const o = office(reported);
      const id = report(incidents, o, { occurredAt: `${reported}T01:00:00Z` });
      unwrap(acceptIncident(incidents, o, { incidentId: id }, env));
      unwrap(assignIncident(incidents, o, { incidentId: id, to: headAssignee, cc: [] }, env));
      const close = { incidentId: id, closure: 'substantive' as const, note: '已处理' };
      unwrap(requestIncidentClose(incidents, head(asked), close, env));
      unwrap(verifyIncident(incidents, office(closed), { incidentId: id }, env));
      unwrap(recordVisit(incidents, office(visited), { incidentId: id, method: 'phone', rating }, env));
    };
    closeOn('2026-09-14', '2026-09-18', '2026-09-21', '2026-09-22', 5);
    closeOn('2026-10-29', '2026-11-03', '2026-11-04', '2026-11-05', 3);

    const services = new Y.Doc();
    const desk = (day: string) => makeCtx(['services.edit'], { userId: 'u-win', userName: '窗口李明' }, day);
    const item = {
      id: 'item-1',
      name: '居住证办理',
      kind: 'government' as const,
      department: '公安',
      promiseDays: 5,
      handler: { name: '李明', ref: null },
    };
    unwrap(saveServiceItem(services, makeCtx(['admin'], undefined, '2026-11-01'), item));
    const apply = (day: string) =>
      unwrap(
        acceptApplication(services, desk(day), {
          community: 'xihe',
          itemId: 'item-1',
          applicant: { name: '刘阿姨' },
          channel: 'window',
        }),
      );
    const [s1] = [apply('2026-11-02'), apply('2026-11-02')];
    const s3 = apply('2026-11-03');
    unwrap(completeApplication(services, desk('2026-11-06'), { applicationId: s1, result: '已办结' }, env));
    unwrap(rateApplication(services, desk('2026-11-06'), { applicationId: s1, rating: 4 }, env));
    const transfer = { applicationId: s3, to: '街道便民服务中心', reason: '非本社区事项' };
    unwrap(transferApplication(services, desk('2026-11-03'), transfer, env));

    const tasks = new Y.Doc();
    const st = street();
    st.clock.set('2026-11-02');
    const [taskId] = unwrap(
      publishTask(tasks, st, { template: template(), community: 'xihe', periods: ['2026'] }, env),
    );
    st.clock.set('2026-11-20');
    for (const level of ['yellow', 'normal'] as const) {
      unwrap(raiseCard(tasks, st, { taskId: taskId as string, level, reason: '请领办' }, env));
    }

    const d = streetDashboard(
      [
        {
          id: 'xihe',
          name: '西河社区',
          incidents: listIncidents(incidents, env.limits),
          services: listApplications(services),
          tasks: listTasks(tasks),
        },
      ],
      { ...options, period: { from: '2026-10-01', to: '2026-11-30' } },
    );
    expect(Object.fromEntries(d.kpis.map((k) => [k.key, [k.value, k.previous, k.change]]))).toEqual({
      workload: [5, 1, 4],
      closeRate: [0.5, 1, -0.5],
      onTimeRate: [0.5, 1, -0.5],
      averageWorkdays: [3.5, 4, -0.5],
      satisfaction: [0.5, 1, -0.5],
      overdue: [2, 0, 2],
      openCards: [1, 0, 1],
    });
    // R is reported in October and closed in November: each month counts it once, by its own day.
    expect(d.trend).toEqual([
      { month: '2026-10', reported: 1, closed: 0 },
      { month: '2026-11', reported: 0, closed: 1 },
    ]);
    expect(d.ranking.map((r) => [r.score, r.grade, r.below])).toEqual([[50, 'D', ['satisfaction', 'onTime']]]);
  });
});
