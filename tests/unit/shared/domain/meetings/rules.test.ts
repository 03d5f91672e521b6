import { describe, expect, it } from 'vitest';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { descendants, buildingsUnder } from '@shared/domain/registry/fiveHeads';
import {
  checkOverrides,
  expectedAttendees,
  mayVote,
  meets,
  needed,
  quorum,
  resolutionPassed,
  ruleFor,
  MEETING_RULES,
} from '@shared/domain/meetings/rules';
import { MEETING_TYPES, type Vote } from '@shared/domain/meetings/types';
import { emptySnapshot, snapshotRegistry } from '@shared/ydoc/registry';
import { committeeRegistry, ownersRegistry, partyRegistry, ruleMeeting, sheet, voterKeys } from './fixtures';

const registry = emptySnapshot();
const ordinary = { matter: 'ordinary', subject: null } as const;
const special = { matter: 'special', subject: null } as const;
const byCount = (f: number, a: number, ab = 0, area?: { for: number; against: number; abstain: number }): Vote =>
  area === undefined
    ? { mode: 'by-count', for: f, against: a, abstain: ab }
    : { mode: 'by-count', for: f, against: a, abstain: ab, area };

describe('threshold arithmetic (民法典 art. 1259: 以上 includes the number, 过半数 does not)', () => {
  it('counts exactly two thirds as reached and one short as not', () => {
    const t = { num: 2, den: 3, comparison: 'at-least' } as const;
    expect(meets(6, 9, t)).toBe(true);
    expect(meets(5, 9, t)).toBe(false);
    expect(needed(9, t)).toBe(6);
    expect(needed(10, t)).toBe(7);
  });

  it('does not count exactly half as a majority', () => {
    const t = { num: 1, den: 2, comparison: 'more-than' } as const;
    expect(meets(5, 10, t)).toBe(false);
    expect(meets(6, 10, t)).toBe(true);
    expect(needed(10, t)).toBe(6);
    expect(needed(9, t)).toBe(5);
  });

  it('never reaches a share of nothing, and never divides by zero', () => {
    expect(meets(0, 0, { num: 0, den: 1, comparison: 'at-least' })).toBe(false);
    expect(Number.isFinite(needed(0, { num: 2, den: 3, comparison: 'at-least' }))).toBe(true);
  });
});

describe('every meeting type has a rule', () => {
  it.each(MEETING_TYPES)('%s names its source and a quorum', (type) => {
    const rule = MEETING_RULES[type];
    expect(rule.type).toBe(type);
    expect(rule.source.length).toBeGreaterThan(5);
    expect(rule.quorum.den).toBeGreaterThan(0);
  });

  it.each(MEETING_TYPES)('%s with nobody expected cannot reach quorum and passes nothing', (type) => {
    const meeting = ruleMeeting(type, []);
    const q = quorum(meeting, registry);
    expect(q.reached).toBe(false);
    expect(q.reason).toBe('no-expected-attendees');
    expect(q.detail.headcount).toEqual({ present: 0, expected: 0, needed: expect.any(Number) as number });
    const r = resolutionPassed(ordinary, byCount(0, 0), meeting, registry);
    expect(r.passed).toBe(false);
  });
});

