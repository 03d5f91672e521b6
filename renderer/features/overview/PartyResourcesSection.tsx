import { Anchor, Card, ScrollArea, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Link } from 'wouter';
import type { PartyFigures } from '@shared/domain/dashboard/partyFigures';
import type { ResourcesFigures } from '@shared/domain/dashboard/resourcesFigures';
import { PROJECT_STATUSES } from '@shared/domain/resources/types';
import { useT, type MessageKey } from '../../i18n';
import { decimalText, percentText } from './format';

/** One figure: its name, its value as read, and the list of 党建与资源 it counts (when there is one). */
export interface FigureLine {
  readonly key: string;
  readonly label: string;
  readonly value: string;
  readonly href: string | null;
}

export interface FigureGroup {
  readonly key: string;
  readonly title: string;
  readonly lines: readonly FigureLine[];
}

type Translate = ReturnType<typeof useT>;

const hoursText = (hours: number | null, none: string) => decimalText(hours, none);

/**
 * The party-building and resources figures as lines to draw, grouped (双报到, 三红三百, 阵地, 项目化, 三项资金). Every
 * number comes from partyFigures and resourcesFigures; this only words and links them.
 */
export function figureGroups(t: Translate, p: PartyFigures, r: ResourcesFigures): FigureGroup[] {
  const none = t('overview.none');
  const of = (part: number, whole: number) => t('overview.pr.of', { part, whole });
  const line = (key: string, label: MessageKey, value: string, href: string | null): FigureLine => ({
    key,
    label: t(label),
    value,
    href,
  });
  const yuan = (fen: number) => t('overview.pr.yuan', { amount: (fen / 100).toFixed(2) });
  const members = '/party/members';
  const sanhong = '/party/sanhong';
  return [
    {
      key: 'checkin',
      title: t('overview.pr.group.checkin'),
      lines: [
        line('members-checked', 'overview.pr.membersChecked', of(p.members.checkedIn, p.members.total), members),
        line('members-period', 'overview.pr.membersPeriod', String(p.members.checkedInPeriod), members),
        line('members-due', 'overview.pr.membersDue', String(p.members.dueInPeriod), members),
        line('members-overdue', 'overview.pr.membersOverdue', String(p.members.overdue), members),
        line('members-never', 'overview.pr.membersNever', String(p.members.neverThisYear), `${members}/appraisal`),
        line('units-checked', 'overview.pr.unitsChecked', of(p.units.checkedIn, p.units.total), `${members}/units`),
        line('units-due', 'overview.pr.unitsDue', String(p.units.dueInPeriod), `${members}/units`),
        line('units-overdue', 'overview.pr.unitsOverdue', String(p.units.overdue), `${members}/units`),
        line(
          'posts',
          'overview.pr.posts',
          t('overview.pr.postsValue', { claimed: p.posts.claimed, capacity: p.posts.capacity, full: p.posts.full }),
          `${members}/posts`,
        ),
        line(
          'service-hours',
          'overview.pr.serviceHours',
          t('overview.pr.hoursOf', { hours: hoursText(p.service.hours, none), records: p.service.records }),
          `${members}/services`,
        ),
        line(
          'service-median',
          'overview.pr.serviceMedian',
          p.service.memberMedianHours === null
            ? none
            : t('overview.pr.medianValue', {
                hours: hoursText(p.service.memberMedianHours, none),
                members: p.service.members,
              }),
          `${members}/services`,
        ),
        line(
          'service-rating',
          'overview.pr.serviceRating',
          p.service.ratingAverage === null
            ? none
            : t('overview.pr.ratingValue', {
                average: decimalText(p.service.ratingAverage, none),
                count: p.service.rated,
              }),
          `${members}/services`,
        ),
      ],
    },
    {
      key: 'sanhong',
      title: t('overview.pr.group.sanhong'),
      lines: [
        line(
          'patrols',
          'overview.pr.patrols',
          t('overview.pr.patrolsValue', { patrols: p.sanhong.patrols, findings: p.sanhong.findings }),
          sanhong,
        ),
        line('findings-events', 'overview.pr.findingsToEvents', String(p.sanhong.findingsToEvents), sanhong),
        line('concerns', 'overview.pr.concerns', String(p.sanhong.concerns), `${sanhong}/concerns`),
        line(
          'concerns-events',
          'overview.pr.concernsToEvents',
          String(p.sanhong.concernsToEvents),
          `${sanhong}/concerns`,
        ),
        line(
          'volunteers',
          'overview.pr.volunteers',
          t('overview.pr.volunteersValue', {
            hours: hoursText(p.sanhong.volunteerHours, none),
            volunteers: p.sanhong.volunteers,
          }),
          `${sanhong}/volunteers`,
        ),
        ...(['lecture', 'stage', 'teahouse'] as const).map((kind) =>
          line(
            `session-${kind}`,
            `overview.pr.session.${kind}`,
            t('overview.pr.sessionValue', {
              count: p.sanhong.sessions[kind].count,
              attendance: p.sanhong.sessions[kind].attendance,
            }),
            `${sanhong}/sessions`,
          ),
        ),
        line('teahouse-cases', 'overview.pr.teahouseToCases', String(p.sanhong.teahouseToCases), `${sanhong}/sessions`),
      ],
    },
    {
      key: 'venues',
      title: t('overview.pr.group.venues'),
      lines: [
        line('venue-occasions', 'overview.pr.occasions', String(r.venues.occasions), '/party/venues/bookings'),
        line(
          'venue-occupancy',
          'overview.pr.occupancy',
          t('overview.pr.occupancyValue', {
            rate: percentText(r.venues.occupancy, none),
            booked: hoursText(r.venues.bookedHours, none),
            open: hoursText(r.venues.openHours, none),
          }),
          '/party/venues',
        ),
        line('venue-attendance', 'overview.pr.attendance', String(r.venues.attendance), '/party/venues/bookings'),
        line(
          'venue-conflicts',
          'overview.pr.conflicts',
          String(r.venues.conflicts),
          '/party/venues/bookings/conflicts',
        ),
        line('venue-regular', 'overview.pr.regular', String(r.regular.length), '/party/venues/bookings'),
      ],
    },
    {
      key: 'projects',
      title: t('overview.pr.group.projects'),
      lines: [
        ...PROJECT_STATUSES.map((status) =>
          line(
            `project-${status}`,
            `overview.pr.project.${status}`,
            String(r.projects.byStatus[status]),
            '/party/projects',
          ),
        ),
        line('project-new', 'overview.pr.projectNew', String(r.projects.publishedInPeriod), '/party/projects'),
        line(
          'project-rating',
          'overview.pr.projectRating',
          r.projects.ratingAverage === null
            ? none
            : t('overview.pr.ratingValue', {
                average: decimalText(r.projects.ratingAverage, none),
                count: r.projects.ratings,
              }),
          '/party/projects',
        ),
      ],
    },
    {
      key: 'funds',
      title: t('overview.pr.group.funds'),
      lines: r.funds.flatMap((f) => [
        line(`fund-${f.fund}-balance`, `overview.pr.fund.${f.fund}`, yuan(f.balance), '/party/funds'),
        line(`fund-${f.fund}-income`, `overview.pr.fundIncome.${f.fund}`, yuan(f.income), '/party/funds/report'),
        line(`fund-${f.fund}-spending`, `overview.pr.fundSpending.${f.fund}`, yuan(f.spending), '/party/funds/report'),
      ]),
    },
  ];
}

