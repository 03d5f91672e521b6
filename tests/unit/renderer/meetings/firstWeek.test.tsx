// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  finishMeeting,
  publishNotice,
  signMinutes,
  submitForReview,
  updateMeetingDetails,
} from '@shared/domain/meetings/commands';
import { readMeeting } from '@shared/ydoc/meetings';
import { MeetingCalendar } from '../../../../renderer/features/meetings/MeetingCalendar';
import { MeetingList } from '../../../../renderer/features/meetings/MeetingList';
import { MeetingPage } from '../../../../renderer/features/meetings/MeetingPage';
import { formatWhen } from '../../../../renderer/features/meetings/labels';
import { PrintView } from '../../../../renderer/features/meetings/print/PrintView';
import { typedSignatureImage } from '../../../../renderer/ui/SignaturePad';
import { LOAD, useTestStore } from '../storeFixture';
import { community, must, renderMeetings, seedMeeting, YEAR } from './meetingFixture';

const getStore = useTestStore();

const chinaDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('a meeting started before its day (issue 18, item 2)', () => {
  it('asks before starting early, then shows when it actually started next to the scheduled time', async () => {
    const store = getStore();
    const { id, doc, ctx } = await seedMeeting(store, { started: false });
    must(publishNotice(doc, ctx, { meetingId: id, publishedOn: chinaDay() }));
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);

    // Before the start nobody has signed in: the quorum panel is a preview, not a red alert (item 6).
    const quorum = await screen.findByTestId('quorum', {}, LOAD);
    expect(quorum.getAttribute('data-started')).toBe('false');
    expect(quorum.textContent).toContain('会议开始后按签到计算出席人数');
    expect(quorum.textContent).not.toContain('出席人数未达到要求');

    fireEvent.click(screen.getByRole('button', { name: '开始会议（生成签到表）' }));
    const ask = await screen.findByRole('alertdialog');
    expect(ask.textContent).toContain(chinaDay(1));
    expect(readMeeting(doc, id)?.status).toBe('notice-published');
    // Cancel leaves it as it was; confirming starts it.
    fireEvent.click(within(ask).getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '开始会议（生成签到表）' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: '确定提前开始' }));
    await waitFor(() => expect(readMeeting(doc, id)?.status).toBe('in-progress'), LOAD);
    const startedAt = readMeeting(doc, id)?.startedAt;
    expect(startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const header = await screen.findByRole('row', { name: /实际开始时间/ });
    expect(header.textContent).toContain(formatWhen(startedAt ?? ''));
    expect(screen.getByRole('row', { name: /会议时间/ }).textContent).toContain(`${chinaDay(1)} 09:00`);
  });

  it('leaves a meeting started early out of the upcoming lists, on the day it was held', async () => {
    const store = getStore();
    // Set for tomorrow, started today (the fixture confirms the early start).
    await seedMeeting(store, { title: '提前召开的会议' });
    renderMeetings(store, <MeetingCalendar community={community} />);
    const grid = await screen.findByRole('table', { name: '会议日历' }, LOAD);
    const link = await within(grid).findByRole('link', { name: /提前召开的会议/ }, LOAD);
    expect(link.closest('td')?.getAttribute('data-day')).toBe(chinaDay());
    expect(screen.queryByRole('link', { name: /提前召开的会议 · 社区议事厅/ })).toBeNull();
    expect(screen.getByText('近期没有会议。')).toBeTruthy();
    cleanup();

    renderMeetings(store, <MeetingList community={community} />);
    await screen.findByTestId('meeting-row', {}, LOAD);
    fireEvent.change(screen.getByLabelText('时间'), { target: { value: 'upcoming' } });
    await waitFor(() => expect(screen.queryAllByTestId('meeting-row')).toHaveLength(0));
    fireEvent.change(screen.getByLabelText('时间'), { target: { value: 'past' } });
    await waitFor(() => expect(screen.getAllByTestId('meeting-row')).toHaveLength(1));
    expect(screen.getByTestId('meeting-row').textContent).toContain('提前召开的会议');
  });
});

describe('signing and printing the minutes (issue 18, items 3 and 6)', () => {
  it('asks the chair to sign once though listed, and prints a typed signature in China time and Chinese', async () => {
    const store = getStore();
    const { id, doc, ctx } = await seedMeeting(store);
    must(
      updateMeetingDetails(doc, ctx, {
        id,
        changes: { requiredSignatories: [{ name: '李主持' }, { name: '王记录' }, { name: '代表甲' }] },
      }),
    );
    must(finishMeeting(doc, ctx, { meetingId: id }));
    must(submitForReview(doc, ctx, { meetingId: id }));
    const signedAt = new Date('2026-12-01T15:45:35.085Z');
    must(
      signMinutes(doc, ctx, {
        meetingId: id,
        role: 'host',
        name: '李主持',
        method: 'typed',
        image: typedSignatureImage('李主持', signedAt),
      }),
    );
    must(signMinutes(doc, ctx, { meetingId: id, role: 'recorder', name: '王记录' }));

    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);
    const missing = await screen.findByTestId('missing-signatures', {}, LOAD);
    expect(missing.textContent).toBe('还缺少签字：代表甲');
    cleanup();

    renderMeetings(store, <PrintView community={community} year={YEAR} id={id} kind="minutes" />);
    const page = await screen.findByTestId('print-page', {}, LOAD);
    await waitFor(() => expect(within(page).getAllByTestId('typed-signature')).toHaveLength(1));
    const hostAt = readMeeting(doc, id)?.signatures.find((s) => s.role === 'host')?.at ?? '';
    const typed = within(page).getByTestId('typed-signature');
    expect(typed.textContent).toContain('李主持');
    expect(typed.textContent).toContain(`电子签名 ${formatWhen(hostAt)}`);
    expect(page.textContent).not.toMatch(/typed \d{4}-/);
    // The stored picture with its English UTC caption is not what prints.
    for (const img of within(page).queryAllByRole('img')) expect(img.getAttribute('src')).not.toContain('typed%20');
    // One line per person: host, recorder, and the one signatory who is neither.
    expect(within(page).getAllByTestId('print-signature-line')).toHaveLength(3);
  });
});
