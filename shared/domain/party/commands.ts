/**
 * Party-building commands (docs/party-model.md), on the command kernel (docs/architecture.md, "Commands"), all under
 * `party.edit`:
 * - on the registry (its journal): units (驻区单位) with their 共建协议 and 兼职委员, service posts, 三平台 organisations;
 * - on a yearly activities document (shared/ydoc/party.ts): check-ins, claims, service records, patrols, concerns,
 *   volunteer hours, sessions, 四联 records, feedback sheets and the links to what a record became. These read the
 *   registry as `env` (who is a party member, which posts and units exist) and never write it.
 *
 * Refusals specific to this domain are `invalid` (or `not-found`) on the field, with `params.rule` naming the rule
 * (`post.claimed`, `post.full`, ...): the screens word them (renderer/features/party/labels.ts).
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { chinaDate } from '../dates';
import { defineCommand, plan, refuse, type AuditStamp, type CommandContext, type CommandResult } from '../kernel';
import { insertPlan, registryJournal, updatePlan } from '../registry/journal';
import { liveResident } from '../registry/references';
import { hasRecord, readRecord } from '../../ydoc/registry';
import {
  appendPartyAudit,
  hasPartyKey,
  insertPartyRecord,
  listPartyRecords,
  readPartyRecord,
  type PartyAuditNote,
  type PartyMap,
  type PartyRecords,
} from '../../ydoc/party';
import {
  CHANNELS,
  createPlatformSchema,
  createPostSchema,
  findingSchema,
  hoursSchema,
  isoDateSchema,
  LINK_KINDS,
  outLinkKey,
  registerUnitSchema,
  SESSION_KINDS,
  setPartTimeMembersSchema,
  setPlatformMembersSchema,
  signAgreementSchema,
  SOURCES,
  subjectKey,
  subjectSchema,
  TARGETS,
  withdrawPostSchema,
  type CheckIn,
  type LinkSource,
  type LinkTarget,
  type Subject,
} from './types';

// --- refusals ------------------------------------------------------------------------------------------------------

/** The rules a refusal may name in `params.rule` (worded by the screens). */
export const PARTY_RULES = [
  'post.claimed',
  'post.full',
  'post.withdrawn',
  'post.not-claimed',
  'checkin.same-day',
  'platform.duplicate',
  'platform.wrong-compound',
  'patrol.ends-before',
  'link.exists',
  'link.wrong-target',
  'link.no-finding',
] as const;
export type PartyRule = (typeof PARTY_RULES)[number];

function breaks(rule: PartyRule, field: string, params: Readonly<Record<string, string | number>> = {}) {
  return refuse('invalid', field, { ...params, rule });
}

const today = (ctx: CommandContext) => chinaDate(ctx.now());

// --- registry: units, posts, platforms -------------------------------------------------------------------------------

/** 单位报到: registers an in-area organisation with its first check-in day. Returns its id. */
export const registerUnit = defineCommand({
  name: 'registerUnit',
  permission: 'party.edit',
  input: registerUnitSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    if (v.checkedInOn > today(ctx)) return refuse('date.future', 'checkedInOn');
    return insertPlan(doc, 'units', ctx.newId(), { ...v, agreement: null, partTimeMembers: [] });
  },
});

/** 共建协议: records the agreement signed with a unit (a new one replaces the old; the audit keeps both). */
export const signAgreement = defineCommand({
  name: 'signAgreement',
  permission: 'party.edit',
  input: signAgreementSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const unit = readRecord(doc, 'units', v.unitId);
    if (unit === null) return refuse('not-found', 'unitId');
    return updatePlan(doc, 'units', v.unitId, unit, { agreement: v.agreement });
  },
});

/** 兼职委员: sets the unit's people serving on the community party committee part-time (the whole list). */
export const setPartTimeMembers = defineCommand({
  name: 'setPartTimeMembers',
  permission: 'party.edit',
  input: setPartTimeMembersSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const unit = readRecord(doc, 'units', v.unitId);
    if (unit === null) return refuse('not-found', 'unitId');
    return updatePlan(doc, 'units', v.unitId, unit, { partTimeMembers: v.members });
  },
});

/** Publishes a service post (需求 or 岗位) in its category with the number of claimants it takes. */
export const createPost = defineCommand({
  name: 'createPost',
  permission: 'party.edit',
  input: createPostSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => insertPlan(doc, 'posts', ctx.newId(), { ...v, withdrawn: false }),
});

