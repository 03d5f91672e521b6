import { Alert, Button, Group, NativeSelect, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import { hasPermission } from '@shared/domain/kernel';
import { publishTask } from '@shared/domain/tasks/commands';
import { planTaskImport, type TaskImportPlan, type TaskImportRow } from '@shared/domain/tasks/import';
import type { DomainError } from '@shared/domain/result';
import { isCommunityId } from '@shared/ydoc/docName';
import { listTemplates } from '@shared/ydoc/tasks';
import { readSheet, type SheetError } from '../../../data/excel';
import { useDocValue, useStore } from '../../../data/hooks';
import { useT, type MessageKey } from '../../../i18n';
import { PlatformError, usePlatform } from '../../../platform';
import { usePermissions } from '../../sync';
import { tasksDoc, tasksEnvOf } from '../data';
import { columnLabel, describeTaskImportError, isTaskColumn } from './describe';
import { publishAll, publishItems, type PublishOutcome } from './publish';
import { writeBackErrors, writeTaskTemplate } from './workbook';

/** Rows listed on screen at most: the person fixes the sheet in Excel; the counts cover every row. */
const LIST_LIMIT = 200;

const SHEET_ERRORS: Readonly<Record<SheetError, MessageKey>> = {
  'not-excel': 'excel.error.not-excel',
  xls: 'excel.error.xls',
  csv: 'excel.error.csv',
  damaged: 'excel.error.damaged',
  empty: 'excel.error.empty',
  'too-large': 'excel.error.too-large',
};

type Step =
  | { step: 'idle' }
  | { step: 'reading'; fileName: string; done: number; total: number }
  | { step: 'checked'; fileName: string; bytes: Uint8Array; plan: TaskImportPlan }
  | { step: 'publishing'; fileName: string; done: number; total: number }
  | { step: 'done'; outcome: PublishOutcome; unchanged: number };

const readTemplates = (doc: Y.Doc) => listTemplates(doc);

/**
 * 导入任务清单 (docs/tasks-model.md, "import"): download the template (blank, or with this year's tasks), choose a
 * filled workbook, see each row checked (nothing written yet), download the same workbook with the errors marked,
 * then confirm: new and changed tasks are handed down to this community through `publishTask`, with progress.
 */
export function TaskImport({ communityId }: { communityId: string }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const permissions = usePermissions(communityId);
  const mayPublish = hasPermission(permissions, 'tasks.supervise');
  const today = chinaDate(new Date());
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const docName = isCommunityId(communityId) ? tasksDoc(communityId, year) : null;
  const known = useDocValue(docName, readTemplates);
  const [state, setState] = useState<Step>({ step: 'idle' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const busy = useRef(false);
  const describe = useCallback((e: DomainError) => describeTaskImportError(t, e), [t]);

  const failed = (error: unknown) =>
    setMessage({
      ok: false,
      text: t('taskImport.failed', { message: error instanceof Error ? error.message : String(error) }),
    });

  const save = async (bytes: Uint8Array<ArrayBuffer>, defaultName: string) => {
    const saved = await platform.saveFile({
      defaultName,
      content: bytes,
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    });
    if (saved !== null) setMessage({ ok: true, text: t('taskImport.saved', { file: saved.path }) });
  };

  const downloadTemplate = async (withKnown: boolean) => {
    setMessage(null);
    try {
      await save(
        await writeTaskTemplate(withKnown ? (known ?? []) : []),
        withKnown ? t('taskImport.exportKnownName', { year }) : t('taskImport.templateName'),
      );
    } catch (error) {
      failed(error);
    }
  };

  const choose = async () => {
    if (busy.current || known === undefined) return;
    setMessage(null);
    let file;
    try {
      file = await platform.openFile({
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
        maxBytes: 30 * 1024 * 1024,
      });
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'file-too-large') {
        setMessage({ ok: false, text: t('excel.error.too-large') });
      } else failed(error);
      return;
    }
    if (!file) return;
    const fileName = file.name;
    busy.current = true;
    try {
      setState({ step: 'reading', fileName, done: 0, total: 1 });
      // Let the progress show before the workbook is parsed (2,000 rows take seconds on this thread).
      await new Promise((resolve) => setTimeout(resolve, 0));
      const sheet = await readSheet(file.bytes, (done, total) => setState({ step: 'reading', fileName, done, total }));
      if (!sheet.ok) {
        setState({ step: 'idle' });
        setMessage({ ok: false, text: t(SHEET_ERRORS[sheet.error]) });
        return;
      }
      setState({ step: 'checked', fileName, bytes: file.bytes, plan: planTaskImport(sheet.value.rows, known) });
    } catch (error) {
      setState({ step: 'idle' });
      failed(error);
    } finally {
      busy.current = false;
    }
  };

  const downloadErrors = async (fileName: string, bytes: Uint8Array, plan: TaskImportPlan) => {
    setMessage(null);
    try {
      const name = fileName.replace(/\.xlsx$/i, '');
      await save(await writeBackErrors(bytes, plan, describe), t('taskImport.errorsFileName', { name }));
    } catch (error) {
      failed(error);
    }
  };

  const confirm = async (fileName: string, plan: TaskImportPlan) => {
    if (busy.current || docName === null || !isCommunityId(communityId)) return;
    busy.current = true;
    setMessage(null);
    const items = publishItems(plan, year, chinaDate(new Date()));
    const env = await tasksEnvOf(store, communityId);
    try {
      setState({ step: 'publishing', fileName, done: 0, total: items.length });
      const outcome = await publishAll(
        items,
        (item) =>
          store.runOn(
            docName,
            (doc, ctx, input: Parameters<typeof publishTask>[2]) => publishTask(doc, ctx, input, env),
            { template: item.template, community: communityId, periods: [...item.periods] },
          ),
        (done, total) => setState({ step: 'publishing', fileName, done, total }),
      );
      setState({ step: 'done', outcome, unchanged: plan.counts.unchanged });
    } catch (error) {
      setState({ step: 'idle' });
      failed(error);
    } finally {
      busy.current = false;
    }
  };

  const years = [thisYear - 1, thisYear, thisYear + 1];

  return (
    <Stack>
      <Title order={2}>{t('taskImport.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('taskImport.intro')}
      </Text>
      <Group align="end">
        <Button variant="default" onClick={() => void downloadTemplate(false)}>
          {t('taskImport.template')}
        </Button>
        <Button
          variant="default"
          disabled={known === undefined || known.length === 0}
          onClick={() => void downloadTemplate(true)}
        >
          {t('taskImport.exportKnown')}
        </Button>
      </Group>
      <Group align="end">
        <NativeSelect
          label={t('taskImport.year')}
          description={t('taskImport.yearHint')}
          value={String(year)}
          onChange={(e) => {
            setYear(Number(e.currentTarget.value));
            setState({ step: 'idle' });
          }}
          data={years.map(String)}
          disabled={state.step === 'reading' || state.step === 'publishing'}
        />
        <Button
          onClick={() => void choose()}
          disabled={known === undefined || state.step === 'reading' || state.step === 'publishing'}
        >
          {t('taskImport.choose')}
        </Button>
      </Group>
      {!mayPublish && (
        <Alert color="yellow" role="status">
          {t('taskImport.notSupervisor')}
        </Alert>
      )}
      {message && (
        <Alert color={message.ok ? 'green' : 'red'} role="status">
          {message.text}
        </Alert>
      )}
      {state.step === 'reading' && (
        <Progress.Root size="lg" aria-label={t('taskImport.checking', { file: state.fileName })}>
          <Progress.Section value={state.total === 0 ? 0 : (100 * state.done) / state.total}>
            <Progress.Label>
              {t('taskImport.reading', { file: state.fileName, done: state.done, total: state.total })}
            </Progress.Label>
          </Progress.Section>
        </Progress.Root>
      )}
      {state.step === 'publishing' && (
        <Stack gap={4}>
          <Text size="sm" role="status">
            {t('taskImport.publishing', { done: state.done, total: state.total })}
          </Text>
          <Progress value={state.total === 0 ? 100 : (100 * state.done) / state.total} aria-hidden />
        </Stack>
      )}
      {state.step === 'checked' && (
        <Checked
          fileName={state.fileName}
          plan={state.plan}
          year={year}
          mayPublish={mayPublish}
          describe={describe}
          onErrors={() => void downloadErrors(state.fileName, state.bytes, state.plan)}
          onConfirm={() => void confirm(state.fileName, state.plan)}
          onAgain={() => void choose()}
        />
      )}
      {state.step === 'done' && (
        <Alert color={state.outcome.refused ? 'red' : 'green'} role="status" data-testid="task-import-done">
          <Text size="sm">
            {t('taskImport.done', {
              created: state.outcome.created,
              updated: state.outcome.updated,
              unchanged: state.unchanged,
              instances: state.outcome.instances,
            })}
          </Text>
          {state.outcome.refused && (
            <Text size="sm">
              {t('taskImport.refused', {
                row: state.outcome.refused.rowNumber,
                message: refusalText(state.outcome.refused.error, describe),
              })}
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  );
}

function refusalText(error: unknown, describe: (e: DomainError) => string): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return describe(error as DomainError);
  return String(error);
}

/** The checked workbook: counts, the rows with errors, what will be imported, and the actions. */
function Checked({
  fileName,
  plan,
  year,
  mayPublish,
  describe,
  onErrors,
  onConfirm,
  onAgain,
}: {
  fileName: string;
  plan: TaskImportPlan;
  year: number;
  mayPublish: boolean;
  describe: (e: DomainError) => string;
  onErrors: () => void;
  onConfirm: () => void;
  onAgain: () => void;
}) {
  const t = useT();
  const items = useMemo(() => publishItems(plan, year, chinaDate(new Date())), [plan, year]);
  const periodsOf = useMemo(() => new Map(items.map((i) => [i.rowNumber, i.periods])), [items]);
  const bad = plan.rows.filter((r) => r.errors.length > 0);
  const good = plan.rows.filter((r) => r.errors.length === 0);
  const hasErrors = plan.headerErrors.length > 0 || bad.length > 0;
  const toImport = plan.counts.create + plan.counts.update;
  const actionText = (row: TaskImportRow) => {
    if (row.action === 'create') return t('taskImport.action.create');
    if (row.action === 'update') {
      const fields = (row.changed ?? []).map((f) => (isTaskColumn(f) ? columnLabel(t, f) : f)).join('、');
      return t('taskImport.action.update', { fields });
    }
    return t('taskImport.action.unchanged');
  };
  return (
    <Paper withBorder p="md">
      <Stack>
        <Text fw={600} data-testid="task-import-summary">
          {t('taskImport.summary', { file: fileName, ...plan.counts })}
        </Text>
        {plan.headerErrors.length > 0 && (
          <Alert color="red" title={t('taskImport.headerProblem')}>
            {plan.headerErrors.map(describe).join('；')}
          </Alert>
        )}
        {bad.length > 0 && (
          <>
            <Title order={3} size="h5">
              {t('taskImport.errorsTitle')}
            </Title>
            <Table withTableBorder striped data-testid="task-import-errors">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('taskImport.col.row')}</Table.Th>
                  <Table.Th>{t('taskImport.col.problem')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {bad.slice(0, LIST_LIMIT).map((r) => (
                  <Table.Tr key={r.rowNumber}>
                    <Table.Td>{r.rowNumber}</Table.Td>
                    <Table.Td>{r.errors.map(describe).join('；')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {bad.length > LIST_LIMIT && (
              <Text size="sm">{t('taskImport.more', { count: bad.length - LIST_LIMIT })}</Text>
            )}
          </>
        )}
        {good.length > 0 && (
          <>
            <Title order={3} size="h5">
              {t('taskImport.changesTitle')}
            </Title>
            <Table withTableBorder striped data-testid="task-import-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('taskImport.col.row')}</Table.Th>
                  <Table.Th>{t('taskImport.col.docNo')}</Table.Th>
                  <Table.Th>{t('taskImport.col.title')}</Table.Th>
                  <Table.Th>{t('taskImport.col.action')}</Table.Th>
                  <Table.Th>{t('taskImport.col.periods')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {good.slice(0, LIST_LIMIT).map((r) => (
                  <Table.Tr key={r.rowNumber}>
                    <Table.Td>{r.rowNumber}</Table.Td>
                    <Table.Td>{r.template?.docNo}</Table.Td>
                    <Table.Td>{r.template?.title}</Table.Td>
                    <Table.Td>{actionText(r)}</Table.Td>
                    <Table.Td>
                      {r.action === 'unchanged'
                        ? ''
                        : (periodsOf.get(r.rowNumber)?.join('、') ?? t('taskImport.noPeriods'))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {good.length > LIST_LIMIT && (
              <Text size="sm">{t('taskImport.more', { count: good.length - LIST_LIMIT })}</Text>
            )}
          </>
        )}
        {toImport === 0 && !hasErrors && <Text size="sm">{t('taskImport.nothingToDo')}</Text>}
        <Group>
          {hasErrors && (
            <Button variant="default" color="red" onClick={onErrors}>
              {t('taskImport.downloadErrors')}
            </Button>
          )}
          <Button onClick={onConfirm} disabled={!mayPublish || items.length === 0}>
            {bad.length > 0
              ? t('taskImport.confirmWithErrors', { count: items.length, errors: bad.length })
              : t('taskImport.confirm', { count: items.length })}
          </Button>
          <Button variant="subtle" onClick={onAgain}>
            {t('taskImport.again')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
