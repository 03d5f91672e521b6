/**
 * Task commands: the only writers of a `<community>/tasks/<year>` document, built with the command kernel
 * (docs/architecture.md, "Commands"): permission, input (zod), the rule (machine.ts, against the state read from the
 * events), then one transaction appending the events and their audit entries. Every command takes the community's
 * working calendar as `env` (deadlines, reply days and working days taken are counted on it).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { chinaDate } from '../dates';
import { stamped } from '../history';
import { defineCommand, plan, refuse, type AuditStamp, type CommandContext } from '../kernel';
import { recompute, type Recomputation } from '../calendar/recompute';
import type { WorkingCalendar } from '../calendar/types';
import { isCommunityId } from '../../ydoc/docName';
import {
  appendTaskAudit,
  appendTaskEvents,
  insertTask,
  listTasks,
  putTemplate,
  readTask,
  tasksMap,
  type StoredTaskEvent,
  type TaskAuditNote,
} from '../../ydoc/tasks';
import { deadlineSpecs, deadlinesFor } from './deadlines';
import { decide, permissionFor, type EventBody, type TaskAction, type TaskActionKind, type TaskActor } from './machine';
import { periodFits, publishedOnFor, taskIdOf } from './periods';
import { dueRuleCards } from './rules';
import type { TaskState } from './state';
import {
  CARD_LEVELS,
  CLOSURE_KINDS,
  isoDateSchema,
  personSchema,
  templateSchema,
  type TaskBase,
  type TaskDeadlines,
} from './types';

/** What every task command reads besides its document: the community's working calendar. */
export interface TasksEnv {
  readonly calendar: WorkingCalendar;
}

const journal = (doc: Y.Doc, entries: readonly (AuditStamp & TaskAuditNote)[]) => appendTaskAudit(doc, entries);

function actorOf(ctx: CommandContext): TaskActor {
  return { userId: ctx.actor.userId, userName: ctx.actor.userName, permissions: ctx.permissions };
}

function stamp(ctx: CommandContext, taskId: string, body: EventBody): StoredTaskEvent {
  return { ...stamped(ctx, body), taskId };
}

function noteOf(action: string, taskId: string, bodies: readonly EventBody[]): TaskAuditNote {
  return { action, recordId: taskId, fields: { events: bodies.map((b) => ({ ...b })) } };
}

// --- publishing ------------------------------------------------------------------------------------------------------

export const publishTaskSchema = z.object({
  template: templateSchema,
  community: z.string().refine(isCommunityId),
  /** The periods to publish (a standing task: one or more of its periods; an annual task: the year). */
  periods: z.array(z.string()).min(1).max(12),
  /** The publishing day; today (China time) when left out. */
  publishedOn: isoDateSchema.optional(),
});

/**
 * Publishes a template to one community for some periods: stores the template and creates each instance not there
 * yet, with its `published` event carrying the deadlines. Returns the ids created (an instance already published is
 * left alone).
 */
export const publishTask = defineCommand({
  name: 'publishTask',
  permission: 'tasks.supervise',
  input: publishTaskSchema,
  journal,
  plan: (doc, input, ctx, env: TasksEnv) => {
    const { template, community } = input;
    const badPeriod = input.periods.findIndex((p) => !periodFits(template.schedule, p));
    if (badPeriod >= 0) return refuse('invalid', `periods.${badPeriod}`);
    const day = input.publishedOn ?? chinaDate(ctx.now());
    const existing = tasksMap(doc);
    const bases: TaskBase[] = [...new Set(input.periods)]
      .map((period) => ({
        id: taskIdOf(template.id, community, period),
        templateId: template.id,
        template,
        community,
        period,
        publishedOn: publishedOnFor(period, day),
      }))
      .filter((base) => !existing.has(base.id));
    const created = bases.map((b) => b.id);
    return plan(created, (audit) => {
      putTemplate(doc, template);
      audit({ action: 'putTemplate', recordId: template.id, fields: { docNo: template.docNo } });
      for (const base of bases) {
        insertTask(doc, base);
        const body: EventBody = { type: 'published', deadlines: deadlinesFor(base, 0, 0, env.calendar) };
        appendTaskEvents(doc, [stamp(ctx, base.id, body)]);
        audit(noteOf('publishTask', base.id, [body]));
      }
    });
  },
});

// --- actions on one instance ---------------------------------------------------------------------------------------

const taskRef = { taskId: z.string().min(1).max(200) };
const reason = z.string().trim().min(1).max(500);

/** Builds the command of one machine action: read the state, decide, append the events. */
function taskCommand<S extends z.ZodObject<{ taskId: z.ZodString }>>(
  name: string,
  kind: TaskActionKind,
  input: S,
  toAction: (input: z.output<S>) => TaskAction,
) {
  return defineCommand({
    name,
    permission: permissionFor(kind),
    input,
    journal,
    plan: (doc, parsed: z.output<S>, ctx, env: TasksEnv) => {
      const taskId = parsed.taskId;
      const state = readTask(doc, taskId);
      if (state === null) return refuse('not-found', 'taskId');
      const decided = decide(state, toAction(parsed), actorOf(ctx), chinaDate(ctx.now()), env.calendar, ctx.newId);
      if (!decided.ok) return decided;
      const bodies = decided.value;
      return plan(bodies, (audit) => {
        appendTaskEvents(
          doc,
          bodies.map((b) => stamp(ctx, taskId, b)),
        );
        audit(noteOf(name, taskId, bodies));
      });
    },
  });
}

export const claimTask = taskCommand('claimTask', 'claim', z.object({ ...taskRef, owner: personSchema }), (i) => ({
  type: 'claim',
  owner: i.owner,
}));