/** Withdraws a post: no new claims; the claims and service records made stay. */
export const withdrawPost = defineCommand({
  name: 'withdrawPost',
  permission: 'party.edit',
  input: withdrawPostSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const post = readRecord(doc, 'posts', v.postId);
    if (post === null) return refuse('not-found', 'postId');
    return updatePlan(doc, 'posts', v.postId, post, { withdrawn: true });
  },
});

/** Members of a 三平台 organisation are living residents of the registry, each once. */
function checkMembers(doc: Y.Doc, memberIds: readonly string[]): CommandResult<never> | null {
  for (const [i, id] of memberIds.entries()) {
    if (liveResident(doc, id) === null) return refuse('not-found', `memberIds.${i}`, { value: id });
  }
  return null;
}

/** Sets up one of a compound's 三平台 organisations (one of each kind per compound). Returns its id. */
export const createPlatform = defineCommand({
  name: 'createPlatform',
  permission: 'party.edit',
  input: createPlatformSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    if (!hasRecord(doc, 'compounds', v.compoundId)) return refuse('not-found', 'compoundId');
    const memberIds = [...new Set(v.memberIds)];
    const problem = checkMembers(doc, memberIds);
    if (problem !== null) return problem;
    const taken = [...doc.getMap('platforms').keys()].some((id) => {
      const p = readRecord(doc, 'platforms', id);
      return p !== null && p.compoundId === v.compoundId && p.kind === v.kind;
    });
    if (taken) return breaks('platform.duplicate', 'kind');
    return insertPlan(doc, 'platforms', ctx.newId(), { ...v, memberIds });
  },
});

/** Sets a 三平台 organisation's members (the whole list; the first is its head). */
export const setPlatformMembers = defineCommand({
  name: 'setPlatformMembers',
  permission: 'party.edit',
  input: setPlatformMembersSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const platform = readRecord(doc, 'platforms', v.platformId);
    if (platform === null) return refuse('not-found', 'platformId');
    const memberIds = [...new Set(v.memberIds)];
    const problem = checkMembers(doc, memberIds);
    if (problem !== null) return problem;
    return updatePlan(doc, 'platforms', v.platformId, platform, { memberIds });
  },
});

// --- activities: the yearly document ---------------------------------------------------------------------------------

/** What an activities command reads besides its document. */
export interface PartyEnv {
  /** The community's registry (party members, units, posts, compounds, platforms). */
  readonly registry: Y.Doc;
  /** Last year's activities document, when the device holds it: a check-in there makes this one a re-check-in. */
  readonly lastYear?: Y.Doc | null;
}

const journal = (doc: Y.Doc, entries: readonly (AuditStamp & PartyAuditNote)[]) => appendPartyAudit(doc, entries);

function stampOf(ctx: CommandContext) {
  return {
    id: ctx.newId(),
    at: ctx.now().toISOString(),
    by: { userId: ctx.actor.userId, userName: ctx.actor.userName },
  };
}

/** A member is a living resident tagged 党员; a unit a registered one. */
function checkSubject(registry: Y.Doc, subject: Subject, field: string): CommandResult<never> | null {
  if (subject.kind === 'unit') return hasRecord(registry, 'units', subject.id) ? null : refuse('not-found', field);
  const resident = liveResident(registry, subject.id);
  if (resident === null) return refuse('not-found', field);
  if (!resident.tags.includes('party-member')) return refuse('party-org.not-member', field);
  return null;
}

/** Living residents of the registry, each named by its id. */
function checkResidents(registry: Y.Doc, ids: readonly string[], field: string): CommandResult<never> | null {
  for (const [i, id] of ids.entries()) {
    if (liveResident(registry, id) === null) return refuse('not-found', `${field}.${i}`, { value: id });
  }
  return null;
}

function notFuture(day: string, ctx: CommandContext, field: string): CommandResult<never> | null {
  return day > today(ctx) ? refuse('date.future', field) : null;
}

/** One set-once record: written under its key, audited with the fields that say what it is (no personal data). */
function insertOne<M extends PartyMap>(
  doc: Y.Doc,
  name: M,
  key: string,
  record: PartyRecords[M],
  fields: Readonly<Record<string, unknown>>,
) {
  return plan<string, PartyAuditNote>(record.id, (audit) => {
    insertPartyRecord(doc, name, key, record);
    audit({ action: name, recordId: record.id, fields });
  });
}

const dated = { on: isoDateSchema };

