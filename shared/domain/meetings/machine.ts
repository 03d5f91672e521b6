/**
 * The meeting state machine (docs/domain.md): agenda → notice published → in progress (sign-in, votes, minutes) → minutes
 * drafted → under review → signed (locked) → resolutions published → archived, with `amend` reopening a locked record
 * as a new version. Pure functions over a plain `Meeting`: each returns the next status (and warnings) or a coded
 * error. Commands call them before writing; the UI calls `allowedActions` to show only what may be done now.
 */
import { chinaDate, daysBetween } from '../dates';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { mayVote, quorum, ruleFor, sheetOf, tallyVote, type MeetingWarning } from './rules';
import {
  attendeeKey,
  isLocked,
  type AgendaItemId,
  type Attendance,
  type AttendeeKey,
  type Meeting,
  type MeetingContent,
  type MeetingStatus,
  type Person,
  type Signature,
  type Vote,
} from './types';

export const MEETING_ACTIONS = [
  'edit-details',
  'add-agenda-item',
  'publish-notice',
  'start',
  'sign-in',
  'attach-sign-in-photo',
  'record-vote',
  'edit-minutes',
  'finish',
  'submit-for-review',
  'return-to-draft',
  'review',
  'sign',
  'sign-off',
  'amend',
  'publish-resolutions',
  'add-action-item',
  'complete-action-item',
  'link-case',
  'archive',
] as const;
export type MeetingAction = (typeof MEETING_ACTIONS)[number];

/** Follow-up that is not part of the signed record: allowed from the meeting on, and after locking. */
const FOLLOW_UP: readonly MeetingAction[] = ['add-action-item', 'complete-action-item', 'link-case'];

const ALLOWED: Readonly<Record<MeetingStatus, readonly MeetingAction[]>> = {
  agenda: ['edit-details', 'add-agenda-item', 'publish-notice', 'link-case'],
  'notice-published': ['edit-details', 'add-agenda-item', 'start', 'link-case'],
  // 临时动议: an item may still be added during the meeting.
  'in-progress': [
    'edit-details',
    'add-agenda-item',
    'sign-in',
    'attach-sign-in-photo',
    'record-vote',
    'edit-minutes',
    'finish',
    ...FOLLOW_UP,
  ],
  // Votes taken on paper may be entered while the minutes are drafted; so may the photo of the paper sign-in sheet.
  'minutes-drafted': [
    'edit-details',
    'attach-sign-in-photo',
    'record-vote',
    'edit-minutes',
    'submit-for-review',
    ...FOLLOW_UP,
  ],
  // Content is frozen while attendees review and sign; a change goes back to the draft (and clears signatures).
  'under-review': ['review', 'sign', 'sign-off', 'return-to-draft', ...FOLLOW_UP],
  signed: ['amend', 'publish-resolutions', 'archive', ...FOLLOW_UP],
  'resolutions-published': ['amend', 'archive', ...FOLLOW_UP],
  archived: ['amend'],
};

/** What may be done in a status, for menus and buttons. */
export function allowedActions(status: MeetingStatus): readonly MeetingAction[] {
  return ALLOWED[status];
}

/** The statuses before the meeting is held: the agenda is collected, the notice is up. */
const NOT_STARTED: readonly MeetingStatus[] = ['agenda', 'notice-published'];

/** Whether the meeting has been started (in progress, held, or its record on the way): minutes and sign-in count. */
export function hasStarted(status: MeetingStatus): boolean {
  return !NOT_STARTED.includes(status);
}

/** The China day a meeting is or was held: the day it actually started, else the day it is scheduled for. */
export function heldOn(meeting: Pick<Meeting, 'startsAt' | 'startedAt' | 'status'>): string {
  const when = hasStarted(meeting.status) && meeting.startedAt ? meeting.startedAt : meeting.startsAt;
  return chinaDate(new Date(when));
}

/** Still to come (即将召开): not started yet, and scheduled for `today` or later. */
export function isUpcoming(meeting: Pick<Meeting, 'startsAt' | 'status'>, today: string): boolean {
  return !hasStarted(meeting.status) && chinaDate(new Date(meeting.startsAt)) >= today;
}

