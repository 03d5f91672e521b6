/**
 * The demo community's grid events (shared/domain/incidents/demo.ts): every stage is there, made by the commands (no
 * step set aside), with the lights the stages are meant to show, on any day of the year; the same seed and day give
 * the same events.
 */
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { type DEMO_INCIDENT_STAGES, generateDemoIncidents } from '@shared/domain/incidents/demo';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { lightOf } from '@shared/domain/incidents/state';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { listIncidents, readIncident } from '@shared/ydoc/incidents';

const calendar = nationalCalendar();

describe('demo grid events', () => {
  const registry = generateDemoCommunity(11, { residents: 300 }).doc;
  for (const today of ['2026-12-01', '2026-01-06', '2026-02-26']) {
    it(`has about forty events at every stage on ${today}`, () => {
      const demo = generateDemoIncidents(5, { community: 'demo-xihe', registry, today, calendar });
      const all = [...demo.docs.values()].flatMap((doc) => listIncidents(doc, DEFAULT_LIMITS));
      expect(all.length).toBe(demo.count);
      expect(all.length).toBeGreaterThanOrEqual(38);
      expect(all.every((s) => s.ignored.length === 0)).toBe(true);
      expect(all.every((s) => s.base.community === 'demo-xihe')).toBe(true);
      const state = (stage: (typeof DEMO_INCIDENT_STAGES)[number]) => {
        const { year, id } = demo.stages[stage];
        const doc = demo.docs.get(year);
        const found = doc === undefined ? null : readIncident(doc, id, DEFAULT_LIMITS);
        if (found === null) throw new Error(`no ${stage}`);
        return found;
      };
      const light = (stage: (typeof DEMO_INCIDENT_STAGES)[number]) =>
        lightOf(state(stage), calendar, DEFAULT_LIMITS, today);
      expect(state('reported').status).toBe('reported');
      expect(light('accept-overdue')).toBe('red');
      expect(state('rejected').status).toBe('rejected');
      expect(state('accepted').status).toBe('accepted');
      expect([state('assigned-green').status, light('assigned-green')]).toEqual(['assigned', 'green']);
      expect([state('assigned-yellow').status, light('assigned-yellow')]).toEqual(['assigned', 'yellow']);
      expect([state('assigned-red').status, light('assigned-red')]).toEqual(['assigned', 'red']);
      expect(state('suspended').suspendedSince).not.toBeNull();
      expect([state('sent-back').status, state('sent-back').sentBack]).toEqual(['accepted', 1]);
      expect(state('escalated').escalations).toEqual([expect.objectContaining({ skipLevel: true })]);
      expect(state('closing').status).toBe('closing');
      expect([state('verify-refused').status, state('verify-refused').verifyRefused]).toEqual(['closing', 1]);
      expect([state('closed').status, state('closed').visitRequired]).toEqual(['closed', true]);
      expect([state('self-handled').status, state('self-handled').visitRequired]).toEqual(['closed', false]);
      expect(state('visited').status).toBe('visited');
      expect([state('reopened').status, state('reopened').reopened]).toEqual(['assigned', 1]);
      expect(state('archived').status).toBe('archived');
      expect(state('merged').status).toBe('merged');
      // Handed to a building head of the registry, by name and reference.
      const head = state('assigned-yellow').assignee;
      expect(head?.kind).toBe('head');
      expect(head?.ref).toMatch(/^(resident|volunteer):/);
    });
  }

  it('gives the same events for the same seed and day', () => {
    const a = generateDemoIncidents(5, { community: 'demo-xihe', registry, today: '2026-12-01', calendar });
    const b = generateDemoIncidents(5, { community: 'demo-xihe', registry, today: '2026-12-01', calendar });
    const json = (d: typeof a) =>
      [...d.docs].map(([year, doc]) => [year, doc.getMap('incidents').toJSON(), doc.getArray('steps').toJSON()]);
    expect(json(a)).toEqual(json(b));
    expect(a.count).toBeGreaterThan(0);
  });
});
