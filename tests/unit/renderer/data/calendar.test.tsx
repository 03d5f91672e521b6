/**
 * The working-day calendar as the app reads and edits it (docs/tasks-model.md, "working-day calendar"): resolved once
 * per change of its calendar keys, and the district's and street's layers edited into every community of theirs the
 * device holds.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { act, render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { isWorkday, nationalCalendar } from '@shared/domain/calendar';
import { communityCalendar, currentLayer, setCalendarDay } from '@shared/domain/calendar/commands';
import {
  createBuilding,
  createCompound,
  createHousehold,
  createResident,
  updateResident,
} from '@shared/domain/registry/commands';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { setMetaFields } from '@shared/ydoc/registry';
import {
  calendarOf,
  calendarResolutions,
  setCalendarDayAcross,
  useWorkingCalendar,
} from '../../../../renderer/data/calendar';
import { StoreProvider } from '../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../renderer/data/store';
import { LOAD, useTestStore, value } from '../storeFixture';

const getStore = useTestStore();

const A = toCommunityId('cal-a');
const B = toCommunityId('cal-b');
const C = toCommunityId('cal-c');

async function community(store: WorkstationStore, id: CommunityId, district: string, street: string) {
  await store.createCommunity({ id, name: id });
  const { doc } = await store.registry(id);
  setMetaFields(doc, { districtName: district, streetName: street });
  return doc;
}

const holiday = (date: string, name: string) => ({
  date,
  set: { as: 'day' as const, day: { kind: 'holiday' as const, name } },
});

describe('the calendar cache', () => {
  it('a resident-side edit does not resolve the calendar again, a layer edit does', async () => {
    const store = getStore();
    const doc = await community(store, A, '顺庆区', '舞凤街道');
    const first = await calendarOf(store, A);
    const resolved = calendarResolutions.count;
    // A resident registered and edited, and the community renamed: registry changes, none of a calendar key.
    const ctx = store.commandContext(A);
    const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
    const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
    const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
    const resident = value(
      createResident(doc, ctx, {
        name: '王大爷',
        idNumber: makeIdNumber('511302', '1950-01-01', seqForSex(1, 'male')),
        householdId: household,
      }),
    );
    value(updateResident(doc, ctx, { id: resident, changes: { phone: '13800000000' } }));
    setMetaFields(doc, { communityName: '西河社区' });
    expect(await calendarOf(store, A)).toBe(first);
    expect(calendarResolutions.count).toBe(resolved);

    // Tuesday 2026-03-10 closed by the community: a `calendar:` key, so resolved once more, and once only.
    value(await store.run(A, setCalendarDay, { scope: 'community', orgId: A, ...holiday('2026-03-10', '停电检修') }));
    const second = await calendarOf(store, A);
    expect(calendarResolutions.count).toBe(resolved + 1);
    expect(second.version).toBe(`${nationalCalendar().version}+community:${A}#1`);
    expect(isWorkday(second, '2026-03-10')).toBe(false);
    expect(await calendarOf(store, A)).toBe(second);
    expect(calendarResolutions.count).toBe(resolved + 1);

    // The street renamed: the community now sits elsewhere, so its calendar is resolved again.
    setMetaFields(doc, { streetName: '北城街道' });
    await calendarOf(store, A);
    expect(calendarResolutions.count).toBe(resolved + 2);
  });

  it('a screen reading the calendar is drawn again for a layer edit, not for a resident edit', async () => {
    const store = getStore();
    const doc = await community(store, A, '顺庆区', '舞凤街道');
    let draws = 0;
    function Probe() {
      draws++;
      return <span data-testid="version">{useWorkingCalendar(A).version}</span>;
    }
    const view = render(
      <StoreProvider store={store}>
        <Probe />
      </StoreProvider>,
    );
    await waitFor(() => expect(view.getByTestId('version').textContent).toBe(nationalCalendar().version), LOAD);
    // Let the registry's first read settle.
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const before = draws;
    await act(async () => {
      value(createCompound(doc, store.commandContext(A), { name: '锦江小区', kind: 'commercial' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(draws).toBe(before);
    await act(async () => {
      value(await store.run(A, setCalendarDay, { scope: 'community', orgId: A, ...holiday('2026-03-10', '停电检修') }));
    });
    await waitFor(() => expect(view.getByTestId('version').textContent).toContain(`+community:${A}#1`), LOAD);
    expect(draws).toBeGreaterThan(before);
  });
});

describe('the district and street layers edited on a device holding several communities', () => {
  it("district IT's notice reaches every community of the district held here, on one revision; another district's is left alone", async () => {
    const store = getStore();
    const a = await community(store, A, '顺庆区', '舞凤街道');
    const b = await community(store, B, '顺庆区', '北城街道');
    const c = await community(store, C, '高坪区', '白塔街道');
    // B's copy of the district layer lags: A had an edit B never got (made on a device holding A alone).
    value(
      setCalendarDay(a, store.commandContext(A), {
        scope: 'district',
        orgId: '顺庆区',
        ...holiday('2026-03-09', '甲'),
      }),
    );
    value(
      setCalendarDay(a, store.commandContext(A), {
        scope: 'district',
        orgId: '顺庆区',
        ...holiday('2026-03-10', '乙'),
      }),
    );
    value(
      setCalendarDay(b, store.commandContext(B), {
        scope: 'district',
        orgId: '顺庆区',
        ...holiday('2026-03-09', '甲'),
      }),
    );

    const results = await setCalendarDayAcross(store, A, {
      scope: 'district',
      orgId: '顺庆区',
      ...holiday('2026-03-11', '丙'),
    });
    expect(results.map((r) => [r.community, r.result.ok])).toEqual([
      [A, true],
      [B, true],
    ]);
    const inA = currentLayer(a, 'district', '顺庆区');
    const inB = currentLayer(b, 'district', '顺庆区');
    expect(inA?.revision).toBe(3);
    expect(inB).toEqual(inA);
    expect(Object.keys(inB?.days ?? {}).sort()).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    // Each community now works by it; the other district's community does not.
    expect(isWorkday(communityCalendar(b, B), '2026-03-10')).toBe(false);
    expect(currentLayer(c, 'district', '顺庆区')).toBeNull();
    expect(isWorkday(communityCalendar(c, C), '2026-03-11')).toBe(true);
  });

  it("the street's layer reaches the street's communities only, and a community the person is no admin of is left alone", async () => {
    const store = getStore();
    const a = await community(store, A, '顺庆区', '舞凤街道');
    const b = await community(store, B, '顺庆区', '舞凤街道');
    const c = await community(store, C, '顺庆区', '北城街道');
    // A fourth community of the same street, where this device holds an editor's role only.
    const D = toCommunityId('cal-d');
    const d = await community(store, D, '顺庆区', '舞凤街道');
    store.setKeptRole(D, 'editor');
    const results = await setCalendarDayAcross(store, A, {
      scope: 'street',
      orgId: '舞凤街道',
      ...holiday('2026-03-10', '停电检修'),
    });
    expect(results.map((r) => r.community)).toEqual([A, B]);
    expect(currentLayer(a, 'street', '舞凤街道')?.revision).toBe(1);
    expect(currentLayer(b, 'street', '舞凤街道')).toEqual(currentLayer(a, 'street', '舞凤街道'));
    expect(currentLayer(c, 'street', '舞凤街道')).toBeNull();
    expect(currentLayer(d, 'street', '舞凤街道')).toBeNull();

    // A community's own layer stays in its registry.
    const own = await setCalendarDayAcross(store, A, { scope: 'community', orgId: A, ...holiday('2026-03-12', '丁') });
    expect(own.map((r) => r.community)).toEqual([A]);
    expect(currentLayer(b, 'community', A)).toBeNull();
  });
});
