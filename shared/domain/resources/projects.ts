/**
 * Projects (项目化, docs/resources-model.md "projects"): a need published → residents consulted (comments, one vote
 * each) → approved, or refused (拒签) with a reason → contract from the template with its service commitments → the
 * project's rent income and spending → rating by residents (1-5) → closed.
 *
 * ```
 * published (征求意见) ─approve─▶ approved ─contract─▶ contracted ─close─▶ closed
 *      └─refuse (reason)─▶ refused
 * ```
 *
 * Deciding (approve, refuse) and signing the contract is the office's (`admin`: the 两委's decision); publishing,
 * consulting, the ledger and ratings are `resources.edit`. What many people add is kept one key per entry in the
 * project's record map (`comment.<id>`, `vote.<residentId>`, `ledger.<id>`, `rating.<residentId>`): two devices'
 * comments both survive a merge, and a resident's last vote (or rating) replaces their earlier one.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineCommand, plan, refuse, type CommandResult } from '../kernel';
import { readRecord, setFields, type StoredRecord } from '../../ydoc/registry';
import { chinaDate } from '../dates';
import { insertPlan, registryJournal, type RegistryPlan } from '../registry/journal';
import { RULE } from './rules';
import {
  amountSchema,
  FEE_KINDS,
  idSchema,
  isoDateSchema,
  nameSchema,
  textSchema,
  VOTE_CHOICES,
  type Project,
  type ProjectComment,
  type ProjectLedgerEntry,
  type ProjectRating,
  type ProjectStatus,
  type ProjectVote,
  type VoteChoice,
} from './types';

export type ProjectAction = 'comment' | 'vote' | 'approve' | 'refuse' | 'contract' | 'ledger' | 'rate' | 'close';

const ACTIONS: Readonly<Record<ProjectStatus, readonly ProjectAction[]>> = {
  published: ['comment', 'vote', 'approve', 'refuse'],
  approved: ['contract'],
  refused: [],
  contracted: ['ledger', 'rate', 'close'],
  closed: ['ledger', 'rate'],
};

/** What a project in this stage allows (the screens offer exactly these). */
export function projectActions(status: ProjectStatus): readonly ProjectAction[] {
  return ACTIONS[status];
}

/** Everything added to a project, read from its record's per-entry keys; shapes that do not fit are left out. */
export interface ProjectEntries {
  readonly comments: ProjectComment[];
  readonly votes: ProjectVote[];
  readonly ledger: ProjectLedgerEntry[];
  readonly ratings: ProjectRating[];
}

const commentShape = z.object({
  id: z.string(),
  residentId: z.string(),
  text: z.string(),
  at: z.string(),
  by: z.string(),
});
const voteShape = z.object({ residentId: z.string(), choice: z.enum(VOTE_CHOICES), at: z.string(), by: z.string() });
const ledgerShape = z.object({
  id: z.string(),
  kind: z.enum(['income', 'spending']),
  amount: z.number().int(),
  date: z.string(),
  note: z.string(),
  at: z.string(),
  by: z.string(),
});
const ratingShape = z.object({
  residentId: z.string(),
  score: z.number().int().min(1).max(5),
  note: z.string(),
  at: z.string(),
  by: z.string(),
});

export function projectEntries(record: Readonly<Record<string, unknown>>): ProjectEntries {
  const out: ProjectEntries = { comments: [], votes: [], ledger: [], ratings: [] };
  for (const [key, value] of Object.entries(record)) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    const kind = key.slice(0, dot);
    const sub = key.slice(dot + 1);
    if (kind === 'comment') {
      const p = commentShape.safeParse(value);
      if (p.success && p.data.id === sub) out.comments.push(p.data);
    } else if (kind === 'vote') {
      const p = voteShape.safeParse(value);
      if (p.success && p.data.residentId === sub) out.votes.push(p.data);
    } else if (kind === 'ledger') {
      const p = ledgerShape.safeParse(value);
      if (p.success && p.data.id === sub) out.ledger.push(p.data);
    } else if (kind === 'rating') {
      const p = ratingShape.safeParse(value);
      if (p.success && p.data.residentId === sub) out.ratings.push(p.data);
    }
  }
  const byAt = (a: { at: string }, b: { at: string }) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  out.comments.sort(byAt);
  out.votes.sort(byAt);
  out.ledger.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : byAt(a, b)));
  out.ratings.sort(byAt);
  return out;
}

