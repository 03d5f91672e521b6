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
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import {
  addCaseAttachment,
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
  type MediationActor,
} from '@shared/domain/mediation/machine';
import { agreementOffers, sessionOffers } from '@shared/domain/mediation/offers';
import type {
  Agreement,
  Attachment,
  MediationCase,
  SessionRecord,
  Signature,
  Signer,
} from '@shared/domain/mediation/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT, type Translate } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment } from '../../ui/files';
import { AttachmentViewer, type ViewerItem } from './AttachmentViewer';
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
  useCaseFiles,
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

/**
 * The frame of a form opened from a button (an action, a signature, an edit). With `focus`, the keyboard focus moves
 * to its first field when it opens, so Tab order continues inside it.
 */
function ActionFrame({ children, focus = false, mt }: { children: ReactNode; focus?: boolean; mt?: 'xs' }) {
  const focusFirstField = useCallback(
    (card: HTMLDivElement | null) => {
      if (focus) card?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    },
    [focus],
  );
  return (
    <Card withBorder mt={mt} ref={focusFirstField}>
      {children}
    </Card>
  );
}

/** Buttons that open the photo of each page signed on paper (in the case's image viewer). */
function PaperPhotos({
  signatures,
  nameOf,
  onView,
}: {
  signatures: readonly Signature[];
  nameOf: (signer: Signer) => string;
  onView: (ref: string) => void;
}) {
  const t = useT();
  const paper = signatures.filter((s): s is Extract<Signature, { kind: 'on-paper' }> => s.kind === 'on-paper');
  if (paper.length === 0) return null;
  return (
    <Group gap="xs" mt={4}>
      {paper.map((s) => (
        <Button key={s.photo} size="compact-xs" variant="subtle" onClick={() => onView(s.photo)}>
          {t('case.sign.viewPhoto', { name: nameOf(s.signer) })}
        </Button>
      ))}
    </Group>
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

/** What a record card needs to run commands and open forms: the page's action props and the image viewer. */
interface CardProps {
  readonly c: MediationCase;
  readonly actions: Omit<ActionProps, 'done'>;
  readonly canEdit: boolean;
  /** Who asks, and the China day: the machine answers what each record offers (shared/domain/mediation/offers.ts). */
  readonly actor: MediationActor;
  readonly today: string;
  readonly onView: (ref: string) => void;
}

/** A toggle button and, when open, the edit form of an unsigned record (nobody has signed it yet). */
function useDraftEdit() {
  const [editing, setEditing] = useState(false);
  return { editing, open: () => setEditing(true), close: () => setEditing(false) };
}

function SessionCard({ c, s, actions, canEdit, actor, today, onView }: CardProps & { s: SessionRecord }) {
  const t = useT();
  const { run, busy } = actions;
  const sign = useSign(run);
  const edit = useDraftEdit();
  const offers = sessionOffers(c, s.id, actor, today);
  const editable = canEdit && offers.has('edit');
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
      <PaperPhotos signatures={s.signatures} nameOf={nameOf} onView={onView} />
      {missing.length > 0 && s.supersededBy === null && (
        <Text size="sm" c="orange" data-testid="session-missing">
          {t('case.session.missing', { list: missing.map(nameOf).join('、') })}
        </Text>
      )}
      {editable && !edit.editing && (
        <Group mt="xs">
          <Button size="xs" variant="default" onClick={edit.open}>
            {t('case.session.edit')}
          </Button>
        </Group>
      )}
      {editable && edit.editing && (
        <ActionFrame focus mt="xs">
          <SessionForm {...actions} draft={s} done={edit.close} />
        </ActionFrame>
      )}
      {canEdit && offers.has('sign') && !edit.editing && (
        <ActionFrame mt="xs">
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
        </ActionFrame>
      )}
      {canEdit && offers.has('correct') && (
        <Group mt="xs">
          <CorrectForm c={c} record="session" id={s.id} run={run} busy={busy} />
        </Group>
      )}
    </Card>
  );
}

function AgreementCard({ c, a, actions, canEdit, actor, onView, today }: CardProps & { a: Agreement }) {
  const t = useT();
  const { run, busy } = actions;
  const sign = useSign(run);
  const edit = useDraftEdit();
  const missing = a.kind === 'written' ? missingSigners(requiredAgreementSigners(c.parties), a.signatures) : [];
  const nameOf = (signer: Signer) => (signer.role === 'mediator' ? a.mediatorName : signerName(t, c, signer));
  const judicialUntil = a.effectiveAt ? addDays(chinaDate(new Date(a.effectiveAt)), JUDICIAL_CONFIRMATION_DAYS) : null;
  const open = a.lockedAt === null && a.supersededBy === null;
  const offers = agreementOffers(c, a.id, actor, today);
  const editable = canEdit && offers.has('edit');
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
          <PaperPhotos signatures={a.signatures} nameOf={nameOf} onView={onView} />
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
        {editable && !edit.editing && (
          <Button size="xs" variant="default" onClick={edit.open}>
            {t('case.agreement.edit')}
          </Button>
        )}
        {canEdit && offers.has('seal') && (
          <Button
            size="xs"
            variant="default"
            loading={busy}
            onClick={() => void run(sealCaseAgreement, { caseId: c.id, agreementId: a.id })}
          >
            {t('case.agreement.seal')}
          </Button>
        )}
        {canEdit && offers.has('judicialConfirmation') && (
          <Button
            size="xs"
            variant="default"
            loading={busy}
            onClick={() => void run(markCaseJudicialConfirmation, { caseId: c.id, agreementId: a.id })}
          >
            {t('case.agreement.judicial')}
          </Button>
        )}
        {canEdit && offers.has('correct') && <CorrectForm c={c} record="agreement" id={a.id} run={run} busy={busy} />}
      </Group>
      {editable && edit.editing && (
        <ActionFrame focus mt="xs">
          <AgreementForm {...actions} draft={a} done={edit.close} />
        </ActionFrame>
      )}
      {canEdit && offers.has('sign') && !edit.editing && (
        <ActionFrame mt="xs">
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
        </ActionFrame>
      )}
    </Card>
  );
}

