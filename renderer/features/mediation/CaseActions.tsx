import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { chinaDate } from '@shared/domain/dates';
import {
  archiveCase,
  closeCase,
  escalateCase,
  extendCaseDeadline,
  reachCaseAgreement,
  recordCaseFollowUp,
  recordCaseOutcome,
  recordCaseSession,
  recordCaseVisit,
  startCasePerformance,
  updateCaseAgreement,
  updateCaseSession,
} from '@shared/domain/mediation/commands';
import { nextLevel } from '@shared/domain/mediation/machine';
import {
  AGREEMENT_KINDS,
  PERFORMANCE_STATES,
  REFERRAL_TARGETS,
  ROUTES,
  VISIT_KINDS,
  type Agreement,
  type AgreementKind,
  type MediationCase,
  type PerformanceState,
  type ReferralTarget,
  type Route,
  type SessionRecord,
  type VisitKind,
} from '@shared/domain/mediation/types';
import type { DomainError } from '@shared/domain/result';
import { useT } from '../../i18n';
import { CaseErrorText } from './CaseErrorText';
import type { CaseRun, RegistryInfo } from './useCases';

export interface ActionProps {
  readonly c: MediationCase;
  readonly run: CaseRun;
  readonly busy: boolean;
  readonly error: DomainError | null;
  readonly userName: string;
  readonly info: RegistryInfo | undefined;
  readonly done: () => void;
}

/** `YYYY-MM-DDTHH:mm` in local time for a datetime-local input. */
function localInput(instant: Date): string {
  return new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function localNow(): string {
  return localInput(new Date());
}

/**
 * The fields of `next` that differ from the draft: an edit writes only what the person changed, so a change made to
 * another field on another device meanwhile is not overwritten with the old value shown here.
 */
function changedFields(draft: object, next: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const before = draft as Readonly<Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])),
  );
}