export const recordCheckInSchema = z.object({
  subject: subjectSchema,
  ...dated,
  channel: z.enum(CHANNELS).default('offline'),
  workplace: z.string().trim().max(100).default(''),
  note: z.string().trim().max(500).default(''),
});

/** Whether a check-in on `on` is the subject's first: nothing known before it in the registry or either year. */
function isFirst(env: PartyEnv, doc: Y.Doc, subject: Subject, on: string): boolean {
  const registryFirst =
    subject.kind === 'member'
      ? (readRecord(env.registry, 'residents', subject.id)?.partyCheckIn ?? null)
      : (readRecord(env.registry, 'units', subject.id)?.checkedInOn ?? null);
  if (registryFirst !== null && registryFirst < on) return false;
  const key = subjectKey(subject);
  const earlier = (d: Y.Doc) => listPartyRecords(d, 'checkIns').some((c) => subjectKey(c.subject) === key && c.on < on);
  return !earlier(doc) && !(env.lastYear ? earlier(env.lastYear) : false);
}

/**
 * 报到: a party member (or a unit) checks in with the community. Whether it is the first check-in or a half-yearly
 * re-check-in is decided here from what is known before it (docs/party-model.md). One per subject and day.
 */
export const recordCheckIn = defineCommand({
  name: 'recordCheckIn',
  permission: 'party.edit',
  input: recordCheckInSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const problem = checkSubject(env.registry, v.subject, 'subject') ?? notFuture(v.on, ctx, 'on');
    if (problem !== null) return problem;
    const key = subjectKey(v.subject);
    if (listPartyRecords(doc, 'checkIns').some((c) => subjectKey(c.subject) === key && c.on === v.on)) {
      return breaks('checkin.same-day', 'on');
    }
    const record: CheckIn = { ...stampOf(ctx), ...v, kind: isFirst(env, doc, v.subject, v.on) ? 'first' : 'recheck' };
    return insertOne(doc, 'checkIns', record.id, record, { subject: v.subject, kind: record.kind, on: v.on });
  },
});

export const claimPostSchema = z.object({ postId: z.string().min(1).max(80), claimant: subjectSchema, ...dated });

/** The key of a claim: one per post and claimant, so a second claim is refused and two offline claims merge. */
export function claimKey(postId: string, claimant: Subject): string {
  return `${postId}/${subjectKey(claimant)}`;
}

/** 认领: a member or unit claims a post; a post is claimed once per claimant and at most `capacity` times. */
export const claimPost = defineCommand({
  name: 'claimPost',
  permission: 'party.edit',
  input: claimPostSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const post = readRecord(env.registry, 'posts', v.postId);
    if (post === null) return refuse('not-found', 'postId');
    if (post.withdrawn) return breaks('post.withdrawn', 'postId');
    const problem = checkSubject(env.registry, v.claimant, 'claimant') ?? notFuture(v.on, ctx, 'on');
    if (problem !== null) return problem;
    const key = claimKey(v.postId, v.claimant);
    if (hasPartyKey(doc, 'claims', key)) return breaks('post.claimed', 'postId');
    const taken = listPartyRecords(doc, 'claims').filter((c) => c.postId === v.postId).length;
    if (taken >= post.capacity) return breaks('post.full', 'postId', { capacity: post.capacity });
    const record = { ...stampOf(ctx), ...v };
    return insertOne(doc, 'claims', key, record, { postId: v.postId, claimant: v.claimant, on: v.on });
  },
});

export const recordServiceSchema = z.object({
  subject: subjectSchema,
  postId: z.string().min(1).max(80).nullable().default(null),
  ...dated,
  hours: hoursSchema,
  content: z.string().trim().min(1).max(1000),
  rating: z.number().int().min(1).max(5).nullable().default(null),
});

/** 服务记录: a day's service (hours, content, rating); against a post only by one who claimed it. */
export const recordService = defineCommand({
  name: 'recordService',
  permission: 'party.edit',
  input: recordServiceSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const problem = checkSubject(env.registry, v.subject, 'subject') ?? notFuture(v.on, ctx, 'on');
    if (problem !== null) return problem;
    if (v.postId !== null) {
      if (!hasRecord(env.registry, 'posts', v.postId)) return refuse('not-found', 'postId');
      if (!hasPartyKey(doc, 'claims', claimKey(v.postId, v.subject))) return breaks('post.not-claimed', 'postId');
    }
    const record = { ...stampOf(ctx), ...v };
    return insertOne(doc, 'serviceRecords', record.id, record, { subject: v.subject, on: v.on, hours: v.hours });
  },
});

