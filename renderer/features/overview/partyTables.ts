/**
 * The party-building and resources figures of the dashboard (docs/dashboard-model.md, "party building and resources")
 * as workbook sheets: one of every figure as a number (counts, hours to a tenth, rates as fractions, money in yuan),
 * and one of the rooms. The numbers are those the screen's section shows, from the same partyFigures and
 * resourcesFigures.
 */
import type { PartyFigures } from '@shared/domain/dashboard/partyFigures';
import type { ResourcesFigures } from '@shared/domain/dashboard/resourcesFigures';
import { PROJECT_STATUSES } from '@shared/domain/resources/types';
import type { MessageKey, Translate } from '../../i18n';
import type { Cell, SheetSpec } from './exportDashboard';

type Format = 'rate' | 'days' | null;

export function partySheets(
  t: Translate,
  p: PartyFigures,
  r: ResourcesFigures,
  community: (id: string) => string,
): SheetSpec[] {
  const rows: Cell[][] = [];
  const formats: Format[] = [];
  const add = (group: MessageKey, label: MessageKey, value: number | null, format: Format = null) => {
    rows.push([t(group), t(label), value]);
    formats.push(format);
  };
  const checkin = 'overview.pr.group.checkin';
  add(checkin, 'overview.pr.x.members', p.members.total);
  add(checkin, 'overview.pr.x.membersChecked', p.members.checkedIn);
  add(checkin, 'overview.pr.membersPeriod', p.members.checkedInPeriod);
  add(checkin, 'overview.pr.membersDue', p.members.dueInPeriod);
  add(checkin, 'overview.pr.membersOverdue', p.members.overdue);
  add(checkin, 'overview.pr.membersNever', p.members.neverThisYear);
  add(checkin, 'overview.pr.x.units', p.units.total);
  add(checkin, 'overview.pr.x.unitsChecked', p.units.checkedIn);
  add(checkin, 'overview.pr.unitsDue', p.units.dueInPeriod);
  add(checkin, 'overview.pr.unitsOverdue', p.units.overdue);
  add(checkin, 'overview.pr.x.postsClaimed', p.posts.claimed);
  add(checkin, 'overview.pr.x.postsCapacity', p.posts.capacity);
  add(checkin, 'overview.pr.x.postsFull', p.posts.full);
  add(checkin, 'overview.pr.x.serviceRecords', p.service.records);
  add(checkin, 'overview.pr.x.serviceHours', p.service.hours, 'days');
  add(checkin, 'overview.pr.serviceMedian', p.service.memberMedianHours, 'days');
  add(checkin, 'overview.pr.serviceRating', p.service.ratingAverage, 'days');
  const sanhong = 'overview.pr.group.sanhong';
  add(sanhong, 'overview.pr.patrols', p.sanhong.patrols);
  add(sanhong, 'overview.pr.x.findings', p.sanhong.findings);
  add(sanhong, 'overview.pr.findingsToEvents', p.sanhong.findingsToEvents);
  add(sanhong, 'overview.pr.concerns', p.sanhong.concerns);
  add(sanhong, 'overview.pr.concernsToEvents', p.sanhong.concernsToEvents);
  add(sanhong, 'overview.pr.x.volunteerHours', p.sanhong.volunteerHours, 'days');
  add(sanhong, 'overview.pr.x.volunteers', p.sanhong.volunteers);
  for (const kind of ['lecture', 'stage', 'teahouse'] as const) {
    add(sanhong, `overview.pr.session.${kind}`, p.sanhong.sessions[kind].count);
    add(sanhong, `overview.pr.x.attendance.${kind}`, p.sanhong.sessions[kind].attendance);
  }
  add(sanhong, 'overview.pr.teahouseToCases', p.sanhong.teahouseToCases);
  const venues = 'overview.pr.group.venues';
  add(venues, 'overview.pr.occasions', r.venues.occasions);
  add(venues, 'overview.pr.col.booked', r.venues.bookedHours, 'days');
  add(venues, 'overview.pr.col.open', r.venues.openHours, 'days');
  add(venues, 'overview.pr.occupancy', r.venues.occupancy, 'rate');
  add(venues, 'overview.pr.attendance', r.venues.attendance);
  add(venues, 'overview.pr.conflicts', r.venues.conflicts);
  add(venues, 'overview.pr.regular', r.regular.length);
  const projects = 'overview.pr.group.projects';
  for (const status of PROJECT_STATUSES) add(projects, `overview.pr.project.${status}`, r.projects.byStatus[status]);
  add(projects, 'overview.pr.projectNew', r.projects.publishedInPeriod);
  add(projects, 'overview.pr.projectRating', r.projects.ratingAverage, 'days');
  const funds = 'overview.pr.group.funds';
  for (const f of r.funds) {
    add(funds, `overview.pr.fund.${f.fund}`, f.balance / 100);
    add(funds, `overview.pr.fundIncome.${f.fund}`, f.income / 100);
    add(funds, `overview.pr.fundSpending.${f.fund}`, f.spending / 100);
  }
  return [
    {
      name: t('overview.pr.title'),
      headers: [t('overview.pr.x.group'), t('overview.col.figure'), t('overview.pr.x.value')],
      rowFormats: formats,
      rows,
    },
    {
      name: t('overview.pr.rooms'),
      headers: [
        t('overview.col.community'),
        t('overview.pr.col.room'),
        t('overview.pr.col.occasions'),
        t('overview.pr.col.booked'),
        t('overview.pr.col.open'),
        t('overview.pr.col.occupancy'),
        t('overview.pr.col.attendance'),
      ],
      rateColumns: [5],
      dayColumns: [3, 4],
      rows: r.rooms.map((room) => [
        community(room.community),
        room.name,
        room.occasions,
        room.bookedHours,
        room.openHours,
        room.occupancy,
        room.attendance,
      ]),
    },
  ];
}
