/**
 * From an import plan to the publishing work (docs/tasks-model.md, "templates and instances"): each new or changed
 * template is published to the community for its periods of the chosen year that have not ended yet (a standing
 * monthly task imported in September gets September to December; a round ahead of its period counts from the
 * period's first day). Unchanged rows publish nothing. The commands run one by one, the screen shown between them.
 */
import { periodRange, periodsOf } from '@shared/domain/tasks/periods';
import type { TaskImportPlan } from '@shared/domain/tasks/import';
import type { TaskTemplate } from '@shared/domain/tasks/types';

export interface PublishItem {
  readonly rowNumber: number;
  readonly action: 'create' | 'update';
  readonly template: TaskTemplate;
  readonly periods: readonly string[];
}

/** The periods of `year` a template is published for on `today`: those not ended by then. */
export function periodsToPublish(template: TaskTemplate, year: number, today: string): string[] {
  return periodsOf(template.schedule, year).filter((p) => (periodRange(p)?.to ?? '') >= today);
}

/** The rows to publish, in sheet order: new and updated templates with at least one period left in the year. */
export function publishItems(plan: TaskImportPlan, year: number, today: string): PublishItem[] {
  const items: PublishItem[] = [];
  for (const row of plan.rows) {
    if (row.template === undefined || (row.action !== 'create' && row.action !== 'update')) continue;
    const periods = periodsToPublish(row.template, year, today);
    if (periods.length > 0)
      items.push({ rowNumber: row.rowNumber, action: row.action, template: row.template, periods });
  }
  return items;
}

export interface PublishOutcome {
  /** Rows published, by action, and instances created. */
  readonly created: number;
  readonly updated: number;
  readonly instances: number;
  /** The first refusal, with its row; the rows after it are not published. */
  readonly refused: { readonly rowNumber: number; readonly error: unknown } | null;
}

/**
 * Publishes the items one by one through `publish` (a kernel command: it returns the ids created, or a refusal),
 * reporting progress after each and yielding to the screen every `batch` items, so a list of hundreds of rows shows
 * its progress. Stops at the first refusal (a refusal is for every row alike: permission, the community).
 */
export async function publishAll(
  items: readonly PublishItem[],
  publish: (item: PublishItem) => Promise<{ ok: true; value: readonly string[] } | { ok: false; error: unknown }>,
  onProgress: (done: number, total: number) => void,
  batch = 10,
): Promise<PublishOutcome> {
  let created = 0;
  let updated = 0;
  let instances = 0;
  for (const [i, item] of items.entries()) {
    const result = await publish(item);
    if (!result.ok) return { created, updated, instances, refused: { rowNumber: item.rowNumber, error: result.error } };
    if (item.action === 'create') created++;
    else updated++;
    instances += result.value.length;
    onProgress(i + 1, items.length);
    if ((i + 1) % batch === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { created, updated, instances, refused: null };
}
