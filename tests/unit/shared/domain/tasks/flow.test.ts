import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  archiveTask,
  cancelCard,
  claimTask,
  decideExtension,
  publishTask,
  raiseCard,
  reassignTask,
  replyCard,
  reportProgress,
  requestClose,
  requestExtension,
  returnTask,
  verifyClose,
} from '@shared/domain/tasks/commands';
import { clockOf } from '@shared/domain/tasks/state';
import { readTaskAudit, taskEventsArray } from '@shared/ydoc/tasks';
import { community, env, errorOf, publishOne, street, task, template, unwrap } from './fixtures';

const owner = { name: '李四', ref: 'acct:li' };

describe('publishing', () => {
  it('creates one instance per community and period with its deadlines stamped with the calendar version', () => {
    const doc = new Y.Doc();
    const ctx = street();
    ctx.clock.set('2026-09-01');
    const monthly = template({ schedule: { type: 'standing', repeat: 'monthly' } });
    const ids = unwrap(
      publishTask(doc, ctx, { template: monthly, community: 'xihe-a', periods: ['2026-09', '2026-10'] }, env),
    );
    expect(ids).toEqual([`${monthly.id}:xihe-a:2026-09`, `${monthly.id}:xihe-a:2026-10`]);
    const september = task(doc, ids[0] as string);
    expect(september).toMatchObject({ status: 'published', publishedOn: '2026-09-01', period: '2026-09' });
    // 2 and 10 working days after Tue 2026-09-01; the warning at floor(10 × 0.7) = 7.
    expect(september.deadlines).toEqual({
      claimDue: { date: '2026-09-03', calendarVersion: env.calendar.version, uncovered: false },
      completionDue: { date: '2026-09-15', calendarVersion: env.calendar.version, uncovered: false },
      warningOn: { date: '2026-09-10', calendarVersion: env.calendar.version, uncovered: false },
    });
    // A round published ahead of its period counts from the period's first day.
    expect(task(doc, ids[1] as string).publishedOn).toBe('2026-10-01');
    // Publishing again creates nothing; a period the schedule does not have is refused.
    expect(
      unwrap(publishTask(doc, ctx, { template: monthly, community: 'xihe-a', periods: ['2026-09'] }, env)),
    ).toEqual([]);
    expect(
      errorOf(publishTask(doc, ctx, { template: monthly, community: 'xihe-a', periods: ['2026-Q3'] }, env)),
    ).toEqual({
      code: 'invalid',
      field: 'periods.0',
    });
    expect(readTaskAudit(doc).map((e) => e.action)).toEqual([
      'putTemplate',
      'publishTask',
      'publishTask',
      'putTemplate',
    ]);
  });

  it('is the street’s: a community account cannot publish; a bad template is refused with its field', () => {
    const doc = new Y.Doc();
    const input = { template: template(), community: 'xihe-a', periods: ['2026'] };
    expect(errorOf(publishTask(doc, community(), input, env))).toEqual({ code: 'permission-denied' });
    const badWeights = template({ milestones: [{ id: 'm1', title: '摸底', weight: 30, evidence: '' }] });
    expect(errorOf(publishTask(doc, street(), { ...input, template: badWeights }, env))).toMatchObject({
      code: 'invalid',
      field: 'template.milestones',
    });
    const claimAfterCompletion = template({ claimLimit: 12, completionLimit: 10 });
    expect(errorOf(publishTask(doc, street(), { ...input, template: claimAfterCompletion }, env))).toMatchObject({
      field: 'template.claimLimit',
    });
    expect(taskEventsArray(doc).length).toBe(0);
  });
});

