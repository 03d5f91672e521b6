/**
 * Residents' services (为民服务): the catalogue of service items a community office handles or refers, and the
 * applications (办件) made for them, each with its steps and the resident's 好差评 (docs/services-model.md). As for
 * tasks and grid events, an application's state and every figure are read from its steps.
 */
import { z } from 'zod';
import { isoDateSchema, personSchema } from '../tasks/types';

/** A government service handled at the window (人社, 民政, 卫健...), or a third party's 一键呼叫 service. */
export const ITEM_KINDS = ['government', 'third-party'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** 窗口, 电话, 上门代办 (a grid worker as 为民服务代办员). */
export const CHANNELS = ['window', 'phone', 'door'] as const;
export type Channel = (typeof CHANNELS)[number];

export const APPLICATION_STATUSES = [
  'accepted', // 已受理, the clock runs
  'done', // 已办结
  'refused', // 不予受理 / 不予办理
  'transferred', // 已转办 (to another office; out of this community's count of 办结)
  'rectifying', // 差评整改中: rated bad, to fix within 15 working days and call back
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).default('');

export const serviceItemSchema = z
  .object({
    id: text(60),
    name: text(100),
    kind: z.enum(ITEM_KINDS),
    /** The office it belongs to (人社, 民政, 卫健...) or the provider of a third-party service. */
    department: text(60),
    /** 承诺时限 in working days from acceptance. */
    promiseDays: z.number().int().min(1).max(90),
    /** 材料清单. */
    materials: z.array(text(100)).max(30).default([]),
    handler: personSchema,
    /** A third-party service's commitment (服务承诺: response time, price rules). */
    commitment: optionalText(500),
    /** Withdrawn from the catalogue: kept for the applications that name it. */
    withdrawn: z.boolean().default(false),
  })
  .refine((i) => i.kind === 'government' || i.commitment !== '', { path: ['commitment'], error: 'required' });
export type ServiceItem = z.output<typeof serviceItemSchema>;
export type ServiceItemInput = z.input<typeof serviceItemSchema>;

export const applicantSchema = z.object({
  name: text(40),
  phone: optionalText(20),
  /** The registry resident, when known. */
  ref: z.string().trim().max(80).nullable().default(null),
});

/** An application as accepted: set once, never changed. */
export const applicationBaseSchema = z.object({
  id: text(80),
  community: text(80),
  itemId: text(60),
  /** The item's name and promise as they were on the day of acceptance. */
  itemName: text(100),
  promiseDays: z.number().int().min(1).max(90),
  applicant: applicantSchema,
  channel: z.enum(CHANNELS),
  /** The grid worker who applied on the resident's behalf (上门代办). */
  agent: personSchema.nullable(),
  note: optionalText(1000),
  /**
   * The materials checked at the window (一次性告知: every material the item listed that day). Absent on an
   * application accepted before they were kept (readers see the stored object, not a parsed copy: read it as
   * `base.materials ?? []`); empty for an item that asks none or an application accepted without the checklist.
   */
  materials: z.array(text(100)).max(30).optional(),
  acceptedOn: isoDateSchema,
  acceptedBy: z.object({ userId: text(80), userName: text(80) }),
});
export type ApplicationBase = z.output<typeof applicationBaseSchema>;

const stamp = {
  id: text(80),
  at: z.iso.datetime({ offset: true }),
  on: isoDateSchema,
  by: z.object({ userId: text(80), userName: text(80) }),
};

export const applicationStepSchema = z.discriminatedUnion('type', [
  z.object({ ...stamp, type: z.literal('done'), result: text(1000), workdaysTaken: z.number().int().min(0) }),
  z.object({ ...stamp, type: z.literal('refused'), reason: text(500) }),
  z.object({ ...stamp, type: z.literal('transferred'), to: text(80), reason: text(500) }),
  /** The 5-grade 好差评: 5 非常满意 .. 1 非常不满意. */
  z.object({ ...stamp, type: z.literal('rated'), rating: z.number().int().min(1).max(5), comment: optionalText(1000) }),
  z.object({ ...stamp, type: z.literal('rectified'), note: text(1000) }),
  z.object({ ...stamp, type: z.literal('called-back'), note: text(1000) }),
]);
export type ApplicationStep = z.output<typeof applicationStepSchema>;
