/**
 * Grid-event commands: the only writers of a grid-events document (shared/ydoc/incidents.ts), built with the command
 * kernel (docs/architecture.md, "Commands"): permission, input (zod), the rule (machine.ts, against the state read
 * from the steps), then one transaction appending the steps and their audit entries. Every command takes the
 * community's working calendar and time limits as `env`.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { chinaDate } from '../dates';
import { stamped } from '../history';
import { defineCommand, plan, refuse, type AuditStamp, type CommandContext } from '../kernel';
import { isCommunityId } from '../../ydoc/docName';
import {
  appendIncidentAudit,
  appendSteps,
  insertIncident,
  readIncident,
  type IncidentAuditNote,
  type StoredStep,
} from '../../ydoc/incidents';
import {
  decide,
  permissionFor,
  type IncidentAction,
  type IncidentActionKind,
  type IncidentActor,
  type MachineEnv,
  type StepBody,
} from './machine';
import {
  assigneeSchema,
  CLOSURE_TYPES,
  incidentFieldsSchema,
  LINK_KINDS,
  PROCEDURAL_KINDS,
  VISIT_METHODS,
  type IncidentBase,
} from './types';

/** What every incident command reads besides its document: the working calendar and the office's time limits. */
export type IncidentsEnv = MachineEnv;

const journal = (doc: Y.Doc, entries: readonly (AuditStamp & IncidentAuditNote)[]) => appendIncidentAudit(doc, entries);

function actorOf(ctx: CommandContext): IncidentActor {
  return { userId: ctx.actor.userId, userName: ctx.actor.userName, permissions: ctx.permissions };
}

function stamp(ctx: CommandContext, incidentId: string, body: StepBody): StoredStep {
  return { ...stamped(ctx, body), incidentId };
}

/** The audit keeps what was done, never the reporter's name or phone (those stay on the record, masked on screen). */
function noteOf(action: string, incidentId: string, bodies: readonly StepBody[]): IncidentAuditNote {
  return { action, recordId: incidentId, fields: { steps: bodies.map((b) => ({ ...b })) } };
}

// --- reporting -------------------------------------------------------------------------------------------------------

export const reportIncidentSchema = incidentFieldsSchema.extend({
  community: z.string().refine(isCommunityId),
});

/**
 * Records an incident as reported (待受理), offline like everything else. The id is new; an office working on the
 * phone or a grid worker in a basement get the same record. Returns the id.
 */
export const reportIncident = defineCommand({
  name: 'reportIncident',
  permission: 'incidents.edit',
  input: reportIncidentSchema,
  journal,
  plan: (doc, input, ctx) => {
    const { community, ...fields } = input;
    const base: IncidentBase = {
      ...fields,
      id: ctx.newId(),
      community,
      reportedOn: chinaDate(ctx.now()),
      reportedBy: { userId: ctx.actor.userId, userName: ctx.actor.userName },
    };
    return plan(base.id, (audit) => {
      insertIncident(doc, base);
      audit({
        action: 'reportIncident',
        recordId: base.id,
        fields: { title: base.title, category: base.category, kind: base.kind, source: base.source },
      });
    });
  },
});

// --- actions on one incident ---------------------------------------------------------------------------------------

const ref = { incidentId: z.string().min(1).max(80) };
const reason = z.string().trim().min(1).max(500);

function incidentCommand<S extends z.ZodObject<{ incidentId: z.ZodString }>>(
  name: string,
  kind: IncidentActionKind,
  input: S,
  toAction: (input: z.output<S>) => IncidentAction,
) {
  return defineCommand({
    name,
    permission: permissionFor(kind),
    input,
    journal,
    plan: (doc, parsed: z.output<S>, ctx, env: IncidentsEnv) => {
      const id = parsed.incidentId;
      const state = readIncident(doc, id, env.limits);
      if (state === null) return refuse('not-found', 'incidentId');
      const decided = decide(state, toAction(parsed), actorOf(ctx), chinaDate(ctx.now()), env);
      if (!decided.ok) return decided;
      const bodies = decided.value;
      return plan(bodies, (audit) => {
        appendSteps(
          doc,
          bodies.map((b) => stamp(ctx, id, b)),
        );
        audit(noteOf(name, id, bodies));
      });
    },
  });
}

