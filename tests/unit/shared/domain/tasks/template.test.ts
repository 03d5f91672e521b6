import { describe, expect, it } from 'vitest';
import { planTaskImport, taskColumnOfHeader, templateIdOf, TASK_IMPORT_COLUMNS } from '@shared/domain/tasks/import';
import {
  ERROR_COLUMN_HEADER,
  EXAMPLE_ROW,
  TEMPLATE_COLUMNS,
  errorCells,
  instructionRows,
  templateHeader,
  templateRow,
} from '@shared/domain/tasks/template';
import { templateSchema, type TaskTemplate } from '@shared/domain/tasks/types';
import { template } from './fixtures';

const headers = () => TEMPLATE_COLUMNS.map(templateHeader);
const asText = (cells: readonly (string | number)[]) => cells.map(String);

function parsed(overrides: Parameters<typeof template>[0] = {}): TaskTemplate {
  const t = templateSchema.parse(template(overrides));
  // A template read from a sheet has the id its 文号 makes.
  return { ...t, id: templateIdOf(t.docNo) };
}

describe('the task-list template as data', () => {
  it('writes every column the import reads, each header read back as its own column', () => {
    expect([...TEMPLATE_COLUMNS].sort()).toEqual([...TASK_IMPORT_COLUMNS].sort());
    for (const column of TEMPLATE_COLUMNS) expect(taskColumnOfHeader(templateHeader(column))).toBe(column);
    expect(templateHeader('docNo')).toBe('文号*');
    expect(templateHeader('claimLimit')).toBe('领办时限（工作日）*');
    expect(templateHeader('basis')).toBe('依据文件');
    // The error column the write-back adds is no column of the import: a written-back sheet imports again.
    expect(taskColumnOfHeader(ERROR_COLUMN_HEADER)).toBeNull();
  });

  it('explains every column once, required ones marked, with the example value', () => {
    const lines = instructionRows();
    expect(lines.map((l) => l.header)).toEqual(headers());
    expect(lines.filter((l) => l.required).map((l) => l.header)).toEqual(headers().filter((h) => h.endsWith('*')));
    expect(lines.find((l) => l.header.startsWith('任务周期'))?.values).toMatch(/每季度.*年度/);
    expect(lines.find((l) => l.header.startsWith('节点'))?.values).toContain('名称:权重');
    for (const line of lines) expect(line.meaning.length).toBeGreaterThan(1);
  });

  it('its example row imports as a valid quarterly task with two milestones', () => {
    const plan = planTaskImport([headers(), asText(TEMPLATE_COLUMNS.map((c) => EXAMPLE_ROW[c]))], []);
    expect(plan.headerErrors).toEqual([]);
    const row = plan.rows[0];
    expect(row?.errors).toEqual([]);
    expect(row?.template?.schedule).toEqual({ type: 'standing', repeat: 'quarterly' });
    expect(row?.template?.milestones.map((m) => [m.title, m.weight, m.evidence])).toEqual([
      ['摸底排查', 40, '排查台账'],
      ['整改落实', 60, '整改前后照片'],
    ]);
    expect(row?.template?.coOwners).toEqual(['物业公司', '网格员']);
    expect(row?.template?.fund).toEqual({ name: '社区发展治理基金', amount: 20000 });
  });

  it('a template written as a row reads back as the same template (every schedule, kind and frequency)', () => {
    const templates = [
      parsed(),
      parsed({ kind: 'special', reportFrequency: 'milestone', schedule: { type: 'standing', repeat: 'monthly' } }),
      parsed({ reportFrequency: 'none', milestones: [], fund: null, coOwners: [], basis: '' }),
      parsed({ reportFrequency: 'daily', schedule: { type: 'standing', repeat: 'half-yearly' } }),
      parsed({ reportFrequency: 'monthly', schedule: { type: 'standing', repeat: 'yearly' } }),
      parsed({
        schedule: { type: 'standing', repeat: 'quarterly' },
        milestones: [{ id: 'm1', title: '全部', weight: 100, evidence: '' }],
      }),
    ];
    const plan = planTaskImport([headers(), ...templates.map((t) => asText(templateRow(t)))], []);
    expect(plan.rows.map((r) => r.errors)).toEqual(templates.map(() => []));
    expect(plan.rows.map((r) => r.template)).toEqual(templates);
    // Imported again against what it made, nothing changes.
    const again = planTaskImport([headers(), ...templates.map((t) => asText(templateRow(t)))], templates);
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: templates.length, errors: 0 });
  });

  it("lays out a plan's errors by row and by the column index the header gave, in any column order", () => {
    const shuffled = [...headers()].reverse();
    const good = asText(templateRow(parsed()));
    const row = (cells: string[]) => [...cells].reverse();
    const bad = asText(templateRow(parsed()));
    bad[TEMPLATE_COLUMNS.indexOf('kind')] = '重点督办';
    bad[TEMPLATE_COLUMNS.indexOf('claimLimit')] = '两天';
    const noTitle = asText(templateRow(parsed()));
    noTitle[TEMPLATE_COLUMNS.indexOf('title')] = '';
    const plan = planTaskImport([shuffled, row(good), row(bad), [], row(noTitle)], []);
    const index = (c: (typeof TEMPLATE_COLUMNS)[number]) => shuffled.indexOf(templateHeader(c));
    const cells = errorCells(plan);
    expect(cells.map((c) => c.row)).toEqual([3, 5]);
    expect(cells[0]?.cells).toEqual([index('kind'), index('claimLimit')].sort((a, b) => a - b));
    expect(cells[0]?.errors.map((e) => [e.code, e.field])).toEqual([
      ['invalid', 'kind'],
      ['number.invalid', 'claimLimit'],
    ]);
    expect(cells[1]?.cells).toEqual([index('title')]);
    expect(cells[1]?.errors.map((e) => [e.code, e.field, e.params?.row])).toEqual([['required', 'title', 5]]);
  });
});
