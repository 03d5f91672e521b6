/**
 * 驻区单位 from Excel (docs/party-model.md, "Excel"): the same flow as the members' check-ins (ExcelPage.tsx). A
 * template with a sheet 填写说明; a preview that says of each row whether the unit is registered (its 单位报到),
 * updated (which details, which 共建协议) or left as it is, and why a row cannot be taken; the rows not taken saved
 * with their reasons. Written through the party commands only (`applyUnitRow`: `registerUnit`, `updateUnit`,
 * `signAgreement`). A unit imported again with the same cells writes nothing.
 */
import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { hasPermission } from '@shared/domain/kernel';
import {
  applyUnitRow,
  planUnitImport,
  UNIT_COLUMNS,
  type PlannedUnitRow,
  type UnitPlan,
} from '@shared/domain/party/unitImport';
import { maskPhone } from '@shared/domain/registry/mask';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { listRecords } from '@shared/ydoc/registry';
import { useStore } from '../../data/hooks';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { usePlatform } from '../../platform';
import { usePermissions } from '../sync';
import { today } from './data';
import { writeRosterProblems, writeUnitTemplate } from './excel';
import { describePartyError } from './labels';
import { openSheet } from './sheetFile';

/** The words of a changed detail in the preview. */
const FIELD_KEYS: Readonly<Record<string, MessageKey>> = {
  name: 'party.field.unitName',
  creditCode: 'party.field.creditCode',
  kind: 'party.field.unitKind',
  partyOrg: 'party.field.partyOrg',
  contact: 'party.field.contact',
  phone: 'party.field.phone',
  address: 'party.field.address',
};

/** What a unit row does, or why it is not taken, in the screen's words. */
export function unitRowReason(t: Translate, row: PlannedUnitRow, refused?: DomainError): string {
  if (refused) return describePartyError(t, refused);
  const sep = t('party.clauseSep');
  const signs = row.agreement === null ? [] : [t('party.excel.units.signs', { ...row.agreement })];
  switch (row.status) {
    case 'new':
      return [t('party.excel.units.status.new'), ...signs].join(sep);
    case 'update': {
      const fields = Object.keys(row.changes).map((f) => t(FIELD_KEYS[f] ?? 'party.field.name'));
      return [
        ...(fields.length > 0 ? [t('party.excel.units.status.update', { fields: fields.join('、') })] : []),
        ...signs,
      ].join(sep);
    }
    case 'exists':
      return t('party.excel.units.status.exists');
    case 'repeated':
      return t('party.excel.units.status.repeated');
    case 'bad':
      return row.problems.map((p) => t(`party.excel.units.problem.${p}`)).join(sep);
  }
}

interface Loaded {
  readonly fileName: string;
  readonly rows: string[][];
  readonly plan: UnitPlan;
}

