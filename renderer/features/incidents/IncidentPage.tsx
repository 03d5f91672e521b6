import { Anchor, Badge, Button, Card, Group, Image, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState, type ComponentType, type ReactNode } from 'react';
import { Link } from 'wouter';
import { chinaMinute } from '@shared/domain/dates';
import { allowedActions } from '@shared/domain/incidents/machine';
import { isOpen, type IncidentState } from '@shared/domain/incidents/state';
import { LINK_KINDS, type LinkKind, type Step } from '@shared/domain/incidents/types';
import { hasPermission, type Permission } from '@shared/domain/kernel';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT, type MessageKey } from '../../i18n';
import { LazyBoundary } from '../../ui/lazy';
import { SourceLink } from '../party';
import {
  useIncidentCalendar,
  incidentHref,
  incidentsEnvWith,
  today as todayOf,
  useIncident,
  useIncidentActor,
  useIncidentCommand,
  useIncidentFiles,
  useIncidentLimits,
  useIncidentList,
} from './data';
import { IncidentActions } from './IncidentActions';
import { assigneeText, dueOf, LIGHT_COLORS, ratingKey, STATUS_COLORS, stepText } from './labels';
import { linkHref } from '../event-links';
import type { MakeFormProps } from './makeForm';
import { ToCaseForm } from './ToCase';
import { ToMeetingForm } from './ToMeeting';
import { ToTaskForm } from './ToTask';
import { usePlacesWorded } from './usePlaceNames';

function Field({ label, children }: { label: string; children: ReactNode }) {
  const t = useT();
  return (
    <Text size="sm">
      <Text span c="dimmed" size="sm">
        {label}
        {t('places.colon')}
      </Text>
      {children}
    </Text>
  );
}

/** An event's page: what was recorded, where it stands against its limit, the actions offered and its history. */
export function IncidentPage({ community, year, id }: { community: CommunityId; year: number; id: string }) {
  const t = useT();
  const state = useIncident(community, year, id);
  const back = (
    <Anchor component={Link} href="/" size="sm">
      {t('incident.back')}
    </Anchor>
  );
  if (state === undefined) return <Text c="dimmed">{t('incident.loading')}</Text>;
  if (state === null) {
    return (
      <Stack>
        {back}
        <Text>{t('incident.notFound')}</Text>
      </Stack>
    );
  }
  return <IncidentView community={community} year={year} state={state} back={back} />;
}

/** A record the event became: a link to its page when the kept id says where it is, else the id as text. */
function LinkItem({ link, recordId }: { link: LinkKind; recordId: string }) {
  const t = useT();
  const href = linkHref(link, recordId);
  const text = `${t(`incident.link.${link}`)} ${recordId}`;
  return href === null ? (
    text
  ) : (
    <Anchor component={Link} href={href}>
      {text}
    </Anchor>
  );
}

function Photos({ refs, fileOf }: { refs: readonly string[]; fileOf: ReturnType<typeof useIncidentFiles> }) {
  if (fileOf === undefined || refs.length === 0) return null;
  return (
    <Group gap="sm">
      {refs.map((ref) => {
        const file = fileOf(ref);
        if (file === null) return null;
        return (
          <Anchor key={ref} href={file.data} download={file.name} size="sm" data-testid="incident-file">
            {file.type.startsWith('image/') ? (
              <Image src={file.data} alt={file.name} h={72} w="auto" radius="sm" />
            ) : (
              file.name
            )}
          </Anchor>
        );
      })}
    </Group>
  );
}

/** What an event can be made into with one action: the permission it needs, its button and its form. */
const MAKE: Readonly<
  Record<LinkKind, { permission: Permission; action: MessageKey; Form: ComponentType<MakeFormProps> }>
> = {
  case: { permission: 'cases.edit', action: 'incident.action.toCase', Form: ToCaseForm },
  meeting: { permission: 'meetings.edit', action: 'incident.action.toMeeting', Form: ToMeetingForm },
  task: { permission: 'tasks.supervise', action: 'incident.action.toTask', Form: ToTaskForm },
};

