import { describe, expect, it } from 'vitest';
import { planTaskImport } from '@shared/domain/tasks/import';
import { TEMPLATE_COLUMNS, templateHeader, templateRow } from '@shared/domain/tasks/template';
import { templateSchema, type TaskTemplate, type TaskTemplateInput } from '@shared/domain/tasks/types';
import {
  periodsToPublish,
  publishAll,
  publishItems,
  type PublishItem,
} from '../../../../../../renderer/features/tasks/import/publish';

let n = 0;
function tpl(schedule: TaskTemplateInput['schedule']): TaskTemplate {
  n++;
  return templateSchema.parse({
    id: `tpl-${n}`,
    docNo: `顺街督〔2026〕${n}号`,
    title: `任务${n}`,
    category: '基层治理',
    kind: 'work',
    lead: '社区居委会',
    responsible: { name: '张三', ref: null },
    claimLimit: 2,
    completionLimit: 10,
    schedule,
  });
}

describe('what an import publishes', () => {
  it('hands a task down for the periods of the year not ended on the day', () => {
    const monthly = tpl({ type: 'standing', repeat: 'monthly' });
    expect(periodsToPublish(monthly, 2026, '2026-09-15')).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
    expect(periodsToPublish(tpl({ type: 'standing', repeat: 'quarterly' }), 2026, '2026-09-30')).toEqual([
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(periodsToPublish(tpl({ type: 'standing', repeat: 'half-yearly' }), 2026, '2026-07-01')).toEqual(['2026-H2']);
    expect(periodsToPublish(tpl({ type: 'annual' }), 2026, '2026-12-31')).toEqual(['2026']);
    // A year ahead: every period; a year past: none.
    expect(periodsToPublish(monthly, 2027, '2026-12-20')).toHaveLength(12);
    expect(periodsToPublish(tpl({ type: 'annual' }), 2025, '2026-01-02')).toEqual([]);
  });

  it('publishes new and changed rows with their periods, never unchanged rows or rows with errors', () => {
    const known = [tpl({ type: 'annual' }), tpl({ type: 'annual' })];
    const changed = { ...known[1], title: '改名' } as TaskTemplate;
    const fresh = tpl({ type: 'standing', repeat: 'quarterly' });
    const bad = templateRow(tpl({ type: 'annual' })).map(String);
    bad[TEMPLATE_COLUMNS.indexOf('schedule')] = '隔周';
    const plan = planTaskImport(
      [
        TEMPLATE_COLUMNS.map(templateHeader),
        templateRow(known[0] as TaskTemplate).map(String),
        templateRow(changed).map(String),
        templateRow(fresh).map(String),
        bad,
      ],
      known,
    );
    expect(plan.counts).toEqual({ create: 1, update: 1, unchanged: 1, errors: 1 });
    const items = publishItems(plan, 2026, '2026-10-08');
    expect(items.map((i) => [i.rowNumber, i.action, i.template.docNo, i.periods])).toEqual([
      [3, 'update', changed.docNo, ['2026']],
      [4, 'create', fresh.docNo, ['2026-Q4']],
    ]);
    // An update keeps the id of the template it updates.
    expect(items[0]?.template.id).toBe(known[1]?.id);
  });

  it('runs the publishing one item after another with progress, and stops at the first refusal', async () => {
    const item = (rowNumber: number, action: 'create' | 'update'): PublishItem => ({
      rowNumber,
      action,
      template: tpl({ type: 'annual' }),
      periods: ['2026'],
    });
    const items = [item(2, 'create'), item(3, 'update'), item(4, 'create'), item(5, 'create')];
    const progress: [number, number][] = [];
    const seen: number[] = [];
    const outcome = await publishAll(
      items,
      (i) => {
        seen.push(i.rowNumber);
        if (i.rowNumber === 4) return Promise.resolve({ ok: false, error: { code: 'permission-denied' } });
        return Promise.resolve({ ok: true, value: i.action === 'create' ? ['a', 'b'] : [] });
      },
      (done, total) => progress.push([done, total]),
      2,
    );
    expect(seen).toEqual([2, 3, 4]);
    expect(progress).toEqual([
      [1, 4],
      [2, 4],
    ]);
    expect(outcome).toEqual({
      created: 1,
      updated: 1,
      instances: 2,
      refused: { rowNumber: 4, error: { code: 'permission-denied' } },
    });
  });
});
