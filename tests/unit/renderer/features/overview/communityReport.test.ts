/**
 * The report added up from each community's part (renderer/features/overview/report.ts, `communityReport` and
 * `reportOf`; docs/dashboard-model.md, "per-community figures"): parts kept as JSON, as the device keeps them sealed,
 * give the report computed from the communities' records, mediation cases included (cut to what their figures read).
 */
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { RecordsFromRows, figureRowsOf } from '@shared/domain/dashboard/rows';
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from '@shared/domain/dashboard/street';
import { generateDemoIncidents } from '@shared/domain/incidents/demo';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { demoCases, generateDemoCases } from '@shared/domain/mediation/demo';
import { mediationStats } from '@shared/domain/mediation/stats';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { generateDemoServices } from '@shared/domain/services/demo';
import type { CommunityData } from '../../../../../renderer/features/overview/data';
import {
  communityReport,
  dashboardReport,
  reportOf,
  type CommunityReport,
  type ReportOptions,
} from '../../../../../renderer/features/overview/report';

const TODAY = '2026-12-01';
const calendar = nationalCalendar();

function community(seed: number, id: string, name: string): CommunityData {
  const registry = generateDemoCommunity(seed, { residents: 300 }).doc;
  const incidents = generateDemoIncidents(seed, { community: id, registry, today: TODAY, calendar });
  const services = generateDemoServices(seed, { community: id, registry, today: TODAY, calendar });
  const records = new RecordsFromRows(
    [
      ...[...incidents.docs.values()].map((doc) => figureRowsOf('incidents', doc)),
      ...[...services.docs.values()].map((doc) => figureRowsOf('services', doc)),
    ],
    DEFAULT_LIMITS,
  );
  return {
    id,
    name,
    calendar,
    limits: DEFAULT_LIMITS,
    ...records.now,
    asOf: (day) => records.asOf(day),
    cases: demoCases(generateDemoCases(seed, { registry, today: TODAY })),
  };
}

describe('the report added up from each community’s part', () => {
  it('gives the report of the records, mediation included, from parts kept as JSON', () => {
    const data = [community(3, 'c-a', '甲社区'), community(4, 'c-b', '乙社区')];
    let cases = 0;
    for (const choice of [
      { kind: 'year' as const, year: 2026, part: 1 },
      { kind: 'quarter' as const, year: 2026, part: 4 },
      { kind: 'month' as const, year: 2026, part: 11 },
    ]) {
      const o: ReportOptions = {
        choice,
        asOf: TODAY,
        calendar,
        limits: DEFAULT_LIMITS,
        weights: DEFAULT_WEIGHTS,
        thresholds: DEFAULT_THRESHOLDS,
      };
      const whole = dashboardReport(data, o);
      const parts = data.map((c) => JSON.parse(JSON.stringify(communityReport(c, o))) as CommunityReport);
      expect(reportOf(parts, o)).toEqual(whole);
      // Mediation from the cases cut to what their figures read is mediation from the whole cases.
      const range = { from: whole.from, to: whole.to };
      expect(whole.mediation).toEqual(
        mediationStats(
          data.flatMap((c) => c.cases),
          range,
        ),
      );
      expect(whole.mediationBy.map((m) => m.figures)).toEqual(data.map((c) => mediationStats(c.cases, range)));
      cases += whole.mediation.accepted;
      // The parts hold no resident's words: a case is its dates, levels, outcome kind and ratings.
      const json = JSON.stringify(parts);
      for (const c of data.flatMap((x) => x.cases)) {
        if (c.facts !== '') expect(json).not.toContain(c.facts);
      }
    }
    expect(cases).toBeGreaterThan(0);
  });
});
