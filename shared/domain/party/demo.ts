/**
 * The demo community's party building (docs/party-model.md): three units with their 共建协议 and 兼职委员, service posts
 * in several categories, and the compounds' 三平台 organisations, written into the demo registry; then, in the
 * activities documents of their years, members' and units' check-ins (some members never check in, so the 民主评议
 * list flags them), claims, service records, 红袖标 patrols with findings, 红马褂 concerns, 小红帽 hours, a lecture, a
 * show and a teahouse session, and 四联 records. Everything goes through the party commands with a clock moved back in
 * days from `today`, so every record is what the commands accept. Deterministic: the same seed and day give the same
 * documents.
 */
import * as Y from 'yjs';
import { addDays } from '../dates';
import type { CommandContext, CommandResult } from '../kernel';
import { mulberry32 } from '../registry/demo';
import { listRecords } from '../../ydoc/registry';
import { hasPartyKey } from '../../ydoc/party';
import {
  claimKey,
  claimPost,
  createPlatform,
  createPost,
  recordCheckIn,
  recordConcern,
  recordLink,
  recordPatrol,
  recordService,
  recordSession,
  recordVolunteerHours,
  registerUnit,
  setPartTimeMembers,
  signAgreement,
  type PartyEnv,
} from './commands';
import { PLATFORM_KINDS, type Subject } from './types';

export interface DemoPartyOptions {
  /** The demo's "today" (China date); records are laid out in days before it. */
  readonly today: string;
  /** The demo registry: units, posts and platforms are written into it; members and residents are read from it. */
  readonly registry: Y.Doc;
}

