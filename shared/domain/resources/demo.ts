/**
 * The demo community's venues, projects and funds (docs/resources-model.md, "demo"): four rooms; this year's bookings
 * with two regular services (四点半课堂, 日间照料), single bookings with attendance, and one conflict left by two devices
 * that booked the same hour offline; a project at each stage; the three funds' ledgers over last year and this year
 * to today, with awards, earmarked spending, care payments (慰问) of party members and one reversing entry.
 *
 * Everything is written by the commands themselves (every rule applies), with a context of the demo office.
 * Deterministic: the same seed and day give the same documents.
 */
import * as Y from 'yjs';
import { addDays } from '../dates';
import type { CommandContext, CommandResult, Permission } from '../kernel';
import { listRecords } from '../../ydoc/registry';
import { listBookings } from '../../ydoc/resources';
import { mulberry32 } from '../registry/demo';
import { recordFundEntry, reverseFundEntry } from './funds';
import {
  addProjectLedger,
  approveProject,
  closeProject,
  commentProject,
  contractProject,
  publishProject,
  rateProject,
  refuseProject,
  voteProject,
} from './projects';
import type { Fund } from './types';
import { bookSeries, bookVenue, createVenue, heldOn, recordAttendance, venuesEnv, weekdayOf } from './venues';

export interface DemoResourcesOptions {
  /** The demo registry: venues, projects and fund entries are written into it; residents are read from it. */
  readonly registry: Y.Doc;
  readonly today: string;
  /**
   * The activities documents by year, shared with the party-building demo: bookings are added to this year's (made
   * when missing).
   */
  readonly activities?: Map<number, Y.Doc>;
}

