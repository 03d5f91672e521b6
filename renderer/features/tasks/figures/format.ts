/**
 * How the figures read on screen and in the 通报: rates as percentages, days to a tenth. A card's reason is worded as on
 * the task's page (`cardReason`, ../labels.ts).
 */
import type { Translate } from '../../../i18n';
import type { PeriodChoice } from './report';

/** `0.6667` → `66.7%`; `none` when there is no rate. */
export function percentText(value: number | null, none: string): string {
  return value === null ? none : `${(value * 100).toFixed(1)}%`;
}

/** `9.6667` → `9.7`; `none` when there is nothing to average. */
export function decimalText(value: number | null, none: string): string {
  return value === null ? none : value.toFixed(1);
}

/** A figure cell for a table: a count as is, a rate as a percentage, days to a tenth. */
export function figureText(value: number | null, kind: { rate?: boolean; days?: boolean }, none: string): string {
  if (kind.rate) return percentText(value, none);
  if (kind.days) return decimalText(value, none);
  return value === null ? none : String(value);
}

export function periodLabel(t: Translate, choice: PeriodChoice): string {
  return t(`taskFigures.periodLabel.${choice.kind}`, { year: choice.year, n: choice.part });
}