describe("residents' representatives meeting: two thirds present, majority of those present", () => {
  it('reaches quorum with exactly two thirds present', () => {
    const q = quorum(ruleMeeting('residents-representatives', sheet({ expected: 9, present: 6 })), registry);
    expect(q).toMatchObject({ reached: true, binding: true, reason: 'reached' });
    expect(q.detail.headcount).toEqual({ present: 6, expected: 9, needed: 6 });
  });

  it('misses quorum one short of two thirds, and then passes nothing', () => {
    const meeting = ruleMeeting('residents-representatives', sheet({ expected: 9, present: 5 }));
    expect(quorum(meeting, registry)).toMatchObject({ reached: false, reason: 'headcount-short' });
    expect(resolutionPassed(ordinary, byCount(5, 0), meeting, registry)).toMatchObject({
      passed: false,
      reason: 'quorum-not-reached',
    });
  });

  it('counts late arrivals as present and 列席 guests not at all', () => {
    const q = quorum(
      ruleMeeting('residents-representatives', sheet({ expected: 9, present: 4, late: 2, guests: 5 })),
      registry,
    );
    expect(q.detail.headcount).toEqual({ present: 6, expected: 9, needed: 6 });
    expect(q.reached).toBe(true);
  });

  it('passes with a majority of those present, abstentions counting against', () => {
    const meeting = ruleMeeting('residents-representatives', sheet({ expected: 9, present: 6 }));
    expect(resolutionPassed(ordinary, byCount(4, 1, 1), meeting, registry)).toMatchObject({
      passed: true,
      reason: 'passed',
    });
    const half = resolutionPassed(ordinary, byCount(3, 0, 3), meeting, registry);
    expect(half).toMatchObject({ passed: false, reason: 'votes-short' });
    expect(half.tally).toMatchObject({ for: 3, base: 6, needed: 4 });
  });

  it('reads a vote by name from the sheet and refuses ballots of absent or non-voting people', () => {
    const meeting = ruleMeeting('residents-representatives', sheet({ expected: 9, present: 6, guests: 1 }));
    const ballots = Object.fromEntries(voterKeys(0, 6).map((k, i) => [k, i < 4 ? 'for' : 'against'])) as Record<
      string,
      'for' | 'against'
    >;
    expect(resolutionPassed(ordinary, { mode: 'by-name', ballots }, meeting, registry).passed).toBe(true);
    const absent = resolutionPassed(
      ordinary,
      { mode: 'by-name', ballots: { ...ballots, 'name:v8': 'for' } },
      meeting,
      registry,
    );
    expect(absent).toMatchObject({ passed: false, reason: 'invalid-vote', error: { code: 'meeting.vote-not-voting' } });
    const guest = resolutionPassed(ordinary, { mode: 'by-name', ballots: { 'name:g0': 'for' } }, meeting, registry);
    expect(guest.error?.code).toBe('meeting.vote-not-voting');
    const stranger = resolutionPassed(ordinary, { mode: 'by-name', ballots: { 'name:x': 'for' } }, meeting, registry);
    expect(stranger.error?.code).toBe('meeting.not-expected');
  });

  it('refuses a counted vote with more votes than voters present', () => {
    const meeting = ruleMeeting('residents-representatives', sheet({ expected: 9, present: 6 }));
    expect(resolutionPassed(ordinary, byCount(5, 2), meeting, registry).error?.code).toBe(
      'meeting.vote-exceeds-present',
    );
  });

  it('lets the office set another quorum (local rules)', () => {
    const meeting = ruleMeeting('residents-representatives', sheet({ expected: 10, present: 6 }), {
      quorum: { num: 1, den: 2, comparison: 'more-than' },
    });
    expect(quorum(meeting, registry).reached).toBe(true);
  });
});

