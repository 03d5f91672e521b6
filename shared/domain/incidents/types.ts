/**
 * Grid events (社情民意事件, called incidents in the code so they are not confused with the history entries): what a
 * grid worker, a head or a 红马褂 volunteer brings back from the grid, and the steps that make up its history
 * (docs/incidents-model.md). As for tasks, the state and every figure are read from the steps; nothing is a counter.
 */
import { z } from 'zod';
import { isoDateSchema } from '../tasks/types';

export { isoDateSchema, personSchema, type Person } from '../tasks/types';

/** The Sichuan grid-work categories (大类); a sub-category (小类) is free text under each. */
export const INCIDENT_CATEGORIES = [
  'dispute', // 矛盾劝解
  'security', // 治安防控
  'special-groups', // 特殊人群
  'opinion', // 社情民意
  'policy', // 政策宣传
  'emergency', // 突发事件
  'other', // 其它
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** What the resident asks for: it sets the handling limit (docs/incidents-model.md, "time limits"). */
export const REQUEST_KINDS = ['consult', 'help', 'suggestion', 'complaint'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** 网格员巡查 / 居民上报 / 12345 转办 / 红马褂收集 / 上级交办. */
export const INCIDENT_SOURCES = ['patrol', 'resident', 'hotline', 'volunteer', 'higher'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** 实质性办结 or 程序性办结, and the procedural sub-kinds (政策解答, 纳入项目库, 转诉讼, 其他). */
export const CLOSURE_TYPES = ['substantive', 'procedural'] as const;
export type ClosureType = (typeof CLOSURE_TYPES)[number];
export const PROCEDURAL_KINDS = ['policy-answer', 'project-list', 'litigation', 'other'] as const;
export type ProceduralKind = (typeof PROCEDURAL_KINDS)[number];

/** Who an incident is handed to: a head of the five-heads chain, a grid, or a unit outside the community. */
export const ASSIGNEE_KINDS = ['head', 'grid', 'unit'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];

/** The 5-grade 好差评: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];
/** A rating at or below this reopens the incident (不满意 / 非常不满意). */
export const UNSATISFIED_AT_MOST = 2;

export const VISIT_METHODS = ['in-person', 'phone', 'written'] as const;
export type VisitMethod = (typeof VISIT_METHODS)[number];

/** What another record an incident became or was put on: a mediation case, a meeting agenda item, a task. */
export const LINK_KINDS = ['case', 'meeting', 'task'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const INCIDENT_STATUSES = [
  'reported', // 待受理
  'accepted', // 已受理, not yet handed to anyone
  'assigned', // 处置中
  'closing', // 待核查 (close requested)
  'closed', // 已结案, waiting for the return visit
  'visited', // 已回访
  'archived', // 已归档
  'rejected', // 不予受理
  'merged', // 合并为重复
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).default('');
const ref = z.string().trim().min(1).max(80).nullable().default(null);

/** Where it happened: at least a grid or a compound; the finer places are optional. */
export const placeSchema = z
  .object({
    grid: ref,
    compound: ref,
    building: ref,
    household: ref,
    /** As written by the reporter (a street corner, a shop): shown when no registry place fits. */
    text: optionalText(200),
  })
  .refine((p) => p.grid !== null || p.compound !== null || p.text !== '', { path: ['grid'], error: 'required' });
export type IncidentPlace = z.output<typeof placeSchema>;

export const reporterSchema = z.object({
  name: optionalText(40),
  phone: optionalText(20),
  /** The reporter asked not to be named: the name and phone stay on the record for the return visit only. */
  anonymous: z.boolean().default(false),
});
export type Reporter = z.output<typeof reporterSchema>;

/** What is recorded when an incident is reported; set once, never changed (corrections are steps). */
export const incidentFieldsSchema = z.object({
  title: text(100),
  content: text(4000),
  /** When it happened, ISO instant. */
  occurredAt: z.iso.datetime({ offset: true }),
  place: placeSchema,
  category: z.enum(INCIDENT_CATEGORIES),
  subCategory: optionalText(40),
  kind: z.enum(REQUEST_KINDS),
  urgency: z.enum(URGENCIES).default('normal'),
  peopleInvolved: z.number().int().min(1).max(100_000).default(1),
  reporter: reporterSchema,
  source: z.enum(INCIDENT_SOURCES),
  /** References of photos and files (`file:<id>`). */
  attachments: z.array(text(200)).max(20).default([]),
});
export type IncidentFields = z.output<typeof incidentFieldsSchema>;
export type IncidentFieldsInput = z.input<typeof incidentFieldsSchema>;

/** An incident as first written: the fields, its community, the day and who recorded it. */
export const incidentBaseSchema = incidentFieldsSchema.extend({
  id: text(80),
  community: text(80),
  reportedOn: isoDateSchema,
  reportedBy: z.object({ userId: text(80), userName: text(80) }),
});
export type IncidentBase = z.output<typeof incidentBaseSchema>;

export const assigneeSchema = z.object({
  kind: z.enum(ASSIGNEE_KINDS),
  name: text(80),
  /** The registry person, grid or account, when known. */
  ref,
});
export type Assignee = z.output<typeof assigneeSchema>;

/** Who wrote a step. */
export interface StepActor {
  readonly userId: string;
  readonly userName: string;
}

const stepStamp = {
  id: text(80),
  /** The instant it was written (ISO), and its China day. */
  at: z.iso.datetime({ offset: true }),
  on: isoDateSchema,
  by: z.object({ userId: text(80), userName: text(80) }),
};

const reason = text(500);

/** Every step the commands write (docs/incidents-model.md, "steps"). */
export const stepSchema = z.discriminatedUnion('type', [
  z.object({ ...stepStamp, type: z.literal('accepted') }),
  z.object({ ...stepStamp, type: z.literal('rejected'), reason }),
  z.object({ ...stepStamp, type: z.literal('assigned'), to: assigneeSchema, cc: z.array(assigneeSchema).max(10) }),
  z.object({ ...stepStamp, type: z.literal('escalated'), to: text(80), reason, skipLevel: z.boolean() }),
  z.object({ ...stepStamp, type: z.literal('sent-back'), reason }),
  z.object({ ...stepStamp, type: z.literal('handled'), note: text(2000), attachments: z.array(text(200)).max(20) }),
  z.object({
    ...stepStamp,
    type: z.literal('close-requested'),
    closure: z.enum(CLOSURE_TYPES),
    procedural: z.enum(PROCEDURAL_KINDS).nullable(),
    note: text(2000),
  }),
  z.object({ ...stepStamp, type: z.literal('verify-refused'), reason }),
  z.object({ ...stepStamp, type: z.literal('closed'), onTime: z.boolean(), workdaysTaken: z.number().int().min(0) }),
  z.object({
    ...stepStamp,
    type: z.literal('visited'),
    method: z.enum(VISIT_METHODS),
    rating: z.number().int().min(1).max(5),
    comment: optionalText(1000),
  }),
  z.object({ ...stepStamp, type: z.literal('suspended'), reason }),
  z.object({ ...stepStamp, type: z.literal('resumed'), pausedWorkdays: z.number().int().min(0) }),
  z.object({ ...stepStamp, type: z.literal('merged'), into: text(80), reason }),
  z.object({ ...stepStamp, type: z.literal('archived') }),
  z.object({ ...stepStamp, type: z.literal('linked'), link: z.enum(LINK_KINDS), recordId: text(120) }),
]);
export type Step = z.output<typeof stepSchema>;
export type StepType = Step['type'];
