/**
 * What a hostile or broken device can append to a tasks document (the sync server only keeps `events` append-only):
 * the readers leave out whatever does not fit the shapes the commands write, never throw, and the state of the
 * honest instance stays what its honest events make it (docs/tasks-model.md, "layout").
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyCardRules, claimTask, requestClose, verifyClose } from '@shared/domain/tasks/commands';
import { clockOf } from '@shared/domain/tasks/state';
import { listTasks, listTemplates, readTask, taskEventsArray, tasksMap, templatesMap } from '@shared/ydoc/tasks';
import { community, env, publishOne, street, task, unwrap } from './fixtures';

/** Appends raw entries to the events array, as a device bypassing the commands would. */
function append(doc: Y.Doc, entries: readonly unknown[]): void {
  doc.getArray<unknown>('events').push([...entries]);
}

function honest(): { doc: Y.Doc; id: string } {
  const doc = new Y.Doc();
  const id = publishOne(doc, '2026-09-01');
  const ctx = community();
  ctx.clock.set('2026-09-02');
  unwrap(claimTask(doc, ctx, { taskId: id, owner: { name: '李四', ref: null } }, env));
  return { doc, id };
}

const by = { userId: 'u-x', userName: '某人' };

describe('a tasks document written by a hostile device', () => {
  it('reads past entries that are not events at all, or events missing their fields, without throwing', () => {
    const { doc, id } = honest();
    const before = task(doc, id);
    append(doc, [
      null,
      42,
      'claimed',
      [],
      { taskId: id },
      { taskId: id, id: 'h1', at: '2026-09-03T00:00:00Z', on: '2026-09-03', by, type: 'deadlines' },
      { taskId: id, id: 'h2', at: '2026-09-03T00:00:00Z', on: '2026-09-03', by, type: 'no-such-type' },
      { taskId: id, id: 'h3', at: '2026-09-03T00:00:00Z', on: 'tomorrow', by, type: 'returned', reason: 'x' },
      { taskId: id, id: 'h4', at: '2026-09-03T00:00:00Z', on: '2026-09-03', type: 'reported', note: 'no author' },
    ]);
    const after = task(doc, id);
    expect(after.status).toBe('claimed');
    expect(after.deadlines).toEqual(before.deadlines);
    expect(after.history.map((e) => e.id)).toEqual(before.history.map((e) => e.id));
    expect(after.ignored).toEqual([]);
    expect(() => clockOf(after, '2026-09-20')).not.toThrow();
    expect(listTasks(doc).map((s) => s.id)).toEqual([id]);
  });

  it('leaves out an oversized event (a 100 000-character note, 10 000 attachments)', () => {
    const { doc, id } = honest();
    const stamp = { taskId: id, at: '2026-09-03T00:00:00Z', on: '2026-09-03', by };
    const report = { ...stamp, type: 'reported', progress: 50, milestoneId: null };
    append(doc, [
      { ...report, id: 'big1', note: 'x'.repeat(100_000), attachments: [] },
      { ...report, id: 'big2', note: 'ok', attachments: Array.from({ length: 10_000 }, (_, i) => `file:${i}`) },
      { ...report, id: 'fits', note: 'ok', attachments: ['file:1'] },
    ]);
    // The well-formed report of the same shape is read: the check is on the bounds, not on the device.
    expect(task(doc, id).reports.map((r) => r.id)).toEqual(['fits']);
  });

  it('reads no event of an instance the document does not hold (another community’s task)', () => {
    const { doc, id } = honest();
    const other = id.replace(':xihe-a:', ':xihe-b:');
    append(doc, [{ taskId: other, id: 'o1', at: '2026-09-03T00:00:00Z', on: '2026-09-03', by, type: 'archived' }]);
    expect(readTask(doc, other)).toBeNull();
    expect(listTasks(doc).map((s) => s.id)).toEqual([id]);
  });

  it('leaves out an instance whose id does not name its template, community and period, or is not one', () => {
    const { doc, id } = honest();
    const base = tasksMap(doc).get(id);
    if (base === undefined) throw new Error('no base');
    doc.transact(() => {
      const raw = tasksMap(doc) as Y.Map<unknown>;
      // An id of this community over a record of another one: it would count in that community's figures.
      raw.set(`${base.templateId}:xihe-a:2026-Q1`, {
        ...base,
        id: `${base.templateId}:xihe-a:2026-Q1`,
        community: 'xihe-b',
        period: '2026-Q1',
      });
      raw.set('forged', { ...base, id: 'forged' });
      raw.set('null', null);
      raw.set('text', 'a task');
      (templatesMap(doc) as Y.Map<unknown>).set('junk', { id: 'junk' });
      (templatesMap(doc) as Y.Map<unknown>).set('null', null);
    });
    expect(listTasks(doc).map((s) => s.id)).toEqual([id]);
    expect(readTask(doc, 'forged')).toBeNull();
    expect(readTask(doc, 'null')).toBeNull();
    expect(listTemplates(doc).map((t) => t.id)).toEqual([base.templateId]);
  });

  it('reads 20 000 appended events in a time that grows with their number, not its square', () => {
    const { doc, id } = honest();
    const stamp = (i: number) => ({ taskId: id, id: `n${i}`, at: '2026-09-03T00:00:00Z', on: '2026-09-03', by });
    const replyDue = { date: '2026-09-07', calendarVersion: env.calendar.version, uncovered: false };
    append(
      doc,
      Array.from({ length: 20_000 }, (_, i) =>
        i % 2 === 0
          ? { ...stamp(i), type: 'reported', note: '.', progress: null, milestoneId: null, attachments: [] }
          : { ...stamp(i), type: 'card-raised', cardId: `k${i}`, level: 'normal', reason: '.', replyDue, rule: null },
      ),
    );
    // Copying the lists on every event took 25 s here (past the test's timeout); the fold takes well under one. The
    // time is not asserted: a quadratic fold fails by the timeout.
    const state = task(doc, id);
    expect(state.reports).toHaveLength(10_000);
    expect(state.cards).toHaveLength(10_000);
  });

  it('sets aside events dated years from the publishing day, so no command stops on them', () => {
    const { doc, id } = honest();
    const far = { date: '2012-01-04', calendarVersion: env.calendar.version, uncovered: false };
    const stamp = (i: number, on: string) => ({ taskId: id, id: `far${i}`, at: `2026-09-03T00:0${i}:00Z`, on, by });
    const ctx = street();
    ctx.clock.set('2026-12-31');
    // Deadlines that ran out in 2012, 14 years before the red-card rule's today: the working-day count between them
    // refused to run, and applyCardRules threw for the whole document.
    append(doc, [
      {
        ...stamp(1, '2026-09-03'),
        type: 'deadlines',
        cause: 'calendar',
        deadlines: { claimDue: far, completionDue: far, warningOn: far },
      },
    ]);
    expect(() => unwrap(applyCardRules(doc, ctx, {}, env))).not.toThrow();
    // A close request dated 2012, verified in 2026: the working days taken could not be counted; verifyClose threw.
    append(doc, [{ ...stamp(2, '2012-01-04'), type: 'close-requested', closure: 'procedural', reason: '.' }]);
    const state = task(doc, id);
    expect(state.ignored.map((e) => e.id)).toEqual(['far1', 'far2']);
    expect(state.status).toBe('claimed');
    const owner = community();
    owner.clock.set('2026-09-04');
    unwrap(requestClose(doc, owner, { taskId: id, closure: 'substantive', reason: '已办结' }, env));
    expect(() => unwrap(verifyClose(doc, ctx, { taskId: id }, env))).not.toThrow();
    expect(task(doc, id).status).toBe('closed');
  });

  it('cannot push an honest event out by writing another under its id ahead of it', () => {
    const { doc, id } = honest();
    const claim = taskEventsArray(doc)
      .toArray()
      .find((e) => e.type === 'claimed');
    if (claim === undefined) throw new Error('no claim');
    // Inserted at the head of the array (Yjs lets any device insert anywhere): first in arrival order.
    doc
      .getArray<unknown>('events')
      .insert(0, [{ ...claim, type: 'reported', note: '.', progress: null, milestoneId: null, attachments: [] }]);
    const state = task(doc, id);
    expect(state.status).toBe('claimed');
    expect(state.owner).toEqual({ name: '李四', ref: null });
    // A plain copy still counts once.
    doc.getArray<unknown>('events').push([{ ...claim }]);
    expect(task(doc, id).history.filter((e) => e.type === 'claimed')).toHaveLength(1);
  });

  it('still reads every event the commands write (nothing honest is left out)', () => {
    const { doc, id } = honest();
    const stored = taskEventsArray(doc)
      .toArray()
      .filter((e) => e.taskId === id);
    expect(task(doc, id).history.map((e) => e.id)).toEqual(stored.map((e) => e.id));
  });
});
