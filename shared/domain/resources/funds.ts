/**
 * The three funds (三项资金, docs/resources-model.md "funds"): the party-building fund (党建经费, 以奖代补 awards), the
 * community development fund (社区发展资金, money earmarked for tasks handed down) and the party-member care fund
 * (党员关爱基金, 慰问 of members).
 *
 * Rules:
 * - every entry is kept in the registry's `fundEntries`, all years together: a balance never depends on which yearly
 *   documents a device holds;
 * - an entry is never edited nor deleted: a correction is a **reversing entry** (冲正) of the opposite kind naming the
 *   one it reverses, once;
 * - a spending above the fund's balance is refused on the device; two offline spendings that each fitted can together
 *   overdraw after the merge: `fundWarnings` says so (never a silent negative);
 * - a care payment names the member (a resident tagged party member) and the reason.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { defineCommand, plan, refuse, type AuditStamp } from '../kernel';
import { listCreatedRecords, readRecord } from '../../ydoc/registry';
import {
  appendResourceAudit,
  fundFileRef,
  MAX_FUND_FILE_CHARS,
  putFundFile,
  type ResourceAuditNote,
} from '../../ydoc/resources';
import { insertPlan, registryJournal } from '../registry/journal';
import { RULE } from './rules';
import {
  amountSchema,
  FUNDS,
  idSchema,
  isoDateSchema,
  nameSchema,
  textSchema,
  type Fund,
  type FundEntry,
} from './types';

/**
 * Entries that fit the shape (anything a device wrote that does not is left out), each as created: an entry is never
 * edited, so a field written later under the entry's own key (an amount shadowed by a hostile or buggy device) is not
 * read (docs/resources-model.md).
 */
export function listFundEntries(doc: Y.Doc): FundEntry[] {
  return sortEntries(
    listCreatedRecords(doc, 'fundEntries').filter(
      (e) =>
        (FUNDS as readonly string[]).includes(e.fund) &&
        ['income', 'spending'].includes(e.kind) &&
        Number.isInteger(e.amount) &&
        e.amount > 0 &&
        typeof e.date === 'string',
    ),
  );
}

/** By date, then by when written. */
export function sortEntries(entries: readonly FundEntry[]): FundEntry[] {
  return [...entries].sort((a, b) =>
    a.date !== b.date
      ? a.date < b.date
        ? -1
        : 1
      : a.createdAt !== b.createdAt
        ? a.createdAt < b.createdAt
          ? -1
          : 1
        : a.id < b.id
          ? -1
          : 1,
  );
}

/** A fund's balance in fen: income less spending (reversals included, each in its own kind). */
export function fundBalance(entries: readonly FundEntry[], fund: Fund): number {
  let balance = 0;
  for (const e of entries) if (e.fund === fund) balance += e.kind === 'income' ? e.amount : -e.amount;
  return balance;
}

export type FundWarning =
  | { readonly kind: 'overdrawn'; readonly fund: Fund; readonly balance: number }
  | { readonly kind: 'reversed-twice'; readonly fund: Fund; readonly entryId: string; readonly by: readonly string[] };

/**
 * What the merge of offline devices may have made that the commands refuse on one device: a fund below zero (two
 * spendings that each fitted), an entry reversed twice. Shown on the funds screen until someone corrects it.
 */
export function fundWarnings(entries: readonly FundEntry[]): FundWarning[] {
  const out: FundWarning[] = [];
  for (const fund of FUNDS) {
    const balance = fundBalance(entries, fund);
    if (balance < 0) out.push({ kind: 'overdrawn', fund, balance });
  }
  const reversals = new Map<string, FundEntry[]>();
  for (const e of entries) if (e.reverses) reversals.set(e.reverses, [...(reversals.get(e.reverses) ?? []), e]);
  for (const [entryId, list] of reversals) {
    if (list.length > 1)
      out.push({ kind: 'reversed-twice', fund: (list[0] as FundEntry).fund, entryId, by: list.map((e) => e.id) });
  }
  return out;
}

/** The ids of entries that have been reversed. */
export function reversedIds(entries: readonly FundEntry[]): Set<string> {
  return new Set(entries.flatMap((e) => (e.reverses ? [e.reverses] : [])));
}

export interface FundReport {
  readonly fund: Fund;
  readonly year: number;
  readonly opening: number;
  readonly income: number;
  /** Income by category, reversals of an income taken off its category. */
  readonly incomeByCategory: ReadonlyMap<string, number>;
  readonly spending: number;
  readonly spendingByCategory: ReadonlyMap<string, number>;
  readonly closing: number;
  /** The year's entries, by date. */
  readonly entries: readonly FundEntry[];
}

/**
 * The yearly report of one fund: the opening balance (every entry dated before the year), the income and the spending
 * of the year by category, and the closing balance. A reversing entry is counted against the kind and category of the
 * entry it reverses, so a corrected mistake leaves the category as if it had not been made.
 */
