import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Progress,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useRef, useState } from 'react';
import { importResidents, type ImportSummary } from '@shared/domain/registry/commands';
import {
  importInputFromPlan,
  withoutNewBuildings,
  type ImportChange,
  type ImportMode,
  type ImportPlan,
} from '@shared/domain/registry/import';
import { naturalCompare } from '@shared/domain/naturalOrder';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import type { ImportAnalysis, PreviewRow, SheetContent, SheetError } from '../../../data/excel';
import { previewRows, writeImportTemplate, writeProblemRows } from '../../../data/excel';
import { useRecords, useStore } from '../../../data/hooks';
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
  | { step: 'preview'; fileName: string; content: SheetContent; analysis: ImportAnalysis }
  | { step: 'importing'; count: number; done: number }
  | { step: 'done'; summary: ImportSummary };

/** Rows per transaction when importing: big enough to be quick, small enough to keep the window responsive. */
const IMPORT_SLICE = 2000;

/** What the person chose for the import (docs/registry-model.md, "Import"). */
interface Choices {
  /** The compound of rows without a 小区 column or value; `undefined`: not chosen yet (the only compound, if one). */
  readonly compoundId: string | null | undefined;
  readonly mode: ImportMode;
  readonly clearBlanks: boolean;
}

/**
 * 从Excel导入居民: choose the default compound and the mode, choose a file, watch it being read and checked, review the
 * rows (problems, changes, skipped rows, buildings to create), export the problem rows to fix, import the rest.
 */