export const recordPatrolSchema = z.object({
  route: z.string().trim().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  patrollerIds: z.array(z.string().min(1).max(80)).min(1).max(50),
  findings: z.array(findingSchema).max(50).default([]),
});

/** 红袖标: a patrol's route, time, patrollers (residents) and findings. */
export const recordPatrol = defineCommand({
  name: 'recordPatrol',
  permission: 'party.edit',
  input: recordPatrolSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    if (Date.parse(v.endsAt) < Date.parse(v.startsAt)) return breaks('patrol.ends-before', 'endsAt');
    const problem =
      notFuture(chinaDate(new Date(v.startsAt)), ctx, 'startsAt') ??
      checkResidents(env.registry, v.patrollerIds, 'patrollerIds');
    if (problem !== null) return problem;
    const record = { ...stampOf(ctx), ...v, patrollerIds: [...new Set(v.patrollerIds)] };
    return insertOne(doc, 'patrols', record.id, record, { route: v.route, findings: v.findings.length });
  },
});

export const recordConcernSchema = z.object({
  ...dated,
  collectorId: z.string().min(1).max(80),
  residentId: z.string().min(1).max(80).nullable().default(null),
  place: z.string().trim().max(200).default(''),
  content: z.string().trim().min(1).max(1000),
});

/** 红马褂: a resident's concern, collected by a volunteer (a resident). */
export const recordConcern = defineCommand({
  name: 'recordConcern',
  permission: 'party.edit',
  input: recordConcernSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const problem =
      notFuture(v.on, ctx, 'on') ??
      checkResidents(env.registry, [v.collectorId], 'collectorId') ??
      (v.residentId === null ? null : checkResidents(env.registry, [v.residentId], 'residentId'));
    if (problem !== null) return problem;
    const record = { ...stampOf(ctx), ...v };
    return insertOne(doc, 'concerns', record.id, record, { on: v.on });
  },
});

export const recordVolunteerHoursSchema = z.object({
  volunteerId: z.string().min(1).max(80),
  ...dated,
  hours: hoursSchema,
  activity: z.string().trim().min(1).max(200),
});

/** 小红帽: a volunteer's hours of a day (positive, at most 24). */
export const recordVolunteerHours = defineCommand({
  name: 'recordVolunteerHours',
  permission: 'party.edit',
  input: recordVolunteerHoursSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const problem = notFuture(v.on, ctx, 'on') ?? checkResidents(env.registry, [v.volunteerId], 'volunteerId');
    if (problem !== null) return problem;
    const record = { ...stampOf(ctx), ...v };
    return insertOne(doc, 'volunteerHours', record.id, record, { volunteerId: v.volunteerId, hours: v.hours });
  },
});

export const recordSessionSchema = z.object({
  kind: z.enum(SESSION_KINDS),
  ...dated,
  topic: z.string().trim().min(1).max(200),
  speaker: z.string().trim().min(1).max(80),
  attendeeIds: z.array(z.string().min(1).max(80)).max(1000).default([]),
  outcome: z.string().trim().max(2000).default(''),
});

/** 百姓大讲堂 / 大舞台 / 小茶馆: topic, speaker, attendance from the registry, outcome. */
export const recordSession = defineCommand({
  name: 'recordSession',
  permission: 'party.edit',
  input: recordSessionSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const attendeeIds = [...new Set(v.attendeeIds)];
    const problem = notFuture(v.on, ctx, 'on') ?? checkResidents(env.registry, attendeeIds, 'attendeeIds');
    if (problem !== null) return problem;
    const record = { ...stampOf(ctx), ...v, attendeeIds };
    return insertOne(doc, 'sessions', record.id, record, { kind: v.kind, on: v.on, attendees: attendeeIds.length });
  },
});

export const recordLinkSchema = z.object({
  compoundId: z.string().min(1).max(80),
  kind: z.enum(LINK_KINDS),
  ...dated,
  title: z.string().trim().min(1).max(100),
  content: z.string().trim().max(2000).default(''),
  platformIds: z.array(z.string().min(1).max(80)).max(6).default([]),
});

