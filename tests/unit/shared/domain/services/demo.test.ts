import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { generateDemoServices } from '@shared/domain/services/demo';
import { fixDue } from '@shared/domain/services/state';
import { listApplications, listServiceItems } from '@shared/ydoc/services';

const calendar = nationalCalendar();

describe('the demo services', () => {
  const today = '2026-11-20';
  const demo = generateDemoServices(7, { community: 'demo-x', today });
  const all = [...demo.docs.values()].flatMap((doc) => listApplications(doc));

  it('writes every application through the commands, with no step set aside by the fold', () => {
    expect(all).toHaveLength(30);
    expect(all.flatMap((a) => a.ignored)).toEqual([]);
    for (const doc of demo.docs.values()) {
      const items = listServiceItems(doc);
      expect(items.map((i) => i.kind)).toContain('third-party');
      expect(items.map((i) => i.kind)).toContain('government');
    }
  });

  it('holds every state, channel and grade, and bad ratings fixed, pending and late', () => {
    const statuses = new Set(all.map((a) => a.status));
    expect([...statuses].sort()).toEqual(['accepted', 'done', 'rectifying', 'refused', 'transferred']);
    expect(new Set(all.map((a) => a.base.channel))).toEqual(new Set(['window', 'phone', 'door']));
    expect(new Set(all.flatMap((a) => a.ratings.map((r) => r.rating)))).toEqual(new Set([1, 2, 3, 4, 5]));
    const fixes = all.filter((a) => a.fix !== null);
    const calledOnTime = fixes.filter((a) => {
      const due = fixDue(a, calendar);
      return a.fix?.calledBackOn != null && due !== null && a.fix.calledBackOn <= due.date;
    });
    expect(fixes.length).toBe(6);
    expect(calledOnTime.length).toBe(2);
    expect(fixes.filter((a) => a.fix?.fixedOn === null).length).toBe(2);
    expect(all.filter((a) => a.ratings.length === 2).length).toBe(2);
    // Every door application names its grid worker.
    for (const a of all.filter((x) => x.base.channel === 'door')) expect(a.base.agent?.name).toBeTruthy();
  });

  it('gives the same documents for the same seed and day', () => {
    const again = generateDemoServices(7, { community: 'demo-x', today });
    const ids = (d: typeof demo) => [...d.docs.values()].flatMap((doc) => listApplications(doc).map((a) => a.base.id));
    expect(ids(again)).toEqual(ids(demo));
  });
});