describe("owners' assembly: area AND headcount (民法典 art. 278)", () => {
  const areas = [90, 90, 90, 90, 90, 90];

  it('reaches quorum with exactly two thirds of both', () => {
    const q = quorum(ruleMeeting('owners-assembly', sheet({ expected: 6, present: 4, areas })), registry);
    expect(q).toMatchObject({ reached: true, reason: 'reached' });
    expect(q.detail.area).toEqual({ present: 360, total: 540, needed: 360 });
  });

  it('misses quorum when enough owners come but too little area', () => {
    const q = quorum(
      ruleMeeting('owners-assembly', sheet({ expected: 6, present: 4, areas: [30, 30, 30, 30, 200, 200] })),
      registry,
    );
    expect(q).toMatchObject({ reached: false, reason: 'area-short' });
  });

  it('misses quorum when enough area comes but too few owners', () => {
    const q = quorum(
      ruleMeeting('owners-assembly', sheet({ expected: 6, present: 3, areas: [200, 200, 200, 10, 10, 10] })),
      registry,
    );
    expect(q).toMatchObject({ reached: false, reason: 'headcount-short' });
  });

  it('keeps exact two-thirds area exact with decimal areas', () => {
    // 50.1 + 49.9 is 99.99999999999999 in floating point; counted in hundredths it is exactly two thirds of 150.
    const q = quorum(
      ruleMeeting('owners-assembly', sheet({ expected: 3, present: 2, areas: [50.1, 49.9, 50] })),
      registry,
    );
    expect(q.detail.area).toEqual({ present: 100, total: 150, needed: 100 });
    expect(q.reached).toBe(true);
  });

  it('counts households without area in the headcount only, and warns how many there are', () => {
    const meeting = ruleMeeting('owners-assembly', sheet({ expected: 3, present: 2, areas: [90, null, 90] }));
    const q = quorum(meeting, registry);
    expect(q.detail.headcount).toEqual({ present: 2, expected: 3, needed: 2 });
    expect(q.detail.area).toEqual({ present: 90, total: 180, needed: 120 });
    expect(q.reason).toBe('area-short');
    expect(q.warnings).toContainEqual({ code: 'households-without-area', params: { count: 1 } });
  });

  it('cannot reach quorum when no household has a known area', () => {
    const q = quorum(ruleMeeting('owners-assembly', sheet({ expected: 3, present: 3, areas: [null] })), registry);
    expect(q).toMatchObject({ reached: false, reason: 'no-known-area' });
  });

  it('passes an ordinary matter with a majority of both among those taking part, not with exactly half', () => {
    const meeting = ruleMeeting('owners-assembly', sheet({ expected: 6, present: 6, areas }));
    const ballots = (n: number) =>
      Object.fromEntries(voterKeys(0, 6).map((k, i) => [k, i < n ? 'for' : 'against'])) as Record<
        string,
        'for' | 'against'
      >;
    expect(resolutionPassed(ordinary, { mode: 'by-name', ballots: ballots(4) }, meeting, registry)).toMatchObject({
      passed: true,
      matter: 'ordinary',
      area: { for: 360, base: 540 },
    });
    expect(resolutionPassed(ordinary, { mode: 'by-name', ballots: ballots(3) }, meeting, registry)).toMatchObject({
      passed: false,
      reason: 'votes-and-area-short',
    });
  });

  it('fails a majority of owners that holds too little area', () => {
    const meeting = ruleMeeting(
      'owners-assembly',
      sheet({ expected: 6, present: 6, areas: [40, 40, 40, 40, 200, 200] }),
    );
    const r = resolutionPassed(ordinary, byCount(4, 2, 0, { for: 160, against: 400, abstain: 0 }), meeting, registry);
    expect(r).toMatchObject({ passed: false, reason: 'area-short' });
  });

  it('passes a special matter with exactly three quarters of both, and not one short', () => {
    const meeting = ruleMeeting('owners-assembly', sheet({ expected: 8, present: 8, areas: [100] }));
    expect(
      resolutionPassed(special, byCount(6, 2, 0, { for: 600, against: 200, abstain: 0 }), meeting, registry),
    ).toMatchObject({
      passed: true,
      matter: 'special',
      tally: { needed: 6 },
    });
    expect(
      resolutionPassed(special, byCount(5, 3, 0, { for: 500, against: 300, abstain: 0 }), meeting, registry).reason,
    ).toBe('votes-and-area-short');
  });

  it('treats raising maintenance funds, rebuilding and common parts as special whatever the item says', () => {
    const meeting = ruleMeeting('owners-assembly', sheet({ expected: 8, present: 8, areas: [100] }));
    const vote = byCount(5, 3, 0, { for: 500, against: 300, abstain: 0 });
    for (const subject of ['maintenance-fund-raise', 'rebuild', 'common-parts'] as const) {
      expect(resolutionPassed({ matter: 'ordinary', subject }, vote, meeting, registry)).toMatchObject({
        matter: 'special',
        passed: false,
      });
    }
    // Using the funds is item (五): an ordinary matter under the Civil Code.
    expect(
      resolutionPassed({ matter: 'ordinary', subject: 'maintenance-fund-use' }, vote, meeting, registry),
    ).toMatchObject({
      matter: 'ordinary',
      passed: true,
    });
  });

  it('needs the area behind a counted vote', () => {
    const meeting = ruleMeeting('owners-assembly', sheet({ expected: 6, present: 6, areas }));
    expect(resolutionPassed(ordinary, byCount(6, 0), meeting, registry).error?.code).toBe('meeting.vote-area-required');
    expect(
      resolutionPassed(ordinary, byCount(6, 0, 0, { for: 541, against: 0, abstain: 0 }), meeting, registry).error?.code,
    ).toBe('meeting.vote-exceeds-present');
  });

  it('takes its owners from the registry: one per household with its floor area', () => {
    const { compound, snapshot } = ownersRegistry([88.5, null, 120]);
    const lines = expectedAttendees(
      { type: 'owners-assembly', rules: {}, scope: { kind: 'compound', compoundId: compound }, invitees: [] },
      snapshot(),
    );
    expect(lines.map((l) => l.area)).toEqual([88.5, null, 120]);
    expect(lines.every((l) => l.voting && l.key.startsWith('household:'))).toBe(true);
    const preview = quorum(
      {
        type: 'owners-assembly',
        rules: {},
        scope: { kind: 'compound', compoundId: compound },
        invitees: [],
        attendees: [],
      },
      snapshot(),
    );
    expect(preview.detail.area).toEqual({ present: 0, total: 208.5, needed: 139 });
    expect(preview.warnings).toContainEqual({ code: 'households-without-area', params: { count: 1 } });
  });

  it('cannot be reconfigured: the numbers are the law', () => {
    expect(checkOverrides('owners-assembly', { quorum: { num: 1, den: 2, comparison: 'more-than' } })).toMatchObject({
      code: 'meeting.rule-fixed',
      field: 'rules.quorum',
    });
    expect(checkOverrides('owners-assembly', { noticeDays: 10 })?.code).toBe('meeting.rule-fixed');
    expect(checkOverrides('owners-assembly', { noticeDays: 20 })).toBeNull();
    expect(ruleFor('owners-assembly', { quorum: { num: 0, den: 1, comparison: 'at-least' } }).quorum).toEqual(
      MEETING_RULES['owners-assembly'].quorum,
    );
  });
});

