/** How the dashboard's figures read on screen and in the 通报: rates as percentages, days to a tenth. */
import type { Kpi } from '@shared/domain/dashboard/street';
import { kpiKind } from './report';

/** `0.6667` → `66.7%`; `none` when there is no rate. */
export function percentText(value: number | null, none: string): string {
  return value === null ? none : `${(value * 100).toFixed(1)}%`;
}

/** `9.6667` → `9.7`; `none` when there is nothing to average. */
export function decimalText(value: number | null, none: string): string {
  return value === null ? none : value.toFixed(1);
}

/** A KPI's value as its card shows it. */
export function kpiText(key: Kpi['key'], value: number | null, none: string): string {
  const kind = kpiKind(key);
  if (kind === 'rate') return percentText(value, none);
  if (kind === 'days') return decimalText(value, none);
  return value === null ? none : String(value);
}

/** A KPI's change on the previous period: rates in percentage points, days to a tenth, counts as they are. */
export function changeText(key: Kpi['key'], change: number | null, none: string): string {
  if (change === null) return none;
  const kind = kpiKind(key);
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const size = Math.abs(change);
  if (kind === 'rate') return `${sign}${(size * 100).toFixed(1)}`;
  if (kind === 'days') return `${sign}${size.toFixed(1)}`;
  return `${sign}${size}`;
}