/**
 * 党建与资源 on the dashboard (docs/dashboard-model.md, "party building and resources"): 双报到, 三红三百, venues (with a
 * table per room and the regular services), projects and the three funds, for the chosen communities and period as of
 * its day. Each figure of this community links to the list it counts under 党建与资源 (`/party`); a street's figures
 * add several communities up and have no list to open.
 */
export function PartyResourcesSection({
  party,
  resources,
  links,
}: {
  party: PartyFigures;
  resources: ResourcesFigures;
  links: boolean;
}) {
  const t = useT();
  const none = t('overview.none');
  const groups = useMemo(() => figureGroups(t, party, resources), [t, party, resources]);
  const rooms = resources;
  return (
    <Card withBorder data-testid="overview-party">
      <Title order={3} size="h5" mb={4}>
        {t('overview.pr.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('overview.pr.intro')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {groups.map((group) => (
          <div key={group.key}>
            <Title order={4} size="h6" mb={4} id={`overview-party-${group.key}`}>
              {group.title}
            </Title>
            <Table fz="sm" withRowBorders aria-labelledby={`overview-party-${group.key}`}>
              <Table.Tbody>
                {group.lines.map((l) => (
                  <Table.Tr key={l.key}>
                    <Table.Td>{l.label}</Table.Td>
                    <Table.Td ta="right" data-testid={`pr-${l.key}`}>
                      {links && l.href !== null ? (
                        <Anchor component={Link} href={`~${l.href}`}>
                          {l.value}
                        </Anchor>
                      ) : (
                        l.value
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        ))}
      </SimpleGrid>
      <Title order={4} size="h6" mt="sm" mb={4} id="overview-party-rooms">
        {t('overview.pr.rooms')}
      </Title>
      {rooms.rooms.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('overview.nothing')}
        </Text>
      ) : (
        <ScrollArea>
          <Table
            withTableBorder
            striped
            fz="sm"
            data-testid="overview-party-rooms"
            aria-labelledby="overview-party-rooms"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('overview.pr.col.room')}</Table.Th>
                <Table.Th>{t('overview.pr.col.occasions')}</Table.Th>
                <Table.Th>{t('overview.pr.col.booked')}</Table.Th>
                <Table.Th>{t('overview.pr.col.open')}</Table.Th>
                <Table.Th>{t('overview.pr.col.occupancy')}</Table.Th>
                <Table.Th>{t('overview.pr.col.attendance')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rooms.rooms.map((room) => (
                <Table.Tr key={room.key}>
                  <Table.Td>
                    {links ? (
                      <Anchor component={Link} href={`~/party/venues/room/${room.venueId}`}>
                        {room.name}
                      </Anchor>
                    ) : (
                      room.name
                    )}
                  </Table.Td>
                  <Table.Td>{room.occasions}</Table.Td>
                  <Table.Td>{hoursText(room.bookedHours, none)}</Table.Td>
                  <Table.Td>{hoursText(room.openHours, none)}</Table.Td>
                  <Table.Td>{percentText(room.occupancy, none)}</Table.Td>
                  <Table.Td>{room.attendance}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {rooms.regular.length > 0 && (
        <>
          <Title order={4} size="h6" mt="sm" mb={4} id="overview-party-regular">
            {t('overview.pr.regularTitle')}
          </Title>
          <ScrollArea>
            <Table
              withTableBorder
              striped
              fz="sm"
              data-testid="overview-party-regular"
              aria-labelledby="overview-party-regular"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('overview.pr.col.service')}</Table.Th>
                  <Table.Th>{t('overview.pr.col.provider')}</Table.Th>
                  <Table.Th>{t('overview.pr.col.room')}</Table.Th>
                  <Table.Th>{t('overview.pr.col.occasions')}</Table.Th>
                  <Table.Th>{t('overview.pr.col.attendance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rooms.regular.map((s) => (
                  <Table.Tr key={`${s.community}/${s.bookingId}`}>
                    <Table.Td>{s.purpose}</Table.Td>
                    <Table.Td>{s.provider === '' ? none : s.provider}</Table.Td>
                    <Table.Td>
                      {rooms.rooms.find((room) => room.key === `${s.community}/${s.venueId}`)?.name ?? none}
                    </Table.Td>
                    <Table.Td>{s.occasions}</Table.Td>
                    <Table.Td>{s.attendance}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}
    </Card>
  );
}