/** The count of each vote (one per resident: their last). */
export function voteTally(votes: readonly ProjectVote[]): Record<VoteChoice, number> {
  const tally: Record<VoteChoice, number> = { agree: 0, disagree: 0, abstain: 0 };
  for (const vote of votes) tally[vote.choice] += 1;
  return tally;
}

/** Rent and other income, spending and what is left, in fen. */
export function projectBalance(ledger: readonly ProjectLedgerEntry[]): {
  income: number;
  spending: number;
  balance: number;
} {
  let income = 0;
  let spending = 0;
  for (const e of ledger) {
    if (e.kind === 'income') income += e.amount;
    else spending += e.amount;
  }
  return { income, spending, balance: income - spending };
}

/** The average rating (null when nobody rated yet). */
export function averageRating(ratings: readonly ProjectRating[]): number | null {
  if (ratings.length === 0) return null;
  return ratings.reduce((sum, r) => sum + r.score, 0) / ratings.length;
}

// --- commands --------------------------------------------------------------------------------------------------

type Current = StoredRecord<'projects'>;

/** The project, when it exists and its stage allows `action`. */
function inStage(doc: Y.Doc, id: string, action: ProjectAction): CommandResult<Current> {
  const current = readRecord(doc, 'projects', id);
  if (current === null) return refuse('not-found', 'id');
  if (!projectActions(current.status).includes(action))
    return refuse('invalid', 'id', { rule: RULE.projectStage, status: current.status, action });
  return { ok: true, value: current };
}

/** A resident of the registry who is not soft-deleted. */
function checkResident(doc: Y.Doc, residentId: string): CommandResult<never> | null {
  const resident = readRecord(doc, 'residents', residentId);
  if (resident === null || resident.deletedAt) return refuse('invalid', 'residentId', { rule: RULE.notResident });
  return null;
}

/** Sets some fields of a project, audited with those fields. */
function setPlan<T>(doc: Y.Doc, id: string, value: T, fields: Record<string, unknown>): RegistryPlan<T> {
  return plan(value, (audit, at) => {
    setFields(doc, 'projects', id, { ...fields, updatedAt: at });
    audit({ action: 'update', collection: 'projects', recordId: id, fields });
  });
}

export const publishProjectSchema = z.object({
  title: nameSchema,
  need: z.string().trim().min(1).max(2000),
  publishedOn: isoDateSchema,
  venueId: idSchema.nullable().default(null),
});

/** Publishes a need (需求发布): residents may comment and vote from now on. */
export const publishProject = defineCommand({
  name: 'publishProject',
  permission: 'resources.edit',
  input: publishProjectSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    if (v.venueId !== null && readRecord(doc, 'venues', v.venueId) === null) return refuse('not-found', 'venueId');
    return insertPlan(doc, 'projects', ctx.newId(), {
      ...v,
      status: 'published',
      decidedOn: null,
      refusalReason: '',
      contract: null,
    });
  },
});

export const commentProjectSchema = z.object({ id: idSchema, residentId: idSchema, text: nameSchema });

/** A resident's comment on a published need (征求意见), written down by the office. */
export const commentProject = defineCommand({
  name: 'commentProject',
  permission: 'resources.edit',
  input: commentProjectSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const current = inStage(doc, v.id, 'comment');
    if (!current.ok) return current;
    const bad = checkResident(doc, v.residentId);
    if (bad) return bad;
    const commentId = ctx.newId();
    return plan(commentId, (audit, at) => {
      const comment: ProjectComment = {
        id: commentId,
        residentId: v.residentId,
        text: v.text,
        at,
        by: ctx.actor.userName,
      };
      setFields(doc, 'projects', v.id, { [`comment.${commentId}`]: comment });
      audit({ action: 'update', collection: 'projects', recordId: v.id, fields: { comment } });
    });
  },
});

