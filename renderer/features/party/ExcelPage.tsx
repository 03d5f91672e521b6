/**
 * 双报到 in Excel (docs/party-model.md, "Excel"): the roster of members and units and a year's service hours exported
 * as .xlsx, and a members' check-in roster imported from .xlsx after a preview that says, row by row, what will be
 * recorded, what is already recorded (a second import adds nothing) and why a row cannot be (those rows can be saved
 * with their reasons, corrected and imported again). Each row is recorded through `recordCheckIn`. A row's 身份证号
 * finds the member (a row without one falls back to the name); the preview shows the number masked (PIPL art. 28:
 * the full number is in the person's own file, and the registry shows it only through the logged reveal). The units'
 * import is the same flow (UnitImport.tsx).
 */
import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { recordCheckIn } from '@shared/domain/party/commands';
import {
  memberHourRows,
  planRosterImport,
  rosterRows,
  rosterYears,
  volunteerHourRows,
  type PlannedRosterRow,
  type RosterPlan,
  type RosterProblem,
} from '@shared/domain/party/roster';
import { idNumberIndex } from '@shared/domain/registry/idIndex';
import { maskIdNumber } from '@shared/domain/registry/mask';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { listPartyRecords } from '@shared/ydoc/party';
import type { CellRef } from '../../data/excel';
import { useRecords, useStore } from '../../data/hooks';
import { useT, type Translate } from '../../i18n';
import { usePlatform } from '../../platform';
import {
  activitiesDoc,
  thisYear,
  today,
  useActivities,
  usePartyEdit,
  usePartyMembers,
  useResidentNames,
  yearOf,
} from './data';
import { writeHoursWorkbook, writeRosterProblems, writeRosterTemplate, writeRosterWorkbook } from './excel';
import { describePartyError } from './labels';
import { openSheet, XLSX } from './sheetFile';
import { UnitImport } from './UnitImport';

/** Why a row is not recorded, in the screen's words. */
export function rowReason(t: Translate, row: PlannedRosterRow, refused?: DomainError): string {
  if (refused) return describePartyError(t, refused);
  if (row.status === 'exists') return t('party.excel.status.exists');
  if (row.status === 'repeated') return t('party.excel.status.repeated');
  return row.problems.map((p: RosterProblem) => t(`party.excel.problem.${p}`)).join(t('party.clauseSep'));
}

interface Loaded {
  readonly fileName: string;
  readonly rows: string[][];
  readonly longNumbers: readonly CellRef[];
  readonly plan: RosterPlan;
}