export function ImportWizard({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const [state, setState] = useState<State>({ step: 'idle' });
  const [message, setMessage] = useState<string | null>(null);
  const [choices, setChoices] = useState<Choices>({ compoundId: undefined, mode: 'create', clearBlanks: false });
  const [createBuildings, setCreateBuildings] = useState(true);
  const abort = useRef<AbortController | null>(null);
  const compoundRecords = useRecords(community, 'compounds');
  const compounds = useMemo(
    () =>
      (compoundRecords ?? [])
        .map((c) => ({ value: c.id, label: c.name }))
        .sort((a, b) => naturalCompare(a.label, b.label)),
    [compoundRecords],
  );
  // A community of one compound needs no choice; of several, rows without a 小区 need the person's.
  const compoundOf = (choice: Choices['compoundId']): string | null =>
    choice !== undefined ? choice : compounds.length === 1 ? (compounds[0]?.value ?? null) : null;
  const compoundId = compoundOf(choices.compoundId);
  const options = { defaultCompoundId: compoundId, mode: choices.mode, clearBlanks: choices.clearBlanks };

  /** Plans the file (or the sheet read before, when a choice changed) and shows the preview. */
  const plan = async (
    fileName: string,
    source: { bytes: Uint8Array } | { content: SheetContent },
    planOptions: typeof options,
  ) => {
    const controller = new AbortController();
    abort.current = controller;
    setState({ step: 'reading', fileName, stage: 'bytes' in source ? 'open' : 'check', done: 0, total: 1 });
    const outcome = await planImportInWorker(
      store,
      community,
      source,
      planOptions,
      (progress) => {
        if (!controller.signal.aborted) setState({ step: 'reading', fileName, ...progress });
      },
      controller.signal,
    );
    if (controller.signal.aborted) return;
    abort.current = null;
    if (outcome.kind === 'done') {
      setState({ step: 'preview', fileName, content: outcome.content, analysis: outcome.analysis });
    } else {
      setState({ step: 'idle' });
      setMessage(
        outcome.kind === 'refused'
          ? t(SHEET_ERRORS[outcome.error])
          : t('excel.import.failed', { message: outcome.message }),
      );
    }
  };

  const choose = (next: Partial<Choices>) => {
    const merged = { ...choices, ...next };
    setChoices(merged);
    if (state.step !== 'preview') return;
    const nextCompound = compoundOf(merged.compoundId);
    void plan(
      state.fileName,
      { content: state.content },
      { defaultCompoundId: nextCompound, mode: merged.mode, clearBlanks: merged.clearBlanks },
    );
  };

  const chooseFile = async () => {
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
    setCreateBuildings(true);
    await plan(file.name, { bytes: file.bytes }, options);
  };

  const cancel = () => {
    abort.current?.abort();
    abort.current = null;
    setState({ step: 'idle' });
  };

  const confirm = async (importPlan: ImportPlan) => {
    const input = importInputFromPlan(importPlan);
    const rowNumbers = importPlan.rows.flatMap((row) => (row.input === undefined ? [] : [row.rowNumber]));
    const count = input.rows.length;
    // Imported in slices: each slice is one Yjs transaction (one audit entry with its count), and between slices the
    // window repaints the progress bar and stays responsive. Every row was checked by the plan, so a slice is refused
    // only if the registry changed meanwhile (e.g. sync brought the same ID number); earlier slices then stay imported.
    // A building missing from the registry is created by the slice that first names it; later slices match it.
    const summary = {
      importId: '',
      residentIds: [] as ImportSummary['residentIds'][number][],
      updatedIds: [] as ImportSummary['updatedIds'][number][],
      householdsCreated: 0,
      entrancesCreated: 0,
      buildingsCreated: 0,
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
      summary.updatedIds.push(...result.value.updatedIds);
      summary.buildingsCreated += result.value.buildingsCreated;
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
        {(state.step === 'idle' || state.step === 'done' || state.step === 'preview') && (
          <ImportChoices compounds={compounds} compoundId={compoundId} choices={choices} onChange={choose} />
        )}
        {(state.step === 'idle' || state.step === 'done') && (
          <>
            {state.step === 'done' && (
              <Alert
                color="green"
                data-testid="import-done"
                title={
                  t('excel.import.done', { count: state.summary.residentIds.length }) +
                  (state.summary.updatedIds.length > 0
                    ? t('excel.import.doneUpdated', { count: state.summary.updatedIds.length })
                    : '')
                }
              >
                {t('excel.import.doneHouseholds', {
                  buildings: state.summary.buildingsCreated,
                  households: state.summary.householdsCreated,
                  entrances: state.summary.entrancesCreated,
                })}
              </Alert>
            )}
            <Group>
              <Button onClick={() => void chooseFile()}>{t('excel.import.choose')}</Button>
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
            content={state.content}
            analysis={state.analysis}
            mode={choices.mode}
            createBuildings={createBuildings}
            onCreateBuildings={setCreateBuildings}
            onConfirm={(confirmed) => void confirm(confirmed)}
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

/** 默认小区 and 导入方式: chosen before the file, and changed on the preview (the sheet is then checked again). */
function ImportChoices({
  compounds,
  compoundId,
  choices,
  onChange,
}: {
  compounds: readonly { value: string; label: string }[];
  compoundId: string | null;
  choices: Choices;
  onChange: (next: Partial<Choices>) => void;
}) {
  const t = useT();
  return (
    <Stack gap="sm" data-testid="import-choices">
      <Select
        label={t('excel.import.compound')}
        description={t('excel.import.compoundHint')}
        placeholder={t('excel.import.compoundNone')}
        data={compounds}
        value={compoundId}
        onChange={(value) => onChange({ compoundId: value })}
        clearable
        allowDeselect
        maw={360}
      />
      <Radio.Group
        label={t('excel.import.mode')}
        value={choices.mode}
        onChange={(value) => onChange({ mode: value === 'update' ? 'update' : 'create' })}
      >
        <Stack gap={6} mt={4}>
          <Radio value="create" label={t('excel.import.mode.create')} />
          <Radio value="update" label={t('excel.import.mode.update')} />
        </Stack>
      </Radio.Group>
      {choices.mode === 'update' && (
        <Checkbox
          label={t('excel.import.clearBlanks')}
          checked={choices.clearBlanks}
          onChange={(event) => onChange({ clearBlanks: event.currentTarget.checked })}
        />
      )}
    </Stack>
  );
}

/** A change as the preview shows it: the field's name, then old → new in words (empty shows as 空). */
function useChangeText(): (change: ImportChange) => string {
  const t = useT();
  const words = (field: ImportChange['field'], value: string): string => {
    if (value === '') return t('excel.import.change.empty');
    if (field === 'relation') return t(`registry.relation.${value}` as MessageKey);
    if (field === 'tags')
      return value
        .split(',')
        .map((tag) => t(`registry.tag.${tag}` as MessageKey))
        .join('、');
    return value;
  };
  return (change) =>
    t('excel.import.change', {
      field: t(`excel.import.change.${change.field}`),
      from: words(change.field, change.from),
      to: words(change.field, change.to),
    });
}

/** The problems of a preview row as one text (the 问题 cell of the problem-rows file). */
function useProblemText(): (row: PreviewRow) => string {
  const t = useT();
  return (row) =>
    [
      ...(row.idAsNumber ? [t('excel.import.row.idAsNumber')] : []),
      ...row.errors.map((e) => describeImportError(t, e)),
    ].join(t('excel.import.problemSeparator'));
}

function ImportPreview({
  fileName,
  content,
  analysis,
  mode,
  createBuildings,
  onCreateBuildings,
  onConfirm,
  onCancel,
}: {
  fileName: string;
  content: SheetContent;
  analysis: ImportAnalysis;
  mode: ImportMode;
  createBuildings: boolean;
  onCreateBuildings: (create: boolean) => void;
  onConfirm: (plan: ImportPlan) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const platform = usePlatform();
  const changeText = useChangeText();
  const problemText = useProblemText();
  const [exported, setExported] = useState<string | null>(null);
  const planned = analysis.plan;
  const declined = !createBuildings && planned.newBuildings.length > 0;
  // Declining the missing buildings turns their rows into problem rows; the preview follows.
  const plan = useMemo(() => (declined ? withoutNewBuildings(planned) : planned), [declined, planned]);
  const preview = useMemo(
    () => (declined ? previewRows(content, plan, analysis.idAsNumberRows) : analysis.preview),
    [declined, content, plan, analysis],
  );
  const shown = preview.slice(0, PREVIEW_LIMIT);
  const problems = preview.filter((row) => row.errors.length > 0 || row.idAsNumber);
  const duplicates = plan.rows.filter((row) => row.errors.some((e) => e.code === 'id-number.duplicate')).length;
  const blank = plan.skipped.filter((row) => row.reason === 'blank').map((row) => row.rowNumber);
  const totals = plan.skipped.filter((row) => row.reason === 'total').map((row) => row.rowNumber);

  const exportProblems = async () => {
    setExported(null);
    const idColumn = plan.columns.idNumber;
    const bytes = await writeProblemRows(
      content,
      plan.headerRow,
      [...problems]
        .sort((a, b) => a.rowNumber - b.rowNumber)
        .map((row) => ({
          rowNumber: row.rowNumber,
          problem: problemText(row),
          ...(row.idAsNumber && idColumn !== undefined ? { clear: [idColumn] } : {}),
        })),
      t('excel.import.problemColumn'),
    );
    const base = fileName.replace(/\.xlsx$/i, '');
    const saved = await platform.saveFile({
      defaultName: t('excel.import.problemFileName', { name: base }),
      content: bytes,
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    });
    if (saved !== null) setExported(t('excel.import.problemsExported', { count: problems.length }));
  };

  return (
    <Stack data-testid="import-preview">
      <Text size="sm">{t('excel.import.file', { name: fileName, sheet: content.sheetName })}</Text>
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
            {mode === 'update' && (
              <>
                <Badge variant="light" color="blue">
                  {t('excel.import.summary.updates', { count: plan.updateCount })}
                </Badge>
                <Badge variant="light" color="gray">
                  {t('excel.import.summary.unchanged', { count: plan.unchangedCount })}
                </Badge>
              </>
            )}
            <Badge variant="light" color="blue">
              {t('excel.import.summary.households', { count: plan.newHouseholds })}
            </Badge>
            {plan.newBuildings.length > 0 && (
              <Badge variant="light" color="orange">
                {t('excel.import.summary.buildings', { count: plan.newBuildings.length })}
              </Badge>
            )}
          </Group>
          {analysis.idAsNumberCount > 0 && (
            <Alert color="orange">{t('excel.import.idAsNumber', { count: analysis.idAsNumberCount })}</Alert>
          )}
          {(blank.length > 0 || totals.length > 0) && (
            <Text size="sm" c="dimmed" data-testid="import-skipped">
              {[
                ...(totals.length > 0 ? [t('excel.import.skipped.total', { rows: totals.join('、') })] : []),
                ...(blank.length > 0
                  ? [t('excel.import.skipped.blank', { count: blank.length, rows: blank.slice(0, 20).join('、') })]
                  : []),
              ].join(' ')}
            </Text>
          )}
          {mode === 'create' && duplicates > 0 && (
            <Alert color="yellow" data-testid="import-duplicate-hint">
              {t('excel.import.duplicateHint', { count: duplicates })}
            </Alert>
          )}
          {planned.newBuildings.length > 0 && (
            <Alert color="orange" title={t('excel.import.newBuildings.title')} data-testid="import-new-buildings">
              <Stack gap={6}>
                <Text size="sm">
                  {planned.newBuildings
                    .map((b) =>
                      t('excel.import.newBuildings.item', {
                        compound: b.compoundName,
                        building: b.name,
                        count: b.rows.length,
                      }),
                    )
                    .join('；')}
                </Text>
                <Checkbox
                  label={t('excel.import.newBuildings.create', { count: planned.newBuildings.length })}
                  checked={createBuildings}
                  onChange={(event) => onCreateBuildings(event.currentTarget.checked)}
                />
              </Stack>
            </Alert>
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
                  {row.errors.length > 0 || row.idAsNumber ? (
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
                  ) : row.changes !== undefined ? (
                    row.changes.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('excel.import.row.unchanged')}
                      </Text>
                    ) : (
                      <Stack gap={2}>
                        <Text size="sm" c="blue">
                          {t('excel.import.row.update')}
                        </Text>
                        {row.changes.map((change) => (
                          <Text key={change.field} size="sm">
                            {changeText(change)}
                          </Text>
                        ))}
                      </Stack>
                    )
                  ) : (
                    <Text size="sm" c="green">
                      {row.newBuilding ? t('excel.import.row.okNewBuilding') : t('excel.import.row.ok')}
                    </Text>
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
      {exported !== null && (
        <Alert color="green" data-testid="import-problems-exported">
          {exported}
        </Alert>
      )}
      <Group>
        <Button onClick={() => onConfirm(plan)} disabled={plan.validCount === 0}>
          {t('excel.import.confirm', { count: plan.validCount })}
        </Button>
        {problems.length > 0 && (
          <Button variant="default" onClick={() => void exportProblems()}>
            {t('excel.import.exportProblems', { count: problems.length })}
          </Button>
        )}
        <Button variant="default" onClick={onCancel}>
          {t('excel.import.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
