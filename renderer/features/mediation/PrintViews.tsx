import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Link, useLocation } from 'wouter';
import { currentAgreement, sameSigner } from '@shared/domain/mediation/machine';
import type { Agreement, MediationCase, Party, SessionRecord, Signature, Signer } from '@shared/domain/mediation/types';
import { maskPhone } from '@shared/domain/registry/mask';
import { mayPrintUnmasked, type PrintDocument, type RecordPrintInput } from '@shared/domain/registry/printAudit';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { useT, type Translate } from '../../i18n';
import { usePlatform } from '../../platform';
import { describeDomainError } from '../../ui/DomainErrorText';
import { PrintRefusedError, usePrintAudit } from '../registry';
import { usePermissions } from '../sync';
import { timelineText } from './CaseTimeline';
import { formatDay, formatInstant, partyNames, partySignerLines, signerKey, signerName } from './labels';
import { caseNumberText, useCase, useRegistryInfo, type RegistryInfo } from './useCases';
import { PRINT_ROOT_CLASS, usePrintRoot } from '../../ui/print';
import './print.css';

function SignatureMark({
  t,
  signatures,
  signer,
  name,
}: {
  t: Translate;
  signatures: readonly Signature[];
  signer: Signer;
  name: string;
}) {
  const signature = signatures.find((s) => sameSigner(s.signer, signer));
  return (
    <span className="cgw-sign">
      {name}
      {t('places.colon')}
      {signature === undefined ? (
        t('case.print.notSigned')
      ) : signature.kind === 'on-screen' ? (
        <img src={signature.image} alt={name} />
      ) : (
        t('case.print.signedOnPaper')
      )}
      {signature && ` ${formatDay(signature.at)}`}
    </span>
  );
}

/**
 * A party's line. Phones are printed in full only for those who may print them (`mayPrintUnmasked`: mediators and
 * those who may reveal); a viewer's print shows them masked, as the screen does.
 */
function partyLine(t: Translate, p: Party, masked: boolean): string {
  return t('case.print.partyLine', {
    role: t(`case.role.${p.role}`),
    name: p.name,
    sex: p.sex ? t(`case.sex.${p.sex}`) : '—',
    age: p.age === null ? '—' : t('case.print.age', { age: p.age }),
    phone: p.phone === null ? '—' : masked ? maskPhone(p.phone) : p.phone,
    address: p.address || '—',
  });
}

/** What a print of a case's document puts in the PIPL log (registry/printAudit.ts): the case and its registry parties. */
function printSubject(
  community: CommunityId,
  year: number,
  c: MediationCase,
  document: PrintDocument,
  masked: boolean,
): RecordPrintInput {
  return {
    document,
    docName: docName({ community, collection: 'cases', year }),
    collection: 'cases',
    recordId: c.id,
    residentIds: [...new Set(c.parties.flatMap((p) => (p.residentId === null ? [] : [p.residentId])))],
    unmasked: !masked,
  };
}

/** Whether the acting person prints phones masked in this community (see `partyLine`). */
function useMaskedPrint(community: CommunityId): boolean {
  return !mayPrintUnmasked(usePermissions(community), 'mediation-dossier');
}

/**
 * A printed document over the whole window, with its toolbar (print through the platform, back to the case). It sits
 * in a portal directly under <body> so that printing leaves out everything else (renderer/ui/print.ts). Every print
 * is logged first (`subject`, PIPL: who printed whose data).
 */
