import { Anchor, Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { recordFeedback } from '@shared/domain/party/commands';
import { feedbackSheet, quarterOf } from '@shared/domain/party/rules';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords } from '../../data/hooks';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, usePartyMembers } from './data';
import { hoursText, ratingText } from './labels';
import { PartyError } from './PartyError';
import { PrintSheet } from './PrintSheet';

/**
 * 服务反馈单: a member's quarter (check-ins, posts claimed, services with hours and ratings) on A4, for the member's
 * employer (中江 practice: the card is fed back every quarter); sending it is recorded.
 */
export function FeedbackPage({
  community,
  communityName,
  memberId,
}: {
  community: CommunityId;
  communityName: string;
  memberId: string;
}) {
  const t = useT();
  const edit = usePartyEdit(community);
  const year = thisYear();
  const [quarter, setQuarter] = useState(quarterOf(today()));
  const members = usePartyMembers(community);
  const posts = useRecords(community, 'posts');
  const activities = useActivities(community, year);
  const { activity, error, busy } = usePartyCommand(community);
  const [printing, setPrinting] = useState(false);
  if (members === undefined || posts === undefined || activities === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  const member = members.find((m) => m.id === memberId);
  if (member === undefined) return <Text c="dimmed">{t('party.feedback.noMember')}</Text>;
  const sheet = feedbackSheet(
    memberId,
    year,
    quarter,
    activities.checkIns,
    activities.serviceRecords,
    activities.claims,
  );
  const sent = activities.feedback.filter((f) => f.memberId === memberId);
  const title = (id: string) => posts.find((p) => p.id === id)?.title ?? id;
  const body = (
    <>
      <h1>{t('party.feedback.title')}</h1>
      <p>{t('party.feedback.to', { workplace: sheet.workplace || t('party.feedback.noWorkplace') })}</p>
      <p>{t('party.feedback.intro', { community: communityName, name: member.name, year, quarter })}</p>
      <table>
        <tbody>
          <tr>
            <th>{t('party.feedback.checkIns')}</th>
            <td>{sheet.checkIns.join(t('party.enumSep')) || t('party.feedback.noneInQuarter')}</td>
          </tr>
          <tr>
            <th>{t('party.feedback.posts')}</th>
            <td>{sheet.postIds.map(title).join(t('party.enumSep')) || '—'}</td>
          </tr>
          <tr>
            <th>{t('party.feedback.total')}</th>
            <td>
              {t('party.feedback.totalText', {
                count: sheet.services.length,
                hours: hoursText(sheet.hours),
                rating: ratingText(sheet.rating),
              })}
            </td>
          </tr>
        </tbody>
      </table>
      <h2>{t('party.feedback.records')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('party.field.on')}</th>
            <th>{t('party.field.content')}</th>
            <th>{t('party.field.hours')}</th>
            <th>{t('party.field.rating')}</th>
          </tr>
        </thead>
        <tbody>
          {sheet.services.map((s) => (
            <tr key={s.id}>
              <td>{s.on}</td>
              <td>{s.content}</td>
              <td>{hoursText(s.hours)}</td>
              <td>{s.rating ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="cgw-party-sign">
        <span>{t('party.feedback.sign', { community: communityName })}</span>
        <span>{t('party.print.made', { date: today() })}</span>
      </div>
    </>
  );
  return (
    <Stack>
      <Anchor component={Link} href="/">
        {t('party.feedback.back')}
      </Anchor>
      <Title order={4}>{t('party.feedback.heading', { name: member.name, year })}</Title>
      <Group align="end">
        <NativeSelect
          label={t('party.feedback.quarter')}
          value={String(quarter)}
          onChange={(e) => setQuarter(Number(e.currentTarget.value))}
          data={[1, 2, 3, 4].map((q) => ({ value: String(q), label: t('party.feedback.quarterN', { quarter: q }) }))}
        />
        <Button onClick={() => setPrinting(true)}>{t('party.feedback.print')}</Button>
        {edit && (
          <Button
            variant="light"
            loading={busy}
            onClick={() =>
              void activity(year, recordFeedback, { memberId, quarter, workplace: sheet.workplace, on: today() })
            }
          >
            {t('party.feedback.markSent')}
          </Button>
        )}
      </Group>
      <PartyError error={error} />
      {sent.length > 0 && (
        <Text size="sm" data-testid="party-feedback-sent">
          {sent.map((f) => t('party.feedback.sentOn', { quarter: f.quarter, date: f.on })).join(t('party.clauseSep'))}
        </Text>
      )}
      <div className="cgw-party-sheet" data-testid="party-feedback-sheet">
        {body}
      </div>
      {printing && (
        <PrintSheet
          fileName={t('party.feedback.fileName', { name: member.name, year, quarter })}
          onClose={() => setPrinting(false)}
        >
          {body}
        </PrintSheet>
      )}
    </Stack>
  );
}
