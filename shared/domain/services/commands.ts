/**
 * Residents'-service commands: the only writers of a services document (shared/ydoc/services.ts), on the command
 * kernel (docs/architecture.md, "Commands"). The window staff (`services.edit`) accept, finish, refuse, transfer,
 * record the rating, the fix and the return call; the catalogue is kept by the office's admin.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import type { WorkingCalendar } from '../calendar/types';
import { workdaysBetween } from '../calendar/workdays';
import { chinaDate } from '../dates';
import { stamped, type EntryBody } from '../history';
import { defineCommand, plan, refuse, type AuditStamp, type CommandContext } from '../kernel';
import { isCommunityId } from '../../ydoc/docName';
import {
  appendApplicationSteps,
  appendServiceAudit,
  insertApplication,
  putServiceItem,
  readApplication,
  readServiceItem,
  type ServiceAuditNote,
  type StoredApplicationStep,
} from '../../ydoc/services';
import { personSchema } from '../tasks/types';
import { applicationState, type ApplicationState } from './state';
import { applicantSchema, CHANNELS, serviceItemSchema, type ApplicationBase, type ApplicationStep } from './types';

export interface ServicesEnv {
  readonly calendar: WorkingCalendar;
}

const journal = (doc: Y.Doc, entries: readonly (AuditStamp & ServiceAuditNote)[]) => appendServiceAudit(doc, entries);

type StepBody = EntryBody<ApplicationStep>;

function stamp(ctx: CommandContext, applicationId: string, body: StepBody): StoredApplicationStep {
  return { ...stamped(ctx, body), applicationId };
}

/** Writes an item of the catalogue (new, changed or withdrawn). */
export const saveServiceItem = defineCommand({
  name: 'saveServiceItem',
  permission: 'admin',
  input: serviceItemSchema,
  journal,
  plan: (doc, item) =>
    plan(item.id, (audit) => {
      putServiceItem(doc, item);
      audit({ action: 'saveServiceItem', recordId: item.id, fields: { name: item.name, withdrawn: item.withdrawn } });
    }),
});

export const acceptApplicationSchema = z
  .object({
    community: z.string().refine(isCommunityId),
    itemId: z.string().min(1).max(60),
    applicant: applicantSchema,
    channel: z.enum(CHANNELS),
    agent: personSchema.nullable().default(null),
    note: z.string().trim().max(1000).default(''),
    /** The materials checked at the window; when given, every material the item lists must be among them. */
    materials: z.array(z.string().trim().min(1).max(100)).max(30).nullable().default(null),
  })
  .refine((a) => a.channel !== 'door' || a.agent !== null, { path: ['agent'], error: 'required' });

/** 受理: records an application for an item of the catalogue; its promise runs from today. Returns the id. */
export const acceptApplication = defineCommand({
  name: 'acceptApplication',
  permission: 'services.edit',
  input: acceptApplicationSchema,
  journal,
  plan: (doc, input, ctx) => {
    const item = readServiceItem(doc, input.itemId);
    if (item === null || item.withdrawn) return refuse('not-found', 'itemId');
    // 一次性告知: the window names every missing material at once; none is accepted short of one.
    const missing = input.materials === null ? [] : item.materials.filter((m) => !input.materials?.includes(m));
    if (missing.length > 0) return refuse('required', 'materials', { missing: missing.join('、') });
    const base: ApplicationBase = {
      id: ctx.newId(),
      community: input.community,
      itemId: item.id,
      itemName: item.name,
      promiseDays: item.promiseDays,
      applicant: input.applicant,
      channel: input.channel,
      agent: input.agent,
      note: input.note,
      materials: input.materials === null ? [] : item.materials.filter((m) => input.materials?.includes(m)),
      acceptedOn: chinaDate(ctx.now()),
      acceptedBy: { userId: ctx.actor.userId, userName: ctx.actor.userName },
    };
    return plan(base.id, (audit) => {
      insertApplication(doc, base);
      // The audit names the item and the channel, never the applicant.
      audit({ action: 'acceptApplication', recordId: base.id, fields: { itemId: item.id, channel: input.channel } });
    });
  },
});

const ref = { applicationId: z.string().min(1).max(80) };
const words = (max: number) => z.string().trim().min(1).max(max);

/** One step on one application: read its state, let `decide` say what to append or why not. */
function stepCommand<S extends z.ZodObject<{ applicationId: z.ZodString }>>(
  name: string,
  input: S,
  decide: (state: ApplicationState, input: z.output<S>, today: string, env: ServicesEnv) => StepBody | null,
) {
  return defineCommand({
    name,
    permission: 'services.edit',
    input,
    journal,
    plan: (doc, parsed: z.output<S>, ctx, env: ServicesEnv) => {
      const state = readApplication(doc, parsed.applicationId);
      if (state === null) return refuse('not-found', 'applicationId');
      const body = decide(state, parsed, chinaDate(ctx.now()), env);
      // The fold is the rule: a step it would not apply is refused.
      const step = body === null ? null : stamp(ctx, parsed.applicationId, body);
      if (step === null || applicationState(state.base, [...state.history, step]).ignored.length > 0) {
        return refuse('invalid', 'action', { action: name, status: state.status });
      }
      return plan(body, (audit) => {
        appendApplicationSteps(doc, [step]);
        audit({ action: name, recordId: parsed.applicationId, fields: { type: step.type } });
      });
    },
  });
}

export const completeApplication = stepCommand(
  'completeApplication',
  z.object({ ...ref, result: words(1000) }),
  (state, i, today, env) => ({
    type: 'done',
    result: i.result,
    workdaysTaken: Math.max(0, workdaysBetween(env.calendar, state.base.acceptedOn, today).days),
  }),
);

export const refuseApplication = stepCommand(
  'refuseApplication',
  z.object({ ...ref, reason: words(500) }),
  (_s, i) => ({
    type: 'refused',
    reason: i.reason,
  }),
);

export const transferApplication = stepCommand(
  'transferApplication',
  z.object({ ...ref, to: words(80), reason: words(500) }),
  (_s, i) => ({ type: 'transferred', to: i.to, reason: i.reason }),
);

export const rateApplication = stepCommand(
  'rateApplication',
  z
    .object({ ...ref, rating: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).default('') })
    // A 差评 carries the resident's words: they say what to fix.
    .refine((r) => r.rating > 2 || r.comment !== '', { path: ['comment'], error: 'required' }),
  (_s, i) => ({ type: 'rated', rating: i.rating, comment: i.comment }),
);

export const rectifyApplication = stepCommand(
  'rectifyApplication',
  z.object({ ...ref, note: words(1000) }),
  (_s, i) => ({
    type: 'rectified',
    note: i.note,
  }),
);

export const callBackApplication = stepCommand(
  'callBackApplication',
  z.object({ ...ref, note: words(1000) }),
  (_s, i) => ({ type: 'called-back', note: i.note }),
);