describe("owners' committee meeting: majority of members present, half or more of ALL members", () => {
  it('needs more than half of the members present', () => {
    expect(quorum(ruleMeeting('owners-committee', sheet({ expected: 5, present: 3 })), registry).reached).toBe(true);
    expect(quorum(ruleMeeting('owners-committee', sheet({ expected: 4, present: 2 })), registry).reached).toBe(false);
  });

  it('counts the for votes against all members, exactly half included', () => {
    const meeting = ruleMeeting('owners-committee', sheet({ expected: 4, present: 3 }));
    expect(resolutionPassed(ordinary, byCount(2, 1), meeting, registry)).toMatchObject({
      passed: true,
      tally: { base: 4, needed: 2 },
    });
    const five = ruleMeeting('owners-committee', sheet({ expected: 5, present: 3 }));
    expect(resolutionPassed(ordinary, byCount(2, 1), five, registry)).toMatchObject({
      passed: false,
      tally: { base: 5, needed: 3 },
    });
  });

  it('takes another base when the 议事规则 says so', () => {
    const meeting = ruleMeeting('owners-committee', sheet({ expected: 5, present: 3 }), {
      passBase: 'present',
      pass: { num: 1, den: 2, comparison: 'more-than' },
    });
    expect(resolutionPassed(ordinary, byCount(2, 1), meeting, registry)).toMatchObject({
      passed: true,
      tally: { base: 3 },
    });
  });

  it("expects the compound's committee members and lets invitees attend without a vote", () => {
    const { compound, snapshot } = committeeRegistry(5);
    const lines = expectedAttendees(
      {
        type: 'owners-committee',
        rules: {},
        scope: { kind: 'compound', compoundId: compound },
        invitees: [{ name: '物业经理', residentId: null, voting: true }],
      },
      snapshot(),
    );
    expect(lines.filter((l) => l.voting)).toHaveLength(5);
    expect(lines.find((l) => l.name === '物业经理')).toMatchObject({ voting: false });
  });
});

describe('party meeting (支部工作条例 art. 11): more than half of voting members, for > half of those expected', () => {
  it('does not count 预备党员 or 列席 towards quorum', () => {
    const q = quorum(ruleMeeting('party', sheet({ expected: 10, present: 5, nonVoting: 3, guests: 2 })), registry);
    expect(q.detail.headcount).toEqual({ present: 5, expected: 10, needed: 6 });
    expect(q.reached).toBe(false);
  });

  it('passes with more than half of the expected voting members in favour, not of those present', () => {
    const meeting = ruleMeeting('party', sheet({ expected: 10, present: 7 }));
    expect(resolutionPassed(ordinary, byCount(5, 0, 2), meeting, registry)).toMatchObject({
      passed: false,
      tally: { base: 10, needed: 6 },
    });
    expect(resolutionPassed(ordinary, byCount(6, 1), meeting, registry).passed).toBe(true);
  });

  it('expects the members of the organisation, 预备党员 without a vote', () => {
    const { branch, residents, snapshot } = partyRegistry(4);
    const [first] = residents;
    if (first === undefined) throw new Error('no residents');
    const lines = expectedAttendees(
      {
        type: 'party',
        rules: {},
        scope: { kind: 'party-org', partyOrgId: branch, nonVotingIds: [first] },
        invitees: [],
      },
      snapshot(),
    );
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => !l.voting).map((l) => l.key)).toEqual([`resident:${first}`]);
    expect(checkOverrides('party', { quorum: { num: 1, den: 3, comparison: 'at-least' } })?.code).toBe(
      'meeting.rule-fixed',
    );
  });
});

