/**
 * A fund's yearly report as an .xlsx (exceljs), the way the dashboard is exported (renderer/features/overview/
 * exportDashboard.ts): a summary sheet (opening balance, income and spending by category, closing balance) and the
 * year's entries. Amounts are numbers in yuan with two decimals, so the workbook computes further; words are the
 * screen's language.
 */
import * as ExcelJS from 'exceljs';
import type { FundReport } from '@shared/domain/resources/funds';
import type { MessageKey, Translate } from '../../i18n';
import { categoryLabel } from './data';

const MONEY = '#,##0.00';

export async function writeFundWorkbook(
  t: Translate,
  report: FundReport,
  communityName: string,
  residentName: (id: string) => string,
): Promise<Uint8Array<ArrayBuffer>> {
  const fund = t(`resources.fund.${report.fund}` as MessageKey);
  const category = (c: string) => categoryLabel(t, c);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  const title = `${communityName} ${t('resources.report.title', { fund, year: report.year })}`.trim();

  const summary = workbook.addWorksheet(t('resources.report.sheetSummary'));
  summary.addRow([title]).font = { bold: true, size: 13 };
  summary.addRow([t('resources.report.item'), t('resources.report.amount')]).font = { bold: true };
  summary.addRow([t('resources.report.opening'), report.opening / 100]);
  for (const [c, v] of report.incomeByCategory)
    summary.addRow([t('resources.report.incomeOf', { category: category(c) }), v / 100]);
  summary.addRow([t('resources.report.income'), report.income / 100]).font = { bold: true };
  for (const [c, v] of report.spendingByCategory)
    summary.addRow([t('resources.report.spendingOf', { category: category(c) }), v / 100]);
  summary.addRow([t('resources.report.spending'), report.spending / 100]).font = { bold: true };
  summary.addRow([t('resources.report.closing'), report.closing / 100]).font = { bold: true };
  summary.getColumn(1).width = 28;
  summary.getColumn(2).width = 16;
  summary.getColumn(2).numFmt = MONEY;

  const sheet = workbook.addWorksheet(t('resources.report.sheetEntries'), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow([
    t('resources.field.date'),
    t('resources.field.kind'),
    t('resources.field.category'),
    t('resources.field.amount'),
    t('resources.field.member'),
    t('resources.field.reason'),
    t('resources.field.note'),
  ]).font = { bold: true };
  for (const e of report.entries) {
    sheet.addRow([
      e.date,
      t(e.kind === 'income' ? 'resources.kind.income' : 'resources.kind.spending') +
        (e.reverses ? t('resources.inParens', { text: t('resources.funds.reversal') }) : ''),
      category(e.category),
      e.amount / 100,
      e.memberId ? residentName(e.memberId) : '',
      e.reason,
      e.note,
    ]);
  }
  [12, 12, 14, 14, 12, 24, 30].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  sheet.getColumn(4).numFmt = MONEY;
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
}
