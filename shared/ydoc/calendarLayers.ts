/**
 * Where a community keeps the working-day calendar layers it works by (docs/tasks-model.md, "working-day calendar",
 * *stored*): in its registry document's `meta` map, one key per revision of a layer,
 * `calendar:<scope>:<orgId>:<revision>:<id>`, whose value is the whole layer (`calendarLayerSchema`, plain JSON).
 *
 * Why one key per revision: two devices editing a layer offline each write their own revision under their own key,
 * so a merge keeps both and the reader takes the highest revision (`layersFor`), ties broken by the key; the meta map
 * reaches every device of the community and, masked as any meta value, its viewers. A revision is written once and
 * never changed; readers leave out, without throwing, a key or value that does not fit (a hostile or newer writer).
 */
import type * as Y from 'yjs';
import { calendarLayerSchema, type CalendarLayer } from '../domain/calendar/types';
import { metaMap } from './registry';

export const CALENDAR_KEY_PREFIX = 'calendar:';

/** The key of one revision of a layer. */
export function calendarLayerKey(layer: Pick<CalendarLayer, 'scope' | 'orgId' | 'revision'>, id: string): string {
  return `${CALENDAR_KEY_PREFIX}${layer.scope}:${layer.orgId}:${layer.revision}:${id}`;
}

/** Every well-formed stored revision of every layer, in key order (so that ties between revisions fall the same way). */
export function readCalendarLayers(doc: Y.Doc): CalendarLayer[] {
  const layers: { key: string; layer: CalendarLayer }[] = [];
  for (const [key, value] of metaMap(doc).entries()) {
    if (!key.startsWith(CALENDAR_KEY_PREFIX)) continue;
    const parsed = calendarLayerSchema.safeParse(value);
    if (!parsed.success) continue;
    const layer = parsed.data;
    // A value stored under another layer's key is not that layer's revision.
    if (!key.startsWith(`${CALENDAR_KEY_PREFIX}${layer.scope}:${layer.orgId}:${layer.revision}:`)) continue;
    layers.push({ key, layer });
  }
  return layers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((l) => l.layer);
}

/** Write: stores one revision of a layer under its own key. */
export function writeCalendarLayer(doc: Y.Doc, layer: CalendarLayer, id: string): void {
  metaMap(doc).set(calendarLayerKey(layer, id), layer);
}
