/**
 * An office's own time limits for grid events (docs/incidents-model.md, "an office's own limits"), kept in the
 * community's registry document like its working-day calendar (shared/ydoc/calendarLayers.ts): in the `meta` map, one
 * key per version, `incidentLimits:<effectiveFrom>:<revision>:<id>`, whose value is the whole version
 * (`limitsVersionSchema`, plain JSON). A version is written once and never changed; two devices editing offline each
 * write their own key, and for one effective day the higher revision wins (`scheduleOf`). The meta map reaches every
 * device of the community and, as any meta value, its viewers (numbers and days are not masked).
 *
 * Only an admin sets limits, and only from a day after today: a version never reaches back over a stage already
 * started, so deadlines running and figures of the past are never rewritten.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { addDays, chinaDate, isIsoDate } from '../dates';
import { defineCommand, plan, refuse } from '../kernel';
import { registryJournal } from '../registry/journal';
import { metaMap } from '../../ydoc/registry';
import {
  DEFAULT_LIMITS,
  limitsOn,
  limitsSchema,
  limitsVersionSchema,
  scheduleOf,
  type IncidentLimits,
  type LimitSet,
  type LimitsSchedule,
  type LimitsVersion,
} from './limits';

export const LIMITS_KEY_PREFIX = 'incidentLimits:';

/** The key of one version. */
export function limitsVersionKey(version: Pick<LimitsVersion, 'effectiveFrom' | 'revision'>, id: string): string {
  return `${LIMITS_KEY_PREFIX}${version.effectiveFrom}:${version.revision}:${id}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A stored version as this app reads it, or null when it does not fit (a hostile writer). A limit the writer did not
 * know yet (a stage added by a later version of the app) reads its default, so an older version stays readable.
 */
function readVersion(key: string, value: unknown): LimitsVersion | null {
  if (!isRecord(value) || !isRecord(value.limits)) return null;
  const stored = value.limits;
  const handle = isRecord(stored.handle) ? stored.handle : {};
  const parsed = limitsVersionSchema.safeParse({
    ...value,
    limits: { ...DEFAULT_LIMITS, ...stored, handle: { ...DEFAULT_LIMITS.handle, ...handle } },
  });
  if (!parsed.success) return null;
  const version = parsed.data;
  // A value stored under another version's key is not that version.
  return key.startsWith(`${LIMITS_KEY_PREFIX}${version.effectiveFrom}:${version.revision}:`) ? version : null;
}

/** Every well-formed stored version, in key order (so that ties between revisions fall the same way everywhere). */
export function readLimitVersions(doc: Y.Doc): LimitsVersion[] {
  const found: { key: string; version: LimitsVersion }[] = [];
  for (const [key, value] of metaMap(doc).entries()) {
    if (!key.startsWith(LIMITS_KEY_PREFIX)) continue;
    const version = readVersion(key, value);
    if (version !== null) found.push({ key, version });
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((f) => f.version);
}

/** The office's versions, one per effective day, in day order (none on a registry that never set any). */
export function limitsSchedule(doc: Y.Doc): LimitsSchedule {
  return scheduleOf(readLimitVersions(doc));
}

const read = new WeakMap<Y.Doc, { signature: string; limits: IncidentLimits }>();

/**
 * The limits a community's events are judged by, from its registry: the defaults while it holds no version (an old
 * registry, a new office), else its versions. The same stored versions give the same object, so a screen reading it
 * at every registry change re-renders only when the limits change.
 */
export function officeLimits(doc: Y.Doc): IncidentLimits {
  const entries: [string, unknown][] = [];
  for (const [key, value] of metaMap(doc).entries()) if (key.startsWith(LIMITS_KEY_PREFIX)) entries.push([key, value]);
  const signature = JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const known = read.get(doc);
  if (known !== undefined && known.signature === signature) return known.limits;
  const schedule = limitsSchedule(doc);
  const limits = schedule.versions.length === 0 ? DEFAULT_LIMITS : schedule;
  read.set(doc, { signature, limits });
  return limits;
}

export const setIncidentLimitsSchema = z.object({
  /** The first day the limits apply: a stage started on or after it counts with them. */
  effectiveFrom: z.string().refine(isIsoDate, { error: 'date' }),
  limits: limitsSchema,
});
export type SetIncidentLimitsInput = z.input<typeof setIncidentLimitsSchema>;

/** What an edit did: the version written, or null when the limits in force on that day were these already. */
export interface SetLimitsResult {
  readonly version: LimitsVersion | null;
  readonly key: string | null;
}

/** The last day a version may start on: the working-day arithmetic counts up to 2100 (docs/tasks-model.md). */
const LAST_DAY = '2100-12-31';

function sameLimits(a: LimitSet, b: LimitSet): boolean {
  const { handle: ha, ...ra } = a;
  const { handle: hb, ...rb } = b;
  const flat = (r: object, h: object) =>
    JSON.stringify([...Object.entries(r), ...Object.entries(h).map(([k, v]) => [`handle.${k}`, v] as const)].sort());
  return flat(ra, ha) === flat(rb, hb);
}

/**
 * Sets the office's limits from a day on (时限设置). Refused with `invalid` on `effectiveFrom` (params `{ first }`, the
 * first day allowed) when the day is today or earlier: a stage started today or before keeps the limits it started
 * with (docs/incidents-model.md, "an office's own limits"); `date.invalid` on `effectiveFrom` past 2100. Limits equal
 * to those in force on that day write nothing.
 */
export const setIncidentLimits = defineCommand({
  name: 'setIncidentLimits',
  permission: 'admin',
  input: setIncidentLimitsSchema,
  journal: registryJournal,
  plan: (doc, v, ctx) => {
    const first = addDays(chinaDate(ctx.now()), 1);
    if (v.effectiveFrom < first) return refuse('invalid', 'effectiveFrom', { first });
    if (v.effectiveFrom > LAST_DAY) return refuse('date.invalid', 'effectiveFrom');
    const versions = readLimitVersions(doc);
    const before = limitsOn(scheduleOf(versions), v.effectiveFrom);
    const unchanged: SetLimitsResult = { version: null, key: null };
    if (sameLimits(before, v.limits)) return plan(unchanged, null);
    const version: LimitsVersion = {
      effectiveFrom: v.effectiveFrom,
      revision: versions.reduce((n, x) => Math.max(n, x.revision), 0) + 1,
      limits: v.limits,
    };
    const key = limitsVersionKey(version, ctx.newId());
    const written: SetLimitsResult = { version, key };
    return plan(written, (audit) => {
      metaMap(doc).set(key, version);
      // What was in force that day beside what is now, so the audit reads as a change.
      audit({
        action: 'update',
        collection: 'meta',
        recordId: key,
        fields: { effectiveFrom: version.effectiveFrom, revision: version.revision, limits: version.limits, before },
      });
    });
  },
});
