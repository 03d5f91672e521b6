/**
 * Meeting commands during the meeting (会中有记录): sign-in, guests, votes, minutes, and finishing.
 *
 * Minutes: the UI may bind an editor straight to `minutesText(doc, meeting, item)`, a `Y.Text`; it must then make the
 * editor read-only whenever `allowedActions(status)` lacks `edit-minutes`, and should send batched changes through
 * `editMinutes` (one audit entry per batch, not per keystroke) where it can. Edits that still reach a locked meeting
 * by sync are found by `lockViolations`.
 */
import * as Y from 'yjs';
import { plan, refuse } from '../kernel';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { AGENDA, ATTENDEES, MINUTES, nestedMap, upsertNested } from '../../ydoc/meetings';
import * as machine from './machine';
import { nameKey, resolutionPassed } from './rules';
import {
  addGuestSchema,
  attendeeKey,
  editMinutesSchema,
  meetingRefSchema,
  minutesTypedSchema,
  recordVoteSchema,
  signInSchema,
  type Attendee,
} from './types';
import { meetingCommand, prepare, statusChange, touch } from './commandKit';

export const signIn = meetingCommand({
  name: 'signIn',
  input: signInSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const checked = machine.signIn(meeting, v.key, v.status, v.reason);
    if (!checked.ok) return checked;
    return plan(v.key, (audit, at) => {
      const signedInAt = v.status === 'absent' ? null : at;
      upsertNested(map, ATTENDEES, v.key, { status: v.status, reason: v.reason, signedInAt });
      touch(loaded.value, audit, at, { attendee: v.key, status: v.status, reason: v.reason });
    });
  },
});

/** Adds a guest (列席) who is not on the expected list: attends without a vote and does not count for quorum. */
export const addGuest = meetingCommand({
  name: 'addGuest',
  input: addGuestSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, 'sign-in');
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const key = v.ref === null ? nameKey(v.name) : attendeeKey(v.ref);
    if (meeting.attendees.some((a) => a.key === key)) return refuse('name.duplicate', 'name');
    return plan(key, (audit, at) => {
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
      touch(loaded.value, audit, at, { guest: key, name: v.name });
    });
  },
});

/** Records the vote on an item (replacing an earlier one) and its resolution text; returns whether it passed. */
export const recordVote = meetingCommand({
  name: 'recordVote',
  input: recordVoteSchema,
  plan: (doc, v, _ctx, registry: RegistrySnapshot) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const checked = machine.recordVote(meeting, v.itemId, v.vote, registry);
    if (!checked.ok) return checked;
    const item = meeting.agenda.find((i) => i.id === v.itemId);
    if (item === undefined) return refuse('not-found', 'itemId');
    const result = resolutionPassed(item, v.vote, meeting, registry);
    return plan(result, (audit, at) => {
      upsertNested(map, AGENDA, v.itemId, { vote: v.vote, resolution: v.resolution });
      touch(loaded.value, audit, at, { agendaItem: v.itemId, vote: v.vote, passed: result.passed });
    });
  },
});

/**
 * Applies one change to an item's minutes (`Y.Text`): delete `deleteCount` characters at `index`, then insert. Two
 * devices editing offline both keep their text after the merge. Refused once the record is locked. Returns the new
 * length of the text.
 */
export const editMinutes = meetingCommand({
  name: 'editMinutes',
  input: editMinutesSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, 'edit-minutes');
    if (!loaded.ok) return loaded;
    const item = nestedMap(loaded.value.map, AGENDA)?.get(v.itemId);
    const text = item instanceof Y.Map ? (item as Y.Map<unknown>).get(MINUTES) : undefined;
    if (!(text instanceof Y.Text)) return refuse('not-found', 'itemId');
    if (v.index + v.deleteCount > text.length) return refuse('invalid', 'index');
    return plan(text.length - v.deleteCount + v.insert.length, (audit, at) => {
      if (v.deleteCount > 0) text.delete(v.index, v.deleteCount);
      if (v.insert !== '') text.insert(v.index, v.insert);
      // The audit notes the size of the change, not the text: minutes may be long and are in the document anyway.
      touch(loaded.value, audit, at, { agendaItem: v.itemId, inserted: v.insert.length, deleted: v.deleteCount });
    });
  },
});

/**
 * Notes in the audit what a live editor bound to the minutes' `Y.Text` typed (renderer/features/meetings: the
 * textarea writes each keystroke straight into the text, so two writers merge; one audit entry per keystroke would
 * bury the log). Sent after a pause in typing, with the sizes typed since the last note. Refused, like `editMinutes`,
 * once the record is locked or outside drafting, so the editor's own check has a domain twin.
 */
export const noteMinutesTyped = meetingCommand({
  name: 'noteMinutesTyped',
  input: minutesTypedSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, 'edit-minutes');
    if (!loaded.ok) return loaded;
    if (!loaded.value.meeting.agenda.some((i) => i.id === v.itemId)) return refuse('not-found', 'itemId');
    if (v.inserted === 0 && v.deleted === 0) return plan(null, null);
    return plan(null, (audit, at) =>
      touch(loaded.value, audit, at, { agendaItem: v.itemId, inserted: v.inserted, deleted: v.deleted }),
    );
  },
});

export const finishMeeting = meetingCommand({
  name: 'finishMeeting',
  input: meetingRefSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const next = machine.finish(loaded.value.meeting);
    return next.ok ? statusChange(loaded.value, next.value) : next;
  },
});
