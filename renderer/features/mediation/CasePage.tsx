import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import {
  correctCaseRecord,
  markCaseJudicialConfirmation,
  sealCaseAgreement,
  signCaseAgreement,
  signCaseSession,
  storeCaseFile,
} from '@shared/domain/mediation/commands';
import { addDays, deadlineState, effectiveDueDate } from '@shared/domain/mediation/deadline';
import {
  allowedActions,
  canMediate,
  JUDICIAL_CONFIRMATION_DAYS,
  levelDurations,
  missingSigners,
  requiredAgreementSigners,
  requiredSessionSigners,
} from '@shared/domain/mediation/machine';
import type { Agreement, MediationCase, SessionRecord, Signer } from '@shared/domain/mediation/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT, type Translate } from '../../i18n';
import { CaseErrorText } from './CaseErrorText';
import {
  AgreementForm,
  ArchiveButton,
  CloseForm,
  EscalateForm,
  ExtendForm,
  FollowUpForm,
  OutcomeForm,
  SessionForm,
  StartPerformanceButton,
  VisitForm,
  type ActionProps,
} from './CaseActions';
import { DEADLINE_COLOR, lastRenumber, RISK_COLOR } from './CaseList';
import { formatInstant, signerName } from './labels';
import { SignatureForm, type SignatureInput } from './SignatureForm';
import {
  caseNumberText,
  currentHead,
  useCase,
  useCaseCommand,
  useCaseFile,
  useRegistryInfo,
  type CaseRun,
  type RegistryInfo,
} from './useCases';

/** Actions offered as forms (a toggle button opens each) or, `direct`, as one button that acts at once. */
const FORMS = {
  recordVisit: { label: 'case.visit.title', Form: VisitForm },
  escalate: { label: 'case.escalate.title', Form: EscalateForm },
  recordSession: { label: 'case.session.new', Form: SessionForm },
  reachAgreement: { label: 'case.agreement.new', Form: AgreementForm },
  recordOutcome: { label: 'case.outcome.title', Form: OutcomeForm },
  startPerformance: { label: 'case.perform.start', Form: StartPerformanceButton, direct: true },
  recordFollowUp: { label: 'case.followUp.title', Form: FollowUpForm },
  close: { label: 'case.close.title', Form: CloseForm },
  archive: { label: 'case.archive.submit', Form: ArchiveButton, direct: true },
  extendDeadline: { label: 'case.extend.title', Form: ExtendForm },
} as const;
type FormAction = keyof typeof FORMS;

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder component="section" aria-label={title} data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function signedList(
  t: Translate,
  record: { signatures: readonly { signer: Signer; kind: string }[] },
  nameOf: (signer: Signer) => string,
) {
  return record.signatures
    .map((s) => `${nameOf(s.signer)}${s.kind === 'on-paper' ? `（${t('case.sign.onPaper')}）` : ''}`)
    .join('、');
}

/** Signs with a drawing, a typed name or a photo of the paper page (stored in the document first). */
function useSign(run: CaseRun) {
  return async (signature: SignatureInput, sign: (signature: object) => Promise<unknown>) => {
    if (signature.kind === 'on-screen') return (await sign({ kind: 'on-screen', image: signature.image })) !== null;
    const ref = await run(storeCaseFile, signature.photo);
    if (ref === null) return false;
    return (await sign({ kind: 'on-paper', photo: ref })) !== null;
  };
}