/** The case's images for the viewer: image attachments (at intake and later), then the pages signed on paper. */
function galleryOf(
  t: Translate,
  c: MediationCase,
  files: ReadonlyMap<string, { type: string }>,
  attachments: readonly Attachment[],
): ViewerItem[] {
  const images: ViewerItem[] = attachments
    .filter((a) => files.get(a.ref)?.type.startsWith('image/') === true)
    .map((a) => ({ ref: a.ref, name: a.name }));
  const records: { label: string; signatures: readonly Signature[]; nameOf: (signer: Signer) => string }[] = [
    ...Object.values(c.sessions)
      .sort((a, b) => (a.at < b.at ? -1 : 1))
      .map((s) => ({
        label: `${t('case.session.title')} ${t('case.session.version', { version: s.version })}`,
        signatures: s.signatures,
        nameOf: (signer: Signer) =>
          signer.role === 'mediator'
            ? s.mediatorName
            : signer.role === 'recorder'
              ? s.recorderName
              : signerName(t, c, signer),
      })),
    ...Object.values(c.agreements)
      .sort((a, b) => (a.madeAt < b.madeAt ? -1 : 1))
      .map((a) => ({
        label: `${t('case.agreement.title')} ${t('case.session.version', { version: a.version })}`,
        signatures: a.signatures,
        nameOf: (signer: Signer) => (signer.role === 'mediator' ? a.mediatorName : signerName(t, c, signer)),
      })),
  ];
  for (const record of records) {
    for (const s of record.signatures) {
      if (s.kind !== 'on-paper') continue;
      images.push({
        ref: s.photo,
        name: t('case.sign.photoName', { name: record.nameOf(s.signer), record: record.label }),
      });
    }
  }
  return images;
}

