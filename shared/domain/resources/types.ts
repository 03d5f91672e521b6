/**
 * Community resources kept in the community's registry (long-lived): venues (阵地), projects (项目化) and the entries of
 * the three funds' ledgers (三项资金: kept whole, so that a balance never depends on which years a device holds).
 * Bookings and attendance live in the yearly `activities` document (shared/ydoc/resources.ts). Rules:
 * docs/resources-model.md.
 *
 * Money is kept in 分 (integer fen), never in floating yuan, so that sums are exact.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates';

const MAX_NAME = 100;
const MAX_TEXT = 1000;

export const isoDateSchema = z.string().refine(isIsoDate);
/** `HH:MM`, 00:00-23:59 (a booking's start); an end may be 24:00. */
export const timeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
export const nameSchema = z.string().trim().min(1).max(MAX_NAME);
export const textSchema = z.string().trim().max(MAX_TEXT);
export const idSchema = z.string().min(1).max(200);
/** An amount in fen: positive, at most 100 million yuan. */
export const amountSchema = z.number().int().positive().max(10_000_000_000);

// --- venues ---------------------------------------------------------------------------------------------------------

/** A room's opening hours: one daily span, `HH:MM` to `HH:MM`, the same every day (docs/resources-model.md). */
export interface OpenHours {
  readonly start: string;
  readonly end: string;
}

/** The hours of a room that keeps none (every room made before opening hours existed): 08:00 to 20:00. */
export const DEFAULT_OPEN_HOURS: OpenHours = { start: '08:00', end: '20:00' };