export function ExcelPage({ community, communityName }: { community: CommunityId; communityName: string }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const edit = usePartyEdit(community);
  const members = usePartyMembers(community);
  const units = useRecords(community, 'units');
  const current = useActivities(community, thisYear());
  const last = useActivities(community, thisYear() - 1);
  const [year, setYear] = useState(thisYear());
  const chosen = useActivities(community, year);
  const volunteers = useMemo(() => volunteerHourRows(chosen?.volunteerHours ?? [], year), [chosen, year]);
  const names = useResidentNames(
    community,
    volunteers.map((v) => v.volunteerId),
  );
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [refused, setRefused] = useState<ReadonlyMap<number, DomainError>>(new Map());
  const [busy, setBusy] = useState(false);

  if (members === undefined || units === undefined || current === undefined || last === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }

  const save = async (name: string, bytes: Uint8Array<ArrayBuffer>) => {
    const saved = await platform.saveFile({ defaultName: name, content: bytes, filters: XLSX });
    if (saved !== null) setMessage({ ok: true, text: t('party.excel.saved', { file: saved.path }) });
  };
  const guarded = (work: () => Promise<void>) => async () => {
    setMessage(null);
    setBusy(true);
    try {
      await work();
    } catch (error) {
      setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  const exportRoster = guarded(async () => {
    const day = today();
    const rows = rosterRows(
      members,
      units.map((u) => ({ id: u.id, name: u.name, checkedInOn: u.checkedInOn })),
      [...last.checkIns, ...current.checkIns],
      day,
    );
    await save(t('party.excel.rosterFile', { date: day }), await writeRosterWorkbook(rows, communityName, day));
  });
  const exportHours = guarded(async () => {
    const services = chosen?.serviceRecords ?? [];
    const rows = memberHourRows(
      members.map((m) => m.id),
      services,
      year,
    );
    const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? names.get(id) ?? id;
    await save(
      t('party.excel.hoursFile', { year }),
      await writeHoursWorkbook(year, communityName, rows, volunteers, nameOf),
    );
  });
  const template = guarded(async () => save(t('party.excel.templateFile'), await writeRosterTemplate()));

  /** The plan against what the activities documents of the file's years already hold. */
  const planOf = async (rows: string[][], longNumbers: readonly CellRef[]) => {
    const { doc: registry } = await store.registry(community);
    const ids = idNumberIndex(registry);
    const lookup = { idHolders: (n: string) => ids.holders(n), lossy: longNumbers };
    const rough = planRosterImport(rows, members, [], today(), lookup);
    const docs = await Promise.all(rosterYears(rough).map((y) => store.document(activitiesDoc(community, y))));
    return planRosterImport(
      rows,
      members,
      docs.flatMap((doc) => listPartyRecords(doc, 'checkIns')),
      today(),
      lookup,
    );
  };

  const choose = guarded(async () => {
    setLoaded(null);
    setRefused(new Map());
    const sheet = await openSheet(platform);
    if (sheet === null) return;
    if ('error' in sheet) {
      setMessage({ ok: false, text: t(sheet.error) });
      return;
    }
    const plan = await planOf(sheet.rows, sheet.longNumbers);
    if (plan.headerRow === null) {
      setMessage({ ok: false, text: t('party.excel.noHeader') });
      return;
    }
    setLoaded({ ...sheet, plan });
  });

  const run = guarded(async () => {
    if (loaded === null) return;
    const { doc: registry } = await store.registry(community);
    const todo = loaded.plan.rows.filter((r) => r.status === 'new').sort((a, b) => (a.on < b.on ? -1 : 1));
    const failed = new Map<number, DomainError>();
    let done = 0;
    for (const row of todo) {
      const y = yearOf(row.on);
      const lastYear = await store.document(activitiesDoc(community, y - 1));
      const result = await store.runOn(
        activitiesDoc(community, y),
        (doc, ctx, input: Parameters<typeof recordCheckIn>[2]) =>
          recordCheckIn(doc, ctx, input, { registry, lastYear }),
        {
          subject: { kind: 'member', id: row.memberId ?? '' },
          on: row.on,
          channel: row.channel,
          workplace: row.workplace,
        },
      );
      if (result.ok) done++;
      else failed.set(row.rowNumber, result.error);
    }
    setRefused(failed);
    setLoaded({ ...loaded, plan: await planOf(loaded.rows, loaded.longNumbers) });
    setMessage({ ok: failed.size === 0, text: t('party.excel.imported', { count: done, failed: failed.size }) });
  });

  const plan = loaded?.plan;
  const toRecord = plan?.rows.filter((r) => r.status === 'new') ?? [];
  const notTaken = plan?.rows.filter((r) => r.status === 'bad' || refused.has(r.rowNumber)) ?? [];
  const saveProblems = guarded(async () => {
    if (!plan) return;
    await save(
      t('party.excel.problemsFile'),
      await writeRosterProblems(plan.headers, notTaken, (r) => rowReason(t, r, refused.get(r.rowNumber))),
    );
  });
  const years = [thisYear(), thisYear() - 1, thisYear() - 2];

  return (
    <Stack>
      <Title order={4}>{t('party.excel.export')}</Title>
      <Group align="end">
        <Button variant="light" loading={busy} onClick={() => void exportRoster()}>
          {t('party.excel.exportRoster')}
        </Button>
        <NativeSelect
          label={t('party.excel.year')}
          value={String(year)}
          onChange={(e) => setYear(Number(e.currentTarget.value))}
          data={years.map(String)}
        />
        <Button variant="light" loading={busy} disabled={chosen === undefined} onClick={() => void exportHours()}>
          {t('party.excel.exportHours')}
        </Button>
      </Group>
      {edit && (
        <>
          <Title order={4}>{t('party.excel.import')}</Title>
          <Text size="sm" c="dimmed">
            {t('party.excel.importHint')}
          </Text>
          <Group>
            <Button loading={busy} onClick={() => void choose()}>
              {t('party.excel.choose')}
            </Button>
            <Button variant="default" onClick={() => void template()}>
              {t('party.excel.template')}
            </Button>
          </Group>
        </>
      )}
      {message && (
        <Alert
          color={message.ok ? 'green' : 'red'}
          role={message.ok ? 'status' : 'alert'}
          data-testid="party-excel-message"
        >
          {message.text}
        </Alert>
      )}
      {edit && plan && (
        <Stack data-testid="party-import-preview">
          <Text size="sm" data-testid="party-import-summary">
            {t('party.excel.summary', {
              file: loaded.fileName,
              rows: plan.rows.length,
              new: toRecord.length,
              skipped: plan.rows.filter((r) => r.status === 'exists' || r.status === 'repeated').length,
              bad: plan.rows.filter((r) => r.status === 'bad').length,
            })}
          </Text>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('party.excel.col.row')}</Table.Th>
                <Table.Th>{t('party.field.member')}</Table.Th>
                <Table.Th>{t('party.excel.col.idNumber')}</Table.Th>
                <Table.Th>{t('party.excel.col.match')}</Table.Th>
                <Table.Th>{t('party.field.on')}</Table.Th>
                <Table.Th>{t('party.field.channel')}</Table.Th>
                <Table.Th>{t('party.field.workplace')}</Table.Th>
                <Table.Th>{t('party.excel.col.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.rows.map((r) => {
                const error = refused.get(r.rowNumber);
                const bad = r.status === 'bad' || error !== undefined;
                return (
                  <Table.Tr key={r.rowNumber} data-testid="party-import-row" data-status={error ? 'refused' : r.status}>
                    <Table.Td>{r.rowNumber}</Table.Td>
                    <Table.Td>{r.name || r.memberName || '—'}</Table.Td>
                    <Table.Td data-testid="party-import-id">
                      {r.idNumber === '' ? '—' : maskIdNumber(r.idNumber)}
                    </Table.Td>
                    <Table.Td>{r.matchedBy === null ? '—' : t(`party.excel.match.${r.matchedBy}`)}</Table.Td>
                    <Table.Td>{r.on || r.dayText}</Table.Td>
                    <Table.Td>
                      {r.problems.includes('channel.invalid') ? r.channelText : t(`party.channel.${r.channel}`)}
                    </Table.Td>
                    <Table.Td>{r.workplace}</Table.Td>
                    <Table.Td>
                      {r.status === 'new' && !error ? (
                        <Badge color="green" variant="light">
                          {t('party.excel.status.new')}
                        </Badge>
                      ) : (
                        <Text size="sm" c={bad ? 'red' : 'dimmed'}>
                          {rowReason(t, r, error)}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group>
            <Button loading={busy} disabled={toRecord.length === 0} onClick={() => void run()}>
              {t('party.excel.run', { count: toRecord.length })}
            </Button>
            {notTaken.length > 0 && (
              <Button variant="default" onClick={() => void saveProblems()}>
                {t('party.excel.saveProblems', { count: notTaken.length })}
              </Button>
            )}
          </Group>
        </Stack>
      )}
      {edit && <UnitImport community={community} guarded={guarded} busy={busy} save={save} setMessage={setMessage} />}
    </Stack>
  );
}