/** The case's files: an image opens in the viewer, any other file is offered as a download. */
function AttachmentList({
  attachments,
  files,
  onView,
}: {
  attachments: readonly Attachment[];
  files: ReadonlyMap<string, { name: string; type: string; data: string }>;
  onView: (ref: string) => void;
}) {
  const t = useT();
  return (
    <Group gap="xs" data-testid="case-attachments">
      <Text size="sm">{t('case.page.attachments')}：</Text>
      {attachments.map((a) => {
        const file = files.get(a.ref);
        if (!file)
          return (
            <Text key={a.id} span size="sm">
              {a.name}
            </Text>
          );
        return file.type.startsWith('image/') ? (
          <Button
            key={a.id}
            size="compact-sm"
            variant="subtle"
            aria-label={t('case.page.openImage', { name: a.name })}
            onClick={() => onView(a.ref)}
          >
            {a.name}
          </Button>
        ) : (
          <Anchor
            key={a.id}
            size="sm"
            href={file.data}
            download={file.name}
            aria-label={t('case.page.download', { name: a.name })}
          >
            {a.name}
          </Anchor>
        );
      })}
    </Group>
  );
}

/** Adds a photo or a file to the case after intake (a new evidence photo, a page signed on paper). */
function AddAttachment({ c, run, busy, error }: Pick<ActionProps, 'c' | 'run' | 'busy' | 'error'>) {
  const t = useT();
  const platform = usePlatform();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const add = async () => {
    setMessage(null);
    setFailed(false);
    let picked;
    try {
      picked = await pickAttachment(platform);
    } catch (problem) {
      setMessage({ ok: false, text: problem instanceof Error ? problem.message : String(problem) });
      return;
    }
    if (picked.kind === 'too-big')
      setMessage({ ok: false, text: t('case.intake.attachTooBig', { name: picked.name }) });
    if (picked.kind !== 'picked') return;
    const name = picked.file.name.slice(0, 100);
    const ref = await run(storeCaseFile, { ...picked.file, name });
    const added = ref === null ? null : await run(addCaseAttachment, { caseId: c.id, name, ref });
    if (added === null) setFailed(true);
    else setMessage({ ok: true, text: t('case.page.attached', { name }) });
  };
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Button size="xs" variant="default" loading={busy} onClick={() => void add()}>
          {t('case.page.attach')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('case.intake.attachHint')}
        </Text>
      </Group>
      {message && (
        <Text size="sm" c={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </Text>
      )}
      {failed && error && (
        <Alert color="red" role="alert" p="xs">
          <CaseErrorText error={error} />
        </Alert>
      )}
    </Stack>
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
    case 'addAttachment':
      return `${t('case.event.addAttachment')}：${String(d.name ?? '')}`;
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
  const [viewing, setViewing] = useState<string | null>(null);
  const today = chinaDate(new Date());
  const attachments = useMemo(() => (c ? [...c.attachments, ...c.addedAttachments] : []), [c]);
  const refs = useMemo(() => {
    const paper = c
      ? [...Object.values(c.sessions), ...Object.values(c.agreements)].flatMap((r) =>
          r.signatures.flatMap((s) => (s.kind === 'on-paper' ? [s.photo] : [])),
        )
      : [];
    return [...attachments.map((a) => a.ref), ...paper];
  }, [c, attachments]);
  const files = useCaseFiles(community, year, refs);

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
  const gallery = galleryOf(t, c, files, attachments);
  const viewIndex = viewing === null ? -1 : gallery.findIndex((item) => item.ref === viewing);
  const cardProps = { c, actions: props, canEdit, actor: { permissions }, today, onView: setViewing };

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
            {attachments.length > 0 && <AttachmentList attachments={attachments} files={files} onView={setViewing} />}
            {canEdit && allowed.has('addAttachment') && (
              <AddAttachment c={c} run={command.run} busy={command.busy} error={command.error} />
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
              <ActionFrame focus key={action}>
                <active.Form {...props} done={() => setAction(null)} />
              </ActionFrame>
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
              <SessionCard key={s.id} s={s} {...cardProps} />
            ))}
          </Stack>
        </Section>
      )}
      {agreements.length > 0 && (
        <Section title={t('case.page.agreements')}>
          <Stack>
            {agreements.map((a) => (
              <AgreementCard key={a.id} a={a} {...cardProps} />
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
      <AttachmentViewer
        items={gallery}
        files={files}
        index={viewIndex < 0 ? null : viewIndex}
        onIndex={(index) => setViewing(gallery[index]?.ref ?? null)}
        onClose={() => setViewing(null)}
      />
    </Stack>
  );
}
