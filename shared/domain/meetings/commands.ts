/**
 * Meeting commands: the only writers of a `<community>/meetings/<year>` document (DESIGN.md, data flow 3), with the
 * registry's pattern: permission, zod shape, then the state machine (machine.ts) and the rules (rules.ts) against
 * the current record, all before touching the document; then ONE `doc.transact` tagged
 * `{ kind: 'command', command, actor }` (`isCommandOrigin`) that carries its audit entry.
 *
 * Commands that need the registry (expected attendees, owners' floor areas) take a `RegistrySnapshot` of the
 * community's `<community>/registry` document: meetings and registry are separate documents.
 *
 * Minutes: the UI may bind an editor straight to `minutesText(doc, meeting, item)`, a `Y.Text`; it must then make the
 * editor read-only whenever `allowedActions(status)` lacks `edit-minutes`, and should send batched changes through
 * `editMinutes` (one audit entry per batch, not per keystroke) where it can. Edits that still reach a locked meeting
 * by sync are found by `lockViolations`.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { chinaDate } from '../dates';
import { domainError, err, ok, parseInput, type DomainError, type Result } from '../result';
import type { CommandContext, CommandOrigin } from '../registry/commands';
import type { AuditAction, AuditEntry } from '../registry/types';
import type { RegistrySnapshot } from '../../ydoc/registry';
import {
  ACTION_ITEMS,
  AGENDA,
  AMENDMENTS,
  appendMeetingsAudit,
  appendNested,
  ATTENDEES,
  clearNested,
  insertAgendaItem,
  insertMeeting,
  listMeetings,
  meetingMap,
  meetingsAudit,
  MINUTES,
  nestedMap,
  meetingFileRef,
  putMeetingFile,
  readMeeting,
  signInPhotos,
  REVIEWS,
  setMeetingFields,
  setNestedValue,
  SIGNATURES,
  upsertNested,
  VERSIONS,
  type StoredMeeting,
} from '../../ydoc/meetings';
import * as machine from './machine';
import {
  checkOverrides,
  expectedAttendees,
  matterOf,
  nameKey,
  resolutionPassed,
  ruleFor,
  type MeetingWarning,
  type ResolutionResult,
} from './rules';
import {
  addActionItemSchema,
  addAgendaItemSchema,
  addGuestSchema,
  amendSchema,
  attachSignInPhotoSchema,
  attendeeKey,
  completeActionItemSchema,
  createMeetingSchema,
  editMinutesSchema,
  linkCaseSchema,
  meetingRefSchema,
  minutesTypedSchema,
  publishNoticeSchema,
  publishResolutionsSchema,
  recordVoteSchema,
  reviewSchema,
  signInSchema,
  signSchema,
  updateDetailsSchema,
  type ActionItemId,
  type AgendaItemId,
  type Attendee,
  type AttendeeKey,
  type MeetingFile,
  type MeetingId,
  type SignedVersion,
  isOwnedBy,
  MAX_SIGN_IN_PHOTOS,
  type PersonRef,
} from './types';

export const MEETING_PERMISSIONS = ['meetings.edit'] as const;
export type MeetingPermission = (typeof MEETING_PERMISSIONS)[number];

/**
 * The registry's `CommandContext`, whose permission set may also hold `meetings.edit` (the registry's `Permission`
 * list does not name it yet). A registry context is accepted as is.
 */
export type MeetingsCommandContext = Omit<CommandContext, 'permissions'> & {
  readonly permissions: ReadonlySet<string>;
};

export type CommandResult<T> = Result<T, DomainError>;

type Audit = (action: AuditAction, recordId: string, fields: Readonly<Record<string, unknown>>) => void;

