// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addAgendaItem, createMeeting, publishNotice, signIn, startMeeting } from '@shared/domain/meetings/commands';
import { createBuilding, createCompound, createHousehold } from '@shared/domain/registry/commands';
import { snapshotRegistry } from '@shared/ydoc/registry';
import { MeetingPage } from '../../../../renderer/features/meetings/MeetingPage';
import { LOAD, useTestStore, value } from '../storeFixture';
import { community, meetingsName, must, renderMeetings, tomorrowAt9, YEAR } from './meetingFixture';

const getStore = useTestStore();

/** An owners' assembly of four households (100, 100 and 50 m², one without a known area), started. */
async function assembly() {
  const store = getStore();
  const ctx = store.commandContext();
  const { doc: registryDoc } = await store.registry(community);
  const compound = value(createCompound(registryDoc, ctx, { name: '锦江花园', kind: 'commercial' }));
  const building = value(createBuilding(registryDoc, ctx, { compoundId: compound, name: '1栋' }));
  const households = [100, 100, 50, null].map((floorArea, i) =>
    value(createHousehold(registryDoc, ctx, { buildingId: building, doorNumber: `${i + 1}01`, floorArea })),
  );
  const registry = snapshotRegistry(registryDoc);
  const doc = await store.document(meetingsName);
  const id = must(
    createMeeting(
      doc,
      ctx,
      {
        type: 'owners-assembly',
        title: '业主大会',
        scope: { kind: 'compound', compoundId: compound },
        convener: { name: '业委会' },
        chair: { name: '主任' },
        recorder: { name: '记录' },
        startsAt: tomorrowAt9(),
        place: '小区广场',
      },
      registry,
    ),
  );
  must(
    addAgendaItem(doc, ctx, {
      meetingId: id,
      title: '外立面改造',
      proposer: { name: '业委会' },
      expectedMinutes: 60,
      subject: 'rebuild',
    }),
  );
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  must(publishNotice(doc, ctx, { meetingId: id, publishedOn: today }));
  // Set for tomorrow: started early, as confirmed.
  must(startMeeting(doc, ctx, { meetingId: id, early: true }, registry));
  return { store, doc, ctx, id, households };
}

describe("owners' assembly", () => {
  it('counts heads and floor area for the quorum and a special matter needs three quarters of both', async () => {
    const { store, doc, ctx, id, households } = await assembly();
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);
    const quorum = await screen.findByTestId('quorum', {}, LOAD);
    expect(quorum.textContent).toContain('专有部分面积共250㎡，到会0㎡，至少须166.67㎡');
    expect(quorum.textContent).toContain('有1户没有登记面积');
    // Two households of 100 m²: area 200 of 250 is enough, but 2 of 4 owners is not two thirds.
    for (const h of households.slice(0, 2)) {
      must(signIn(doc, ctx, { meetingId: id, key: `household:${h}`, status: 'present' }));
    }
    await waitFor(() => expect(screen.getByTestId('quorum').textContent).toContain('到会人数不足'));
    must(signIn(doc, ctx, { meetingId: id, key: `household:${households[3]}`, status: 'present' }));
    await waitFor(() => expect(screen.getByTestId('quorum').getAttribute('data-reached')).toBe('true'));

    const form = screen.getByRole('form', { name: '“外立面改造”的表决' });
    expect(screen.getByText('特别事项（四分之三）')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('赞成'), { target: { value: '3' } });
    fireEvent.change(within(form).getByLabelText('赞成面积（㎡）'), { target: { value: '140' } });
    fireEvent.click(within(form).getByRole('button', { name: '记录表决结果' }));
    await waitFor(() => expect(screen.getByTestId('result-badge').textContent).toBe('未通过'));
    expect(screen.getByText(/赞成面积不足，未通过。/).textContent).toContain('赞成面积140㎡（基数200㎡，需150㎡）');
    // Exactly three quarters of the area present is enough ("以上" includes the number).
    fireEvent.change(within(form).getByLabelText('赞成面积（㎡）'), { target: { value: '150' } });
    fireEvent.click(within(form).getByRole('button', { name: '记录表决结果' }));
    await waitFor(() => expect(screen.getByTestId('result-badge').textContent).toBe('通过'));
  });
});
