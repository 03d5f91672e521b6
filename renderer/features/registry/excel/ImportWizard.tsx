import { Alert, Badge, Button, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { importResidents, type ImportSummary } from '@shared/domain/registry/commands';
import { importInputFromPlan } from '@shared/domain/registry/import';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import type { ImportAnalysis, SheetError } from '../../../data/excel';
import { writeImportTemplate } from '../../../data/excel';
import { useStore } from '../../../data/hooks';
import { useT, type MessageKey } from '../../../i18n';
import { PlatformError, usePlatform } from '../../../platform';
import { describeImportError } from './describeImportError';
import { planImportInWorker, type ImportStage } from './planImport';

/** Preview rows shown at most: the person fixes the sheet in Excel, not here; the counts cover every row. */
const PREVIEW_LIMIT = 200;

const SHEET_ERRORS: Readonly<Record<SheetError, MessageKey>> = {
  'not-excel': 'excel.error.not-excel',
  xls: 'excel.error.xls',
  csv: 'excel.error.csv',
  damaged: 'excel.error.damaged',
  empty: 'excel.error.empty',
  'too-large': 'excel.error.too-large',
};

type State =
  | { step: 'idle' }
  | { step: 'reading'; fileName: string; stage: ImportStage; done: number; total: number }
  | { step: 'preview'; fileName: string; sheetName: string; analysis: ImportAnalysis }
  | { step: 'importing'; count: number; done: number }
  | { step: 'done'; summary: ImportSummary };

/** 从Excel导入居民: choose a file, watch it being read and checked, review the rows with problems, import the rest. */
/** Rows per transaction when importing: big enough to be quick, small enough to keep the window responsive. */
const IMPORT_SLICE = 2000;

export function ImportWizard({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const [state, setState] = useState<State>({ step: 'idle' });
  const [message, setMessage] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const choose = async () => {
    setMessage(null);
    let file;
    try {
      file = await platform.openFile({
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
        maxBytes: 30 * 1024 * 1024,
      });
    } catch (error) {
      setMessage(
        error instanceof PlatformError && error.code === 'file-too-large'
          ? t('excel.error.too-large')
          : t('excel.import.failed', { message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    if (!file) return;
    const fileName = file.name;
    const controller = new AbortController();
    abort.current = controller;
    setState({ step: 'reading', fileName, stage: 'open', done: 0, total: 1 });
    const outcome = await planImportInWorker(
      store,
      community,
      file.bytes,
      (progress) => {
        if (!controller.signal.aborted) setState({ step: 'reading', fileName, ...progress });
      },
      controller.signal,
    );
    if (controller.signal.aborted) return;
    abort.current = null;
    if (outcome.kind === 'done') {
      setState({ step: 'preview', fileName, sheetName: outcome.sheetName, analysis: outcome.analysis });
    } else {
      setState({ step: 'idle' });
      setMessage(
        outcome.kind === 'refused'
          ? t(SHEET_ERRORS[outcome.error])
          : t('excel.import.failed', { message: outcome.message }),
      );
    }
  };

  const cancel = () => {
    abort.current?.abort();
    abort.current = null;
    setState({ step: 'idle' });
  };

  const confirm = async (analysis: ImportAnalysis) => {
    const input = importInputFromPlan(analysis.plan);
    const rowNumbers = analysis.plan.rows.flatMap((row) => (row.input === undefined ? [] : [row.rowNumber]));
    const count = input.rows.length;
    // Imported in slices: each slice is one Yjs transaction (one audit entry with its count), and between slices the
    // window repaints the progress bar and stays responsive. Every row was checked by the plan, so a slice is refused
    // only if the registry changed meanwhile (e.g. sync brought the same ID number); earlier slices then stay imported.
    const summary = {
      importId: '',
      residentIds: [] as ImportSummary['residentIds'][number][],
      householdsCreated: 0,
      entrancesCreated: 0,
    };
    for (let start = 0; start < count; start += IMPORT_SLICE) {
      setState({ step: 'importing', count, done: start });
      await new Promise((resolve) => setTimeout(resolve, 16));
      const result = await store.run(community, importResidents, {
        rows: input.rows.slice(start, start + IMPORT_SLICE),
      });
      if (!result.ok) {
        setState({ step: 'idle' });
        const row = result.error.params?.row;
        setMessage(
          refusal(
            typeof row === 'number'
              ? { ...result.error, params: { ...result.error.params, row: row + start } }
              : result.error,
            rowNumbers,
          ) + (start > 0 ? ` ${t('excel.import.partial', { count: start })}` : ''),
        );
        return;
      }
      summary.importId ||= result.value.importId;
      summary.residentIds.push(...result.value.residentIds);
      summary.householdsCreated += result.value.householdsCreated;
      summary.entrancesCreated += result.value.entrancesCreated;
    }
    setState({ step: 'done', summary });
  };

  const refusal = (error: DomainError, rowNumbers: readonly number[]): string => {
    const index = error.params?.row;
    const row = typeof index === 'number' ? rowNumbers[index] : undefined;
    const text = describeImportError(t, error);
    return row === undefined
      ? t('excel.import.refused', { message: text })
      : t('excel.import.refusedRow', { row, message: text });
  };

  const downloadTemplate = async () => {
    const content = await writeImportTemplate();
    await platform.saveFile({
      defaultName: t('excel.import.templateName'),
      content,
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    });
  };

  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('excel.import.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('excel.import.hint')}
        </Text>
        {message !== null && (
          <Alert color="red" data-testid="import-message" withCloseButton onClose={() => setMessage(null)}>
            {message}
          </Alert>
        )}
        {(state.step === 'idle' || state.step === 'done') && (
          <>
            {state.step === 'done' && (
              <Alert
                color="green"
                data-testid="import-done"
                title={t('excel.import.done', { count: state.summary.residentIds.length })}
              >
                {t('excel.import.doneHouseholds', {
                  households: state.summary.householdsCreated,
                  entrances: state.summary.entrancesCreated,
                })}
              </Alert>
            )}
            <Group>
              <Button onClick={() => void choose()}>{t('excel.import.choose')}</Button>
              <Button variant="default" onClick={() => void downloadTemplate()}>
                {t('excel.import.template')}
              </Button>
            </Group>
          </>
        )}
        {state.step === 'reading' && <ReadingProgress state={state} onCancel={cancel} />}
        {state.step === 'preview' && (
          <ImportPreview
            fileName={state.fileName}
            sheetName={state.sheetName}
            analysis={state.analysis}
            onConfirm={() => void confirm(state.analysis)}
            onCancel={cancel}
          />
        )}
        {state.step === 'importing' && (
          <Stack gap="xs" data-testid="import-progress">
            <Text>{t('excel.import.importing', { count: state.count })}</Text>
            <Progress value={(100 * state.done) / Math.max(1, state.count)} animated />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function ReadingProgress({ state, onCancel }: { state: Extract<State, { step: 'reading' }>; onCancel: () => void }) {
  const t = useT();
  // Opening is one step of unknown length; rows are counted; checking is one step after them.
  const value =
    state.stage === 'open' ? 5 : state.stage === 'rows' ? 5 + (80 * state.done) / Math.max(1, state.total) : 90;
  const label =
    state.stage === 'open'
      ? t('excel.import.stage.open', { name: state.fileName })
      : state.stage === 'rows'
        ? t('excel.import.stage.rows', { done: state.done, total: state.total })
        : t('excel.import.stage.check', { total: state.total });
  return (
    <Stack gap="xs" data-testid="import-progress">
      <Text size="sm">{label}</Text>
      <Progress value={value} animated aria-label={label} />
      <Group>
        <Button variant="default" onClick={onCancel}>
          {t('excel.import.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

function ImportPreview({
  fileName,
  sheetName,
  analysis,
  onConfirm,
  onCancel,
}: {
  fileName: string;
  sheetName: string;
  analysis: ImportAnalysis;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const { plan, preview } = analysis;
  const shown = preview.slice(0, PREVIEW_LIMIT);
  return (
    <Stack data-testid="import-preview">
      <Text size="sm">{t('excel.import.file', { name: fileName, sheet: sheetName })}</Text>
      {plan.headerErrors.length > 0 ? (
        <Alert color="red" title={t('excel.import.headerErrors')} data-testid="import-header-errors">
          <Stack gap={4}>
            {plan.headerErrors.map((error, i) => (
              <Text key={i} size="sm">
                {describeImportError(t, error)}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : (
        <>
          <Group gap="xs" data-testid="import-summary">
            <Badge variant="light" color="gray">
              {t('excel.import.summary.rows', { count: plan.rows.length })}
            </Badge>
            <Badge variant="light" color="green">
              {t('excel.import.summary.valid', { count: plan.validCount })}
            </Badge>
            <Badge variant="light" color={plan.errorCount > 0 ? 'red' : 'gray'}>
              {t('excel.import.summary.errors', { count: plan.errorCount })}
            </Badge>
            <Badge variant="light" color="blue">
              {t('excel.import.summary.households', { count: plan.newHouseholds })}
            </Badge>
          </Group>
          {analysis.idAsNumberCount > 0 && (
            <Alert color="orange">{t('excel.import.idAsNumber', { count: analysis.idAsNumberCount })}</Alert>
          )}
        </>
      )}
      {plan.ignoredHeaders.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('excel.import.ignored', { headers: plan.ignoredHeaders.join('、') })}
        </Text>
      )}
      {shown.length > 0 && (
        <Table striped withTableBorder data-testid="import-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('excel.import.col.row')}</Table.Th>
              <Table.Th>{t('excel.import.col.name')}</Table.Th>
              <Table.Th>{t('excel.import.col.idNumber')}</Table.Th>
              <Table.Th>{t('excel.import.col.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr key={row.rowNumber} data-row={row.rowNumber} data-valid={row.valid}>
                <Table.Td>{row.rowNumber}</Table.Td>
                <Table.Td>{row.name}</Table.Td>
                <Table.Td ff="monospace">{row.idMasked}</Table.Td>
                <Table.Td>
                  {row.valid ? (
                    <Text size="sm" c="green">
                      {t('excel.import.row.ok')}
                    </Text>
                  ) : (
                    <Stack gap={2}>
                      {row.idAsNumber && (
                        <Text size="sm" c="red">
                          {t('excel.import.row.idAsNumber')}
                        </Text>
                      )}
                      {row.errors.map((error, i) => (
                        <Text key={i} size="sm" c="red">
                          {describeImportError(t, error)}
                        </Text>
                      ))}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {preview.length > shown.length && (
        <Text size="sm" c="dimmed">
          {t('excel.import.shown', { shown: shown.length, total: preview.length })}
        </Text>
      )}
      <Group>
        <Button onClick={onConfirm} disabled={plan.validCount === 0}>
          {t('excel.import.confirm', { count: plan.validCount })}
        </Button>
        <Button variant="default" onClick={onCancel}>
          {t('excel.import.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
