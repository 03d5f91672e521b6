/** A task made from a record of another area (PublishFromRecord.tsx): its one-off template. */
import type { TaskTemplateInput } from '@shared/domain/tasks/types';

/** What the record offers the task: the person may change title, lead, responsible person and the limit. */
export interface RecordTaskDefaults {
  /** One per record, at most 60 characters (`ev-<event id>`). */
  readonly templateId: string;
  readonly docNo: string;
  readonly title: string;
  readonly category: string;
  readonly basis: string;
  readonly lead: string;
  readonly responsible: string;
}

/** The one-off template of a task made from a record, as `publishTask` takes it. */
export function recordTemplate(
  defaults: RecordTaskDefaults,
  chosen: { title: string; lead: string; responsible: string; completionLimit: number },
): TaskTemplateInput {
  return {
    id: defaults.templateId.slice(0, 60),
    docNo: defaults.docNo.slice(0, 60),
    title: chosen.title.trim(),
    category: defaults.category.slice(0, 40),
    basis: defaults.basis.slice(0, 200),
    kind: 'work',
    lead: chosen.lead.trim(),
    responsible: { name: chosen.responsible.trim(), ref: null },
    claimLimit: 1,
    completionLimit: chosen.completionLimit,
    schedule: { type: 'annual' },
  };
}
