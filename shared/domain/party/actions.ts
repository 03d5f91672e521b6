/**
 * One action, two documents (docs/party-model.md, "links"): a 红袖标 finding or a 红马褂 concern becomes a grid event, a
 * 小茶馆 grievance a mediation case, a 要事联商 record a 三平台 meeting. Each runs the other domain's own command on its
 * yearly document (`reportIncident`, `intakeCase`, `createMeeting`), then `linkOut` on the activities document naming
 * what it became (`<year>/<id>`); `sourceOf` reads the way back, from the event, case or meeting to the record.
 *
 * Both commands' permissions and the link's rule are asked first, so a refusal leaves nothing behind; a command writes
 * one document, so these are two transactions, the second a set-once key that cannot fail once the first was allowed.
 */
import type * as Y from 'yjs';
import { reportIncident } from '../incidents/commands';
import type { IncidentFieldsInput } from '../incidents/types';
import { permits, type CommandContext, type CommandResult } from '../kernel';
import { createMeeting } from '../meetings/commands';
import type { CreateMeetingInput } from '../meetings/types';
import { intakeCase, type ChainSource } from '../mediation/commands';
import type { IntakeInput } from '../mediation/inputs';
import { domainError, err } from '../result';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { listPartyRecords } from '../../ydoc/party';
import { checkLinkable, linkOut } from './commands';
import type { LinkSource, LinkTarget, OutLink } from './types';

/** The reference of a record of a yearly document: `<year>/<id>`. */
export function yearRef(year: number, id: string): string {
  return `${year}/${id}`;
}

/** The way back: the record (a finding of it) that became the event, case or meeting `ref`; null when none did. */
export function sourceOf(activities: Y.Doc, target: LinkTarget, ref: string): OutLink | null {
  return listPartyRecords(activities, 'outLinks').find((l) => l.target === target && l.ref === ref) ?? null;
}

interface Made {
  /** The id of the record made in the other document. */
  readonly id: string;
  readonly ref: string;
}

function both(
  activities: Y.Doc,
  ctx: CommandContext,
  source: { source: LinkSource; recordId: string; item: number; target: LinkTarget },
  other: { permission: Parameters<typeof permits>[0]; year: number; run: () => CommandResult<string> },
): CommandResult<Made> {
  if (!permits(linkOut.permission, ctx.permissions) || !permits(other.permission, ctx.permissions)) {
    return err(domainError('permission-denied'));
  }
  const linkable = checkLinkable(activities, source.source, source.recordId, source.item, source.target);
  if (!linkable.ok) return linkable;
  const made = other.run();
  if (!made.ok) return made;
  const ref = yearRef(other.year, made.value);
  const linked = linkOut(activities, ctx, { ...source, ref });
  if (!linked.ok) return linked;
  return { ok: true, value: { id: made.value, ref } };
}

/**
 * A 红袖标 finding (`source: 'patrol'`, `item` its index) or a 红马褂 concern becomes a grid event reported in
 * `incidents` (the incidents document of `year`), and the record names it.
 */
export function toGridEvent(
  activities: Y.Doc,
  incidents: Y.Doc,
  ctx: CommandContext,
  input: {
    readonly source: 'patrol' | 'concern';
    readonly recordId: string;
    readonly item?: number;
    readonly year: number;
    readonly community: string;
    readonly event: IncidentFieldsInput;
  },
): CommandResult<Made> {
  const item = input.source === 'patrol' ? (input.item ?? 0) : 0;
  return both(
    activities,
    ctx,
    { source: input.source, recordId: input.recordId, item, target: 'incident' },
    {
      permission: reportIncident.permission,
      year: input.year,
      run: () => reportIncident(incidents, ctx, { ...input.event, community: input.community }),
    },
  );
}

/** A 小茶馆 grievance becomes a mediation case registered in `cases` (the cases document of `year`). */
export function grievanceToCase(
  activities: Y.Doc,
  cases: Y.Doc,
  ctx: CommandContext,
  input: { readonly sessionId: string; readonly year: number; readonly intake: IntakeInput },
  registry: ChainSource | null,
): CommandResult<Made> {
  return both(
    activities,
    ctx,
    { source: 'session', recordId: input.sessionId, item: 0, target: 'case' },
    {
      permission: intakeCase.permission,
      year: input.year,
      run: () => intakeCase(cases, ctx, input.intake, registry),
    },
  );
}

/** A 要事联商 record becomes a 三平台 joint meeting created in `meetings` (the meetings document of `year`). */
export function deliberationToMeeting(
  activities: Y.Doc,
  meetings: Y.Doc,
  ctx: CommandContext,
  input: { readonly recordId: string; readonly year: number; readonly meeting: CreateMeetingInput },
  registry: RegistrySnapshot,
): CommandResult<Made> {
  return both(
    activities,
    ctx,
    { source: 'link-record', recordId: input.recordId, item: 0, target: 'meeting' },
    {
      permission: createMeeting.permission,
      year: input.year,
      run: () => createMeeting(meetings, ctx, input.meeting, registry),
    },
  );
}
