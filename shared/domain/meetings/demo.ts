/**
 * The demo community's meetings (会议): meetings of the demo registry at every stage of the flow
 * (docs/meetings-model.md): a five-heads joint meeting still collecting its agenda and a residents' representatives
 * meeting with its notice up (both upcoming); a 坝坝会 held and under review; a five-heads meeting held, voted, signed
 * and locked, whose action items (落实事项) are open, overdue and answered; a representatives' meeting whose
 * resolutions are published; a party branch's members' meeting archived with every action item answered.
 *
 * Written through the meeting commands with a clock moved back in days from `today` (the meeting's own day for
 * everything done at the meeting, so none is started early), against a snapshot of the demo registry: the attendees
 * are the heads of a zone, the households of a courtyard, the members of a branch or representatives picked from the
 * residents, with their registry references. Deterministic: the same seed, registry and day give the same meetings.
 */
import * as Y from 'yjs';
import { addDays, ageOn } from '../dates';
import type { CommandContext, CommandResult } from '../kernel';
import { typedSignature } from '../mediation/demo';
import { mulberry32 } from '../registry/demo';
import type { HeadRef, PartyOrg, Resident, Zone } from '../registry/types';
import { listRecords, snapshotRegistry, type RegistrySnapshot } from '../../ydoc/registry';
import { listMeetings, readMeeting, type StoredMeeting } from '../../ydoc/meetings';
import {
  addActionItem,
  addAgendaItem,
  archiveMeeting,
  completeActionItem,
  createMeeting,
  editMinutes,
  finishMeeting,
  linkCase,
  publishNotice,
  publishResolutions,
  recordVote,
  signIn,
  signMinutes,
  signOff,
  startMeeting,
  submitForReview,
} from './commands';
import {
  attendeeKey,
  type ActionItemId,
  type AgendaItemId,
  type CreateMeetingInput,
  type MeetingId,
  type Person,
} from './types';

export interface DemoMeetingsOptions {
  /** The demo community's registry (generateDemoCommunity): scopes, attendees and people come from it. */
  readonly registry: Y.Doc;
  /** The demo's "today" (China date); the meetings are laid out in days around it. */
  readonly today: string;
  /**
   * Mediation cases the locked five-heads meeting discussed, with the year of their document; those of the meeting's
   * year are linked (a meeting links the cases of its year).
   */
  readonly cases?: readonly { readonly year: number; readonly id: string }[];
}

export const DEMO_MEETING_STAGES = [
  'agenda',
  'upcoming',
  'under-review',
  'locked',
  'resolutions-published',
  'archived',
] as const;
export type DemoMeetingStage = (typeof DEMO_MEETING_STAGES)[number];

export interface DemoMeetingRef {
  /** The year of the meeting's document (`<community>/meetings/<year>`): the China year of its day. */
  readonly year: number;
  readonly id: MeetingId;
}

export interface DemoMeetings {
  /** One meetings document per year of the meetings' days. */
  readonly docs: ReadonlyMap<number, Y.Doc>;
  readonly stages: Readonly<Record<DemoMeetingStage, DemoMeetingRef>>;
}

