/**
 * A deterministic demo community (西河社区, 顺庆区, 南充): three compounds (one commercial with property company and
 * owners' committee, two old ones under the five-heads tree), buildings with entrances and households, residents with
 * valid ID numbers (Nanchong 5113xx region codes) and phones, grids, heads and a party organisation tree.
 *
 * Everything is written through the domain commands, so the demo also exercises them; residents go in through
 * `importResidents` (one transaction), which keeps 20,000 residents within a few seconds. Same seed, same community:
 * ids come from a counter and the clock is fixed, so fixtures and screenshots are stable.
 */
import * as Y from 'yjs';
import { ageOn, isoDate } from '../dates';
import type { DomainError, Result } from '../result';
import {
  createBuilding,
  createCompound,
  createGrid,
  createPartyOrg,
  createVolunteer,
  createZone,
  importResidents,
  setBuildingHead,
  setCommunityMeta,
  setZoneHead,
  updateCompound,
} from './commands';
import type { CommandContext } from '../kernel';
import { makeIdNumber, seqForSex } from './idNumber';
import type {
  BuildingId,
  CompoundId,
  GridId,
  GridWorker,
  HeadRef,
  ImportResidentRow,
  PartyOrgId,
  Relation,
  ResidentId,
  ResidentTag,
  Sex,
  VolunteerId,
  ZoneId,
  ZoneLevel,
} from './types';

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; enough for demo data, not for anything secret. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
  /** Weighted pick: the first items of a list sorted by frequency come up more often (roughly Zipf-like). */
  pickSkewed<T>(items: readonly T[]): T {
    return this.pick(items.slice(0, Math.max(1, Math.ceil(items.length * this.next() ** 2))));
  }
}

// Surnames by frequency in Sichuan (王 李 张 刘 陈 杨 ... as in the census lists), a few polyphonic ones included.
const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周何罗蒋唐徐孙马朱胡郭林谢邓曾彭冯肖袁田董潘蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾付邹熊秦邱江尹雷侯龙陶黎贺毛龚严覃敬蒲单解',
);
const MALE_CHARS = Array.from('伟强磊军洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆帅旭宁龙林波建国志文博睿轩涵宏毅峰成');
const FEMALE_CHARS = Array.from('芳娜敏静丽艳娟霞燕玲婷雪慧莉琳萍红梅颖欣怡佳悦琪晨瑶菲蓉秀兰英桂珍凤丹洁倩');
const REGIONS = [
  '511302',
  '511302',
  '511302',
  '511302',
  '511303',
  '511304',
  '511321',
  '511322',
  '511323',
  '511325',
  '511381',
];
const MOBILE_PREFIXES = [
  '138',
  '139',
  '135',
  '136',
  '137',
  '150',
  '151',
  '152',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '133',
  '153',
  '180',
  '181',
  '189',
  '177',
  '199',
];

export interface DemoOptions {
  /** Number of residents; default 3,000. */
  readonly residents?: number;
  /** Number of buildings; default max(40, residents / 75). */
  readonly buildings?: number;
  /** The demo's "today" (ages, check-ins, audit time); default 2026-03-01. */
  readonly today?: string;
  /** Document to write into; default a new one. */
  readonly doc?: Y.Doc;
}

export interface DemoCommunity {
  readonly doc: Y.Doc;
  readonly ctx: CommandContext;
  readonly counts: {
    readonly residents: number;
    readonly households: number;
    readonly buildings: number;
    readonly entrances: number;
    readonly zones: number;
    readonly partyOrgs: number;
  };
  /** Buildings created with no building head (the chain shows who steps in). */
  readonly buildingsWithoutHead: readonly BuildingId[];
}

