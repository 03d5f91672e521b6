import { Badge, Button, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { claimPost, createPost, withdrawPost } from '@shared/domain/party/commands';
import { POST_CATEGORIES, POST_KINDS, type PostCategory, type PostKind } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRecords } from '../../data/hooks';
import { useT } from '../../i18n';
import {
  thisYear,
  today,
  useActivities,
  usePartyCommand,
  usePartyEdit,
  usePartyMembers,
  yearOf,
  type Member,
} from './data';
import { PartyError } from './PartyError';
import { subjectName, subjectOptions } from './subjects';

type Post = StoredRecord<'posts'>;

function NewPost({ community }: { community: CommunityId }) {
  const t = useT();
  const { registry, error, busy } = usePartyCommand(community);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<PostKind>('post');
  const [category, setCategory] = useState<PostCategory>('governance');
  const [capacity, setCapacity] = useState<number | string>(2);
  const [content, setContent] = useState('');
  return (
    <form
      aria-label={t('party.post.new')}
      onSubmit={(event) => {
        event.preventDefault();
        void registry(createPost, { title, kind, category, content, capacity: Number(capacity) }).then((id) => {
          if (id !== null) {
            setTitle('');
            setContent('');
          }
        });
      }}
    >
      <Stack gap="xs">
        <Title order={4}>{t('party.post.new')}</Title>
        <Group grow align="end">
          <TextInput
            label={t('party.field.title')}
            value={title}
            maxLength={100}
            withAsterisk
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('party.field.postKind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as PostKind)}
            data={POST_KINDS.map((value) => ({ value, label: t(`party.postKind.${value}`) }))}
          />
          <NativeSelect
            label={t('party.field.category')}
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value as PostCategory)}
            data={POST_CATEGORIES.map((value) => ({ value, label: t(`party.category.${value}`) }))}
          />
          <NumberInput
            label={t('party.field.capacity')}
            value={capacity}
            min={1}
            max={500}
            allowDecimal={false}
            onChange={setCapacity}
          />
        </Group>
        <TextInput
          label={t('party.field.content')}
          value={content}
          maxLength={1000}
          onChange={(e) => setContent(e.currentTarget.value)}
        />
        <PartyError error={error} />
        <Group>
          <Button type="submit" loading={busy}>
            {t('party.post.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ClaimCell({
  community,
  post,
  members,
  units,
}: {
  community: CommunityId;
  post: Post;
  members: readonly Member[];
  units: readonly StoredRecord<'units'>[];
}) {
  const t = useT();
  const { activity, registry, error, busy } = usePartyCommand(community);
  const [value, setValue] = useState('');
  const options = subjectOptions(
    members,
    units,
    (name) => t('party.unitOption', { name }),
    (name, address) => t('party.withNote', { text: name, note: address }),
  );
  const chosen = options.find((o) => o.value === value);
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap">
        <NativeSelect
          size="xs"
          aria-label={t('party.post.claimantOf', { title: post.title })}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          data={[{ value: '', label: t('party.choose') }, ...options.map((o) => ({ value: o.value, label: o.label }))]}
        />
        <Button
          size="xs"
          variant="light"
          loading={busy}
          disabled={chosen === undefined}
          onClick={() => {
            if (chosen === undefined) return;
            void activity(yearOf(today()), claimPost, { postId: post.id, claimant: chosen.subject, on: today() }).then(
              (r) => {
                if (r !== null) setValue('');
              },
            );
          }}
        >
          {t('party.post.claim')}
        </Button>
        <Button
          size="xs"
          variant="subtle"
          color="red"
          aria-label={t('party.post.withdrawOf', { title: post.title })}
          onClick={() => void registry(withdrawPost, { postId: post.id })}
        >
          {t('party.post.withdraw')}
        </Button>
      </Group>
      <PartyError error={error} />
    </Stack>
  );
}

/** 服务岗位: the 需求表's needs and posts in eight categories, claimed by members and units (拟认领 / 已认领). */
export function PostsPage({ community }: { community: CommunityId }) {
  const t = useT();
  const edit = usePartyEdit(community);
  const posts = useRecords(community, 'posts');
  const units = useRecords(community, 'units');
  const members = usePartyMembers(community);
  const activities = useActivities(community, thisYear());
  if (posts === undefined || units === undefined || members === undefined || activities === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  const shown = [...posts].sort((a, b) =>
    a.category !== b.category
      ? POST_CATEGORIES.indexOf(a.category) - POST_CATEGORIES.indexOf(b.category)
      : a.title.localeCompare(b.title, 'zh-CN'),
  );
  return (
    <Stack>
      {edit && <NewPost community={community} />}
      <Title order={4}>{t('party.post.list', { year: thisYear() })}</Title>
      {shown.length === 0 ? (
        <Text c="dimmed">{t('party.post.none')}</Text>
      ) : (
        <Table striped withTableBorder data-testid="party-posts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('party.field.title')}</Table.Th>
              <Table.Th>{t('party.field.category')}</Table.Th>
              <Table.Th>{t('party.col.claimed')}</Table.Th>
              <Table.Th>{t('party.col.claimants')}</Table.Th>
              {edit && <Table.Th>{t('party.col.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((post) => {
              const claims = activities.claims.filter((c) => c.postId === post.id);
              return (
                <Table.Tr key={post.id} data-testid="party-post-row">
                  <Table.Td>
                    <Group gap={4}>
                      <Text size="sm">{post.title}</Text>
                      <Badge size="xs" variant="light">
                        {t(`party.postKind.${post.kind}`)}
                      </Badge>
                      {post.withdrawn && (
                        <Badge size="xs" color="gray">
                          {t('party.post.withdrawn')}
                        </Badge>
                      )}
                    </Group>
                    {post.content && (
                      <Text size="xs" c="dimmed">
                        {post.content}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`party.category.${post.category}`)}</Table.Td>
                  <Table.Td>{t('party.post.count', { claimed: claims.length, capacity: post.capacity })}</Table.Td>
                  <Table.Td data-testid="party-post-claimants">
                    {claims.map((c) => subjectName(c.claimant, members, units)).join(t('party.enumSep')) || '—'}
                  </Table.Td>
                  {edit && (
                    <Table.Td>
                      {!post.withdrawn && (
                        <ClaimCell community={community} post={post} members={members} units={units} />
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
