import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  acceptIncident,
  archiveIncident,
  assignIncident,
  escalateIncident,
  mergeIncident,
  recordHandling,
  recordVisit,
  refuseIncidentClose,
  rejectIncident,
  requestIncidentClose,
  resumeIncident,
  sendBackIncident,
  suspendIncident,
  verifyIncident,
} from '@shared/domain/incidents/commands';
import { allowedActions } from '@shared/domain/incidents/machine';
import { currentClock, handleClock, lightOf } from '@shared/domain/incidents/state';
import { listIncidents, readIncidentAudit } from '@shared/ydoc/incidents';
import { env, errorOf, gridWorker, head, headAssignee, office, read, report, unwrap } from './fixtures';

describe('a grid event from the report to the archive', () => {
  it('runs the whole flow; a 不满意 visit reopens it with the 15-day fix limit; the figures read the real 结案 day', () => {
    const doc = new Y.Doc();
    const g = gridWorker('2026-09-28');
    const o = office('2026-09-28');
    const h = head('2026-09-28');
    const id = report(doc, g);
    expect(read(doc, id).status).toBe('reported');
    unwrap(acceptIncident(doc, o, { incidentId: id }, env));
    unwrap(assignIncident(doc, o, { incidentId: id, to: headAssignee, cc: [] }, env));
    // A complaint: 15 working days from 09-28 across National Day (10-01..07 off, Saturday 10-10 a working day).
    const clock = handleClock(read(doc, id), env.calendar, env.limits);
    expect(clock?.due.date).toBe('2026-10-23');
    expect(clock?.warnFrom.date).toBe('2026-10-16'); // floor(15 × 0.7) = 10 working days
    h.clock.set('2026-10-09');
    unwrap(recordHandling(doc, h, { incidentId: id, note: '已联系物业清理', attachments: ['file:photo-2'] }, env));
    h.clock.set('2026-10-22');
    unwrap(requestIncidentClose(doc, h, { incidentId: id, closure: 'substantive', note: '杂物已清走' }, env));
    o.clock.set('2026-10-23');
    unwrap(verifyIncident(doc, o, { incidentId: id }, env));
    const closed = read(doc, id);
    expect(closed.status).toBe('closed');
    // 09-29, 09-30, 10-08, 10-09, 10-10, 10-12..16, 10-19..22: 14 working days.
    expect(closed.closed).toEqual({ on: '2026-10-23', onTime: true, workdaysTaken: 14 });

    o.clock.set('2026-10-26');
    expect(errorOf(recordVisit(doc, o, { incidentId: id, method: 'phone', rating: 2 }, env))).toMatchObject({
      code: 'required',
      field: 'comment',
    });
    unwrap(recordVisit(doc, o, { incidentId: id, method: 'phone', rating: 2, comment: '纸箱又堆回来了' }, env));
    const reopened = read(doc, id);
    expect(reopened.status).toBe('assigned');
    expect(reopened.reopened).toBe(1);
    expect(handleClock(reopened, env.calendar, env.limits)?.due.date).toBe('2026-11-16'); // 15 working days
    h.clock.set('2026-10-28');
    unwrap(requestIncidentClose(doc, h, { incidentId: id, closure: 'substantive', note: '加装了提示牌' }, env));
    o.clock.set('2026-10-29');
    unwrap(verifyIncident(doc, o, { incidentId: id }, env));
    expect(read(doc, id).closed?.on).toBe('2026-10-29');
    unwrap(recordVisit(doc, o, { incidentId: id, method: 'in-person', rating: 5 }, env));
    expect(read(doc, id).status).toBe('visited');
    unwrap(archiveIncident(doc, o, { incidentId: id }, env));
    const archived = read(doc, id);
    expect(archived.status).toBe('archived');
    expect(archived.visits.map((v) => v.rating)).toEqual([2, 5]);
    expect(archived.ignored).toEqual([]);
    // One audit entry per command, under the account that acted.
    const audit = readIncidentAudit(doc);
    expect(audit.map((a) => a.action)).toEqual([
      'reportIncident',
      'acceptIncident',
      'assignIncident',
      'recordHandling',
      'requestIncidentClose',
      'verifyIncident',
      'recordVisit',
      'requestIncidentClose',
      'verifyIncident',
      'recordVisit',
      'archiveIncident',
    ]);
    expect(audit[0]?.userName).toBe('网格员王芳');
    expect(JSON.stringify(audit)).not.toContain('13800001234');
  });

  it('asks no return visit when the grid worker who reported it also handled it', () => {
    const doc = new Y.Doc();
    const g = gridWorker('2026-11-02');
    const o = office('2026-11-02');
    const id = report(doc, g, { kind: 'consult' });
    unwrap(acceptIncident(doc, o, { incidentId: id }, env));
    unwrap(
      assignIncident(doc, o, { incidentId: id, to: { kind: 'grid', name: '第一网格', ref: 'grid-1' }, cc: [] }, env),
    );
    unwrap(
      requestIncidentClose(
        doc,
        g,
        { incidentId: id, closure: 'procedural', procedural: 'policy-answer', note: '已解答' },
        env,
      ),
    );
    unwrap(verifyIncident(doc, o, { incidentId: id }, env));
    expect(read(doc, id).visitRequired).toBe(false);
    expect(errorOf(recordVisit(doc, o, { incidentId: id, method: 'phone', rating: 5 }, env)).code).toBe('invalid');
    unwrap(archiveIncident(doc, o, { incidentId: id }, env));
    expect(read(doc, id).status).toBe('archived');
  });
});

