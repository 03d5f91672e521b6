import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addWorkdays, isWorkday, nationalCalendar } from '@shared/domain/calendar';
import { communityCalendar, setCalendarDay } from '@shared/domain/calendar/commands';
import { calendarLayerKey, readCalendarLayers } from '@shared/ydoc/calendarLayers';
import { auditArray, metaMap, setMetaFields } from '@shared/ydoc/registry';
import { errorOf, makeCtx, unwrap } from '../registry/fixtures';

function registry(): Y.Doc {
  const doc = new Y.Doc();
  setMetaFields(doc, { communityName: '西河社区', streetName: '舞凤街道', districtName: '顺庆区' });
  return doc;
}

const admin = () => makeCtx({ permissions: ['admin'] });

describe('working-day calendar layers kept in the registry', () => {
  it('a community works by the national calendar until a layer is written', () => {
    const doc = registry();
    expect(communityCalendar(doc, 'xihe').version).toBe(nationalCalendar().version);
    // 2026-10-01 is 国庆节 in the seed.
    expect(isWorkday(communityCalendar(doc, 'xihe'), '2026-10-01')).toBe(false);
  });

  it('a local closure of the street makes a weekday a day off for its communities only, and changes the version', () => {
    const doc = registry();
    const other = registry();
    setMetaFields(other, { streetName: '北城街道' });
    // Tuesday 2026-03-10, a working day nationally.
    expect(isWorkday(communityCalendar(doc, 'xihe'), '2026-03-10')).toBe(true);
    const layer = unwrap(
      setCalendarDay(doc, admin(), {
        scope: 'street',
        orgId: '舞凤街道',
        date: '2026-03-10',
        set: { as: 'day', day: { kind: 'holiday', name: '停电检修' } },
      }),
    );
    expect(layer.revision).toBe(1);
    const calendar = communityCalendar(doc, 'xihe');
    expect(isWorkday(calendar, '2026-03-10')).toBe(false);
    expect(calendar.version).toBe(`${nationalCalendar().version}+street:舞凤街道#1`);
    // Monday 03-09 + 1 working day skips the closure.
    expect(addWorkdays(calendar, '2026-03-09', 1).date).toBe('2026-03-11');
    // The same layer written into a community of another street does not apply there.
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    setMetaFields(other, { streetName: '北城街道' });
    expect(isWorkday(communityCalendar(other, 'beicheng'), '2026-03-10')).toBe(true);
    // Audited under the signed-in account.
    const entry = auditArray(doc).toArray().at(-1);
    expect(entry?.recordId).toMatch(/^calendar:street:舞凤街道:1:/);
    expect(entry?.fields).toMatchObject({ date: '2026-03-10', revision: 1 });
  });

  it('plain removes an inherited exception, inherit takes the date out of the layer again', () => {
    const doc = registry();
    const ctx = admin();
    // 2026-10-01 is a day off nationally; the community works it (a plain Thursday).
    unwrap(setCalendarDay(doc, ctx, { scope: 'community', orgId: 'xihe', date: '2026-10-01', set: { as: 'plain' } }));
    expect(isWorkday(communityCalendar(doc, 'xihe'), '2026-10-01')).toBe(true);
    const back = unwrap(
      setCalendarDay(doc, ctx, { scope: 'community', orgId: 'xihe', date: '2026-10-01', set: { as: 'inherit' } }),
    );
    expect(back.revision).toBe(2);
    expect(back.days).toEqual({});
    expect(isWorkday(communityCalendar(doc, 'xihe'), '2026-10-01')).toBe(false);
    // Setting what the layer already says writes nothing.
    const before = auditArray(doc).length;
    unwrap(setCalendarDay(doc, ctx, { scope: 'community', orgId: 'xihe', date: '2026-10-01', set: { as: 'inherit' } }));
    expect(auditArray(doc).length).toBe(before);
  });

  it('the district extends the covered years; a street or community may not', () => {
    const doc = registry();
    const national = nationalCalendar();
    const next = national.lastYear + 1;
    unwrap(
      setCalendarDay(doc, admin(), {
        scope: 'district',
        orgId: '顺庆区',
        date: `${next}-01-01`,
        set: { as: 'day', day: { kind: 'holiday', name: '元旦' } },
        lastYear: next,
      }),
    );
    const calendar = communityCalendar(doc, 'xihe');
    expect(calendar.lastYear).toBe(next);
    expect(addWorkdays(calendar, `${next}-06-01`, 1).uncovered).toBe(false);
    expect(
      errorOf(
        setCalendarDay(doc, admin(), {
          scope: 'street',
          orgId: '舞凤街道',
          date: `${next}-01-02`,
          set: { as: 'plain' },
          lastYear: next,
        }),
      ),
    ).toMatchObject({ code: 'invalid', field: 'lastYear' });
  });

  it('only an admin edits; bad dates are refused', () => {
    const doc = registry();
    const editor = makeCtx({ permissions: ['registry.edit', 'tasks.supervise'] });
    const input = {
      scope: 'community' as const,
      orgId: 'xihe',
      date: '2026-03-10',
      set: { as: 'plain' as const },
    };
    expect(errorOf(setCalendarDay(doc, editor, input)).code).toBe('permission-denied');
    expect(errorOf(setCalendarDay(doc, admin(), { ...input, date: '2026-02-30' })).field).toBe('date');
    expect(errorOf(setCalendarDay(doc, admin(), { ...input, date: '1999-03-10' })).code).toBe('date.invalid');
    expect(readCalendarLayers(doc)).toEqual([]);
  });

  it('two devices editing offline both keep their revision; the higher revision wins, a tie falls the same way on both', () => {
    const a = registry();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const day = (name: string) => ({ as: 'day' as const, day: { kind: 'holiday' as const, name } });
    unwrap(
      setCalendarDay(a, makeCtx({ permissions: ['admin'], idPrefix: 'a' }), {
        scope: 'community',
        orgId: 'xihe',
        date: '2026-03-10',
        set: day('甲'),
      }),
    );
    unwrap(
      setCalendarDay(b, makeCtx({ permissions: ['admin'], idPrefix: 'b' }), {
        scope: 'community',
        orgId: 'xihe',
        date: '2026-03-11',
        set: day('乙'),
      }),
    );
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readCalendarLayers(a)).toHaveLength(2);
    expect(communityCalendar(a, 'xihe').days).toEqual(communityCalendar(b, 'xihe').days);
    // The next edit starts from the revision read and keeps its own day.
    const next = unwrap(
      setCalendarDay(a, admin(), { scope: 'community', orgId: 'xihe', date: '2026-03-12', set: day('丙') }),
    );
    expect(next.revision).toBe(2);
  });

  it('a value under a key that is not its own, or not a layer, is left out', () => {
    const doc = registry();
    const layer = { scope: 'community', orgId: 'xihe', revision: 5, days: { '2026-03-10': null } };
    metaMap(doc).set(calendarLayerKey({ scope: 'community', orgId: 'other', revision: 5 }, 'x'), layer);
    metaMap(doc).set('calendar:community:xihe:6:y', { scope: 'community', orgId: 'xihe', revision: 6, days: 'no' });
    expect(readCalendarLayers(doc)).toEqual([]);
    metaMap(doc).set(calendarLayerKey(layer as never, 'z'), layer);
    expect(readCalendarLayers(doc)).toEqual([layer]);
  });

  it('an edit given the layer another registry holds starts from it when it is not older, and only for that layer', () => {
    const ahead = registry();
    const behind = registry();
    const day = (date: string, name: string) => ({
      scope: 'district' as const,
      orgId: '顺庆区',
      date,
      set: { as: 'day' as const, day: { kind: 'holiday' as const, name } },
    });
    unwrap(setCalendarDay(ahead, admin(), day('2026-03-09', '甲')));
    const base = unwrap(setCalendarDay(ahead, admin(), day('2026-03-10', '乙')));
    unwrap(setCalendarDay(behind, admin(), day('2026-03-13', '旧')));
    // The registry behind catches up: the base's days, the new one, and the next revision of the two.
    const caught = unwrap(setCalendarDay(behind, admin(), { ...day('2026-03-11', '丙'), base }));
    expect(caught.revision).toBe(3);
    expect(Object.keys(caught.days).sort()).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    // The registry the base came from gets the same layer.
    expect(unwrap(setCalendarDay(ahead, admin(), { ...day('2026-03-11', '丙'), base }))).toEqual(caught);
    // An older base is not used; another office's layer is refused.
    const older = { ...base, revision: 1, days: {} };
    const kept = unwrap(setCalendarDay(ahead, admin(), { ...day('2026-03-12', '丁'), base: older }));
    expect(Object.keys(kept.days)).toHaveLength(4);
    expect(
      errorOf(setCalendarDay(ahead, admin(), { ...day('2026-03-12', '丁'), base: { ...base, orgId: '高坪区' } })),
    ).toMatchObject({ code: 'invalid', field: 'base' });
  });
});