const OFFICE = { userId: 'demo-office', userName: '王晓红' };
const CONVENER: Person = { name: '王晓红', ref: null };
const RECORDER: Person = { name: '刘洋', ref: null };

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo meetings: ${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** `YYYY-MM-DD` and `HH:MM` in China time as an instant. */
function chinaInstant(day: string, time: string): string {
  return new Date(`${day}T${time}:00+08:00`).toISOString();
}

export function generateDemoMeetings(seed: number, options: DemoMeetingsOptions): DemoMeetings {
  const { registry, today } = options;
  const snapshot: RegistrySnapshot = snapshotRegistry(registry);
  const rnd = mulberry32(seed ^ 0x5e7a);
  const day = (offset: number) => addDays(today, offset);

  const zones = listRecords(registry, 'zones') as Zone[];
  const residents = (listRecords(registry, 'residents') as Resident[]).filter(
    (r) => r.deletedAt === null && ageOn(r.birthDate, today) >= 25,
  );
  const volunteers = new Map(listRecords(registry, 'volunteers').map((v) => [v.id, v.name]));
  const residentNames = new Map(residents.map((r) => [r.id, r.name]));
  const personOf = (head: HeadRef | null): Person | null => {
    if (head === null) return null;
    const name = head.kind === 'resident' ? residentNames.get(head.id) : volunteers.get(head.id);
    return name === undefined ? null : { name, ref: head };
  };
  const personOfHead = (zone: Zone | undefined): Person | null => personOf(zone?.head ?? null);
  const pickResident = (): Resident => {
    const r = residents[Math.floor(rnd() * residents.length)];
    if (r === undefined) throw new Error('demo meetings: the registry has no adult residents');
    return r;
  };
  const residentPerson = (r: Resident): Person => ({ name: r.name, ref: { kind: 'resident', id: r.id } });

  const areas = zones.filter((z) => z.level === 'area' && z.head !== null);
  const courtyards = zones.filter((z) => z.level === 'courtyard' && z.head !== null);
  const branch = (listRecords(registry, 'partyOrgs') as PartyOrg[])
    .filter((o) => o.kind === 'branch')
    .sort((a, b) => b.memberIds.length - a.memberIds.length)[0];
  const area = areas[0];
  const otherArea = areas[1] ?? area;
  const courtyard = courtyards[Math.floor(rnd() * courtyards.length)];
  if (area === undefined || otherArea === undefined || courtyard === undefined || branch === undefined) {
    throw new Error('demo meetings: the registry lacks the zones or the party branch');
  }

  const docs = new Map<number, Y.Doc>();
  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctx: CommandContext = {
    actor: { ...OFFICE, deviceId: 'demo' },
    now: () => now,
    newId: () => `dm${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(['meetings.edit']),
  };
  const at = (offset: number, time: string) => {
    now = new Date(chinaInstant(day(offset), time));
  };

  interface Held {
    readonly doc: Y.Doc;
    readonly id: MeetingId;
    readonly year: number;
    readonly items: AgendaItemId[];
  }
  const read = (m: Held): StoredMeeting => {
    const meeting = readMeeting(m.doc, m.id);
    if (meeting === null) throw new Error('demo meetings: meeting not found');
    return meeting;
  };

  /** Created a week before its day (today at the latest), with its agenda. */
  const plan = (
    offset: number,
    input: Omit<CreateMeetingInput, 'startsAt' | 'convener' | 'recorder'>,
    agenda: readonly { title: string; proposer: Person; minutes: number }[],
  ): Held => {
    const startsAt = chinaInstant(day(offset), '09:30');
    const year = Number(day(offset).slice(0, 4));
    const doc = docs.get(year) ?? new Y.Doc();
    docs.set(year, doc);
    at(Math.min(offset - 7, 0), '10:00');
    const id = must(
      createMeeting(doc, ctx, { ...input, startsAt, convener: CONVENER, recorder: RECORDER }, snapshot),
      'create',
    );
    const items = agenda.map((item) =>
      must(
        addAgendaItem(doc, ctx, {
          meetingId: id,
          title: item.title,
          proposer: item.proposer,
          expectedMinutes: item.minutes,
        }),
        'agenda item',
      ),
    );
    return { doc, id, year, items };
  };
  const notice = (m: Held, offset: number) => {
    const noticeDay = day(Math.min(offset - 3, 0));
    at(Math.min(offset - 3, 0), '11:00');
    must(publishNotice(m.doc, ctx, { meetingId: m.id, publishedOn: noticeDay }), 'notice');
  };
  /** Held on its day: started, signed in (all but one or two, who sent word), minutes written for every item. */
  const hold = (m: Held, offset: number, minutes: readonly string[]) => {
    notice(m, offset);
    at(offset, '09:30');
    must(startMeeting(m.doc, ctx, { meetingId: m.id }, snapshot), 'start');
    const sheet = read(m).attendees;
    const away = new Set(sheet.filter((_, i) => i % 6 === 5).map((a) => a.key));
    at(offset, '09:35');
    for (const line of sheet) {
      must(
        signIn(
          m.doc,
          ctx,
          away.has(line.key)
            ? { meetingId: m.id, key: line.key, status: 'absent', reason: rnd() < 0.5 ? '外出务工' : '身体不适请假' }
            : { meetingId: m.id, key: line.key, status: 'present' },
        ),
        'sign in',
      );
    }
    at(offset, '10:30');
    m.items.forEach((itemId, i) =>
      must(
        editMinutes(m.doc, ctx, { meetingId: m.id, itemId, index: 0, insert: minutes[i] ?? '与会人员充分讨论。' }),
        'minutes',
      ),
    );
  };
  /** The first item put to the vote: all present in favour, but one abstention when more than three are there. */
  const vote = (m: Held, offset: number, resolution: string) => {
    const present = read(m).attendees.filter((a) => a.voting && (a.status === 'present' || a.status === 'late'));
    const abstain = present.length > 3 ? 1 : 0;
    const itemId = m.items[0];
    if (itemId === undefined) throw new Error('demo meetings: no agenda item');
    at(offset, '10:40');
    const result = must(
      recordVote(
        m.doc,
        ctx,
        {
          meetingId: m.id,
          itemId,
          vote: { mode: 'by-count', for: present.length - abstain, against: 0, abstain },
          resolution,
        },
        snapshot,
      ),
      'vote',
    );
    if (!result.passed) throw new Error('demo meetings: the demo vote did not pass');
  };
  const toReview = (m: Held, offset: number) => {
    at(offset, '11:00');
    must(finishMeeting(m.doc, ctx, { meetingId: m.id }), 'finish');
    at(offset, '16:00');
    must(submitForReview(m.doc, ctx, { meetingId: m.id }), 'review');
  };
  const sign = (m: Held, offset: number, role: 'host' | 'recorder', person: Person) => {
    at(offset, '16:30');
    const key = person.ref === null ? null : attendeeKey(person.ref);
    must(
      signMinutes(m.doc, ctx, {
        meetingId: m.id,
        role,
        name: person.name,
        key,
        method: 'typed',
        image: typedSignature(person.name).image,
      }),
      'sign',
    );
  };
  /** Reviewed, signed by the chair and the recorder, signed off: the record locks. */
  const lock = (m: Held, offset: number) => {
    toReview(m, offset);
    const meeting = read(m);
    sign(m, offset + 1, 'host', meeting.chair);
    sign(m, offset + 1, 'recorder', meeting.recorder);
    at(offset + 1, '17:00');
    must(signOff(m.doc, ctx, { meetingId: m.id }), 'sign off');
  };
  const task = (m: Held, offset: number, title: string, owner: Person, deadline: string, itemIndex = 0) => {
    at(offset, '10:50');
    return must(
      addActionItem(m.doc, ctx, {
        meetingId: m.id,
        agendaItemId: m.items[itemIndex] ?? null,
        title,
        owner,
        deadline,
      }),
      'action item',
    );
  };
  const answer = (m: Held, offset: number, actionItemId: ActionItemId, text: string) => {
    at(offset, '15:00');
    must(completeActionItem(m.doc, ctx, { meetingId: m.id, actionItemId, answer: text }), 'answer');
  };

  const stages: Partial<Record<DemoMeetingStage, DemoMeetingRef>> = {};
  const keep = (stage: DemoMeetingStage, m: Held) => {
    stages[stage] = { year: m.year, id: m.id };
  };
  const areaHead = personOfHead(area) ?? residentPerson(pickResident());
  const otherAreaHead = personOfHead(otherArea) ?? residentPerson(pickResident());
  const courtyardHead = personOfHead(courtyard) ?? residentPerson(pickResident());
  const lanesOf = (zone: Zone) => zones.filter((z) => z.parentId === zone.id);
  const streetHead = personOfHead(lanesOf(area)[0]) ?? areaHead;
  const representatives = Array.from({ length: 11 }, () => pickResident());
  const listScope = {
    kind: 'list' as const,
    people: [...new Map(representatives.map((r) => [r.id, { name: r.name, residentId: r.id }])).values()],
  };

  // Archived: the party branch's members' meeting 40 days ago (三会一课), its resolution published and its one
  // action item answered.
  {
    const chair: Person = personOf(branch.secretary) ?? CONVENER;
    const m = plan(
      -40,
      {
        type: 'party',
        partyKind: 'members-meeting',
        title: `${branch.name}党员大会`,
        scope: { kind: 'party-org', partyOrgId: branch.id, nonVotingIds: [] },
        chair,
        place: '社区党群服务中心',
      },
      [
        { title: '学习党的二十届三中全会精神', proposer: chair, minutes: 40 },
        { title: '评议党员志愿服务情况', proposer: chair, minutes: 30 },
      ],
    );
    hold(m, -40, ['书记领学全会公报，党员交流学习体会。', '逐一评议党员志愿服务时长，表扬先进。']);
    vote(m, -40, '同意开展“党员联系楼栋”志愿服务活动，每名党员联系一个楼栋。');
    const item = task(m, -40, '排定党员联系楼栋名单', chair, day(-30));
    lock(m, -40);
    at(-38, '10:00');
    must(publishResolutions(m.doc, ctx, { meetingId: m.id, publishedOn: day(-38) }), 'resolutions');
    answer(m, -31, item, '联系名单已排定并在各楼栋公示。');
    at(-30, '16:00');
    must(archiveMeeting(m.doc, ctx, { meetingId: m.id }), 'archive');
    keep('archived', m);
  }

  // Resolutions published: a residents' representatives meeting 20 days ago.
  {
    const m = plan(
      -20,
      {
        type: 'residents-representatives',
        title: '居民代表会议：老旧小区加装电梯意见征集',
        scope: listScope,
        chair: CONVENER,
        place: '社区议事厅',
      },
      [
        { title: '老旧小区加装电梯实施方案', proposer: CONVENER, minutes: 45 },
        { title: '社区公共收益使用情况通报', proposer: CONVENER, minutes: 20 },
      ],
    );
    hold(m, -20, ['代表们就加装电梯的费用分摊、低楼层补偿展开讨论。', '通报本年度公共收益收支明细，代表无异议。']);
    vote(m, -20, '同意以楼栋为单位征集加装电梯意愿，三分之二以上住户同意的楼栋先行试点。');
    const survey = task(m, -20, '各楼栋发放加装电梯意愿征集表', CONVENER, day(-10));
    lock(m, -20);
    at(-18, '10:00');
    must(publishResolutions(m.doc, ctx, { meetingId: m.id, publishedOn: day(-18) }), 'resolutions');
    answer(m, -11, survey, '已发放征集表412份，收回389份。');
    keep('resolutions-published', m);
  }

  // Locked: the five-heads joint meeting 10 days ago, signed off; three action items, one answered, one overdue and
  // one still in time; the cases it discussed linked.
  {
    const m = plan(
      -10,
      {
        type: 'five-heads',
        title: `${area.name}五长联席会议`,
        scope: { kind: 'zone', zoneId: area.id },
        chair: areaHead,
        place: '社区会议室',
      },
      [
        { title: '近期矛盾纠纷排查情况', proposer: areaHead, minutes: 30 },
        { title: '冬季消防安全巡查安排', proposer: streetHead, minutes: 20 },
      ],
    );
    hold(m, -10, [
      '各院长、巷长通报本月排查情况，共排查矛盾纠纷6起，已化解4起，2起上报社区调委会。',
      '明确各楼栋长负责楼道杂物清理提醒，街长牵头每周巡查一次。',
    ]);
    vote(m, -10, '同意建立片区矛盾纠纷周报制度，各院长每周五报巷长汇总。');
    const done = task(m, -10, '汇总各院落纠纷台账报社区', streetHead, day(-5));
    task(m, -10, '清理和平街楼道堆放杂物', courtyardHead, day(-2), 1);
    task(m, -10, '组织冬季消防安全巡查', areaHead, day(7), 1);
    lock(m, -10);
    answer(m, -6, done, '台账已汇总报社区，共6起。');
    at(-9, '10:00');
    for (const linked of options.cases ?? []) {
      if (linked.year !== m.year) continue;
      must(linkCase(m.doc, ctx, { meetingId: m.id, caseId: linked.id, linked: true }), 'link case');
    }
    keep('locked', m);
  }

  // Under review: a 坝坝会 of a courtyard three days ago, minutes drafted and sent round; one action item open.
  {
    const m = plan(
      -3,
      {
        type: 'courtyard',
        title: `${courtyard.name}坝坝会`,
        scope: { kind: 'zone', zoneId: courtyard.id },
        chair: courtyardHead,
        place: `${courtyard.name}院坝`,
      },
      [{ title: '院落停车秩序和电动车充电', proposer: courtyardHead, minutes: 40 }],
    );
    hold(m, -3, ['住户反映电动车楼道充电问题突出，商议在院坝东侧设集中充电点。']);
    task(m, -3, '联系供电所勘察集中充电点位置', courtyardHead, day(10));
    toReview(m, -3);
    keep('under-review', m);
  }

  // Upcoming: a representatives' meeting in five days, its notice up.
  {
    const m = plan(
      5,
      {
        type: 'residents-representatives',
        title: '居民代表会议：年度民生实事项目票决',
        scope: listScope,
        chair: CONVENER,
        place: '社区议事厅',
      },
      [
        { title: '票决明年民生实事项目', proposer: CONVENER, minutes: 60 },
        { title: '居民公约修订', proposer: CONVENER, minutes: 30 },
      ],
    );
    notice(m, 5);
    keep('upcoming', m);
  }

  // Collecting its agenda: the other area's five-heads meeting in twelve days, no notice yet.
  {
    const m = plan(
      12,
      {
        type: 'five-heads',
        title: `${otherArea.name}五长联席会议`,
        scope: { kind: 'zone', zoneId: otherArea.id },
        chair: otherAreaHead,
        place: '社区会议室',
      },
      [{ title: '春节前安全隐患排查部署', proposer: otherAreaHead, minutes: 30 }],
    );
    keep('agenda', m);
  }

  return { docs, stages: stages as Record<DemoMeetingStage, DemoMeetingRef> };
}

/** Every meeting of the demo, of all its years (for the test and the worker's summary). */
export function demoMeetings(demo: DemoMeetings): StoredMeeting[] {
  return [...demo.docs.values()].flatMap((doc) => listMeetings(doc));
}
