/** Meeting commands of the follow-up (落实有回音): action items and the mediation cases a meeting discussed. */
import { plan } from '../kernel';
import { ACTION_ITEMS, upsertNested } from '../../ydoc/meetings';
import * as machine from './machine';
import { addActionItemSchema, completeActionItemSchema, linkCaseSchema, type ActionItemId } from './types';
import { meetingCommand, prepare, touch, type MeetingPlan } from './commandKit';

export const addActionItem = meetingCommand({
  name: 'addActionItem',
  input: addActionItemSchema,
  plan: (doc, v, ctx) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const checked = machine.addActionItem(meeting, v.agendaItemId);
    if (!checked.ok) return checked;
    const id = ctx.newId() as ActionItemId;
    return plan(id, (audit, at) => {
      upsertNested(map, ACTION_ITEMS, id, {
        id,
        agendaItemId: v.agendaItemId,
        title: v.title,
        owner: v.owner,
        deadline: v.deadline,
        done: false,
        doneAt: null,
        answer: '',
        createdAt: at,
      });
      audit({
        action: 'create',
        recordId: meeting.id,
        fields: { actionItem: id, title: v.title, owner: v.owner.name, deadline: v.deadline },
      });
    });
  },
});

/** Marks an action item done with the answer given (落实有回音). */
export const completeActionItem = meetingCommand({
  name: 'completeActionItem',
  input: completeActionItemSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const checked = machine.completeActionItem(meeting, v.actionItemId);
    if (!checked.ok) return checked;
    return plan(v.actionItemId, (audit, at) => {
      upsertNested(map, ACTION_ITEMS, v.actionItemId, { done: true, doneAt: at, answer: v.answer });
      audit({
        action: 'update',
        recordId: meeting.id,
        fields: { actionItem: v.actionItemId, done: true, answer: v.answer },
      });
    });
  },
});

/** Links (or unlinks) a mediation case the meeting discussed. The list is replaced whole, like registry lists. */
export const linkCase = meetingCommand({
  name: 'linkCase',
  input: linkCaseSchema,
  plan: (doc, v): MeetingPlan<readonly string[]> => {
    const loaded = prepare(doc, v.meetingId, 'link-case');
    if (!loaded.ok) return loaded;
    const { meeting } = loaded.value;
    const has = meeting.caseIds.includes(v.caseId);
    if (has === v.linked) return plan(meeting.caseIds, null);
    const caseIds = v.linked ? [...meeting.caseIds, v.caseId] : meeting.caseIds.filter((c) => c !== v.caseId);
    return plan(caseIds, (audit, at) =>
      touch(loaded.value, audit, at, { caseId: v.caseId, linked: v.linked }, { caseIds }),
    );
  },
});
