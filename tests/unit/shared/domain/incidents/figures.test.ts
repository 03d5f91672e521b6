import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  acceptIncident,
  archiveIncident,
  assignIncident,
  escalateIncident,
  mergeIncident,
  recordVisit,
  refuseIncidentClose,
  rejectIncident,
  requestIncidentClose,
  verifyIncident,
} from '@shared/domain/incidents/commands';
import { incidentFigures, incidentFiguresBy } from '@shared/domain/incidents/stats';
import { listIncidents } from '@shared/ydoc/incidents';
import { env, head, headAssignee, office, report, unwrap } from './fixtures';

/**
 * A fixed data set of November 2026 (no holiday in the month), with the figures computed by hand:
 * A complaint closed on time (requested 11-09, 5 working days), rated 5; B consult (3 days, due 11-05) closed late
 * (requested 11-06, 4 working days), procedural, rated 4; C refused; D a duplicate of A; E consult still open past
 * its limit; F complaint reported 11-19, open within its limit; G reported in October (outside the period).
 */
function dataSet(): Y.Doc {
  const doc = new Y.Doc();
  const o = office('2026-10-20');
  report(doc, o, { title: 'G' });
  o.clock.set('2026-11-02');
  const id = (title: string, kind: 'complaint' | 'consult', grid: string) =>
    report(doc, o, { title, kind, place: { grid, compound: null, building: null, household: null, text: '' } });
  const a = id('A', 'complaint', 'grid-1');
  const b = id('B', 'consult', 'grid-1');
  const c = id('C', 'complaint', 'grid-1');
  const d = id('D', 'complaint', 'grid-1');
  const e = id('E', 'consult', 'grid-2');
  for (const x of [a, b, e]) {
    unwrap(acceptIncident(doc, o, { incidentId: x }, env));
    unwrap(assignIncident(doc, o, { incidentId: x, to: headAssignee, cc: [] }, env));
  }
  unwrap(rejectIncident(doc, o, { incidentId: c, reason: '不属于本社区' }, env));
  unwrap(mergeIncident(doc, o, { incidentId: d, into: a, reason: '重复' }, env));
  o.clock.set('2026-11-06');
  const h = head('2026-11-06');
  unwrap(
    requestIncidentClose(
      doc,
      h,
      { incidentId: b, closure: 'procedural', procedural: 'policy-answer', note: '已解答' },
      env,
    ),
  );
  unwrap(verifyIncident(doc, o, { incidentId: b }, env));
  o.clock.set('2026-11-09');
  unwrap(recordVisit(doc, o, { incidentId: b, method: 'phone', rating: 4 }, env));
  h.clock.set('2026-11-09');
  unwrap(requestIncidentClose(doc, h, { incidentId: a, closure: 'substantive', note: '已清理' }, env));
  o.clock.set('2026-11-10');
  unwrap(verifyIncident(doc, o, { incidentId: a }, env));
  o.clock.set('2026-11-11');
  unwrap(recordVisit(doc, o, { incidentId: a, method: 'phone', rating: 5 }, env));
  o.clock.set('2026-11-19');
  const f = id('F', 'complaint', 'grid-2');
  unwrap(acceptIncident(doc, o, { incidentId: f }, env));
  return doc;
}

const period = { from: '2026-11-01', to: '2026-11-30', calendar: env.calendar, limits: env.limits };