export const voteProjectSchema = z.object({ id: idSchema, residentId: idSchema, choice: z.enum(VOTE_CHOICES) });

/** A resident's vote: one per resident; voting again replaces the earlier vote (the audit keeps both). */
export const voteProject = defineCommand({
  name: 'voteProject',
  permission: 'resources.edit',
  input: voteProjectSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const current = inStage(doc, v.id, 'vote');
    if (!current.ok) return current;
    const bad = checkResident(doc, v.residentId);
    if (bad) return bad;
    return plan(v.choice, (audit, at) => {
      const vote: ProjectVote = { residentId: v.residentId, choice: v.choice, at, by: ctx.actor.userName };
      setFields(doc, 'projects', v.id, { [`vote.${v.residentId}`]: vote });
      audit({ action: 'update', collection: 'projects', recordId: v.id, fields: { vote } });
    });
  },
});

export const decideProjectSchema = z.object({ id: idSchema, decidedOn: isoDateSchema });

/** Approves the project after the consultation (the office: `admin`). */
export const approveProject = defineCommand({
  name: 'approveProject',
  permission: 'admin',
  input: decideProjectSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const current = inStage(doc, v.id, 'approve');
    if (!current.ok) return current;
    return setPlan(doc, v.id, 'approved', { status: 'approved', decidedOn: v.decidedOn });
  },
});

export const refuseProjectSchema = decideProjectSchema.extend({ reason: z.string().trim().min(1).max(500) });

/** 拒签: refuses the project; the reason (过度商业化…) is required and shown to residents. */
export const refuseProject = defineCommand({
  name: 'refuseProject',
  permission: 'admin',
  input: refuseProjectSchema,
  journal: registryJournal,
  plan: (doc, v) => {
    const current = inStage(doc, v.id, 'refuse');
    if (!current.ok) return current;
    return setPlan(doc, v.id, 'refused', { status: 'refused', decidedOn: v.decidedOn, refusalReason: v.reason });
  },
});

export const contractProjectSchema = z.object({
  id: idSchema,
  provider: nameSchema,
  providerContact: z.string().trim().max(100).default(''),
  from: isoDateSchema,
  to: isoDateSchema,
  rent: z.number().int().min(0).max(10_000_000_000),
  fee: z.enum(FEE_KINDS),
  commitments: z.array(z.string().trim().min(1).max(500)).min(1).max(30),
  signedOn: isoDateSchema,
});

/** Signs the contract made from the template, with its service commitments (the office: `admin`). */
export const contractProject = defineCommand({
  name: 'contractProject',
  permission: 'admin',
  input: contractProjectSchema,
  journal: registryJournal,
  plan: (doc, { id, ...contract }) => {
    const current = inStage(doc, id, 'contract');
    if (!current.ok) return current;
    if (contract.to < contract.from) return refuse('invalid', 'to', { rule: RULE.endBeforeStart });
    return setPlan(doc, id, 'contracted', { status: 'contracted', contract });
  },
});

export const projectLedgerSchema = z.object({
  id: idSchema,
  kind: z.enum(['income', 'spending']),
  amount: amountSchema,
  date: isoDateSchema,
  note: nameSchema,
});

/** An entry of the project's own ledger: rent or other income, or spending. */
export const addProjectLedger = defineCommand({
  name: 'addProjectLedger',
  permission: 'resources.edit',
  input: projectLedgerSchema,
  journal: registryJournal,
  plan: (doc, { id, ...v }, ctx) => {
    const current = inStage(doc, id, 'ledger');
    if (!current.ok) return current;
    const entryId = ctx.newId();
    return plan(entryId, (audit, at) => {
      const entry: ProjectLedgerEntry = { id: entryId, ...v, at, by: ctx.actor.userName };
      setFields(doc, 'projects', id, { [`ledger.${entryId}`]: entry });
      audit({ action: 'update', collection: 'projects', recordId: id, fields: { ledger: entry } });
    });
  },
});

