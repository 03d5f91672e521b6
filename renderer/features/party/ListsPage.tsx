import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { threeLists, type ListedPost } from '@shared/domain/party/rules';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRecords } from '../../data/hooks';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyMembers, type Member } from './data';
import { PrintSheet } from './PrintSheet';
import { subjectName } from './subjects';

function PostTable({
  rows,
  members,
  units,
  testId,
}: {
  rows: readonly ListedPost[];
  members: readonly Member[];
  units: readonly StoredRecord<'units'>[];
  testId: string;
}) {
  const t = useT();
  if (rows.length === 0) return <p>{t('party.lists.empty')}</p>;
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>{t('party.field.category')}</th>
          <th>{t('party.field.title')}</th>
          <th>{t('party.field.content')}</th>
          <th>{t('party.col.claimed')}</th>
          <th>{t('party.col.claimants')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ post, claims }) => (
          <tr key={post.id}>
            <td>{t(`party.category.${post.category}`)}</td>
            <td>{post.title}</td>
            <td>{post.content}</td>
            <td>{t('party.post.count', { claimed: claims.length, capacity: post.capacity })}</td>
            <td>{claims.map((c) => subjectName(c.claimant, members, units)).join(t('party.enumSep'))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 三清单: 需求清单, 供给清单 and 共建清单 of this year, on screen and on A4. */
export function ListsPage({ community, communityName }: { community: CommunityId; communityName: string }) {
  const t = useT();
  const posts = useRecords(community, 'posts');
  const units = useRecords(community, 'units');
  const members = usePartyMembers(community);
  const year = thisYear();
  const activities = useActivities(community, year);
  const [printing, setPrinting] = useState(false);
  if (posts === undefined || units === undefined || members === undefined || activities === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  const lists = threeLists(posts, activities.claims, units, today());
  const body = (
    <>
      <h1>{t('party.lists.title', { community: communityName, year })}</h1>
      <h2>{t('party.lists.needs')}</h2>
      <PostTable rows={lists.needs} members={members} units={units} testId="party-list-needs" />
      <h2>{t('party.lists.supply')}</h2>
      <PostTable rows={lists.supply} members={members} units={units} testId="party-list-supply" />
      <h2>{t('party.lists.cooperation')}</h2>
      {lists.cooperation.length === 0 ? (
        <p>{t('party.lists.empty')}</p>
      ) : (
        <table data-testid="party-list-cooperation">
          <thead>
            <tr>
              <th>{t('party.field.unitName')}</th>
              <th>{t('party.field.agreement')}</th>
              <th>{t('party.field.until')}</th>
              <th>{t('party.unit.partTime')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.cooperation.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.agreement?.content}</td>
                <td>{u.agreement?.until}</td>
                <td>{u.partTimeMembers.map((m) => m.name).join(t('party.enumSep'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>{t('party.print.made', { date: today() })}</p>
    </>
  );
  return (
    <Stack>
      <Group>
        <Button onClick={() => setPrinting(true)}>{t('party.lists.print')}</Button>
      </Group>
      <div className="cgw-party-sheet">{body}</div>
      {printing && (
        <PrintSheet
          fileName={t('party.lists.fileName', { year })}
          onClose={() => setPrinting(false)}
          testId="party-lists-print"
        >
          {body}
        </PrintSheet>
      )}
      <Title order={6} c="dimmed">
        {t('party.lists.hint')}
      </Title>
    </Stack>
  );
}
