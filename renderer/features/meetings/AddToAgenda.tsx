/**
 * 列入会议议题 from another area (a grid event, docs/incidents-model.md "links"): picks a meeting being prepared (one
 * that still takes agenda items, shared/domain/meetings/machine.ts) of last, this or next year and adds an item to
 * its agenda. The caller is told which meeting (`onAdded`), to keep its side of the link.
 */
import { Button, Group, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { chinaMinute } from '@shared/domain/dates';
import { addAgendaItem } from '@shared/domain/meetings/commandsBefore';
import { allowedActions } from '@shared/domain/meetings/machine';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { meetingsDoc, useMeetingList } from './data';
import { ErrorLine } from './ErrorLine';

export function AddToAgenda({
  community,
  title: initialTitle,
  proposer,
  hint,
  error: callerError,
  onAdded,
  onCancel,
}: {
  community: CommunityId;
  /** The item's title as offered (the person may change it). */
  title: string;
  /** Who proposes the item as offered: the signed-in account's name (the person may name another). */
  proposer: string;
  hint: ReactNode;
  /** The caller's own refusal (keeping its side of the link), shown under the form. */
  error: ReactNode;
  /** Told the meeting the item went to; resolves true when the caller is done. */
  onAdded: (year: number, meetingId: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const t = useT();
  const store = useStore();
  const meetings = useMeetingList(community);
  const open = useMemo(
    () =>
      (meetings ?? [])
        .filter(({ meeting }) => allowedActions(meeting.status).includes('add-agenda-item'))
        .sort((a, b) => (a.meeting.startsAt < b.meeting.startsAt ? -1 : 1)),
    [meetings],
  );
  const [chosen, setChosen] = useState('');
  const [title, setTitle] = useState(initialTitle.slice(0, 100));
  const [by, setBy] = useState(proposer);
  const [minutes, setMinutes] = useState<number | string>(15);
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  const target = open.find(({ meeting }) => meeting.id === chosen) ?? open[0];

  const submit = async () => {
    if (target === undefined) return;
    setBusy(true);
    setError(null);
    try {
      const added = await store.runOn(meetingsDoc(community, target.year), addAgendaItem, {
        meetingId: target.meeting.id,
        title: title.trim(),
        proposer: { name: by.trim(), ref: null },
        expectedMinutes: Math.min(600, Math.max(1, Math.round(Number(minutes) || 15))),
      });
      if (!added.ok) {
        setError(added.error);
        return;
      }
      await onAdded(target.year, target.meeting.id);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label={t('mtg.toAgenda.title')}
      data-testid="add-to-agenda"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
        {meetings !== undefined && open.length === 0 ? (
          <Text size="sm" data-testid="add-to-agenda-none">
            {t('mtg.toAgenda.none')}
          </Text>
        ) : (
          <>
            <NativeSelect
              label={t('mtg.toAgenda.meeting')}
              value={target?.meeting.id ?? ''}
              onChange={(event) => setChosen(event.currentTarget.value)}
              data={open.map(({ meeting }) => ({
                value: meeting.id,
                label: `${chinaMinute(new Date(meeting.startsAt))} ${meeting.title}`,
              }))}
            />
            <Group grow align="start">
              <TextInput
                label={t('mtg.toAgenda.item')}
                value={title}
                onChange={(event) => setTitle(event.currentTarget.value)}
                maxLength={100}
                withAsterisk
              />
              <TextInput
                label={t('mtg.toAgenda.proposer')}
                value={by}
                onChange={(event) => setBy(event.currentTarget.value)}
                maxLength={100}
                withAsterisk
              />
              <NumberInput label={t('mtg.toAgenda.minutes')} value={minutes} onChange={setMinutes} min={1} max={600} />
            </Group>
          </>
        )}
        {error !== null && <ErrorLine error={error} />}
        {callerError}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={busy} disabled={target === undefined}>
            {t('mtg.toAgenda.submit')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('mtg.toAgenda.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
