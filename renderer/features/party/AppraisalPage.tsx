import { Badge, Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { appraisalRows, type AppraisalRow } from '@shared/domain/party/rules';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyMembers, type Member } from './data';
import { hoursText, ratingText } from './labels';
import { PrintSheet } from './PrintSheet';

function Flags({ row }: { row: AppraisalRow }) {
  const t = useT();
  if (row.neverCheckedIn) {
    return (
      <Badge color="red" variant="filled" data-testid="party-flag-never">
        {t('party.appraisal.never')}
      </Badge>
    );
  }
  if (row.missedHalf) {
    return (
      <Badge color="orange" variant="light">
        {t('party.appraisal.missedHalf')}
      </Badge>
    );
  }
  return (
    <Badge color="green" variant="light">
      {t('party.appraisal.ok')}
    </Badge>
  );
}

function RowsTable({
  rows,
  members,
  print,
}: {
  rows: readonly AppraisalRow[];
  members: readonly Member[];
  print: boolean;
}) {
  const t = useT();
  const name = (id: string) => members.find((m) => m.id === id)?.name ?? id;
  const head = [
    t('party.field.member'),
    t('party.appraisal.checkIns'),
    t('party.appraisal.services'),
    t('party.appraisal.hours'),
    t('party.appraisal.rating'),
    t('party.appraisal.flag'),
  ];
  if (print) {
    return (
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.memberId}>
              <td>{name(r.memberId)}</td>
              <td>{r.checkIns.join(t('party.enumSep')) || '—'}</td>
              <td>{r.services}</td>
              <td>{hoursText(r.hours)}</td>
              <td>{ratingText(r.rating)}</td>
              <td>
                {t(
                  r.neverCheckedIn
                    ? 'party.appraisal.never'
                    : r.missedHalf
                      ? 'party.appraisal.missedHalf'
                      : 'party.appraisal.ok',
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <Table striped withTableBorder data-testid="party-appraisal">
      <Table.Thead>
        <Table.Tr>
          {head.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.memberId} data-testid="party-appraisal-row" data-never={r.neverCheckedIn ? 'yes' : 'no'}>
            <Table.Td>{name(r.memberId)}</Table.Td>
            <Table.Td>{r.checkIns.join(t('party.enumSep')) || '—'}</Table.Td>
            <Table.Td>{r.services}</Table.Td>
            <Table.Td>{hoursText(r.hours)}</Table.Td>
            <Table.Td>{ratingText(r.rating)}</Table.Td>
            <Table.Td>
              <Flags row={r} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * 民主评议 input: each party member's check-ins, services, hours and average rating of the year; a member who never
 * checked in that year is flagged (cannot be rated 合格), one who missed a half-yearly re-check-in marked.
 */
export function AppraisalPage({ community, communityName }: { community: CommunityId; communityName: string }) {
  const t = useT();
  const [year, setYear] = useState(thisYear());
  const members = usePartyMembers(community);
  const activities = useActivities(community, year);
  const [printing, setPrinting] = useState(false);
  if (members === undefined || activities === undefined) return <Text c="dimmed">{t('party.loading')}</Text>;
  const rows = appraisalRows(
    year,
    members.map((m) => m.id),
    activities.checkIns,
    activities.serviceRecords,
    today(),
  );
  const never = rows.filter((r) => r.neverCheckedIn).length;
  return (
    <Stack>
      <Group align="end">
        <NativeSelect
          label={t('party.appraisal.year')}
          value={String(year)}
          onChange={(e) => setYear(Number(e.currentTarget.value))}
          data={[thisYear(), thisYear() - 1].map((y) => ({ value: String(y), label: String(y) }))}
        />
        <Button onClick={() => setPrinting(true)}>{t('party.appraisal.print')}</Button>
      </Group>
      <Text size="sm" data-testid="party-appraisal-summary">
        {t('party.appraisal.summary', { members: rows.length, never })}
      </Text>
      <RowsTable rows={rows} members={members} print={false} />
      {printing && (
        <PrintSheet
          fileName={t('party.appraisal.fileName', { year })}
          onClose={() => setPrinting(false)}
          testId="party-appraisal-print"
        >
          <h1>{t('party.appraisal.title', { community: communityName, year })}</h1>
          <RowsTable rows={rows} members={members} print />
          <p>{t('party.appraisal.rule')}</p>
          <p>{t('party.print.made', { date: today() })}</p>
        </PrintSheet>
      )}
    </Stack>
  );
}