function must<T>(result: Result<T, DomainError>, what: string): T {
  // The generator only builds valid input; a refusal is a bug in the generator or a command, so fail loudly.
  if (!result.ok) throw new Error(`demo: ${what} refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

interface Person {
  row: ImportResidentRow;
  sex: Sex;
  age: number;
  building: number;
}

export function generateDemoCommunity(seed: number, options: DemoOptions = {}): DemoCommunity {
  const residentTarget = Math.max(1, Math.trunc(options.residents ?? 3000));
  const buildingCount = Math.max(4, Math.trunc(options.buildings ?? Math.max(40, Math.ceil(residentTarget / 75))));
  const today = options.today ?? '2026-03-01';
  const doc = options.doc ?? new Y.Doc();
  const rnd = new Random(seed);
  let counter = 0;
  const ctx: CommandContext = {
    actor: { userId: 'demo', userName: '演示数据', deviceId: 'demo' },
    now: () => new Date(`${today}T02:00:00.000Z`),
    newId: () => `d${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(['admin', 'registry.edit', 'registry.reveal', 'registry.special-care']),
  };
  const todayYear = Number(today.slice(0, 4));

  const personName = (sex: Sex, surname = rnd.pickSkewed(SURNAMES)): string => {
    const chars = sex === 'male' ? MALE_CHARS : FEMALE_CHARS;
    return surname + rnd.pick(chars) + (rnd.chance(0.7) ? rnd.pick(chars) : '');
  };
  const mobile = (): string => rnd.pick(MOBILE_PREFIXES) + String(rnd.int(0, 99_999_999)).padStart(8, '0');

  must(
    setCommunityMeta(doc, ctx, { communityName: '西河社区', streetName: '中城街道', districtName: '顺庆区' }),
    'meta',
  );

  // Volunteers: heads who do not live in the compounds (retired cadres, shopkeepers).
  const volunteers: VolunteerId[] = [];
  for (let i = 0; i < 6; i++) {
    volunteers.push(
      must(
        createVolunteer(doc, ctx, { name: personName(rnd.chance(0.5) ? 'male' : 'female'), phone: mobile() }),
        'volunteer',
      ),
    );
  }

  // Five-heads tree: 2 片区 × 2 街 × 2 巷 × 2 院落.
  const courtyards: ZoneId[] = [];
  const lanes: ZoneId[] = [];
  const zones: { id: ZoneId; level: ZoneLevel }[] = [];
  const streetNames = ['和平街', '模范街', '北湖街', '西河街'];
  const laneNames = ['一巷', '二巷'];
  let s = 0;
  for (const areaName of ['东片区', '西片区']) {
    const area = must(createZone(doc, ctx, { level: 'area', name: areaName }), 'area');
    zones.push({ id: area, level: 'area' });
    for (let j = 0; j < 2; j++) {
      const streetName = streetNames[s++] ?? `街${s}`;
      const street = must(createZone(doc, ctx, { level: 'street', name: streetName, parentId: area }), 'street');
      zones.push({ id: street, level: 'street' });
      for (const laneName of laneNames) {
        const lane = must(
          createZone(doc, ctx, { level: 'lane', name: streetName + laneName, parentId: street }),
          'lane',
        );
        zones.push({ id: lane, level: 'lane' });
        lanes.push(lane);
        for (let k = 1; k <= 2; k++) {
          const name = `${streetName}${laneName}${k}号院`;
          const courtyard = must(createZone(doc, ctx, { level: 'courtyard', name, parentId: lane }), 'courtyard');
          zones.push({ id: courtyard, level: 'courtyard' });
          courtyards.push(courtyard);
        }
      }
    }
  }

  const grids: GridId[] = [];
  for (const gridName of ['第一网格', '第二网格', '第三网格', '第四网格']) {
    const workers: GridWorker[] = [
      { name: personName('female'), phone: mobile(), role: 'grid-worker' },
      { name: personName('male'), phone: mobile(), role: 'police' },
      { name: personName(rnd.chance(0.5) ? 'male' : 'female'), phone: mobile(), role: 'manager' },
    ];
    if (rnd.chance(0.5)) workers.push({ name: personName('male'), phone: mobile(), role: 'grid-worker' });
    grids.push(must(createGrid(doc, ctx, { name: gridName, workers }), 'grid'));
  }

  const commercial = must(
    createCompound(doc, ctx, {
      name: '锦江花园',
      kind: 'commercial',
      address: '顺庆区西河路88号',
      propertyCompany: '南充锦江物业服务有限公司',
    }),
    'compound',
  );
  const oldNorth = must(
    createCompound(doc, ctx, { name: '北湖老院', kind: 'old', address: '顺庆区北湖路12号' }),
    'compound',
  );
  const oldSouth = must(
    createCompound(doc, ctx, { name: '模范街老院', kind: 'old', address: '顺庆区模范街36号' }),
    'compound',
  );

  // Buildings: 40 % commercial (high-rise, hanging under a lane: the courtyard level is skipped), the rest old
  // (walk-ups, each under a courtyard). Grids take contiguous runs of buildings.
  interface BuildingPlan {
    id: BuildingId;
    compound: CompoundId;
    floors: number;
    entrances: number;
    zone: ZoneId;
  }
  const buildings: BuildingPlan[] = [];
  const commercialCount = Math.round(buildingCount * 0.4);
  const perCompoundIndex = new Map<CompoundId, number>();
  for (let b = 0; b < buildingCount; b++) {
    const isCommercial = b < commercialCount;
    const compound = isCommercial
      ? commercial
      : b < commercialCount + Math.ceil((buildingCount - commercialCount) / 2)
        ? oldNorth
        : oldSouth;
    const n = (perCompoundIndex.get(compound) ?? 0) + 1;
    perCompoundIndex.set(compound, n);
    const floors = isCommercial ? rnd.int(11, 18) : rnd.int(5, 7);
    const zone = isCommercial ? (lanes[n % 2] ?? lanes[0]) : courtyards[(b - commercialCount) % courtyards.length];
    if (zone === undefined) throw new Error('demo: no zone');
    const gridId = grids[Math.floor((b * grids.length) / buildingCount)] ?? null;
    const id = must(
      createBuilding(doc, ctx, { compoundId: compound, name: `${n}栋`, zoneId: zone, gridId, floors }),
      'building',
    );
    buildings.push({ id, compound, floors, entrances: isCommercial ? rnd.int(2, 3) : rnd.int(1, 2), zone });
  }

  // Household slots: entrance × floor × door, shuffled so families spread over every building.
  const slots: { building: number; entrance: string; door: string }[] = [];
  buildings.forEach((b, index) => {
    for (let e = 1; e <= b.entrances; e++) {
      for (let f = 1; f <= b.floors; f++) {
        for (let d = 1; d <= 2; d++) slots.push({ building: index, entrance: `${e}单元`, door: `${f}0${d}` });
      }
    }
  });
  for (let i = slots.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    const a = slots[i];
    const b = slots[j];
    if (a !== undefined && b !== undefined) [slots[i], slots[j]] = [b, a];
  }

  const usedIds = new Set<string>();
  const idFor = (age: number, sex: Sex): { idNumber: string; birthDate: string } => {
    for (;;) {
      let birth = isoDate(todayYear - age, rnd.int(1, 12), rnd.int(1, 28));
      if (ageOn(birth, today) !== age)
        birth = isoDate(todayYear - age - 1, Number(birth.slice(5, 7)), Number(birth.slice(8, 10)));
      const idNumber = makeIdNumber(rnd.pick(REGIONS), birth, seqForSex(rnd.int(0, 100_000), sex));
      if (!usedIds.has(idNumber)) {
        usedIds.add(idNumber);
        return { idNumber, birthDate: birth };
      }
    }
  };

  const people: Person[] = [];
  let household = 0;
  while (people.length < residentTarget) {
    const slot = slots[household % slots.length];
    if (slot === undefined) throw new Error('demo: no household slots');
    // More households than slots (a tiny building count): extra households share a door with a suffix, 301-2.
    const door = household < slots.length ? slot.door : `${slot.door}-${Math.floor(household / slots.length) + 1}`;
    household++;
    const building = buildings[slot.building];
    if (building === undefined) continue;
    const add = (name: string, sex: Sex, age: number, relation: Relation): void => {
      if (people.length >= residentTarget) return;
      const { idNumber } = idFor(age, sex);
      const tags: ResidentTag[] = [];
      if (age < 18) tags.push('minor');
      if (age >= 18 && rnd.chance(age > 60 ? 0.14 : 0.08)) tags.push('party-member');
      if (age >= 18 && age < 75 && rnd.chance(0.05)) tags.push('volunteer');
      if (rnd.chance(age > 65 ? 0.05 : 0.015)) tags.push('disabled');
      if (rnd.chance(0.015)) tags.push('special-care');
      const phone = age < 14 ? null : age >= 80 && rnd.chance(0.3) ? `0817-${rnd.int(2_000_000, 2_999_999)}` : mobile();
      const partyCheckIn =
        tags.includes('party-member') && rnd.chance(0.65)
          ? isoDate(rnd.int(2019, todayYear - 1), rnd.int(1, 12), rnd.int(1, 28))
          : null;
      people.push({
        sex,
        age,
        building: slot.building,
        row: {
          name,
          idNumber,
          phone,
          relation,
          tags,
          partyCheckIn,
          buildingId: building.id,
          entranceName: slot.entrance,
          doorNumber: door,
          // Most flats have a known area; some old ones were never measured.
          floorArea: rnd.chance(0.04)
            ? null
            : Math.round((building.floors > 8 ? rnd.int(75, 140) : rnd.int(45, 90)) * 10 + rnd.int(0, 9)) / 10,
          note: '',
        },
      });
    };
    const headAge = Math.min(95, 22 + Math.floor(rnd.float() ** 1.3 * 68));
    const headSex: Sex = rnd.chance(0.62) ? 'male' : 'female';
    const familyName = rnd.pickSkewed(SURNAMES);
    const start = people.length;
    add(personName(headSex, familyName), headSex, headAge, 'self');
    if (rnd.chance(headAge >= 70 ? 0.55 : 0.75)) {
      const sex: Sex = headSex === 'male' ? 'female' : 'male';
      add(personName(sex), sex, Math.max(20, headAge + rnd.int(-4, 4)), 'spouse');
    }
    const children = headAge < 30 ? rnd.int(0, 1) : headAge < 60 ? rnd.int(0, 2) : rnd.int(0, 1);
    for (let c = 0; c < children; c++) {
      const age = headAge - rnd.int(23, 34);
      if (age < 0) continue;
      const sex: Sex = rnd.chance(0.52) ? 'male' : 'female';
      add(personName(sex, headSex === 'male' ? familyName : undefined), sex, age, 'child');
    }
    if (headAge < 50 && rnd.chance(0.15)) {
      const sex: Sex = rnd.chance(0.5) ? 'male' : 'female';
      add(
        personName(sex, sex === 'male' ? familyName : undefined),
        sex,
        Math.min(99, headAge + rnd.int(24, 32)),
        'parent',
      );
    }
    const alone = people.length - start === 1 ? people[start] : undefined;
    if (alone !== undefined && alone.age >= 70) alone.row.tags = [...(alone.row.tags ?? []), 'elderly-alone'];
  }

  const imported = must(importResidents(doc, ctx, { rows: people.map((p) => p.row) }), 'import');
  const residentId = (index: number): ResidentId => {
    const id = imported.residentIds[index];
    if (id === undefined) throw new Error('demo: resident index out of range');
    return id;
  };

  // Heads. Building heads are adults living in the building; two buildings are left without one on purpose (one of
  // them under a courtyard that has no head either), so the screens show who steps in.
  const adultsIn = new Map<number, number[]>();
  people.forEach((p, i) => {
    if (p.age >= 30 && p.age <= 75) adultsIn.set(p.building, [...(adultsIn.get(p.building) ?? []), i]);
  });
  const headless = new Set([commercialCount, commercialCount + 1]);
  const buildingsWithoutHead: BuildingId[] = [];
  const headOfCourtyard = new Map<ZoneId, HeadRef>();
  buildings.forEach((b, index) => {
    const candidates = adultsIn.get(index) ?? [];
    if (headless.has(index) || candidates.length === 0) {
      buildingsWithoutHead.push(b.id);
      return;
    }
    const head: HeadRef = { kind: 'resident', id: residentId(rnd.pick(candidates)) };
    must(setBuildingHead(doc, ctx, { id: b.id, head }), 'building head');
    if (!headOfCourtyard.has(b.zone)) headOfCourtyard.set(b.zone, head);
  });
  const emptyCourtyard = buildings[commercialCount]?.zone;
  for (const zone of zones) {
    if (zone.id === emptyCourtyard) continue;
    const head: HeadRef =
      zone.level === 'courtyard'
        ? (headOfCourtyard.get(zone.id) ?? { kind: 'volunteer', id: rnd.pick(volunteers) })
        : zone.level === 'area' || rnd.chance(0.5)
          ? { kind: 'volunteer', id: rnd.pick(volunteers) }
          : { kind: 'resident', id: residentId(rnd.int(0, imported.residentIds.length - 1)) };
    if (head.kind === 'resident' && (people[imported.residentIds.indexOf(head.id)]?.age ?? 0) < 18) continue;
    must(setZoneHead(doc, ctx, { id: zone.id, head }), 'zone head');
  }

  // Owners' committee of the commercial compound: five adult owners.
  const commercialAdults = people.flatMap((p, i) =>
    buildings[p.building]?.compound === commercial && p.age >= 25 ? [i] : [],
  );
  const committee = Array.from({ length: Math.min(5, commercialAdults.length) }, (_, k) => {
    const index = commercialAdults[Math.floor((k * commercialAdults.length) / 5)] ?? 0;
    return { name: people[index]?.row.name ?? '', residentId: residentId(index) };
  });
  must(updateCompound(doc, ctx, { id: commercial, changes: { ownersCommittee: committee } }), 'owners committee');

  // Party organisation: 社区党委 → one 小区党支部 per compound → a 楼栋党小组 where a building has 3+ members.
  const members = (filter: (p: Person) => boolean): ResidentId[] =>
    people.flatMap((p, i) => (filter(p) && (p.row.tags ?? []).includes('party-member') ? [residentId(i)] : []));
  const allMembers = members(() => true);
  const secretaryOf = (ids: readonly ResidentId[]): HeadRef | null =>
    ids[0] === undefined ? null : { kind: 'resident', id: ids[0] };
  const committeeOrg = must(
    createPartyOrg(doc, ctx, { kind: 'committee', name: '西河社区党委', secretary: secretaryOf(allMembers.slice(1)) }),
    'party committee',
  );
  let partyOrgs = 1;
  const compoundNames = new Map<CompoundId, string>([
    [commercial, '锦江花园'],
    [oldNorth, '北湖老院'],
    [oldSouth, '模范街老院'],
  ]);
  for (const [compound, compoundName] of compoundNames) {
    const inGroups = new Set<ResidentId>();
    const groups: { building: BuildingPlan; index: number; ids: ResidentId[] }[] = [];
    buildings.forEach((b, index) => {
      if (b.compound !== compound) return;
      const ids = members((p) => p.building === index);
      if (ids.length >= 3) {
        groups.push({ building: b, index, ids });
        ids.forEach((id) => inGroups.add(id));
      }
    });
    const branchMembers = members((p) => buildings[p.building]?.compound === compound).filter(
      (id) => !inGroups.has(id),
    );
    const branch: PartyOrgId = must(
      createPartyOrg(doc, ctx, {
        kind: 'branch',
        name: `${compoundName}小区党支部`,
        parentId: committeeOrg,
        compoundId: compound,
        secretary: secretaryOf(branchMembers),
        memberIds: branchMembers,
      }),
      'party branch',
    );
    partyOrgs++;
    for (const g of groups) {
      must(
        createPartyOrg(doc, ctx, {
          kind: 'group',
          name: `${compoundName}${g.index - buildings.findIndex((b) => b.compound === compound) + 1}栋党小组`,
          parentId: branch,
          compoundId: compound,
          buildingId: g.building.id,
          secretary: secretaryOf(g.ids),
          memberIds: g.ids,
        }),
        'party group',
      );
      partyOrgs++;
    }
  }

  return {
    doc,
    ctx,
    counts: {
      residents: imported.residentIds.length,
      households: imported.householdsCreated,
      buildings: buildings.length,
      entrances: imported.entrancesCreated,
      zones: zones.length,
      partyOrgs,
    },
    buildingsWithoutHead,
  };
}
