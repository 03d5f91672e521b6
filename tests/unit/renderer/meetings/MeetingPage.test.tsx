// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  finishMeeting,
  meetingHistory,
  recordVote,
  signIn,
  signMinutes,
  submitForReview,
} from '@shared/domain/meetings/commands';
import { minutesText, readMeeting } from '@shared/ydoc/meetings';
import { MeetingPage } from '../../../../renderer/features/meetings/MeetingPage';
import { LOAD, useTestStore } from '../storeFixture';
import { community, must, renderMeetings, seedMeeting, YEAR } from './meetingFixture';

const getStore = useTestStore();

function renderPage(id: string) {
  return renderMeetings(getStore(), <MeetingPage community={community} year={YEAR} id={id} />);
}

describe('meeting page', () => {
  it('edits the details while the machine allows it', async () => {
    const { id, doc } = await seedMeeting(getStore(), { started: false });
    renderPage(id);
    fireEvent.click(await screen.findByRole('button', { name: '修改会议信息' }, LOAD));
    const form = screen.getByRole('form', { name: '修改会议信息' });
    fireEvent.change(within(form).getByLabelText(/^会议地点/), { target: { value: '社区二楼会议室' } });
    fireEvent.change(within(form).getByLabelText(/^会议时间/), { target: { value: `${YEAR}-12-20T15:00` } });
    fireEvent.change(within(form).getByLabelText('须签字人员'), { target: { value: '代表甲、代表乙' } });
    fireEvent.click(within(form).getByRole('button', { name: '保存' }));
    await waitFor(() =>
      expect(readMeeting(doc, id)).toMatchObject({
        place: '社区二楼会议室',
        startsAt: `${YEAR}-12-20T07:00:00.000Z`,
        requiredSignatories: [
          { name: '代表甲', ref: null },
          { name: '代表乙', ref: null },
        ],
      }),
    );
    expect(await screen.findByText('社区二楼会议室')).toBeTruthy();
    expect(screen.queryByRole('form', { name: '修改会议信息' })).toBeNull();
  });

  it('offers a viewer nothing that changes the record', async () => {
    const { id } = await seedMeeting(getStore());
    getStore().setRole('viewer');
    renderPage(id);
    const textarea = await screen.findByLabelText<HTMLTextAreaElement>('讨论记录：小区停车管理', {}, LOAD);
    expect(textarea.readOnly).toBe(true);
    expect(screen.getByTestId('quorum')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '代表甲：到会' })).toBeNull();
    expect(screen.queryByRole('button', { name: '会议结束，起草纪要' })).toBeNull();
    expect(screen.queryByRole('form', { name: '“小区停车管理”的表决' })).toBeNull();
    expect(screen.queryByRole('button', { name: '添加议题' })).toBeNull();
    // Prints stay available to a viewer.
    expect(screen.getByRole('button', { name: '会议记录' })).toBeTruthy();
  });

  it('computes the quorum live as people sign in and refuses a vote below it', async () => {
    const { id } = await seedMeeting(getStore());
    renderPage(id);
    const quorum = await screen.findByTestId('quorum', {}, LOAD);
    expect(quorum.getAttribute('data-reached')).toBe('false');
    expect(quorum.textContent).toContain('应到3人，实到0人');

    fireEvent.click(screen.getByRole('button', { name: '代表甲：到会' }));
    await waitFor(() => expect(screen.getByTestId('quorum').textContent).toContain('实到1人'));
    const form = screen.getByRole('form', { name: '“小区停车管理”的表决' });
    fireEvent.change(within(form).getByLabelText('赞成'), { target: { value: '1' } });
    fireEvent.click(within(form).getByRole('button', { name: '记录表决结果' }));
    expect((await within(form).findAllByRole('alert'))[0]?.textContent).toContain('不能表决');
    expect(screen.getByTestId('result-badge').textContent).toBe('未表决');

    // Two of three is exactly two thirds: "以上" includes it (民法典 art. 1259).
    fireEvent.click(screen.getByRole('button', { name: '代表乙：迟到' }));
    await waitFor(() => expect(screen.getByTestId('quorum').getAttribute('data-reached')).toBe('true'));
    fireEvent.change(within(form).getByLabelText('赞成'), { target: { value: '2' } });
    fireEvent.click(within(form).getByRole('button', { name: '记录表决结果' }));
    await waitFor(() => expect(screen.getByTestId('result-badge').textContent).toBe('通过'));
    expect(screen.getByTestId('attendance-counts').textContent).toBe(
      '应到3人，实到2人（其中迟到1人），缺席1人，列席0人',
    );
  });

  it('records a vote by name from the voters present and counts it', async () => {
    const { id, doc, ctx, itemId } = await seedMeeting(getStore());
    for (const name of ['代表甲', '代表乙', '代表丙']) {
      must(signIn(doc, ctx, { meetingId: id, key: `name:${name}`, status: 'present' }));
    }
    renderPage(id);
    const form = await screen.findByRole('form', { name: '“小区停车管理”的表决' }, LOAD);
    fireEvent.click(within(form).getByText('记名表决'));
    fireEvent.change(await within(form).findByLabelText('代表甲的表决'), { target: { value: 'for' } });
    fireEvent.change(within(form).getByLabelText('代表乙的表决'), { target: { value: 'against' } });
    fireEvent.change(within(form).getByLabelText('代表丙的表决'), { target: { value: 'abstain' } });
    fireEvent.click(within(form).getByRole('button', { name: '记录表决结果' }));
    // One for out of three present is not more than half: abstentions count in the base.
    await waitFor(() => expect(screen.getByTestId('result-badge').textContent).toBe('未通过'));
    expect(screen.getByTestId(`result-${itemId}`).textContent).toContain('赞成1票、反对1票、弃权1票（基数3，需2票）');
    fireEvent.change(within(form).getByLabelText('代表丙的表决'), { target: { value: 'for' } });
    fireEvent.click(within(form).getByRole('button', { name: '记录表决结果' }));
    await waitFor(() => expect(screen.getByTestId('result-badge').textContent).toBe('通过'));
    expect(readMeeting(doc, id)?.agenda[0]?.vote).toEqual({
      mode: 'by-name',
      ballots: { 'name:代表甲': 'for', 'name:代表乙': 'against', 'name:代表丙': 'for' },
    });
  });

  it('asks for the reason of an absence before recording it', async () => {
    const { id, doc } = await seedMeeting(getStore());
    renderPage(id);
    fireEvent.click(await screen.findByRole('button', { name: '代表丙：缺席' }, LOAD));
    expect((await screen.findByRole('alert')).textContent).toBe('请先填写代表丙的缺席原因');
    fireEvent.change(screen.getByLabelText('代表丙的缺席原因'), { target: { value: '住院' } });
    fireEvent.click(screen.getByRole('button', { name: '代表丙：缺席' }));
    await waitFor(() => expect(readMeeting(doc, id)?.attendees.find((a) => a.name === '代表丙')?.reason).toBe('住院'));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('writes typed minutes into the Y.Text and shows text typed elsewhere', async () => {
    const { id, itemId, doc } = await seedMeeting(getStore());
    const text = minutesText(doc, id, itemId);
    text?.insert(0, '开场。');
    renderPage(id);
    const textarea = await screen.findByLabelText<HTMLTextAreaElement>('讨论记录：小区停车管理', {}, LOAD);
    // The binding attaches once the document is loaded and shows the text already there.
    await waitFor(() => expect(textarea.value).toBe('开场。'));
    expect(textarea.readOnly).toBe(false);
    textarea.value = '开场。大家同意';
    textarea.setSelectionRange(7, 7);
    fireEvent.input(textarea);
    expect(text?.toJSON()).toBe('开场。大家同意');
    // Another writer (another device, synced into the same document) adds before it.
    text?.insert(3, '经讨论，');
    await waitFor(() => expect(textarea.value).toBe('开场。经讨论，大家同意'));
    // After a pause the typing is noted in the audit once, with sizes and not the text.
    await waitFor(
      () =>
        expect(meetingHistory(doc, id).filter((e) => e.fields.command === 'noteMinutesTyped')).toEqual([
          expect.objectContaining({
            fields: { command: 'noteMinutesTyped', agendaItem: itemId, inserted: 4, deleted: 0 },
          }),
        ]),
      { timeout: 5000 },
    );
  });

  it('locks the record after sign-off: minutes read-only, no sign-in, the signed version shown', async () => {
    const store = getStore();
    const { id, doc, ctx, itemId, registry } = await seedMeeting(store);
    for (const name of ['代表甲', '代表乙', '代表丙']) {
      must(signIn(doc, ctx, { meetingId: id, key: `name:${name}`, status: 'present' }));
    }
    must(
      recordVote(
        doc,
        ctx,
        {
          meetingId: id,
          itemId,
          vote: { mode: 'by-count', for: 3, against: 0, abstain: 0 },
          resolution: '划定临时车位',
        },
        registry,
      ),
    );
    must(finishMeeting(doc, ctx, { meetingId: id }));
    must(submitForReview(doc, ctx, { meetingId: id }));
    renderPage(id);
    expect((await screen.findByTestId('missing-signatures', {}, LOAD)).textContent).toContain('主持人、记录人');
    // Attendees review the draft (会后有结果): only people who attended are offered.
    const review = screen.getByRole('form', { name: '登记审阅意见' });
    expect(
      within(review)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['代表丙', '代表乙', '代表甲']);
    fireEvent.change(within(review).getByLabelText('审阅人'), { target: { value: 'name:代表乙' } });
    fireEvent.change(within(review).getByLabelText('意见'), { target: { value: '无异议' } });
    fireEvent.click(within(review).getByRole('button', { name: '登记审阅' }));
    expect((await screen.findByRole('list', { name: '审阅意见' })).textContent).toBe('代表乙：同意 无异议');
    must(signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '李主持' }));
    must(signMinutes(doc, ctx, { meetingId: id, role: 'recorder', name: '王记录' }));
    await waitFor(() => expect(screen.getByTestId('missing-signatures').textContent).toContain('签字已齐'));
    fireEvent.click(screen.getByRole('button', { name: '签字确认并锁定' }));
    await waitFor(() => expect(screen.getByTestId('meeting-status').textContent).toBe('已签字锁定'));
    expect(screen.getByTestId('meeting-locked')).toBeTruthy();
    expect(screen.getByLabelText<HTMLTextAreaElement>('讨论记录：小区停车管理').readOnly).toBe(true);
    expect(screen.queryByRole('button', { name: '代表甲：到会' })).toBeNull();
    expect(screen.getByTestId('signed-version').textContent).toContain('划定临时车位');
    // A laptop that was offline at sign-off still typed: the edit merges, and the page says so.
    minutesText(doc, id, itemId)?.insert(0, '迟到的修改');
    expect((await screen.findByRole('alert')).textContent).toContain('（小区停车管理的讨论记录）');
    expect(screen.getByRole('alert').textContent).toContain('以签字版本为准');
    // The amendment opens version 2 with its reason; version 1 stays as signed.
    fireEvent.change(screen.getByLabelText('修订理由'), { target: { value: '更正车位数量' } });
    fireEvent.click(screen.getByRole('button', { name: '提出修订（新版本）' }));
    await waitFor(() => expect(screen.getByTestId('meeting-status').textContent).toBe('纪要起草'));
    expect(screen.getByTestId('amendments').textContent).toContain('第2版：更正车位数量');
    expect(screen.getAllByTestId('signed-version')).toHaveLength(1);
  });
});