export function UnitImport({
  community,
  guarded,
  busy,
  save,
  setMessage,
}: {
  community: CommunityId;
  guarded: (work: () => Promise<void>) => () => Promise<void>;
  busy: boolean;
  save: (name: string, bytes: Uint8Array<ArrayBuffer>) => Promise<void>;
  setMessage: (message: { ok: boolean; text: string } | null) => void;
}) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  // Units' phones are masked for a role that may not reveal the registry's phones (shared/ydoc/registryMasked.ts).
  const reveal = hasPermission(usePermissions(community), 'registry.reveal');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [refused, setRefused] = useState<ReadonlyMap<number, DomainError>>(new Map());

  /** The plan against the registry's units as they are now (read from the document, not the lagging projection). */
  const planOf = async (rows: string[][]) => {
    const { doc } = await store.registry(community);
    return planUnitImport(rows, listRecords(doc, 'units'), today());
  };

  const template = guarded(async () => save(t('party.excel.units.templateFile'), await writeUnitTemplate()));

  const choose = guarded(async () => {
    setLoaded(null);
    setRefused(new Map());
    const sheet = await openSheet(platform);
    if (sheet === null) return;
    if ('error' in sheet) {
      setMessage({ ok: false, text: t(sheet.error) });
      return;
    }
    const plan = await planOf(sheet.rows);
    if (plan.headerRow === null) {
      setMessage({ ok: false, text: t('party.excel.units.noHeader') });
      return;
    }
    setLoaded({ fileName: sheet.fileName, rows: sheet.rows, plan });
  });

  const run = guarded(async () => {
    if (loaded === null) return;
    const failed = new Map<number, DomainError>();
    let done = 0;
    const { doc } = await store.registry(community);
    const ctx = store.commandContext(community);
    for (const row of loaded.plan.rows) {
      if (row.status !== 'new' && row.status !== 'update') continue;
      const result = applyUnitRow(doc, ctx, row);
      if (result.ok) done++;
      else failed.set(row.rowNumber, result.error);
    }
    setRefused(failed);
    // Planned again: what was written now shows as registered.
    setLoaded({ ...loaded, plan: await planOf(loaded.rows) });
    setMessage({ ok: failed.size === 0, text: t('party.excel.units.imported', { count: done, failed: failed.size }) });
  });

  const plan = loaded?.plan;
  const toWrite = plan?.rows.filter((r) => r.status === 'new' || r.status === 'update') ?? [];
  const notTaken = plan?.rows.filter((r) => r.status === 'bad' || refused.has(r.rowNumber)) ?? [];
  const saveProblems = guarded(async () => {
    if (!plan) return;
    await save(
      t('party.excel.units.problemsFile'),
      await writeRosterProblems(plan.headers, notTaken, (r) => unitRowReason(t, r, refused.get(r.rowNumber))),
    );
  });
  const phoneAt =
    plan === undefined
      ? -1
      : plan.headers.findIndex((h) => (UNIT_COLUMNS.phone as readonly string[]).includes(h.replace(/\s+/g, '')));

  return (
    <Stack>
      <Title order={4}>{t('party.excel.units.import')}</Title>
      <Text size="sm" c="dimmed">
        {t('party.excel.units.hint')}
      </Text>
      <Group>
        <Button loading={busy} onClick={() => void choose()}>
          {t('party.excel.units.choose')}
        </Button>
        <Button variant="default" onClick={() => void template()}>
          {t('party.excel.units.template')}
        </Button>
      </Group>
      {plan && (
        <Stack data-testid="unit-import-preview">
          <Text size="sm" data-testid="unit-import-summary">
            {t('party.excel.units.summary', {
              file: loaded.fileName,
              rows: plan.rows.length,
              new: plan.rows.filter((r) => r.status === 'new').length,
              update: plan.rows.filter((r) => r.status === 'update').length,
              skipped: plan.rows.filter((r) => r.status === 'exists' || r.status === 'repeated').length,
              bad: plan.rows.filter((r) => r.status === 'bad').length,
            })}
          </Text>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('party.excel.col.row')}</Table.Th>
                <Table.Th>{t('party.field.unitName')}</Table.Th>
                <Table.Th>{t('party.field.creditCode')}</Table.Th>
                <Table.Th>{t('party.field.phone')}</Table.Th>
                <Table.Th>{t('party.excel.col.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.rows.map((r) => {
                const error = refused.get(r.rowNumber);
                const bad = r.status === 'bad' || error !== undefined;
                const phone = phoneAt < 0 ? '' : (r.cells[phoneAt] ?? '').trim();
                const writes = (r.status === 'new' || r.status === 'update') && !error;
                return (
                  <Table.Tr key={r.rowNumber} data-testid="unit-import-row" data-status={error ? 'refused' : r.status}>
                    <Table.Td>{r.rowNumber}</Table.Td>
                    <Table.Td>{r.name || '—'}</Table.Td>
                    <Table.Td>{r.creditCode || '—'}</Table.Td>
                    <Table.Td>{phone === '' ? '—' : reveal ? phone : maskPhone(phone)}</Table.Td>
                    <Table.Td>
                      {writes ? (
                        <Badge color="green" variant="light" style={{ textTransform: 'none' }}>
                          {unitRowReason(t, r)}
                        </Badge>
                      ) : (
                        <Text size="sm" c={bad ? 'red' : 'dimmed'}>
                          {unitRowReason(t, r, error)}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group>
            <Button loading={busy} disabled={toWrite.length === 0} onClick={() => void run()}>
              {t('party.excel.units.run', { count: toWrite.length })}
            </Button>
            {notTaken.length > 0 && (
              <Button variant="default" onClick={() => void saveProblems()}>
                {t('party.excel.saveProblems', { count: notTaken.length })}
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