function commit(
  doc: Y.Doc,
  ctx: MeetingsCommandContext,
  command: string,
  write: (audit: Audit, at: string) => void,
): void {
  const at = ctx.now().toISOString();
  const origin: CommandOrigin = { kind: 'command', command, actor: ctx.actor };
  doc.transact(() => {
    const entries: AuditEntry[] = [];
    write((action, recordId, fields) => {
      entries.push({
        id: ctx.newId(),
        at,
        userId: ctx.actor.userId,
        userName: ctx.actor.userName,
        deviceId: ctx.actor.deviceId,
        action,
        collection: 'meetings',
        recordId,
        fields: { command, ...fields },
      });
    }, at);
    appendMeetingsAudit(doc, entries);
  }, origin);
}

function validate<T>(ctx: MeetingsCommandContext, schema: z.ZodType<T>, input: unknown): CommandResult<T> {
  if (!ctx.permissions.has('meetings.edit') && !ctx.permissions.has('admin')) {
    return err(domainError('permission-denied'));
  }
  return parseInput(schema, input);
}

interface Loaded {
  readonly map: Y.Map<unknown>;
  readonly meeting: StoredMeeting;
}

function load(doc: Y.Doc, id: string): CommandResult<Loaded> {
  const map = meetingMap(doc, id);
  const meeting = readMeeting(doc, id);
  return map === null || meeting === null ? err(domainError('not-found', 'meetingId')) : ok({ map, meeting });
}

/** Parse, load, check the machine allows the action: the preamble of most commands. */
function prepare<T extends { meetingId: MeetingId }>(
  doc: Y.Doc,
  ctx: MeetingsCommandContext,
  schema: z.ZodType<T>,
  input: unknown,
  action: machine.MeetingAction | null,
): CommandResult<Loaded & { readonly input: T }> {
  const parsed = validate(ctx, schema, input);
  if (!parsed.ok) return parsed;
  const loaded = load(doc, parsed.value.meetingId);
  if (!loaded.ok) return loaded;
  if (action !== null) {
    const allowed = machine.checkAction(loaded.value.meeting, action);
    if (!allowed.ok) return allowed;
  }
  return ok({ ...loaded.value, input: parsed.value });
}

function statusChange(
  doc: Y.Doc,
  ctx: MeetingsCommandContext,
  command: string,
  loaded: Loaded,
  next: machine.Transition,
  extra: Readonly<Record<string, unknown>> = {},
): CommandResult<{ readonly warnings: readonly MeetingWarning[] }> {
  commit(doc, ctx, command, (audit, at) => {
    setMeetingFields(loaded.map, { ...extra, status: next.status, updatedAt: at });
    audit('update', loaded.meeting.id, { ...extra, status: next.status });
  });
  return ok({ warnings: next.warnings });
}

// --- creating and preparing ------------------------------------------------------------------------------------------

function scopeExists(scope: StoredMeeting['scope'], registry: RegistrySnapshot): DomainError | null {
  switch (scope.kind) {
    case 'list':
      return null;
    case 'compound':
      return registry.compounds.has(scope.compoundId) ? null : domainError('not-found', 'scope.compoundId');
    case 'zone':
      return registry.zones.has(scope.zoneId) ? null : domainError('not-found', 'scope.zoneId');
    case 'party-org':
      return registry.partyOrgs.has(scope.partyOrgId) ? null : domainError('not-found', 'scope.partyOrgId');
  }
}

export function createMeeting(
  doc: Y.Doc,
  ctx: MeetingsCommandContext,
  input: unknown,
  registry: RegistrySnapshot,
): CommandResult<MeetingId> {
  const parsed = validate(ctx, createMeetingSchema, input);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (v.scope.kind !== ruleFor(v.type).scopeKind) return err(domainError('meeting.scope-mismatch', 'scope'));
  if (v.partyKind !== null && v.type !== 'party') return err(domainError('invalid', 'partyKind'));
  const problem = checkOverrides(v.type, v.rules) ?? scopeExists(v.scope, registry);
  if (problem !== null) return err(problem);
  const id = ctx.newId() as MeetingId;
  commit(doc, ctx, 'createMeeting', (audit, at) => {
    insertMeeting(doc, id, {
      id,
      createdAt: at,
      updatedAt: at,
      ...v,
      status: 'agenda',
      version: 1,
      caseIds: [],
      noticePublishedOn: null,
      resolutionsPublishedOn: null,
    });
    audit('create', id, { type: v.type, title: v.title, startsAt: v.startsAt });
  });
  return ok(id);
}

