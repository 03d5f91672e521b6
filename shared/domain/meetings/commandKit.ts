/**
 * What every meeting command shares (docs/architecture.md, "Commands"): the meetings journal, the permission, and
 * the small plan helpers that load a meeting and ask the machine. The kernel (shared/domain/kernel) checks the
 * permission, parses the input, runs the plan and commits its write with its audit entries in one transaction.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import {
  defineCommand,
  plan,
  refuse,
  type Audit,
  type AuditStamp,
  type Command,
  type CommandContext,
  type CommandResult,
  type Journal,
  type Plan,
  type Write,
} from '../kernel';
import type { AuditAction } from '../registry/types';
import {
  appendMeetingsAudit,
  meetingMap,
  readMeeting,
  setMeetingFields,
  type StoredMeeting,
} from '../../ydoc/meetings';
import * as machine from './machine';
import type { MeetingWarning } from './rules';

/** The note a meeting command writes in the meetings' `audit` (the stamp is the kernel's). */
export interface MeetingNote {
  readonly action: AuditAction;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The meetings journal: `appendMeetingsAudit`, each entry naming its collection and the command that wrote it. */
export function meetingsJournal(command: string): Journal<MeetingNote> {
  return (doc: Y.Doc, entries: readonly (AuditStamp & MeetingNote)[]) =>
    appendMeetingsAudit(
      doc,
      entries.map((e) => ({ ...e, collection: 'meetings', fields: { command, ...e.fields } })),
    );
}

export type MeetingPlan<T> = CommandResult<Plan<T, MeetingNote>>;
export type MeetingWrite = Write<MeetingNote>;

/** A meetings command: `meetings.edit` (or `admin`), written to the meetings journal. */
export function meetingCommand<S extends z.ZodType, T, Env = undefined>(spec: {
  readonly name: string;
  readonly input: S;
  readonly plan: (doc: Y.Doc, input: z.output<S>, ctx: CommandContext, env: Env) => MeetingPlan<T>;
}): Command<z.input<S>, T, Env> {
  return defineCommand<S, T, MeetingNote, Env>({
    name: spec.name,
    permission: 'meetings.edit',
    input: spec.input,
    journal: meetingsJournal(spec.name),
    plan: spec.plan,
  });
}

export interface Loaded {
  readonly map: Y.Map<unknown>;
  readonly meeting: StoredMeeting;
}

/** Loads a meeting and, unless `action` is null, checks the machine allows it now: the preamble of most plans. */
export function prepare(doc: Y.Doc, id: string, action: machine.MeetingAction | null): CommandResult<Loaded> {
  const map = meetingMap(doc, id);
  const meeting = readMeeting(doc, id);
  if (map === null || meeting === null) return refuse('not-found', 'meetingId');
  if (action !== null) {
    const allowed = machine.checkAction(meeting, action);
    if (!allowed.ok) return allowed;
  }
  return { ok: true, value: { map, meeting } };
}

/**
 * How a meeting write ends: the meeting's `stored` fields are set with `updatedAt`, and the change is audited as an
 * `update` of the meeting with `fields` (what the change was, which may name more or less than what is stored).
 */
export function touch(
  loaded: Loaded,
  audit: Audit<MeetingNote>,
  at: string,
  fields: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>> = {},
): void {
  setMeetingFields(loaded.map, { ...stored, updatedAt: at });
  audit({ action: 'update', recordId: loaded.meeting.id, fields });
}

export type StatusChanged = { readonly warnings: readonly MeetingWarning[] };

/** The plan of a plain status change the machine decided (with fields recorded alongside, e.g. a date). */
export function statusChange(
  loaded: Loaded,
  next: machine.Transition,
  extra: Readonly<Record<string, unknown>> = {},
): MeetingPlan<StatusChanged> {
  const fields = { ...extra, status: next.status };
  return plan({ warnings: next.warnings }, (audit, at) => touch(loaded, audit, at, fields, fields));
}

/** The MIME type of a data URL. */
export function mimeOf(dataUrl: string): string {
  return /^data:([^;,]+)/.exec(dataUrl)?.[1] ?? 'application/octet-stream';
}
