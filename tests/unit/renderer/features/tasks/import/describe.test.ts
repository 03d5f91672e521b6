import { describe, expect, it } from 'vitest';
import { domainError } from '@shared/domain/result';
import { planTaskImport } from '@shared/domain/tasks/import';
import { TEMPLATE_COLUMNS, templateHeader } from '@shared/domain/tasks/template';
import { describeTaskImportError } from '../../../../../../renderer/features/tasks/import/describe';
import { en, zhCN, type MessageKey } from '../../../../../../renderer/i18n/catalog';

function translator(messages: Record<MessageKey, string>) {
  return (key: MessageKey, params: Record<string, string | number> = {}) =>
    messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
const zh = translator(zhCN);

describe('the words of a task-list import error', () => {
  it('names the column and says what to write, for every error a bad row can give', () => {
    const header = TEMPLATE_COLUMNS.map(templateHeader);
    const cell = (values: Partial<Record<(typeof TEMPLATE_COLUMNS)[number], string>>) =>
      TEMPLATE_COLUMNS.map((c) => values[c] ?? '');
    const base = {
      docNo: '顺街督〔2026〕1号',
      title: '任务',
      category: '类别',
      lead: '居委会',
      responsible: '张三',
      claimLimit: '2',
      completionLimit: '10',
      schedule: '年度',
    };
    const plan = planTaskImport(
      [
        header,
        cell({ ...base, responsible: '', kind: '重点', reportFrequency: '每年', claimLimit: '两天', fundAmount: '-5' }),
        cell({ ...base, docNo: '顺街督〔2026〕2号', schedule: '隔周', milestones: '摸底' }),
        cell({ ...base, docNo: '顺街督〔2026〕3号', milestones: '摸底:50；落实:40', claimLimit: '12' }),
        cell({ ...base, docNo: '顺街督[2026]3号' }),
      ],
      [],
    );
    const texts = plan.rows.map((r) => r.errors.map((e) => describeTaskImportError(zh, e)));
    expect(texts).toEqual([
      [
        '责任人必须填写',
        '督办类型应填“工作督办”或“专项督办”（也可不填）',
        '报送频次应填 无、每日、每周、每月 或 阶段性',
        '领办时限应为 1-365 的工作日数，例如 5、5天 或 5个工作日',
        '资金金额应为不小于 0 的数字（元），例如 20000 或 20,000元',
      ],
      [
        '任务周期应填 每月、每季度、每半年、每年、年度 或 一次性',
        '节点应写成“名称:权重”或“名称:权重:佐证”，用分号隔开，权重为1-100的整数',
      ],
      ['节点权重合计为 90，应为 100', '领办时限不能长于办结时限（10 个工作日）'],
      ['文号与第 4 行重复'],
    ]);
  });

  it('words header errors, and speaks English on an English screen', () => {
    const missing = domainError('import.header-missing', 'docNo', { column: 'docNo' });
    expect(describeTaskImportError(zh, missing)).toBe('缺少必需的列：文号');
    expect(describeTaskImportError(translator(en), missing)).toBe('A required column is missing: Document no.');
    expect(describeTaskImportError(zh, domainError('import.too-many-rows', undefined, { max: 2000 }))).toBe(
      '一次最多导入 2000 行，请分批导入',
    );
    expect(describeTaskImportError(translator(en), domainError('required', 'title', { row: 3 }))).toBe(
      'Task is required',
    );
  });
});