function PrintFrame({
  community,
  subject,
  fileName,
  back,
  children,
}: {
  community: CommunityId;
  subject: RecordPrintInput;
  fileName: string;
  back: string;
  children: ReactNode;
}) {
  const t = useT();
  const platform = usePlatform();
  const [, navigate] = useLocation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const logged = usePrintAudit(community, subject);
  usePrintRoot();
  const print = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await logged(() => platform.printToPdf({ defaultName: fileName.replace(/[\\/:*?"<>|]/g, '_'), pageSize: 'A4' }));
    } catch (error) {
      if (error instanceof PrintRefusedError) setProblem(describeDomainError(t, error.error));
      else setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return createPortal(
    <div
      className={`cgw-print-overlay ${PRINT_ROOT_CLASS}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') navigate(back);
      }}
    >
      <Stack>
        <Group className="cgw-no-print">
          <Button onClick={() => void print()} loading={busy} autoFocus>
            {t('case.print.print')}
          </Button>
          <Button component={Link} href={back} variant="default">
            {t('case.print.back')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('case.print.hint')}
          </Text>
        </Group>
        {problem && (
          <Alert color="red" className="cgw-no-print">
            {problem}
          </Alert>
        )}
        {children}
      </Stack>
    </div>,
    document.body,
  );
}

function latestFindings(c: MediationCase): string {
  const sessions = Object.values(c.sessions).filter((s) => s.supersededBy === null && s.factsChecked.trim() !== '');
  sessions.sort((a, b) => (a.at < b.at ? 1 : -1));
  return sessions[0]?.factsChecked ?? '';
}

/**
 * A typed text as printed paragraphs: one per line, each indented by the stylesheet's two characters and by nothing
 * typed (full-width or plain spaces at a line's start), so that a pasted or hand-indented text prints evenly.
 */
export function printedParagraphs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((line) => line !== '');
}

/** A typed fragment that the document's own sentence goes on after: without its closing punctuation (no `。；`). */
export function clause(text: string): string {
  return text.trim().replace(/[。；;，,、.\s\u3000]+$/, '');
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {printedParagraphs(text).map((line, index) => (
        <p className="cgw-para" key={index}>
          {line}
        </p>
      ))}
    </>
  );
}

/** 人民调解协议书 in the usual layout (人民调解法 art. 29 lists its content). */
export function AgreementDocument({
  c,
  a,
  info,
  masked = true,
}: {
  c: MediationCase;
  a: Agreement;
  info: RegistryInfo | undefined;
  /** Phones masked (the default: see `partyLine`). */
  masked?: boolean;
}) {
  const t = useT();
  const findings = latestFindings(c);
  const day = formatDay(a.effectiveAt ?? a.madeAt);
  return (
    <article className="cgw-print" data-testid="agreement-document" lang="zh-CN">
      <h1>{t('case.print.agreementTitle')}</h1>
      <div className="cgw-number">{caseNumberText(c, info)}</div>
      <h2>{t('case.print.parties')}</h2>
      {c.parties.map((p) => (
        <p className="cgw-para" key={p.id}>
          {partyLine(t, p, masked)}
        </p>
      ))}
      <h2>{t('case.print.facts')}</h2>
      <Paragraphs text={c.facts} />
      <Paragraphs text={findings} />
      <h2>{t('case.print.responsibility')}</h2>
      <Paragraphs text={a.terms} />
      <h2>{t('case.print.performance')}</h2>
      <p className="cgw-para">
        {a.performanceDeadline
          ? t('case.print.performanceLine', {
              method: clause(a.performanceMethod) || '—',
              deadline: a.performanceDeadline,
            })
          : t('case.print.performanceNoDeadline', { method: clause(a.performanceMethod) || '—' })}
      </p>
      <p className="cgw-para">{t('case.print.effect')}</p>
      <h2>{t('case.print.signatures')}</h2>
      <Stack gap={6}>
        {partySignerLines(c, c.parties, a.signatures).map((signer) => (
          <SignatureMark
            key={signerKey(signer)}
            t={t}
            signatures={a.signatures}
            signer={signer}
            name={signerName(t, c, signer)}
          />
        ))}
      </Stack>
      <h2>{t('case.print.mediatorSign')}</h2>
      <SignatureMark t={t} signatures={a.signatures} signer={{ role: 'mediator' }} name={a.mediatorName} />
      <h2>{t('case.print.seal')}</h2>
      <p>
        {a.committeeName ?? ''} {a.seal ? t('case.print.sealRecorded') : ''}
      </p>
      <p>
        {t('case.print.date')}
        {t('places.colon')}
        {day}
      </p>
    </article>
  );
}

export function AgreementPrint({
  community,
  year,
  id,
  agreementId,
}: {
  community: CommunityId;
  year: number;
  id: string;
  agreementId: string;
}) {
  const t = useT();
  const c = useCase(community, year, id);
  const info = useRegistryInfo(community);
  const masked = useMaskedPrint(community);
  if (c === undefined) return <Text c="dimmed">{t('case.loading')}</Text>;
  const a = c?.agreements[agreementId];
  if (!c || !a) return <Alert color="orange">{t('case.notFound')}</Alert>;
  return (
    <PrintFrame
      community={community}
      subject={printSubject(community, year, c, 'mediation-agreement', masked)}
      fileName={`${caseNumberText(c, info)}.pdf`}
      back={`/case/${year}/${id}`}
    >
      <AgreementDocument c={c} a={a} info={info} masked={masked} />
    </PrintFrame>
  );
}

function SessionDocument({ t, c, s }: { t: Translate; c: MediationCase; s: SessionRecord }) {
  const present = c.parties.filter((p) => s.presentPartyIds.includes(p.id));
  const nameOf = (signer: Signer) =>
    signer.role === 'mediator'
      ? s.mediatorName
      : signer.role === 'recorder'
        ? s.recorderName
        : signerName(t, c, signer);
  return (
    <section>
      <p>
        {t('case.session.at')}
        {t('places.colon')}
        {formatInstant(s.at)} {t('case.session.place')}
        {t('places.colon')}
        {s.place}
        {t('case.session.version', { version: s.version })}
      </p>
      <p>
        {t('case.session.present')}
        {t('places.colon')}
        {[...present.map((p) => p.name), ...s.others].join('、')}
      </p>
      <p>
        {t('case.session.mediator')}
        {t('places.colon')}
        {s.mediatorName} {t('case.session.recorder')}
        {t('places.colon')}
        {s.recorderName}
      </p>
      {present.map((p) => (
        <p className="cgw-para" key={p.id}>
          {t('case.session.statement', { name: p.name })}
          {t('places.colon')}
          {s.statements[p.id] ?? ''}
        </p>
      ))}
      <p className="cgw-para">
        {t('case.session.factsChecked')}
        {t('places.colon')}
        {s.factsChecked}
      </p>
      <p className="cgw-para">
        {t('case.session.result')}
        {t('places.colon')}
        {s.result}
      </p>
      <Stack gap={4}>
        {[
          ...partySignerLines(c, present, s.signatures),
          { role: 'mediator' } as Signer,
          { role: 'recorder' } as Signer,
        ].map((signer) => (
          <SignatureMark
            key={JSON.stringify(signer)}
            t={t}
            signatures={s.signatures}
            signer={signer}
            name={nameOf(signer)}
          />
        ))}
      </Stack>
    </section>
  );
}

/** 卷宗: cover, registration, session records, agreement, follow-up visits, closing report, then the log. */
export function DossierPrint({ community, year, id }: { community: CommunityId; year: number; id: string }) {
  const t = useT();
  const c = useCase(community, year, id);
  const info = useRegistryInfo(community);
  const masked = useMaskedPrint(community);
  if (c === undefined) return <Text c="dimmed">{t('case.loading')}</Text>;
  if (c === null) return <Alert color="orange">{t('case.notFound')}</Alert>;
  const number = caseNumberText(c, info);
  const agreement = currentAgreement(c) ?? Object.values(c.agreements).find((a) => a.supersededBy === null) ?? null;
  const sessions = Object.values(c.sessions).sort((a, b) => (a.at < b.at ? -1 : 1));
  const result =
    c.outcome === null
      ? t(`case.status.${c.status}`)
      : c.outcome.kind === 'agreement'
        ? t('case.outcome.agreement', { kind: t(`case.agreement.kind.${agreement?.kind ?? 'written'}`) })
        : t(`case.outcome.kind.${c.outcome.kind}`);
  return (
    <PrintFrame
      community={community}
      subject={printSubject(community, year, c, 'mediation-dossier', masked)}
      fileName={`${number}-dossier.pdf`}
      back={`/case/${year}/${id}`}
    >
      <article className="cgw-print" data-testid="dossier-document" lang="zh-CN">
        <section>
          <h1>{t('case.print.dossierTitle')}</h1>
          <div className="cgw-number">{number}</div>
          <table>
            <tbody>
              <tr>
                <th>{t('case.print.coverCommunity')}</th>
                <td>{info?.communityName ?? ''}</td>
              </tr>
              <tr>
                <th>{t('case.print.coverCategory')}</th>
                <td>{t(`case.category.${c.category}`)}</td>
              </tr>
              <tr>
                <th>{t('case.print.coverParties')}</th>
                <td>
                  {partyNames(c, 'applicant')} / {partyNames(c, 'respondent')}
                </td>
              </tr>
              <tr>
                <th>{t('case.print.coverRegistered')}</th>
                <td>{formatDay(c.registeredAt)}</td>
              </tr>
              <tr>
                <th>{t('case.print.coverClosed')}</th>
                <td>{c.closing ? formatDay(c.closing.at) : '—'}</td>
              </tr>
              <tr>
                <th>{t('case.print.coverResult')}</th>
                <td>{result}</td>
              </tr>
            </tbody>
          </table>
        </section>
        <section className="cgw-page">
          <h1>{t('case.print.registration')}</h1>
          <table>
            <tbody>
              <tr>
                <th>{t('case.intake.source')}</th>
                <td>{t(`case.source.${c.source}`)}</td>
                <th>{t('case.intake.risk')}</th>
                <td>{t(`case.risk.${c.risk}`)}</td>
              </tr>
              <tr>
                <th>{t('case.page.place')}</th>
                <td colSpan={3}>{c.place.address}</td>
              </tr>
              <tr>
                <th>{t('case.page.registeredAt')}</th>
                <td>{formatInstant(c.registeredAt)}</td>
                <th>{t('case.page.registeredBy')}</th>
                <td>{c.registeredBy.userName}</td>
              </tr>
            </tbody>
          </table>
          <h2>{t('case.print.parties')}</h2>
          {c.parties.map((p) => (
            <p className="cgw-para" key={p.id}>
              {partyLine(t, p, masked)}
            </p>
          ))}
          <h2>{t('case.print.facts')}</h2>
          <p className="cgw-para">{c.facts}</p>
          {(c.attachments.length > 0 || c.addedAttachments.length > 0) && (
            <>
              <h2>{t('case.page.attachments')}</h2>
              {/* The files themselves stay in the document; the dossier lists them and who added one later. */}
              {c.attachments.map((a) => (
                <p key={a.id}>{t('case.print.attachmentAtIntake', { name: a.name })}</p>
              ))}
              {c.addedAttachments.map((a) => (
                <p key={a.id}>
                  {t('case.print.attachmentAdded', {
                    name: a.name,
                    at: formatInstant(a.addedAt),
                    by: a.addedBy.userName,
                  })}
                </p>
              ))}
            </>
          )}
        </section>
        <section className="cgw-page">
          <h1>{t('case.print.sessions')}</h1>
          {sessions.length === 0 ? <p>{t('case.print.none')}</p> : null}
          {sessions.map((s) => (
            <SessionDocument key={s.id} t={t} c={c} s={s} />
          ))}
        </section>
        <section className="cgw-page">
          <h1>{t('case.print.agreement')}</h1>
          {agreement ? <AgreementBody t={t} c={c} a={agreement} /> : <p>{t('case.print.none')}</p>}
        </section>
        <section className="cgw-page">
          <h1>{t('case.print.followUps')}</h1>
          {c.followUps.length === 0 && <p>{t('case.print.none')}</p>}
          {c.followUps.map((f) => (
            <p key={f.id} className="cgw-para">
              {t('case.followUp.line', {
                date: f.date,
                visitor: f.visitor,
                performance: t(`case.followUp.performance.${f.performance}`),
                satisfaction: f.satisfaction,
              })}
              {f.note ? `${t('places.colon')}${f.note}` : ''}
            </p>
          ))}
          <h1>{t('case.print.closing')}</h1>
          {c.closing ? (
            <p className="cgw-para">
              {formatDay(c.closing.at)} {c.closing.by.userName}
              {t('places.colon')}
              {c.closing.summary}
            </p>
          ) : (
            <p>{t('case.print.none')}</p>
          )}
          <h2>{t('case.print.log')}</h2>
          {[...c.timeline]
            .sort((a, b) => (a.at < b.at ? -1 : 1))
            .map((event) => (
              <p key={event.id}>
                {formatInstant(event.at)} {timelineText(t, c, event)} · {event.by.userName}
              </p>
            ))}
        </section>
      </article>
    </PrintFrame>
  );
}

function AgreementBody({ t, c, a }: { t: Translate; c: MediationCase; a: Agreement }) {
  return (
    <>
      <p>{t(`case.agreement.kind.${a.kind}`)}</p>
      <p className="cgw-para">{a.terms}</p>
      <p className="cgw-para">
        {a.performanceDeadline
          ? t('case.print.performanceLine', { method: a.performanceMethod || '—', deadline: a.performanceDeadline })
          : t('case.print.performanceNoDeadline', { method: a.performanceMethod || '—' })}
      </p>
      <Stack gap={4}>
        {partySignerLines(c, c.parties, a.signatures).map((signer) => (
          <SignatureMark
            key={signerKey(signer)}
            t={t}
            signatures={a.signatures}
            signer={signer}
            name={signerName(t, c, signer)}
          />
        ))}
        <SignatureMark t={t} signatures={a.signatures} signer={{ role: 'mediator' }} name={a.mediatorName} />
      </Stack>
      <p>
        {a.committeeName ?? ''} {a.seal ? t('case.print.sealRecorded') : ''}
      </p>
    </>
  );
}