export function fundReport(all: readonly FundEntry[], fund: Fund, year: number): FundReport {
  const entries = all.filter((e) => e.fund === fund);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  let opening = 0;
  const incomeByCategory = new Map<string, number>();
  const spendingByCategory = new Map<string, number>();
  const inYear: FundEntry[] = [];
  for (const e of entries) {
    const signed = e.kind === 'income' ? e.amount : -e.amount;
    if (e.date < from) {
      opening += signed;
      continue;
    }
    if (e.date > to) continue;
    inYear.push(e);
    const original = e.reverses ? byId.get(e.reverses) : undefined;
    const kind = original ? original.kind : e.kind;
    const category = original ? original.category : e.category;
    // A reversal moves money the other way: it takes its amount off the original's kind.
    const amount = original ? -e.amount : e.amount;
    const target = kind === 'income' ? incomeByCategory : spendingByCategory;
    target.set(category, (target.get(category) ?? 0) + amount);
  }
  const income = [...incomeByCategory.values()].reduce((a, b) => a + b, 0);
  const spending = [...spendingByCategory.values()].reduce((a, b) => a + b, 0);
  return {
    fund,
    year,
    opening,
    income,
    incomeByCategory,
    spending,
    spendingByCategory,
    closing: opening + income - spending,
    entries: sortEntries(inYear),
  };
}

// --- commands --------------------------------------------------------------------------------------------------

export const fundEntrySchema = z.object({
  fund: z.enum(FUNDS),
  kind: z.enum(['income', 'spending']),
  amount: amountSchema,
  date: isoDateSchema,
  category: z.string().trim().min(1).max(50),
  note: textSchema.default(''),
  taskId: idSchema.nullable().default(null),
  taskYear: z.number().int().min(2000).max(2100).nullable().default(null),
  memberId: idSchema.nullable().default(null),
  reason: textSchema.default(''),
  receipts: z.array(z.string().min(1).max(300)).max(20).default([]),
});

/**
 * Records an income or a spending of a fund. A spending above the fund's balance is refused; a care payment (慰问)
 * names a party member of the registry and the reason.
 */
export const recordFundEntry = defineCommand({
  name: 'recordFundEntry',
  permission: 'resources.edit',
  input: fundEntrySchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    if (v.fund === 'care' && v.kind === 'spending') {
      if (v.memberId === null) return refuse('required', 'memberId');
      const member = readRecord(doc, 'residents', v.memberId);
      if (member === null || member.deletedAt) return refuse('invalid', 'memberId', { rule: RULE.notResident });
      if (!member.tags.includes('party-member')) return refuse('invalid', 'memberId', { rule: RULE.notPartyMember });
      if (v.reason === '') return refuse('required', 'reason');
    }
    if (v.kind === 'spending') {
      const balance = fundBalance(listFundEntries(doc), v.fund);
      if (v.amount > balance) return refuse('invalid', 'amount', { rule: RULE.overBalance, balance });
    }
    return insertPlan(doc, 'fundEntries', ctx.newId(), {
      ...v,
      reverses: null,
      createdBy: ctx.actor.userName,
    });
  },
});

export const reverseFundEntrySchema = z.object({ id: idSchema, date: isoDateSchema, reason: nameSchema });

/**
 * 冲正: corrects an entry by a new one of the opposite kind and the same amount naming it (the entry itself is never
 * changed). Once per entry; a reversing entry is not reversed (the right entry is recorded again instead). Reversing
 * an income that was spent already is refused like any spending above the balance. The office's (`admin`).
 */
export const reverseFundEntry = defineCommand({
  name: 'reverseFundEntry',
  permission: 'admin',
  input: reverseFundEntrySchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const entries = listFundEntries(doc);
    const original = entries.find((e) => e.id === v.id);
    if (original === undefined) return refuse('not-found', 'id');
    if (original.reverses) return refuse('invalid', 'id', { rule: RULE.reverseReversal });
    if (reversedIds(entries).has(original.id)) return refuse('invalid', 'id', { rule: RULE.alreadyReversed });
    const kind = original.kind === 'income' ? 'spending' : 'income';
    if (kind === 'spending') {
      const balance = fundBalance(entries, original.fund);
      if (original.amount > balance) return refuse('invalid', 'id', { rule: RULE.overBalance, balance });
    }
    return insertPlan(doc, 'fundEntries', ctx.newId(), {
      fund: original.fund,
      kind,
      amount: original.amount,
      date: v.date,
      category: original.category,
      note: '',
      taskId: original.taskId,
      taskYear: original.taskYear,
      memberId: original.memberId,
      reason: v.reason,
      receipts: [],
      reverses: original.id,
      createdBy: ctx.actor.userName,
    });
  },
});

export const fundFileSchema = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.string().trim().min(1).max(100),
  data: z.string().startsWith('data:').max(MAX_FUND_FILE_CHARS),
});

/**
 * Stores a receipt (photo) in the activities document of the entry's year, before the entry is recorded; returns its
 * reference (`file:<id>`) for the entry's `receipts`.
 */
export const storeFundFile = defineCommand({
  name: 'storeFundFile',
  permission: 'resources.edit',
  input: fundFileSchema,
  journal: (doc: Y.Doc, entries: readonly (AuditStamp & ResourceAuditNote)[]) => appendResourceAudit(doc, entries),
  plan: (doc, v, ctx) => {
    const id = ctx.newId();
    const ref = fundFileRef(id);
    return plan(ref, (audit, at) => {
      putFundFile(doc, { id, ...v, addedAt: at, addedBy: ctx.actor.userName });
      audit({ action: 'storeFundFile', recordId: id, fields: { name: v.name, type: v.type } });
    });
  },
});
