/**
 * The demo community's mediation cases (shared/domain/mediation/demo.ts): every stage the case list, the case page and
 * 工作台's 今天要办 show is there, made by the commands between residents of the demo registry on the chain of their
 * building, on any day of the year; the same seed and day give the same cases.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { chainOf } from '@shared/domain/mediation/commands';
import { deadlineState } from '@shared/domain/mediation/deadline';
import { agreementInForce, casesNearDeadline, followUpsDue } from '@shared/domain/mediation/due';
import { DEMO_CASE_STAGES, demoCases, generateDemoCases, type DemoCaseStage } from '@shared/domain/mediation/demo';
import { allowedActions } from '@shared/domain/mediation/allowed';
import type { MediationCase } from '@shared/domain/mediation/types';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { readRecord } from '@shared/ydoc/registry';
import { listCases, readCase } from '@shared/ydoc/cases';

const registries = new Map<string, Y.Doc>();
function registryOn(today: string): Y.Doc {
  const known = registries.get(today);
  if (known !== undefined) return known;
  const { doc } = generateDemoCommunity(11, { residents: 400, today });
  registries.set(today, doc);
  return doc;
}

function caseOf(demo: ReturnType<typeof generateDemoCases>, stage: DemoCaseStage): MediationCase {
  const ref = demo.stages[stage];
  const doc = demo.docs.get(ref.year);
  const c = doc === undefined ? null : readCase(doc, ref.id);
  if (c === null) throw new Error(`no ${stage}`);
  return c;
}

describe('demo cases', () => {
  // A day in December, one in early January (the older cases fall in last year's document), one at the end of February.
  for (const today of ['2026-12-02', '2026-01-06', '2026-02-28']) {
    it(`has every stage on ${today}, as the screens would show it`, () => {
      const registry = registryOn(today);
      const demo = generateDemoCases(5, { registry, today });
      const all = demoCases(demo);
      expect(new Set(Object.keys(demo.stages))).toEqual(new Set(DEMO_CASE_STAGES));
      expect(all).toHaveLength(DEMO_CASE_STAGES.length);
      const at = (stage: DemoCaseStage) => caseOf(demo, stage);

      expect(at('registered')).toMatchObject({ status: 'registered' });
      expect(at('on-time').status).toBe('in-session');
      expect(Object.values(at('on-time').sessions)[0]?.lockedAt).not.toBeNull();
      expect(deadlineState(at('on-time'), today)).toBe('ok');
      expect(deadlineState(at('near-deadline'), today)).toBe('yellow');
      expect(deadlineState(at('overdue'), today)).toBe('red');
      expect(at('extended').extensions).toHaveLength(1);
      expect(deadlineState(at('extended'), today)).not.toBe('red');

      // The near-deadline list of 工作台: overdue first, then yellow; nothing closed or agreed in it.
      const near = casesNearDeadline(all, today);
      expect(near[0]).toMatchObject({ state: 'red' });
      expect(near.map((d) => d.case.id)).toEqual(expect.arrayContaining([at('overdue').id, at('near-deadline').id]));
      expect(near.every((d) => ['registered', 'handling', 'in-session', 'signing'].includes(d.case.status))).toBe(true);

      const escalated = at('escalated');
      expect([escalated.level, escalated.status]).toEqual(['committee', 'in-session']);
      // Up the chain frozen at intake: every head of it that is filled, then the committee.
      const filled = escalated.chain.filter((l) => l.head !== null).map((l) => l.level);
      expect(escalated.steps.map((s) => s.level)).toEqual([...filled, 'committee']);
      expect(escalated.steps.slice(1).every((s) => s.reason !== null)).toBe(true);

      const signing = at('signing');
      expect(signing.status).toBe('signing');
      const draft = Object.values(signing.agreements)[0];
      expect([draft?.signatures.length, draft?.seal, draft?.effectiveAt]).toEqual([1, null, null]);
      expect(allowedActions(signing, { permissions: new Set(['cases.edit']) }, today)).toContain('signAgreement');

      const agreed = at('agreed');
      const inForce = agreementInForce(agreed);
      expect(agreed.status).toBe('agreed');
      expect(inForce?.seal).not.toBeNull();
      expect(inForce?.signatures.map((s) => s.signer.role).sort()).toEqual(['mediator', 'party', 'party']);
      expect(inForce?.committeeName).toBe('西河社区人民调解委员会');

      // 回访 due: only the case whose performance deadline has passed, not the one still being performed on time.
      const due = followUpsDue(all, today);
      expect(due.map((d) => d.case.id)).toEqual([at('follow-up-due').id]);
      expect(at('follow-up-due').status).toBe('performing');

      expect(at('followed-up').status).toBe('followed-up');
      expect(at('followed-up').followUps[0]?.satisfaction).toBe(5);
      expect(at('closed')).toMatchObject({ status: 'closed', outcome: { kind: 'agreement' } });
      expect(at('failed')).toMatchObject({ status: 'closed', outcome: { kind: 'no-agreement' } });
      expect(at('referred')).toMatchObject({ status: 'referred', outcome: { kind: 'referred', to: 'police' } });
      expect(at('archived').status).toBe('archived');

      // The documents are the years of registration, each case in the year it was registered.
      for (const [year, doc] of demo.docs) {
        const numbers: number[] = [];
        for (const stage of DEMO_CASE_STAGES) {
          const ref = demo.stages[stage];
          if (ref.year !== year) continue;
          const c = readCase(doc, ref.id);
          expect(c?.startDate.slice(0, 4)).toBe(String(year));
          numbers.push(c?.number ?? 0);
        }
        // Numbered in the order of registration, without gaps.
        expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
      }
    });
  }

  it('takes its parties, places and chains from the demo registry', () => {
    const today = '2026-12-02';
    const registry = registryOn(today);
    const demo = generateDemoCases(5, { registry, today });
    for (const c of demoCases(demo)) {
      const buildingId = c.place.buildingId;
      expect(buildingId).not.toBeNull();
      expect(c.chain).toEqual(chainOf(registry, buildingId ?? ''));
      expect(c.chain.some((l) => l.head !== null)).toBe(true);
      for (const p of c.parties) {
        const resident = readRecord(registry, 'residents', p.residentId ?? '');
        expect(resident?.name).toBe(p.name);
        const household = readRecord(registry, 'households', resident?.householdId ?? '');
        expect(household?.buildingId).toBe(buildingId);
      }
      expect(c.facts.length).toBeGreaterThan(10);
    }
  });

  it('is the same for the same seed and day, and differs for another seed', () => {
    const today = '2026-12-02';
    const registry = registryOn(today);
    const encode = (demo: ReturnType<typeof generateDemoCases>) =>
      [...demo.docs.entries()].map(([year, doc]) => [year, JSON.stringify(listCases(doc))] as const);
    const first = generateDemoCases(5, { registry, today });
    expect(encode(generateDemoCases(5, { registry, today }))).toEqual(encode(first));
    const other = demoCases(generateDemoCases(6, { registry, today })).map((c) => c.parties.map((p) => p.name));
    expect(other).not.toEqual(demoCases(first).map((c) => c.parties.map((p) => p.name)));
  });
});
