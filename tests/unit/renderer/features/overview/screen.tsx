/**
 * What the dashboard's screen tests share: the screen drawn on a store, its key figures and first overdue row read as
 * a person reads them, and one more grid event recorded through the domain's command.
 */
import { screen, within } from '@testing-library/react';
import { expect } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { reportIncident } from '@shared/domain/incidents/commands';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { OverviewScreen } from '../../../../../renderer/features/overview/OverviewScreen';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';

export function renderOverview(store: WorkstationStore) {
  return renderUi(
    <PlatformProvider platform={testPlatform([])}>
      <StoreProvider store={store}>
        <Router hook={memoryLocation({ path: '/' }).hook}>
          <OverviewScreen />
        </Router>
      </StoreProvider>
    </PlatformProvider>,
  );
}

export const kpi = (key: string) => screen.getByTestId(`ov-kpi-${key}`).textContent;
export const overdueRow = () => within(screen.getByTestId('overview-overdue')).getAllByRole('row')[1]?.textContent;

/** A grid event of `community` (in `grid`) recorded on the 18th: one more for the workload. */
export async function recordEvent(store: WorkstationStore, community: CommunityId, grid: string): Promise<void> {
  const incidents = await store.document(docName({ community, collection: 'incidents', year: 2026 }));
  const recorded = reportIncident(incidents, store.commandContext(community), {
    community,
    title: '井盖缺失',
    content: '小区门口井盖缺失',
    occurredAt: '2026-11-18T01:00:00Z',
    place: { grid, compound: null, building: null, household: null, text: '' },
    category: 'opinion',
    kind: 'help',
    reporter: { name: '王大爷', phone: '', anonymous: false },
    source: 'resident',
  });
  expect(recorded.ok ? null : recorded.error).toBeNull();
}