/** A room or place of the community's venue (阵地). */
export interface Venue {
  readonly id: string;
  readonly name: string;
  /** People it holds (座位数). */
  readonly capacity: number;
  /** Equipment (投影仪, 音响, 桌椅…), one entry each. */
  readonly equipment: readonly string[];
  readonly note: string;
  /** When it is open; absent on a room made before opening hours existed (then `DEFAULT_OPEN_HOURS`). */
  readonly openHours?: OpenHours;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const FEE_KINDS = ['paid', 'low-cost', 'free'] as const;
/** 收费 / 低偿 / 无偿. */
export type FeeKind = (typeof FEE_KINDS)[number];

/** A weekly pattern: the days of the week (1 = Monday … 7 = Sunday) from the booking's date to `until`. */
export interface Repeat {
  readonly weekdays: readonly number[];
  readonly until: string;
}

/**
 * A booking of a venue: one occasion (`repeat` null) or a regular service (四点半课堂, 日间照料) held every week on the
 * given days from `date` to `repeat.until` (within the year of its document). Kept whole in the `bookings` map of the
 * activities document of `date`'s year; a move replaces it, a cancellation marks it. A regular service that crosses a
 * year end is one booking per year, each in its year's document, sharing `series` (docs/resources-model.md, "venues").
 */
export interface Booking {
  readonly id: string;
  readonly venueId: string;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly repeat: Repeat | null;
  readonly purpose: string;
  /** Who organises it (a unit, a social organisation, a resident's name as written). */
  readonly organiser: string;
  /** The regular service's provider (服务机构); empty for a single booking. */
  readonly provider: string;
  /** The resident who organises it, when one of the registry. */
  readonly residentId: string | null;
  readonly fee: FeeKind;
  readonly expected: number;
  readonly status: 'active' | 'cancelled';
  readonly cancelReason: string;
  /**
   * The series this booking is a part of (a regular service across a year end, one part per year), or absent/null
   * for a booking of its own (written before series existed, or within one year).
   */
  readonly series?: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}

/** The attendance counted at one occasion of a booking (`date`: the day, for a regular service). */
export interface Attendance {
  readonly bookingId: string;
  readonly date: string;
  readonly count: number;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

// --- projects -------------------------------------------------------------------------------------------------------

export const PROJECT_STATUSES = ['published', 'approved', 'refused', 'contracted', 'closed'] as const;
/** 征求意见中 (the need published) / 已通过 / 已拒签 / 已签约 / 已结项. */
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const VOTE_CHOICES = ['agree', 'disagree', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** The contract made from the template (服务承诺 included). */
export interface ProjectContract {
  readonly provider: string;
  readonly providerContact: string;
  readonly from: string;
  readonly to: string;
  /** Rent the provider pays the community for the venue, per year, in fen (0: none). */
  readonly rent: number;
  readonly fee: FeeKind;
  readonly commitments: readonly string[];
  readonly signedOn: string;
}

/**
 * A project (项目化): a need published, consulted (comments and votes of residents), approved or refused (拒签 with a
 * reason), contracted, accounted (rent income and spending) and rated by residents.
 *
 * What several people add at the same time is kept one key per entry in the record's map (`comment.<id>`,
 * `vote.<residentId>`, `ledger.<id>`, `rating.<residentId>`: see `projectEntries`), so two devices' comments both
 * survive a merge and a resident's later vote replaces the earlier one.
 */
export interface Project {
  readonly id: string;
  readonly title: string;
  /** The need as published (需求). */
  readonly need: string;
  readonly publishedOn: string;
  readonly venueId: string | null;
  readonly status: ProjectStatus;
  readonly decidedOn: string | null;
  readonly refusalReason: string;
  readonly contract: ProjectContract | null;
  /** The day it was closed (结项); absent on a project closed before the day was kept. */
  readonly closedOn?: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ProjectComment {
  readonly id: string;
  readonly residentId: string;
  readonly text: string;
  readonly at: string;
  readonly by: string;
}

export interface ProjectVote {
  readonly residentId: string;
  readonly choice: VoteChoice;
  readonly at: string;
  readonly by: string;
}

export interface ProjectLedgerEntry {
  readonly id: string;
  readonly kind: 'income' | 'spending';
  readonly amount: number;
  readonly date: string;
  readonly note: string;
  readonly at: string;
  readonly by: string;
}

export interface ProjectRating {
  readonly residentId: string;
  readonly score: number;
  readonly note: string;
  readonly at: string;
  readonly by: string;
}

// --- funds ----------------------------------------------------------------------------------------------------------

export const FUNDS = ['party', 'development', 'care'] as const;
/** 党建经费 (以奖代补) / 社区发展资金 / 党员关爱基金. */
export type Fund = (typeof FUNDS)[number];

/** Spending categories of the yearly report, per fund (free text stays possible through `other`). */
export const FUND_CATEGORIES = {
  party: ['activity', 'training', 'venue', 'award', 'other'],
  development: ['task', 'environment', 'service', 'other'],
  care: ['visit', 'hardship', 'illness', 'other'],
} as const satisfies Record<Fund, readonly string[]>;
export type FundCategory = (typeof FUND_CATEGORIES)[Fund][number];

export const INCOME_CATEGORIES = ['allocation', 'award', 'donation', 'other'] as const;

/**
 * One entry of a fund's ledger: never edited nor deleted; a correction is a new entry of the opposite kind naming the
 * one it reverses (`reverses`).
 */
export interface FundEntry {
  readonly id: string;
  readonly fund: Fund;
  readonly kind: 'income' | 'spending';
  /** In fen. */
  readonly amount: number;
  readonly date: string;
  readonly category: string;
  readonly note: string;
  /** 以奖代补: the award or the activity it rewards; development fund: the task it is earmarked for. */
  readonly taskId: string | null;
  readonly taskYear: number | null;
  /** Care fund (慰问): the party member, a resident of the registry. */
  readonly memberId: string | null;
  readonly reason: string;
  /** Receipts: `file:<id>` in the `fundFiles` map of the activities document of `date`'s year. */
  readonly receipts: readonly string[];
  /** The entry this one reverses (冲正). */
  readonly reverses: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}
