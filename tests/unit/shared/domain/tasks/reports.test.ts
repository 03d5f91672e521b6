/**
 * Report reminders by frequency (docs/tasks-model.md, "report reminders"), hand-computed on 2026's calendar:
 * 09-20 (Sunday) and 10-10 (Saturday) are 调休 working days, 09-25..27 中秋 and 10-01..07 国庆节 days off.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { claimTask, reportProgress, requestClose } from '@shared/domain/tasks/commands';
import { reportSchedule } from '@shared/domain/tasks/reports';
import type { TaskTemplateInput } from '@shared/domain/tasks/types';
import { community, env, publishOne, task, unwrap } from './fixtures';

const calendar = nationalCalendar();
const owner = { name: '社区干部', ref: 'u-comm' };

function claimed(day: string, overrides: Partial<TaskTemplateInput>) {
  const doc = new Y.Doc();
  const id = publishOne(doc, '2026-09-01', overrides);
  const comm = community();
  comm.clock.set(day);
  unwrap(claimTask(doc, comm, { taskId: id, owner }, env));
  const report = (on: string) => {
    comm.clock.set(on);
    unwrap(reportProgress(doc, comm, { taskId: id, note: `${on} 进度` }, env));
  };
  return { doc, id, comm, report };
}

describe('report reminders', () => {
  it('weekly: one report a week by its last working day (a 调休 Sunday, a day before 中秋), missed weeks listed', () => {
    const { doc, id, report } = claimed('2026-09-02', { reportFrequency: 'weekly' });
    report('2026-09-03');
    // Reported on the Saturday of the week whose last working day is the 调休 Sunday 09-20.
    report('2026-09-19');
    expect(reportSchedule(task(doc, id), calendar, '2026-09-29')).toEqual({
      due: '2026-09-30',
      reportedNow: false,
      missed: ['2026-09-11', '2026-09-24'],
    });
    report('2026-09-29');
    // This week has its report: the next is due by the 调休 Saturday 10-10 (the week of 国庆节).
    expect(reportSchedule(task(doc, id), calendar, '2026-09-29')).toEqual({
      due: '2026-10-10',
      reportedNow: true,
      missed: ['2026-09-11', '2026-09-24'],
    });
  });

  it('weekly: a task claimed on the last working day of a week owes nothing for that week', () => {
    const { doc, id } = claimed('2026-09-11', { reportFrequency: 'weekly' });
    expect(reportSchedule(task(doc, id), calendar, '2026-09-12')).toEqual({
      due: '2026-09-20',
      reportedNow: false,
      missed: [],
    });
  });

  it('monthly: by the last working day of the month (a Saturday 10-31 gives Friday 10-30)', () => {
    const { doc, id } = claimed('2026-09-02', { reportFrequency: 'monthly' });
    expect(reportSchedule(task(doc, id), calendar, '2026-10-09')).toEqual({
      due: '2026-10-30',
      reportedNow: false,
      missed: ['2026-09-30'],
    });
  });

  it('daily: every working day after the claim day, the 调休 Sunday included, weekends not', () => {
    const { doc, id, report } = claimed('2026-09-18', { reportFrequency: 'daily' });
    report('2026-09-21');
    expect(reportSchedule(task(doc, id), calendar, '2026-09-22')).toEqual({
      due: '2026-09-22',
      reportedNow: false,
      missed: ['2026-09-20'],
    });
  });

  it('owes nothing before the claim, after asking to close, or by milestone only', () => {
    const doc = new Y.Doc();
    const id = publishOne(doc, '2026-09-01', { reportFrequency: 'weekly' });
    expect(reportSchedule(task(doc, id), calendar, '2026-09-29')).toBeNull();
    const milestone = claimed('2026-09-02', { reportFrequency: 'milestone' });
    expect(reportSchedule(task(milestone.doc, milestone.id), calendar, '2026-09-29')).toBeNull();
    const closing = claimed('2026-09-02', { reportFrequency: 'weekly' });
    closing.comm.clock.set('2026-09-10');
    unwrap(
      requestClose(closing.doc, closing.comm, { taskId: closing.id, closure: 'substantive', reason: '已完成' }, env),
    );
    expect(reportSchedule(task(closing.doc, closing.id), calendar, '2026-09-29')).toBeNull();
  });
});