function FormShell({
  label,
  busy,
  error,
  submitLabel,
  onSubmit,
  children,
}: {
  label: string;
  busy: boolean;
  error: DomainError | null;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  children: ReactNode;
}) {
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!busy) void onSubmit();
  };
  return (
    <form onSubmit={submit} aria-label={label}>
      <Stack gap="xs">
        {children}
        {error && (
          <Alert color="red" role="alert" p="xs">
            <CaseErrorText error={error} />
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

async function finish(result: Promise<unknown>, done: () => void) {
  if ((await result) !== null) done();
}

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

/** 调解笔录: a new record, or (`draft`) the edit of an unsigned one (`updateSession`; a signed one is corrected). */
export function SessionForm({
  c,
  run,
  busy,
  error,
  userName,
  done,
  draft,
}: ActionProps & { readonly draft?: SessionRecord }) {
  const t = useT();
  const [at, setAt] = useState(() => (draft ? localInput(new Date(draft.at)) : localNow()));
  const [place, setPlace] = useState(draft?.place ?? c.place.address);
  const [present, setPresent] = useState<string[]>(draft ? [...draft.presentPartyIds] : c.parties.map((p) => p.id));
  const [others, setOthers] = useState(draft?.others.join('、') ?? '');
  const [mediatorName, setMediatorName] = useState(draft?.mediatorName ?? '');
  const [recorderName, setRecorderName] = useState(draft?.recorderName ?? userName);
  const [statements, setStatements] = useState<Record<string, string>>(draft ? { ...draft.statements } : {});
  const [factsChecked, setFactsChecked] = useState(draft?.factsChecked ?? '');
  const [result, setResult] = useState(draft?.result ?? '');
  const submit = () => {
    const content = {
      // The minute shown unchanged keeps the recorded instant (the input has no seconds).
      at: draft && at === localInput(new Date(draft.at)) ? draft.at : new Date(at).toISOString(),
      place,
      presentPartyIds: present,
      others: others
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean),
      mediatorName,
      recorderName,
      statements: Object.fromEntries(Object.entries(statements).filter(([id]) => present.includes(id))),
      factsChecked,
      result,
    };
    if (draft === undefined) return finish(run(recordCaseSession, { caseId: c.id, ...content }), done);
    const changes = changedFields(draft, content);
    if (Object.keys(changes).length === 0) {
      done();
      return Promise.resolve();
    }
    return finish(run(updateCaseSession, { caseId: c.id, sessionId: draft.id, changes }), done);
  };
  return (
    <FormShell
      label={draft ? t('case.session.edit') : t('case.session.new')}
      busy={busy}
      error={error}
      submitLabel={draft ? t('case.session.editSubmit') : t('case.session.submit')}
      onSubmit={submit}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          type="datetime-local"
          label={t('case.session.at')}
          value={at}
          onChange={(event) => setAt(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.session.place')}
          value={place}
          onChange={(event) => setPlace(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.session.mediator')}
          required
          value={mediatorName}
          onChange={(event) => setMediatorName(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.session.recorder')}
          required
          value={recorderName}
          onChange={(event) => setRecorderName(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Checkbox.Group label={t('case.session.present')} value={present} onChange={setPresent}>
        <Group mt={4}>
          {c.parties.map((p) => (
            <Checkbox key={p.id} value={p.id} label={`${p.name}（${t(`case.role.${p.role}`)}）`} />
          ))}
        </Group>
      </Checkbox.Group>
      <TextInput
        label={t('case.session.others')}
        value={others}
        onChange={(event) => setOthers(event.currentTarget.value)}
      />
      {c.parties
        .filter((p) => present.includes(p.id))
        .map((p) => (
          <Textarea
            key={p.id}
            label={t('case.session.statement', { name: p.name })}
            autosize
            minRows={2}
            value={statements[p.id] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setStatements((s) => ({ ...s, [p.id]: value }));
            }}
          />
        ))}
      <Textarea
        label={t('case.session.factsChecked')}
        autosize
        minRows={2}
        value={factsChecked}
        onChange={(event) => setFactsChecked(event.currentTarget.value)}
      />
      <Textarea
        label={t('case.session.result')}
        autosize
        minRows={2}
        value={result}
        onChange={(event) => setResult(event.currentTarget.value)}
      />
    </FormShell>
  );
}

/** 达成协议: a new agreement, or (`draft`) the edit of an unsigned written one (`updateAgreement`; its form stays). */
export function AgreementForm({
  c,
  run,
  busy,
  error,
  info,
  done,
  draft,
}: ActionProps & { readonly draft?: Agreement }) {
  const t = useT();
  const lastSession = Object.values(c.sessions)
    .filter((s) => s.supersededBy === null)
    .sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  const [kind, setKind] = useState<AgreementKind>(draft?.kind ?? 'written');
  const [terms, setTerms] = useState(draft?.terms ?? '');
  const [performanceMethod, setPerformanceMethod] = useState(draft?.performanceMethod ?? '');
  const [performanceDeadline, setPerformanceDeadline] = useState(draft?.performanceDeadline ?? '');
  const [mediatorName, setMediatorName] = useState(draft?.mediatorName ?? lastSession?.mediatorName ?? '');
  const [committeeName, setCommitteeName] = useState(
    draft
      ? (draft.committeeName ?? '')
      : t('case.agreement.committeeDefault', { community: info?.communityName ?? '' }),
  );
  const submit = () => {
    const content = {
      terms,
      performanceMethod,
      performanceDeadline: performanceDeadline || null,
      mediatorName,
      committeeName: committeeName.trim() || null,
    };
    if (draft === undefined) return finish(run(reachCaseAgreement, { caseId: c.id, kind, ...content }), done);
    const changes = changedFields(draft, content);
    if (Object.keys(changes).length === 0) {
      done();
      return Promise.resolve();
    }
    return finish(run(updateCaseAgreement, { caseId: c.id, agreementId: draft.id, changes }), done);
  };
  return (
    <FormShell
      label={draft ? t('case.agreement.edit') : t('case.agreement.new')}
      busy={busy}
      error={error}
      submitLabel={draft ? t('case.agreement.editSubmit') : t('case.agreement.submit')}
      onSubmit={submit}
    >
      {draft ? (
        // The form of an agreement (written or oral) is not changed by an edit.
        <Text size="sm">
          {t('case.agreement.kind')}：{t(`case.agreement.kind.${draft.kind}`)}
        </Text>
      ) : (
        <NativeSelect
          label={t('case.agreement.kind')}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as AgreementKind)}
          data={AGREEMENT_KINDS.map((value) => ({ value, label: t(`case.agreement.kind.${value}`) }))}
        />
      )}
      <Textarea
        label={t('case.agreement.terms')}
        required
        autosize
        minRows={3}
        value={terms}
        onChange={(event) => setTerms(event.currentTarget.value)}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('case.agreement.performanceMethod')}
          value={performanceMethod}
          onChange={(event) => setPerformanceMethod(event.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('case.agreement.performanceDeadline')}
          value={performanceDeadline}
          onChange={(event) => setPerformanceDeadline(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.agreement.mediator')}
          value={mediatorName}
          onChange={(event) => setMediatorName(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.agreement.committee')}
          value={committeeName}
          onChange={(event) => setCommitteeName(event.currentTarget.value)}
        />
      </SimpleGrid>
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
        <TextInput
          type="date"
          label={t('case.followUp.date')}
          value={date}
          onChange={(event) => setDate(event.currentTarget.value)}
        />
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
