import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { PRINT_ROOT_CLASS, usePrintRoot } from '../../ui/print';
import { kpiText } from './format';
import type { FigureGroup } from './PartyResourcesSection';
import type { DashboardReport } from './report';
import { cellText, type DashboardTable } from './tables';
import './print.css';

/** The tables the 通报 prints, in order (the others stay on the screen and in the workbook). */
const PRINTED = ['ranking', 'overdue', 'people', 'mediation'] as const;

/**
 * 数据看板通报 on A4, printed as the task figures' 通报 is (renderer/features/tasks/figures/TaskBulletin.tsx): the
 * period, the KPIs in a sentence with the previous period, the communities ranked, the overdue events, the people and
 * mediation; shown over the window in a portal under <body>, so printing leaves everything else out.
 */
export function DashboardBulletin({
  report,
  tables,
  periodText,
  onClose,
  party,
}: {
  report: DashboardReport;
  tables: readonly DashboardTable[];
  periodText: string;
  onClose: () => void;
  /** The party-building and resources figures as the screen's section words them (printed after the tables). */
  party?: readonly FigureGroup[];
}) {
  const t = useT();
  const platform = usePlatform();
  const [problem, setProblem] = useState<string | null>(null);
  usePrintRoot();
  const none = t('overview.none');
  const value = (key: Parameters<typeof kpiText>[0], previous = false) => {
    const kpi = report.dashboard.kpis.find((k) => k.key === key);
    return kpiText(key, (previous ? kpi?.previous : kpi?.value) ?? null, none);
  };
  const print = async () => {
    setProblem(null);
    try {
      const name = t('overview.report.fileName', { period: periodText });
      await platform.printToPdf({ defaultName: name.replace(/[\\/:*?"<>|]/g, '_'), pageSize: 'A4' });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return createPortal(
    <div
      className={`cgw-ov-overlay ${PRINT_ROOT_CLASS}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <Stack>
        <Group className="cgw-ov-no-print">
          <Button onClick={() => void print()} autoFocus>
            {t('overview.print')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('overview.report.back')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('overview.report.hint')}
          </Text>
        </Group>
        {problem && (
          <Alert color="red" className="cgw-ov-no-print">
            {problem}
          </Alert>
        )}
        <article className="cgw-ov-bulletin" data-testid="overview-bulletin">
          <h1>{t('overview.report.title')}</h1>
          <p className="cgw-ov-period">
            {t('overview.report.period', { period: periodText, from: report.from, to: report.to, asOf: report.asOf })}
          </p>
          <h2>{t('overview.report.overall')}</h2>
          <p className="cgw-ov-para" data-testid="overview-bulletin-overall">
            {t('overview.report.overallText', {
              workload: value('workload'),
              workloadBefore: value('workload', true),
              closeRate: value('closeRate'),
              onTimeRate: value('onTimeRate'),
              onTimeBefore: value('onTimeRate', true),
              average: value('averageWorkdays'),
              satisfaction: value('satisfaction'),
              satisfactionBefore: value('satisfaction', true),
              overdue: value('overdue'),
              cards: value('openCards'),
            })}
          </p>
          {PRINTED.map((key) => {
            const table = tables.find((x) => x.key === key);
            if (table === undefined) return null;
            return (
              <section key={key}>
                <h2>{table.name}</h2>
                {table.rows.length === 0 ? (
                  <p className="cgw-ov-para">{t('overview.nothing')}</p>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        {table.headers.map((h) => (
                          <th key={h}>{h}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {table.rows.map((row, i) => (
                        <tr key={i}>
                          {row.map((cell, j) => (
                            <td key={j} className={typeof cell === 'string' ? 'cgw-ov-text' : undefined}>
                              {cellText(table, i, j, cell, none)}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            );
          })}
          {party !== undefined && (
            <section data-testid="overview-bulletin-party">
              <h2>{t('overview.pr.title')}</h2>
              <table>
                <thead>
                  <tr>
                    <th>{t('overview.pr.x.group')}</th>
                    <th>{t('overview.col.figure')}</th>
                    <th>{t('overview.pr.x.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  {party.flatMap((group) =>
                    group.lines.map((line) => (
                      <tr key={`${group.key}/${line.key}`}>
                        <td className="cgw-ov-text">{group.title}</td>
                        <td className="cgw-ov-text">{line.label}</td>
                        <td>{line.value}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </section>
          )}
          <p className="cgw-ov-note">{t('overview.report.note')}</p>
        </article>
      </Stack>
    </div>,
    document.body,
  );
}
