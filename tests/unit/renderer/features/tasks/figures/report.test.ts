import { describe, expect, it } from 'vitest';
import * as ExcelJS from 'exceljs';
import {
  FIGURE_COLUMNS,
  currentChoice,
  defaultAsOf,
  figureCell,
  figuresReport,
  type GridDirectory,
  periodOfChoice,
  rankRows,
} from '../../../../../../renderer/features/tasks/figures/report';
import { writeFiguresWorkbook } from '../../../../../../renderer/features/tasks/figures/exportFigures';
import { taskFigures, type TaskFigures } from '@shared/domain/tasks/stats';
import { SEPTEMBER, september } from './scenario';

const col = (key: string) => {
  const column = FIGURE_COLUMNS.find((c) => c.key === key);
  if (column === undefined) throw new Error(key);
  return column;
};
const pick = (f: TaskFigures, keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, figureCell(col(k), f)]));
const KEYS = [
  'published',
  'claimedOnTime',
  'claimOnTimeRate',
  'claimedLate',
  'open',
  'openNormal',
  'openOverdue',
  'closed',
  'closeRate',
  'due',
  'closedOnTime',
  'onTimeCloseRate',
  'substantive',
  'procedural',
  'averageWorkdays',
  'medianWorkdays',
  'cardsNormal',
  'cardsYellow',
  'cardsRed',
  'cardsCancelled',
  'returns',
];

