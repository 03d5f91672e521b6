/**
 * The case-level action forms of the case page (visit, escalation, outcome, follow-up, close, extension, performance,
 * archive). The session and agreement forms are in RecordForms.tsx; what every form shares is in formParts.tsx.
 */
import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { chinaDate } from '@shared/domain/dates';
import {
  archiveCase,
  closeCase,
  escalateCase,
  extendCaseDeadline,
  recordCaseFollowUp,
  recordCaseOutcome,
  recordCaseVisit,
  startCasePerformance,
} from '@shared/domain/mediation/commands';
import { nextLevel } from '@shared/domain/mediation/machine';
import {
  PERFORMANCE_STATES,
  REFERRAL_TARGETS,
  ROUTES,
  VISIT_KINDS,
  type PerformanceState,
  type ReferralTarget,
  type Route,
  type VisitKind,
} from '@shared/domain/mediation/types';
import { useT } from '../../i18n';
import { finish, FormShell, type ActionProps } from './formParts';
import { DateField } from '../../ui/DateField';

export type { ActionProps } from './formParts';
export { AgreementForm, SessionForm } from './RecordForms';

export function VisitForm({ c, run, busy, error, userName, done }: ActionProps) {
  const t = useT();
  const [kind, setKind] = useState<VisitKind>('visit');
  const [by, setBy] = useState(userName);
  const [note, setNote] = useState('');
  return (
    <FormShell
      label={t('case.visit.title')}
      busy={busy}
      error={error}
      submitLabel={t('case.visit.submit')}
      onSubmit={() => finish(run(recordCaseVisit, { caseId: c.id, kind, by, note }), done)}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label={t('case.visit.kind')}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as VisitKind)}
          data={VISIT_KINDS.map((value) => ({ value, label: t(`case.visit.kind.${value}`) }))}
        />
        <TextInput label={t('case.visit.by')} value={by} onChange={(event) => setBy(event.currentTarget.value)} />
      </SimpleGrid>
      <Textarea
        label={t('case.visit.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
      />
    </FormShell>
  );
}