export interface DemoParty {
  /** One activities document per year of the records (`<community>/activities/<year>`). */
  readonly docs: ReadonlyMap<number, Y.Doc>;
  readonly units: number;
  readonly posts: number;
  readonly checkIns: number;
}

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo party: ${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

const WORKPLACES = [
  '顺庆区税务局',
  '南充市中心医院',
  '顺庆区教育局',
  '南充市第一中学',
  '国网顺庆供电公司',
  '顺庆区人民法院',
];

export function generateDemoParty(seed: number, options: DemoPartyOptions): DemoParty {
  const { registry, today } = options;
  const rnd = mulberry32(seed ^ 0x9a27);
  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctx: CommandContext = {
    actor: { userId: 'demo-party', userName: '党建专干 刘芳', deviceId: 'demo' },
    now: () => now,
    newId: () => `dp${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(['party.edit']),
  };
  const ago = (days: number) => addDays(today, -days);
  const on = (day: string) => {
    now = new Date(`${day}T02:00:00.000Z`);
  };
  const docs = new Map<number, Y.Doc>();
  const docOf = (day: string): Y.Doc => {
    const year = Number(day.slice(0, 4));
    let doc = docs.get(year);
    if (doc === undefined) {
      doc = new Y.Doc();
      docs.set(year, doc);
    }
    return doc;
  };
  // A check-in made in last year's document makes this year's a re-check-in.
  const envOf = (day: string): PartyEnv => ({
    registry,
    lastYear: docs.get(Number(day.slice(0, 4)) - 1) ?? null,
  });
  const living = listRecords(registry, 'residents').filter((r) => r.deletedAt == null);
  const members = living.filter((r) => r.tags.includes('party-member')).slice(0, 24);
  const others = living.filter((r) => !r.tags.includes('party-member') && !r.tags.includes('minor')).slice(0, 60);
  const compounds = listRecords(registry, 'compounds').sort((a, b) => (a.name < b.name ? -1 : 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

  // --- registry: units, posts, platforms (registered about four months ago) -----------------------------------------
  on(ago(120));
  const unit = (name: string, kind: 'agency' | 'institution' | 'state-firm', partyOrg: string, contact: string) =>
    must(
      registerUnit(registry, ctx, {
        name,
        kind,
        partyOrg,
        contact,
        phone: `0817-${2_200_000 + Math.floor(rnd() * 99_999)}`,
        address: '顺庆区',
        checkedInOn: ago(120),
      }),
      `unit ${name}`,
    );
  const tax = unit('顺庆区税务局', 'agency', '顺庆区税务局机关党支部', '陈志强');
  const hospital = unit('南充市中心医院', 'institution', '南充市中心医院第三党支部', '周丽华');
  const power = unit('国网顺庆供电公司', 'state-firm', '顺庆供电公司营销党支部', '杨海');
  must(
    signAgreement(registry, ctx, {
      unitId: tax,
      agreement: {
        signedOn: ago(120),
        until: addDays(ago(120), 730),
        content: '税法宣传进社区；每季度一次办税咨询；认领“法律咨询”岗位。',
      },
    }),
    'agreement tax',
  );
  must(
    signAgreement(registry, ctx, {
      unitId: hospital,
      agreement: {
        signedOn: ago(110),
        until: addDays(ago(110), 365),
        content: '每月一次义诊；为独居老人建立健康档案。',
      },
    }),
    'agreement hospital',
  );
  must(
    setPartTimeMembers(registry, ctx, {
      unitId: tax,
      members: [{ name: '陈志强', title: '机关党支部书记', since: ago(118) }],
    }),
    'part-time tax',
  );
  must(
    setPartTimeMembers(registry, ctx, {
      unitId: hospital,
      members: [{ name: '周丽华', title: '护理部主任', since: ago(108) }],
    }),
    'part-time hospital',
  );
  const post = (
    title: string,
    kind: 'need' | 'post',
    category: Parameters<typeof createPost>[2]['category'],
    capacity: number,
    content: string,
  ) => must(createPost(registry, ctx, { title, kind, category, capacity, content }), `post ${title}`);
  const posts = [
    post('楼道文明劝导', 'post', 'governance', 6, '每周一次，劝导楼道堆物、高空抛物'),
    post('法律咨询', 'post', 'legal', 3, '每月第一个周六上午，社区党群服务中心'),
    post('独居老人结对帮扶', 'need', 'assistance', 8, '每月至少上门探访两次'),
    post('义诊与健康讲座', 'post', 'health', 4, '每月一次'),
    post('夜间治安巡逻', 'post', 'safety', 10, '商业街 19:00–21:00'),
    post('四点半课堂辅导', 'need', 'culture', 5, '小学生作业辅导'),
  ];
  const [civility, legal, elderly, health, patrolPost] = posts as [string, string, string, string, string, string];
  for (const compound of compounds.slice(0, 2)) {
    const pool = [...members, ...others].filter(() => rnd() < 0.5);
    for (const [i, kind] of PLATFORM_KINDS.entries()) {
      const memberIds = pool.slice(i * 3, i * 3 + (i === 0 ? 4 : 3)).map((r) => r.id);
      must(createPlatform(registry, ctx, { compoundId: compound.id, kind, memberIds }), `platform ${kind}`);
    }
  }

  // --- activities ------------------------------------------------------------------------------------------------------
  let checkIns = 0;
  const checkIn = (subject: Subject, day: string, workplace = '') => {
    if (day > today) return;
    on(day);
    must(
      recordCheckIn(
        docOf(day),
        ctx,
        { subject, on: day, workplace, channel: rnd() < 0.3 ? 'online' : 'offline' },
        envOf(day),
      ),
      'check-in',
    );
    checkIns++;
  };
  // Members check in; every fifth never does (the 民主评议 list flags them); the early ones re-check in after a half year.
  members.forEach((m, i) => {
    if (i % 5 === 4) return;
    const first = ago(200 - i * 5);
    checkIn({ kind: 'member', id: m.id }, first, WORKPLACES[i % WORKPLACES.length]);
    if (i % 3 === 0) checkIn({ kind: 'member', id: m.id }, addDays(first, 183), WORKPLACES[i % WORKPLACES.length]);
  });
  checkIn({ kind: 'unit', id: tax }, ago(30));
  checkIn({ kind: 'unit', id: power }, ago(60));

  const claim = (postId: string, claimant: Subject, day: string) => {
    on(day);
    must(claimPost(docOf(day), ctx, { postId, claimant, on: day }, envOf(day)), 'claim');
  };
  const serve = (
    subject: Subject,
    postId: string | null,
    day: string,
    hours: number,
    content: string,
    rating: number | null,
  ) => {
    on(day);
    // Claims are kept per year: a service in the next year than its claim claims the post again there.
    if (postId !== null && !hasPartyKey(docOf(day), 'claims', claimKey(postId, subject))) claim(postId, subject, day);
    must(recordService(docOf(day), ctx, { subject, postId, on: day, hours, content, rating }, envOf(day)), 'service');
  };
  const claimed = members.filter((_, i) => i % 5 !== 4).slice(0, 8);
  const day = ago(20);
  const postsOf = [civility, elderly, patrolPost, civility, elderly, patrolPost, civility, health];
  claimed.forEach((m, i) => claim(postsOf[i] as string, { kind: 'member', id: m.id }, day));
  claim(legal, { kind: 'unit', id: tax }, day);
  claim(health, { kind: 'unit', id: hospital }, day);
  const work: Record<string, string> = {
    [civility]: '劝导楼道堆物，清理杂物',
    [elderly]: '上门探访独居老人，代购生活用品',
    [patrolPost]: '商业街夜间巡逻',
    [health]: '量血压、测血糖',
  };
  claimed.forEach((m, i) => {
    const postId = postsOf[i] as string;
    for (let k = 0; k < 2; k++) {
      const when = ago(15 - k * 6 - (i % 3));
      serve(
        { kind: 'member', id: m.id },
        postId,
        when,
        1 + ((i + k) % 4) * 0.5,
        work[postId] ?? '志愿服务',
        k === 1 && i % 2 === 0 ? null : 4 + ((i + k) % 2),
      );
    }
  });
  serve({ kind: 'unit', id: tax }, legal, ago(10), 3, '法律与税务咨询，接待居民 12 人', 5);
  serve({ kind: 'unit', id: hospital }, health, ago(8), 4, '义诊 40 人次', 5);

  // 红袖标 patrols (two evenings ago, a week ago, two weeks ago).
  const patrollers = [...members.slice(0, 3), ...others.slice(0, 3)].map((r) => r.id);
  const patrol = (daysAgo: number, route: string, findings: { text: string; place: string }[]) => {
    const d = ago(daysAgo);
    on(d);
    must(
      recordPatrol(
        docOf(d),
        ctx,
        {
          route,
          startsAt: `${d}T19:00:00+08:00`,
          endsAt: `${d}T21:00:00+08:00`,
          patrollerIds: [pick(patrollers), pick(patrollers)],
          findings,
        },
        envOf(d),
      ),
      'patrol',
    );
  };
  patrol(2, '商业街—步行街—农贸市场', [
    { text: '消防通道被电动车堵塞', place: '步行街 18 号' },
    { text: '路灯不亮', place: '农贸市场东门' },
  ]);
  patrol(7, '商业街—锦绣花园', []);
  patrol(14, '步行街—滨江路', [{ text: '夜市油烟扰民', place: '滨江路夜市' }]);

  // 红马褂 concerns.
  const concern = (daysAgo: number, content: string, place: string) => {
    const d = ago(daysAgo);
    on(d);
    must(
      recordConcern(
        docOf(d),
        ctx,
        { on: d, collectorId: pick(patrollers), residentId: pick(others).id, place, content },
        envOf(d),
      ),
      'concern',
    );
  };
  concern(3, '希望增设电动车充电桩', '锦绣花园 3 栋');
  concern(9, '商铺占道经营，老人出行不便', '步行街');
  concern(16, '小区健身器材损坏', '北湖老院');

  // 小红帽 volunteer hours.
  for (let k = 0; k < 10; k++) {
    const d = ago(3 + k * 4);
    on(d);
    must(
      recordVolunteerHours(
        docOf(d),
        ctx,
        {
          volunteerId: pick(patrollers),
          on: d,
          hours: 1 + (k % 4) * 0.5,
          activity: k % 2 === 0 ? '文明交通劝导' : '社区环境清扫',
        },
        envOf(d),
      ),
      'volunteer hours',
    );
  }

  // 百姓大讲堂 / 大舞台 / 小茶馆.
  const attendees = (n: number) => [...others.slice(10, 10 + n), ...members.slice(0, 3)].map((r) => r.id);
  const session = (
    daysAgo: number,
    kind: 'lecture' | 'stage' | 'teahouse',
    topic: string,
    speaker: string,
    n: number,
    outcome: string,
  ) => {
    const d = ago(daysAgo);
    on(d);
    must(
      recordSession(docOf(d), ctx, { kind, on: d, topic, speaker, attendeeIds: attendees(n), outcome }, envOf(d)),
      'session',
    );
  };
  session(12, 'lecture', '《民法典》与邻里关系', '社区法律顾问 何律师', 12, '发放宣传资料 60 份，现场解答咨询 8 条');
  session(18, 'stage', '“邻里一家亲”文艺演出', '社区合唱团', 20, '');
  session(5, 'teahouse', '锦绣花园停车位纠纷', '社区书记 王敏', 6, '双方各自陈述，同意由调委会进一步调解');

  // 四联 of the first compound.
  const [first] = compounds;
  if (first !== undefined) {
    const mine = listRecords(registry, 'platforms').filter((p) => p.compoundId === first.id);
    const ids = (...kinds: string[]) => mine.filter((p) => kinds.includes(p.kind)).map((p) => p.id);
    const link = (
      daysAgo: number,
      kind: 'information' | 'deliberation' | 'environment' | 'activity',
      title: string,
      content: string,
      platformIds: string[],
    ) => {
      const d = ago(daysAgo);
      on(d);
      must(
        recordLink(docOf(d), ctx, { compoundId: first.id, kind, on: d, title, content, platformIds }, envOf(d)),
        'link',
      );
    };
    link(25, 'information', '停水通知转发', '转发自来水公司停水通知至各楼栋群', ids('party-branch', 'service-centre'));
    link(
      11,
      'deliberation',
      '加装电梯意见征集',
      '管委会、调委会共商加装电梯方案，拟召开三平台联席会议',
      ids('party-branch', 'management-committee', 'mediation-committee'),
    );
    link(6, 'environment', '楼道环境整治', '清理楼道堆物 3 车', ids('management-committee', 'security-centre'));
    link(4, 'activity', '重阳节敬老活动', '为 70 岁以上老人送去慰问品', ids('culture-centre', 'service-centre'));
  }

  return { docs, units: 3, posts: posts.length, checkIns };
}
