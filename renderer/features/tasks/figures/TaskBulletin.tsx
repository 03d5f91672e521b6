import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../../i18n';
import { cardReason } from '../labels';
import { usePlatform } from '../../../platform';
import { PRINT_ROOT_CLASS, usePrintRoot } from '../../../ui/print';
import { decimalText, percentText } from './format';
import type { FiguresReport } from './report';
import './print.css';

/**
 * 任务督办情况通报 on A4 (docs/tasks-model.md, "figures"): title, period, the overall figures in a sentence, the
 * communities' table with their rank, and the cards issued. Shown over the whole window in a portal under <body>, so
 * printing (the platform's print: window.print() in a browser, a PDF on the desktop) leaves out everything else.
 */
export function TaskBulletin({
  report,
  periodText,
  communityName,
  onClose,
}: {
  report: FiguresReport;
  periodText: string;
  communityName: (id: string) => string;
  onClose: () => void;
}) {
  const t = useT();
  const platform = usePlatform();
  const [problem, setProblem] = useState<string | null>(null);
  usePrintRoot();
  const none = t('taskFigures.none');
  const f = report.overall;
  const days = (v: number | null) => (v === null ? none : t('taskFigures.days', { days: decimalText(v, none) }));
  const print = async () => {
    setProblem(null);
    try {
      const name = t('taskFigures.report.fileName', { period: periodText });
      await platform.printToPdf({ defaultName: name.replace(/[\\/:*?"<>|]/g, '_'), pageSize: 'A4' });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return createPortal(
    <div
      className={`cgw-tf-overlay ${PRINT_ROOT_CLASS}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <Stack>
        <Group className="cgw-tf-no-print">
          <Button onClick={() => void print()} autoFocus>
            {t('taskFigures.print')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('taskFigures.report.back')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('taskFigures.report.hint')}
          </Text>
        </Group>
        {problem && (
          <Alert color="red" className="cgw-tf-no-print">
            {problem}
          </Alert>
        )}
        <article className="cgw-tf-bulletin" data-testid="task-bulletin">
          <h1>{t('taskFigures.report.title')}</h1>
          <p className="cgw-tf-period">
            {t('taskFigures.report.period', {
              period: periodText,
              from: report.from,
              to: report.to,
              asOf: report.asOf,
            })}
          </p>
          <h2>{t('taskFigures.report.overall')}</h2>
          <p className="cgw-tf-para" data-testid="bulletin-overall">
            {t('taskFigures.report.overallText', {
              published: f.published,
              claimRate: percentText(f.claimOnTimeRate, none),
              closed: f.closed,
              closeRate: percentText(f.closeRate, none),
              onTimeRate: percentText(f.onTimeCloseRate, none),
              substantive: f.substantive,
              procedural: f.procedural,
              open: f.open,
              overdue: f.openOverdue,
              average: days(f.averageWorkdays),
              median: days(f.medianWorkdays),
              normal: f.cards.normal,
              yellow: f.cards.yellow,
              red: f.cards.red,
              extensions: f.extensionsRequested,
              returns: f.returns,
            })}
          </p>
          <h2>{t('taskFigures.report.communities')}</h2>
          <table data-testid="bulletin-communities">
            <thead>
              <tr>
                <th>{t('taskFigures.col.rank')}</th>
                <th>{t('taskFigures.col.community')}</th>
                <th>{t('taskFigures.fig.published')}</th>
                <th>{t('taskFigures.fig.claimOnTimeRate')}</th>
                <th>{t('taskFigures.fig.openNormal')}</th>
                <th>{t('taskFigures.fig.openOverdue')}</th>
                <th>{t('taskFigures.fig.closed')}</th>
                <th>{t('taskFigures.fig.closeRate')}</th>
                <th>{t('taskFigures.fig.onTimeCloseRate')}</th>
                <th>{t('taskFigures.fig.substantive')}</th>
                <th>{t('taskFigures.fig.procedural')}</th>
                <th>{t('taskFigures.fig.averageWorkdays')}</th>
                <th>{t('taskFigures.fig.cardsYellow')}</th>
                <th>{t('taskFigures.fig.cardsRed')}</th>
              </tr>
            </thead>
            <tbody>
              {report.byCommunity.map((row) => (
                <tr key={row.key}>
                  <td>{row.rank}</td>
                  <td className="cgw-tf-text">{communityName(row.key)}</td>
                  <td>{row.figures.published}</td>
                  <td>{percentText(row.figures.claimOnTimeRate, none)}</td>
                  <td>{row.figures.openNormal}</td>
                  <td>{row.figures.openOverdue}</td>
                  <td>{row.figures.closed}</td>
                  <td>{percentText(row.figures.closeRate, none)}</td>
                  <td>{percentText(row.figures.onTimeCloseRate, none)}</td>
                  <td>{row.figures.substantive}</td>
                  <td>{row.figures.procedural}</td>
                  <td>{decimalText(row.figures.averageWorkdays, none)}</td>
                  <td>{row.figures.cards.yellow}</td>
                  <td>{row.figures.cards.red}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="cgw-tf-note">{t('taskFigures.report.ranking')}</p>
          <h2>{t('taskFigures.report.cards')}</h2>
          {report.cards.length === 0 ? (
            <p className="cgw-tf-para">{t('taskFigures.noCards')}</p>
          ) : (
            <table data-testid="bulletin-cards">
              <thead>
                <tr>
                  <th>{t('taskFigures.col.level')}</th>
                  <th>{t('taskFigures.col.community')}</th>
                  <th>{t('taskFigures.col.docNo')}</th>
                  <th>{t('taskFigures.col.task')}</th>
                  <th>{t('taskFigures.col.raisedOn')}</th>
                  <th>{t('taskFigures.col.reason')}</th>
                  <th>{t('taskFigures.col.issuer')}</th>
                  <th>{t('taskFigures.col.cardState')}</th>
                </tr>
              </thead>
              <tbody>
                {report.cards.map((card, i) => (
                  <tr key={`${card.community}-${card.docNo}-${card.raisedOn}-${i}`}>
                    <td>{t(`taskFigures.level.${card.level}`)}</td>
                    <td className="cgw-tf-text">{communityName(card.community)}</td>
                    <td className="cgw-tf-text">{card.docNo}</td>
                    <td className="cgw-tf-text">{card.title}</td>
                    <td>{card.raisedOn}</td>
                    <td className="cgw-tf-text">{cardReason(t, card)}</td>
                    <td>{card.issuer}</td>
                    <td>{t(`taskFigures.cardState.${card.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      </Stack>
    </div>,
    document.body,
  );
}
