/**
 * The events area counts with the office's own limits (docs/incidents-model.md, "an office's own limits"): the queue
 * reads them from the community's registry, live, each stage with the version in force on the day it started.
 */
import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { addDays, chinaDate } from '@shared/domain/dates';
import { acceptIncident, reportIncident } from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS, type LimitSet, type LimitsVersion } from '@shared/domain/incidents/limits';
import { limitsVersionKey } from '@shared/domain/incidents/officeLimits';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { metaMap } from '@shared/ydoc/registry';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { IncidentQueue } from '../../../../../renderer/features/incidents/IncidentQueue';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('limits-events');
const today = chinaDate(new Date());
const YEAR = Number(today.slice(0, 4));

function must<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let ids = 0;
const office = (): CommandContext => ({
  actor: { userId: 'u-office', userName: '社区干部李明', deviceId: 'dev-office' },
  now: () => new Date(),
  newId: () => `lim-${String(++ids).padStart(5, '0')}`,
  permissions: new Set(['incidents.edit', 'incidents.dispatch']),
});

function help(days: number): LimitSet {
  return { ...DEFAULT_LIMITS, handle: { ...DEFAULT_LIMITS.handle, help: days } };
}

/** A version as a device of the office wrote it (set on an earlier day, or arriving by sync). */
async function stored(store: WorkstationStore, version: LimitsVersion) {
  const { doc } = await store.registry(community);
  metaMap(doc).set(limitsVersionKey(version, `v${version.revision}`), version);
}

describe('the queue counts with the office limits', { timeout: 60_000 }, () => {
  it('a help request accepted today gets the handling limit in force today, and a version arriving later is read live', async () => {
    const store = getStore();
    await stored(store, { effectiveFrom: `${YEAR - 1}-01-01`, revision: 1, limits: help(9) });
    const doc = await store.document(docName({ community, collection: 'incidents', year: YEAR }));
    const id = must(
      reportIncident(doc, office(), {
        community,
        title: '噪音扰民',
        content: '楼上夜里装修。',
        occurredAt: new Date().toISOString(),
        place: { grid: null, compound: null, building: null, household: null, text: '5栋' },
        category: 'dispute',
        subCategory: '',
        kind: 'help',
        urgency: 'normal',
        peopleInvolved: 2,
        reporter: { name: '张大爷', phone: '', anonymous: true },
        source: 'resident',
        attachments: [],
      }),
    );
    must(acceptIncident(doc, office(), { incidentId: id }, { calendar: nationalCalendar(), limits: DEFAULT_LIMITS }));

    renderUi(
      <PlatformProvider platform={testPlatform([])}>
        <StoreProvider store={store}>
          <Router hook={memoryLocation({ path: '/' }).hook}>
            <IncidentQueue community={community} />
          </Router>
        </StoreProvider>
      </PlatformProvider>,
    );
    const due = () => within(screen.getByTestId('incident-row')).getByTestId('incident-due').textContent;
    // Nine working days (the defaults would say seven).
    await waitFor(() => expect(due()).toBe('处置剩9个工作日'), LOAD);

    // A version from tomorrow on leaves it alone; one in force today (synced from a device) applies to it.
    await stored(store, { effectiveFrom: addDays(today, 1), revision: 2, limits: help(4) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(due()).toBe('处置剩9个工作日');
    await stored(store, { effectiveFrom: today, revision: 3, limits: help(5) });
    await waitFor(() => expect(due()).toBe('处置剩5个工作日'), LOAD);
  });
});
