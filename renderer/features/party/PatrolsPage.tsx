import { Button, CloseButton, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { recordPatrol } from '@shared/domain/party/commands';
import { outLinkKey, type OutLink, type Patrol } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, useResidentNames, yearOf } from './data';
import { RecordCard } from './focus';
import { PartyError } from './PartyError';
import { ResidentPick, type Picked } from './ResidentPick';
import { OutLinkAnchor, ToGridEvent } from './ToOther';

/** A China wall-clock time of a day as an instant (+08:00). */
function instant(day: string, time: string): string {
  return `${day}T${time}:00+08:00`;
}

/** The China wall-clock time (HH:MM) of an instant. */
function clock(at: string): string {
  return new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(11, 16);
}

function PatrolForm({ community }: { community: CommunityId }) {
  const t = useT();
  const { activity, error, busy } = usePartyCommand(community);
  const [route, setRoute] = useState('');
  const [day, setDay] = useState(today());
  const [from, setFrom] = useState('19:00');
  const [to, setTo] = useState('21:00');
  const [patrollers, setPatrollers] = useState<Picked[]>([]);
  const [findings, setFindings] = useState<{ text: string; place: string }[]>([]);
  const submit = async () => {
    const id = await activity(yearOf(day), recordPatrol, {
      route,
      startsAt: instant(day, from),
      endsAt: instant(day, to),
      patrollerIds: patrollers.map((p) => p.id),
      findings: findings.filter((f) => f.text.trim() !== ''),
    });
    if (id !== null) {
      setRoute('');
      setFindings([]);
    }
  };
  return (
    <form
      aria-label={t('party.patrol.form')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <Title order={4}>{t('party.patrol.form')}</Title>
        <Group grow align="end">
          <TextInput
            label={t('party.field.route')}
            value={route}
            maxLength={200}
            withAsterisk
            onChange={(e) => setRoute(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('party.field.on')}
            value={day}
            max={today()}
            onChange={(e) => setDay(e.currentTarget.value)}
          />
          <TextInput
            type="time"
            label={t('party.field.startsAt')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            type="time"
            label={t('party.field.endsAt')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </Group>
        <ResidentPick
          community={community}
          label={t('party.field.patrollers')}
          picked={patrollers}
          onChange={setPatrollers}
          required
        />
        <Text size="sm" fw={600}>
          {t('party.field.findings')}
        </Text>
        {findings.map((f, i) => (
          <Group key={i} grow align="end">
            <TextInput
              label={t('party.patrol.findingN', { n: i + 1 })}
              value={f.text}
              maxLength={500}
              onChange={(e) => {
                const text = e.currentTarget.value;
                setFindings((list) => list.map((x, j) => (j === i ? { ...x, text } : x)));
              }}
            />
            <TextInput
              label={t('party.field.place')}
              value={f.place}
              maxLength={200}
              onChange={(e) => {
                const place = e.currentTarget.value;
                setFindings((list) => list.map((x, j) => (j === i ? { ...x, place } : x)));
              }}
            />
            <CloseButton
              aria-label={t('party.patrol.removeFinding', { n: i + 1 })}
              onClick={() => setFindings((list) => list.filter((_, j) => j !== i))}
            />
          </Group>
        ))}
        <PartyError error={error} />
        <Group>
          <Button variant="default" onClick={() => setFindings((list) => [...list, { text: '', place: '' }])}>
            {t('party.patrol.addFinding')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('party.patrol.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PatrolCard({
  community,
  patrol,
  links,
  names,
  edit,
  focused,
}: {
  community: CommunityId;
  patrol: Patrol;
  focused: boolean;
  links: ReadonlyMap<string, OutLink>;
  names: ReadonlyMap<string, string>;
  edit: boolean;
}) {
  const t = useT();
  const day = new Date(Date.parse(patrol.startsAt) + 8 * 3600_000).toISOString().slice(0, 10);
  return (
    <RecordCard testId="party-patrol" focused={focused}>
      <Stack gap={4}>
        <Text fw={600}>
          {t('party.patrol.head', { day, from: clock(patrol.startsAt), to: clock(patrol.endsAt), route: patrol.route })}
        </Text>
        <Text size="sm">
          {t('party.patrol.patrollers', {
            names: patrol.patrollerIds.map((id) => names.get(id) ?? id).join(t('party.enumSep')),
          })}
        </Text>
        {patrol.findings.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('party.patrol.noFindings')}
          </Text>
        )}
        {patrol.findings.map((f, i) => {
          const link = links.get(outLinkKey('patrol', patrol.id, i));
          return (
            <Group key={i} gap="xs" data-testid="party-finding">
              <Text size="sm">{t('party.patrol.finding', { n: i + 1, text: f.text, place: f.place || '—' })}</Text>
              {link ? (
                <OutLinkAnchor link={link} />
              ) : (
                edit && (
                  <ToGridEvent
                    community={community}
                    recordYear={yearOf(day)}
                    source="patrol"
                    recordId={patrol.id}
                    item={i}
                    title={f.text}
                    content={t('party.patrol.eventContent', { route: patrol.route, text: f.text, place: f.place })}
                    place={f.place || patrol.route}
                    occurredAt={patrol.startsAt}
                    label={t('party.patrol.toEventN', { n: i + 1 })}
                  />
                )
              )}
            </Group>
          );
        })}
      </Stack>
    </RecordCard>
  );
}

/** 红袖标: patrol logs (route, time, patrollers, findings); a finding becomes a grid event with one action. */
export function PatrolsPage({
  community,
  year = thisYear(),
  focus = null,
}: {
  community: CommunityId;
  /** The year shown (this year unless a link back names another). */
  year?: number;
  /** The patrol a link back points at. */
  focus?: string | null;
}) {
  const t = useT();
  const edit = usePartyEdit(community);
  const activities = useActivities(community, year);
  const names = useResidentNames(community, activities?.patrols.flatMap((p) => p.patrollerIds) ?? []);
  if (activities === undefined) return <Text c="dimmed">{t('party.loading')}</Text>;
  const links = new Map(activities.outLinks.map((l) => [outLinkKey(l.source, l.recordId, l.item), l]));
  const patrols = [...activities.patrols].sort((a, b) => (a.startsAt < b.startsAt ? 1 : -1));
  return (
    <Stack>
      {edit && <PatrolForm community={community} />}
      <Title order={4}>{t('party.patrol.list', { year, count: patrols.length })}</Title>
      {patrols.length === 0 && <Text c="dimmed">{t('party.patrol.none')}</Text>}
      {patrols.map((p) => (
        <PatrolCard
          key={p.id}
          community={community}
          patrol={p}
          links={links}
          names={names}
          edit={edit}
          focused={p.id === focus}
        />
      ))}
    </Stack>
  );
}