export function EscalateForm({ c, run, busy, error, info, done }: ActionProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const next = nextLevel(c);
  return (
    <FormShell
      label={t('case.escalate.title')}
      busy={busy}
      error={error}
      submitLabel={t('case.escalate.submit')}
      onSubmit={() => finish(run(escalateCase, { caseId: c.id, reason }), done)}
    >
      {next && (
        <Text size="sm" data-testid="escalate-to">
          {t('case.escalate.to', {
            level: t(`case.level.${next.level}`),
            name: `${next.nodeName} ${info?.person(next.head)?.name ?? ''}`.trim(),
          })}
        </Text>
      )}
      <TextInput
        label={t('case.escalate.reason')}
        required
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
      />
    </FormShell>
  );
}
export function OutcomeForm({ c, run, busy, error, done }: ActionProps) {
  const t = useT();
  const [kind, setKind] = useState<'no-agreement' | 'referred'>('no-agreement');
  const [routes, setRoutes] = useState<string[]>([]);
  const [to, setTo] = useState<ReferralTarget>('police');
  const [note, setNote] = useState('');
  const [missingRoutes, setMissingRoutes] = useState(false);
  const outcome =
    kind === 'no-agreement' ? { kind, routesTold: routes as Route[], note } : { kind, to, detail: note.slice(0, 500) };
  return (
    <FormShell
      label={t('case.outcome.title')}
      busy={busy}
      error={error}
      submitLabel={t('case.outcome.submit')}
      onSubmit={async () => {
        // 人民调解法 art. 26: the parties must have been told of the other routes; say so before the machine refuses.
        const none = kind === 'no-agreement' && routes.length === 0;
        setMissingRoutes(none);
        if (!none) await finish(run(recordCaseOutcome, { caseId: c.id, outcome }), done);
      }}
    >
      <NativeSelect
        label={t('case.outcome.kind')}
        value={kind}
        onChange={(event) => setKind(event.currentTarget.value as 'no-agreement' | 'referred')}
        data={(['no-agreement', 'referred'] as const).map((value) => ({
          value,
          label: t(`case.outcome.kind.${value}`),
        }))}
      />
      {kind === 'no-agreement' ? (
        <Checkbox.Group
          label={t('case.outcome.routes')}
          value={routes}
          onChange={setRoutes}
          error={missingRoutes ? t('case.outcome.routesRequired') : undefined}
        >
          <Group mt={4}>
            {ROUTES.map((route) => (
              <Checkbox key={route} value={route} label={t(`case.outcome.route.${route}`)} />
            ))}
          </Group>
        </Checkbox.Group>
      ) : (
        <NativeSelect
          label={t('case.outcome.to')}
          value={to}
          onChange={(event) => setTo(event.currentTarget.value as ReferralTarget)}
          data={REFERRAL_TARGETS.map((value) => ({ value, label: t(`case.outcome.to.${value}`) }))}
        />
      )}
      <Textarea
        label={t('case.outcome.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
      />
    </FormShell>
  );
}

export function FollowUpForm({ c, run, busy, error, userName, done }: ActionProps) {
  const t = useT();
  const [date, setDate] = useState(chinaDate(new Date()));
  const [visitor, setVisitor] = useState(userName);
  const [performance, setPerformance] = useState<PerformanceState>('performed');
  const [satisfaction, setSatisfaction] = useState('5');
  const [note, setNote] = useState('');
  return (
    <FormShell
      label={t('case.followUp.title')}
      busy={busy}
      error={error}
      submitLabel={t('case.followUp.submit')}
      onSubmit={() =>
        finish(
          run(recordCaseFollowUp, {
            caseId: c.id,
            date,
            visitor,
            performance,
            satisfaction: Number(satisfaction),
            note,
          }),
          done,
        )
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField label={t('case.followUp.date')} value={date} onChange={setDate} />
        <TextInput
          label={t('case.followUp.visitor')}
          required
          value={visitor}
          onChange={(event) => setVisitor(event.currentTarget.value)}
        />
        <NativeSelect
          label={t('case.followUp.performance')}
          value={performance}
          onChange={(event) => setPerformance(event.currentTarget.value as PerformanceState)}
          data={PERFORMANCE_STATES.map((value) => ({ value, label: t(`case.followUp.performance.${value}`) }))}
        />
        <NativeSelect
          label={t('case.followUp.satisfaction')}
          value={satisfaction}
          onChange={(event) => setSatisfaction(event.currentTarget.value)}
          data={['5', '4', '3', '2', '1']}
        />
      </SimpleGrid>
      <Textarea
        label={t('case.followUp.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
      />
    </FormShell>
  );
}

export function CloseForm({ c, run, busy, error, done }: ActionProps) {
  const t = useT();
  const [summary, setSummary] = useState('');
  return (
    <FormShell
      label={t('case.close.title')}
      busy={busy}
      error={error}
      submitLabel={t('case.close.submit')}
      onSubmit={() => finish(run(closeCase, { caseId: c.id, summary }), done)}
    >
      <Textarea
        label={t('case.close.summary')}
        autosize
        minRows={2}
        value={summary}
        onChange={(event) => setSummary(event.currentTarget.value)}
      />
    </FormShell>
  );
}

export function ExtendForm({ c, run, busy, error, done }: ActionProps) {
  const t = useT();
  const [days, setDays] = useState<number | string>(15);
  const [reason, setReason] = useState('');
  const [consent, setConsent] = useState(false);
  return (
    <FormShell
      label={t('case.extend.title')}
      busy={busy}
      error={error}
      submitLabel={t('case.extend.submit')}
      onSubmit={() =>
        finish(
          run(extendCaseDeadline, {
            caseId: c.id,
            days: Number(days),
            reason,
            consentPartyIds: consent ? c.parties.map((p) => p.id) : [],
          }),
          done,
        )
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput label={t('case.extend.days')} min={1} max={90} value={days} onChange={setDays} />
        <TextInput
          label={t('case.extend.reason')}
          required
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Checkbox
        label={t('case.extend.consent')}
        checked={consent}
        onChange={(event) => setConsent(event.currentTarget.checked)}
      />
    </FormShell>
  );
}

/** Actions without input: one button each. */
export function StartPerformanceButton({ c, run, busy, done }: ActionProps) {
  const t = useT();
  return (
    <Button
      variant="light"
      loading={busy}
      onClick={() => void finish(run(startCasePerformance, { caseId: c.id }), done)}
    >
      {t('case.perform.start')}
    </Button>
  );
}

export function ArchiveButton({ c, run, busy, done }: ActionProps) {
  const t = useT();
  return (
    <Button variant="light" loading={busy} onClick={() => void finish(run(archiveCase, { caseId: c.id }), done)}>
      {t('case.archive.submit')}
    </Button>
  );
}