describe('practice meetings (five heads, three platforms, courtyard): advisory quorum', () => {
  it.each(['five-heads', 'three-platforms', 'courtyard'] as const)(
    '%s below quorum may still vote, with a warning',
    (type) => {
      const meeting = ruleMeeting(type, sheet({ expected: 10, present: 3 }));
      const q = quorum(meeting, registry);
      expect(q).toMatchObject({ reached: false, binding: false });
      expect(mayVote(q)).toBe(true);
      const r = resolutionPassed(ordinary, byCount(3, 0), meeting, registry);
      expect(r.passed).toBe(true);
      expect(r.warnings).toContainEqual({ code: 'quorum-advisory' });
    },
  );

  it.each(['five-heads', 'three-platforms', 'courtyard'] as const)('%s can be made binding by the office', (type) => {
    const meeting = ruleMeeting(type, sheet({ expected: 10, present: 3 }), { binding: true });
    expect(mayVote(quorum(meeting, registry))).toBe(false);
    expect(resolutionPassed(ordinary, byCount(3, 0), meeting, registry).reason).toBe('quorum-not-reached');
  });

  it('expects every head of the zone, its sub-zones and its buildings once', () => {
    const demo = generateDemoCommunity(7, { residents: 400, buildings: 8 });
    const snapshot = snapshotRegistry(demo.doc);
    const area = [...snapshot.zones.values()].find((z) => z.level === 'area' && z.head !== null);
    if (area === undefined) throw new Error('demo has no area with a head');
    const lines = expectedAttendees(
      { type: 'five-heads', rules: {}, scope: { kind: 'zone', zoneId: area.id }, invitees: [] },
      snapshot,
    );
    const heads = new Set<string>();
    for (const id of [area.id, ...descendants(snapshot, area.id)]) {
      const head = snapshot.zones.get(id)?.head;
      if (head) heads.add(`${head.kind}:${head.id}`);
    }
    for (const b of buildingsUnder(snapshot, area.id)) if (b.head) heads.add(`${b.head.kind}:${b.head.id}`);
    expect(new Set(lines.map((l) => l.key))).toEqual(heads);
    expect(lines.length).toBe(heads.size);
  });

  it('expects one person per household of a courtyard, and the branch secretary at a three-platforms meeting', () => {
    const demo = generateDemoCommunity(11, { residents: 400, buildings: 8 });
    const snapshot = snapshotRegistry(demo.doc);
    const courtyard = [...snapshot.zones.values()].find(
      (z) => z.level === 'courtyard' && buildingsUnder(snapshot, z.id).length > 0,
    );
    if (courtyard === undefined) throw new Error('demo has no courtyard with buildings');
    const buildings = new Set(buildingsUnder(snapshot, courtyard.id).map((b) => b.id as string));
    const households = [...snapshot.households.values()].filter((h) => buildings.has(h.buildingId));
    const lines = expectedAttendees(
      { type: 'courtyard', rules: {}, scope: { kind: 'zone', zoneId: courtyard.id }, invitees: [] },
      snapshot,
    );
    expect(lines).toHaveLength(households.length);
    const commercial = [...snapshot.compounds.values()].find((c) => c.ownersCommittee.length > 0);
    if (commercial === undefined) throw new Error('demo has no owners committee');
    const branch = [...snapshot.partyOrgs.values()].find((o) => o.kind === 'branch' && o.compoundId === commercial.id);
    const platform = expectedAttendees(
      { type: 'three-platforms', rules: {}, scope: { kind: 'compound', compoundId: commercial.id }, invitees: [] },
      snapshot,
    );
    expect(platform.length).toBeGreaterThanOrEqual(commercial.ownersCommittee.length);
    if (branch?.secretary)
      expect(platform.map((l) => l.key)).toContain(`${branch.secretary.kind}:${branch.secretary.id}`);
  });
});