describe('the flow: claim, report, close, verify or return, archive', () => {
  it('walks a task from published to archived, with every step in the history', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-09-01');
    const comm = community();
    const st = street();
    comm.clock.set('2026-09-02');
    st.clock.set('2026-09-02');
    unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
    expect(task(doc, id)).toMatchObject({ status: 'claimed', owner, claimedOn: '2026-09-02', claimLate: false });
    unwrap(
      reportProgress(
        doc,
        comm,
        { taskId: id, note: '完成摸底', progress: 40, milestoneId: 'm1', attachments: ['file:a'] },
        env,
      ),
    );
    expect(errorOf(reportProgress(doc, comm, { taskId: id, note: 'x', milestoneId: 'm9' }, env))).toEqual({
      code: 'not-found',
      field: 'milestoneId',
    });
    unwrap(reassignTask(doc, comm, { taskId: id, to: { name: '王五', ref: null }, reason: '李四调岗' }, env));
    expect(
      errorOf(reassignTask(doc, comm, { taskId: id, to: { name: '王五', ref: null }, reason: '再次' }, env)),
    ).toEqual({
      code: 'invalid',
      field: 'to',
    });
    comm.clock.set('2026-09-10');
    unwrap(requestClose(doc, comm, { taskId: id, closure: 'substantive', reason: '整改完成' }, env));
    expect(task(doc, id).status).toBe('closing');
    st.clock.set('2026-09-11');
    unwrap(returnTask(doc, st, { taskId: id, reason: '佐证照片不全' }, env));
    expect(task(doc, id)).toMatchObject({ status: 'claimed', returns: [{ reason: '佐证照片不全', on: '2026-09-11' }] });
    comm.clock.set('2026-09-16');
    unwrap(requestClose(doc, comm, { taskId: id, closure: 'procedural', reason: '已纳入项目库' }, env));
    st.clock.set('2026-09-17');
    unwrap(verifyClose(doc, st, { taskId: id }, env));
    const closed = task(doc, id);
    // Asked on 09-16, a day past the limit (09-15); 11 working days from 09-01.
    expect(closed.status).toBe('closed');
    expect(closed.closure).toMatchObject({
      closure: 'procedural',
      on: '2026-09-16',
      verifiedOn: '2026-09-17',
      onTime: false,
      workdaysTaken: 11,
    });
    unwrap(archiveTask(doc, st, { taskId: id }, env));
    const archived = task(doc, id);
    expect(archived.status).toBe('archived');
    expect(archived.owner).toEqual({ name: '王五', ref: null });
    expect(archived.reassignments).toMatchObject([{ from: owner, to: { name: '王五' }, reason: '李四调岗' }]);
    expect(archived.history.map((e) => e.type)).toEqual([
      'published',
      'claimed',
      'reported',
      'reassigned',
      'close-requested',
      'returned',
      'close-requested',
      'verified',
      'archived',
    ]);
    expect(archived.ignored).toEqual([]);
    // One entry per write: the template, the instance, then the eight steps (refused calls write nothing).
    expect(readTaskAudit(doc)).toHaveLength(10);
  });

  it('flags a late claim and still lets the community work on', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-09-01');
    const comm = community();
    comm.clock.set('2026-09-04');
    expect(clockOf(task(doc, id), '2026-09-04').claimOverdue).toBe(true);
    unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
    expect(task(doc, id)).toMatchObject({ status: 'claimed', claimLate: true });
    expect(clockOf(task(doc, id), '2026-09-04').claimOverdue).toBe(false);
  });

  it('refuses every action out of turn, and the street’s actions to a community account', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-09-01');
    const comm = community();
    const st = street();
    const transition = (action: string, status: string) => ({
      code: 'invalid',
      field: 'action',
      params: { action, status },
    });
    expect(errorOf(reportProgress(doc, comm, { taskId: id, note: '进展' }, env))).toEqual(
      transition('report', 'published'),
    );
    expect(errorOf(requestClose(doc, comm, { taskId: id, closure: 'substantive', reason: 'r' }, env))).toEqual(
      transition('request-close', 'published'),
    );
    expect(errorOf(verifyClose(doc, st, { taskId: id }, env))).toEqual(transition('verify', 'published'));
    expect(errorOf(returnTask(doc, st, { taskId: id, reason: 'r' }, env))).toEqual(transition('return', 'published'));
    expect(errorOf(archiveTask(doc, st, { taskId: id }, env))).toEqual(transition('archive', 'published'));
    expect(errorOf(decideExtension(doc, st, { taskId: id, granted: 1, reason: 'r' }, env))).toEqual(
      transition('decide-extension', 'published'),
    );
    expect(errorOf(verifyClose(doc, comm, { taskId: id }, env))).toEqual({ code: 'permission-denied' });
    expect(errorOf(claimTask(doc, st, { taskId: id, owner }, env))).toEqual({ code: 'permission-denied' });
    expect(errorOf(claimTask(doc, comm, { taskId: 'nope', owner }, env))).toEqual({
      code: 'not-found',
      field: 'taskId',
    });
    unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
    expect(errorOf(claimTask(doc, comm, { taskId: id, owner }, env))).toEqual(transition('claim', 'claimed'));
    expect(errorOf(returnTask(doc, st, { taskId: id, reason: ' ' }, env))).toEqual({
      code: 'required',
      field: 'reason',
    });
    unwrap(requestClose(doc, comm, { taskId: id, closure: 'substantive', reason: '完成' }, env));
    expect(errorOf(reportProgress(doc, comm, { taskId: id, note: '进展' }, env))).toEqual(
      transition('report', 'closing'),
    );
    expect(errorOf(requestExtension(doc, comm, { taskId: id, days: 2, reason: 'r' }, env))).toEqual(
      transition('request-extension', 'closing'),
    );
    unwrap(verifyClose(doc, st, { taskId: id }, env));
    expect(errorOf(raiseCard(doc, st, { taskId: id, level: 'red', reason: 'r' }, env))).toEqual(
      transition('raise-card', 'closed'),
    );
    unwrap(archiveTask(doc, st, { taskId: id }, env));
    expect(errorOf(archiveTask(doc, st, { taskId: id }, env))).toEqual(transition('archive', 'archived'));
  });
});

