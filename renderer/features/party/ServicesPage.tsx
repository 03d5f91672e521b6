import { Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { recordService } from '@shared/domain/party/commands';
import { subjectKey } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords } from '../../data/hooks';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, usePartyMembers, yearOf } from './data';
import { hoursText } from './labels';
import { PartyError } from './PartyError';
import { subjectName, subjectOptions } from './subjects';

const NO_POST = '';
const NOT_RATED = '';

/** 服务记录 (一卡): a member's or unit's service on a day, its hours, content and rating; the year's records below. */
export function ServicesPage({ community }: { community: CommunityId }) {
  const t = useT();
  const edit = usePartyEdit(community);
  const members = usePartyMembers(community);
  const units = useRecords(community, 'units');
  const posts = useRecords(community, 'posts');
  const activities = useActivities(community, thisYear());
  const { activity, error, busy } = usePartyCommand(community);
  const [who, setWho] = useState('');
  const [postId, setPostId] = useState(NO_POST);
  const [on, setOn] = useState(today());
  const [hours, setHours] = useState('');
  const [content, setContent] = useState('');
  const [rating, setRating] = useState(NOT_RATED);
  const [done, setDone] = useState(false);
  if (members === undefined || units === undefined || posts === undefined || activities === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  const options = subjectOptions(
    members,
    units,
    (name) => t('party.unitOption', { name }),
    (name, address) => t('party.withNote', { text: name, note: address }),
  );
  const chosen = options.find((o) => o.value === who);
  // A record against a post is for one who claimed it: the posts offered are the chosen one's claims.
  const claimed =
    chosen === undefined
      ? []
      : activities.claims.filter((c) => subjectKey(c.claimant) === subjectKey(chosen.subject)).map((c) => c.postId);
  const postTitle = (id: string | null) => (id === null ? '—' : (posts.find((p) => p.id === id)?.title ?? id));
  const submit = async () => {
    setDone(false);
    if (chosen === undefined) return;
    const id = await activity(yearOf(on), recordService, {
      subject: chosen.subject,
      postId: postId === NO_POST ? null : postId,
      on,
      hours: hours.trim() === '' ? Number.NaN : Number(hours),
      content,
      rating: rating === NOT_RATED ? null : Number(rating),
    });
    if (id !== null) {
      setDone(true);
      setHours('');
      setContent('');
      setRating(NOT_RATED);
    }
  };
  const records = [...activities.serviceRecords].reverse();
  return (
    <Stack>
      {edit && (
        <form
          aria-label={t('party.service.form')}
          data-testid="party-service-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="xs">
            <Title order={4}>{t('party.service.form')}</Title>
            <Group grow align="end">
              <NativeSelect
                label={t('party.field.subject')}
                value={who}
                withAsterisk
                onChange={(e) => {
                  setWho(e.currentTarget.value);
                  setPostId(NO_POST);
                }}
                data={[
                  { value: '', label: t('party.choose') },
                  ...options.map((o) => ({ value: o.value, label: o.label })),
                ]}
              />
              <NativeSelect
                label={t('party.field.post')}
                value={postId}
                onChange={(e) => setPostId(e.currentTarget.value)}
                data={[
                  { value: NO_POST, label: t('party.service.noPost') },
                  ...claimed.map((id) => ({ value: id, label: postTitle(id) })),
                ]}
              />
              <TextInput
                type="date"
                label={t('party.field.on')}
                value={on}
                max={today()}
                onChange={(e) => setOn(e.currentTarget.value)}
              />
              <TextInput
                label={t('party.field.hours')}
                description={t('party.service.hoursHint')}
                value={hours}
                inputMode="decimal"
                withAsterisk
                onChange={(e) => setHours(e.currentTarget.value)}
              />
            </Group>
            <Group grow align="end">
              <TextInput
                label={t('party.field.content')}
                value={content}
                maxLength={1000}
                withAsterisk
                onChange={(e) => setContent(e.currentTarget.value)}
              />
              <NativeSelect
                label={t('party.field.rating')}
                value={rating}
                onChange={(e) => setRating(e.currentTarget.value)}
                data={[
                  { value: NOT_RATED, label: t('party.service.notRated') },
                  ...[5, 4, 3, 2, 1].map((r) => ({
                    value: String(r),
                    label: t(`party.rating.${r as 1 | 2 | 3 | 4 | 5}`),
                  })),
                ]}
              />
            </Group>
            <PartyError error={error} />
            {done && (
              <Text size="sm" c="green" role="status">
                {t('party.service.done')}
              </Text>
            )}
            <Group>
              <Button type="submit" loading={busy} disabled={chosen === undefined}>
                {t('party.service.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Title order={4}>{t('party.service.list', { year: thisYear(), count: records.length })}</Title>
      {records.length === 0 ? (
        <Text c="dimmed">{t('party.service.none')}</Text>
      ) : (
        <Table striped withTableBorder data-testid="party-services">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('party.field.on')}</Table.Th>
              <Table.Th>{t('party.field.subject')}</Table.Th>
              <Table.Th>{t('party.field.post')}</Table.Th>
              <Table.Th>{t('party.field.hours')}</Table.Th>
              <Table.Th>{t('party.field.content')}</Table.Th>
              <Table.Th>{t('party.field.rating')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.map((r) => (
              <Table.Tr key={r.id} data-testid="party-service-row">
                <Table.Td>{r.on}</Table.Td>
                <Table.Td>{subjectName(r.subject, members, units)}</Table.Td>
                <Table.Td>{postTitle(r.postId)}</Table.Td>
                <Table.Td>{hoursText(r.hours)}</Table.Td>
                <Table.Td>{r.content}</Table.Td>
                <Table.Td>{r.rating === null ? '—' : t(`party.rating.${r.rating as 1 | 2 | 3 | 4 | 5}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