/** 四联: a record of 信息联通, 要事联商, 环境联创 or 活动联办 of a compound, naming its 三平台 organisations that took part. */
export const recordLink = defineCommand({
  name: 'recordLink',
  permission: 'party.edit',
  input: recordLinkSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    if (!hasRecord(env.registry, 'compounds', v.compoundId)) return refuse('not-found', 'compoundId');
    const problem = notFuture(v.on, ctx, 'on');
    if (problem !== null) return problem;
    for (const [i, id] of v.platformIds.entries()) {
      const platform = readRecord(env.registry, 'platforms', id);
      if (platform === null) return refuse('not-found', `platformIds.${i}`);
      if (platform.compoundId !== v.compoundId) return breaks('platform.wrong-compound', `platformIds.${i}`);
    }
    const record = { ...stampOf(ctx), ...v, platformIds: [...new Set(v.platformIds)] };
    return insertOne(doc, 'linkRecords', record.id, record, { compoundId: v.compoundId, kind: v.kind, on: v.on });
  },
});

export const recordFeedbackSchema = z.object({
  memberId: z.string().min(1).max(80),
  quarter: z.number().int().min(1).max(4),
  workplace: z.string().trim().max(100).default(''),
  ...dated,
});

/** Notes that a member's quarterly feedback sheet was sent to the employer (printed and sent). */
export const recordFeedback = defineCommand({
  name: 'recordFeedback',
  permission: 'party.edit',
  input: recordFeedbackSchema,
  journal,
  plan: (doc, v, ctx, env: PartyEnv) => {
    const problem =
      checkSubject(env.registry, { kind: 'member', id: v.memberId }, 'memberId') ?? notFuture(v.on, ctx, 'on');
    if (problem !== null) return problem;
    const record = { ...stampOf(ctx), ...v };
    return insertOne(doc, 'feedback', record.id, record, { memberId: v.memberId, quarter: v.quarter });
  },
});

// --- links to other documents ----------------------------------------------------------------------------------------

/** What each record may become: findings and concerns grid events, a 小茶馆 grievance a case, 要事联商 a meeting. */
export function targetOf(source: LinkSource): LinkTarget {
  if (source === 'patrol' || source === 'concern') return 'incident';
  return source === 'session' ? 'case' : 'meeting';
}

export const linkOutSchema = z.object({
  source: z.enum(SOURCES),
  recordId: z.string().min(1).max(80),
  item: z.number().int().min(0).max(49).default(0),
  target: z.enum(TARGETS),
  ref: z.string().trim().min(1).max(160),
});
export type LinkOutInput = z.input<typeof linkOutSchema>;

/**
 * Whether a record (a patrol's finding `item`) may become `target`: it exists, fits the target (a session must be a
 * 小茶馆, a 四联 record a 要事联商), and has not become one yet. Asked before the other document is written, so that a
 * refusal leaves nothing behind.
 */
export function checkLinkable(
  doc: Y.Doc,
  source: LinkSource,
  recordId: string,
  item: number,
  target: LinkTarget,
): CommandResult<null> {
  if (targetOf(source) !== target) return breaks('link.wrong-target', 'target');
  const map = ({ patrol: 'patrols', concern: 'concerns', session: 'sessions', 'link-record': 'linkRecords' } as const)[
    source
  ];
  const record = readPartyRecord(doc, map, recordId);
  if (record === null) return refuse('not-found', 'recordId');
  if ('findings' in record && item >= record.findings.length) return breaks('link.no-finding', 'item');
  if ('kind' in record && source === 'session' && record.kind !== 'teahouse')
    return breaks('link.wrong-target', 'target');
  if ('kind' in record && source === 'link-record' && record.kind !== 'deliberation') {
    return breaks('link.wrong-target', 'target');
  }
  if (hasPartyKey(doc, 'outLinks', outLinkKey(source, recordId, item))) return breaks('link.exists', 'recordId');
  return { ok: true, value: null };
}

/** Records what a finding, concern, session or 四联 record became (`<year>/<id>` of the other document). */
export const linkOut = defineCommand({
  name: 'linkOut',
  permission: 'party.edit',
  input: linkOutSchema,
  journal,
  plan: (doc, v, ctx) => {
    const linkable = checkLinkable(doc, v.source, v.recordId, v.item, v.target);
    if (!linkable.ok) return linkable;
    const record = { ...stampOf(ctx), ...v };
    return insertOne(doc, 'outLinks', outLinkKey(v.source, v.recordId, v.item), record, {
      source: v.source,
      recordId: v.recordId,
      item: v.item,
      target: v.target,
      ref: v.ref,
    });
  },
});