export const acceptIncident = incidentCommand('acceptIncident', 'accept', z.object(ref), () => ({ type: 'accept' }));

export const rejectIncident = incidentCommand('rejectIncident', 'reject', z.object({ ...ref, reason }), (i) => ({
  type: 'reject',
  reason: i.reason,
}));

export const assignIncident = incidentCommand(
  'assignIncident',
  'assign',
  z.object({ ...ref, to: assigneeSchema, cc: z.array(assigneeSchema).max(10).default([]) }),
  (i) => ({ type: 'assign', to: i.to, cc: i.cc }),
);

export const sendBackIncident = incidentCommand('sendBackIncident', 'send-back', z.object({ ...ref, reason }), (i) => ({
  type: 'send-back',
  reason: i.reason,
}));

export const escalateIncident = incidentCommand(
  'escalateIncident',
  'escalate',
  z.object({ ...ref, to: z.string().trim().min(1).max(80), reason }),
  (i) => ({ type: 'escalate', to: i.to, reason: i.reason }),
);

export const recordHandling = incidentCommand(
  'recordHandling',
  'handle',
  z.object({
    ...ref,
    note: z.string().trim().min(1).max(2000),
    attachments: z.array(z.string().min(1).max(200)).max(20).default([]),
  }),
  (i) => ({ type: 'handle', note: i.note, attachments: i.attachments }),
);

export const requestIncidentClose = incidentCommand(
  'requestIncidentClose',
  'request-close',
  z.object({
    ...ref,
    closure: z.enum(CLOSURE_TYPES),
    procedural: z.enum(PROCEDURAL_KINDS).nullable().default(null),
    note: z.string().trim().min(1).max(2000),
  }),
  (i) => ({ type: 'request-close', closure: i.closure, procedural: i.procedural, note: i.note }),
);

export const verifyIncident = incidentCommand('verifyIncident', 'verify', z.object(ref), () => ({ type: 'verify' }));

export const refuseIncidentClose = incidentCommand(
  'refuseIncidentClose',
  'refuse-verify',
  z.object({ ...ref, reason }),
  (i) => ({ type: 'refuse-verify', reason: i.reason }),
);

export const recordVisit = incidentCommand(
  'recordVisit',
  'visit',
  z.object({
    ...ref,
    method: z.enum(VISIT_METHODS),
    rating: z.number().int().min(1).max(5),
    comment: z.string().trim().max(1000).default(''),
  }),
  (i) => ({ type: 'visit', method: i.method, rating: i.rating, comment: i.comment }),
);

export const suspendIncident = incidentCommand('suspendIncident', 'suspend', z.object({ ...ref, reason }), (i) => ({
  type: 'suspend',
  reason: i.reason,
}));

export const resumeIncident = incidentCommand('resumeIncident', 'resume', z.object(ref), () => ({ type: 'resume' }));

export const mergeIncident = incidentCommand(
  'mergeIncident',
  'merge',
  z.object({ ...ref, into: z.string().min(1).max(80), reason }),
  (i) => ({ type: 'merge', into: i.into, reason: i.reason }),
);

export const archiveIncident = incidentCommand('archiveIncident', 'archive', z.object(ref), () => ({
  type: 'archive',
}));

export const linkIncident = incidentCommand(
  'linkIncident',
  'link',
  z.object({ ...ref, link: z.enum(LINK_KINDS), recordId: z.string().min(1).max(120) }),
  (i) => ({ type: 'link', link: i.link, recordId: i.recordId }),
);
