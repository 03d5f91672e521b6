/**
 * Party building records (docs/party-model.md). Long-lived ones sit in the community's registry (a few hundred at
 * most): the in-area organisations of 双报到 with their 共建协议 and 兼职委员, the service posts members and units
 * claim, and the 三平台 organisations of each compound. Dated ones (check-ins, claims, service hours, patrols, concerns,
 * volunteer hours, sessions, 四联 records) live in the yearly `activities` document (shared/ydoc/party.ts).
 *
 * Residents are named by their registry id, never copied (their name, ID number and phone stay in the registry).
 */
import { z } from 'zod';
import { isoDateSchema } from '../tasks/types';
import { isValidCreditCode, normaliseCreditCode } from './creditCode';

export { isoDateSchema };

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).default('');
const idRef = z.string().trim().min(1).max(80);

/**
 * 统一社会信用代码 as stored: normalised, '' or 18 characters with a right check character (GB 32100-2015). No
 * default here: `updateUnit` leaves a code it is not given alone.
 */
export const creditCodeSchema = z
  .string()
  .transform(normaliseCreditCode)
  .refine((v) => v === '' || isValidCreditCode(v), { error: 'invalid' });

// --- registry records ---------------------------------------------------------------------------------------------

/** Kinds of in-area organisation (驻区单位): 机关, 事业单位, 国有企业, 非公企业, 社会组织. */
export const UNIT_KINDS = ['agency', 'institution', 'state-firm', 'private-firm', 'social-org'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** 兼职委员: a person of a unit serving on the community party committee part-time. */
export const partTimeMemberSchema = z.object({
  name: text(40),
  /** 职务 in the unit (e.g. 办公室主任). */
  title: optionalText(60),
  /** Appointed (选聘) on this day. */
  since: isoDateSchema,
});
export type PartTimeMember = z.output<typeof partTimeMemberSchema>;

/** 共建协议 with the community: signed, runs to a day, says what each side does. */
export const agreementSchema = z.object({
  signedOn: isoDateSchema,
  until: isoDateSchema,
  content: text(2000),
});
export type Agreement = z.output<typeof agreementSchema>;

/** An in-area organisation (驻区单位) that reports to the community (双报到). */
export interface Unit {
  readonly id: string;
  readonly name: string;
  readonly kind: UnitKind;
  /** Its party organisation as named (e.g. 区税务局机关党支部). */
  readonly partyOrg: string;
  readonly contact: string;
  /** Masked for viewers by its key (shared/ydoc/registryMasked.ts). */
  readonly phone: string;
  readonly address: string;
  /** 统一社会信用代码 (shared/domain/party/creditCode.ts); '' or absent (units registered before it) when not known. */
  readonly creditCode?: string;
  /** First check-in (报到) with the community. */
  readonly checkedInOn: string;
  readonly agreement: Agreement | null;
  readonly partTimeMembers: readonly PartTimeMember[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The eight post categories of the 需求表 (中江 practice): docs/party-model.md. */
export const POST_CATEGORIES = [
  'organisation', // 组织建设
  'legal', // 法律咨询与援助
  'assistance', // 助困扶残与就业援助
  'governance', // 社区治理
  'health', // 健康医疗
  'culture', // 文化体育
  'safety', // 安全宣传与治安巡逻
  'other', // 其他
] as const;
export type PostCategory = (typeof POST_CATEGORIES)[number];

/** 需求 (what the community needs done) or 岗位 (a standing volunteer post). */
export const POST_KINDS = ['need', 'post'] as const;
export type PostKind = (typeof POST_KINDS)[number];

/** A service post (需求/岗位) that party members and units claim. */
export interface ServicePost {
  readonly id: string;
  readonly title: string;
  readonly kind: PostKind;
  readonly category: PostCategory;
  readonly content: string;
  /** 拟认领数: how many claimants it takes. */
  readonly capacity: number;
  readonly withdrawn: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The six organisations of a compound's 三平台: the branch leads, the committees run, the centres guide. */
export const PLATFORM_KINDS = [
  'party-branch', // 小区党支部
  'management-committee', // 小区管委会
  'mediation-committee', // 小区调委会
  'culture-centre', // 文体中心
  'security-centre', // 综治中心
  'service-centre', // 服务中心
] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/** One of a compound's 三平台 organisations, its members residents of the registry (the first is its head). */
export interface Platform {
  readonly id: string;
  readonly compoundId: string;
  readonly kind: PlatformKind;
  readonly memberIds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const registerUnitSchema = z.object({
  name: text(100),
  kind: z.enum(UNIT_KINDS),
  partyOrg: optionalText(100),
  contact: optionalText(40),
  phone: optionalText(40),
  address: optionalText(200),
  checkedInOn: isoDateSchema,
  /** 统一社会信用代码 with a right check character (creditCode.ts); '' when not known. */
  creditCode: creditCodeSchema.default(''),
});

export const signAgreementSchema = z
  .object({ unitId: idRef, agreement: agreementSchema })
  .refine((v) => v.agreement.until >= v.agreement.signedOn, { path: ['agreement', 'until'], error: 'invalid' });

export const setPartTimeMembersSchema = z.object({
  unitId: idRef,
  members: z.array(partTimeMemberSchema).max(20),
});

export const createPostSchema = z.object({
  title: text(100),
  kind: z.enum(POST_KINDS),
  category: z.enum(POST_CATEGORIES),
  content: optionalText(1000),
  capacity: z.number().int().min(1).max(500),
});

export const withdrawPostSchema = z.object({ postId: idRef });

export const createPlatformSchema = z.object({
  compoundId: idRef,
  kind: z.enum(PLATFORM_KINDS),
  memberIds: z.array(idRef).max(200).default([]),
});

export const setPlatformMembersSchema = z.object({ platformId: idRef, memberIds: z.array(idRef).max(200) });

// --- dated records (the activities document) ----------------------------------------------------------------------

/** Who checks in, claims or serves: a party member (a resident of the registry) or a unit. */
export const subjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), id: idRef }),
  z.object({ kind: z.literal('unit'), id: idRef }),
]);
export type Subject = z.output<typeof subjectSchema>;

