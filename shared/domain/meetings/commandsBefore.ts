/**
 * Meeting commands before the meeting (会前有议题): create, edit the details, collect the agenda, publish the notice,
 * and start, which fixes the sign-in sheet from the registry (`env`: a snapshot of `<community>/registry`, a separate
 * document the command reads and never writes).
 */
import { plan, refuse } from '../kernel';
import { domainError, type DomainError } from '../result';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { ATTENDEES, insertAgendaItem, insertMeeting, upsertNested, type StoredMeeting } from '../../ydoc/meetings';
import * as machine from './machine';
import { checkOverrides, expectedAttendees, matterOf, ruleFor } from './rules';
import {
  addAgendaItemSchema,
  createMeetingSchema,
  publishNoticeSchema,
  startMeetingSchema,
  updateDetailsSchema,
  type AgendaItemId,
  type MeetingId,
} from './types';
import { changedFields } from '../registry/journal';
import { meetingCommand, prepare, statusChange, touch, type MeetingPlan } from './commandKit';

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

export const createMeeting = meetingCommand({
  name: 'createMeeting',
  input: createMeetingSchema,
  plan: (doc, v, ctx, registry: RegistrySnapshot) => {
    if (v.scope.kind !== ruleFor(v.type).scopeKind) return refuse('meeting.scope-mismatch', 'scope');
    if (v.partyKind !== null && v.type !== 'party') return refuse('invalid', 'partyKind');
    const problem = checkOverrides(v.type, v.rules) ?? scopeExists(v.scope, registry);
    if (problem !== null) return { ok: false, error: problem };
    const id = ctx.newId() as MeetingId;
    return plan(id, (audit, at) => {
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
        startedAt: null,
      });
      audit({ action: 'create', recordId: id, fields: { type: v.type, title: v.title, startsAt: v.startsAt } });
    });
  },
});

/** Changes the details; returns the names of the fields that changed (none: nothing is written). */
export const updateMeetingDetails = meetingCommand({
  name: 'updateMeetingDetails',
  input: updateDetailsSchema,
  plan: (doc, v): MeetingPlan<string[]> => {
    const loaded = prepare(doc, v.id, 'edit-details');
    if (!loaded.ok) return loaded;
    const changed = changedFields(loaded.value.meeting, v.changes);
    if (Object.keys(changed).length === 0) return plan([], null);
    return plan(Object.keys(changed), (audit, at) => touch(loaded.value, audit, at, changed, changed));
  },
});

export const addAgendaItem = meetingCommand({
  name: 'addAgendaItem',
  input: addAgendaItemSchema,
  plan: (doc, v, ctx) => {
    const loaded = prepare(doc, v.meetingId, 'add-agenda-item');
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const id = ctx.newId() as AgendaItemId;
    const order = meeting.agenda.reduce((max, i) => Math.max(max, i.order), 0) + 1;
    const matter = matterOf(v);
    return plan(id, (audit, at) => {
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
      touch(loaded.value, audit, at, { agendaItem: id, title: v.title, matter });
    });
  },
});

/** Publishes the notice; a late notice comes back as a `notice-late` warning, not a refusal. */
export const publishNotice = meetingCommand({
  name: 'publishNotice',
  input: publishNoticeSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const next = machine.publishNotice(loaded.value.meeting, v.publishedOn);
    if (!next.ok) return next;
    return statusChange(loaded.value, next.value, { noticePublishedOn: v.publishedOn });
  },
});

/**
 * Starts the meeting and fixes the sign-in sheet from the registry as it is now (everyone absent until signed in).
 * The sheet is a snapshot so that quorum and results of this meeting never change with later registry edits. The
 * actual start time is kept (`startedAt`) next to the scheduled one. Before the scheduled day the start must be
 * confirmed (`early: true`): the screen asks first (docs/domain.md, "Meeting records").
 */
export const startMeeting = meetingCommand({
  name: 'startMeeting',
  input: startMeetingSchema,
  plan: (doc, v, ctx, registry: RegistrySnapshot) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const next = machine.start(meeting, ctx.now(), v.early);
    if (!next.ok) return next;
    const lines = expectedAttendees(meeting, registry);
    return plan({ expected: lines.length, warnings: next.value.warnings }, (audit, at) => {
      for (const line of lines) {
        upsertNested(map, ATTENDEES, line.key, { ...line, status: 'absent', reason: '', signedInAt: null });
      }
      const stored = { status: next.value.status, startedAt: at };
      touch(loaded.value, audit, at, { ...stored, expected: lines.length }, stored);
    });
  },
});
