import { Alert, Card, Stack, Table, Text, Title } from '@mantine/core';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import type { RefusedChange } from '@shared/ydoc/cases';
import { useT, type MessageKey } from '../../i18n';
import { formatInstant } from './labels';
import { caseNumberText, useAllCases, useRefusedChanges, useRegistryInfo } from './useCases';

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  // Signature images are long data URLs: the reviewer needs to know one is there, not its bytes.
  return text.replace(/data:[^"]{40,}/g, (url) => `${url.slice(0, 30)}…`);
}

/** Fields as the forms label them, so the reviewer reads 调解结果 rather than `result`. */
const FIELD_LABELS: Readonly<Record<RefusedChange['record'], Readonly<Record<string, MessageKey>>>> = {
  session: {
    at: 'case.session.at',
    place: 'case.session.place',
    presentPartyIds: 'case.session.present',
    others: 'case.session.others',
    mediatorName: 'case.session.mediator',
    recorderName: 'case.session.recorder',
    statements: 'case.refused.field.statements',
    factsChecked: 'case.session.factsChecked',
    result: 'case.session.result',
    signatures: 'case.refused.field.signatures',
  },
  agreement: {
    kind: 'case.agreement.kind',
    terms: 'case.agreement.terms',
    performanceMethod: 'case.agreement.performanceMethod',
    performanceDeadline: 'case.agreement.performanceDeadline',
    mediatorName: 'case.agreement.mediator',
    committeeName: 'case.agreement.committee',
    signatures: 'case.refused.field.signatures',
    seal: 'case.refused.field.seal',
    effectiveAt: 'case.refused.field.effectiveAt',
  },
};

/**
 * 被拒绝的修改 (admin): edits of signed records that arrived by sync from a device that had not seen the signature.
 * The lock guard (renderer/data/cases.ts) undid them and kept them in the document's `refusedChanges`; this shows what
 * was refused, what was kept, and who edited the record from which device.
 */
export function RefusedChangesView({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const refused = useRefusedChanges(community);
  const cases = useAllCases(community);
  const info = useRegistryInfo(community);
  if (!store.permissions().has('admin')) return <Alert color="blue">{t('case.refused.adminOnly')}</Alert>;
  const fieldLabel = (record: RefusedChange['record'], field: string) => {
    const key = FIELD_LABELS[record][field];
    return key === undefined ? field : t(key);
  };
  const byId = new Map((cases ?? []).map((c) => [c.id as string, c]));
  return (
    <Stack>
      <Title order={2}>{t('case.refused.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('case.refused.hint')}
      </Text>
      {refused === undefined && <Text c="dimmed">{t('case.loading')}</Text>}
      {refused?.length === 0 && <Text data-testid="refused-none">{t('case.refused.none')}</Text>}
      {refused?.map((change) => {
        const c = byId.get(change.caseId);
        return (
          <Card withBorder key={change.id} data-testid="refused-change">
            <Text fw={600}>
              {t('case.refused.record', {
                record: t(`case.refused.record.${change.record}`),
                case: c ? caseNumberText(c, info) : change.caseId,
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('case.refused.detected', { at: formatInstant(change.detectedAt), device: change.detectedBy })}
            </Text>
            <Table mt="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('case.refused.field')}</Table.Th>
                  <Table.Th>{t('case.refused.refused')}</Table.Th>
                  <Table.Th>{t('case.refused.kept')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {Object.keys(change.refused).map((field) => (
                  <Table.Tr key={field}>
                    <Table.Td>{fieldLabel(change.record, field)}</Table.Td>
                    <Table.Td>{show(change.refused[field])}</Table.Td>
                    <Table.Td>{show(change.kept[field])}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {change.edits.length > 0 && (
              <Text size="xs" mt="xs">
                {t('case.refused.edits', {
                  list: change.edits
                    .map(
                      (e) =>
                        `${formatInstant(e.at)} ${e.userName}（${e.deviceId}）${t(`case.event.${e.action === 'refuse' ? 'correct' : e.action}`)}`,
                    )
                    .join('；'),
                })}
              </Text>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}