describe('refusals', () => {
  it('keeps the office actions to the office and each action to its states', () => {
    const doc = new Y.Doc();
    const g = gridWorker('2026-11-02');
    const o = office('2026-11-02');
    const id = report(doc, g);
    expect(errorOf(acceptIncident(doc, g, { incidentId: id }, env)).code).toBe('permission-denied');
    expect(
      errorOf(requestIncidentClose(doc, o, { incidentId: id, closure: 'substantive', note: 'x' }, env)),
    ).toMatchObject({
      code: 'invalid',
      field: 'action',
    });
    expect(allowedActions(read(doc, id), { ...g.actor, permissions: g.permissions }, '2026-11-02', env)).toEqual([
      'link',
    ]);
    expect(errorOf(rejectIncident(doc, o, { incidentId: id, reason: ' ' }, env)).code).toBe('required');
    unwrap(rejectIncident(doc, o, { incidentId: id, reason: '不属于本社区' }, env));
    expect(errorOf(acceptIncident(doc, o, { incidentId: id }, env)).field).toBe('action');
    expect(errorOf(acceptIncident(doc, o, { incidentId: 'nope' }, env)).code).toBe('not-found');
  });

  it('asks the procedural kind of a procedural closure', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02');
    const id = report(doc, o);
    unwrap(acceptIncident(doc, o, { incidentId: id }, env));
    unwrap(assignIncident(doc, o, { incidentId: id, to: headAssignee, cc: [] }, env));
    expect(
      errorOf(requestIncidentClose(doc, o, { incidentId: id, closure: 'procedural', note: '已答复' }, env)),
    ).toMatchObject({
      code: 'required',
      field: 'procedural',
    });
    unwrap(
      requestIncidentClose(
        doc,
        o,
        { incidentId: id, closure: 'procedural', procedural: 'project-list', note: '纳入项目库' },
        env,
      ),
    );
    unwrap(refuseIncidentClose(doc, o, { incidentId: id, reason: '未见照片' }, env));
    expect(read(doc, id)).toMatchObject({ status: 'assigned', verifyRefused: 1, closeRequest: null });
  });

  it('lets the assignee send it back within 2 working days of the assignment only', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02'); // a Monday
    const h = head('2026-11-04');
    const id = report(doc, o);
    unwrap(acceptIncident(doc, o, { incidentId: id }, env));
    unwrap(assignIncident(doc, o, { incidentId: id, to: headAssignee, cc: [] }, env));
    const late = head('2026-11-05');
    expect(errorOf(sendBackIncident(doc, late, { incidentId: id, reason: '不是我楼栋' }, env))).toMatchObject({
      code: 'invalid',
      params: { limit: 2 },
    });
    unwrap(sendBackIncident(doc, h, { incidentId: id, reason: '不是我楼栋' }, env));
    expect(read(doc, id)).toMatchObject({ status: 'accepted', assignee: null, sentBack: 1 });
  });

  it('pauses the clock in 挂账 and refuses closure while suspended', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02');
    const id = report(doc, o, { kind: 'consult' });
    unwrap(acceptIncident(doc, o, { incidentId: id }, env));
    unwrap(assignIncident(doc, o, { incidentId: id, to: headAssignee, cc: [] }, env));
    o.clock.set('2026-11-03');
    unwrap(suspendIncident(doc, o, { incidentId: id, reason: '等待产权单位答复' }, env));
    expect(
      errorOf(requestIncidentClose(doc, o, { incidentId: id, closure: 'substantive', note: 'x' }, env)).field,
    ).toBe('action');
    // Still yellow/green as it stood when suspended, however long it waits.
    expect(lightOf(read(doc, id), env.calendar, env.limits, '2026-12-30')).not.toBe('red');
    o.clock.set('2026-11-10');
    unwrap(resumeIncident(doc, o, { incidentId: id }, env));
    const resumed = read(doc, id);
    expect(resumed.pausedDays).toBe(5); // 11-04, 05, 06, 09, 10
    // 3 working days for a 咨询, plus 5 paused: the 8th working day after 11-02.
    expect(currentClock(resumed, env.calendar, env.limits)?.due.date).toBe('2026-11-12');
  });

  it('turns the acceptance light yellow then red on working days', () => {
    const doc = new Y.Doc();
    const g = gridWorker('2026-09-30');
    const id = report(doc, g);
    const state = read(doc, id);
    // 1 working day to accept: from 09-30 across National Day the due day is 10-08.
    expect(currentClock(state, env.calendar, env.limits)?.due.date).toBe('2026-10-08');
    // floor(1 × 0.7) = 0: a one-day limit is yellow from the start, red only after the due day.
    expect(lightOf(state, env.calendar, env.limits, '2026-09-30')).toBe('yellow');
    expect(lightOf(state, env.calendar, env.limits, '2026-10-08')).toBe('yellow');
    expect(lightOf(state, env.calendar, env.limits, '2026-10-09')).toBe('red');
  });

  it('records 越级 by rule and merges a duplicate', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02');
    const fire = report(doc, o, { category: 'emergency', urgency: 'critical', kind: 'help' });
    unwrap(escalateIncident(doc, o, { incidentId: fire, to: '街道应急办', reason: '燃气泄漏' }, env));
    expect(read(doc, fire).escalations).toEqual([{ on: '2026-11-02', to: '街道应急办', skipLevel: true }]);
    expect(handleClock(read(doc, fire), env.calendar, env.limits)).toBeNull(); // not accepted yet
    const again = report(doc, o, { category: 'emergency', urgency: 'critical', kind: 'help' });
    expect(errorOf(mergeIncident(doc, o, { incidentId: again, into: again, reason: '重复' }, env)).field).toBe('into');
    unwrap(mergeIncident(doc, o, { incidentId: again, into: fire, reason: '同一燃气泄漏' }, env));
    expect(read(doc, again)).toMatchObject({ status: 'merged', mergedInto: fire });
  });
});