function IncidentView({
  community,
  year,
  state,
  back,
}: {
  community: CommunityId;
  year: number;
  state: IncidentState;
  back: ReactNode;
}) {
  const t = useT();
  const commands = useIncidentCommand(community, year);
  const actor = useIncidentActor(community);
  const places = usePlacesWorded(community);
  const list = useIncidentList(community);
  const fileOf = useIncidentFiles(community, year);
  const [making, setMaking] = useState<LinkKind | null>(null);
  const today = todayOf();
  const calendar = useIncidentCalendar(community);
  const limits = useIncidentLimits(community);
  const allowed = useMemo(
    () => allowedActions(state, actor, today, incidentsEnvWith(calendar, limits)),
    [state, actor, today, calendar, limits],
  );
  const due = dueOf(t, state, calendar, limits, today);
  const b = state.base;
  const nameOf = places?.nameOf ?? (() => null);
  const placeText = [b.place.grid, b.place.compound, b.place.building, b.place.household]
    .map((id) => nameOf(id))
    .filter((n): n is string => n !== null)
    .concat(b.place.text === '' ? [] : [b.place.text])
    .join(' · ');
  const others = useMemo(() => (list ?? []).filter((o) => o.year === year), [list, year]);
  const titleOf = (incidentId: string) => others.find((o) => o.state.base.id === incidentId)?.state.base.title;
  const makeable = LINK_KINDS.filter(
    (kind) => state.status !== 'merged' && hasPermission(actor.permissions, MAKE[kind].permission),
  );
  const MakeForm = making === null ? null : MAKE[making].Form;
  const stopMaking = () => setMaking(null);
  const timeline: { step: Step; ignored: boolean }[] = [
    ...state.history.map((step) => ({ step, ignored: false })),
    ...state.ignored.map((step) => ({ step, ignored: true })),
  ].sort((x, y) => (x.step.at < y.step.at ? -1 : x.step.at > y.step.at ? 1 : 0));

  return (
    <Stack data-testid="incident-page">
      {back}
      <Group gap="sm" align="center">
        <Title order={3}>{b.title}</Title>
        <Badge color={STATUS_COLORS[state.status]} data-testid="incident-status">
          {t(`incident.status.${state.status}`)}
        </Badge>
        {due !== null && (
          <Badge color={LIGHT_COLORS[due.light]} variant="light" data-testid="incident-due">
            {due.text}
          </Badge>
        )}
        {state.reopened > 0 && (
          <Badge color="orange" variant="outline">
            {t('incident.page.reopened', { count: state.reopened })}
          </Badge>
        )}
        {state.suspendedSince !== null && (
          <Badge color="gray" variant="outline">
            {t('incident.page.suspended', { date: state.suspendedSince })}
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {b.content}
            </Text>
            <Field label={t('incident.field.occurredAt')}>{chinaMinute(new Date(b.occurredAt))}</Field>
            <Field label={t('incident.page.place')}>{placeText}</Field>
            <Field label={t('incident.field.category')}>
              {t(`incident.category.${b.category}`)}
              {b.subCategory === '' ? '' : ` · ${b.subCategory}`}
            </Field>
            <Field label={t('incident.field.kind')}>
              {`${t(`incident.kind.${b.kind}`)} · ${t(`incident.urgency.${b.urgency}`)}`}
            </Field>
            <Field label={t('incident.field.peopleInvolved')}>{b.peopleInvolved}</Field>
            <Field label={t('incident.field.source')}>{t(`incident.source.${b.source}`)}</Field>
            <SourceLink community={community} target="incident" year={year} id={b.id} />
            <Field label={t('incident.page.reporter')}>
              {b.reporter.anonymous
                ? t('incident.page.anonymous')
                : [b.reporter.name, b.reporter.phone].filter((v) => v !== '').join(' ')}
            </Field>
            <Field label={t('incident.field.reportedBy')}>{`${b.reportedBy.userName} · ${b.reportedOn}`}</Field>
            {state.assignee !== null && (
              <Field label={t('incident.field.assignee')}>
                <span data-testid="incident-assignee">{assigneeText(t, state.assignee)}</span>
              </Field>
            )}
            {state.mergedInto !== null && (
              <Field label={t('incident.status.merged')}>
                {t('incident.page.mergedInto', { title: titleOf(state.mergedInto) ?? state.mergedInto })}
              </Field>
            )}
            <Photos refs={b.attachments} fileOf={fileOf} />
          </Stack>
        </Card>
        <Stack>
          <IncidentActions
            state={state}
            allowed={allowed}
            commands={commands}
            places={places}
            others={others}
            extra={
              making === null && makeable.length > 0 ? (
                <>
                  {makeable.map((kind) => (
                    <Button key={kind} size="xs" variant="outline" onClick={() => setMaking(kind)}>
                      {t(MAKE[kind].action)}
                    </Button>
                  ))}
                </>
              ) : undefined
            }
          />
          {MakeForm !== null && (
            <Card withBorder>
              {/* The meeting's and task's forms come from their areas, loaded on first use. */}
              <LazyBoundary>
                <MakeForm
                  community={community}
                  state={state}
                  placeText={placeText}
                  proposer={actor.userName}
                  commands={commands}
                  onDone={stopMaking}
                  onCancel={stopMaking}
                />
              </LazyBoundary>
            </Card>
          )}
          {state.links.length > 0 && (
            <Card withBorder data-testid="incident-links">
              <Title order={4} size="h5" mb="xs">
                {t('incident.page.links')}
              </Title>
              <List size="sm">
                {state.links.map((l) => (
                  <List.Item key={`${l.link}:${l.recordId}`}>
                    <LinkItem link={l.link} recordId={l.recordId} />
                  </List.Item>
                ))}
              </List>
            </Card>
          )}
          {state.visits.length > 0 && (
            <Card withBorder>
              <Title order={4} size="h5" mb="xs">
                {t('incident.page.visits')}
              </Title>
              <List size="sm">
                {state.visits.map((v, i) => (
                  <List.Item
                    key={i}
                  >{`${v.on} · ${t(ratingKey(v.rating))}${v.comment === '' ? '' : ` · ${v.comment}`}`}</List.Item>
                ))}
              </List>
            </Card>
          )}
        </Stack>
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} size="h5" mb="xs">
          {t('incident.page.timeline')}
        </Title>
        <List size="sm" spacing={4} data-testid="incident-timeline">
          <List.Item>{`${chinaMinute(new Date(b.occurredAt))} · ${b.reportedBy.userName} · ${t('incident.nav.report')}`}</List.Item>
          {timeline.map(({ step, ignored }) => (
            <List.Item key={step.id} c={ignored ? 'dimmed' : undefined} data-ignored={ignored || undefined}>
              <Text size="sm" td={ignored ? 'line-through' : undefined} span>
                {`${chinaMinute(new Date(step.at))} · ${step.by.userName} · ${stepText(t, step)}`}
              </Text>
              {step.type === 'handled' && <Photos refs={step.attachments} fileOf={fileOf} />}
            </List.Item>
          ))}
        </List>
        {state.ignored.length > 0 && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('incident.page.ignored')}
          </Text>
        )}
      </Card>
      {!isOpen(state) && state.status === 'merged' && state.mergedInto !== null && (
        <Anchor component={Link} href={incidentHref(year, state.mergedInto)} size="sm">
          {titleOf(state.mergedInto) ?? state.mergedInto}
        </Anchor>
      )}
    </Stack>
  );
}