describe('grid-event figures', () => {
  it('match the hand-computed figures of the data set', () => {
    const states = listIncidents(dataSet(), env.limits);
    expect(incidentFigures(states, { ...period, asOf: '2026-11-20' })).toEqual({
      reported: 6,
      rejected: 1,
      duplicates: 1,
      due: 4,
      closed: 2,
      closeRate: 0.5,
      closedOnTime: 1,
      onTimeRate: 0.25,
      substantive: 1,
      procedural: 1,
      substantiveRate: 0.5,
      open: 2,
      openOverdue: 1,
      averageWorkdays: 4.5,
      medianWorkdays: 4.5,
      ratings: [0, 0, 0, 1, 1],
      satisfactionRate: 1,
      reopened: 0,
      sentBack: 0,
      verifyRefused: 0,
      escalated: 0,
      skipLevel: 0,
    });
  });

  it('read each incident as it stood on the day asked', () => {
    const states = listIncidents(dataSet(), env.limits);
    // On 11-08 only B is closed; F is not reported yet; A and E are open, E past its 11-05 limit.
    expect(incidentFigures(states, { ...period, asOf: '2026-11-08' })).toMatchObject({
      reported: 5,
      closed: 1,
      closedOnTime: 0,
      open: 2,
      openOverdue: 1,
      ratings: [0, 0, 0, 0, 0],
      satisfactionRate: null,
    });
  });

  it('split by grid', () => {
    const states = listIncidents(dataSet(), env.limits);
    const byGrid = incidentFiguresBy(states, (s) => s.base.place.grid, { ...period, asOf: '2026-11-20' });
    expect(byGrid.get('grid-1')).toMatchObject({ reported: 4, closed: 2, open: 0 });
    expect(byGrid.get('grid-2')).toMatchObject({ reported: 2, closed: 0, open: 2, openOverdue: 1, closeRate: 0 });
  });

  /**
   * November 2026, as of 11-20: H refused at verification once, closed, rated 1 (reopened), closed again and rated 5:
   * the last visit counts; J (突发事件, urgent: 3 working days, so past its limit) and K (normal) escalated, J skipping
   * a level; L refused then archived, still a refusal; M a consult accepted 11-18, yellow (not overdue) on 11-20.
   */
  it('count the last visit, refused verifications, escalations over a level, an archived refusal and only red as overdue', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02');
    const h = head('2026-11-03');
    const place = { grid: 'grid-1', compound: null, building: null, household: null, text: '' };
    const open = (title: string, more: Parameters<typeof report>[2] = {}) => {
      const x = report(doc, o, { title, place, ...more });
      unwrap(acceptIncident(doc, o, { incidentId: x }, env));
      return x;
    };
    const hId = open('H');
    unwrap(assignIncident(doc, o, { incidentId: hId, to: headAssignee, cc: [] }, env));
    const close = { incidentId: hId, closure: 'substantive' as const, note: '已处理' };
    unwrap(requestIncidentClose(doc, h, close, env));
    o.clock.set('2026-11-04');
    unwrap(refuseIncidentClose(doc, o, { incidentId: hId, reason: '照片不清楚' }, env));
    h.clock.set('2026-11-04');
    unwrap(requestIncidentClose(doc, h, close, env));
    o.clock.set('2026-11-05');
    unwrap(verifyIncident(doc, o, { incidentId: hId }, env));
    unwrap(recordVisit(doc, o, { incidentId: hId, method: 'phone', rating: 1, comment: '没有解决' }, env));
    h.clock.set('2026-11-06');
    unwrap(requestIncidentClose(doc, h, close, env));
    o.clock.set('2026-11-09');
    unwrap(verifyIncident(doc, o, { incidentId: hId }, env));
    o.clock.set('2026-11-10');
    unwrap(recordVisit(doc, o, { incidentId: hId, method: 'phone', rating: 5 }, env));
    o.clock.set('2026-11-02');
    const j = open('J', { category: 'emergency', urgency: 'urgent' });
    const k = open('K');
    for (const x of [j, k]) unwrap(escalateIncident(doc, o, { incidentId: x, to: '街道', reason: '需要协调' }, env));
    const l = report(doc, o, { title: 'L', place });
    unwrap(rejectIncident(doc, o, { incidentId: l, reason: '不属于本社区' }, env));
    unwrap(archiveIncident(doc, o, { incidentId: l }, env));
    o.clock.set('2026-11-18');
    open('M', { kind: 'consult' });

    const states = listIncidents(doc, env.limits);
    expect(incidentFigures(states, { ...period, asOf: '2026-11-20' })).toMatchObject({
      reported: 5,
      rejected: 1,
      due: 4,
      closed: 1,
      open: 3,
      openOverdue: 1,
      ratings: [0, 0, 0, 0, 1],
      satisfactionRate: 1,
      reopened: 1,
      verifyRefused: 1,
      escalated: 2,
      skipLevel: 1,
    });
  });
});
