// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addAgendaItem, createMeeting, publishNotice, startMeeting } from '@shared/domain/meetings/commands';
import { createBuilding, createCompound, createHousehold } from '@shared/domain/registry/commands';
import type { ResidentId } from '@shared/domain/registry/types';
import { docName } from '@shared/ydoc/docName';
import { readAudit, snapshotRegistry } from '@shared/ydoc/registry';
import { keepTokenRole } from '../../../../../renderer/data/roles';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { DossierPrint } from '../../../../../renderer/features/mediation/PrintViews';
import { PrintView } from '../../../../../renderer/features/meetings/print/PrintView';
import { addResident } from '../../../shared/domain/registry/fixtures';
import { community as meetingsCommunity, renderMeetings, tomorrowAt9 } from '../../meetings/meetingFixture';
import {
  community,
  intake,
  must,
  renderMediation,
  seedCase,
  YEAR,
  type TestPlatformLog,
} from '../../mediation/mediationFixture';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();

/** A registered resident of a community (with a compound, building and household made for them). */
async function residentOf(store: WorkstationStore, where: typeof community, name: string): Promise<ResidentId> {
  const { doc } = await store.registry(where);
  const ctx = store.commandContext(where);
  const compound = value(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
  const building = value(createBuilding(doc, ctx, { compoundId: compound, name: '3栋' }));
  const household = value(createHousehold(doc, ctx, { buildingId: building, doorNumber: '301' }));
  return value(addResident(doc, ctx, household, { name }));
}

async function printEntries(store: WorkstationStore, where: typeof community) {
  return readAudit((await store.registry(where)).doc).filter((entry) => entry.action === 'print');
}

/** A case whose applicant is a registered resident, with a phone. */
async function caseWithResident(store: WorkstationStore) {
  const residentId = await residentOf(store, community, '王建国');
  const id = await seedCase(
    store,
    intake({
      parties: [
        { role: 'applicant', name: '王建国', phone: '13900003333', address: '3栋301', residentId },
        { role: 'respondent', name: '外来人', address: '别处' },
      ],
    }),
  );
  return { residentId, id };
}

describe('prints go to the PIPL log', () => {
  it('logs a dossier print before it is printed: who, which case, which residents, phones in full for a mediator', async () => {
    const store = getStore();
    const { residentId, id } = await caseWithResident(store);
    const log: TestPlatformLog = { printed: [], saved: [] };
    renderMediation(store, <DossierPrint community={community} year={YEAR} id={id} />, '/', log);
    const dossier = await screen.findByTestId('dossier-document', {}, LOAD);
    expect(dossier.textContent).toContain('13900003333');
    expect(await printEntries(store, community)).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: '打印 / 导出 PDF' }));
    await waitFor(() => expect(log.printed).toHaveLength(1), LOAD);
    const [entry, ...more] = await printEntries(store, community);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'print',
      collection: 'cases',
      recordId: id,
      userId: store.user.userId,
      deviceId: store.deviceId,
      fields: {
        document: 'mediation-dossier',
        docName: docName({ community, collection: 'cases', year: YEAR }),
        residentIds: [residentId],
        unmasked: true,
      },
    });
  });

  it('prints masked phones in a viewer’s community, and logs the print as masked', async () => {
    const store = getStore();
    const { id } = await caseWithResident(store);
    await keepTokenRole(store, [community], 'viewer');
    const log: TestPlatformLog = { printed: [], saved: [] };
    renderMediation(store, <DossierPrint community={community} year={YEAR} id={id} />, '/', log);
    const dossier = await screen.findByTestId('dossier-document', {}, LOAD);
    expect(dossier.textContent).not.toContain('13900003333');
    expect(dossier.textContent).toContain('139****3333');
    fireEvent.click(screen.getByRole('button', { name: '打印 / 导出 PDF' }));
    await waitFor(() => expect(log.printed).toHaveLength(1), LOAD);
    expect((await printEntries(store, community))[0]?.fields).toMatchObject({ unmasked: false });
  });

  it('logs a print the browser starts by itself (Ctrl+P) while the preview shows', async () => {
    const store = getStore();
    const { id } = await caseWithResident(store);
    renderMediation(store, <DossierPrint community={community} year={YEAR} id={id} />);
    await screen.findByTestId('dossier-document', {}, LOAD);
    window.dispatchEvent(new Event('beforeprint'));
    await waitFor(async () => expect(await printEntries(store, community)).toHaveLength(1), LOAD);
  });

  it('logs the print of a meeting’s minutes with the registry residents it names, but not of its notice', async () => {
    const store = getStore();
    const residentId = await residentOf(store, meetingsCommunity, '代表甲');
    const doc = await store.document(docName({ community: meetingsCommunity, collection: 'meetings', year: YEAR }));
    const registry = snapshotRegistry((await store.registry(meetingsCommunity)).doc);
    const ctx = store.commandContext(meetingsCommunity);
    const meetingId = must(
      createMeeting(
        doc,
        ctx,
        {
          type: 'residents-representatives',
          title: '居民代表会议',
          scope: { kind: 'list', people: [{ name: '代表甲', residentId }, { name: '代表乙' }] },
          convener: { name: '张主任' },
          chair: { name: '李主持' },
          recorder: { name: '王记录' },
          startsAt: tomorrowAt9(),
          place: '社区议事厅',
        },
        registry,
      ),
    );
    must(
      addAgendaItem(doc, ctx, { meetingId, title: '小区停车管理', proposer: { name: '代表甲' }, expectedMinutes: 30 }),
    );
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    must(publishNotice(doc, ctx, { meetingId, publishedOn: today }));
    must(startMeeting(doc, ctx, { meetingId, early: true }, registry));

    const printed: unknown[] = [];
    renderMeetings(
      store,
      <PrintView community={meetingsCommunity} year={YEAR} id={meetingId} kind="notice" />,
      '/',
      printed,
    );
    fireEvent.click(await screen.findByRole('button', { name: '打印 / 导出PDF' }, LOAD));
    await waitFor(() => expect(printed).toHaveLength(1), LOAD);
    expect(await printEntries(store, meetingsCommunity)).toEqual([]);

    cleanup();
    renderMeetings(
      store,
      <PrintView community={meetingsCommunity} year={YEAR} id={meetingId} kind="minutes" />,
      '/',
      printed,
    );
    await screen.findByTestId('print-page', {}, LOAD);
    fireEvent.click(screen.getByRole('button', { name: '打印 / 导出PDF' }));
    await waitFor(() => expect(printed).toHaveLength(2), LOAD);
    const [entry, ...more] = await printEntries(store, meetingsCommunity);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      collection: 'meetings',
      recordId: meetingId,
      fields: { document: 'meeting-minutes', residentIds: [residentId], unmasked: false },
    });
  });
});
