/** Reads over a meetings document that screens and the dashboard ask: late edits, open action items, history. */
import type * as Y from 'yjs';
import { chinaDate } from '../dates';
import type { CommandContext } from '../kernel';
import type { AuditEntry } from '../registry/types';
import { listMeetings, meetingsAudit, type StoredMeeting } from '../../ydoc/meetings';
import * as machine from './machine';
import { nameKey } from './rules';
import { attendeeKey, isOwnedBy, type MeetingId, type PersonRef } from './types';

/** Locked meetings whose live content differs from what was signed (an edit arrived by sync); see `editsAfterLock`. */
export function lockViolations(doc: Y.Doc): { readonly meetingId: MeetingId; readonly paths: readonly string[] }[] {
  return listMeetings(doc).flatMap((meeting) => {
    const paths = machine.editsAfterLock(meeting);
    return paths.length === 0 ? [] : [{ meetingId: meeting.id, paths }];
  });
}

export interface OpenActionItem {
  readonly meetingId: MeetingId;
  readonly meetingTitle: string;
  readonly actionItem: StoredMeeting['actionItems'][number];
  /** Past its deadline on `today`. */
  readonly overdue: boolean;
}

/**
 * Action items not yet done, oldest deadline first: for an owner's list (filter by `owner`) and the dashboard. They
 * stay until answered, whatever the meeting's status.
 */
export function openActionItems(
  doc: Y.Doc,
  today: string,
  owner?: string | { readonly ref: PersonRef | null; readonly name: string },
): OpenActionItem[] {
  const mine = (a: StoredMeeting['actionItems'][number]) =>
    owner === undefined ||
    (typeof owner === 'string'
      ? (a.owner.ref === null ? nameKey(a.owner.name) : attendeeKey(a.owner.ref)) === owner
      : isOwnedBy(a.owner, owner));
  return listMeetings(doc)
    .flatMap((meeting) =>
      meeting.actionItems
        .filter((a) => !a.done)
        .filter(mine)
        .map((actionItem) => ({
          meetingId: meeting.id,
          meetingTitle: meeting.title,
          actionItem,
          overdue: actionItem.deadline < today,
        })),
    )
    .sort((a, b) =>
      a.actionItem.deadline < b.actionItem.deadline ? -1 : a.actionItem.deadline > b.actionItem.deadline ? 1 : 0,
    );
}

/** The audit entries of one meeting, oldest first. */
export function meetingHistory(doc: Y.Doc, meetingId: string): AuditEntry[] {
  return meetingsAudit(doc)
    .toArray()
    .filter((e) => e.recordId === meetingId)
    .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.id < b.id ? -1 : 1));
}

/** Today's date in China for a context (action item deadlines, notice dates). */
export function todayOf(ctx: Pick<CommandContext, 'now'>): string {
  return chinaDate(ctx.now());
}
