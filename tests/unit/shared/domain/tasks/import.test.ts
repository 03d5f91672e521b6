import { describe, expect, it } from 'vitest';
import { docNoKey, parseMilestones, planTaskImport, templateIdOf } from '@shared/domain/tasks/import';
import { periodOn, periodRange, periodsOf, publishedOnFor, taskIdOf } from '@shared/domain/tasks/periods';

const HEADER = [
  '文号*',
  '任务名称',
  '任务类别',
  '依据文件',
  '督办类型',
  '牵头单位',
  '协办单位',
  '责任人',
  '领办时限（工作日）',
  '办结时限（工作日）',
  '报送频次',
  '任务周期',
  '节点',
  '关联资金',
  '资金金额（元）',
  '备注',
];

function row(overrides: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    文号: '顺街督〔2026〕1号',
    任务名称: '老旧小区加装电梯摸排',
    任务类别: '城市更新',
    依据文件: '顺委办〔2026〕3号',
    督办类型: '专项督办',
    牵头单位: '社区党委',
    协办单位: '物业公司、业委会',
    责任人: '张书记',
    领办时限: '2个工作日',
    办结时限: '20',
    报送频次: '每周',
    任务周期: '每季度',
    节点: '摸底:30:台账；公示:70:照片',
    关联资金: '社区发展基金',
    资金金额: '50,000元',
    备注: '',
  };
  const merged = { ...base, ...overrides };
  return Object.values(merged).map((v) => v ?? '');
}

