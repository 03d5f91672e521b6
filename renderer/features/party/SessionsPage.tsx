import { Badge, Button, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { recordSession } from '@shared/domain/party/commands';
import { outLinkKey, SESSION_KINDS, type SessionKind } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, useResidentNames, yearOf } from './data';
import { RecordCard } from './focus';
import { PartyError } from './PartyError';
import { ResidentPick, type Picked } from './ResidentPick';
import { GrievanceToCase, OutLinkAnchor } from './ToOther';

/**
 * 百姓大讲堂 / 大舞台 / 小茶馆: topic, speaker, attendance from the registry and outcome; a 小茶馆 grievance becomes a
 * mediation case with one action.
 */
export function SessionsPage({
  community,
  year = thisYear(),
  focus = null,
}: {
  community: CommunityId;
  /** The year shown (this year unless a link back names another). */
  year?: number;
  /** The session a link back points at. */
  focus?: string | null;
}) {
  const t = useT();
  const edit = usePartyEdit(community);
  const activities = useActivities(community, year);
  const names = useResidentNames(community, activities?.sessions.flatMap((s) => s.attendeeIds) ?? []);
  const { activity, error, busy } = usePartyCommand(community);
  const [kind, setKind] = useState<SessionKind>('lecture');
  const [on, setOn] = useState(today());
  const [topic, setTopic] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [attendees, setAttendees] = useState<Picked[]>([]);
  const [outcome, setOutcome] = useState('');
  if (activities === undefined) return <Text c="dimmed">{t('party.loading')}</Text>;
  const links = new Map(activities.outLinks.map((l) => [outLinkKey(l.source, l.recordId, l.item), l]));
  const submit = async () => {
    const id = await activity(yearOf(on), recordSession, {
      kind,
      on,
      topic,
      speaker,
      attendeeIds: attendees.map((a) => a.id),
      outcome,
    });
    if (id !== null) {
      setTopic('');
      setSpeaker('');
      setAttendees([]);
      setOutcome('');
    }
  };
  const sessions = [...activities.sessions].reverse();
  return (
    <Stack>
      {edit && (
        <form
          aria-label={t('party.session.form')}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="xs">
            <Title order={4}>{t('party.session.form')}</Title>
            <Group grow align="end">
              <NativeSelect
                label={t('party.field.sessionKind')}
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as SessionKind)}
                data={SESSION_KINDS.map((value) => ({ value, label: t(`party.session.${value}`) }))}
              />
              <TextInput
                type="date"
                label={t('party.field.on')}
                value={on}
                max={today()}
                onChange={(e) => setOn(e.currentTarget.value)}
              />
              <TextInput
                label={t('party.field.topic')}
                value={topic}
                maxLength={200}
                withAsterisk
                onChange={(e) => setTopic(e.currentTarget.value)}
              />
              <TextInput
                label={t('party.field.speaker')}
                value={speaker}
                maxLength={80}
                withAsterisk
                onChange={(e) => setSpeaker(e.currentTarget.value)}
              />
            </Group>
            <ResidentPick
              community={community}
              label={t('party.field.attendees')}
              picked={attendees}
              onChange={setAttendees}
            />
            <Textarea
              label={t('party.field.outcome')}
              value={outcome}
              maxLength={2000}
              autosize
              minRows={2}
              onChange={(e) => setOutcome(e.currentTarget.value)}
            />
            <PartyError error={error} />
            <Group>
              <Button type="submit" loading={busy}>
                {t('party.session.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Title order={4}>{t('party.session.list', { year, count: sessions.length })}</Title>
      {sessions.length === 0 && <Text c="dimmed">{t('party.session.none')}</Text>}
      {sessions.map((s) => {
        const link = links.get(outLinkKey('session', s.id, 0));
        return (
          <RecordCard key={s.id} testId="party-session" focused={s.id === focus}>
            <Stack gap={4}>
              <Group gap="xs">
                <Badge variant="light">{t(`party.session.${s.kind}`)}</Badge>
                <Text size="sm" fw={600}>
                  {t('party.session.head', { on: s.on, topic: s.topic, speaker: s.speaker })}
                </Text>
              </Group>
              <Text size="sm">
                {t('party.session.attendance', {
                  count: s.attendeeIds.length,
                  names: s.attendeeIds.map((id) => names.get(id) ?? id).join(t('party.enumSep')) || '—',
                })}
              </Text>
              {s.outcome && <Text size="sm">{t('party.session.outcome', { outcome: s.outcome })}</Text>}
              {s.kind === 'teahouse' &&
                (link ? (
                  <OutLinkAnchor link={link} />
                ) : (
                  edit && (
                    <GrievanceToCase
                      community={community}
                      recordYear={yearOf(s.on)}
                      sessionId={s.id}
                      facts={`${s.topic}\n${s.outcome}`.trim()}
                    />
                  )
                ))}
            </Stack>
          </RecordCard>
        );
      })}
    </Stack>
  );
}
