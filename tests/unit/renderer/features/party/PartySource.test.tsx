/**
 * The way back (issue 21, docs/party-model.md "links") on the real store: a 小茶馆 grievance made into a mediation case
 * from the teahouse list; the case's page says where it came from (来源：百姓小茶馆 <day> <topic>), and that link
 * leads to the session in 党建与资源, shown in its year, marked and focused.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { intakeCase } from '@shared/domain/mediation/commands';
import { recordSession } from '@shared/domain/party/commands';
import { createBuilding, createCompound, createHousehold } from '@shared/domain/registry/commands';
import { listCases } from '@shared/ydoc/cases';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { CasePage } from '../../../../../renderer/features/mediation/CasePage';
import { SanhongSection } from '../../../../../renderer/features/party';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-party-source');
const SLOW = { timeout: 20_000 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

async function seedTeahouse(store: WorkstationStore): Promise<string> {
  const ctx = store.commandContext(community);
  const { doc: registry } = await store.registry(community);
  const compound = value(createCompound(registry, ctx, { name: '锦绣花园', kind: 'commercial' }));
  const building = value(createBuilding(registry, ctx, { compoundId: compound, name: '3栋' }));
  value(createHousehold(registry, ctx, { buildingId: building, doorNumber: '301' }));
  const activities = await store.document(docName({ community, collection: 'activities', year: 2026 }));
  return value(
    recordSession(
      activities,
      ctx,
      { kind: 'teahouse', on: '2026-11-15', topic: '楼上漏水', speaker: '社区书记', outcome: '两家同意调解' },
      { registry },
    ),
  );
}

/** The two areas as the app nests them: 党建与资源's 三红三百 and 调解's case page. */
function renderAreas(store: WorkstationStore, path: string) {
  const location = memoryLocation({ path, record: true });
  renderUi(
    <PlatformProvider platform={testPlatform([])}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>
          <Route path="/party/sanhong" nest>
            <SanhongSection community={community} />
          </Route>
          <Route path="/mediation" nest>
            <Route path="/case/:year/:id">
              {(p) => <CasePage community={community} year={Number(p.year)} id={p.id} />}
            </Route>
          </Route>
        </Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return location;
}

describe('the way back from a case to its 小茶馆 session', () => {
  it('shows the source on the case page and the link opens the session, marked and focused', async () => {
    const store = getStore();
    const sessionId = await seedTeahouse(store);
    const location = renderAreas(store, '/party/sanhong/sessions');

    // The grievance becomes a case from the teahouse list.
    const card = await screen.findByTestId('party-session', {}, SLOW);
    fireEvent.click(within(card).getByRole('button', { name: '转为调解案件' }));
    fireEvent.change(within(card).getByLabelText(/^申请人/), { target: { value: '王建国' } });
    fireEvent.change(within(card).getByLabelText(/^被申请人/), { target: { value: '李秀英' } });
    fireEvent.change(within(card).getByLabelText(/^地点/), { target: { value: '锦绣花园 3栋' } });
    fireEvent.click(within(card).getByRole('button', { name: '登记调解案件' }));
    const out = await within(card).findByTestId('party-out-link', {}, LOAD);
    const cases = listCases(await store.document(docName({ community, collection: 'cases', year: 2026 })));
    expect(cases).toHaveLength(1);
    const caseId = cases[0]?.id ?? '';

    // The case's page says where it came from.
    fireEvent.click(out);
    expect(location.history.at(-1)).toBe(`/mediation/case/2026/${caseId}`);
    const source = await screen.findByTestId('party-source', {}, SLOW);
    expect(source.textContent).toBe('来源：百姓小茶馆 2026-11-15 楼上漏水');
    const back = within(source).getByTestId('party-source-link');
    expect(back.tagName).toBe('A');
    expect(back.getAttribute('href')).toBe(`/party/sanhong/sessions/2026/${sessionId}`);

    // The link leads to the session, marked and focused (Tab then reaches what follows it).
    fireEvent.click(back);
    expect(location.history.at(-1)).toBe(`/party/sanhong/sessions/2026/${sessionId}`);
    const shown = await screen.findByTestId('party-session', {}, SLOW);
    await waitFor(() => expect(shown.dataset.focused).toBe('yes'), LOAD);
    expect(shown.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement).toBe(shown);
    expect(shown.textContent).toContain('楼上漏水');
    expect(screen.getByRole('link', { name: '讲堂·舞台·茶馆' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows no source on a case registered directly', async () => {
    const store = getStore();
    await seedTeahouse(store);
    const cases = await store.document(docName({ community, collection: 'cases', year: 2026 }));
    const id = value(
      intakeCase(
        cases,
        store.commandContext(community),
        {
          place: { address: '锦绣花园 3栋' },
          source: 'resident-request',
          category: 'neighbours',
          risk: 'blue',
          parties: [
            { role: 'applicant', name: '王建国' },
            { role: 'respondent', name: '李秀英' },
          ],
          facts: '噪音',
        },
        null,
      ),
    );
    renderAreas(store, `/mediation/case/2026/${id}`);
    await screen.findByTestId('case-number', {}, SLOW);
    // Both activities documents have been read by the time the case's facts show; give them a moment more.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(screen.queryByTestId('party-source')).toBeNull();
  });
});
