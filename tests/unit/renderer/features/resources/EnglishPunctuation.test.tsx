/**
 * English mode shows no full-width punctuation built in code (issue 21): the venues' rooms page with a clash that
 * arrived by sync (the clash lines, the equipment list) and the 红马褂 concerns page (a concern with its place), each
 * rendered in English on the real store, hold none of `：（）；、`, and do hold the half-width forms they replace.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import * as Y from 'yjs';
import type { CommandContext } from '@shared/domain/kernel';
import { recordConcern } from '@shared/domain/party/commands';
import { createBuilding, createCompound, createHousehold } from '@shared/domain/registry/commands';
import { bookVenue, createVenue, venuesEnv } from '@shared/domain/resources/venues';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { SanhongSection } from '../../../../../renderer/features/party';
import { VenuesPages } from '../../../../../renderer/features/resources/VenueScreens';
import { PlatformProvider } from '../../../../../renderer/platform';
import { addResident } from '../../../shared/domain/registry/fixtures';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-english');
const activities = docName({ community, collection: 'activities', year: 2026 });
const FULL_WIDTH = /[：（）；、]/;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-05-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

function renderEnglish(store: WorkstationStore, ui: ReactElement, path = '/') {
  const location = memoryLocation({ path, record: true });
  return renderUi(
    <PlatformProvider platform={testPlatform([])}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
    { language: 'en' },
  );
}

const device = (userName: string, id: string): CommandContext => ({
  actor: { userId: `u-${id}`, userName, deviceId: `dev-${id}` },
  now: () => new Date('2026-05-18T03:00:00Z'),
  newId: () => `booking-${id}`,
  permissions: new Set(['resources.edit']),
});

describe('English mode punctuation', () => {
  it('the rooms page with a clash and equipment', async () => {
    const store = getStore();
    const { doc: registry } = await store.registry(community);
    const room = value(
      createVenue(registry, store.commandContext(), {
        name: 'Hall',
        capacity: 60,
        equipment: ['projector', 'speakers'],
      }),
    );
    const doc = await store.document(activities);
    const booking = (ctx: CommandContext, start: string, end: string, purpose: string) => {
      const other = new Y.Doc();
      value(
        bookVenue(
          other,
          ctx,
          { venueId: room, date: '2026-05-20', start, end, purpose, organiser: 'Branch', fee: 'free', expected: 20 },
          venuesEnv(registry),
        ),
      );
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'sync');
    };
    booking(device('Zhao', 'a'), '14:00', '16:00', 'Party day');
    booking(device('Qian', 'b'), '15:00', '17:00', 'Training');
    const { container } = renderEnglish(store, <VenuesPages community={community} />);
    const alert = await screen.findByTestId('venue-conflicts', {}, LOAD);
    await waitFor(() => expect(screen.getByTestId('venue-row').textContent).toContain('projector, speakers'), LOAD);
    expect(alert.textContent).toContain('Party day (14:00-16:00, Zhao)');
    expect(alert.textContent).toContain('Training (15:00-17:00, Qian)');
    expect(container.textContent).not.toMatch(FULL_WIDTH);
  });

  it('the concerns page with a concern and its place', async () => {
    const store = getStore();
    const ctx = store.commandContext(community);
    const { doc: registry } = await store.registry(community);
    const compound = value(createCompound(registry, ctx, { name: 'Garden', kind: 'commercial' }));
    const building = value(createBuilding(registry, ctx, { compoundId: compound, name: 'B3' }));
    const household = value(createHousehold(registry, ctx, { buildingId: building, doorNumber: '301' }));
    const collector = value(addResident(registry, ctx, household, { name: 'Li Xiuying', tags: ['volunteer'] }));
    value(
      recordConcern(
        await store.document(activities),
        ctx,
        { on: '2026-05-17', collectorId: collector, place: 'Gate 2', content: 'Broken street lamp' },
        { registry },
      ),
    );
    const { container } = renderEnglish(store, <SanhongSection community={community} />, '/concerns');
    const card = await screen.findByTestId('party-concern', {}, LOAD);
    await waitFor(() => expect(card.textContent).toContain('Li Xiuying'), LOAD);
    expect(card.textContent).toContain('Broken street lamp (Gate 2)');
    expect(container.textContent).not.toMatch(FULL_WIDTH);
  });
});
