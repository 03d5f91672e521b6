/**
 * The demo community's mediation cases (人民调解): cases between neighbours of the demo registry at every stage of the
 * flow (docs/mediation-model.md): just registered; handled on time with a signed session record; near the time limit
 * (yellow); overdue (red); escalated up the building's five-heads chain to the 社区调委会; a written agreement being
 * signed; one signed by the parties and the mediator and sealed (in force); one whose follow-up visit (回访) is due;
 * followed up; closed; failed (no agreement, the routes told) and closed; referred to the police; archived.
 *
 * Written through the mediation commands with a clock moved back in days from `today`, so every deadline, level and
 * status is what the commands compute. The parties are residents of the demo registry (their registry ids), neighbours
 * in one building; the place is that building, whose five-heads chain `intakeCase` freezes (`chainOf`). An extension,
 * an escalation to the committee and a case referred out are among them. Deterministic: the same seed, registry and
 * day give the same cases (ids from a counter, choices from mulberry32).
 */
import * as Y from 'yjs';
import { addDays, ageOn } from '../dates';
import type { CommandContext, CommandResult } from '../kernel';
import { mulberry32 } from '../registry/demo';
import type { Building, Household, HeadRef, Resident } from '../registry/types';
import { listRecords, readMeta } from '../../ydoc/registry';
import { listCases, readCase } from '../../ydoc/cases';
import {
  archiveCase,
  closeCase,
  escalateCase,
  extendCaseDeadline,
  intakeCase,
  reachCaseAgreement,
  recordCaseFollowUp,
  recordCaseOutcome,
  recordCaseSession,
  recordCaseVisit,
  sealCaseAgreement,
  signCaseAgreement,
  signCaseSession,
  startCasePerformance,
} from './commands';
import type { AgreementId, CaseCategory, CaseId, MediationCase, RiskLevel, SessionId, Signer } from './types';

export interface DemoCasesOptions {
  /** The demo community's registry (generateDemoCommunity): parties, places and the five-heads chain come from it. */
  readonly registry: Y.Doc;
  /** The demo's "today" (China date); the stages are laid out in days before it. */
  readonly today: string;
}

export const DEMO_CASE_STAGES = [
  'registered',
  'on-time',
  'near-deadline',
  'overdue',
  'extended',
  'escalated',
  'signing',
  'agreed',
  'follow-up-due',
  'followed-up',
  'closed',
  'failed',
  'referred',
  'archived',
] as const;
export type DemoCaseStage = (typeof DEMO_CASE_STAGES)[number];

export interface DemoCaseRef {
  /** The year of the case's document (`<community>/cases/<year>`): the year it was registered. */
  readonly year: number;
  readonly id: CaseId;
}

export interface DemoCases {
  /** One cases document per year of registration. */
  readonly docs: ReadonlyMap<number, Y.Doc>;
  /** Cases by the stage they were made to show. */
  readonly stages: Readonly<Record<DemoCaseStage, DemoCaseRef>>;
}

