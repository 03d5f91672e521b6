/** The cards of a case's session records and agreements: their content, signatures, and what the machine offers on each. */
import { Badge, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import {
  correctCaseRecord,
  markCaseJudicialConfirmation,
  sealCaseAgreement,
  signCaseAgreement,
  signCaseSession,
} from '@shared/domain/mediation/commands';
import {
  judicialConfirmationUntil,
  judicialWindowOpen,
  allowedSigners,
  missingSigners,
  requiredAgreementSigners,
  requiredSessionSigners,
  signableNow,
  type MediationActor,
} from '@shared/domain/mediation/machine';
import { agreementOffers, sessionOffers } from '@shared/domain/mediation/offers';
import type {
  Agreement,
  AgreementId,
  MediationCase,
  SessionId,
  SessionRecord,
  Signature,
  Signer,
} from '@shared/domain/mediation/types';
import type { CorrectInput } from '@shared/domain/mediation/inputs';
import { useT } from '../../i18n';
import { ActionFrame, PaperPhotos, signedList, useSign, type SignatureValue } from './CaseFrame';
import type { ActionProps } from './formParts';
import { formatInstant, signerName } from './labels';
import { AgreementForm, SessionForm } from './RecordForms';
import { SignatureForm } from './SignatureForm';
import type { CaseRun } from './useCases';

/** Which locked record a correction is for. */
type CorrectTarget =
  { readonly record: 'session'; readonly id: SessionId } | { readonly record: 'agreement'; readonly id: AgreementId };

/** 更正: a new version of a locked record with the changed text and a reason (the old one stays, locked). */
function CorrectForm({
  c,
  target,
  run,
  busy,
}: {
  c: MediationCase;
  target: CorrectTarget;
  run: CaseRun;
  busy: boolean;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { record } = target;
  const current = target.record === 'session' ? c.sessions[target.id]?.result : c.agreements[target.id]?.terms;
  const [text, setText] = useState(current ?? '');
  if (!open) {
    return (
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>
        {t('case.session.correct')}
      </Button>
    );
  }
  return (
    <form
      aria-label={t('case.session.correct')}
      onSubmit={(event) => {
        event.preventDefault();
        const input: CorrectInput =
          target.record === 'session'
            ? { record: 'session', caseId: c.id, id: target.id, reason, changes: { result: text } }
            : { record: 'agreement', caseId: c.id, id: target.id, reason, changes: { terms: text } };
        void run(correctCaseRecord, input).then((r) => {
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
export interface CardProps {
  readonly c: MediationCase;
  readonly actions: Omit<ActionProps, 'done'>;
  /**
   * Who asks, and the China day: the machine answers what each record offers (shared/domain/mediation/offers.ts); a
   * card offers nothing else (a referred case once showed Seal and Sign on an unsigned agreement).
   */
  readonly actor: MediationActor;
  readonly today: string;
  readonly onView: (ref: string) => void;
}

/** The signature form of a record the machine offers signing on (a paper page's photo is stored in the case first). */
function SignRecord({
  c,
  actions,
  required,
  signed,
  presentPartyIds,
  nameOf,
  sign,
}: {
  c: MediationCase;
  actions: CardProps['actions'];
  /** The record's required signers (the domain's `requiredSessionSigners` / `requiredAgreementSigners`). */
  required: readonly Signer[];
  signed: readonly Signature[];
  /** For a session record: the parties present (only they sign); undefined for an agreement (every party). */
  presentPartyIds?: readonly string[];
  nameOf: (signer: Signer) => string;
  sign: (signer: Signer, value: SignatureValue) => Promise<unknown>;
}) {
  const signWith = useSign(actions.run, c.id);
  // Offered: the signers the command accepts (the required ones, and a minor of 8-17 next to the guardian) who have not
  // signed and can sign now (a minor's guardian once recorded): docs/domain.md, "Minors".
  const signable = signableNow(c, missingSigners(allowedSigners(c, required, presentPartyIds), signed));
  return (
    <ActionFrame mt="xs">
      <SignatureForm
        missing={signable}
        nameOf={nameOf}
        typedNameOf={(signer) =>
          signer.role === 'guardian'
            ? (c.parties.find((p) => p.id === signer.partyId)?.guardian?.name ?? '')
            : nameOf(signer)
        }
        busy={actions.busy}
        onSign={(signer, signature) => signWith(signature, (value) => sign(signer, value))}
      />
    </ActionFrame>
  );
}

/** A toggle button and, when open, the edit form of an unsigned record (nobody has signed it yet). */
function useDraftEdit() {
  const [editing, setEditing] = useState(false);
  return { editing, open: () => setEditing(true), close: () => setEditing(false) };
}

export function SessionCard({ c, s, actions, actor, today, onView }: CardProps & { s: SessionRecord }) {
  const t = useT();
  const { run, busy } = actions;
  const edit = useDraftEdit();
  const offers = sessionOffers(c, s.id, actor, today);
  const editable = offers.has('edit');
  const required = requiredSessionSigners(c, s);
  const missing = missingSigners(required, s.signatures);
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
        {t('case.session.mediator')}
        {t('places.colon')}
        {s.mediatorName} {t('case.session.recorder')}
        {t('places.colon')}
        {s.recorderName}
      </Text>
      <Text size="sm">
        {t('case.session.present')}
        {t('places.colon')}
        {present.map((p) => p.name).join('、')}
        {s.others.length > 0 ? `；${s.others.join('、')}` : ''}
      </Text>
      {present.map((p) =>
        s.statements[p.id] ? (
          <Text size="sm" key={p.id}>
            {t('case.session.statement', { name: p.name })}
            {t('places.colon')}
            {s.statements[p.id]}
          </Text>
        ) : null,
      )}
      {s.factsChecked && (
        <Text size="sm">
          {t('case.session.factsChecked')}
          {t('places.colon')}
          {s.factsChecked}
        </Text>
      )}
      {s.result && (
        <Text size="sm">
          {t('case.session.result')}
          {t('places.colon')}
          {s.result}
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
      {offers.has('sign') && !edit.editing && (
        <SignRecord
          c={c}
          actions={actions}
          required={required}
          signed={s.signatures}
          presentPartyIds={s.presentPartyIds}
          nameOf={nameOf}
          sign={(signer, value) => run(signCaseSession, { caseId: c.id, sessionId: s.id, signer, signature: value })}
        />
      )}
      {offers.has('correct') && (
        <Group mt="xs">
          <CorrectForm c={c} target={{ record: 'session', id: s.id }} run={run} busy={busy} />
        </Group>
      )}
    </Card>
  );
}

export function AgreementCard({ c, a, actions, actor, onView, today }: CardProps & { a: Agreement }) {
  const t = useT();
  const { run, busy } = actions;
  const edit = useDraftEdit();
  // Only a written agreement is signed (an oral one is recorded by the mediator).
  const required = a.kind === 'written' ? requiredAgreementSigners(c) : [];
  const missing = missingSigners(required, a.signatures);
  const nameOf = (signer: Signer) => (signer.role === 'mediator' ? a.mediatorName : signerName(t, c, signer));
  const judicialUntil = judicialConfirmationUntil(a);
  const open = a.lockedAt === null && a.supersededBy === null;
  const offers = agreementOffers(c, a.id, actor, today);
  const editable = offers.has('edit');
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
        {t('case.agreement.terms')}
        {t('places.colon')}
        {a.terms}
      </Text>
      {a.performanceMethod && (
        <Text size="sm">
          {t('case.agreement.performanceMethod')}
          {t('places.colon')}
          {a.performanceMethod}
        </Text>
      )}
      {a.performanceDeadline && (
        <Text size="sm">
          {t('case.agreement.performanceDeadline')}
          {t('places.colon')}
          {a.performanceDeadline}
        </Text>
      )}
      <Text size="sm">
        {t('case.agreement.mediator')}
        {t('places.colon')}
        {a.mediatorName}
        {a.committeeName ? ` ${t('case.agreement.committee')}${t('places.colon')}${a.committeeName}` : ''}
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
        judicialUntil !== null &&
        judicialWindowOpen(a, today) && (
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
        {offers.has('seal') && (
          <Button
            size="xs"
            variant="default"
            loading={busy}
            onClick={() => void run(sealCaseAgreement, { caseId: c.id, agreementId: a.id })}
          >
            {t('case.agreement.seal')}
          </Button>
        )}
        {offers.has('judicialConfirmation') && (
          <Button
            size="xs"
            variant="default"
            loading={busy}
            onClick={() => void run(markCaseJudicialConfirmation, { caseId: c.id, agreementId: a.id })}
          >
            {t('case.agreement.judicial')}
          </Button>
        )}
        {offers.has('correct') && (
          <CorrectForm c={c} target={{ record: 'agreement', id: a.id }} run={run} busy={busy} />
        )}
      </Group>
      {editable && edit.editing && (
        <ActionFrame focus mt="xs">
          <AgreementForm {...actions} draft={a} done={edit.close} />
        </ActionFrame>
      )}
      {offers.has('sign') && !edit.editing && (
        <SignRecord
          c={c}
          actions={actions}
          required={required}
          signed={a.signatures}
          nameOf={nameOf}
          sign={(signer, value) =>
            run(signCaseAgreement, { caseId: c.id, agreementId: a.id, signer, signature: value })
          }
        />
      )}
    </Card>
  );
}
