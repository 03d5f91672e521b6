/**
 * Task supervision (任务督办): templates a street or district publishes, instances per community and period, and the
 * events that make up each instance's history (docs/tasks-model.md). Every figure and every state is read from the
 * events; nothing is kept as a counter.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';
import type { DueDate } from '../calendar/types';

export const isoDateSchema = z.string().refine(isIsoDate, { error: 'date' });

/** 工作督办 (routine work handed down) or 专项督办 (a special campaign). */
export const SUPERVISION_KINDS = ['work', 'special'] as const;
export type SupervisionKind = (typeof SUPERVISION_KINDS)[number];

/** How often the owner reports progress: none asked, every day, week, month, or at each milestone (阶段性). */
export const REPORT_FREQUENCIES = ['none', 'daily', 'weekly', 'monthly', 'milestone'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

/** The repeat rule of a standing task (常态化任务): one instance per community and period. */
export const REPEAT_RULES = ['monthly', 'quarterly', 'half-yearly', 'yearly'] as const;
export type RepeatRule = (typeof REPEAT_RULES)[number];

/** 实质性办结 (the matter is resolved) or 程序性办结 (closed by procedure: answered, referred, put on a list). */
export const CLOSURE_KINDS = ['substantive', 'procedural'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

/** 普通 / 黄牌 / 红牌 督办. */
export const CARD_LEVELS = ['normal', 'yellow', 'red'] as const;
export type CardLevel = (typeof CARD_LEVELS)[number];

export const TASK_STATUSES = ['published', 'claimed', 'closing', 'closed', 'archived'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).default('');
const workdays = z.number().int().min(1).max(365);

/** Someone named on a task: a name as written, and the account or registry reference when known. */
export const personSchema = z.object({
  name: text(40),
  ref: z.string().trim().max(80).nullable().default(null),
});
export type Person = z.output<typeof personSchema>;

export const milestoneSchema = z.object({
  id: text(40),
  title: text(200),
  /** Share of the task, in percent; the weights of a template add up to 100 (or there are no milestones). */
  weight: z.number().int().min(1).max(100),
  /** The evidence that shows it done (照片, 会议记录, 台账...). */
  evidence: optionalText(200),
});
export type Milestone = z.output<typeof milestoneSchema>;

export const scheduleSchema = z.discriminatedUnion('type', [
  /** A standing task repeated per period. */
  z.object({ type: z.literal('standing'), repeat: z.enum(REPEAT_RULES) }),
  /** A task to finish once within the year. */
  z.object({ type: z.literal('annual') }),
]);
export type Schedule = z.output<typeof scheduleSchema>;

/** The rules that raise cards by themselves (docs/tasks-model.md, "cards"). */
export const cardRulesSchema = z.object({
  /** Share of the completion limit at which a yellow card is raised: 70 % unless set. */
  warningShare: z.number().gt(0).max(1).default(0.7),
  /** Working days past the completion limit after which a red card is raised. */
  redAfterOverdue: z.number().int().min(0).max(60).default(5),
  /** Working days a card gives for the reply. */
  replyWorkdays: z.number().int().min(1).max(30).default(2),
});
export type CardRules = z.output<typeof cardRulesSchema>;

const templateFields = {
  /** 文号, e.g. 顺街督〔2026〕12号: unique within the issuer; a second import updates the template with the same 文号. */
  docNo: text(60),
  title: text(200),
  category: text(40),
  /** 依据文件: the document the task comes from. */
  basis: optionalText(200),
  kind: z.enum(SUPERVISION_KINDS),
  /** 牵头单位 and 协办单位. */
  lead: text(80),
  coOwners: z.array(text(80)).max(20).default([]),
  /** 责任人 named by the issuer. */
  responsible: personSchema,
  /** 领办时限 and 办结时限, in working days from the day the instance is published. */
  claimLimit: workdays,
  completionLimit: workdays,
  reportFrequency: z.enum(REPORT_FREQUENCIES).default('none'),
  milestones: z.array(milestoneSchema).max(20).default([]),
  /** 关联资金: the fund and the amount in yuan. */
  fund: z
    .object({ name: text(80), amount: z.number().min(0).max(1e10) })
    .nullable()
    .default(null),
  schedule: scheduleSchema,
  cardRules: cardRulesSchema.default({ warningShare: 0.7, redAfterOverdue: 5, replyWorkdays: 2 }),
};

function weightsAddUp(t: { milestones: readonly Milestone[] }): boolean {
  return t.milestones.length === 0 || t.milestones.reduce((sum, m) => sum + m.weight, 0) === 100;
}

function claimWithinCompletion(t: { claimLimit: number; completionLimit: number }): boolean {
  return t.claimLimit <= t.completionLimit;
}

export const templateSchema = z
  .object({ id: text(60), ...templateFields })
  .refine(weightsAddUp, { path: ['milestones'], error: 'weights' })
  .refine(claimWithinCompletion, { path: ['claimLimit'], error: 'limit' })
  .refine((t) => new Set(t.milestones.map((m) => m.id)).size === t.milestones.length, {
    path: ['milestones'],
    error: 'ids',
  });
export type TaskTemplate = z.output<typeof templateSchema>;
export type TaskTemplateInput = z.input<typeof templateSchema>;

/** Branded ids. */
export type TaskId = string & { readonly __brand: 'TaskId' };

/** The deadlines of an instance, each with the calendar version it was computed with. */
export interface TaskDeadlines {
  readonly claimDue: DueDate;
  readonly completionDue: DueDate;
  /** The yellow-card day: the warning share of the completion limit. */
  readonly warningOn: DueDate;
}

/** Who did something: the account (never a typed name). */
export interface EventActor {
  readonly userId: string;
  readonly userName: string;
}

interface EventBase {
  readonly id: string;
  /** The instant written (device clock). */
  readonly at: string;
  /** The China calendar day it counts for. */
  readonly on: string;
  readonly by: EventActor;
}

/** Why deadlines were (re)computed. */
export type DeadlineCause = 'publish' | 'extension' | 'calendar';

export type TaskEvent = EventBase &
  (
    | { readonly type: 'published'; readonly deadlines: TaskDeadlines }
    | { readonly type: 'claimed'; readonly owner: Person; readonly late: boolean }
    | {
        readonly type: 'reported';
        readonly note: string;
        readonly progress: number | null;
        readonly milestoneId: string | null;
        readonly attachments: readonly string[];
      }
    | { readonly type: 'close-requested'; readonly closure: ClosureKind; readonly reason: string }
    | { readonly type: 'verified'; readonly onTime: boolean; readonly workdaysTaken: number }
    | { readonly type: 'returned'; readonly reason: string }
    | { readonly type: 'archived' }
    | {
        readonly type: 'extension-requested';
        readonly requestId: string;
        readonly days: number;
        readonly reason: string;
      }
    | {
        readonly type: 'extension-decided';
        readonly requestId: string;
        /** Working days granted; 0 when refused. */
        readonly granted: number;
        readonly reason: string;
        /** Working days the request was pending: the clock stood still for them. */
        readonly paused: number;
      }
    | { readonly type: 'reassigned'; readonly from: Person | null; readonly to: Person; readonly reason: string }
    | { readonly type: 'deadlines'; readonly deadlines: TaskDeadlines; readonly cause: DeadlineCause }
    | {
        readonly type: 'card-raised';
        readonly cardId: string;
        readonly level: CardLevel;
        readonly reason: string;
        readonly replyDue: DueDate;
        /** The rule that raised it, or null when raised by hand. */
        readonly rule: 'claim-overdue' | 'warning' | 'overdue' | null;
      }
    | { readonly type: 'card-replied'; readonly cardId: string; readonly reply: string }
    | { readonly type: 'card-cancelled'; readonly cardId: string; readonly reason: string }
  );
export type TaskEventType = TaskEvent['type'];

/** What an instance is created with (plain JSON under `@created`); everything after is in its events. */
export interface TaskBase {
  readonly id: TaskId;
  readonly templateId: string;
  /** The template as published: a later edit of the template does not change a published instance. */
  readonly template: TaskTemplate;
  readonly community: string;
  /** `2026`, `2026-H1`, `2026-Q3` or `2026-07` (periods.ts). */
  readonly period: string;
  readonly publishedOn: string;
}

/** A card as the events make it. */
export interface Card {
  readonly id: string;
  readonly level: CardLevel;
  readonly reason: string;
  readonly issuer: EventActor;
  readonly raisedOn: string;
  readonly replyDue: DueDate;
  readonly rule: 'claim-overdue' | 'warning' | 'overdue' | null;
  readonly reply: { readonly text: string; readonly by: EventActor; readonly on: string } | null;
  readonly cancelled: { readonly reason: string; readonly by: EventActor; readonly on: string } | null;
}

export interface ExtensionRequest {
  readonly requestId: string;
  readonly days: number;
  readonly reason: string;
  readonly requestedOn: string;
  readonly by: EventActor;
  readonly decision: {
    readonly granted: number;
    readonly reason: string;
    readonly approver: EventActor;
    readonly on: string;
    readonly paused: number;
  } | null;
}

// --- reading what a document holds --------------------------------------------------------------------------------

/*
 * The shapes a reader accepts from a `<community>/tasks/<year>` document. Any device holding a token may append
 * anything to the events array (the sync server only keeps it append-only), so the reader checks every entry against
 * the bounds the commands write within and leaves out what does not fit: a malformed or oversized event, an instance
 * whose id does not name its own template, community and period. Unknown extra fields are kept (fields are only ever
 * added), so these are checks, never rewrites.
 */
const storedText = (max: number) => z.string().max(max);
const storedId = storedText(300);
const storedPerson = z.object({ name: storedText(40), ref: storedText(80).nullable() });
const storedDue = z.object({ date: isoDateSchema, calendarVersion: storedText(1000), uncovered: z.boolean() });
const storedDeadlines = z.object({ claimDue: storedDue, completionDue: storedDue, warningOn: storedDue });
const storedReason = storedText(500);
const storedDays = z.number().int().min(0).max(60);

const eventBase = {
  id: storedId,
  at: storedText(40),
  on: isoDateSchema,
  by: z.object({ userId: storedText(200), userName: storedText(200) }),
};

export const taskEventSchema = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('published'), deadlines: storedDeadlines }),
  z.object({ ...eventBase, type: z.literal('claimed'), owner: storedPerson, late: z.boolean() }),
  z.object({
    ...eventBase,
    type: z.literal('reported'),
    note: storedText(2000),
    progress: z.number().int().min(0).max(100).nullable(),
    milestoneId: storedText(40).nullable(),
    attachments: z.array(storedText(200)).max(20),
  }),
  z.object({ ...eventBase, type: z.literal('close-requested'), closure: z.enum(CLOSURE_KINDS), reason: storedReason }),
  z.object({
    ...eventBase,
    type: z.literal('verified'),
    onTime: z.boolean(),
    workdaysTaken: z.number().int().min(0).max(10_000),
  }),
  z.object({ ...eventBase, type: z.literal('returned'), reason: storedReason }),
  z.object({ ...eventBase, type: z.literal('archived') }),
  z.object({
    ...eventBase,
    type: z.literal('extension-requested'),
    requestId: storedId,
    days: storedDays.min(1),
    reason: storedReason,
  }),
  z.object({
    ...eventBase,
    type: z.literal('extension-decided'),
    requestId: storedId,
    granted: storedDays,
    reason: storedReason,
    paused: z.number().int().min(0).max(10_000),
  }),
  z.object({
    ...eventBase,
    type: z.literal('reassigned'),
    from: storedPerson.nullable(),
    to: storedPerson,
    reason: storedReason,
  }),
  z.object({
    ...eventBase,
    type: z.literal('deadlines'),
    deadlines: storedDeadlines,
    cause: z.enum(['publish', 'extension', 'calendar']),
  }),
  z.object({
    ...eventBase,
    type: z.literal('card-raised'),
    cardId: storedId,
    level: z.enum(CARD_LEVELS),
    reason: storedReason,
    replyDue: storedDue,
    rule: z.enum(['claim-overdue', 'warning', 'overdue']).nullable(),
  }),
  z.object({ ...eventBase, type: z.literal('card-replied'), cardId: storedId, reply: storedText(2000) }),
  z.object({ ...eventBase, type: z.literal('card-cancelled'), cardId: storedId, reason: storedReason }),
]);

/** An instance as stored under `tasks` (its template checked as a template). */
export const taskBaseSchema = z.object({
  id: storedText(200),
  templateId: storedText(60),
  template: templateSchema,
  community: storedText(40),
  period: storedText(10),
  publishedOn: isoDateSchema,
});