/** `meeting.locked` for a content change to a signed record, else `meeting.transition` when the status forbids it. */
export function checkAction(meeting: Pick<Meeting, 'status'>, action: MeetingAction): Result<null, DomainError> {
  if (ALLOWED[meeting.status].includes(action)) return ok(null);
  if (isLocked(meeting.status)) return err(domainError('meeting.locked', undefined, { status: meeting.status }));
  return err(domainError('meeting.transition', undefined, { status: meeting.status, action }));
}

export interface Transition {
  readonly status: MeetingStatus;
  readonly warnings: readonly MeetingWarning[];
}

const to = (status: MeetingStatus, warnings: readonly MeetingWarning[] = []): Result<Transition, DomainError> =>
  ok({ status, warnings });

/**
 * Publishes the notice. An agenda comes first (会前有议题). A notice later than the type asks (2 days by practice, 15
 * for an owners' assembly under 物业管理条例 art. 14) is a warning, not a refusal: the office decides; a notice dated
 * after the meeting day is refused. `publishedOn` is the date it went up, which may be entered afterwards.
 */
export function publishNotice(
  meeting: Pick<Meeting, 'status' | 'agenda' | 'startsAt' | 'type' | 'rules'>,
  publishedOn: string,
): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'publish-notice');
  if (!allowed.ok) return allowed;
  if (meeting.agenda.length === 0) return err(domainError('meeting.agenda-empty', 'agenda'));
  const meetingDay = chinaDate(new Date(meeting.startsAt));
  const days = daysBetween(publishedOn, meetingDay);
  if (days < 0) return err(domainError('meeting.notice-after-start', 'publishedOn'));
  const required = ruleFor(meeting.type, meeting.rules).noticeDays;
  return to('notice-published', days < required ? [{ code: 'notice-late', params: { days, required } }] : []);
}

/**
 * Whether starting now would be early: the scheduled day (in China) is after today. The screen asks this before
 * starting and has the person confirm; a meeting may start early (the people are there) but never by a stray click.
 */
export function startsEarly(meeting: Pick<Meeting, 'startsAt'>, now: Date): boolean {
  return chinaDate(now) < chinaDate(new Date(meeting.startsAt));
}

/** Starts the meeting; before its scheduled day only when the start was confirmed (`early`). */
export function start(
  meeting: Pick<Meeting, 'status' | 'startsAt'>,
  now: Date,
  early: boolean,
): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'start');
  if (!allowed.ok) return allowed;
  if (startsEarly(meeting, now) && !early) {
    return err(domainError('meeting.start-early', undefined, { day: chinaDate(new Date(meeting.startsAt)) }));
  }
  return to('in-progress');
}

/** Sign-in of one line of the sheet; only while the meeting is in progress. Absence needs a reason. */
export function signIn(
  meeting: Pick<Meeting, 'status' | 'attendees'>,
  key: AttendeeKey,
  status: Attendance,
  reason: string,
): Result<null, DomainError> {
  if (meeting.status !== 'in-progress') {
    return isLocked(meeting.status)
      ? err(domainError('meeting.locked', undefined, { status: meeting.status }))
      : err(domainError('meeting.not-in-progress', undefined, { status: meeting.status }));
  }
  if (!meeting.attendees.some((a) => a.key === key)) return err(domainError('meeting.not-expected', 'key'));
  if (status === 'absent' && reason.trim() === '') return err(domainError('required', 'reason'));
  return ok(null);
}

/** A vote needs the meeting's quorum (advisory quorums only warn), a known item, and ballots the sheet allows. */
export function recordVote(
  meeting: Meeting,
  itemId: AgendaItemId,
  vote: Vote,
  registry: RegistrySnapshot,
): Result<{ readonly warnings: readonly MeetingWarning[] }, DomainError> {
  const allowed = checkAction(meeting, 'record-vote');
  if (!allowed.ok) return allowed;
  if (!meeting.agenda.some((i) => i.id === itemId)) return err(domainError('not-found', 'itemId'));
  const q = quorum(meeting, registry);
  if (!mayVote(q)) return err(domainError('meeting.quorum-not-reached', undefined, { reason: q.reason }));
  const rule = ruleFor(meeting.type, meeting.rules);
  const withArea = rule.pass.ordinary.area || (rule.pass.special?.area ?? false);
  const tally = tallyVote(vote, sheetOf(meeting, registry), withArea);
  if (!tally.ok) return tally;
  return ok({ warnings: q.warnings });
}