const MEDIATOR = { userId: 'demo-mediator', userName: '陈静' };
const COMMITTEE_MEDIATOR = '陈静';
const RECORDER = '刘洋';

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo cases: ${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A typed signature as an on-screen image: the signer's name in an SVG, as the signature pad's typed mode keeps it. */
export function typedSignature(name: string): { kind: 'on-screen'; image: string } {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80">` +
    `<text x="10" y="55" font-size="40" font-family="KaiTi, STKaiti, serif">${name}</text></svg>`;
  return { kind: 'on-screen', image: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` };
}

interface Neighbours {
  readonly building: Building;
  readonly a: { resident: Resident; household: Household };
  readonly b: { resident: Resident; household: Household };
}

/** Buildings with two adult residents of different households, the pairs a neighbours' dispute is made of. */
function neighbourPairs(registry: Y.Doc, today: string): Neighbours[] {
  const households = new Map(listRecords(registry, 'households').map((h) => [h.id, h as Household]));
  const adultsBy = new Map<string, Map<string, Resident>>();
  for (const r of listRecords(registry, 'residents') as Resident[]) {
    if (r.deletedAt !== null || ageOn(r.birthDate, today) < 25) continue;
    const household = households.get(r.householdId);
    if (household === undefined) continue;
    const byHousehold = adultsBy.get(household.buildingId) ?? new Map<string, Resident>();
    if (!byHousehold.has(household.id)) byHousehold.set(household.id, r);
    adultsBy.set(household.buildingId, byHousehold);
  }
  const pairs: Neighbours[] = [];
  for (const building of listRecords(registry, 'buildings') as Building[]) {
    const people = [...(adultsBy.get(building.id)?.values() ?? [])];
    const first = people[0];
    const second = people[Math.floor(people.length / 2)];
    if (first === undefined || second === undefined || first.householdId === second.householdId) continue;
    const ha = households.get(first.householdId);
    const hb = households.get(second.householdId);
    if (ha === undefined || hb === undefined) continue;
    pairs.push({ building, a: { resident: first, household: ha }, b: { resident: second, household: hb } });
  }
  return pairs;
}

interface Scenario {
  readonly category: CaseCategory;
  readonly risk: RiskLevel;
  readonly facts: (a: string, b: string) => string;
  readonly terms: (a: string, b: string) => string;
}

const SCENARIOS: readonly Scenario[] = [
  {
    category: 'water-leak',
    risk: 'yellow',
    facts: (a, b) => `${a}反映楼上${b}家卫生间漏水，渗到自家天花板，墙面起皮发霉，双方多次协商未果。`,
    terms: (a, b) => `${b}于十日内请人修复卫生间防水层，并赔偿${a}墙面修复费用800元。`,
  },
  {
    category: 'noise',
    risk: 'blue',
    facts: (a, b) => `${a}反映${b}家夜间装修、搬动家具，噪声影响老人休息，双方发生口角。`,
    terms: (a, b) => `${b}承诺晚10时至早7时不进行装修作业，${a}不再因此事张贴告示。`,
  },
  {
    category: 'parking',
    risk: 'blue',
    facts: (a, b) => `${a}反映${b}长期将电动车停放在楼道口，堵塞通道，存在消防隐患。`,
    terms: (a, b) => `${b}将电动车移至小区集中充电棚停放，${a}协助联系物业安排车位。`,
  },
  {
    category: 'neighbours',
    risk: 'yellow',
    facts: (a, b) => `${a}反映${b}在公共楼道堆放杂物、饲养鸡鸭，气味影响邻里，劝说无效。`,
    terms: (a, b) => `${b}于一周内清理楼道杂物，不在公共区域饲养家禽；${a}对此不再追究。`,
  },
  {
    category: 'property-fees',
    risk: 'blue',
    facts: (a, b) => `${a}与${b}因楼顶公共水箱维修费用分摊发生争议，涉及金额1200元。`,
    terms: (a, b) => `维修费用1200元由${a}、${b}及同单元其余住户按户均摊，${b}先行垫付。`,
  },
  {
    category: 'land-house',
    risk: 'red',
    facts: (a, b) => `${a}反映${b}在院内搭建雨棚，占用公共通道并遮挡自家采光，双方情绪激动。`,
    terms: (a, b) => `${b}于十五日内拆除雨棚超出部分，保留通道宽度不少于1.5米；${a}不再阻拦其余部分使用。`,
  },
];

export function generateDemoCases(seed: number, options: DemoCasesOptions): DemoCases {
  const { registry, today } = options;
  const rnd = mulberry32(seed ^ 0x3c1d);
  const pairs = neighbourPairs(registry, today);
  if (pairs.length === 0) throw new Error('demo cases: the registry has no two neighbouring households');
  const communityName = readMeta(registry).communityName || '西河社区';
  const committeeName = `${communityName}人民调解委员会`;
  const volunteers = new Map(listRecords(registry, 'volunteers').map((v) => [v.id, v.name]));
  const residents = new Map((listRecords(registry, 'residents') as Resident[]).map((r) => [r.id, r.name]));
  const nameOf = (head: HeadRef | null): string | null =>
    head === null ? null : ((head.kind === 'resident' ? residents.get(head.id) : volunteers.get(head.id)) ?? null);

  const docs = new Map<number, Y.Doc>();
  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctx: CommandContext = {
    actor: { ...MEDIATOR, deviceId: 'demo' },
    now: () => now,
    newId: () => `dc${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(['cases.edit', 'admin']),
  };
  /** `days` before today at `hour` o'clock China time. */
  const on = (days: number, hour = 10) => {
    now = new Date(`${addDays(today, -days)}T${String(hour - 8).padStart(2, '0')}:00:00.000Z`);
  };
  const day = (days: number) => addDays(today, -days);

  let pairIndex = Math.floor(rnd() * pairs.length);
  const nextPair = (): Neighbours => {
    // Spread the cases over the community: a step of a prime through the buildings.
    pairIndex = (pairIndex + 7) % pairs.length;
    return pairs[pairIndex] as Neighbours;
  };
  let scenarioIndex = Math.floor(rnd() * SCENARIOS.length);

  interface Open {
    readonly doc: Y.Doc;
    readonly id: CaseId;
    readonly year: number;
    readonly names: readonly [string, string];
  }
  const read = (c: Open): MediationCase => {
    const value = readCase(c.doc, c.id);
    if (value === null) throw new Error('demo cases: case not found');
    return value;
  };
  /** The name of the head holding the case now, or the committee's mediator. */
  const holder = (c: Open): string => {
    const state = read(c);
    const link = state.chain.find((l) => l.level === state.level);
    return nameOf(link?.head ?? null) ?? COMMITTEE_MEDIATOR;
  };

  const register = (daysAgo: number, source: 'resident-request' | 'head-found' = 'resident-request'): Open => {
    on(daysAgo, 9);
    const pair = nextPair();
    const scenario = SCENARIOS[scenarioIndex++ % SCENARIOS.length] as Scenario;
    const year = Number(day(daysAgo).slice(0, 4));
    const doc = docs.get(year) ?? new Y.Doc();
    docs.set(year, doc);
    const party = (role: 'applicant' | 'respondent', p: Neighbours['a']) => ({
      role,
      name: p.resident.name,
      sex: p.resident.sex,
      birthDate: p.resident.birthDate,
      phone: p.resident.phone,
      address: p.household.address,
      residentId: p.resident.id,
    });
    const a = pair.a.resident.name;
    const b = pair.b.resident.name;
    const id = must(
      intakeCase(
        doc,
        ctx,
        {
          place: { buildingId: pair.building.id, householdId: pair.a.household.id, address: pair.a.household.address },
          source,
          category: scenario.category,
          risk: scenario.risk,
          parties: [party('applicant', pair.a), party('respondent', pair.b)],
          facts: scenario.facts(a, b),
        },
        registry,
      ),
      'intake',
    );
    // The scenario's terms, kept beside the case for the agreement.
    termsOf.set(id, scenario.terms(a, b));
    return { doc, id, year, names: [a, b] };
  };
  const termsOf = new Map<string, string>();

  const visit = (c: Open, daysAgo: number, kind: 'visit' | 'talk', note: string) => {
    on(daysAgo, 15);
    must(recordCaseVisit(c.doc, ctx, { caseId: c.id, kind, by: holder(c), note }), 'visit');
  };
  const escalate = (c: Open, daysAgo: number, reason: string) => {
    on(daysAgo, 16);
    must(escalateCase(c.doc, ctx, { caseId: c.id, reason }), 'escalate');
  };
  const signEveryone = (c: Open, sign: (signer: Signer, name: string) => void, mediatorName: string) => {
    const state = read(c);
    for (const p of state.parties) sign({ role: 'party', partyId: p.id }, p.name);
    sign({ role: 'mediator' }, mediatorName);
  };
  /** A session record, signed by everyone present, the mediator and the recorder (it locks). */
  const session = (c: Open, daysAgo: number, result: string) => {
    on(daysAgo, 14);
    const state = read(c);
    const mediatorName = holder(c);
    const [a, b] = c.names;
    const next = must(
      recordCaseSession(c.doc, ctx, {
        caseId: c.id,
        at: now.toISOString(),
        place: `${communityName}调解室`,
        presentPartyIds: state.parties.map((p) => p.id),
        mediatorName,
        recorderName: RECORDER,
        statements: Object.fromEntries(
          state.parties.map((p) => [
            p.id,
            p.name === a ? `${a}：情况属实，希望对方尽快解决。` : `${b}：愿意协商，但要求对方体谅实际困难。`,
          ]),
        ),
        factsChecked: '经现场查看，反映情况基本属实。',
        result,
      }),
      'session',
    );
    const sessionId = Object.keys(next.sessions).at(-1) as SessionId | undefined;
    if (sessionId === undefined) throw new Error('demo cases: no session');
    on(daysAgo, 15);
    const sign = (signer: Signer, name: string) =>
      must(signCaseSession(c.doc, ctx, { caseId: c.id, sessionId, signer, signature: typedSignature(name) }), 'sign');
    signEveryone(c, sign, mediatorName);
    sign({ role: 'recorder' }, RECORDER);
  };
  /** A written agreement (人民调解协议书); `complete` has every party and the mediator sign and the committee seal. */
  const agree = (c: Open, daysAgo: number, performanceDeadline: string | null, complete: boolean) => {
    on(daysAgo, 16);
    const mediatorName = holder(c);
    const next = must(
      reachCaseAgreement(c.doc, ctx, {
        caseId: c.id,
        kind: 'written',
        terms: termsOf.get(c.id) ?? '双方自愿达成如下协议。',
        performanceMethod: '按约定自行履行，社区调委会回访监督',
        performanceDeadline,
        mediatorName,
        committeeName,
      }),
      'agreement',
    );
    const agreementId = Object.keys(next.agreements).at(-1) as AgreementId | undefined;
    if (agreementId === undefined) throw new Error('demo cases: no agreement');
    on(daysAgo, 17);
    const sign = (signer: Signer, name: string) =>
      must(
        signCaseAgreement(c.doc, ctx, { caseId: c.id, agreementId, signer, signature: typedSignature(name) }),
        'sign agreement',
      );
    if (!complete) {
      // Drafted and signed by the applicant; the respondent, the mediator and the seal are still to come.
      const applicant = read(c).parties.find((p) => p.role === 'applicant');
      if (applicant !== undefined) sign({ role: 'party', partyId: applicant.id }, applicant.name);
      return;
    }
    signEveryone(c, sign, mediatorName);
    on(daysAgo, 18);
    must(sealCaseAgreement(c.doc, ctx, { caseId: c.id, agreementId }), 'seal');
  };
  const followUp = (c: Open, daysAgo: number, satisfaction: number, note: string) => {
    on(daysAgo, 10);
    must(
      recordCaseFollowUp(c.doc, ctx, {
        caseId: c.id,
        date: day(daysAgo),
        visitor: holder(c),
        performance: 'performed',
        satisfaction,
        note,
      }),
      'follow-up',
    );
  };

  const stages: Partial<Record<DemoCaseStage, DemoCaseRef>> = {};
  // Each stage: the day its case was registered and how it went on. Registered in that order, oldest first, so the
  // case numbers of a year follow the registration days as they would have on one device.
  const plans: { stage: DemoCaseStage; registered: number; source?: 'head-found'; walk?: (c: Open) => void }[] = [
    // Registered yesterday, nobody has been yet.
    { stage: 'registered', registered: 1 },
    // In mediation on time: the building head visited, a session was held and signed.
    {
      stage: 'on-time',
      registered: 6,
      walk: (c) => {
        visit(c, 5, 'visit', '上门了解情况，双方同意坐下来谈');
        session(c, 3, '双方初步同意修复方案，费用待商定');
      },
    },
    // Near the time limit (yellow: 70 % of the month used): two visits, no agreement yet.
    {
      stage: 'near-deadline',
      registered: 24,
      walk: (c) => {
        visit(c, 22, 'visit', '现场查看，拍照留存');
        visit(c, 12, 'talk', '分别与双方谈话，分歧在赔偿金额');
      },
    },
    // Overdue (red): registered 40 days ago, the respondent keeps away.
    {
      stage: 'overdue',
      registered: 40,
      walk: (c) => {
        visit(c, 38, 'visit', '被申请人不在家，留下联系卡');
        visit(c, 30, 'talk', '电话联系被申请人，称近期出差');
      },
    },
    // Extended with both parties' consent (one month plus 15 days).
    {
      stage: 'extended',
      registered: 35,
      walk: (c) => {
        visit(c, 33, 'visit', '双方同意等待物业出具维修报价');
        on(5, 11);
        must(
          extendCaseDeadline(c.doc, ctx, {
            caseId: c.id,
            days: 15,
            reason: '等待物业维修报价，双方同意延长调解期限',
            consentPartyIds: read(c).parties.map((p) => p.id),
          }),
          'extend',
        );
      },
    },
    // Escalated up the building's five-heads chain to the community's mediation committee (社区调委会).
    {
      stage: 'escalated',
      registered: 16,
      source: 'head-found',
      walk: (c) => {
        visit(c, 15, 'talk', '劝解无效，双方情绪激动');
        let daysAgo = 14;
        while (read(c).level !== 'committee') {
          escalate(c, daysAgo, '本级调解不成，提请上一级');
          if (read(c).level !== 'committee') visit(c, daysAgo - 1, 'talk', '再次劝解，双方仍有分歧');
          daysAgo -= 2;
        }
        session(c, 3, '调委会组织双方面谈，约定下周再议');
      },
    },
    // A written agreement being signed: the applicant has signed; the respondent, mediator and seal are to come.
    {
      stage: 'signing',
      registered: 12,
      walk: (c) => {
        visit(c, 11, 'visit', '双方同意调解');
        session(c, 4, '双方达成一致意见，拟签订协议');
        agree(c, 2, day(-20), false);
      },
    },
    // Signed by the parties and the mediator, sealed by the committee: in force, its performance deadline ahead.
    {
      stage: 'agreed',
      registered: 20,
      walk: (c) => {
        visit(c, 19, 'visit', '上门了解情况');
        session(c, 8, '双方同意按协议履行');
        agree(c, 6, day(-10), true);
      },
    },
    // Follow-up due: the agreement's performance deadline has passed and nobody has visited yet.
    {
      stage: 'follow-up-due',
      registered: 45,
      walk: (c) => {
        visit(c, 44, 'visit', '现场查看');
        session(c, 30, '双方同意修复并赔偿');
        agree(c, 28, day(3), true);
        on(27, 9);
        must(startCasePerformance(c.doc, ctx, { caseId: c.id }), 'performance');
      },
    },
    // Followed up: the visit found the agreement performed; the case waits to be closed.
    {
      stage: 'followed-up',
      registered: 50,
      walk: (c) => {
        visit(c, 49, 'visit', '上门了解情况');
        session(c, 40, '双方同意按协议履行');
        agree(c, 38, day(20), true);
        on(37, 9);
        must(startCasePerformance(c.doc, ctx, { caseId: c.id }), 'performance');
        followUp(c, 4, 5, '已按协议履行完毕，双方满意');
      },
    },
    // Closed (结案) after the follow-up.
    {
      stage: 'closed',
      registered: 75,
      walk: (c) => {
        visit(c, 74, 'visit', '上门了解情况');
        session(c, 66, '双方同意按协议履行');
        agree(c, 64, day(50), true);
        on(63, 9);
        must(startCasePerformance(c.doc, ctx, { caseId: c.id }), 'performance');
        followUp(c, 48, 4, '已履行，申请人希望对方今后注意');
        on(47, 11);
        must(closeCase(c.doc, ctx, { caseId: c.id, summary: '协议已履行完毕，回访双方满意，予以结案。' }), 'close');
      },
    },
    // Failed: no agreement, the parties told of the arbitration and court routes (art. 26), closed.
    {
      stage: 'failed',
      registered: 55,
      walk: (c) => {
        visit(c, 54, 'visit', '上门了解情况');
        session(c, 45, '双方分歧较大，未能达成一致');
        on(44, 16);
        must(
          recordCaseOutcome(c.doc, ctx, {
            caseId: c.id,
            outcome: {
              kind: 'no-agreement',
              routesTold: ['arbitration', 'court'],
              note: '已告知双方可申请仲裁或向人民法院起诉',
            },
          }),
          'no agreement',
        );
        on(43, 11);
        must(
          closeCase(c.doc, ctx, { caseId: c.id, summary: '调解不成，已告知当事人其他救济途径，予以终结。' }),
          'close',
        );
      },
    },
    // Referred to the police: a fight with an injury is not for mediation.
    {
      stage: 'referred',
      registered: 9,
      walk: (c) => {
        visit(c, 8, 'talk', '双方发生肢体冲突，有人受伤');
        on(8, 17);
        must(
          recordCaseOutcome(c.doc, ctx, {
            caseId: c.id,
            outcome: { kind: 'referred', to: 'police', detail: '涉及人身伤害，移交派出所处理' },
          }),
          'referred',
        );
      },
    },
    // Archived (归档) by the office after closing.
    {
      stage: 'archived',
      registered: 90,
      walk: (c) => {
        visit(c, 89, 'visit', '上门了解情况');
        session(c, 80, '双方同意按协议履行');
        agree(c, 79, day(70), true);
        on(78, 9);
        must(startCasePerformance(c.doc, ctx, { caseId: c.id }), 'performance');
        followUp(c, 68, 5, '已履行完毕');
        on(67, 11);
        must(closeCase(c.doc, ctx, { caseId: c.id, summary: '协议已履行，予以结案。' }), 'close');
        on(60, 11);
        must(archiveCase(c.doc, ctx, { caseId: c.id }), 'archive');
      },
    },
  ];
  const registeredCases = [...plans]
    .sort((x, y) => y.registered - x.registered)
    .map((plan) => ({ plan, c: register(plan.registered, plan.source) }));
  for (const { plan, c } of registeredCases) {
    plan.walk?.(c);
    stages[plan.stage] = { year: c.year, id: c.id };
  }

  return { docs, stages: stages as Record<DemoCaseStage, DemoCaseRef> };
}

/** Every case of the demo, of all its years (for the test and the worker's summary). */
export function demoCases(demo: DemoCases): MediationCase[] {
  return [...demo.docs.values()].flatMap((doc) => listCases(doc));
}
