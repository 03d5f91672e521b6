/**
 * Yjs layout of a residents'-services document (docs/services-model.md): one community, one year (the year an
 * application was accepted).
 *
 * | top-level name | Yjs type                          | holds                                                       |
 * | -------------- | --------------------------------- | ----------------------------------------------------------- |
 * | `items`        | `Y.Map<id, ServiceItem>`          | the catalogue as the office keeps it this year (plain JSON)  |
 * | `applications` | `Y.Map<id, ApplicationBase>`      | each application as accepted: set once, never changed        |
 * | `steps`        | `Y.Array<StoredApplicationStep>`  | every step of every application, in arrival order; append-only |
 * | `audit`        | `Y.Array<ServiceAuditEntry>`      | one entry per command write, appended in the same transaction |
 *
 * The same shape as the tasks and grid-events documents, for the same reasons (shared/ydoc/tasks.ts). Readers leave out
 * what no command writes. Only shared/domain/services/commands.ts writes through the helpers marked "write".
 */
import type * as Y from 'yjs';
import { checker } from './checker';
import { applicationState, type ApplicationState } from '../domain/services/state';
import {
  applicationBaseSchema,
  applicationStepSchema,
  serviceItemSchema,
  type ApplicationBase,
  type ApplicationStep,
  type ServiceItem,
} from '../domain/services/types';

export type StoredApplicationStep = ApplicationStep & { readonly applicationId: string };

export interface ServiceAuditNote {
  readonly action: string;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface ServiceAuditEntry extends ServiceAuditNote {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

const itemsMap = (doc: Y.Doc) => doc.getMap<ServiceItem>('items');
const applicationsMap = (doc: Y.Doc) => doc.getMap<ApplicationBase>('applications');
const stepsArray = (doc: Y.Doc) => doc.getArray<StoredApplicationStep>('steps');
const auditArray = (doc: Y.Doc) => doc.getArray<ServiceAuditEntry>('audit');

const isItem = checker<ServiceItem>(serviceItemSchema);
const isBase = checker<ApplicationBase>(applicationBaseSchema);
const isStep = checker<StoredApplicationStep>(
  applicationStepSchema,
  (e) => typeof e.applicationId === 'string' && e.applicationId.length <= 80,
);

// --- read ----------------------------------------------------------------------------------------------------------

export function readServiceItem(doc: Y.Doc, id: string): ServiceItem | null {
  const item: unknown = itemsMap(doc).get(id);
  return isItem(item) && item.id === id ? item : null;
}

/** The catalogue, by name (withdrawn items included: screens filter them). */
export function listServiceItems(doc: Y.Doc): ServiceItem[] {
  return [...itemsMap(doc).values()].filter(isItem).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

function stepsByApplication(doc: Y.Doc): Map<string, StoredApplicationStep[]> {
  const out = new Map<string, StoredApplicationStep[]>();
  for (const step of stepsArray(doc).toArray() as unknown[]) {
    if (!isStep(step)) continue;
    const list = out.get(step.applicationId);
    if (list === undefined) out.set(step.applicationId, [step]);
    else list.push(step);
  }
  return out;
}

export function readApplication(doc: Y.Doc, id: string): ApplicationState | null {
  const base: unknown = applicationsMap(doc).get(id);
  if (!isBase(base) || base.id !== id) return null;
  return applicationState(base, stepsByApplication(doc).get(id) ?? []);
}

/** Every application, newest first. */
export function listApplications(doc: Y.Doc): ApplicationState[] {
  const steps = stepsByApplication(doc);
  const out: ApplicationState[] = [];
  applicationsMap(doc).forEach((base: unknown, id) => {
    if (isBase(base) && base.id === id) out.push(applicationState(base, steps.get(id) ?? []));
  });
  return out.sort((a, b) =>
    a.base.acceptedOn !== b.base.acceptedOn
      ? a.base.acceptedOn > b.base.acceptedOn
        ? -1
        : 1
      : a.base.id < b.base.id
        ? -1
        : 1,
  );
}

export function readServiceAudit(doc: Y.Doc): ServiceAuditEntry[] {
  return auditArray(doc).toArray();
}

// --- write (shared/domain/services/commands.ts only; call inside a transaction) -------------------------------------

/** Write: stores a catalogue item (replaces the earlier version of the same id). */
export function putServiceItem(doc: Y.Doc, item: ServiceItem): void {
  itemsMap(doc).set(item.id, item);
}

/** Write: records an application (once). */
export function insertApplication(doc: Y.Doc, base: ApplicationBase): boolean {
  const map = applicationsMap(doc);
  if (map.has(base.id)) return false;
  map.set(base.id, base);
  return true;
}

/** Write: appends steps. */
export function appendApplicationSteps(doc: Y.Doc, steps: readonly StoredApplicationStep[]): void {
  if (steps.length > 0) stepsArray(doc).push([...steps]);
}

/** Write: appends audit entries. */
export function appendServiceAudit(doc: Y.Doc, entries: readonly ServiceAuditEntry[]): void {
  auditArray(doc).push([...entries]);
}