describe('planning a task-list import', () => {
  it('turns a row into a template with its fields, skipping a title row above the headers', () => {
    const plan = planTaskImport([['顺庆区西河街道2026年督办任务清单'], HEADER, row()], []);
    expect(plan.headerErrors).toEqual([]);
    expect(plan.headerRow).toBe(2);
    expect(plan.ignoredHeaders).toEqual(['备注']);
    expect(plan.counts).toEqual({ create: 1, update: 0, unchanged: 0, errors: 0 });
    expect(plan.rows[0]).toMatchObject({
      rowNumber: 3,
      action: 'create',
      template: {
        id: templateIdOf('顺街督〔2026〕1号'),
        docNo: '顺街督〔2026〕1号',
        kind: 'special',
        coOwners: ['物业公司', '业委会'],
        responsible: { name: '张书记', ref: null },
        claimLimit: 2,
        completionLimit: 20,
        reportFrequency: 'weekly',
        schedule: { type: 'standing', repeat: 'quarterly' },
        milestones: [
          { id: 'm1', title: '摸底', weight: 30, evidence: '台账' },
          { id: 'm2', title: '公示', weight: 70, evidence: '照片' },
        ],
        fund: { name: '社区发展基金', amount: 50_000 },
        cardRules: { warningShare: 0.7, redAfterOverdue: 5, replyWorkdays: 2 },
      },
    });
  });

  it('gives each bad row its errors by column and row, and keeps the good rows', () => {
    const plan = planTaskImport(
      [
        HEADER,
        row({ 文号: '顺街督〔2026〕2号', 督办类型: '临时', 领办时限: '两天', 任务周期: '' }),
        row({ 文号: '顺街督〔2026〕3号', 节点: '摸底:30；公示:60' }),
        row({ 文号: '顺街督〔2026〕4号', 领办时限: '30', 办结时限: '10' }),
        row({ 文号: '顺街督[2026]4号' }),
        row({ 文号: '顺街督〔2026〕5号' }),
      ],
      [],
    );
    expect(plan.rows.map((r) => [r.rowNumber, r.errors.map((e) => `${e.code}:${e.field ?? ''}`)])).toEqual([
      [2, ['required:schedule', 'invalid:kind', 'number.invalid:claimLimit']],
      [3, ['invalid:milestones']],
      [4, ['invalid:claimLimit']],
      [5, ['import.duplicate-in-file:docNo']],
      [6, []],
    ]);
    expect(plan.rows[3]?.errors[0]?.params).toEqual({ row: 5, first: 4 });
    expect(plan.counts).toEqual({ create: 1, update: 0, unchanged: 0, errors: 4 });
  });

  it('says the weights and the limits with the other cell errors of the row, with the figures to fix them', () => {
    const plan = planTaskImport(
      [
        HEADER,
        row({ 责任人: '', 节点: '摸底:50；公示:40', 领办时限: '12', 办结时限: '10天' }),
        row({ 文号: '顺街督〔2026〕2号', 节点: '摸底:50；公示:40；验收:20' }),
      ],
      [],
    );
    expect(plan.rows.map((r) => r.errors.map((e) => [e.code, e.field, e.params]))).toEqual([
      [
        ['required', 'responsible', { row: 2 }],
        ['invalid', 'milestones', { row: 2, total: 90 }],
        ['invalid', 'claimLimit', { row: 2, completionLimit: 10 }],
      ],
      [['invalid', 'milestones', { row: 3, total: 110 }]],
    ]);
  });

  it('updates by 文号 on a second import, keeping the id and what the sheet does not hold', () => {
    const first = planTaskImport([HEADER, row(), row({ 文号: '顺街督〔2026〕9号' })], []);
    const known = first.rows.flatMap((r) =>
      r.template === undefined
        ? []
        : [{ ...r.template, cardRules: { warningShare: 0.8, redAfterOverdue: 3, replyWorkdays: 2 } }],
    );
    const second = planTaskImport(
      [HEADER, row({ 文号: '顺街督［2026］1号', 办结时限: '25' }), row({ 文号: '顺街督〔2026〕9号' })],
      known,
    );
    expect(second.counts).toEqual({ create: 0, update: 1, unchanged: 1, errors: 0 });
    expect(second.rows[0]).toMatchObject({
      action: 'update',
      changed: ['docNo', 'completionLimit'],
      template: { id: known[0]?.id, completionLimit: 25, cardRules: { warningShare: 0.8 } },
    });
    expect(second.rows[1]).toMatchObject({ action: 'unchanged', changed: [] });
  });

  it('reports a missing required header, an empty sheet and a malformed milestone cell', () => {
    expect(planTaskImport([['任务名称'], ['x']], []).headerErrors.map((e) => e.field)).toEqual([
      'docNo',
      'category',
      'lead',
      'responsible',
      'claimLimit',
      'completionLimit',
      'schedule',
    ]);
    expect(planTaskImport([], []).headerErrors).toEqual([{ code: 'import.empty' }]);
    expect(parseMilestones('摸底：40\n整改：60：照片')).toEqual([
      { id: 'm1', title: '摸底', weight: 40, evidence: '' },
      { id: 'm2', title: '整改', weight: 60, evidence: '照片' },
    ]);
    expect(parseMilestones('摸底')).toBeNull();
    expect(docNoKey('顺街督 〔2026〕 1号')).toBe(docNoKey('顺街督[2026]1号'));
  });
});

describe('periods', () => {
  it('cuts a year by the repeat rule and gives each period its days', () => {
    expect(periodsOf({ type: 'annual' }, 2026)).toEqual(['2026']);
    expect(periodsOf({ type: 'standing', repeat: 'half-yearly' }, 2026)).toEqual(['2026-H1', '2026-H2']);
    expect(periodsOf({ type: 'standing', repeat: 'quarterly' }, 2026)).toHaveLength(4);
    expect(periodsOf({ type: 'standing', repeat: 'monthly' }, 2026).at(-1)).toBe('2026-12');
    expect(periodRange('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('2026-H2')).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(periodRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('2026-Q5')).toBeNull();
    expect(periodOn({ type: 'standing', repeat: 'quarterly' }, '2026-08-15')).toBe('2026-Q3');
    expect(publishedOnFor('2026-Q4', '2026-09-20')).toBe('2026-10-01');
    expect(publishedOnFor('2026-Q3', '2026-09-20')).toBe('2026-09-20');
    expect(taskIdOf('tpl-1', 'xihe-a', '2026-Q3')).toBe('tpl-1:xihe-a:2026-Q3');
  });
});
