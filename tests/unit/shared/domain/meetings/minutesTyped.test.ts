import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  finishMeeting,
  meetingHistory,
  noteMinutesTyped,
  signMinutes,
  signOff,
  submitForReview,
} from '@shared/domain/meetings/commands';
import type { AgendaItemId } from '@shared/domain/meetings/types';
import { emptySnapshot } from '@shared/ydoc/registry';
import { errorOf, makeCtx, startedMeeting, unwrap } from './fixtures';

function meeting() {
  const doc = new Y.Doc();
  const ctx = makeCtx();
  const people = [{ name: '代表1' }, { name: '代表2' }, { name: '代表3' }];
  const started = startedMeeting(doc, ctx, emptySnapshot(), {
    type: 'residents-representatives',
    scope: { kind: 'list', people },
  });
  return { doc, ctx, ...started };
}

describe('noteMinutesTyped', () => {
  it('notes the sizes typed into an item in one audit entry, not the text', () => {
    const { doc, ctx, id, itemId } = meeting();
    unwrap(noteMinutesTyped(doc, ctx, { meetingId: id, itemId, inserted: 120, deleted: 7 }));
    const last = meetingHistory(doc, id).at(-1);
    expect(last?.fields).toEqual({ command: 'noteMinutesTyped', agendaItem: itemId, inserted: 120, deleted: 7 });
  });

  it('writes nothing for an empty note', () => {
    const { doc, ctx, id, itemId } = meeting();
    const before = meetingHistory(doc, id).length;
    unwrap(noteMinutesTyped(doc, ctx, { meetingId: id, itemId, inserted: 0, deleted: 0 }));
    expect(meetingHistory(doc, id)).toHaveLength(before);
  });

  it('is refused for an unknown item, without the permission, and once the record is locked', () => {
    const { doc, ctx, id, itemId } = meeting();
    expect(
      errorOf(noteMinutesTyped(doc, ctx, { meetingId: id, itemId: 'nope' as AgendaItemId, inserted: 1, deleted: 0 }))
        .code,
    ).toBe('not-found');
    const viewer = { ...ctx, permissions: new Set<never>() };
    expect(errorOf(noteMinutesTyped(doc, viewer, { meetingId: id, itemId, inserted: 1, deleted: 0 })).code).toBe(
      'permission-denied',
    );
    unwrap(finishMeeting(doc, ctx, { meetingId: id }));
    unwrap(submitForReview(doc, ctx, { meetingId: id }));
    expect(errorOf(noteMinutesTyped(doc, ctx, { meetingId: id, itemId, inserted: 1, deleted: 0 })).code).toBe(
      'meeting.transition',
    );
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '主持人' }));
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'recorder', name: '记录人' }));
    unwrap(signOff(doc, ctx, { meetingId: id }));
    expect(errorOf(noteMinutesTyped(doc, ctx, { meetingId: id, itemId, inserted: 1, deleted: 0 })).code).toBe(
      'meeting.locked',
    );
  });
});
