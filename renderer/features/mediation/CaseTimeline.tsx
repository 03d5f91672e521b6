/** The case's history on the case page: the timeline of events and the levels it went through. */
import { List, Text } from '@mantine/core';
import { levelDurations } from '@shared/domain/mediation/machine';
import type { MediationCase } from '@shared/domain/mediation/types';
import { useT, type Translate } from '../../i18n';
import { formatInstant, signerName, signerOfKey } from './labels';
import type { RegistryInfo } from './useCases';

export function timelineText(t: Translate, c: MediationCase, event: MediationCase['timeline'][number]): string {
  const d = event.detail;
  const level = (value: unknown) =>
    typeof value === 'string' && value ? t(`case.level.${value as MediationCase['level']}`) : '';
  switch (event.kind) {
    case 'intake':
      return t('case.event.intake', { level: level(d.level) });
    case 'escalate':
      return `${t('case.event.escalate')}${t('places.colon')}${t('case.timeline.escalate', { from: level(d.from), to: level(d.to), reason: String(d.reason ?? '') })}`;
    case 'renumber':
      return `${t('case.event.renumber')}${t('places.colon')}${t('case.list.renumbered', { from: Number(d.from), to: Number(d.to) })}`;
    case 'signSession':
    case 'signAgreement': {
      const signer = signerOfKey(typeof d.signer === 'string' ? d.signer : '');
      return `${t(`case.event.${event.kind}`)}${t('places.colon')}${signerName(t, c, signer)}`;
    }
    case 'recordFollowUp':
      return `${t('case.event.recordFollowUp')}${t('places.colon')}${t('case.timeline.followUp', { performance: t(`case.followUp.performance.${String(d.performance) as 'performed'}`), satisfaction: String(d.satisfaction) })}`;
    case 'addAttachment':
      return `${t('case.event.addAttachment')}${t('places.colon')}${String(d.name ?? '')}`;
    case 'recordOutcome':
      return `${t('case.event.recordOutcome')}${t('places.colon')}${t(`case.outcome.kind.${String(d.kind) as 'referred'}`)}`;
    default:
      return t(`case.event.${event.kind}`);
  }
}

export function Timeline({ c }: { c: MediationCase }) {
  const t = useT();
  const events = [...c.timeline].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return (
    <List spacing={4} data-testid="case-timeline">
      {events.map((event) => (
        <List.Item key={event.id}>
          <Text size="sm">
            <Text span c="dimmed">
              {formatInstant(event.at)}
            </Text>{' '}
            {timelineText(t, c, event)}{' '}
            <Text span c="dimmed">
              · {event.by.userName}
            </Text>
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

export function Steps({ c, info }: { c: MediationCase; info: RegistryInfo | undefined }) {
  const t = useT();
  return (
    <List spacing={4} data-testid="case-steps">
      {levelDurations(c, new Date()).map(({ step, ms }) => (
        <List.Item key={step.id}>
          <Text size="sm">
            {t('case.page.stepLine', {
              level: t(`case.level.${step.level}`),
              name: `${step.nodeName} ${info?.person(step.head)?.name ?? ''}`.trim(),
              at: formatInstant(step.enteredAt),
              days: Math.floor(ms / 86_400_000),
            })}
          </Text>
          {step.reason && (
            <Text size="xs" c="dimmed">
              {t('case.page.stepReason', { reason: step.reason })}
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}
