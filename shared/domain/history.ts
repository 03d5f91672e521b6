/**
 * Histories made of appended entries (a task's events, a grid event's and a service application's steps): each entry
 * is stamped by the command that writes it, and every reader orders the merged entries the same way, so every device
 * reads the same state from the same entries (docs/tasks-model.md, docs/incidents-model.md).
 */
import { canonicalJson } from '../ydoc/cases';
import { chinaDate } from './dates';
import type { CommandContext } from './kernel';

/** What the command adds to an entry: its id, instant, China day and author. */
export interface EntryStamp {
  readonly id: string;
  readonly at: string;
  readonly on: string;
  readonly by: { readonly userId: string; readonly userName: string };
}

/** An entry type without its stamp: what a rule decides. */
export type EntryBody<E> = E extends unknown ? Omit<E, keyof EntryStamp> : never;

/** Stamps an entry with a new id, the context's clock (instant and China day) and its signed-in account. */
export function stamped<B extends object>(ctx: CommandContext, body: B): B & EntryStamp {
  const at = ctx.now().toISOString();
  return {
    ...body,
    id: ctx.newId(),
    at,
    on: chinaDate(new Date(at)),
    by: { userId: ctx.actor.userId, userName: ctx.actor.userName },
  };
}

function byTime(a: Pick<EntryStamp, 'id' | 'at'>, b: Pick<EntryStamp, 'id' | 'at'>): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The entries in time order (then by id). A copy of an entry counts once; two different entries under one id both
 * count (in arrival order, the same on every device), so an entry written under another's id cannot push that one out.
 */
export function inTimeOrder<E extends Pick<EntryStamp, 'id' | 'at'>>(entries: readonly E[]): E[] {
  const seen = new Set<string>();
  return entries
    .filter((e) => {
      // Serialising an entry is most of the cost of a fold: once per entry.
      const key = `${e.id}\u0000${canonicalJson(e)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(byTime);
}

/**
 * The entries of a folded history (applied and ignored) written on or before `day`, to fold it again as it stood at
 * the end of that day; null when nothing was written after it, so the state as it stands is that day's already.
 */
export function writtenBy<E extends Pick<EntryStamp, 'on'>>(
  state: { readonly history: readonly E[]; readonly ignored: readonly E[] },
  day: string,
): E[] | null {
  const after = (e: E) => e.on > day;
  if (!state.history.some(after) && !state.ignored.some(after)) return null;
  return [...state.history, ...state.ignored].filter((e) => !after(e));
}