export const reportProgress = taskCommand(
  'reportProgress',
  'report',
  z.object({
    ...taskRef,
    note: z.string().trim().min(1).max(2000),
    progress: z.number().int().min(0).max(100).nullable().default(null),
    milestoneId: z.string().min(1).max(40).nullable().default(null),
    /** References of photos and files (`file:<id>`), stored beside the task. */
    attachments: z.array(z.string().min(1).max(200)).max(20).default([]),
  }),
  (i) => ({
    type: 'report',
    note: i.note,
    progress: i.progress,
    milestoneId: i.milestoneId,
    attachments: i.attachments,
  }),
);

export const reassignTask = taskCommand(
  'reassignTask',
  'reassign',
  z.object({ ...taskRef, to: personSchema, reason }),
  (i) => ({ type: 'reassign', to: i.to, reason: i.reason }),
);

export const requestClose = taskCommand(
  'requestClose',
  'request-close',
  z.object({ ...taskRef, closure: z.enum(CLOSURE_KINDS), reason }),
  (i) => ({ type: 'request-close', closure: i.closure, reason: i.reason }),
);

export const verifyClose = taskCommand('verifyClose', 'verify', z.object(taskRef), () => ({ type: 'verify' }));

export const returnTask = taskCommand('returnTask', 'return', z.object({ ...taskRef, reason }), (i) => ({
  type: 'return',
  reason: i.reason,
}));

export const archiveTask = taskCommand('archiveTask', 'archive', z.object(taskRef), () => ({ type: 'archive' }));

export const requestExtension = taskCommand(
  'requestExtension',
  'request-extension',
  z.object({ ...taskRef, days: z.number().int().min(1).max(60), reason }),
  (i) => ({ type: 'request-extension', days: i.days, reason: i.reason }),
);

export const decideExtension = taskCommand(
  'decideExtension',
  'decide-extension',
  z.object({ ...taskRef, granted: z.number().int().min(0).max(60), reason }),
  (i) => ({ type: 'decide-extension', granted: i.granted, reason: i.reason }),
);

export const raiseCard = taskCommand(
  'raiseCard',
  'raise-card',
  z.object({
    ...taskRef,
    level: z.enum(CARD_LEVELS),
    reason,
    replyWorkdays: z.number().int().min(1).max(30).optional(),
  }),
  (i) => ({ type: 'raise-card', level: i.level, reason: i.reason, replyWorkdays: i.replyWorkdays }),
);

export const replyCard = taskCommand(
  'replyCard',
  'reply-card',
  z.object({ ...taskRef, cardId: z.string().min(1).max(300), reply: z.string().trim().min(1).max(2000) }),
  (i) => ({ type: 'reply-card', cardId: i.cardId, reply: i.reply }),
);

export const cancelCard = taskCommand(
  'cancelCard',
  'cancel-card',
  z.object({ ...taskRef, cardId: z.string().min(1).max(300), reason }),
  (i) => ({ type: 'cancel-card', cardId: i.cardId, reason: i.reason }),
);

// --- rules and calendar over the whole document -----------------------------------------------------------------------

/** Raises the cards the rules call for today on every instance (rules.ts). Returns the cards raised, by task. */
export const applyCardRules = defineCommand({
  name: 'applyCardRules',
  permission: 'tasks.supervise',
  input: z.object({}),
  journal,
  plan: (doc, _input, ctx, env: TasksEnv) => {
    const today = chinaDate(ctx.now());
    const due = listTasks(doc)
      .map((state) => ({ taskId: state.id, bodies: dueRuleCards(state, today, env.calendar) }))
      .filter((d) => d.bodies.length > 0);
    const raised = due.map((d) => ({
      taskId: d.taskId,
      cardIds: d.bodies.map((b) => (b as { cardId: string }).cardId),
    }));
    if (due.length === 0) return plan(raised, null);
    return plan(raised, (audit) => {
      for (const d of due) {
        appendTaskEvents(
          doc,
          d.bodies.map((b) => stamp(ctx, d.taskId, b)),
        );
        audit(noteOf('applyCardRules', d.taskId, d.bodies));
      }
    });
  },
});

function isOpen(state: TaskState): boolean {
  return state.status === 'published' || state.status === 'claimed' || state.status === 'closing';
}

/** What a calendar would change on the open instances of a document: deadlines moved, and stamps only renewed. */
export function previewCalendar(doc: Y.Doc, calendar: WorkingCalendar): Recomputation {
  const specs = listTasks(doc)
    .filter(isOpen)
    .flatMap((s) => deadlineSpecs(s, s.granted, s.paused, s.deadlines));
  return recompute(specs, calendar);
}

/**
 * Recomputes the deadlines of every open instance with a new calendar: instances whose deadlines were computed with
 * another version get a `deadlines` event (cause `calendar`). Returns the list of changes (before and after).
 */
export const applyCalendar = defineCommand({
  name: 'applyCalendar',
  permission: ['tasks.edit', 'tasks.supervise'],
  input: z.object({}),
  journal,
  plan: (doc, _input, ctx, env: TasksEnv) => {
    const preview = previewCalendar(doc, env.calendar);
    const touched = new Set([...preview.changed, ...preview.restamped].map((c) => c.recordId));
    if (touched.size === 0) return plan(preview, null);
    const states = listTasks(doc).filter((s) => touched.has(s.id));
    return plan(preview, (audit) => {
      for (const s of states) {
        const deadlines: TaskDeadlines = deadlinesFor(s, s.granted, s.paused, env.calendar);
        const body: EventBody = { type: 'deadlines', deadlines, cause: 'calendar' };
        appendTaskEvents(doc, [stamp(ctx, s.id, body)]);
        audit(noteOf('applyCalendar', s.id, [body]));
      }
    });
  },
});
