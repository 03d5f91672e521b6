/**
 * How the task screens word what the domain says: states, cards, due dates in working days, timeline events. Rules
 * stay in the domain (clockOf, openCards); this file only chooses words and colours.
 */
import type { WorkingCalendar } from '@shared/domain/calendar';
import { workdaysBetween } from '@shared/domain/calendar';
import { clockOf, openCards, type TaskState } from '@shared/domain/tasks/state';
import type { Card, CardLevel, TaskEvent, TaskStatus } from '@shared/domain/tasks/types';
import type { MessageKey, Translate } from '../../i18n';

export const STATUS_COLORS: Readonly<Record<TaskStatus, string>> = {
  published: 'gray',
  claimed: 'blue',
  closing: 'violet',
  closed: 'green',
  archived: 'dark',
};

export const CARD_COLORS: Readonly<Record<CardLevel, string>> = { normal: 'blue', yellow: 'yellow', red: 'red' };

const LEVEL_RANK: Readonly<Record<CardLevel, number>> = { normal: 1, yellow: 2, red: 3 };

/** The highest level among the cards still open (neither answered nor cancelled), or null. */
export function openCardLevel(state: TaskState): CardLevel | null {
  let best: CardLevel | null = null;
  for (const card of openCards(state))
    if (best === null || LEVEL_RANK[card.level] > LEVEL_RANK[best]) best = card.level;
  return best;
}

export type DueWord =
  | { readonly kind: 'left'; readonly days: number }
  | { readonly kind: 'today' }
  | { readonly kind: 'over'; readonly days: number }
  | { readonly kind: 'paused' }
  | { readonly kind: 'closed'; readonly date: string }
  | { readonly kind: 'waiting' };

/**
 * Where an instance stands against its completion limit on `today`, in working days: left, due today, over, the clock
 * stopped for an extension request, closed (on the day verified), or waiting for verification (judged by the request
 * day, never overdue).
 */
export function dueWord(state: TaskState, today: string, calendar: WorkingCalendar): DueWord {
  if (state.closure !== null) return { kind: 'closed', date: state.closure.verifiedOn };
  if (state.status === 'closing') return { kind: 'waiting' };
  if (state.pendingExtension !== null) return { kind: 'paused' };
  const due = state.deadlines.completionDue.date;
  if (due === today) return { kind: 'today' };
  if (due > today) return { kind: 'left', days: workdaysBetween(calendar, today, due).days };
  return { kind: 'over', days: Math.max(1, workdaysBetween(calendar, due, today).days) };
}

export function dueText(t: Translate, word: DueWord): string {
  switch (word.kind) {
    case 'left':
      return t('task.due.left', { days: word.days });
    case 'today':
      return t('task.due.today');
    case 'over':
      return t('task.due.over', { days: word.days });
    case 'paused':
      return t('task.due.paused');
    case 'closed':
      return t('task.due.closed', { date: word.date });
    case 'waiting':
      return t('task.status.closing');
  }
}

/** Whether the instance is overdue today (the domain's clock). */
export function isOverdue(state: TaskState, today: string): boolean {
  return clockOf(state, today).overdue;
}

const REASON_CODES: Readonly<Record<string, MessageKey>> = {
  'claim-due': 'task.cardReason.claim-due',
  'warning-on': 'task.cardReason.warning-on',
  'completion-due': 'task.cardReason.completion-due',
};

/** A card's reason: a rule card carries a code with its date (`warning-on:2026-10-10`), a hand card the issuer's words. */
export function cardReason(t: Translate, card: Pick<Card, 'reason' | 'rule'>): string {
  if (card.rule !== null) {
    const [code, date] = card.reason.split(':');
    const key = code === undefined ? undefined : REASON_CODES[code];
    if (key !== undefined && date !== undefined) return t(key, { date });
  }
  return card.reason;
}

/** One line of the timeline: what happened, in words. */
export function eventText(t: Translate, e: TaskEvent): string {
  switch (e.type) {
    case 'published':
      return t('task.event.published', { due: e.deadlines.completionDue.date });
    case 'claimed':
      return t(e.late ? 'task.event.claimedLate' : 'task.event.claimed', { owner: e.owner.name });
    case 'reported': {
      const base = t('task.event.reported', { note: e.note });
      const progress = e.progress === null ? '' : ` · ${t('task.page.progress', { progress: e.progress })}`;
      const files =
        e.attachments.length > 0 ? ` · ${t('task.event.attachments', { count: e.attachments.length })}` : '';
      return `${base}${progress}${files}`;
    }
    case 'close-requested':
      return t('task.event.close-requested', { closure: t(`task.closure.${e.closure}`), reason: e.reason });
    case 'verified':
      return t('task.event.verified');
    case 'returned':
      return t('task.event.returned', { reason: e.reason });
    case 'archived':
      return t('task.event.archived');
    case 'extension-requested':
      return t('task.event.extension-requested', { days: e.days, reason: e.reason });
    case 'extension-decided':
      return t('task.event.extension-decided', { granted: e.granted, reason: e.reason });
    case 'reassigned':
      return t('task.event.reassigned', { to: e.to.name, reason: e.reason });
    case 'deadlines':
      return t('task.event.deadlines', { due: e.deadlines.completionDue.date });
    case 'card-raised':
      return (
        t('task.event.card-raised', { level: t(`task.card.${e.level}`), reason: cardReason(t, e) }) +
        (e.rule === null ? '' : t('task.event.byRule'))
      );
    case 'card-replied':
      return t('task.event.card-replied', { reply: e.reply });
    case 'card-cancelled':
      return t('task.event.card-cancelled', { reason: e.reason });
  }
}
