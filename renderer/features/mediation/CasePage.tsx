/**
 * 案件页: everything about one case, the timeline, and the actions the machine allows now. The page and its parts
 * ask the machine (`allowedActions`, the offers of shared/domain/mediation/offers.ts) what to offer, never recompute a
 * rule (docs/architecture.md, "Questions before actions"). Parts: CaseFrame.tsx (sections, frames), RecordCards.tsx
 * (sessions, agreements), CaseFiles.tsx (attachments, viewer), CaseTimeline.tsx, CaseParties.tsx (masked phones).
 */
import { Alert, Anchor, Badge, Button, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import { deadlineRunning, deadlineState, effectiveDueDate } from '@shared/domain/mediation/deadline';
import { allowedActions, canMediate } from '@shared/domain/mediation/machine';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { usePermissions } from '../sync';
import { AttachmentViewer } from './AttachmentViewer';
import {
  AgreementForm,
  ArchiveButton,
  CloseForm,
  EscalateForm,
  ExtendForm,
  FollowUpForm,
  OutcomeForm,
  SessionForm,
  StartPerformanceButton,
  VisitForm,
  type ActionProps,
} from './CaseActions';
import { CaseErrorText } from './CaseErrorText';
import { AddAttachment, AttachmentList, galleryOf } from './CaseFiles';
import { ActionFrame, Section } from './CaseFrame';
import { DEADLINE_COLOR, lastRenumber, RISK_COLOR } from './CaseList';
import { CaseParties } from './CaseParties';
import { AgreementCard, SessionCard } from './RecordCards';
import { Steps, Timeline } from './CaseTimeline';
import { formatInstant } from './labels';
import { caseNumberText, currentHead, useCase, useCaseCommand, useCaseFiles, useRegistryInfo } from './useCases';
import { FromEvent } from '../event-links';
import { SourceLink } from '../party';

export { timelineText } from './CaseTimeline';

/** Actions offered as forms (a toggle button opens each) or, `direct`, as one button that acts at once. */
const FORMS = {
  recordVisit: { label: 'case.visit.title', Form: VisitForm },
  escalate: { label: 'case.escalate.title', Form: EscalateForm },
  recordSession: { label: 'case.session.new', Form: SessionForm },
  reachAgreement: { label: 'case.agreement.new', Form: AgreementForm },
  recordOutcome: { label: 'case.outcome.title', Form: OutcomeForm },
  startPerformance: { label: 'case.perform.start', Form: StartPerformanceButton, direct: true },
  recordFollowUp: { label: 'case.followUp.title', Form: FollowUpForm },
  close: { label: 'case.close.title', Form: CloseForm },
  archive: { label: 'case.archive.submit', Form: ArchiveButton, direct: true },
  extendDeadline: { label: 'case.extend.title', Form: ExtendForm },
} as const;
type FormAction = keyof typeof FORMS;

export function CasePage({ community, year, id }: { community: CommunityId; year: number; id: string }) {
  const t = useT();
  const store = useStore();
  const c = useCase(community, year, id);
  const info = useRegistryInfo(community);
  const command = useCaseCommand(community, year);
  const [action, setAction] = useState<FormAction | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const today = chinaDate(new Date());
  const attachments = useMemo(() => (c ? [...c.attachments, ...c.addedAttachments] : []), [c]);
  const refs = useMemo(() => {
    const paper = c
      ? [...Object.values(c.sessions), ...Object.values(c.agreements)].flatMap((r) =>
          r.signatures.flatMap((s) => (s.kind === 'on-paper' ? [s.photo] : [])),
        )
      : [];
    return [...attachments.map((a) => a.ref), ...paper];
  }, [c, attachments]);
  const files = useCaseFiles(community, year, refs);
  // The role this device holds in the case's community (not the community the other screens show).
  const permissions = usePermissions(community);

  if (c === undefined) return <Text c="dimmed">{t('case.loading')}</Text>;
  if (c === null)
    return (
      <Stack>
        <Alert color="orange">{t('case.notFound')}</Alert>
        <Anchor component={Link} href="/">
          {t('case.back')}
        </Anchor>
      </Stack>
    );

  const allowed = new Set(allowedActions(c, { permissions }, today));
  const offered = (Object.keys(FORMS) as FormAction[]).filter((a) => allowed.has(a));
  const state = deadlineState(c, today);
  const renumber = lastRenumber(c);
  const head = currentHead(c, info);
  const sessions = Object.values(c.sessions).sort((a, b) => (a.at < b.at ? -1 : 1));
  const agreements = Object.values(c.agreements).sort((a, b) => (a.madeAt < b.madeAt ? -1 : 1));
  const props: Omit<ActionProps, 'done'> = {
    c,
    run: command.run,
    busy: command.busy,
    error: command.error,
    userName: store.user.userName,
    info,
  };
  const active = action !== null && allowed.has(action) ? FORMS[action] : null;
  const gallery = galleryOf(t, c, files, attachments);
  const viewIndex = viewing === null ? -1 : gallery.findIndex((item) => item.ref === viewing);
  const cardProps = { c, actions: props, actor: { permissions }, today, onView: setViewing };

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={2} data-testid="case-number">
            {caseNumberText(c, info)}
          </Title>
          <Badge size="lg" data-testid="case-status">
            {t(`case.status.${c.status}`)}
          </Badge>
          <Badge size="lg" variant="light" color={RISK_COLOR[c.risk]}>
            {t(`case.risk.${c.risk}`)}
          </Badge>
          {deadlineRunning(c) && (
            <Badge size="lg" color={DEADLINE_COLOR[state]} variant={state === 'ok' ? 'light' : 'filled'}>
              {t(`case.deadline.${state}`)} · {effectiveDueDate(c)}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          <Button component={Link} href={`/case/${c.year}/${c.id}/dossier`} variant="default">
            {t('case.page.printDossier')}
          </Button>
          <Button component={Link} href="/" variant="subtle">
            {t('case.back')}
          </Button>
        </Group>
      </Group>
      {renumber && (
        <Alert color="yellow" data-testid="case-renumbered">
          {t('case.page.renumbered', renumber)}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('case.page.facts')}>
          <Stack gap={4}>
            <Text size="sm">
              {t(`case.category.${c.category}`)} · {t(`case.source.${c.source}`)}
            </Text>
            <SourceLink community={community} target="case" year={c.year} id={c.id} />
            <FromEvent community={community} link="case" year={c.year} id={c.id} />
            <Text size="sm">
              {t('case.page.place')}
              {t('places.colon')}
              {c.place.address}
            </Text>
            <Text size="sm">
              {t('case.page.registeredAt')}
              {t('places.colon')}
              {formatInstant(c.registeredAt)} {t('case.page.registeredBy')}
              {t('places.colon')}
              {c.registeredBy.userName}
            </Text>
            <Text size="sm" data-testid="case-holder">
              {t('case.page.holder')}
              {t('places.colon')}
              {t(`case.level.${c.level}`)} {head?.name ?? t('case.page.holderNone')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.facts}
            </Text>
            {attachments.length > 0 && <AttachmentList attachments={attachments} files={files} onView={setViewing} />}
            {allowed.has('addAttachment') && (
              <AddAttachment c={c} run={command.run} busy={command.busy} error={command.error} />
            )}
          </Stack>
        </Section>
        <Section title={t('case.page.parties')}>
          <CaseParties c={c} permissions={permissions} actions={allowed.has('setGuardian') ? props : undefined} />
        </Section>
      </SimpleGrid>

      <Section title={t('case.page.steps')}>
        <Steps c={c} info={info} />
      </Section>

      <Section title={t('case.page.actions')} testId="case-actions">
        {!canMediate(permissions) ? (
          <Text size="sm" c="dimmed">
            {t('case.page.readOnly')}
          </Text>
        ) : offered.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('case.page.noActions')}
          </Text>
        ) : (
          <Stack>
            <Group gap="xs">
              {offered.map((a) => {
                const entry = FORMS[a];
                if ('direct' in entry) return <entry.Form key={a} {...props} done={() => setAction(null)} />;
                return (
                  <Button
                    key={a}
                    variant={action === a ? 'filled' : 'light'}
                    aria-pressed={action === a}
                    onClick={() => {
                      command.clear();
                      setAction(action === a ? null : a);
                    }}
                  >
                    {t(entry.label)}
                  </Button>
                );
              })}
            </Group>
            {active && (
              <ActionFrame focus key={action}>
                <active.Form {...props} done={() => setAction(null)} />
              </ActionFrame>
            )}
            {!active && command.error && (
              <Alert color="red" role="alert" p="xs">
                <CaseErrorText error={command.error} />
              </Alert>
            )}
          </Stack>
        )}
      </Section>

      {sessions.length > 0 && (
        <Section title={t('case.page.sessions')}>
          <Stack>
            {sessions.map((s) => (
              <SessionCard key={s.id} s={s} {...cardProps} />
            ))}
          </Stack>
        </Section>
      )}
      {agreements.length > 0 && (
        <Section title={t('case.page.agreements')}>
          <Stack>
            {agreements.map((a) => (
              <AgreementCard key={a.id} a={a} {...cardProps} />
            ))}
          </Stack>
        </Section>
      )}
      {c.followUps.length > 0 && (
        <Section title={t('case.page.followUps')}>
          <List data-testid="case-followups">
            {c.followUps.map((f) => (
              <List.Item key={f.id}>
                {t('case.followUp.line', {
                  date: f.date,
                  visitor: f.visitor,
                  performance: t(`case.followUp.performance.${f.performance}`),
                  satisfaction: f.satisfaction,
                })}
                {f.note ? `${t('places.colon')}${f.note}` : ''}
              </List.Item>
            ))}
          </List>
        </Section>
      )}
      <Section title={t('case.page.timeline')}>
        <Timeline c={c} />
      </Section>
      <AttachmentViewer
        items={gallery}
        files={files}
        index={viewIndex < 0 ? null : viewIndex}
        onIndex={(index) => setViewing(gallery[index]?.ref ?? null)}
        onClose={() => setViewing(null)}
      />
    </Stack>
  );
}