export function finish(meeting: Pick<Meeting, 'status'>): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'finish');
  return allowed.ok ? to('minutes-drafted') : allowed;
}

export function submitForReview(meeting: Pick<Meeting, 'status'>): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'submit-for-review');
  return allowed.ok ? to('under-review') : allowed;
}

/** Back to the draft to change the content; the signatures given so far are cleared by the command. */
export function returnToDraft(meeting: Pick<Meeting, 'status'>): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'return-to-draft');
  return allowed.ok ? to('minutes-drafted') : allowed;
}

/** A reviewer is someone who attended (present, late or 列席). */
export function review(meeting: Pick<Meeting, 'status' | 'attendees'>, key: AttendeeKey): Result<null, DomainError> {
  const allowed = checkAction(meeting, 'review');
  if (!allowed.ok) return allowed;
  const attendee = meeting.attendees.find((a) => a.key === key);
  if (attendee === undefined || attendee.status === 'absent') return err(domainError('meeting.not-expected', 'key'));
  return ok(null);
}

export function sign(meeting: Pick<Meeting, 'status'>): Result<null, DomainError> {
  return checkAction(meeting, 'sign');
}

function personKey(person: Person): string {
  return person.ref === null ? `name:${person.name}` : attendeeKey(person.ref);
}

/** The same person: the same registry reference when both have one, else the same name. */
function samePerson(a: Person, b: Person): boolean {
  if (a.ref !== null && b.ref !== null) return personKey(a) === personKey(b);
  return a.name.trim() === b.name.trim();
}

function signedBy(signature: Signature, person: Person): boolean {
  return signature.role === 'signatory' && (signature.key === personKey(person) || signature.name === person.name);
}

/**
 * The required signatories who sign in their own right: a listed signatory who is the chair or the recorder signs
 * once, as host or recorder (one signature per person on the record).
 */
export function ownSignatories(meeting: Pick<Meeting, 'chair' | 'recorder' | 'requiredSignatories'>): Person[] {
  return meeting.requiredSignatories.filter(
    (person) => !samePerson(person, meeting.chair) && !samePerson(person, meeting.recorder),
  );
}

/**
 * Who still has to sign: `host`, `recorder`, then the names of required signatories who have not. A listed
 * signatory who is also the chair or the recorder is covered by that signature (`ownSignatories`).
 */
export function missingSignatures(
  meeting: Pick<Meeting, 'signatures' | 'requiredSignatories' | 'chair' | 'recorder'>,
): string[] {
  const missing: string[] = [];
  for (const role of ['host', 'recorder'] as const) {
    if (!meeting.signatures.some((s) => s.role === role)) missing.push(role);
  }
  for (const person of ownSignatories(meeting)) {
    if (!meeting.signatures.some((s) => signedBy(s, person))) missing.push(person.name);
  }
  return missing;
}

/** Sign-off: host, recorder and every required signatory have signed; the record is then locked. */
export function signOff(
  meeting: Pick<Meeting, 'status' | 'signatures' | 'requiredSignatories' | 'chair' | 'recorder'>,
): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'sign-off');
  if (!allowed.ok) return allowed;
  const missing = missingSignatures(meeting);
  if (missing.length > 0) {
    return err(domainError('meeting.signatures-missing', 'signatures', { missing: missing.join('、') }));
  }
  return to('signed');
}

/** An amendment reopens a locked record as the next version; the signed one stays in `versions`. */
export function amend(meeting: Pick<Meeting, 'status'>): Result<Transition, DomainError> {
  if (!isLocked(meeting.status)) {
    return err(domainError('meeting.transition', undefined, { status: meeting.status, action: 'amend' }));
  }
  return to('minutes-drafted');
}

export function publishResolutions(meeting: Pick<Meeting, 'status'>): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'publish-resolutions');
  return allowed.ok ? to('resolutions-published') : allowed;
}

/**
 * Archiving closes the record: items that were voted on must have been published (公示) first, and every action
 * item must have its answer (落实有回音).
 */
export function archive(meeting: Pick<Meeting, 'status' | 'agenda' | 'actionItems'>): Result<Transition, DomainError> {
  const allowed = checkAction(meeting, 'archive');
  if (!allowed.ok) return allowed;
  if (meeting.status === 'signed' && meeting.agenda.some((i) => i.vote !== null)) {
    return err(domainError('meeting.resolutions-unpublished'));
  }
  const open = meeting.actionItems.filter((a) => !a.done).length;
  if (open > 0) return err(domainError('meeting.action-items-open', undefined, { count: open }));
  return to('archived');
}