describe('extensions', () => {
  it('pauses the clock while pending and moves the deadline across National Day', () => {
    const doc = new Y.Doc();
    // Published Mon 2026-09-14: 10 working days end on 09-28 (09-20 is a 调休 Sunday, 09-25..27 中秋).
    const id = publishOne(doc, '2026-09-14');
    expect(task(doc, id).deadlines.completionDue.date).toBe('2026-09-28');
    const comm = community();
    const st = street();
    comm.clock.set('2026-09-15');
    unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
    comm.clock.set('2026-09-24');
    unwrap(requestExtension(doc, comm, { taskId: id, days: 5, reason: '等待区级资金' }, env));
    expect(clockOf(task(doc, id), '2026-09-30')).toMatchObject({ paused: true, overdue: false, warning: false });
    // No closing while the request waits, no second request.
    expect(errorOf(requestClose(doc, comm, { taskId: id, closure: 'substantive', reason: 'r' }, env)).field).toBe(
      'action',
    );
    expect(errorOf(requestExtension(doc, comm, { taskId: id, days: 1, reason: 'r' }, env)).field).toBe('action');
    st.clock.set('2026-09-28');
    expect(errorOf(decideExtension(doc, st, { taskId: id, granted: 6, reason: '同意' }, env))).toEqual({
      code: 'invalid',
      field: 'granted',
      params: { asked: 5 },
    });
    unwrap(decideExtension(doc, st, { taskId: id, granted: 5, reason: '同意延期' }, env));
    const after = task(doc, id);
    // Pending 09-24 → 09-28: one working day paused (09-28). 10 + 5 + 1 = 16 working days from 09-14: 29, 30, then
    // 10-01..07 off, 10-08, 09, 10 (Sat, workday), 12.
    expect(after.deadlines.completionDue).toEqual({
      date: '2026-10-12',
      calendarVersion: env.calendar.version,
      uncovered: false,
    });
    expect(after.deadlines.warningOn.date).toBe('2026-09-29'); // floor(15 × 0.7) + 1 = 11
    expect(after.extensions).toMatchObject([
      {
        days: 5,
        reason: '等待区级资金',
        requestedOn: '2026-09-24',
        decision: { granted: 5, paused: 1, approver: { userId: 'u-street' } },
      },
    ]);
    expect(after.history.at(-1)).toMatchObject({ type: 'deadlines', cause: 'extension' });
  });

  it('is asked for before the limit runs out, and a refusal grants nothing', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-09-01');
    const comm = community();
    comm.clock.set('2026-09-02');
    unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
    comm.clock.set('2026-09-16');
    expect(errorOf(requestExtension(doc, comm, { taskId: id, days: 3, reason: '来不及' }, env))).toEqual({
      code: 'invalid',
      field: 'days',
      params: { completionDue: '2026-09-15' },
    });
    comm.clock.set('2026-09-15');
    unwrap(requestExtension(doc, comm, { taskId: id, days: 3, reason: '来不及' }, env));
    const st = street();
    st.clock.set('2026-09-15');
    unwrap(decideExtension(doc, st, { taskId: id, granted: 0, reason: '不同意' }, env));
    expect(task(doc, id)).toMatchObject({ granted: 0, paused: 0, pendingExtension: null });
    expect(task(doc, id).deadlines.completionDue.date).toBe('2026-09-15');
  });
});

