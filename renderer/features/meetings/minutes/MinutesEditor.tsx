import { Textarea } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { noteMinutesTyped } from '@shared/domain/meetings/commands';
import type { AgendaItemId, MeetingId } from '@shared/domain/meetings/types';
import { minutesText } from '@shared/ydoc/meetings';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../../data/hooks';
import { useT } from '../../../i18n';
import { meetingsDoc } from '../data';
import { bindTextarea } from './textareaBinding';

/** How long typing pauses before what was typed is noted in the audit (one entry per burst, not per key). */
const NOTE_AFTER_MS = 2000;

/** Origin of keystrokes written into minutes, so a reader of `afterTransaction` can tell them from commands. */
export const MINUTES_TYPING = { kind: 'minutes-typing' } as const;

export interface MinutesEditorProps {
  readonly community: CommunityId;
  readonly year: number;
  readonly meetingId: MeetingId;
  readonly itemId: AgendaItemId;
  readonly itemTitle: string;
  /** `edit-minutes` allowed now and the person may edit meetings; otherwise the textarea is read-only. */
  readonly editable: boolean;
}

/**
 * The discussion minutes of one agenda item: a textarea bound live to the item's `Y.Text`. Keystrokes go straight
 * into the text (two writers, online or offline, merge); a pause in typing notes the sizes in the audit through the
 * `noteMinutesTyped` command. A locked record's minutes are read-only: the binding refuses the change and the
 * textarea shows the text as it is.
 */
export function MinutesEditor({ community, year, meetingId, itemId, itemTitle, editable }: MinutesEditorProps) {
  const t = useT();
  const store = useStore();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mayType = useRef(editable);
  useEffect(() => {
    mayType.current = editable;
  }, [editable]);

  useEffect(() => {
    const name = meetingsDoc(community, year);
    let live = true;
    let unbind: (() => void) | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let inserted = 0;
    let deleted = 0;
    const note = () => {
      timer = null;
      if (inserted === 0 && deleted === 0) return;
      const input = { meetingId, itemId, inserted, deleted };
      inserted = 0;
      deleted = 0;
      void store.runOn(name, noteMinutesTyped, input);
    };
    void store.document(name).then((doc) => {
      const text = minutesText(doc, meetingId, itemId);
      const element = textarea.current;
      if (!live || text === null || element === null) return;
      unbind = bindTextarea(text, element, {
        apply: (target, change) => {
          if (!mayType.current) return;
          doc.transact(() => {
            if (change.deleteCount > 0) target.delete(change.index, change.deleteCount);
            if (change.insert !== '') target.insert(change.index, change.insert);
          }, MINUTES_TYPING);
          inserted += change.insert.length;
          deleted += change.deleteCount;
          if (timer !== null) clearTimeout(timer);
          timer = setTimeout(note, NOTE_AFTER_MS);
        },
      });
    });
    return () => {
      live = false;
      unbind?.();
      if (timer !== null) clearTimeout(timer);
      note();
    };
  }, [store, community, year, meetingId, itemId]);

  return (
    <Textarea
      ref={textarea}
      label={t('mtg.minutes.label', { title: itemTitle })}
      description={editable ? t('mtg.minutes.hint') : t('mtg.minutes.readOnly')}
      readOnly={!editable}
      minRows={5}
      autosize={false}
      rows={6}
      data-testid={`minutes-${itemId}`}
    />
  );
}