export interface DemoResources {
  readonly activities: Map<number, Y.Doc>;
  readonly venues: number;
  readonly bookings: number;
  readonly projects: number;
  readonly fundEntries: number;
}

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo resources: ${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

const clampTo = (day: string, from: string, to: string) => (day < from ? from : day > to ? to : day);

export function generateDemoResources(seed: number, options: DemoResourcesOptions): DemoResources {
  const { registry, today } = options;
  const rnd = mulberry32(seed ^ 0x7e50);
  const year = Number(today.slice(0, 4));
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const activities = options.activities ?? new Map<number, Y.Doc>();
  const yearDoc = (y: number): Y.Doc => {
    let made = activities.get(y);
    if (made === undefined) {
      made = new Y.Doc();
      activities.set(y, made);
    }
    return made;
  };
  const bookings = yearDoc(year);

  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctxOf = (
    userId: string,
    userName: string,
    permissions: readonly Permission[],
    device = 'demo',
  ): CommandContext => ({
    actor: { userId, userName, deviceId: device },
    now: () => now,
    newId: () => `dr${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(permissions),
  });
  const on = (day: string) => {
    now = new Date(`${day}T02:00:00.000Z`);
  };
  const office = ctxOf('demo-office', '社区干部李明', ['resources.edit']);
  const secretary = ctxOf('demo-admin', '社区书记王红', ['admin']);

  const residents = listRecords(registry, 'residents').filter((r) => !r.deletedAt);
  const members = residents.filter((r) => Array.isArray(r.tags) && r.tags.includes('party-member'));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

  // --- venues ---------------------------------------------------------------------------------------------------
  on(clampTo(addDays(today, -200), `${year - 1}-01-01`, today));
  const hall = must(
    createVenue(registry, office, {
      name: '多功能活动室',
      capacity: 80,
      equipment: ['投影仪', '音响', '话筒', '折叠桌椅'],
      note: '党群服务中心一楼',
      // Evening rehearsals: open later than the other rooms (which keep 08:00-20:00).
      openHours: { start: '08:00', end: '21:30' },
    }),
    'hall',
  );
  const classroom = must(
    createVenue(registry, office, { name: '四点半课堂教室', capacity: 30, equipment: ['白板', '课桌椅', '图书角'] }),
    'classroom',
  );
  const daycare = must(
    createVenue(registry, office, {
      name: '日间照料中心',
      capacity: 25,
      equipment: ['休息床', '理疗仪', '电视'],
      note: '老年人助餐、休息',
    }),
    'daycare',
  );
  const partyRoom = must(
    createVenue(registry, office, { name: '党员活动室', capacity: 40, equipment: ['投影仪', '党旗', '书柜'] }),
    'party room',
  );
  const env = venuesEnv(registry);

  // --- bookings of this year ------------------------------------------------------------------------------------
  let bookingCount = 0;
  // 四点半课堂 runs the school year, September to June: one series across the year end, a part in each year's
  // document (docs/resources-model.md, "venues"), booked before term starts.
  const schoolYear = today.slice(5) >= '09-01' ? year : year - 1;
  const term = { from: `${schoolYear}-09-01`, until: `${schoolYear + 1}-06-30` };
  on(addDays(term.from, -10));
  const classes = must(
    bookSeries(
      new Map([
        [schoolYear, yearDoc(schoolYear)],
        [schoolYear + 1, yearDoc(schoolYear + 1)],
      ]),
      office,
      {
        venueId: classroom,
        date: term.from,
        start: '16:30',
        end: '18:00',
        repeat: { weekdays: [1, 2, 3, 4, 5], until: term.until },
        purpose: '四点半课堂',
        organiser: '社区居委会',
        provider: '阳光社会工作服务中心',
        fee: 'free',
        expected: 25,
      },
      env,
    ),
    'classes',
  );
  // The part that holds a day, in its year's document.
  const classOn = (day: string): { doc: Y.Doc; id: string } | null => {
    for (const id of classes.ids) {
      const doc = yearDoc(Number(day.slice(0, 4)));
      const part = listBookings(doc).find((b) => b.id === id);
      if (part !== undefined && heldOn(part, day)) return { doc, id };
    }
    return null;
  };
  on(clampTo(addDays(today, -60), yearStart, today));
  const care = must(
    bookVenue(
      bookings,
      office,
      {
        venueId: daycare,
        date: yearStart,
        start: '08:30',
        end: '11:30',
        repeat: { weekdays: [1, 2, 3, 4, 5], until: yearEnd },
        purpose: '日间照料',
        organiser: '社区居委会',
        provider: '幸福里养老服务有限公司',
        fee: 'low-cost',
        expected: 20,
      },
      env,
    ),
    'day care',
  );
  bookingCount += 2;
  // The regular services' attendance over the last two weeks (school days and weekdays; the class across the year
  // end on the part that holds the day, last year's included).
  for (let d = addDays(today, -14); d < today; d = addDays(d, 1)) {
    // A weekend is not an occasion: refused (nothing written), and skipped.
    if (weekdayOf(d) > 5) continue;
    const part = classOn(d);
    if (part !== null) {
      must(
        recordAttendance(part.doc, office, { bookingId: part.id, date: d, count: 18 + Math.floor(rnd() * 6) }),
        'class count',
      );
    }
    if (d >= yearStart) {
      must(
        recordAttendance(bookings, office, { bookingId: care, date: d, count: 14 + Math.floor(rnd() * 6) }),
        'count',
      );
    }
  }
  const singles: readonly [number, string, string, string, string, 'paid' | 'low-cost' | 'free', number][] = [
    [-20, '09:00', '11:00', '居民议事会', '社区居委会', 'free', 40],
    [-12, '14:00', '16:00', '老年人防诈骗讲座', '派出所社区警务室', 'free', 60],
    [-6, '19:00', '21:00', '广场舞队排练', '夕阳红舞蹈队', 'free', 30],
    [-3, '09:00', '11:30', '婚宴场地租用', '居民张先生', 'paid', 70],
    [2, '14:30', '16:30', '亲子手工课', '社区妇联', 'low-cost', 35],
    [5, '09:00', '11:00', '业主大会筹备会', '业主委员会筹备组', 'free', 50],
    [9, '19:00', '21:00', '合唱团排练', '社区合唱团', 'free', 40],
  ];
  for (const [offset, start, end, purpose, organiser, fee, expected] of singles) {
    const date = clampTo(addDays(today, offset), yearStart, yearEnd);
    const result = bookVenue(
      bookings,
      office,
      { venueId: hall, date, start, end, purpose, organiser, fee, expected },
      env,
    );
    // Clamped to the year's ends two may land on one day: the later is refused, as on any device.
    if (!result.ok) continue;
    bookingCount += 1;
    if (date < today) {
      must(
        recordAttendance(bookings, office, {
          bookingId: result.value,
          date,
          count: Math.max(1, expected - Math.floor(rnd() * 15)),
        }),
        'attendance',
      );
    }
  }
  // Two devices booked the party room for the same afternoon while offline; they synced: both kept, a conflict.
  const clashDay = clampTo(addDays(today, 4), yearStart, yearEnd);
  const deviceA = new Y.Doc();
  const deviceB = new Y.Doc();
  Y.applyUpdate(deviceA, Y.encodeStateAsUpdate(bookings));
  Y.applyUpdate(deviceB, Y.encodeStateAsUpdate(bookings));
  const slot = { venueId: partyRoom, date: clashDay, fee: 'free' as const };
  must(
    bookVenue(
      deviceA,
      ctxOf('demo-office', '社区干部李明', ['resources.edit'], 'demo-a'),
      { ...slot, start: '14:00', end: '16:00', purpose: '主题党日活动', organiser: '第一党支部', expected: 30 },
      env,
    ),
    'clash a',
  );
  must(
    bookVenue(
      deviceB,
      ctxOf('demo-grid', '网格员赵敏', ['resources.edit'], 'demo-b'),
      { ...slot, start: '15:00', end: '17:00', purpose: '网格员培训', organiser: '社区网格站', expected: 20 },
      env,
    ),
    'clash b',
  );
  Y.applyUpdate(bookings, Y.encodeStateAsUpdate(deviceA));
  Y.applyUpdate(bookings, Y.encodeStateAsUpdate(deviceB));
  bookingCount += 2;

  // --- projects at each stage -----------------------------------------------------------------------------------
  const voters = residents.slice(0, 60);
  const consult = (id: string, comments: readonly string[], agreeShare: number) => {
    comments.forEach((text, i) => {
      const who = voters[(i * 7) % Math.max(1, voters.length)];
      if (who) must(commentProject(registry, office, { id, residentId: who.id, text }), 'comment');
    });
    for (const who of voters.slice(0, 24)) {
      const choice = rnd() < agreeShare ? 'agree' : rnd() < 0.5 ? 'disagree' : 'abstain';
      must(voteProject(registry, office, { id, residentId: who.id, choice }), 'vote');
    }
  };
  const projectDay = (days: number) => clampTo(addDays(today, days), `${year - 1}-01-01`, today);
  let projectCount = 0;
  const publish = (title: string, need: string, days: number, venueId: string | null) => {
    on(projectDay(days));
    projectCount += 1;
    return must(publishProject(registry, office, { title, need, publishedOn: projectDay(days), venueId }), title);
  };
  const commitments = [
    '每周一至周五11:00-13:00供应午餐，节假日不停供',
    '80岁以上老人、低保户每餐优惠3元',
    '收费标准在服务点公示，调价提前30天征求居民意见',
    '每季度接受居民满意度测评，满意率低于80%限期整改',
  ];
  // 征求意见中: the need is out, residents comment and vote.
  const consulting = publish('小区充电桩建设', '电动自行车飞线充电隐患大，居民希望在2号院增设集中充电桩。', -10, null);
  consult(consulting, ['希望尽快安装', '收费要合理', '位置别离住户太近'], 0.8);
  // 已通过: approved, contract not yet signed.
  const approved = publish('四点半课堂延时托管', '双职工家庭希望课堂延长到18:30。', -40, classroom);
  consult(approved, ['非常需要', '老师要有资质'], 0.9);
  on(projectDay(-25));
  must(approveProject(registry, secretary, { id: approved, decidedOn: projectDay(-25) }), 'approve');
  // 已拒签: over-commercial.
  const refused = publish('活动室商业培训', '某培训机构申请长期使用多功能活动室开设收费培训班。', -90, hall);
  consult(refused, ['收费太高', '占用居民活动时间'], 0.2);
  on(projectDay(-75));
  must(
    refuseProject(registry, secretary, {
      id: refused,
      decidedOn: projectDay(-75),
      reason: '过度商业化：以营利培训为主，挤占居民公益活动时间',
    }),
    'refuse',
  );
  // 已签约: running, with its ledger and ratings.
  const canteen = publish('社区老年助餐点', '独居和高龄老人午餐难，希望在日间照料中心开设助餐点。', -180, daycare);
  consult(canteen, ['价格实惠最重要', '希望能送餐上门', '口味清淡些'], 0.85);
  on(projectDay(-160));
  must(approveProject(registry, secretary, { id: canteen, decidedOn: projectDay(-160) }), 'approve canteen');
  on(projectDay(-150));
  must(
    contractProject(registry, secretary, {
      id: canteen,
      provider: '幸福里养老服务有限公司',
      providerContact: '周经理 028-8888 6666',
      from: projectDay(-140),
      to: addDays(projectDay(-140), 364),
      rent: 1_200_000,
      fee: 'low-cost',
      commitments,
      signedOn: projectDay(-150),
    }),
    'contract canteen',
  );
  on(projectDay(-130));
  must(
    addProjectLedger(registry, office, {
      id: canteen,
      kind: 'income',
      amount: 600_000,
      date: projectDay(-130),
      note: '上半年场地租金',
    }),
    'rent',
  );
  must(
    addProjectLedger(registry, office, {
      id: canteen,
      kind: 'spending',
      amount: 180_000,
      date: projectDay(-30),
      note: '厨房排烟设备维修',
    }),
    'repair',
  );
  for (const who of voters.slice(0, 12)) {
    must(rateProject(registry, office, { id: canteen, residentId: who.id, score: 3 + Math.floor(rnd() * 3) }), 'rate');
  }
  // 已结项: closed and rated.
  const yard = publish('院落微更新', '3号院绿化带荒废，居民希望改造成小游园。', -300, null);
  consult(yard, ['增加座椅', '保留老树'], 0.9);
  on(projectDay(-280));
  must(approveProject(registry, secretary, { id: yard, decidedOn: projectDay(-280) }), 'approve yard');
  must(
    contractProject(registry, secretary, {
      id: yard,
      provider: '蓉城园林工程有限公司',
      providerContact: '',
      from: projectDay(-270),
      to: projectDay(-200),
      rent: 0,
      fee: 'free',
      commitments: ['工期70天，施工期间每日18:00前清场', '竣工后养护一年'],
      signedOn: projectDay(-280),
    }),
    'contract yard',
  );
  for (const who of voters.slice(10, 20)) {
    must(rateProject(registry, office, { id: yard, residentId: who.id, score: 4 + Math.floor(rnd() * 2) }), 'rate');
  }
  on(projectDay(-190));
  must(closeProject(registry, office, { id: yard }), 'close yard');

  // --- funds ------------------------------------------------------------------------------------------------------
  let entries = 0;
  const entry = (
    fund: Fund,
    kind: 'income' | 'spending',
    amount: number,
    date: string,
    category: string,
    note: string,
    extra: { memberId?: string; reason?: string } = {},
  ): string | null => {
    if (date > today) return null;
    on(date);
    const result = recordFundEntry(registry, office, { fund, kind, amount, date, category, note, ...extra });
    if (!result.ok) return null;
    entries += 1;
    return result.value;
  };
  const last = year - 1;
  entry('party', 'income', 2_000_000, `${last}-02-15`, 'allocation', '街道下拨党建工作经费');
  entry('party', 'spending', 450_000, `${last}-07-01`, 'activity', '七一主题党日活动');
  entry('development', 'income', 5_000_000, `${last}-03-10`, 'allocation', '社区发展治理专项保障资金');
  entry('development', 'spending', 1_800_000, `${last}-09-20`, 'environment', '老旧院落环境整治');
  entry('care', 'income', 600_000, `${last}-01-10`, 'allocation', '党员关爱基金年度拨付');
  entry('party', 'income', 2_000_000, `${year}-02-20`, 'allocation', '街道下拨党建工作经费');
  entry('party', 'income', 300_000, `${year}-04-15`, 'award', '以奖代补：上年度"红旗党支部"奖补');
  entry('party', 'spending', 260_000, `${year}-03-05`, 'training', '党员冬训教材和场地');
  entry('party', 'spending', 520_000, `${year}-07-01`, 'activity', '七一主题党日活动');
  const wrong = entry('party', 'spending', 88_000, `${year}-05-12`, 'activity', '党建宣传栏制作（金额录错）');
  if (wrong) {
    const day = `${year}-05-13` > today ? today : `${year}-05-13`;
    on(day);
    must(
      reverseFundEntry(registry, secretary, { id: wrong, date: day, reason: '金额录错，冲正后重新记账' }),
      'reverse',
    );
    entries += 1;
    entry('party', 'spending', 8_800, `${year}-05-13`, 'activity', '党建宣传栏制作');
  }
  entry('development', 'income', 5_000_000, `${year}-03-15`, 'allocation', '社区发展治理专项保障资金');
  entry('development', 'spending', 1_500_000, `${year}-05-20`, 'task', '上级交办：背街小巷改造配套');
  entry('development', 'spending', 600_000, `${year}-08-10`, 'service', '四点半课堂购买服务');
  entry('care', 'income', 800_000, `${year}-01-08`, 'allocation', '党员关爱基金年度拨付');
  const reasons: readonly [string, string, number, string][] = [
    [`${last}-01-25`, 'visit', 50_000, '春节走访慰问老党员'],
    [`${last}-09-28`, 'illness', 60_000, '住院慰问'],
    [`${year}-01-20`, 'visit', 50_000, '春节走访慰问老党员'],
    [`${year}-01-22`, 'hardship', 100_000, '生活困难党员慰问'],
    [`${year}-04-02`, 'illness', 80_000, '住院慰问'],
    [`${year}-06-28`, 'visit', 50_000, '"光荣在党50年"纪念章颁发慰问'],
    [`${year}-10-01`, 'visit', 50_000, '国庆走访慰问老党员'],
  ];
  reasons.forEach(([date, category, amount, reason], i) => {
    const member = members[(i * 5) % Math.max(1, members.length)] ?? (members.length > 0 ? pick(members) : undefined);
    if (member) entry('care', 'spending', amount, date, category, '', { memberId: member.id, reason });
  });

  return { activities, venues: 4, bookings: bookingCount, projects: projectCount, fundEntries: entries };
}
