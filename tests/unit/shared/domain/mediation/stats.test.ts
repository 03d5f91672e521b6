import { describe, expect, it } from 'vitest';
import {
  escalate,
  reachAgreement,
  recordFollowUp,
  recordOutcome,
  recordVisit,
  startPerformance,
  type MachineContext,
} from '@shared/domain/mediation/machine';
import { figures, mediationStats, settledOnTheSpot } from '@shared/domain/mediation/stats';
import { CASE_CATEGORIES, type MediationCase } from '@shared/domain/mediation/types';
import { chainWith, makeCtx, registered, unwrap } from './fixtures';

const DAY = 86_400_000;

/** A seeded generator (mulberry32): the same set on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  readonly category: MediationCase['category'];
  readonly escalations: number;
  readonly end: 'open' | 'agreed' | 'no-agreement';
  readonly days: number;
  readonly satisfaction: number;
}

function generate(n: number, seed = 7): { cases: MediationCase[]; plans: Plan[] } {
  const rnd = random(seed);
  const cases: MediationCase[] = [];
  const plans: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const plan: Plan = {
      category: CASE_CATEGORIES[Math.floor(rnd() * CASE_CATEGORIES.length)] ?? 'other',
      escalations: Math.floor(rnd() * 4),
      end: (['open', 'agreed', 'agreed', 'no-agreement'] as const)[Math.floor(rnd() * 4)] ?? 'open',
      days: 1 + Math.floor(rnd() * 45),
      satisfaction: 1 + Math.floor(rnd() * 5),
    };
    const ctx = makeCtx({ start: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T02:00:00.000Z`, idPrefix: `c${i}` });
    let c = registered(ctx, {
      chain: chainWith(['building', 'courtyard', 'lane', 'street', 'area']),
      input: { category: plan.category },
    });
    c = unwrap(recordVisit(c, { caseId: c.id, kind: 'visit', by: '楼栋长' }, ctx));
    for (let e = 0; e < plan.escalations; e++) c = unwrap(escalate(c, { caseId: c.id, reason: '上报' }, ctx));
    (ctx as MachineContext & { advance(ms: number): void }).advance(plan.days * DAY);
    if (plan.end === 'agreed') {
      c = unwrap(reachAgreement(c, { caseId: c.id, kind: 'oral', terms: '口头协议', mediatorName: '李' }, ctx));
      c = unwrap(startPerformance(c, { caseId: c.id }, ctx));
      const today = new Date(ctx.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      c = unwrap(
        recordFollowUp(
          c,
          { caseId: c.id, date: today, visitor: '周', performance: 'performed', satisfaction: plan.satisfaction },
          ctx,
        ),
      );
    } else if (plan.end === 'no-agreement') {
      c = unwrap(recordOutcome(c, { caseId: c.id, outcome: { kind: 'no-agreement', routesTold: ['court'] } }, ctx));
    }
    cases.push(c);
    plans.push(plan);
  }
  return { cases, plans };
}

describe('mediation statistics', () => {
  const { cases, plans } = generate(120);
  const stats = mediationStats(cases, { from: '2026-03-01', to: '2026-03-31' });

  it('counts accepted, settled, on the spot, on time, days and satisfaction as defined', () => {
    const agreed = plans.filter((p) => p.end === 'agreed');
    const concluded = plans.filter((p) => p.end !== 'open');
    expect(stats.accepted).toBe(120);
    expect(stats.settled).toBe(agreed.length);
    expect(stats.settlementRate).toBeCloseTo(agreed.length / 120);
    // on the spot: settled without leaving building/courtyard, i.e. at most one escalation (building → courtyard)
    expect(stats.settledOnTheSpot).toBe(agreed.filter((p) => p.escalations <= 1).length);
    expect(stats.concluded).toBe(concluded.length);
    // one month from March 1-28 is at least 31 days: 31 days or fewer is always on time, 32 or more never
    expect(stats.onTime).toBeGreaterThanOrEqual(concluded.filter((p) => p.days <= 30).length);
    expect(stats.onTime).toBeLessThanOrEqual(concluded.filter((p) => p.days <= 31).length);
    expect(stats.averageDays).toBeCloseTo(concluded.reduce((s, p) => s + p.days, 0) / concluded.length);
    expect(stats.averageSatisfaction).toBeCloseTo(agreed.reduce((s, p) => s + p.satisfaction, 0) / agreed.length);
  });

  it('splits by category and by level, and the parts add up', () => {
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(Object.values(stats.byCategory).map((f) => f.accepted))).toBe(120);
    expect(sum(Object.values(stats.byLevel).map((f) => f.settled))).toBe(stats.settled);
    expect(stats.byLevel.building.accepted).toBe(plans.filter((p) => p.escalations === 0).length);
    expect(stats.byLevel['street-office'].accepted).toBe(0);
  });

  it('takes only the period, and gives null rates for an empty set', () => {
    expect(mediationStats(cases, { from: '2026-03-01', to: '2026-03-01' }).accepted).toBe(
      cases.filter((c) => c.startDate === '2026-03-01').length,
    );
    expect(figures([])).toMatchObject({ accepted: 0, settlementRate: null, onTimeRate: null, averageDays: null });
  });

  it('does not count a case that started at the committee as settled on the spot', () => {
    const ctx = makeCtx();
    let c = registered(ctx, { chain: chainWith([]) });
    c = unwrap(recordVisit(c, { caseId: c.id, kind: 'visit', by: '调委会' }, ctx));
    c = unwrap(reachAgreement(c, { caseId: c.id, kind: 'oral', terms: '口头', mediatorName: '李' }, ctx));
    expect(settledOnTheSpot(c)).toBe(false);
  });
});
