/**
 * The way back (docs/party-model.md, "links"): on a grid event's, a case's or a meeting's own page, the party record
 * it was made from (a 红袖标 finding, a 红马褂 concern, a 小茶馆 session, a 要事联商 record), as a link to that record
 * in 党建与资源. The link is kept in the activities document of the record's year, which is the year of what it became
 * or the one before (a record is made into an event, case or meeting on or after its day, and the party pages offer
 * this year's records; a meeting may be set for early next year), so both are read.
 */
import { Anchor, Text } from '@mantine/core';
import { useCallback } from 'react';
import { Link } from 'wouter';
import type * as Y from 'yjs';
import { sourceOf, yearRef } from '@shared/domain/party/actions';
import type { LinkSource, LinkTarget, OutLink } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { listPartyRecords } from '@shared/ydoc/party';
import { useDocValue } from '../../data/hooks';
import { useT, type Translate } from '../../i18n';
import { activitiesDoc } from './data';

/** What the record is, as the link words it. */
export interface Source {
  readonly link: OutLink;
  /** The year of the activities document holding the record. */
  readonly year: number;
  readonly on: string;
  readonly title: string;
  /** A session's kind (讲堂, 舞台, 茶馆); null for the others. */
  readonly sessionKind: 'lecture' | 'stage' | 'teahouse' | null;
}

/** The record's place in 党建与资源 (`~/` leaves the other area's nested route). */
export function sourceHref(source: LinkSource, year: number, recordId: string): string {
  const id = encodeURIComponent(recordId);
  if (source === 'patrol') return `~/party/sanhong/patrols/${year}/${id}`;
  if (source === 'concern') return `~/party/sanhong/concerns/${year}/${id}`;
  if (source === 'session') return `~/party/sanhong/sessions/${year}/${id}`;
  return `~/party/platforms/four/${year}/${id}`;
}

/** The record that became `ref` (`<year>/<id>` of the target's document) in one year's activities document. */
export function readSource(doc: Y.Doc, year: number, target: LinkTarget, ref: string): Source | null {
  const link = sourceOf(doc, target, ref);
  if (link === null) return null;
  const base = { link, year, sessionKind: null };
  if (link.source === 'patrol') {
    const patrol = listPartyRecords(doc, 'patrols').find((p) => p.id === link.recordId);
    if (!patrol) return null;
    const on = new Date(Date.parse(patrol.startsAt) + 8 * 3600_000).toISOString().slice(0, 10);
    return { ...base, on, title: patrol.route };
  }
  if (link.source === 'concern') {
    const concern = listPartyRecords(doc, 'concerns').find((c) => c.id === link.recordId);
    return concern ? { ...base, on: concern.on, title: concern.content } : null;
  }
  if (link.source === 'session') {
    const session = listPartyRecords(doc, 'sessions').find((s) => s.id === link.recordId);
    return session ? { ...base, on: session.on, title: session.topic, sessionKind: session.kind } : null;
  }
  const record = listPartyRecords(doc, 'linkRecords').find((r) => r.id === link.recordId);
  return record ? { ...base, on: record.on, title: record.title } : null;
}

/** The link's words: kind, day and title (a patrol's finding by its number). */
export function sourceText(t: Translate, source: Source): string {
  const { link, on, title } = source;
  if (link.source === 'patrol') return t('party.source.patrol', { on, title, n: link.item + 1 });
  if (link.source === 'concern') return t('party.source.concern', { on, title });
  if (link.source === 'session') {
    return t('party.source.session', { kind: t(`party.session.${source.sessionKind ?? 'teahouse'}`), on, title });
  }
  return t('party.source.link-record', { on, title });
}

/**
 * 来源：the party record a grid event (`target: 'incident'`), a case or a meeting of `year` was made from; nothing
 * when it was made otherwise.
 */
export function SourceLink({
  community,
  target,
  year,
  id,
}: {
  community: CommunityId;
  target: LinkTarget;
  year: number;
  id: string;
}) {
  const t = useT();
  const ref = yearRef(year, id);
  const readThis = useCallback((doc: Y.Doc) => readSource(doc, year, target, ref), [year, target, ref]);
  const readBefore = useCallback((doc: Y.Doc) => readSource(doc, year - 1, target, ref), [year, target, ref]);
  const here = useDocValue(activitiesDoc(community, year), readThis);
  const before = useDocValue(activitiesDoc(community, year - 1), readBefore);
  const source = here ?? before;
  if (!source) return null;
  return (
    <Text size="sm" data-testid="party-source">
      {t('party.source.label')}
      {t('places.colon')}
      <Anchor
        component={Link}
        href={sourceHref(source.link.source, source.year, source.link.recordId)}
        size="sm"
        data-testid="party-source-link"
      >
        {sourceText(t, source)}
      </Anchor>
    </Text>
  );
}
