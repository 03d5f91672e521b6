import { Alert, Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { createPortal } from 'react-dom';
import { useLocation } from 'wouter';
import { chinaDate, daysBetween } from '@shared/domain/dates';
import { resolutionPassed, ruleFor } from '@shared/domain/meetings/rules';
import { isLocked, type Attendee, type MeetingContent, type Signature } from '@shared/domain/meetings/types';
import type { PrintDocument, RecordPrintInput } from '@shared/domain/registry/printAudit';
import { emptySnapshot } from '@shared/ydoc/registry';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import type { StoredMeeting } from '@shared/ydoc/meetings';
import { useCurrentCommunity } from '../../../data/hooks';
import { usePlatform } from '../../../platform';
import { useT, type Translate } from '../../../i18n';
import { resultText } from '../AgendaSection';
import { useMeeting, useMeetingFiles, type MeetingFiles } from '../data';
import { ATTENDANCE_LABELS, dayOf, formatWhen, PARTY_KIND_LABELS, TYPE_LABELS } from '../labels';
import classes from './print.module.css';
import { SignatureLines } from './Signatures';
import { PRINT_ROOT_CLASS, usePrintRoot } from '../../../ui/print';
import { residentIdsOf, usePrintAudit } from '../../registry';

export const PRINT_KINDS = ['minutes', 'sign-in', 'notice', 'resolutions'] as const;
export type PrintKind = (typeof PRINT_KINDS)[number];

const TITLES: Record<
  PrintKind,
  'mtg.print.minutes' | 'mtg.print.signIn' | 'mtg.print.notice' | 'mtg.print.resolutions'
> = {
  minutes: 'mtg.print.minutes',
  'sign-in': 'mtg.print.signIn',
  notice: 'mtg.print.notice',
  resolutions: 'mtg.print.resolutions',
};

/**
 * What a print shows: the last signed version once the record is locked (it is authoritative even if a late edit
 * arrived by sync), the live record before.
 */
export function printedContent(meeting: StoredMeeting): { content: MeetingContent; signatures: readonly Signature[] } {
  const signed = meeting.versions.at(-1);
  if (isLocked(meeting.status) && signed) return { content: signed.content, signatures: signed.signatures };
  return { content: meeting, signatures: meeting.signatures };
}

/**
 * Prints with personal data go to the PIPL log (registry/printAudit.ts): the minutes (attendance with absence
 * reasons, votes, who proposed and owns what) and the sign-in sheet (the expected attendees), with the registry
 * residents they name. The notice and the published resolutions are public by purpose and are not logged. No meeting
 * print shows a phone or an ID number, so they are never "unmasked".
 */
const LOGGED_PRINTS: Partial<Record<PrintKind, PrintDocument>> = {
  minutes: 'meeting-minutes',
  'sign-in': 'meeting-sign-in',
};

function printSubject(community: CommunityId, year: number, meeting: StoredMeeting, kind: PrintKind) {
  const document = LOGGED_PRINTS[kind];
  if (document === undefined) return null;
  const { content } = printedContent(meeting);
  const people =
    kind === 'sign-in'
      ? meeting.attendees.filter((a) => a.expected).map((a) => a.ref)
      : [
          ...content.attendees.map((a) => a.ref),
          content.chair.ref,
          content.recorder.ref,
          meeting.convener.ref,
          ...content.agenda.map((item) => item.proposer.ref),
          ...meeting.actionItems.map((item) => item.owner.ref),
          ...meeting.requiredSignatories.map((person) => person.ref),
        ];
  const subject: RecordPrintInput = {
    document,
    docName: docName({ community, collection: 'meetings', year }),
    collection: 'meetings',
    recordId: meeting.id,
    residentIds: residentIdsOf(people),
    unmasked: false,
  };
  return subject;
}

/**
 * A printable document of a meeting in the usual layout, shown as a preview over the app. The print CSS hides
 * everything but this document, so `printToPdf` (desktop) or the browser's print dialog gives just the page.
 */
export function PrintView({
  community,
  year,
  id,
  kind,
}: {
  community: CommunityId;
  year: number;
  id: string;
  kind: PrintKind;
}) {
  const t = useT();
  const platform = usePlatform();
  const [, navigate] = useLocation();
  const meeting = useMeeting(community, year, id);
  const files = useMeetingFiles(community, year, id);
  usePrintRoot();
  const { community: row } = useCurrentCommunity();
  const logged = usePrintAudit(community, meeting ? printSubject(community, year, meeting, kind) : null);
  const [problem, setProblem] = useState<string | null>(null);
  // Keyboard: the preview opens with the print button focused (Enter prints, Escape closes).
  const focusOnMount = useCallback((button: HTMLButtonElement | null) => button?.focus(), []);
  const back = () => navigate(`/m/${year}/${id}`);
  if (!(PRINT_KINDS as readonly string[]).includes(kind)) return <Text>{t('mtg.notFound')}</Text>;
  if (meeting === undefined) return <Text>{t('settings.loading')}</Text>;
  if (meeting === null) return <Text>{t('mtg.notFound')}</Text>;
  const communityName = row?.name ?? '';
  const fileName = `${meeting.title}-${t(TITLES[kind])}.pdf`.replace(/[\\/:*?"<>|]/g, '_');
  return createPortal(
    <div className={`${classes.overlay} ${PRINT_ROOT_CLASS}`} onKeyDown={(event) => event.key === 'Escape' && back()}>
      <div className={classes.toolbar}>
        <Group>
          <Button
            ref={focusOnMount}
            onClick={() => {
              setProblem(null);
              logged(() => platform.printToPdf({ defaultName: fileName, pageSize: 'A4', title: meeting.title })).catch(
                (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
              );
            }}
          >
            {t('mtg.print.print')}
          </Button>
          <Button variant="default" onClick={back}>
            {t('mtg.print.close')}
          </Button>
        </Group>
        {problem && (
          <Alert color="red" mt="xs" role="alert">
            {problem}
          </Alert>
        )}
        {kind === 'notice' && <NoticeWarning meeting={meeting} />}
      </div>
      <article className={classes.page} data-testid="print-page" aria-label={t(TITLES[kind])}>
        {kind === 'minutes' && <Minutes meeting={meeting} communityName={communityName} files={files} />}
        {kind === 'sign-in' && <SignInSheet meeting={meeting} communityName={communityName} />}
        {kind === 'notice' && <Notice meeting={meeting} communityName={communityName} />}
        {kind === 'resolutions' && <Resolutions meeting={meeting} communityName={communityName} />}
      </article>
    </div>,
    document.body,
  );
}

/** docs/domain.md ("Meeting records"): the notice goes up 2-3 days ahead (15 for an owners' assembly); later is warned about. */
function NoticeWarning({ meeting }: { meeting: StoredMeeting }) {
  const t = useT();
  const required = ruleFor(meeting.type, meeting.rules).noticeDays;
  const postedOn = meeting.noticePublishedOn ?? chinaDate(new Date());
  const days = daysBetween(postedOn, dayOf(meeting.startsAt));
  if (days >= required) return null;
  return (
    <Alert color="yellow" mt="xs" role="status" data-testid="notice-warning">
      {t('mtg.warning.notice-late', { days, required })}
    </Alert>
  );
}

function names(list: readonly Attendee[], withReason = false): string {
  return list.map((a) => (withReason && a.reason !== '' ? `${a.name}（${a.reason}）` : a.name)).join('、');
}

function Header({ meeting, content, t }: { meeting: StoredMeeting; content: MeetingContent; t: Translate }) {
  const type =
    t(TYPE_LABELS[meeting.type]) + (meeting.partyKind ? ` · ${t(PARTY_KIND_LABELS[meeting.partyKind])}` : '');
  return (
    <table>
      <tbody>
        <tr>
          <th>{t('mtg.field.type')}</th>
          <td>{type}</td>
        </tr>
        <tr>
          <th>{t('mtg.field.startsAt')}</th>
          <td>{formatWhen(content.startsAt)}</td>
        </tr>
        {meeting.startedAt && (
          <tr>
            <th>{t('mtg.field.startedAt')}</th>
            <td data-testid="print-started-at">{formatWhen(meeting.startedAt)}</td>
          </tr>
        )}
        <tr>
          <th>{t('mtg.field.place')}</th>
          <td>{content.place}</td>
        </tr>
        <tr>
          <th>{t('mtg.field.convener')}</th>
          <td>{meeting.convener.name}</td>
        </tr>
        <tr>
          <th>{t('mtg.field.chair')}</th>
          <td>{content.chair.name}</td>
        </tr>
        <tr>
          <th>{t('mtg.field.recorder')}</th>
          <td>{content.recorder.name}</td>
        </tr>
      </tbody>
    </table>
  );
}

function Minutes({
  meeting,
  communityName,
  files,
}: {
  meeting: StoredMeeting;
  communityName: string;
  files: MeetingFiles | undefined;
}) {
  const t = useT();
  const photos = files?.signInPhotos ?? [];
  const { content, signatures } = printedContent(meeting);
  const sheet = content.attendees;
  const expected = sheet.filter((a) => a.expected);
  const present = sheet.filter((a) => a.status === 'present' || a.status === 'late');
  const absent = sheet.filter((a) => a.status === 'absent');
  const nonVoting = sheet.filter((a) => a.status === 'non-voting' || (!a.voting && a.status !== 'absent'));
  // Results are computed on the printed content (the signed sheet and votes), never on a later live edit.
  const asPrinted = { ...meeting, attendees: content.attendees, agenda: content.agenda };
  const registry = emptySnapshot();
  return (
    <>
      <h1>{t('mtg.doc.heading', { community: communityName, title: content.title })}</h1>
      <p className={classes.kind}>{t('mtg.doc.minutesKind')}</p>
      <Header meeting={meeting} content={content} t={t} />
      <h2>{t('mtg.doc.attendance')}</h2>
      <table>
        <tbody>
          <tr>
            <th>{t('mtg.doc.expected', { count: expected.length })}</th>
            <td data-testid="print-expected">{names(expected)}</td>
          </tr>
          <tr>
            <th>{t('mtg.doc.present', { count: present.length })}</th>
            <td data-testid="print-present">
              {present
                .map((a) => (a.status === 'late' ? `${a.name}（${t(ATTENDANCE_LABELS.late)}）` : a.name))
                .join('、')}
            </td>
          </tr>
          <tr>
            <th>{t('mtg.doc.absent', { count: absent.length })}</th>
            <td>{names(absent, true)}</td>
          </tr>
          <tr>
            <th>{t('mtg.doc.nonVoting', { count: nonVoting.length })}</th>
            <td>{names(nonVoting)}</td>
          </tr>
          <tr>
            <th>{t('mtg.doc.signInPhotos')}</th>
            <td data-testid="print-sign-in-photos">
              {photos.length === 0 ? t('mtg.none') : t('mtg.doc.signInPhotoCount', { count: photos.length })}
            </td>
          </tr>
        </tbody>
      </table>
      <h2>{t('mtg.doc.agenda')}</h2>
      <ol>
        {content.agenda.map((item) => (
          <li key={item.id}>
            {t('mtg.doc.agendaLine', {
              title: item.title,
              proposer: item.proposer.name,
              minutes: item.expectedMinutes,
            })}
          </li>
        ))}
      </ol>
      {content.agenda.map((item, index) => {
        const result = resolutionPassed(item, item.vote, asPrinted, registry);
        return (
          <section key={item.id}>
            <h2>{t('mtg.doc.item', { n: index + 1, title: item.title })}</h2>
            <p className={classes.pre}>
              <strong>{t('mtg.doc.discussion')}</strong>
              {item.minutes === '' ? t('mtg.none') : item.minutes}
            </p>
            <p>
              <strong>{t('mtg.doc.vote')}</strong>
              {item.vote === null ? t('mtg.doc.noVote') : resultText(t, result)}
            </p>
            {item.resolution !== '' && (
              <p>
                <strong>{t('mtg.doc.resolution')}</strong>
                {item.resolution}
                {item.vote !== null &&
                  `（${t(result.passed ? 'mtg.result.badge.passed' : 'mtg.result.badge.failed')}）`}
              </p>
            )}
          </section>
        );
      })}
      <h2>{t('mtg.doc.actionItems')}</h2>
      {meeting.actionItems.length === 0 ? (
        <p>{t('mtg.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('mtg.actions.item')}</th>
              <th>{t('mtg.actions.owner')}</th>
              <th>{t('mtg.actions.deadline')}</th>
              <th>{t('mtg.actions.state')}</th>
            </tr>
          </thead>
          <tbody>
            {meeting.actionItems.map((a) => (
              <tr key={a.id}>
                <td>{a.title}</td>
                <td>{a.owner.name}</td>
                <td>{a.deadline}</td>
                <td>{a.done ? t('mtg.actions.doneWith', { answer: a.answer }) : t('mtg.actions.open')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('mtg.doc.signatures')}</h2>
      <SignatureLines meeting={meeting} signatures={signatures} files={files} />
      {photos.length > 0 && (
        <section className={classes.appendix}>
          <h2>{t('mtg.doc.signInPhotosAppendix', { count: photos.length })}</h2>
          {photos.map((file, index) => (
            <figure key={file.id}>
              <img src={file.data} alt={t('mtg.photos.alt', { n: index + 1, title: content.title })} />
              <figcaption>{t('mtg.photos.view', { n: index + 1 })}</figcaption>
            </figure>
          ))}
        </section>
      )}
    </>
  );
}

/** A sign-in sheet for paper signatures: the expected attendees, a column to sign, and spare lines for guests. */
function SignInSheet({ meeting, communityName }: { meeting: StoredMeeting; communityName: string }) {
  const t = useT();
  const lines = meeting.attendees.length > 0 ? meeting.attendees.filter((a) => a.expected) : [];
  const spare = Math.max(5, 20 - lines.length);
  return (
    <>
      <h1>{t('mtg.doc.heading', { community: communityName, title: meeting.title })}</h1>
      <p className={classes.kind}>{t('mtg.doc.signInKind')}</p>
      <p>{t('mtg.doc.signInMeta', { when: formatWhen(meeting.startsAt), place: meeting.place })}</p>
      <table className={classes.sheet}>
        <thead>
          <tr>
            <th style={{ width: '8%' }}>{t('mtg.doc.no')}</th>
            <th style={{ width: '30%' }}>{t('mtg.signIn.name')}</th>
            <th>{t('mtg.doc.signHere')}</th>
            <th style={{ width: '20%' }}>{t('mtg.doc.note')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((a, i) => (
            <tr key={a.key}>
              <td>{i + 1}</td>
              <td>{a.name}</td>
              <td />
              <td>{a.voting ? '' : t('mtg.att.non-voting')}</td>
            </tr>
          ))}
          {Array.from({ length: spare }, (_, i) => (
            <tr key={`spare-${i}`}>
              <td>{lines.length + i + 1}</td>
              <td />
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Notice({ meeting, communityName }: { meeting: StoredMeeting; communityName: string }) {
  const t = useT();
  return (
    <>
      <h1>{t('mtg.doc.noticeTitle', { title: meeting.title })}</h1>
      <p>
        {t('mtg.doc.noticeBody', { when: formatWhen(meeting.startsAt), place: meeting.place, title: meeting.title })}
      </p>
      <ol>
        {meeting.agenda.map((item) => (
          <li key={item.id}>{item.title}</li>
        ))}
      </ol>
      <p>{t('mtg.doc.noticeClose')}</p>
      <p className={classes.right}>
        {communityName}
        <br />
        {t('mtg.doc.convenerLine', { name: meeting.convener.name })}
        <br />
        {meeting.noticePublishedOn ?? chinaDate(new Date())}
      </p>
    </>
  );
}

/** 公示: the resolutions of the signed record, with how each vote went. */
function Resolutions({ meeting, communityName }: { meeting: StoredMeeting; communityName: string }) {
  const t = useT();
  const { content } = printedContent(meeting);
  const asPrinted = { ...meeting, attendees: content.attendees, agenda: content.agenda };
  const voted = content.agenda.filter((item) => item.vote !== null);
  return (
    <>
      <h1>{t('mtg.doc.resolutionsTitle', { title: content.title })}</h1>
      <p>
        {t('mtg.doc.resolutionsIntro', {
          when: formatWhen(content.startsAt),
          place: content.place,
          title: content.title,
        })}
      </p>
      {voted.length === 0 ? (
        <p>{t('mtg.doc.noResolutions')}</p>
      ) : (
        <ol>
          {voted.map((item) => {
            const result = resolutionPassed(item, item.vote, asPrinted, emptySnapshot());
            return (
              <li key={item.id}>
                <strong>{item.title}</strong>
                {item.resolution !== '' && `${t('places.colon')}${item.resolution}`}
                <br />
                {resultText(t, result)}
              </li>
            );
          })}
        </ol>
      )}
      <p>{t('mtg.doc.resolutionsClose')}</p>
      <p className={classes.right}>
        {communityName}
        <br />
        {meeting.resolutionsPublishedOn ?? chinaDate(new Date())}
      </p>
    </>
  );
}
