/**
 * What a record became, and the one action that makes it so (docs/party-model.md, "links"): a finding or a concern
 * becomes a grid event (社情民意), a 小茶馆 grievance a mediation case, a 要事联商 record a 三平台 meeting. The other
 * domain's command runs on its own yearly document, then the record names it; the link opens it.
 */
import { Anchor, Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { hasPermission } from '@shared/domain/kernel';
import { grievanceToCase, toGridEvent } from '@shared/domain/party/actions';
import type { OutLink } from '@shared/domain/party/types';
import {
  INCIDENT_CATEGORIES,
  REQUEST_KINDS,
  type IncidentCategory,
  type RequestKind,
} from '@shared/domain/incidents/types';
import { CASE_CATEGORIES, RISK_LEVELS, type CaseCategory, type RiskLevel } from '@shared/domain/mediation/types';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { usePermissions } from '../sync';
import { activitiesDoc, thisYear, usePartyCommand } from './data';
import { PartyError } from './PartyError';

/** The address of what a record became, in its own area (`~/` leaves the party area's nested route). */
export function outHref(link: Pick<OutLink, 'target' | 'ref'>): string {
  const [year = '', ...rest] = link.ref.split('/');
  const id = encodeURIComponent(rest.join('/'));
  if (link.target === 'incident') return `~/events/e/${year}/${id}`;
  if (link.target === 'case') return `~/mediation/case/${link.ref}`;
  return `~/meetings/m/${year}/${id}`;
}

export function OutLinkAnchor({ link }: { link: OutLink }) {
  const t = useT();
  return (
    <Anchor component={Link} href={outHref(link)} size="sm" data-testid="party-out-link">
      {t(`party.link.${link.target}`, { ref: link.ref })}
    </Anchor>
  );
}

/** 转为网格事件: reports the finding (or concern) as a grid event with the category and kind chosen here. */
export function ToGridEvent({
  community,
  recordYear,
  source,
  recordId,
  item = 0,
  title,
  content,
  place,
  occurredAt,
  label,
}: {
  community: CommunityId;
  recordYear: number;
  source: 'patrol' | 'concern';
  recordId: string;
  item?: number;
  title: string;
  content: string;
  place: string;
  occurredAt: string;
  label: string;
}) {
  const t = useT();
  const store = useStore();
  const allowed = hasPermission(usePermissions(community), 'incidents.edit');
  const { across, error, busy } = usePartyCommand(community);
  const [open, setOpen] = useState(false);
  const [category, setCategory] = useState<IncidentCategory>(source === 'patrol' ? 'security' : 'opinion');
  const [kind, setKind] = useState<RequestKind>(source === 'patrol' ? 'complaint' : 'suggestion');
  if (!allowed) return null;
  if (!open) {
    return (
      <Button size="compact-xs" variant="light" onClick={() => setOpen(true)} aria-label={label}>
        {t('party.link.toEvent')}
      </Button>
    );
  }
  const submit = () =>
    void across(async (ctx) => {
      const year = thisYear();
      const activities = await store.document(activitiesDoc(community, recordYear));
      const incidents = await store.document(docName({ community, collection: 'incidents', year }));
      return toGridEvent(activities, incidents, ctx, {
        source,
        recordId,
        item,
        year,
        community,
        event: {
          title: title.slice(0, 100),
          content: content.slice(0, 4000),
          occurredAt,
          place: { text: place.slice(0, 200) },
          category,
          subCategory: t(source === 'patrol' ? 'party.link.fromPatrol' : 'party.link.fromConcern'),
          kind,
          reporter: {},
          source: source === 'patrol' ? 'patrol' : 'volunteer',
        },
      });
    }).then((made) => {
      if (made !== null) setOpen(false);
    });
  return (
    <Stack gap={4}>
      <Group gap={4} align="end">
        <NativeSelect
          size="xs"
          label={t('party.link.category')}
          value={category}
          onChange={(e) => setCategory(e.currentTarget.value as IncidentCategory)}
          data={INCIDENT_CATEGORIES.map((value) => ({ value, label: t(`incident.category.${value}`) }))}
        />
        <NativeSelect
          size="xs"
          label={t('party.link.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as RequestKind)}
          data={REQUEST_KINDS.map((value) => ({ value, label: t(`incident.kind.${value}`) }))}
        />
        <Button size="xs" loading={busy} onClick={submit}>
          {t('party.link.report')}
        </Button>
        <Button size="xs" variant="default" onClick={() => setOpen(false)}>
          {t('party.cancel')}
        </Button>
      </Group>
      <PartyError error={error} />
    </Stack>
  );
}

/** 转为调解案件: a 小茶馆 grievance registered as a mediation case at the place written, with its two parties. */
export function GrievanceToCase({
  community,
  recordYear,
  sessionId,
  facts,
}: {
  community: CommunityId;
  recordYear: number;
  sessionId: string;
  facts: string;
}) {
  const t = useT();
  const store = useStore();
  const allowed = hasPermission(usePermissions(community), 'cases.edit');
  const { across, error, busy } = usePartyCommand(community);
  const [open, setOpen] = useState(false);
  const [applicant, setApplicant] = useState('');
  const [respondent, setRespondent] = useState('');
  const [address, setAddress] = useState('');
  const [category, setCategory] = useState<CaseCategory>('neighbours');
  const [risk, setRisk] = useState<RiskLevel>('blue');
  if (!allowed) return null;
  if (!open) {
    return (
      <Button size="compact-xs" variant="light" onClick={() => setOpen(true)}>
        {t('party.link.toCase')}
      </Button>
    );
  }
  const submit = () =>
    void across(async (ctx) => {
      const year = thisYear();
      const activities = await store.document(activitiesDoc(community, recordYear));
      const cases = await store.document(docName({ community, collection: 'cases', year }));
      const { doc: registry } = await store.registry(community);
      return grievanceToCase(
        activities,
        cases,
        ctx,
        {
          sessionId,
          year,
          intake: {
            place: { address },
            source: 'resident-request',
            category,
            risk,
            parties: [
              { role: 'applicant', name: applicant },
              { role: 'respondent', name: respondent },
            ],
            facts: facts.slice(0, 20_000),
          },
        },
        registry,
      );
    }).then((made) => {
      if (made !== null) setOpen(false);
    });
  return (
    <form
      aria-label={t('party.link.toCase')}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap={4}>
        <Group grow align="end">
          <TextInput
            size="xs"
            label={t('party.field.applicant')}
            value={applicant}
            maxLength={40}
            withAsterisk
            onChange={(e) => setApplicant(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label={t('party.field.respondent')}
            value={respondent}
            maxLength={40}
            withAsterisk
            onChange={(e) => setRespondent(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label={t('party.field.place')}
            value={address}
            maxLength={200}
            withAsterisk
            onChange={(e) => setAddress(e.currentTarget.value)}
          />
        </Group>
        <Group grow align="end">
          <NativeSelect
            size="xs"
            label={t('party.link.caseCategory')}
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value as CaseCategory)}
            data={CASE_CATEGORIES.map((value) => ({ value, label: t(`case.category.${value}`) }))}
          />
          <NativeSelect
            size="xs"
            label={t('party.link.risk')}
            value={risk}
            onChange={(e) => setRisk(e.currentTarget.value as RiskLevel)}
            data={RISK_LEVELS.map((value) => ({ value, label: t(`case.risk.${value}`) }))}
          />
          <Group gap={4}>
            <Button type="submit" size="xs" loading={busy}>
              {t('party.link.register')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setOpen(false)}>
              {t('party.cancel')}
            </Button>
          </Group>
        </Group>
        <PartyError error={error} />
      </Stack>
    </form>
  );
}
