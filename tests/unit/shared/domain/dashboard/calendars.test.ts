/**
 * Each community on its own working-day calendar (docs/dashboard-model.md, "calendars"): two communities with the
 * same grid event and the same service application, one of them with a local day off (its community layer) on
 * Wednesday 4 November 2026. On Friday the 6th the other community's event (a 咨询 accepted Monday the 2nd: 3 working
 * days, due Thursday the 5th) and application (a 3-working-day promise from the 2nd) are overdue; the community with
 * the day off has them due on the 6th itself, so not overdue yet.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyLayers, nationalCalendar } from '@shared/domain/calendar';
import { streetDashboard, type CommunityHistories } from '@shared/domain/dashboard/street';
import { acceptIncident, assignIncident } from '@shared/domain/incidents/commands';
import { applicationState } from '@shared/domain/services/state';
import { listIncidents } from '@shared/ydoc/incidents';
import { env, headAssignee, office, report, unwrap } from '../incidents/fixtures';

const national = nationalCalendar();
const withDayOff = applyLayers(national, [
  { scope: 'community', orgId: 'dongba', revision: 1, days: { '2026-11-04': { kind: 'holiday', name: '社区议事日' } } },
]);

function community(id: string, calendar?: typeof national): CommunityHistories {
  const doc = new Y.Doc();
  const o = office('2026-11-02');
  const incident = report(doc, o, { title: '路灯不亮', kind: 'consult' });
  unwrap(acceptIncident(doc, o, { incidentId: incident }, env));
  unwrap(assignIncident(doc, o, { incidentId: incident, to: headAssignee, cc: [] }, env));
  const application = applicationState(
    {
      id: `app-${id}`,
      community: id,
      itemId: 'svc',
      itemName: '高龄津贴申领',
      promiseDays: 3,
      applicant: { name: '居民', phone: '', ref: null },
      channel: 'window',
      agent: null,
      note: '',
      materials: [],
      acceptedOn: '2026-11-02',
      acceptedBy: { userId: 'u-office', userName: '李明' },
    },
    [],
  );
  return {
    id,
    name: id,
    incidents: listIncidents(doc, env.limits),
    services: [application],
    tasks: [],
    ...(calendar === undefined ? {} : { calendar }),
  };
}

const options = {
  period: { from: '2026-11-01', to: '2026-11-30' },
  asOf: '2026-11-06',
  calendar: national,
  limits: env.limits,
};

describe('the dashboard counts each community on its own calendar', () => {
  it('a local day off moves the due days of that community only', () => {
    const d = streetDashboard([community('xihe'), community('dongba', withDayOff)], options);
    const overdue = (id: string) => d.ranking.find((r) => r.community === id)?.kpis.overdue;
    expect(overdue('xihe')).toBe(2);
    expect(overdue('dongba')).toBe(0);
    expect(d.kpis.find((k) => k.key === 'overdue')?.value).toBe(2);
    expect(d.overdue.map((o) => [o.community, o.workdaysOver])).toEqual([['xihe', 1]]);
  });

  it('without the local day both are overdue, as on the national calendar', () => {
    const d = streetDashboard([community('xihe'), community('dongba')], options);
    expect(d.ranking.map((r) => r.kpis.overdue)).toEqual([2, 2]);
    expect(d.kpis.find((k) => k.key === 'overdue')?.value).toBe(4);
  });
});