describe('two devices offline', () => {
  it('read the same state after one accepted and the other rejected the same report', () => {
    const a = new Y.Doc();
    const g = gridWorker('2026-11-02');
    const id = report(a, g);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const first = office('2026-11-02');
    const second = office('2026-11-03');
    unwrap(acceptIncident(a, first, { incidentId: id }, env));
    unwrap(rejectIncident(b, second, { incidentId: id, reason: '重复' }, env));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const [sa, sb] = [read(a, id), read(b, id)];
    expect(sa.status).toBe('accepted');
    expect(sb.status).toBe('accepted');
    // The later rejection is kept, not lost, and shown as not applied.
    expect(sa.ignored.map((s) => s.type)).toEqual(['rejected']);
  });
});

describe('a grid-events document written by a hostile device', () => {
  it('leaves out what no command writes, and nothing honest', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02');
    const id = report(doc, o);
    unwrap(acceptIncident(doc, o, { incidentId: id }, env));
    doc
      .getArray<unknown>('steps')
      .push([
        { type: 'closed', incidentId: id },
        'garbage',
        { ...read(doc, id).history[0], id: 'x-1', type: 'archived', incidentId: 'another' },
      ]);
    doc.getMap<unknown>('incidents').set('bad', { id: 'bad', title: 1 });
    const state = read(doc, id);
    expect(state.status).toBe('accepted');
    expect(state.history.map((s) => s.type)).toEqual(['accepted']);
    expect(listIncidents(doc, env.limits).map((s) => s.base.id)).toEqual([id]);
  });

  it('folds 20,000 appended steps without copying its lists at each one (a quadratic fold fails by the timeout)', () => {
    const doc = new Y.Doc();
    const o = office('2026-11-02');
    const id = report(doc, o);
    const first = { id: 's', at: '2026-11-02T02:00:00Z', on: '2026-11-02', by: { userId: 'u-x', userName: 'x' } };
    doc
      .getArray<unknown>('steps')
      .push(
        Array.from({ length: 20_000 }, (_, i) =>
          i % 2 === 0
            ? { ...first, id: `s${i}`, type: 'linked', link: 'task', recordId: `t${i % 1000}`, incidentId: id }
            : { ...first, id: `s${i}`, type: 'escalated', to: '街道', reason: '.', skipLevel: false, incidentId: id },
        ),
      );
    const state = read(doc, id);
    expect(state.links).toHaveLength(500); // 1,000 ids, every other one even: 500 distinct links, the rest repeats
    expect(state.escalations).toHaveLength(10_000);
    expect(state.ignored).toHaveLength(9_500);
  });
});