describe('periods of the figures', () => {
  it('turns a month, a quarter or a year into its days, and takes the figures at its end or today', () => {
    expect(periodOfChoice({ kind: 'month', year: 2026, part: 2 })).toEqual({
      code: '2026-02',
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(periodOfChoice({ kind: 'quarter', year: 2026, part: 4 })).toEqual({
      code: '2026-Q4',
      from: '2026-10-01',
      to: '2026-12-31',
    });
    expect(periodOfChoice({ kind: 'year', year: 2027, part: 1 }).to).toBe('2027-12-31');
    expect(currentChoice('quarter', '2026-08-15')).toEqual({ kind: 'quarter', year: 2026, part: 3 });
    expect(currentChoice('month', '2026-08-15')).toEqual({ kind: 'month', year: 2026, part: 8 });
    expect(defaultAsOf('2026-09-30', '2026-12-01')).toBe('2026-09-30');
    expect(defaultAsOf('2026-12-31', '2026-12-01')).toBe('2026-12-01');
  });
});

describe('the figures report of a September in two communities (hand-computed)', () => {
  const { states } = september();
  const report = figuresReport(states(), SEPTEMBER, '2026-09-30');

  it('counts each community apart and ranks them by 按期办结率', () => {
    expect(report.byCommunity.map((r) => [r.rank, r.key])).toEqual([
      [1, 'xihe-b'],
      [2, 'xihe-a'],
    ]);
    const [b, a] = report.byCommunity;
    expect(pick(a?.figures as TaskFigures, KEYS)).toEqual({
      published: 3,
      claimedOnTime: 1,
      claimOnTimeRate: 1 / 3,
      claimedLate: 1,
      open: 1,
      openNormal: 0,
      openOverdue: 1,
      closed: 2,
      closeRate: 2 / 3,
      due: 3,
      closedOnTime: 1,
      onTimeCloseRate: 1 / 3,
      substantive: 1,
      procedural: 1,
      averageWorkdays: 10,
      medianWorkdays: 10,
      cardsNormal: 1,
      cardsYellow: 0,
      cardsRed: 0,
      cardsCancelled: 1,
      returns: 1,
    });
    expect(pick(b?.figures as TaskFigures, KEYS)).toEqual({
      published: 2,
      claimedOnTime: 2,
      claimOnTimeRate: 1,
      claimedLate: 0,
      open: 1,
      openNormal: 1,
      openOverdue: 0,
      closed: 1,
      closeRate: 0.5,
      due: 1,
      closedOnTime: 1,
      onTimeCloseRate: 1,
      substantive: 1,
      procedural: 0,
      averageWorkdays: 9,
      medianWorkdays: 9,
      cardsNormal: 0,
      cardsYellow: 1,
      cardsRed: 0,
      cardsCancelled: 0,
      returns: 0,
    });
  });

  it('adds up overall (the October task left out), rounds the mean to a tenth, and groups by person', () => {
    expect(
      pick(report.overall, [
        'published',
        'closed',
        'due',
        'closedOnTime',
        'onTimeCloseRate',
        'averageWorkdays',
        'medianWorkdays',
      ]),
    ).toEqual({
      published: 5,
      closed: 3,
      due: 4,
      closedOnTime: 2,
      onTimeCloseRate: 0.5,
      averageWorkdays: 9.7, // (7 + 13 + 9) / 3
      medianWorkdays: 9,
    });
    expect(report.byPerson.map((r) => [r.key, r.figures.published, r.figures.closed])).toEqual([
      ['acct:zhao', 2, 1],
      ['', 1, 0],
      ['acct:li', 1, 1],
      ['acct:wang', 1, 1],
    ]);
    expect(report.personNames.get('acct:zhao')).toBe('赵六');
  });

  it('lists the cards issued in the period, red first, with their state', () => {
    expect(report.cards.map((c) => [c.community, c.level, c.raisedOn, c.reason, c.state, c.issuer])).toEqual([
      ['xihe-b', 'yellow', '2026-09-29', '进度滞后', 'open', '街道督办员'],
      ['xihe-a', 'normal', '2026-09-04', '请尽快领办', 'cancelled', '街道督办员'],
    ]);
    // Taken as of 09-04, the normal card was not yet cancelled and the yellow one not yet raised.
    const early = figuresReport(states(), SEPTEMBER, '2026-09-04');
    expect(early.cards.map((c) => [c.level, c.state])).toEqual([['normal', 'open']]);
  });

  it('ranks ties together and puts a rate nobody could reach last', () => {
    const f = (over: Partial<TaskFigures>): TaskFigures => ({ ...taskFigures([], { asOf: '2026-09-30' }), ...over });
    const ranked = rankRows([
      { key: 'c', figures: f({ onTimeCloseRate: null, closeRate: 1 }) },
      { key: 'b', figures: f({ onTimeCloseRate: 0.5, closeRate: 0.5 }) },
      { key: 'a', figures: f({ onTimeCloseRate: 0.5, closeRate: 0.5 }) },
      { key: 'd', figures: f({ onTimeCloseRate: 0.9, closeRate: 0.1 }) },
    ]);
    expect(ranked.map((r) => [r.rank, r.key])).toEqual([
      [1, 'd'],
      [2, 'a'],
      [2, 'b'],
      [4, 'c'],
    ]);
  });
});

describe('the figures per grid (网格员 holding the tasks, hand-computed)', () => {
  const { states } = september();
  // 李四 serves two grids of xihe-a; 王五 one; 赵六 is xihe-b's 网格员. A 赵六 of xihe-a would not count in xihe-b.
  const grids: GridDirectory = new Map([
    [
      'xihe-a',
      [
        { id: 'g2', name: '第二网格', workers: ['王五', '李四'] },
        { id: 'g1', name: '第一网格', workers: [' 李四 '] },
        { id: 'g10', name: '第十网格', workers: ['赵六'] },
      ],
    ],
    ['xihe-b', [{ id: 'g3', name: '第一网格', workers: ['赵六'] }]],
  ]);
  const report = figuresReport(states(), SEPTEMBER, '2026-09-30', grids);

  it('counts a task for each grid of its community whose 网格员 holds it, the rest apart', () => {
    expect(report.byGrid.map((r) => [r.key, r.figures.published, r.figures.closed])).toEqual([
      ['xihe-a/g1', 1, 1],
      ['xihe-a/g2', 2, 2],
      ['xihe-b/g3', 2, 1],
      ['', 1, 0],
    ]);
    expect(report.gridNames.get('xihe-b/g3')).toBe('第一网格');
  });

  it('puts everything apart when the registry has no grids', () => {
    expect(figuresReport(states(), SEPTEMBER, '2026-09-30').byGrid.map((r) => [r.key, r.figures.published])).toEqual([
      ['', 5],
    ]);
  });
});

describe('the figures workbook', () => {
  it('reads back with the same numbers as the report, table by table', async () => {
    const { states } = september();
    const grids: GridDirectory = new Map([['xihe-b', [{ id: 'g3', name: '第一网格', workers: ['赵六'] }]]]);
    const report = figuresReport(states(), SEPTEMBER, '2026-09-30', grids);
    const names: Record<string, string> = { 'xihe-a': '西河A社区', 'xihe-b': '西河B社区' };
    const bytes = await writeFiguresWorkbook({
      report,
      title: '任务督办统计 2026年9月',
      figureHeaders: FIGURE_COLUMNS.map((c) => c.key),
      sheetNames: { summary: '汇总', community: '按社区', person: '按责任人', grid: '按网格', cards: '督办卡' },
      headers: { scope: '范围', rank: '排名', community: '社区', person: '责任人', grid: '网格' },
      overallLabel: '全部',
      communityName: (id) => names[id] ?? id,
      personName: (key) => report.personNames.get(key) ?? '未领办',
      gridName: (key) => report.gridNames.get(key) ?? '未落到网格',
      cardHeaders: ['社区', '文号', '级别', '日期'],
      cardRows: report.cards.map((c) => [names[c.community] ?? c.community, c.docNo, c.level, c.raisedOn]),
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '按社区', '按责任人', '按网格', '督办卡']);
    const rowsOf = (name: string) => {
      const sheet = workbook.getWorksheet(name) as ExcelJS.Worksheet;
      const rows: unknown[][] = [];
      sheet.eachRow((row, r) => {
        if (r >= 3) rows.push((row.values as unknown[]).slice(1).map((v) => v ?? null));
      });
      return rows;
    };
    const figures = (f: TaskFigures) => FIGURE_COLUMNS.map((c) => figureCell(c, f));
    expect(rowsOf('汇总')).toEqual([['全部', ...figures(report.overall)]]);
    expect(rowsOf('按社区')).toEqual([
      [1, '西河B社区', ...figures(report.byCommunity[0]?.figures as TaskFigures)],
      [2, '西河A社区', ...figures(report.byCommunity[1]?.figures as TaskFigures)],
    ]);
    expect(rowsOf('按责任人').map((r) => [r[0], r[1]])).toEqual([
      ['赵六', 2],
      ['未领办', 1],
      ['李四', 1],
      ['王五', 1],
    ]);
    expect(rowsOf('按网格').map((r) => [r[0], r[1]])).toEqual([
      ['第一网格', 2],
      ['未落到网格', 3],
    ]);
    expect(rowsOf('督办卡')).toEqual([
      ['西河B社区', report.cards[0]?.docNo, 'yellow', '2026-09-29'],
      ['西河A社区', report.cards[1]?.docNo, 'normal', '2026-09-04'],
    ]);
    // Hand-computed, in the sheet: xihe-a's 按期办结率 is 1/3 shown as a percentage; the mean 9.7 days overall.
    const community = workbook.getWorksheet('按社区') as ExcelJS.Worksheet;
    const rateColumn = 3 + FIGURE_COLUMNS.findIndex((c) => c.key === 'onTimeCloseRate');
    expect(community.getCell(4, rateColumn).value).toBeCloseTo(1 / 3, 10);
    expect(community.getColumn(rateColumn).numFmt).toBe('0.0%');
    const summary = workbook.getWorksheet('汇总') as ExcelJS.Worksheet;
    expect(summary.getCell(3, 2 + FIGURE_COLUMNS.findIndex((c) => c.key === 'averageWorkdays')).value).toBe(9.7);
  });
});