export function updateMeetingDetails(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<string[]> {
  const parsed = validate(ctx, updateDetailsSchema, input);
  if (!parsed.ok) return parsed;
  const loaded = load(doc, parsed.value.id);
  if (!loaded.ok) return loaded;
  const allowed = machine.checkAction(loaded.value.meeting, 'edit-details');
  if (!allowed.ok) return allowed;
  const current = loaded.value.meeting as Readonly<Record<string, unknown>>;
  const changed = Object.fromEntries(
    Object.entries(parsed.value.changes as Readonly<Record<string, unknown>>).filter(
      ([k, value]) => value !== undefined && JSON.stringify(current[k]) !== JSON.stringify(value),
    ),
  );
  if (Object.keys(changed).length === 0) return ok([]);
  commit(doc, ctx, 'updateMeetingDetails', (audit, at) => {
    setMeetingFields(loaded.value.map, { ...changed, updatedAt: at });
    audit('update', parsed.value.id, changed);
  });
  return ok(Object.keys(changed));
}

export function addAgendaItem(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<AgendaItemId> {
  const p = prepare(doc, ctx, addAgendaItemSchema, input, 'add-agenda-item');
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const id = ctx.newId() as AgendaItemId;
  const order = meeting.agenda.reduce((max, i) => Math.max(max, i.order), 0) + 1;
  const matter = matterOf(v);
  commit(doc, ctx, 'addAgendaItem', (audit, at) => {
    insertAgendaItem(map, id, {
      id,
      order,
      title: v.title,
      proposer: v.proposer,
      expectedMinutes: v.expectedMinutes,
      matter,
      subject: v.subject,
      vote: null,
      resolution: '',
    });
    setMeetingFields(map, { updatedAt: at });
    audit('update', meeting.id, { agendaItem: id, title: v.title, matter });
  });
  return ok(id);
}

/** Publishes the notice; a late notice comes back as a `notice-late` warning, not a refusal. */
export function publishNotice(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, publishNoticeSchema, input, null);
  if (!p.ok) return p;
  const next = machine.publishNotice(p.value.meeting, p.value.input.publishedOn);
  if (!next.ok) return next;
  return statusChange(doc, ctx, 'publishNotice', p.value, next.value, { noticePublishedOn: p.value.input.publishedOn });
}

/**
 * Starts the meeting and fixes the sign-in sheet from the registry as it is now (everyone absent until signed in).
 * The sheet is a snapshot so that quorum and results of this meeting never change with later registry edits.
 */
export function startMeeting(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown, registry: RegistrySnapshot) {
  const p = prepare(doc, ctx, meetingRefSchema, input, null);
  if (!p.ok) return p;
  const next = machine.start(p.value.meeting);
  if (!next.ok) return next;
  const lines = expectedAttendees(p.value.meeting, registry);
  commit(doc, ctx, 'startMeeting', (audit, at) => {
    for (const line of lines) {
      upsertNested(p.value.map, ATTENDEES, line.key, { ...line, status: 'absent', reason: '', signedInAt: null });
    }
    setMeetingFields(p.value.map, { status: next.value.status, updatedAt: at });
    audit('update', p.value.meeting.id, { status: next.value.status, expected: lines.length });
  });
  return ok({ expected: lines.length, warnings: next.value.warnings });
}

// --- during the meeting --------------------------------------------------------------------------------------------

export function signIn(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<AttendeeKey> {
  const p = prepare(doc, ctx, signInSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const checked = machine.signIn(meeting, v.key, v.status, v.reason);
  if (!checked.ok) return checked;
  commit(doc, ctx, 'signIn', (audit, at) => {
    const signedInAt = v.status === 'absent' ? null : at;
    upsertNested(map, ATTENDEES, v.key, { status: v.status, reason: v.reason, signedInAt });
    setMeetingFields(map, { updatedAt: at });
    audit('update', meeting.id, { attendee: v.key, status: v.status, reason: v.reason });
  });
  return ok(v.key);
}

/** Adds a guest (列席) who is not on the expected list: attends without a vote and does not count for quorum. */
export function addGuest(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<AttendeeKey> {
  const p = prepare(doc, ctx, addGuestSchema, input, 'sign-in');
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const key = v.ref === null ? nameKey(v.name) : attendeeKey(v.ref);
  if (meeting.attendees.some((a) => a.key === key)) return err(domainError('name.duplicate', 'name'));
  commit(doc, ctx, 'addGuest', (audit, at) => {
    const line: Attendee = {
      key,
      name: v.name,
      ref: v.ref,
      expected: false,
      voting: false,
      area: null,
      status: 'non-voting',
      reason: '',
      signedInAt: at,
    };
    upsertNested(map, ATTENDEES, key, line);
    setMeetingFields(map, { updatedAt: at });
    audit('update', meeting.id, { guest: key, name: v.name });
  });
  return ok(key);
}

/** Records the vote on an item (replacing an earlier one) and its resolution text; returns whether it passed. */
export function recordVote(
  doc: Y.Doc,
  ctx: MeetingsCommandContext,
  input: unknown,
  registry: RegistrySnapshot,
): CommandResult<ResolutionResult> {
  const p = prepare(doc, ctx, recordVoteSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const checked = machine.recordVote(meeting, v.itemId, v.vote, registry);
  if (!checked.ok) return checked;
  const item = meeting.agenda.find((i) => i.id === v.itemId);
  if (item === undefined) return err(domainError('not-found', 'itemId'));
  const result = resolutionPassed(item, v.vote, meeting, registry);
  commit(doc, ctx, 'recordVote', (audit, at) => {
    upsertNested(map, AGENDA, v.itemId, { vote: v.vote, resolution: v.resolution });
    setMeetingFields(map, { updatedAt: at });
    audit('update', meeting.id, { agendaItem: v.itemId, vote: v.vote, passed: result.passed });
  });
  return ok(result);
}

/**
 * Applies one change to an item's minutes (`Y.Text`): delete `deleteCount` characters at `index`, then insert. Two
 * devices editing offline both keep their text after the merge. Refused once the record is locked.
 */
export function editMinutes(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<number> {
  const p = prepare(doc, ctx, editMinutesSchema, input, 'edit-minutes');
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const item = nestedMap(map, AGENDA)?.get(v.itemId);
  const text = item instanceof Y.Map ? (item as Y.Map<unknown>).get(MINUTES) : undefined;
  if (!(text instanceof Y.Text)) return err(domainError('not-found', 'itemId'));
  if (v.index + v.deleteCount > text.length) return err(domainError('invalid', 'index'));
  commit(doc, ctx, 'editMinutes', (audit, at) => {
    if (v.deleteCount > 0) text.delete(v.index, v.deleteCount);
    if (v.insert !== '') text.insert(v.index, v.insert);
    setMeetingFields(map, { updatedAt: at });
    // The audit notes the size of the change, not the text: minutes may be long and are in the document anyway.
    audit('update', meeting.id, { agendaItem: v.itemId, inserted: v.insert.length, deleted: v.deleteCount });
  });
  return ok(text.length);
}

/**
 * Notes in the audit what a live editor bound to the minutes' `Y.Text` typed (renderer/features/meetings: the
 * textarea writes each keystroke straight into the text, so two writers merge; one audit entry per keystroke would
 * bury the log). Sent after a pause in typing, with the sizes typed since the last note. Refused, like `editMinutes`,
 * once the record is locked or outside drafting, so the editor's own check has a domain twin.
 */
export function noteMinutesTyped(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<null> {
  const p = prepare(doc, ctx, minutesTypedSchema, input, 'edit-minutes');
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  if (!meeting.agenda.some((i) => i.id === v.itemId)) return err(domainError('not-found', 'itemId'));
  if (v.inserted === 0 && v.deleted === 0) return ok(null);
  commit(doc, ctx, 'noteMinutesTyped', (audit, at) => {
    setMeetingFields(map, { updatedAt: at });
    audit('update', meeting.id, { agendaItem: v.itemId, inserted: v.inserted, deleted: v.deleted });
  });
  return ok(null);
}

export function finishMeeting(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, meetingRefSchema, input, null);
  if (!p.ok) return p;
  const next = machine.finish(p.value.meeting);
  return next.ok ? statusChange(doc, ctx, 'finishMeeting', p.value, next.value) : next;
}

// --- after: review, signatures, lock, amendments ---------------------------------------------------------------------

export function submitForReview(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, meetingRefSchema, input, null);
  if (!p.ok) return p;
  const next = machine.submitForReview(p.value.meeting);
  return next.ok ? statusChange(doc, ctx, 'submitForReview', p.value, next.value) : next;
}

/** Back to drafting: signatures and reviews given on the content so far no longer apply. */
export function returnToDraft(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, meetingRefSchema, input, null);
  if (!p.ok) return p;
  const next = machine.returnToDraft(p.value.meeting);
  if (!next.ok) return next;
  commit(doc, ctx, 'returnToDraft', (audit, at) => {
    clearNested(p.value.map, SIGNATURES);
    clearNested(p.value.map, REVIEWS);
    setMeetingFields(p.value.map, { status: next.value.status, updatedAt: at });
    audit('update', p.value.meeting.id, { status: next.value.status });
  });
  return ok({ warnings: next.value.warnings });
}

export function reviewMinutes(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<AttendeeKey> {
  const p = prepare(doc, ctx, reviewSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const checked = machine.review(meeting, v.key);
  if (!checked.ok) return checked;
  commit(doc, ctx, 'reviewMinutes', (audit, at) => {
    setNestedValue(map, REVIEWS, v.key, { key: v.key, approved: v.approved, comment: v.comment, at });
    audit('update', meeting.id, { reviewer: v.key, approved: v.approved });
  });
  return ok(v.key);
}

/** Adds a signature (host, recorder or signatory) to the current version. */
export function signMinutes(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<string> {
  const p = prepare(doc, ctx, signSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const checked = machine.sign(meeting);
  if (!checked.ok) return checked;
  const slot = `${v.role}:${v.key ?? nameKey(v.name)}`;
  const fileId = v.image === null ? null : ctx.newId();
  commit(doc, ctx, 'signMinutes', (audit, at) => {
    if (fileId !== null && v.image !== null) {
      putMeetingFile(doc, {
        id: fileId,
        meetingId: meeting.id,
        purpose: 'signature',
        name: `${v.role}-${v.name}`,
        type: mimeOf(v.image),
        data: v.image,
        addedAt: at,
        addedBy: ctx.actor.userName,
      });
    }
    const image = fileId === null ? null : meetingFileRef(fileId);
    setNestedValue(map, SIGNATURES, slot, { role: v.role, name: v.name, key: v.key, at, method: v.method, image });
    // The image is in the document's files; the audit names it, not its bytes.
    audit('update', meeting.id, { signature: slot, method: v.method, image });
  });
  return ok(slot);
}

function mimeOf(dataUrl: string): string {
  return /^data:([^;,]+)/.exec(dataUrl)?.[1] ?? 'application/octet-stream';
}

/**
 * Keeps a photo of the paper sign-in sheet as signed (the office's evidence of who came), one file per page. Allowed
 * from the meeting until the draft goes to review; a sheet runs to a few pages, so at most `MAX_SIGN_IN_PHOTOS`.
 */
export function attachSignInPhoto(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<string> {
  const p = prepare(doc, ctx, attachSignInPhotoSchema, input, 'attach-sign-in-photo');
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  if (signInPhotos(doc, meeting.id).length >= MAX_SIGN_IN_PHOTOS) {
    return err(domainError('too-long', 'signInPhotos', { max: MAX_SIGN_IN_PHOTOS }));
  }
  const id = ctx.newId();
  commit(doc, ctx, 'attachSignInPhoto', (audit, at) => {
    const file: MeetingFile = {
      id,
      meetingId: meeting.id,
      purpose: 'sign-in-sheet',
      name: v.name,
      type: mimeOf(v.data),
      data: v.data,
      addedAt: at,
      addedBy: ctx.actor.userName,
    };
    putMeetingFile(doc, file);
    setMeetingFields(map, { updatedAt: at });
    audit('update', meeting.id, { signInPhoto: meetingFileRef(id), name: v.name, size: v.data.length });
  });
  return ok(meetingFileRef(id));
}

/**
 * Signs off and locks: host, recorder and the required signatories have signed. The signed content is frozen into
 * `versions` in the same transaction, so what was signed stays visible through amendments and late synced edits.
 */
export function signOff(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<number> {
  const p = prepare(doc, ctx, meetingRefSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting } = p.value;
  const next = machine.signOff(meeting);
  if (!next.ok) return next;
  commit(doc, ctx, 'signOff', (audit, at) => {
    const version: SignedVersion = {
      version: meeting.version,
      signedAt: at,
      signatures: meeting.signatures,
      content: machine.contentOf(meeting),
    };
    appendNested(map, VERSIONS, version);
    setMeetingFields(map, { status: next.value.status, updatedAt: at });
    audit('update', meeting.id, { status: next.value.status, version: meeting.version });
  });
  return ok(meeting.version);
}

/**
 * Amends a locked record: opens version n+1 as a draft with the reason recorded; version n stays in `versions` as
 * signed. Signatures and reviews start over for the new version.
 */
export function amendMeeting(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<number> {
  const p = prepare(doc, ctx, amendSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const next = machine.amend(meeting);
  if (!next.ok) return next;
  const version = meeting.version + 1;
  commit(doc, ctx, 'amendMeeting', (audit, at) => {
    appendNested(map, AMENDMENTS, {
      version,
      reason: v.reason,
      at,
      userId: ctx.actor.userId,
      userName: ctx.actor.userName,
    });
    clearNested(map, SIGNATURES);
    clearNested(map, REVIEWS);
    setMeetingFields(map, { status: next.value.status, version, resolutionsPublishedOn: null, updatedAt: at });
    audit('update', meeting.id, { status: next.value.status, version, reason: v.reason });
  });
  return ok(version);
}

export function publishResolutions(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, publishResolutionsSchema, input, null);
  if (!p.ok) return p;
  const next = machine.publishResolutions(p.value.meeting);
  if (!next.ok) return next;
  return statusChange(doc, ctx, 'publishResolutions', p.value, next.value, {
    resolutionsPublishedOn: p.value.input.publishedOn,
  });
}

export function archiveMeeting(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, meetingRefSchema, input, null);
  if (!p.ok) return p;
  const next = machine.archive(p.value.meeting);
  return next.ok ? statusChange(doc, ctx, 'archiveMeeting', p.value, next.value) : next;
}

// --- follow-up -------------------------------------------------------------------------------------------------------

export function addActionItem(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<ActionItemId> {
  const p = prepare(doc, ctx, addActionItemSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const checked = machine.addActionItem(meeting, v.agendaItemId);
  if (!checked.ok) return checked;
  const id = ctx.newId() as ActionItemId;
  commit(doc, ctx, 'addActionItem', (audit, at) => {
    upsertNested(map, ACTION_ITEMS, id, {
      id,
      agendaItemId: v.agendaItemId,
      title: v.title,
      owner: v.owner,
      deadline: v.deadline,
      done: false,
      doneAt: null,
      answer: '',
      createdAt: at,
    });
    audit('create', meeting.id, { actionItem: id, title: v.title, owner: v.owner.name, deadline: v.deadline });
  });
  return ok(id);
}

/** Marks an action item done with the answer given (落实有回音). */
export function completeActionItem(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown) {
  const p = prepare(doc, ctx, completeActionItemSchema, input, null);
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const checked = machine.completeActionItem(meeting, v.actionItemId);
  if (!checked.ok) return checked;
  commit(doc, ctx, 'completeActionItem', (audit, at) => {
    upsertNested(map, ACTION_ITEMS, v.actionItemId, { done: true, doneAt: at, answer: v.answer });
    audit('update', meeting.id, { actionItem: v.actionItemId, done: true, answer: v.answer });
  });
  return ok(v.actionItemId);
}

/** Links (or unlinks) a mediation case the meeting discussed. The list is replaced whole, like registry lists. */
export function linkCase(doc: Y.Doc, ctx: MeetingsCommandContext, input: unknown): CommandResult<readonly string[]> {
  const p = prepare(doc, ctx, linkCaseSchema, input, 'link-case');
  if (!p.ok) return p;
  const { map, meeting, input: v } = p.value;
  const has = meeting.caseIds.includes(v.caseId);
  if (has === v.linked) return ok(meeting.caseIds);
  const caseIds = v.linked ? [...meeting.caseIds, v.caseId] : meeting.caseIds.filter((c) => c !== v.caseId);
  commit(doc, ctx, 'linkCase', (audit, at) => {
    setMeetingFields(map, { caseIds, updatedAt: at });
    audit('update', meeting.id, { caseId: v.caseId, linked: v.linked });
  });
  return ok(caseIds);
}

// --- reads -------------------------------------------------------------------------------------------------------------

/** Locked meetings whose live content differs from what was signed (an edit arrived by sync); see `editsAfterLock`. */
export function lockViolations(doc: Y.Doc): { readonly meetingId: MeetingId; readonly paths: readonly string[] }[] {
  return listMeetings(doc).flatMap((meeting) => {
    const paths = machine.editsAfterLock(meeting);
    return paths.length === 0 ? [] : [{ meetingId: meeting.id, paths }];
  });
}

export interface OpenActionItem {
  readonly meetingId: MeetingId;
  readonly meetingTitle: string;
  readonly actionItem: StoredMeeting['actionItems'][number];
  /** Past its deadline on `today`. */
  readonly overdue: boolean;
}

/**
 * Action items not yet done, oldest deadline first: for an owner's list (filter by `owner`) and the dashboard. They
 * stay until answered, whatever the meeting's status.
 */
export function openActionItems(
  doc: Y.Doc,
  today: string,
  owner?: string | { readonly ref: PersonRef | null; readonly name: string },
): OpenActionItem[] {
  const mine = (a: StoredMeeting['actionItems'][number]) =>
    owner === undefined ||
    (typeof owner === 'string'
      ? (a.owner.ref === null ? nameKey(a.owner.name) : attendeeKey(a.owner.ref)) === owner
      : isOwnedBy(a.owner, owner));
  return listMeetings(doc)
    .flatMap((meeting) =>
      meeting.actionItems
        .filter((a) => !a.done)
        .filter(mine)
        .map((actionItem) => ({
          meetingId: meeting.id,
          meetingTitle: meeting.title,
          actionItem,
          overdue: actionItem.deadline < today,
        })),
    )
    .sort((a, b) =>
      a.actionItem.deadline < b.actionItem.deadline ? -1 : a.actionItem.deadline > b.actionItem.deadline ? 1 : 0,
    );
}

/** The audit entries of one meeting, oldest first. */
export function meetingHistory(doc: Y.Doc, meetingId: string): AuditEntry[] {
  return meetingsAudit(doc)
    .toArray()
    .filter((e) => e.recordId === meetingId)
    .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.id < b.id ? -1 : 1));
}

/** Today's date in China for a context (action item deadlines, notice dates). */
export function todayOf(ctx: Pick<MeetingsCommandContext, 'now'>): string {
  return chinaDate(ctx.now());
}