describe('cards by hand', () => {
  it('raises, answers and cancels (only with a reason) a card', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-09-01');
    const st = street();
    const comm = community();
    st.clock.set('2026-09-30');
    const [raised] = unwrap(raiseCard(doc, st, { taskId: id, level: 'yellow', reason: '进度滞后' }, env));
    const cardId = (raised as { cardId: string }).cardId;
    // Reply due 2 working days after 09-30: 10-08, 10-09.
    expect(task(doc, id).cards).toMatchObject([
      {
        id: cardId,
        level: 'yellow',
        issuer: { userId: 'u-street' },
        raisedOn: '2026-09-30',
        replyDue: { date: '2026-10-09' },
        rule: null,
      },
    ]);
    comm.clock.set('2026-10-08');
    unwrap(replyCard(doc, comm, { taskId: id, cardId, reply: '已安排专人' }, env));
    expect(errorOf(replyCard(doc, comm, { taskId: id, cardId, reply: '再答' }, env)).field).toBe('action');
    expect(errorOf(cancelCard(doc, st, { taskId: id, cardId, reason: '' }, env))).toEqual({
      code: 'required',
      field: 'reason',
    });
    st.clock.set('2026-10-09');
    unwrap(cancelCard(doc, st, { taskId: id, cardId, reason: '误发' }, env));
    expect(errorOf(cancelCard(doc, st, { taskId: id, cardId, reason: '再撤' }, env)).field).toBe('action');
    expect(task(doc, id).cards[0]).toMatchObject({ reply: { text: '已安排专人' }, cancelled: { reason: '误发' } });
    const [second] = unwrap(
      raiseCard(doc, st, { taskId: id, level: 'red', reason: '仍未领办', replyWorkdays: 1 }, env),
    );
    const secondId = (second as { cardId: string }).cardId;
    expect(errorOf(replyCard(doc, comm, { taskId: id, cardId: 'nope', reply: 'x' }, env))).toEqual({
      code: 'not-found',
      field: 'cardId',
    });
    expect(errorOf(raiseCard(doc, comm, { taskId: id, level: 'red', reason: 'x' }, env))).toEqual({
      code: 'permission-denied',
    });
    unwrap(cancelCard(doc, st, { taskId: id, cardId: secondId, reason: '已领办' }, env));
    expect(errorOf(replyCard(doc, comm, { taskId: id, cardId: secondId, reply: 'x' }, env)).field).toBe('action');
  });
});

describe('two devices offline', () => {
  it('keeps both writers’ events and reads the same state on both sides after the merge', () => {
    const a = new Y.Doc();
    const id = publishOne(a, '2026-09-01');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const one = community();
    const other = { ...community(), actor: { userId: 'u-2', userName: '另一台', deviceId: 'dev-2' } };
    one.clock.set('2026-09-02');
    unwrap(claimTask(a, one, { taskId: id, owner }, env));
    unwrap(claimTask(b, other, { taskId: id, owner: { name: '赵六', ref: null } }, env));
    const st = street();
    st.clock.set('2026-09-03');
    unwrap(raiseCard(b, st, { taskId: id, level: 'normal', reason: '请加快' }, env));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const left = task(a, id);
    expect(task(b, id)).toEqual(left);
    expect(left.status).toBe('claimed');
    expect(left.ignored.map((e) => e.type)).toEqual(['claimed']);
    expect(left.cards).toHaveLength(1);
  });
});
