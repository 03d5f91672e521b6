import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { recordConcern } from '@shared/domain/party/commands';
import { outLinkKey } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, useResidentNames, yearOf } from './data';
import { RecordCard } from './focus';
import { PartyError } from './PartyError';
import { ResidentPick, type Picked } from './ResidentPick';
import { OutLinkAnchor, ToGridEvent } from './ToOther';

/** 红马褂收集民情: residents' concerns collected by volunteers; each becomes a grid event with one action. */
export function ConcernsPage({
  community,
  year = thisYear(),
  focus = null,
}: {
  community: CommunityId;
  /** The year shown (this year unless a link back names another). */
  year?: number;
  /** The concern a link back points at. */
  focus?: string | null;
}) {
  const t = useT();
  const edit = usePartyEdit(community);
  const activities = useActivities(community, year);
  const names = useResidentNames(
    community,
    activities?.concerns.flatMap((c) => (c.residentId === null ? [c.collectorId] : [c.collectorId, c.residentId])) ??
      [],
  );
  const { activity, error, busy } = usePartyCommand(community);
  const [on, setOn] = useState(today());
  const [collector, setCollector] = useState<Picked[]>([]);
  const [resident, setResident] = useState<Picked[]>([]);
  const [place, setPlace] = useState('');
  const [content, setContent] = useState('');
  if (activities === undefined) return <Text c="dimmed">{t('party.loading')}</Text>;
  const links = new Map(activities.outLinks.map((l) => [outLinkKey(l.source, l.recordId, l.item), l]));
  const submit = async () => {
    const id = await activity(yearOf(on), recordConcern, {
      on,
      collectorId: collector[0]?.id ?? '',
      residentId: resident[0]?.id ?? null,
      place,
      content,
    });
    if (id !== null) {
      setContent('');
      setPlace('');
      setResident([]);
    }
  };
  const concerns = [...activities.concerns].reverse();
  return (
    <Stack>
      {edit && (
        <form
          aria-label={t('party.concern.form')}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="xs">
            <Title order={4}>{t('party.concern.form')}</Title>
            <Group grow align="start">
              <ResidentPick
                community={community}
                label={t('party.field.collector')}
                picked={collector}
                onChange={setCollector}
                single
                required
              />
              <ResidentPick
                community={community}
                label={t('party.field.resident')}
                picked={resident}
                onChange={setResident}
                single
              />
            </Group>
            <Group grow align="end">
              <TextInput
                type="date"
                label={t('party.field.on')}
                value={on}
                max={today()}
                onChange={(e) => setOn(e.currentTarget.value)}
              />
              <TextInput
                label={t('party.field.place')}
                value={place}
                maxLength={200}
                onChange={(e) => setPlace(e.currentTarget.value)}
              />
            </Group>
            <TextInput
              label={t('party.field.content')}
              value={content}
              maxLength={1000}
              withAsterisk
              onChange={(e) => setContent(e.currentTarget.value)}
            />
            <PartyError error={error} />
            <Group>
              <Button type="submit" loading={busy}>
                {t('party.concern.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Title order={4}>{t('party.concern.list', { year, count: concerns.length })}</Title>
      {concerns.length === 0 && <Text c="dimmed">{t('party.concern.none')}</Text>}
      {concerns.map((c) => {
        const link = links.get(outLinkKey('concern', c.id, 0));
        return (
          <RecordCard key={c.id} testId="party-concern" focused={c.id === focus}>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('party.concern.head', {
                  on: c.on,
                  collector: names.get(c.collectorId) ?? c.collectorId,
                  resident:
                    c.residentId === null ? t('party.concern.anonymous') : (names.get(c.residentId) ?? c.residentId),
                })}
              </Text>
              <Text size="sm">{c.place ? t('party.withNote', { text: c.content, note: c.place }) : c.content}</Text>
              {link ? (
                <OutLinkAnchor link={link} />
              ) : (
                edit && (
                  <ToGridEvent
                    community={community}
                    recordYear={yearOf(c.on)}
                    source="concern"
                    recordId={c.id}
                    title={c.content}
                    content={t('party.concern.eventContent', { content: c.content, place: c.place })}
                    place={c.place || t('party.concern.noPlace')}
                    occurredAt={`${c.on}T09:00:00+08:00`}
                    label={t('party.link.toEvent')}
                  />
                )
              )}
            </Stack>
          </RecordCard>
        );
      })}
    </Stack>
  );
}