export function subjectKey(subject: Subject): string {
  return `${subject.kind}:${subject.id}`;
}

/** 首次报到 or 半年复报到: decided by the command from what is known of earlier check-ins, never chosen. */
export const CHECK_IN_KINDS = ['first', 'recheck'] as const;
export type CheckInKind = (typeof CHECK_IN_KINDS)[number];

/** 线上 / 线下 check-in: both count (佛山 practice). */
export const CHANNELS = ['offline', 'online'] as const;
export type CheckInChannel = (typeof CHANNELS)[number];

/**
 * Service hours of one record: positive and at most a day's 24 (docs/party-model.md, "rules"). In half hours, as
 * the 服务登记卡 counts them.
 */
export const hoursSchema = z
  .number()
  .positive()
  .max(24)
  .refine((h) => Number.isInteger(h * 2), { error: 'invalid' });

export const RATINGS = [1, 2, 3, 4, 5] as const;

/** The 三红三百 sessions: 百姓大讲堂 (policy talks), 百姓大舞台 (shows), 百姓小茶馆 (grievances over tea). */
export const SESSION_KINDS = ['lecture', 'stage', 'teahouse'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** 四联: 信息联通, 要事联商, 环境联创, 活动联办. */
export const LINK_KINDS = ['information', 'deliberation', 'environment', 'activity'] as const;
export type FourLinkKind = (typeof LINK_KINDS)[number];

const stamp = {
  id: idRef,
  /** The instant written, and who wrote it (the signed-in account). */
  at: z.string().min(1).max(40),
  by: z.object({ userId: idRef, userName: text(80) }),
};

export const checkInSchema = z.object({
  ...stamp,
  subject: subjectSchema,
  kind: z.enum(CHECK_IN_KINDS),
  on: isoDateSchema,
  channel: z.enum(CHANNELS),
  /** A member's 工作单位 at check-in (the employer the quarterly feedback goes to); a unit's own name is its record's. */
  workplace: optionalText(100),
  note: optionalText(500),
});
export type CheckIn = z.output<typeof checkInSchema>;

export const claimSchema = z.object({ ...stamp, postId: idRef, claimant: subjectSchema, on: isoDateSchema });
export type Claim = z.output<typeof claimSchema>;

export const serviceRecordSchema = z.object({
  ...stamp,
  subject: subjectSchema,
  postId: idRef.nullable(),
  on: isoDateSchema,
  hours: hoursSchema,
  content: text(1000),
  /** The served residents' or the office's rating, 1-5 (null: not rated yet). */
  rating: z.number().int().min(1).max(5).nullable(),
});
export type ServiceRecord = z.output<typeof serviceRecordSchema>;

export const findingSchema = z.object({ text: text(500), place: optionalText(200) });
export type Finding = z.output<typeof findingSchema>;

/** 红袖标 patrol log. */
export const patrolSchema = z.object({
  ...stamp,
  route: text(200),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  patrollerIds: z.array(idRef).max(50),
  findings: z.array(findingSchema).max(50),
});
export type Patrol = z.output<typeof patrolSchema>;

/** 红马褂 collection of a resident's concern. */
export const concernSchema = z.object({
  ...stamp,
  on: isoDateSchema,
  collectorId: idRef,
  /** The resident who raised it, when named (from the registry). */
  residentId: idRef.nullable(),
  place: optionalText(200),
  content: text(1000),
});
export type Concern = z.output<typeof concernSchema>;

/** 小红帽 volunteer service. */
export const volunteerHoursSchema = z.object({
  ...stamp,
  volunteerId: idRef,
  on: isoDateSchema,
  hours: hoursSchema,
  activity: text(200),
});
export type VolunteerHours = z.output<typeof volunteerHoursSchema>;

export const sessionSchema = z.object({
  ...stamp,
  kind: z.enum(SESSION_KINDS),
  on: isoDateSchema,
  topic: text(200),
  speaker: text(80),
  attendeeIds: z.array(idRef).max(1000),
  outcome: optionalText(2000),
});
export type Session = z.output<typeof sessionSchema>;

export const linkRecordSchema = z.object({
  ...stamp,
  compoundId: idRef,
  kind: z.enum(LINK_KINDS),
  on: isoDateSchema,
  title: text(100),
  content: optionalText(2000),
  /** The 三平台 organisations that took part. */
  platformIds: z.array(idRef).max(6),
});
export type LinkRecord = z.output<typeof linkRecordSchema>;

/** A quarterly feedback sheet sent to a member's employer. */
export const feedbackSchema = z.object({
  ...stamp,
  memberId: idRef,
  quarter: z.number().int().min(1).max(4),
  workplace: optionalText(100),
  on: isoDateSchema,
});
export type Feedback = z.output<typeof feedbackSchema>;

/** What a dated record became: a grid event, a mediation case, a meeting (`<year>/<id>` of the other document). */
export const TARGETS = ['incident', 'case', 'meeting'] as const;
export type LinkTarget = (typeof TARGETS)[number];

/** The records a link starts from: a patrol's finding, a concern, a 小茶馆 session, a 要事联商 record. */
export const SOURCES = ['patrol', 'concern', 'session', 'link-record'] as const;
export type LinkSource = (typeof SOURCES)[number];

export const outLinkSchema = z.object({
  ...stamp,
  source: z.enum(SOURCES),
  recordId: idRef,
  /** A patrol's finding (its index); 0 for the others. */
  item: z.number().int().min(0).max(49),
  target: z.enum(TARGETS),
  ref: text(160),
});
export type OutLink = z.output<typeof outLinkSchema>;

/** The key of a link: one per finding, concern, session or record, so a second is refused and two offline merge. */
export function outLinkKey(source: LinkSource, recordId: string, item: number): string {
  return `${source}/${recordId}/${item}`;
}