function CorrectForm({
  c,
  record,
  id,
  run,
  busy,
}: {
  c: MediationCase;
  record: 'session' | 'agreement';
  id: string;
  run: CaseRun;
  busy: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const current = record === 'session' ? c.sessions[id]?.result : c.agreements[id]?.terms;
  const [text, setText] = useState(current ?? '');
  if (!open) {
    return (
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>
        {t('case.session.correct')}
      </Button>
    );
  }
  const changes = record === 'session' ? { result: text } : { terms: text };
  return (
    <form
      aria-label={t('case.session.correct')}
      onSubmit={(event) => {
        event.preventDefault();
        void run(correctCaseRecord, { record, caseId: c.id, id, reason, changes }).then((r) => {
          if (r !== null) setOpen(false);
        });
      }}
    >
      <Stack gap={4}>
        <TextInput
          label={record === 'session' ? t('case.session.result') : t('case.agreement.terms')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <TextInput
          label={t('case.session.correctReason')}
          required
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Group>
          <Button type="submit" size="xs" loading={busy}>
            {t('case.session.correct')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SessionCard({
  c,
  s,
  run,
  busy,
  canEdit,
}: {
  c: MediationCase;
  s: SessionRecord;
  run: CaseRun;
  busy: boolean;
  canEdit: boolean;
}) {
  const t = useT();
  const sign = useSign(run);
  const missing = missingSigners(requiredSessionSigners(s), s.signatures);
  const present = c.parties.filter((p) => s.presentPartyIds.includes(p.id));
  const nameOf = (signer: Signer) =>
    signer.role === 'mediator'
      ? s.mediatorName
      : signer.role === 'recorder'
        ? s.recorderName
        : signerName(t, c, signer);
  return (
    <Card withBorder data-testid="session-card" data-locked={s.lockedAt !== null || undefined}>
      <Group gap="xs" mb={4}>
        <Text fw={600}>{formatInstant(s.at)}</Text>
        <Text size="sm">{s.place}</Text>
        <Badge variant="light">{t('case.session.version', { version: s.version })}</Badge>
        {s.lockedAt !== null && <Badge color="green">{t('case.session.locked')}</Badge>}
        {s.supersededBy !== null && <Badge color="gray">{t('case.session.superseded')}</Badge>}
      </Group>
      <Text size="sm">
        {t('case.session.mediator')}：{s.mediatorName} {t('case.session.recorder')}：{s.recorderName}
      </Text>
      <Text size="sm">
        {t('case.session.present')}：{present.map((p) => p.name).join('、')}
        {s.others.length > 0 ? `；${s.others.join('、')}` : ''}
      </Text>
      {present.map((p) =>
        s.statements[p.id] ? (
          <Text size="sm" key={p.id}>
            {t('case.session.statement', { name: p.name })}：{s.statements[p.id]}
          </Text>
        ) : null,
      )}
      {s.factsChecked && (
        <Text size="sm">
          {t('case.session.factsChecked')}：{s.factsChecked}
        </Text>
      )}
      {s.result && (
        <Text size="sm">
          {t('case.session.result')}：{s.result}
        </Text>
      )}
      {s.signatures.length > 0 && (
        <Text size="sm" c="dimmed" data-testid="session-signed">
          {t('case.sign.signed', { list: signedList(t, s, nameOf) })}
        </Text>
      )}
      {missing.length > 0 && s.supersededBy === null && (
        <Text size="sm" c="orange" data-testid="session-missing">
          {t('case.session.missing', { list: missing.map(nameOf).join('、') })}
        </Text>
      )}
      {canEdit && s.lockedAt === null && s.supersededBy === null && missing.length > 0 && (
        <Card withBorder mt="xs">
          <SignatureForm
            missing={missing}
            nameOf={nameOf}
            busy={busy}
            onSign={(signer, signature) =>
              sign(signature, (value) =>
                run(signCaseSession, { caseId: c.id, sessionId: s.id, signer, signature: value }),
              )
            }
          />
        </Card>
      )}
      {canEdit && s.lockedAt !== null && s.supersededBy === null && (
        <Group mt="xs">
          <CorrectForm c={c} record="session" id={s.id} run={run} busy={busy} />
        </Group>
      )}
    </Card>
  );
}

function AgreementCard({
  c,
  a,
  run,
  busy,
  canEdit,
  today,
}: {
  c: MediationCase;
  a: Agreement;
  run: CaseRun;
  busy: boolean;
  canEdit: boolean;
  today: string;
}) {
  const t = useT();
  const sign = useSign(run);
  const missing = a.kind === 'written' ? missingSigners(requiredAgreementSigners(c.parties), a.signatures) : [];
  const nameOf = (signer: Signer) => (signer.role === 'mediator' ? a.mediatorName : signerName(t, c, signer));
  const judicialUntil = a.effectiveAt ? addDays(chinaDate(new Date(a.effectiveAt)), JUDICIAL_CONFIRMATION_DAYS) : null;
  const open = a.lockedAt === null && a.supersededBy === null;
  return (
    <Card withBorder data-testid="agreement-card">
      <Group gap="xs" mb={4}>
        <Text fw={600}>{t(`case.agreement.kind.${a.kind}`)}</Text>
        <Badge variant="light">{t('case.session.version', { version: a.version })}</Badge>
        {a.effectiveAt ? (
          <Badge color="green" data-testid="agreement-effective">
            {t('case.agreement.effective', { at: formatInstant(a.effectiveAt) })}
          </Badge>
        ) : (
          <Badge color="orange">{t('case.agreement.notEffective')}</Badge>
        )}
        {a.supersededBy !== null && <Badge color="gray">{t('case.session.superseded')}</Badge>}
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {t('case.agreement.terms')}：{a.terms}
      </Text>
      {a.performanceMethod && (
        <Text size="sm">
          {t('case.agreement.performanceMethod')}：{a.performanceMethod}
        </Text>
      )}
      {a.performanceDeadline && (
        <Text size="sm">
          {t('case.agreement.performanceDeadline')}：{a.performanceDeadline}
        </Text>
      )}
      <Text size="sm">
        {t('case.agreement.mediator')}：{a.mediatorName}
        {a.committeeName ? ` ${t('case.agreement.committee')}：${a.committeeName}` : ''}
      </Text>
      {a.kind === 'written' && (
        <>
          <Text size="sm" c="dimmed">
            {a.signatures.length > 0 ? t('case.sign.signed', { list: signedList(t, a, nameOf) }) : ''}{' '}
            {a.seal ? t('case.agreement.sealed', { at: formatInstant(a.seal.at) }) : t('case.agreement.notSealed')}
          </Text>
          {open && missing.length > 0 && (
            <Text size="sm" c="orange">
              {t('case.session.missing', { list: missing.map(nameOf).join('、') })}
            </Text>
          )}
        </>
      )}
      {a.judicialConfirmation ? (
        <Text size="sm" c="blue">
          {t('case.agreement.judicialMarked', { at: formatInstant(a.judicialConfirmation.at) })}
        </Text>
      ) : (
        judicialUntil &&
        a.kind === 'written' &&
        today <= judicialUntil && (
          <Text size="sm" c="dimmed">
            {t('case.agreement.judicialUntil', { date: judicialUntil })}
          </Text>
        )
      )}
      <Group mt="xs" gap="xs">
        {a.kind === 'written' && (
          <Button component={Link} href={`/case/${c.year}/${c.id}/agreement/${a.id}`} size="xs" variant="light">
            {t('case.agreement.print')}
          </Button>
        )}
        {canEdit && open && a.kind === 'written' && a.seal === null && (
          <Button
            size="xs"
            variant="default"
            loading={busy}
            onClick={() => void run(sealCaseAgreement, { caseId: c.id, agreementId: a.id })}
          >
            {t('case.agreement.seal')}
          </Button>
        )}
        {canEdit &&
          a.kind === 'written' &&
          a.effectiveAt !== null &&
          a.judicialConfirmation === null &&
          judicialUntil !== null &&
          today <= judicialUntil &&
          c.status !== 'archived' && (
            <Button
              size="xs"
              variant="default"
              loading={busy}
              onClick={() => void run(markCaseJudicialConfirmation, { caseId: c.id, agreementId: a.id })}
            >
              {t('case.agreement.judicial')}
            </Button>
          )}
        {canEdit && a.lockedAt !== null && a.supersededBy === null && c.status !== 'archived' && (
          <CorrectForm c={c} record="agreement" id={a.id} run={run} busy={busy} />
        )}
      </Group>
      {canEdit && open && a.kind === 'written' && missing.length > 0 && (
        <Card withBorder mt="xs">
          <SignatureForm
            missing={missing}
            nameOf={nameOf}
            busy={busy}
            onSign={(signer, signature) =>
              sign(signature, (value) =>
                run(signCaseAgreement, { caseId: c.id, agreementId: a.id, signer, signature: value }),
              )
            }
          />
        </Card>
      )}
    </Card>
  );
}

function AttachmentLink({
  community,
  year,
  name,
  fileRef,
}: {
  community: CommunityId;
  year: number;
  name: string;
  fileRef: string;
}) {
  const file = useCaseFile(community, year, fileRef);
  return file ? (
    <Anchor href={file.data} download={file.name}>
      {name}
    </Anchor>
  ) : (
    <Text span>{name}</Text>
  );
}

export function timelineText(t: Translate, c: MediationCase, event: MediationCase['timeline'][number]): string {
  const d = event.detail;
  const level = (value: unknown) =>
    typeof value === 'string' && value ? t(`case.level.${value as MediationCase['level']}`) : '';
  switch (event.kind) {
    case 'intake':
      return t('case.event.intake', { level: level(d.level) });
    case 'escalate':
      return `${t('case.event.escalate')}：${level(d.from)} → ${level(d.to)}（${String(d.reason ?? '')}）`;
    case 'renumber':
      return `${t('case.event.renumber')}：${t('case.list.renumbered', { from: Number(d.from), to: Number(d.to) })}`;
    case 'signSession':
    case 'signAgreement': {
      const key = typeof d.signer === 'string' ? d.signer : '';
      const signer: Signer =
        key === 'mediator' || key === 'recorder'
          ? { role: key }
          : { role: 'party', partyId: key.replace(/^party:/, '') as Extract<Signer, { role: 'party' }>['partyId'] };
      return `${t(`case.event.${event.kind}`)}：${signerName(t, c, signer)}`;
    }
    case 'recordFollowUp':
      return `${t('case.event.recordFollowUp')}：${t(`case.followUp.performance.${String(d.performance) as 'performed'}`)}，${String(d.satisfaction)}`;
    case 'recordOutcome':
      return `${t('case.event.recordOutcome')}：${t(`case.outcome.kind.${String(d.kind) as 'referred'}`)}`;
    default:
      return t(`case.event.${event.kind}`);
  }
}

function Timeline({ c }: { c: MediationCase }) {
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

function Steps({ c, info }: { c: MediationCase; info: RegistryInfo | undefined }) {
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

/** 案件页: everything about one case, the timeline, and the actions the machine allows now. */
export function CasePage({ community, year, id }: { community: CommunityId; year: number; id: string }) {
  const t = useT();
  const store = useStore();
  const c = useCase(community, year, id);
  const info = useRegistryInfo(community);
  const command = useCaseCommand(community, year);
  const [action, setAction] = useState<FormAction | null>(null);
  const today = chinaDate(new Date());
  // An opened form takes the keyboard focus on its first field, so Tab order continues inside it.
  const focusFirstField = useCallback((card: HTMLDivElement | null) => {
    card?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  if (c === undefined) return <Text c="dimmed">{t('case.loading')}</Text>;
  if (c === null)
    return (
      <Stack>
        <Alert color="orange">{t('case.notFound')}</Alert>
        <Anchor component={Link} href="/">
          {t('case.back')}
        </Anchor>
      </Stack>
    );

  const permissions = store.permissions();
  const allowed = new Set(allowedActions(c, { permissions }, today));
  const canEdit = canMediate(permissions) && c.status !== 'archived';
  const offered = (Object.keys(FORMS) as FormAction[]).filter((a) => allowed.has(a));
  const state = deadlineState(c, today);
  const renumber = lastRenumber(c);
  const head = currentHead(c, info);
  const sessions = Object.values(c.sessions).sort((a, b) => (a.at < b.at ? -1 : 1));
  const agreements = Object.values(c.agreements).sort((a, b) => (a.madeAt < b.madeAt ? -1 : 1));
  const props: Omit<ActionProps, 'done'> = {
    c,
    run: command.run,
    busy: command.busy,
    error: command.error,
    userName: store.user.userName,
    info,
  };
  const active = action !== null && allowed.has(action) ? FORMS[action] : null;

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={2} data-testid="case-number">
            {caseNumberText(c, info)}
          </Title>
          <Badge size="lg" data-testid="case-status">
            {t(`case.status.${c.status}`)}
          </Badge>
          <Badge size="lg" variant="light" color={RISK_COLOR[c.risk]}>
            {t(`case.risk.${c.risk}`)}
          </Badge>
          {c.outcome === null && (
            <Badge size="lg" color={DEADLINE_COLOR[state]} variant={state === 'ok' ? 'light' : 'filled'}>
              {t(`case.deadline.${state}`)} · {effectiveDueDate(c)}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          <Button component={Link} href={`/case/${c.year}/${c.id}/dossier`} variant="default">
            {t('case.page.printDossier')}
          </Button>
          <Button component={Link} href="/" variant="subtle">
            {t('case.back')}
          </Button>
        </Group>
      </Group>
      {renumber && (
        <Alert color="yellow" data-testid="case-renumbered">
          {t('case.page.renumbered', renumber)}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('case.page.facts')}>
          <Stack gap={4}>
            <Text size="sm">
              {t(`case.category.${c.category}`)} · {t(`case.source.${c.source}`)}
            </Text>
            <Text size="sm">
              {t('case.page.place')}：{c.place.address}
            </Text>
            <Text size="sm">
              {t('case.page.registeredAt')}：{formatInstant(c.registeredAt)} {t('case.page.registeredBy')}：
              {c.registeredBy.userName}
            </Text>
            <Text size="sm" data-testid="case-holder">
              {t('case.page.holder')}：{t(`case.level.${c.level}`)} {head?.name ?? t('case.page.holderNone')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.facts}
            </Text>
            {c.attachments.length > 0 && (
              <Group gap="xs">
                <Text size="sm">{t('case.page.attachments')}：</Text>
                {c.attachments.map((a) => (
                  <AttachmentLink key={a.id} community={community} year={c.year} name={a.name} fileRef={a.ref} />
                ))}
              </Group>
            )}
          </Stack>
        </Section>
        <Section title={t('case.page.parties')}>
          <Table data-testid="case-parties">
            <Table.Tbody>
              {c.parties.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{t(`case.role.${p.role}`)}</Table.Td>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{p.sex ? t(`case.sex.${p.sex}`) : ''}</Table.Td>
                  <Table.Td>{p.age ?? ''}</Table.Td>
                  <Table.Td>{p.phone ?? ''}</Table.Td>
                  <Table.Td>{p.address}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      </SimpleGrid>

      <Section title={t('case.page.steps')}>
        <Steps c={c} info={info} />
      </Section>

      <Section title={t('case.page.actions')} testId="case-actions">
        {!canMediate(permissions) ? (
          <Text size="sm" c="dimmed">
            {t('case.page.readOnly')}
          </Text>
        ) : offered.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('case.page.noActions')}
          </Text>
        ) : (
          <Stack>
            <Group gap="xs">
              {offered.map((a) => {
                const entry = FORMS[a];
                if ('direct' in entry) return <entry.Form key={a} {...props} done={() => setAction(null)} />;
                return (
                  <Button
                    key={a}
                    variant={action === a ? 'filled' : 'light'}
                    aria-pressed={action === a}
                    onClick={() => {
                      command.clear();
                      setAction(action === a ? null : a);
                    }}
                  >
                    {t(entry.label)}
                  </Button>
                );
              })}
            </Group>
            {active && (
              <Card withBorder ref={focusFirstField} key={action}>
                <active.Form {...props} done={() => setAction(null)} />
              </Card>
            )}
            {!active && command.error && (
              <Alert color="red" role="alert" p="xs">
                <CaseErrorText error={command.error} />
              </Alert>
            )}
          </Stack>
        )}
      </Section>

      {sessions.length > 0 && (
        <Section title={t('case.page.sessions')}>
          <Stack>
            {sessions.map((s) => (
              <SessionCard key={s.id} c={c} s={s} run={command.run} busy={command.busy} canEdit={canEdit} />
            ))}
          </Stack>
        </Section>
      )}
      {agreements.length > 0 && (
        <Section title={t('case.page.agreements')}>
          <Stack>
            {agreements.map((a) => (
              <AgreementCard
                key={a.id}
                c={c}
                a={a}
                run={command.run}
                busy={command.busy}
                canEdit={canEdit}
                today={today}
              />
            ))}
          </Stack>
        </Section>
      )}
      {c.followUps.length > 0 && (
        <Section title={t('case.page.followUps')}>
          <List data-testid="case-followups">
            {c.followUps.map((f) => (
              <List.Item key={f.id}>
                {t('case.followUp.line', {
                  date: f.date,
                  visitor: f.visitor,
                  performance: t(`case.followUp.performance.${f.performance}`),
                  satisfaction: f.satisfaction,
                })}
                {f.note ? `：${f.note}` : ''}
              </List.Item>
            ))}
          </List>
        </Section>
      )}
      <Section title={t('case.page.timeline')}>
        <Timeline c={c} />
      </Section>
    </Stack>
  );
}