export function addActionItem(meeting: Pick<Meeting, 'status' | 'agenda'>, agendaItemId: AgendaItemId | null) {
  const allowed = checkAction(meeting, 'add-action-item');
  if (!allowed.ok) return allowed;
  if (agendaItemId !== null && !meeting.agenda.some((i) => i.id === agendaItemId)) {
    return err(domainError('not-found', 'agendaItemId'));
  }
  return ok(null);
}

export function completeActionItem(meeting: Pick<Meeting, 'status' | 'actionItems'>, actionItemId: string) {
  const allowed = checkAction(meeting, 'complete-action-item');
  if (!allowed.ok) return allowed;
  const item = meeting.actionItems.find((a) => a.id === actionItemId);
  if (item === undefined) return err(domainError('not-found', 'actionItemId'));
  if (item.done) return err(domainError('meeting.action-done', 'actionItemId'));
  return ok(null);
}

// --- locking ----------------------------------------------------------------------------------------------------------

/** The content a signature covers, in a canonical order (agenda by order, sheet by key). */
export function contentOf(meeting: MeetingContent): MeetingContent {
  const pick = <T extends object, K extends keyof T>(value: T, keys: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
  return {
    title: meeting.title,
    startsAt: meeting.startsAt,
    place: meeting.place,
    // A person written before references were kept reads with `ref: null` (shared/ydoc/meetings.ts), so both sides
    // of a comparison are normalised the same way.
    chair: { ...meeting.chair, ref: meeting.chair.ref ?? null },
    recorder: { ...meeting.recorder, ref: meeting.recorder.ref ?? null },
    agenda: [...meeting.agenda]
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
      .map((i) =>
        pick(i, [
          'id',
          'order',
          'title',
          'proposer',
          'expectedMinutes',
          'matter',
          'subject',
          'minutes',
          'vote',
          'resolution',
        ]),
      ),
    attendees: [...meeting.attendees]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((a) => pick(a, ['key', 'name', 'ref', 'expected', 'voting', 'area', 'status', 'reason', 'signedInAt'])),
  };
}

/** JSON with sorted keys: the same value gives the same text on every device, whatever order Yjs merged keys in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Edits that reached a locked meeting by sync. Commands refuse edits to a locked record, but a laptop that was
 * offline when the meeting was signed still holds the unlocked record and its edits merge in when it reconnects (a
 * CRDT cannot refuse an update). Signing stores the signed content in `versions` in the same transaction, so any
 * difference between the live content and the last signed version is such an edit. Returns the paths that differ
 * (`title`, `agenda.<id>.minutes`, `attendees.<key>`, ...); empty when the record is unlocked or untouched. The signed
 * version stays authoritative: the UI shows it, flags the late edit, and offers `amend` to take it in.
 */
export function editsAfterLock(meeting: Meeting): string[] {
  if (!isLocked(meeting.status)) return [];
  const signed = [...meeting.versions].reverse().find((v) => v.version === meeting.version);
  if (signed === undefined) return ['versions'];
  const live = contentOf(meeting);
  const was = contentOf(signed.content);
  const paths: string[] = [];
  for (const key of ['title', 'startsAt', 'place', 'chair', 'recorder'] as const) {
    if (canonicalJson(live[key]) !== canonicalJson(was[key])) paths.push(key);
  }
  const diffList = (name: string, idField: string, a: readonly object[], b: readonly object[]) => {
    const index = (list: readonly object[]) =>
      new Map(list.map((x) => [String((x as Record<string, unknown>)[idField]), x as Record<string, unknown>]));
    const after = index(a);
    const before = index(b);
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      const x = after.get(id);
      const y = before.get(id);
      if (x === undefined || y === undefined) {
        paths.push(`${name}.${id}`);
        continue;
      }
      for (const field of new Set([...Object.keys(x), ...Object.keys(y)])) {
        if (canonicalJson(x[field]) !== canonicalJson(y[field])) paths.push(`${name}.${id}.${field}`);
      }
    }
  };
  diffList('agenda', 'id', live.agenda, was.agenda);
  diffList('attendees', 'key', live.attendees, was.attendees);
  return paths;
}
