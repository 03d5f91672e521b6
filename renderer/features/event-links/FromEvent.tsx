/**
 * The way back from a case, a meeting or a task to the grid event it was made from (links.ts): 来源 with a link to
 * the event's page. Nothing is shown for a record made otherwise.
 */
import { Anchor, Text } from '@mantine/core';
import { Link } from 'wouter';
import type { LinkKind } from '@shared/domain/incidents/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { eventHref, useEventSources } from './links';

export function FromEvent({
  community,
  link,
  year,
  id,
}: {
  community: CommunityId;
  link: LinkKind;
  year: number;
  id: string;
}) {
  const t = useT();
  const sources = useEventSources(community, link, year, id);
  if (sources === undefined || sources.length === 0) return null;
  return (
    <Text size="sm" data-testid="from-event">
      <Text span c="dimmed" size="sm">
        {t('incident.from.label')}
      </Text>
      {sources.map((s, i) => (
        <span key={`${s.year}/${s.id}`}>
          {i > 0 ? t('incident.from.separator') : ''}
          <Anchor component={Link} href={eventHref(s.year, s.id)} size="sm">
            {t('incident.from.event', { title: s.title, on: s.reportedOn })}
          </Anchor>
        </span>
      ))}
    </Text>
  );
}
