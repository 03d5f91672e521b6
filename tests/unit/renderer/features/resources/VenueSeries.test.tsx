/**
 * 阵地 screens with the real store (docs/resources-model.md, "venues"): a regular service from September to June is
 * booked in one go, kept as one part in each year's activities document and shown as one series with its whole span,
 * cancelled as a whole; a room's opening hours are edited on its page and a booking outside them is refused in words.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { createVenue } from '@shared/domain/resources/venues';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { readRecord } from '@shared/ydoc/registry';
import { listBookings } from '@shared/ydoc/resources';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { VenuesPages } from '../../../../../renderer/features/resources/VenueScreens';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-venue-series');
const activities = (year: number) => docName({ community, collection: 'activities', year });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

function renderAt(store: WorkstationStore, ui: ReactElement, path = '/') {
  const location = memoryLocation({ path, record: true });
  const result = renderUi(
    <PlatformProvider platform={testPlatform([])}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return { ...result, location };
}

describe('阵地: a regular service across the year end and opening hours', () => {
  it('books 四点半课堂 from September to June in one go, shows it as one series, moves it from March on and cancels every part', async () => {
    const store = getStore();
    const { doc: registry } = await store.registry(community);
    const room = value(createVenue(registry, store.commandContext(), { name: '四点半课堂教室', capacity: 30 }));
    const { location } = renderAt(store, <VenuesPages community={community} />, '/book');
    const form = await screen.findByTestId('booking-form', {}, LOAD);
    fireEvent.click(within(form).getByLabelText('定期服务（每周）'));
    const fill = (label: RegExp, text: string) =>
      fireEvent.change(within(form).getByLabelText(label), { target: { value: text } });
    fill(/^开始日期/, '2026-09-01');
    fill(/^开始时间/, '16:30');
    fill(/^结束时间/, '18:00');
    fill(/^结束日期/, '2027-06-30');
    fill(/^服务机构/, '阳光社工');
    fill(/^活动内容/, '四点半课堂');
    fill(/^组织方/, '阳光社工');
    fill(/^预计人数/, '25');
    fireEvent.click(within(form).getByRole('button', { name: '预约' }));
    await waitFor(() => expect(location.history.at(-1)).toBe(`/room/${room}`), LOAD);
    const autumn = listBookings(await store.document(activities(2026)));
    const spring = listBookings(await store.document(activities(2027)));
    expect(autumn).toMatchObject([{ date: '2026-09-01', repeat: { until: '2026-12-31' } }]);
    expect(spring).toMatchObject([{ date: '2027-01-01', repeat: { until: '2027-06-30' }, series: autumn[0]?.series }]);

    // One row for the series, with its whole span.
    const row = await screen.findByTestId('booking-row', {}, LOAD);
    await waitFor(() => expect(row.textContent).toContain('（2026-09-01至2027-06-30）'), LOAD);
    expect(within(row).getByTestId('booking-series').textContent).toBe('跨年定期服务，按年度分2段登记');
    expect(screen.getAllByTestId('booking-row')).toHaveLength(1);

    // Moved from March on: the spring part is split, the rows show the two slots apart, each with its span.
    fireEvent.click(within(row).getByRole('button', { name: '调整' }));
    fireEvent.change(await screen.findByLabelText(/^开始时间/), { target: { value: '15:00' } });
    fireEvent.change(screen.getByLabelText(/^结束时间/), { target: { value: '16:30' } });
    fireEvent.change(screen.getByLabelText(/^从哪天起调整/), { target: { value: '2027-03-01' } });
    fireEvent.click(screen.getByRole('button', { name: '确认调整' }));
    const springDoc = await store.document(activities(2027));
    await waitFor(() => expect(listBookings(springDoc)).toHaveLength(2), LOAD);
    expect(listBookings(springDoc)).toMatchObject([
      { start: '16:30', repeat: { until: '2027-02-28' } },
      { date: '2027-03-01', start: '15:00', repeat: { until: '2027-06-30' } },
    ]);

    // Cancelled as a whole: every part of both years.
    const first = (await screen.findAllByTestId('booking-row', {}, LOAD))[0] as HTMLElement;
    expect(first.textContent).toContain('16:30-18:00（2026-09-01至2027-02-28）');
    fireEvent.click(within(first).getByRole('button', { name: '取消预约' }));
    fireEvent.change(await screen.findByLabelText(/^原因/), { target: { value: '服务机构退出' } });
    fireEvent.click(screen.getByRole('button', { name: '确认取消' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: '确认取消' })).toBeNull(), LOAD);
    expect(listBookings(await store.document(activities(2026)))).toMatchObject([{ status: 'cancelled' }]);
    expect(listBookings(await store.document(activities(2027)))).toMatchObject([
      { status: 'cancelled', cancelReason: '服务机构退出' },
      { status: 'cancelled', cancelReason: '服务机构退出' },
    ]);
  });

  it('edits a room’s opening hours on its page and refuses a booking outside them, in words', async () => {
    const store = getStore();
    const { doc: registry } = await store.registry(community);
    const room = value(createVenue(registry, store.commandContext(), { name: '多功能活动室', capacity: 60 }));
    const { location } = renderAt(store, <VenuesPages community={community} />, `/room/${room}`);
    expect((await screen.findByTestId('venue-hours', {}, LOAD)).textContent).toBe('08:00-20:00开放');
    const hours = screen.getByTestId('venue-hours-form');
    fireEvent.change(within(hours).getByLabelText(/^开门时间/), { target: { value: '9:00' } });
    fireEvent.change(within(hours).getByLabelText(/^关门时间/), { target: { value: '17:00' } });
    fireEvent.click(within(hours).getByRole('button', { name: '保存开放时间' }));
    await waitFor(() => expect(screen.getByTestId('venue-hours').textContent).toBe('09:00-17:00开放'), LOAD);
    expect(readRecord(registry, 'venues', room)?.openHours).toEqual({ start: '09:00', end: '17:00' });

    location.navigate('/book');
    const form = await screen.findByTestId('booking-form', {}, LOAD);
    const fill = (label: RegExp, text: string) =>
      fireEvent.change(within(form).getByLabelText(label), { target: { value: text } });
    fill(/^日期/, '2026-11-20');
    fill(/^开始时间/, '16:00');
    fill(/^结束时间/, '18:00');
    fill(/^活动内容/, '广场舞排练');
    fill(/^组织方/, '文体队');
    fireEvent.click(within(form).getByRole('button', { name: '预约' }));
    expect((await screen.findByTestId('resources-error', {}, LOAD)).textContent).toBe(
      '该场地开放时间为09:00-17:00，预约须在开放时间内。',
    );
    expect(listBookings(await store.document(activities(2026)))).toHaveLength(0);
  });
});