export const rateProjectSchema = z.object({
  id: idSchema,
  residentId: idSchema,
  score: z.number().int().min(1).max(5),
  note: textSchema.default(''),
});

/** A resident's rating of the project (1-5): one per resident, the last replacing the earlier. */
export const rateProject = defineCommand({
  name: 'rateProject',
  permission: 'resources.edit',
  input: rateProjectSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const current = inStage(doc, v.id, 'rate');
    if (!current.ok) return current;
    const bad = checkResident(doc, v.residentId);
    if (bad) return bad;
    return plan(v.score, (audit, at) => {
      const rating: ProjectRating = {
        residentId: v.residentId,
        score: v.score,
        note: v.note,
        at,
        by: ctx.actor.userName,
      };
      setFields(doc, 'projects', v.id, { [`rating.${v.residentId}`]: rating });
      audit({ action: 'update', collection: 'projects', recordId: v.id, fields: { rating } });
    });
  },
});

/**
 * Closes a contracted project (结项) on `closedOn` (today in China when left out): ratings and the ledger stay open
 * for late entries. The day is kept so that a figure as of an earlier day still counts it as contracted.
 */
export const closeProject = defineCommand({
  name: 'closeProject',
  permission: 'resources.edit',
  input: z.object({ id: idSchema, closedOn: isoDateSchema.optional() }),
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const current = inStage(doc, v.id, 'close');
    if (!current.ok) return current;
    const closedOn = v.closedOn ?? chinaDate(ctx.now());
    const signedOn = current.value.contract?.signedOn;
    if (signedOn !== undefined && closedOn < signedOn)
      return refuse('invalid', 'closedOn', { rule: RULE.endBeforeStart });
    return setPlan(doc, v.id, 'closed', { status: 'closed', closedOn });
  },
});

/** What a project's stage as of a day is read from (a project record, or the dashboard's row of one). */
export interface ProjectDays {
  readonly status: string;
  readonly publishedOn: string;
  readonly decidedOn: string | null;
  /** The contract's day signed; null without a contract. */
  readonly signedOn: string | null;
  /** The day closed; null when not closed, or closed before the day was kept. */
  readonly closedOn: string | null;
  /** The China day of the record's last change: stands in for a closing day that was not kept. */
  readonly updatedOn: string | null;
}

/**
 * A project's stage as it stood at the end of `day` (docs/resources-model.md, "projects"), from the days its steps
 * were taken: null before it was published. A step whose day is not kept (a contract or a closing written by an
 * earlier version, or by hand) is dated by the latest day known before it (the decision, the last change), so it is
 * never counted before a step it follows.
 */
export function projectStageAsOf(p: ProjectDays, day: string): ProjectStatus | null {
  if (p.publishedOn === '' || p.publishedOn > day) return null;
  const decided = p.decidedOn ?? p.publishedOn;
  const status = p.status;
  if (status === 'published') return 'published';
  if (status === 'approved' || status === 'refused') return decided <= day ? status : 'published';
  if (status !== 'contracted' && status !== 'closed') return null;
  const signed = p.signedOn ?? decided;
  const closed = status === 'closed' ? (p.closedOn ?? p.updatedOn ?? signed) : null;
  if (closed !== null && closed <= day) return 'closed';
  if (signed <= day) return 'contracted';
  return decided <= day ? 'approved' : 'published';
}

/** Every project, newest need first. */
export function sortProjects(projects: readonly Project[]): Project[] {
  return [...projects].sort((a, b) =>
    a.publishedOn !== b.publishedOn ? (a.publishedOn > b.publishedOn ? -1 : 1) : a.id < b.id ? -1 : 1,
  );
}
