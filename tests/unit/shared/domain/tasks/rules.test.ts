import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyLayers } from '@shared/domain/calendar';
import {
  applyCalendar,
  applyCardRules,
  cancelCard,
  claimTask,
  previewCalendar,
  requestClose,
  requestExtension,
  verifyClose,
} from '@shared/domain/tasks/commands';
import { ruleCardId } from '@shared/domain/tasks/rules';
import { community, env, errorOf, publishOne, street, task, unwrap } from './fixtures';

const owner = { name: '李四', ref: null };

describe('cards raised by rule', () => {
  it('raises 普通 on a late claim, 黄牌 on the 70 % day (a 调休 Saturday), 红牌 5 working days overdue, once each', () => {
    const doc = new Y.Doc();
    // From Wed 2026-09-23, 10 working days: claim due 09-28, warning (7th) Sat 10-10, completion due 10-14.
    const id = publishOne(doc, '2026-09-23');
    expect(task(doc, id).deadlines).toMatchObject({
      claimDue: { date: '2026-09-28' },
      warningOn: { date: '2026-10-10' },
      completionDue: { date: '2026-10-14' },
    });
    const st = street();
    const run = (day: string) => {
      st.clock.set(day);
      return unwrap(applyCardRules(doc, st, {}, env));
    };
    expect(run('2026-09-28')).toEqual([]);
    expect(run('2026-09-29')).toEqual([{ taskId: id, cardIds: [ruleCardId(id, 'claim-overdue', '2026-09-28')] }]);
    const comm = community();
    comm.clock.set('2026-09-29');
    unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
    expect(run('2026-10-09')).toEqual([]);
    expect(run('2026-10-10')).toEqual([{ taskId: id, cardIds: [ruleCardId(id, 'warning', '2026-10-10')] }]);
    expect(run('2026-10-10')).toEqual([]);
    const yellow = task(doc, id).cards[1];
    expect(yellow).toMatchObject({
      level: 'yellow',
      rule: 'warning',
      raisedOn: '2026-10-10',
      issuer: { userId: 'u-street' },
    });
    // Reply within 2 working days: Mon 10-12, Tue 10-13.
    expect(yellow?.replyDue.date).toBe('2026-10-13');
    // A cancelled rule card is not raised again.
    unwrap(cancelCard(doc, st, { taskId: id, cardId: yellow?.id ?? '', reason: '已电话督促' }, env));
    expect(run('2026-10-12')).toEqual([]);
    // Overdue by 4 working days on 10-20 (15, 16, 19, 20): no red yet; by 5 on 10-21.
    expect(run('2026-10-20')).toEqual([]);
    expect(run('2026-10-21')).toEqual([{ taskId: id, cardIds: [ruleCardId(id, 'overdue', '2026-10-14')] }]);
    expect(task(doc, id).cards.map((c) => c.level)).toEqual(['normal', 'yellow', 'red']);
    expect(errorOf(applyCardRules(doc, community(), {}, env))).toEqual({ code: 'permission-denied' });
  });

  it('raises nothing while an extension is pending, nor on a task waiting for verification or closed', () => {
    const doc = new Y.Doc();
    const paused = publishOne(doc, '2026-09-01');
    const closing = publishOne(doc, '2026-09-01');
    const comm = community();
    comm.clock.set('2026-09-02');
    unwrap(claimTask(doc, comm, { taskId: paused, owner }, env));
    unwrap(claimTask(doc, comm, { taskId: closing, owner }, env));
    unwrap(requestExtension(doc, comm, { taskId: paused, days: 3, reason: '等资金' }, env));
    unwrap(requestClose(doc, comm, { taskId: closing, closure: 'substantive', reason: '完成' }, env));
    const st = street();
    st.clock.set('2026-11-30');
    expect(unwrap(applyCardRules(doc, st, {}, env))).toEqual([]);
    unwrap(verifyClose(doc, st, { taskId: closing }, env));
    expect(unwrap(applyCardRules(doc, st, {}, env))).toEqual([]);
  });

  it('honours a template’s own share and red threshold', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-03-02', {
      completionLimit: 10,
      cardRules: { warningShare: 0.5, redAfterOverdue: 0, replyWorkdays: 1 },
    });
    // 5th working day after Mon 03-02: 03-09; completion 03-16; red the day after.
    expect(task(doc, id).deadlines.warningOn.date).toBe('2026-03-09');
    const st = street();
    st.clock.set('2026-03-17');
    const [raised] = unwrap(applyCardRules(doc, st, {}, env));
    expect(raised?.cardIds).toEqual([
      ruleCardId(id, 'claim-overdue', '2026-03-04'),
      ruleCardId(id, 'warning', '2026-03-09'),
      ruleCardId(id, 'overdue', '2026-03-16'),
    ]);
  });
});

describe('a new calendar', () => {
  it('lists the deadlines that move, writes them with the new version, and touches nothing twice or closed', () => {
    const doc = new Y.Doc();
    // From Thu 2026-12-24, 10 working days run into 2027, which the national data does not cover yet.
    const open = publishOne(doc, '2026-12-24');
    const done = publishOne(doc, '2026-12-24');
    const comm = community();
    comm.clock.set('2026-12-25');
    unwrap(claimTask(doc, comm, { taskId: done, owner }, env));
    unwrap(requestClose(doc, comm, { taskId: done, closure: 'substantive', reason: '完成' }, env));
    const st = street();
    st.clock.set('2026-12-25');
    unwrap(verifyClose(doc, st, { taskId: done }, env));
    expect(task(doc, open).deadlines.completionDue).toEqual({
      date: '2027-01-07',
      calendarVersion: env.calendar.version,
      uncovered: true,
    });
    // The district enters the 2027 notice: 2027-01-01 off.
    const next = applyLayers(env.calendar, [
      {
        scope: 'district',
        orgId: 'shunqing',
        revision: 1,
        lastYear: 2027,
        days: { '2027-01-01': { kind: 'holiday', name: '元旦' } },
      },
    ]);
    const preview = previewCalendar(doc, next);
    expect(preview.changed.map((c) => [c.recordId, c.field, c.before?.date, c.after.date, c.after.uncovered])).toEqual([
      [open, 'completionDue', '2027-01-07', '2027-01-08', false],
      [open, 'warningOn', '2027-01-04', '2027-01-05', false],
    ]);
    expect(preview.restamped.map((c) => [c.field, c.after.date])).toEqual([['claimDue', '2026-12-28']]);
    comm.clock.set('2026-12-28');
    expect(unwrap(applyCalendar(doc, comm, {}, { calendar: next }))).toEqual(preview);
    expect(task(doc, open).deadlines.completionDue).toEqual({
      date: '2027-01-08',
      calendarVersion: next.version,
      uncovered: false,
    });
    expect(task(doc, open).deadlines.claimDue.calendarVersion).toBe(next.version);
    expect(task(doc, open).history.at(-1)).toMatchObject({ type: 'deadlines', cause: 'calendar' });
    expect(task(doc, done).deadlines.completionDue.calendarVersion).toBe(env.calendar.version);
    expect(unwrap(applyCalendar(doc, comm, {}, { calendar: next }))).toEqual({ changed: [], restamped: [] });
  });
});
