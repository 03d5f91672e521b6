/**
 * The demo community's tasks (shared/domain/tasks/demo.ts): every stage of the flow is there, made by the commands,
 * on any day of the year, and the same seed and day give the same tasks.
 */
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { clockOf } from '@shared/domain/tasks/state';
import { DEMO_STAGES, demoTaskStates, generateDemoTasks } from '@shared/domain/tasks/demo';

const calendar = nationalCalendar();

function stateOf(demo: ReturnType<typeof generateDemoTasks>, stage: (typeof DEMO_STAGES)[number]) {
  const state = demoTaskStates(demo).find((s) => s.id === demo.stages[stage]);
  if (state === undefined) throw new Error(`no ${stage}`);
  return state;
}

describe('demo tasks', () => {
  // A day in December (after National Day), one in early January (the tasks fall in last year's document), one just
  // after the Spring Festival.
  for (const today of ['2026-12-01', '2026-01-06', '2026-02-26']) {
    it(`has every stage on ${today}`, () => {
      const demo = generateDemoTasks(7, { community: 'demo-xihe', today, calendar });
      const states = demoTaskStates(demo);
      expect(new Set(Object.keys(demo.stages))).toEqual(new Set(DEMO_STAGES));
      expect(states.every((s) => s.ignored.length === 0)).toBe(true);
      expect(states.every((s) => s.community === 'demo-xihe')).toBe(true);

      expect(stateOf(demo, 'published').status).toBe('published');
      const unclaimed = stateOf(demo, 'claim-overdue');
      expect(unclaimed.status).toBe('published');
      expect(clockOf(unclaimed, today).claimOverdue).toBe(true);
      expect(unclaimed.cards.map((c) => [c.level, c.rule])).toEqual([['normal', 'claim-overdue']]);

      const late = stateOf(demo, 'claimed-late');
      expect([late.status, late.claimLate, late.reports.length]).toEqual(['claimed', true, 1]);

      const working = stateOf(demo, 'in-progress');
      expect(working.reports.map((r) => r.progress)).toEqual([30, 60]);
      expect(working.cards).toHaveLength(1);
      expect(working.cards[0]?.reply?.text).toBe('照片已随进展补报');

      const closing = stateOf(demo, 'closing');
      expect(closing.status).toBe('closing');
      expect(closing.closeRequest?.closure).toBe('substantive');
      expect(closing.cards[0]?.cancelled?.reason).toBe('照片已在进展中补报');

      const returned = stateOf(demo, 'returned');
      expect([returned.status, returned.returns.length, returned.reports.length]).toEqual(['claimed', 1, 2]);

      const substantive = stateOf(demo, 'closed-substantive');
      expect([substantive.status, substantive.closure?.closure, substantive.closure?.onTime]).toEqual([
        'closed',
        'substantive',
        true,
      ]);
      const procedural = stateOf(demo, 'closed-procedural');
      expect([procedural.status, procedural.closure?.closure, procedural.closure?.onTime]).toEqual([
        'closed',
        'procedural',
        false,
      ]);
      expect(stateOf(demo, 'archived').status).toBe('archived');
      expect(stateOf(demo, 'standing-closed').status).toBe('closed');
      expect(stateOf(demo, 'standing-closed').template.schedule).toEqual({ type: 'standing', repeat: 'monthly' });

      const pending = stateOf(demo, 'extension-pending');
      expect(pending.pendingExtension?.days).toBe(10);
      expect(clockOf(pending, today).paused).toBe(true);
      const granted = stateOf(demo, 'extension-granted');
      expect(granted.extensions[0]?.decision?.granted).toBe(10);
      expect(granted.granted).toBe(10);

      const yellow = stateOf(demo, 'yellow');
      expect(clockOf(yellow, today)).toMatchObject({ warning: true, overdue: false });
      expect(yellow.cards.map((c) => c.level)).toEqual(['yellow']);
      const red = stateOf(demo, 'red');
      expect(clockOf(red, today).overdue).toBe(true);
      expect(red.cards.map((c) => c.level).sort()).toEqual(['red', 'yellow']);

      // Every instance of the demo's document is of its year.
      expect(states.every((s) => s.period.startsWith(String(demo.year)))).toBe(true);
    });
  }

  it('gives the same tasks for the same seed and day, and other choices for another seed', () => {
    const a = demoTaskStates(generateDemoTasks(7, { community: 'demo-xihe', today: '2026-12-01', calendar }));
    const b = demoTaskStates(generateDemoTasks(7, { community: 'demo-xihe', today: '2026-12-01', calendar }));
    const c = demoTaskStates(generateDemoTasks(8, { community: 'demo-xihe', today: '2026-12-01', calendar }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });
});
