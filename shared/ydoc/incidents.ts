/**
 * Yjs layout of a grid-events document (docs/incidents-model.md): the incidents of one community for one year (the
 * year it was reported), with their steps.
 *
 * | top-level name | Yjs type                       | holds                                                    |
 * | -------------- | ------------------------------ | -------------------------------------------------------- |
 * | `incidents`    | `Y.Map<id, IncidentBase>`      | each incident as reported: set once, never changed        |
 * | `steps`        | `Y.Array<StoredStep>`          | every step of every incident, in arrival order; append-only |
 * | `audit`        | `Y.Array<IncidentAuditEntry>`  | one entry per command write, appended in the same transaction |
 *
 * Why this shape: the same as the tasks document's (shared/ydoc/tasks.ts): a state read from appended steps keeps
 * what two offline devices both wrote, and one top-level array never loses an entry in a merge. Nothing is a counter.
 *
 * Reading: any device with a token may append anything, so the readers leave out, without throwing, every entry that
 * does not fit the shapes the commands write: a malformed step, a step of an incident this document does not hold.
 * Only shared/domain/incidents/commands.ts writes through the helpers marked "write".
 */
import type * as Y from 'yjs';
import { checker } from './checker';
import type { IncidentLimits } from '../domain/incidents/limits';
import { incidentState, type IncidentState } from '../domain/incidents/state';
import { incidentBaseSchema, stepSchema, type IncidentBase, type Step } from '../domain/incidents/types';

export const INCIDENTS_MAP = 'incidents';
export const INCIDENT_STEPS_ARRAY = 'steps';
export const INCIDENT_AUDIT_ARRAY = 'audit';

/** A step as stored: with the incident it belongs to. */
export type StoredStep = Step & { readonly incidentId: string };

export interface IncidentAuditNote {
  readonly action: string;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface IncidentAuditEntry extends IncidentAuditNote {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly deviceId: string;
}

export function incidentsMap(doc: Y.Doc): Y.Map<IncidentBase> {
  return doc.getMap<IncidentBase>(INCIDENTS_MAP);
}

export function incidentStepsArray(doc: Y.Doc): Y.Array<StoredStep> {
  return doc.getArray<StoredStep>(INCIDENT_STEPS_ARRAY);
}

export function incidentAuditArray(doc: Y.Doc): Y.Array<IncidentAuditEntry> {
  return doc.getArray<IncidentAuditEntry>(INCIDENT_AUDIT_ARRAY);
}

// --- read ----------------------------------------------------------------------------------------------------------
const isStoredStep = checker<StoredStep>(
  stepSchema,
  (e) => typeof e.incidentId === 'string' && e.incidentId.length <= 80,
);

const isBase = checker<IncidentBase>(incidentBaseSchema);

function baseOf(doc: Y.Doc, id: string): IncidentBase | null {
  const base: unknown = incidentsMap(doc).get(id);
  return isBase(base) && base.id === id ? base : null;
}

/** Every well-formed step of the document grouped by incident (arrival order; state.ts orders them by time). */
export function stepsByIncident(doc: Y.Doc): Map<string, StoredStep[]> {
  const out = new Map<string, StoredStep[]>();
  for (const step of incidentStepsArray(doc).toArray() as unknown[]) {
    if (!isStoredStep(step)) continue;
    const list = out.get(step.incidentId);
    if (list === undefined) out.set(step.incidentId, [step]);
    else list.push(step);
  }
  return out;
}

export function readIncident(doc: Y.Doc, id: string, limits: IncidentLimits): IncidentState | null {
  const base = baseOf(doc, id);
  if (base === null) return null;
  return incidentState(base, stepsByIncident(doc).get(id) ?? [], limits);
}

/** Every incident of the document, newest report first (then by id). */
export function listIncidents(doc: Y.Doc, limits: IncidentLimits): IncidentState[] {
  const steps = stepsByIncident(doc);
  const out: IncidentState[] = [];
  incidentsMap(doc).forEach((base: unknown, id) => {
    if (isBase(base) && base.id === id) out.push(incidentState(base, steps.get(id) ?? [], limits));
  });
  return out.sort((a, b) =>
    a.base.reportedOn !== b.base.reportedOn
      ? a.base.reportedOn > b.base.reportedOn
        ? -1
        : 1
      : a.base.id < b.base.id
        ? -1
        : 1,
  );
}

export function readIncidentAudit(doc: Y.Doc): IncidentAuditEntry[] {
  return incidentAuditArray(doc).toArray();
}

// --- write (shared/domain/incidents/commands.ts only; call inside a transaction) ------------------------------------

/** Write: records an incident (once: an id already there is left as it is). */
export function insertIncident(doc: Y.Doc, base: IncidentBase): boolean {
  const map = incidentsMap(doc);
  if (map.has(base.id)) return false;
  map.set(base.id, base);
  return true;
}

/** Write: appends steps. */
export function appendSteps(doc: Y.Doc, steps: readonly StoredStep[]): void {
  if (steps.length > 0) incidentStepsArray(doc).push([...steps]);
}

/** Write: appends audit entries (the kernel's journal for the incident commands). */
export function appendIncidentAudit(doc: Y.Doc, entries: readonly IncidentAuditEntry[]): void {
  incidentAuditArray(doc).push([...entries]);
}
