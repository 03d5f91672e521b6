// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  addActionItem,
  finishMeeting,
  publishNotice,
  startMeeting,
  submitForReview,
} from '@shared/domain/meetings/commands';
import { createVolunteer, createBuilding, createCompound, createHousehold } from '@shared/domain/registry/commands';
import type { PersonRef } from '@shared/domain/meetings/types';
import type { ResidentId } from '@shared/domain/registry/types';
import { listMeetings, readMeeting, readMeetingFile, signInPhotos } from '@shared/ydoc/meetings';
import { ActionItemsList } from '../../../../renderer/features/meetings/ActionItemsList';
import { CreateMeeting } from '../../../../renderer/features/meetings/CreateMeeting';
import { MeetingCalendar } from '../../../../renderer/features/meetings/MeetingCalendar';
import { MeetingList } from '../../../../renderer/features/meetings/MeetingList';
import { MeetingPage } from '../../../../renderer/features/meetings/MeetingPage';
import { MeetingsDashboard } from '../../../../renderer/features/meetings/MeetingsDashboard';
import { PrintView } from '../../../../renderer/features/meetings/print/PrintView';
import type { Platform } from '../../../../renderer/platform';
import type { WorkstationStore } from '../../../../renderer/data/store';
import { addResident } from '../../shared/domain/registry/fixtures';
import { LOAD, useTestStore, value } from '../storeFixture';
import { community, must, renderMeetings, seedMeeting, YEAR } from './meetingFixture';

const getStore = useTestStore();

/** The bytes of a tiny PNG: jsdom cannot decode it, so the picker keeps it as it is (small enough). */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

/** A platform whose file dialog returns `name` each time it is opened. */
function picking(name: string): Partial<Platform> {
  return { openFile: () => Promise.resolve({ path: `/tmp/${name}`, name, bytes: PNG }) };
}

/** The texts an input is described by (`aria-describedby`), as a screen reader reads them after the label. */
function describedBy(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

/** A resident of the test community's registry (in a compound, building and household made for it). */
async function residentNamed(store: WorkstationStore, name: string): Promise<ResidentId> {
  const { doc: registry } = await store.registry(community);
  const ctx = store.commandContext();
  const compound = value(createCompound(registry, ctx, { name: '北湖老院', kind: 'old' }));
  const building = value(createBuilding(registry, ctx, { compoundId: compound, name: '3栋' }));
  const household = value(createHousehold(registry, ctx, { buildingId: building, doorNumber: '301' }));
  return value(addResident(registry, ctx, household, { name }));
}

describe("next year's meetings", () => {
  it('lists, puts on the calendar and counts on the dashboard a meeting set for January of next year', async () => {
    const store = getStore();
    await store.createCommunity({ id: community, name: '测试社区' });
    const next = YEAR + 1;
    const { id, doc, ctx, registry } = await seedMeeting(store, {
      title: '明年一月代表会议',
      startsAt: new Date(`${next}-01-08T09:00:00+08:00`).toISOString(),
      year: next,
      started: false,
    });

    renderMeetings(store, <MeetingList community={community} />);
    const row = await screen.findByTestId('meeting-row', {}, LOAD);
    expect(row.textContent).toContain('明年一月代表会议');
    expect(row.textContent).toContain(`${next}-01-08`);
    fireEvent.change(screen.getByLabelText('时间'), { target: { value: 'this-year' } });
    await waitFor(() => expect(screen.queryAllByTestId('meeting-row')).toHaveLength(0));
    fireEvent.change(screen.getByLabelText('时间'), { target: { value: 'next-year' } });
    await waitFor(() => expect(screen.getAllByTestId('meeting-row')).toHaveLength(1));
    cleanup();

    renderMeetings(store, <MeetingCalendar community={community} />);
    const link = await screen.findByRole('link', { name: /明年一月代表会议 · 社区议事厅/ }, LOAD);
    expect(link.getAttribute('href')).toContain(`/m/${next}/${id}`);
    cleanup();

    // Its action items need the meeting started (early, as confirmed); they stay on the lists whatever its day.
    must(publishNotice(doc, ctx, { meetingId: id, publishedOn: new Date().toISOString().slice(0, 10) }));
    must(startMeeting(doc, ctx, { meetingId: id, early: true }, registry));
    must(
      addActionItem(doc, ctx, { meetingId: id, title: '年初走访', owner: { name: '别人' }, deadline: `${next}-01-20` }),
    );
    renderMeetings(store, <MeetingsDashboard />);
    expect((await screen.findByTestId('dashboard-action-item', {}, LOAD)).textContent).toContain('年初走访');
    cleanup();

    renderMeetings(store, <ActionItemsList community={community} />);
    fireEvent.click(await screen.findByText('全部', {}, LOAD));
    expect((await screen.findByTestId('my-action-item', {}, LOAD)).textContent).toContain('年初走访');
  });
});

describe('people from the registry', () => {
  it('links the chair to a volunteer picked by name and keeps a street official as a typed name', async () => {
    const store = getStore();
    const { doc: registry } = await store.registry(community);
    const volunteer = value(
      createVolunteer(registry, store.commandContext(), { name: '刘片长', phone: '13900001111' }),
    );
    const { location } = renderMeetings(store, <CreateMeeting community={community} />, '/new');
    fireEvent.change(screen.getByLabelText(/^会议名称/), { target: { value: '居民代表会议' } });
    fireEvent.change(screen.getByLabelText(/^会议时间/), { target: { value: `${YEAR}-12-03T09:00` } });
    fireEvent.change(screen.getByLabelText(/^会议地点/), { target: { value: '议事厅' } });
    fireEvent.change(screen.getByLabelText(/^应到人员/), { target: { value: '代表甲、代表乙' } });
    fireEvent.change(screen.getByLabelText(/^记录人/), { target: { value: '王记录' } });
    fireEvent.change(screen.getByLabelText(/^召集人/), { target: { value: '街道办李科长' } });
    // The field itself says the name is kept as typed (its description, read with the input).
    const convener = screen.getByLabelText(/^召集人/);
    await waitFor(() => expect(describedBy(convener)).toContain('名册中没有找到，将按所填姓名记录'), LOAD);
    fireEvent.change(screen.getByLabelText(/^主持人/), { target: { value: '刘' } });
    fireEvent.click(await screen.findByRole('button', { name: '从名册选用：刘片长（志愿者）' }, LOAD));
    expect(screen.getByLabelText<HTMLInputElement>(/^主持人/).value).toBe('刘片长');
    expect(screen.getByTestId('person-linked').textContent).toBe('已关联名册：志愿者');
    fireEvent.click(screen.getByRole('button', { name: '创建会议' }));
    await waitFor(() => expect(location.history.at(-1)).toMatch(new RegExp(`^/m/${YEAR}/`)), LOAD);
    const [meeting] = listMeetings(await store.document(`${community}/meetings/${YEAR}`));
    expect(meeting?.chair).toEqual({ name: '刘片长', ref: { kind: 'volunteer', id: volunteer } });
    expect(meeting?.convener).toEqual({ name: '街道办李科长', ref: null });
  });

  it('edits the people with the same fields: typing over a linked name drops the link', async () => {
    const store = getStore();
    const resident = await residentNamed(store, '欧阳记录');
    const { id, doc } = await seedMeeting(store, { started: false });
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);
    fireEvent.click(await screen.findByRole('button', { name: '修改会议信息' }, LOAD));
    const form = screen.getByRole('form', { name: '修改会议信息' });
    fireEvent.change(within(form).getByLabelText(/^记录人/), { target: { value: '欧阳' } });
    fireEvent.click(await within(form).findByRole('button', { name: /^从名册选用：欧阳记录（/ }, LOAD));
    fireEvent.click(within(form).getByRole('button', { name: '保存' }));
    await waitFor(() =>
      expect(readMeeting(doc, id)?.recorder).toEqual({ name: '欧阳记录', ref: { kind: 'resident', id: resident } }),
    );
    fireEvent.click(await screen.findByRole('button', { name: '修改会议信息' }));
    const again = screen.getByRole('form', { name: '修改会议信息' });
    expect(within(again).getByTestId('person-linked').textContent).toBe('已关联名册：居民');
    fireEvent.change(within(again).getByLabelText(/^记录人/), { target: { value: '欧阳记录员' } });
    expect(within(again).queryByTestId('person-linked')).toBeNull();
    fireEvent.click(within(again).getByRole('button', { name: '保存' }));
    await waitFor(() => expect(readMeeting(doc, id)?.recorder).toEqual({ name: '欧阳记录员', ref: null }));
  });
});

describe('an agenda item', () => {
  it("links the proposer to a resident picked by name, as the meeting's people are", async () => {
    const store = getStore();
    const resident = await residentNamed(store, '欧阳提议');
    const { id, doc } = await seedMeeting(store, { started: false });
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);
    const form = await screen.findByRole('form', { name: '添加议题' }, LOAD);
    fireEvent.change(within(form).getByLabelText(/^议题/), { target: { value: '楼道照明' } });
    fireEvent.change(within(form).getByLabelText(/^提议人/), { target: { value: '欧阳' } });
    fireEvent.click(await within(form).findByRole('button', { name: /^从名册选用：欧阳提议（/ }, LOAD));
    expect(within(form).getByTestId('person-linked').textContent).toBe('已关联名册：居民');
    fireEvent.click(within(form).getByRole('button', { name: '添加议题' }));
    await waitFor(() =>
      expect(readMeeting(doc, id)?.agenda.find((item) => item.title === '楼道照明')?.proposer).toEqual({
        name: '欧阳提议',
        ref: { kind: 'resident', id: resident },
      }),
    );
    // The form is empty again, with no link left over.
    expect(within(form).getByLabelText<HTMLInputElement>(/^提议人/).value).toBe('');
    expect(within(form).queryByTestId('person-linked')).toBeNull();
  });
});

describe('my action items', () => {
  it('follows the linked registry person, and by name with a hint to link oneself until then', async () => {
    const store = getStore();
    store.actAs({ id: 'account-王记录', name: '王记录', createdBy: null });
    await store.createCommunity({ id: community, name: '测试社区' });
    const me = 'resident-me' as ResidentId;
    const { id, doc, ctx } = await seedMeeting(store);
    const add = (title: string, owner: { name: string; ref?: PersonRef }) =>
      must(addActionItem(doc, ctx, { meetingId: id, title, owner, deadline: '2099-01-01' }));
    add('按名册指派', { name: '王记录', ref: { kind: 'resident', id: me } });
    add('按姓名指派', { name: '王记录' });
    add('同名另一人', { name: '王记录', ref: { kind: 'resident', id: 'resident-other' as ResidentId } });

    renderMeetings(store, <ActionItemsList community={community} />);
    expect((await screen.findByTestId('link-person-hint', {}, LOAD)).textContent).toContain('设置 → 我的身份');
    await waitFor(() => expect(screen.getAllByTestId('my-action-item')).toHaveLength(3));

    await store.setPersonIn(community, { kind: 'resident', id: me });
    await waitFor(() => expect(screen.queryByTestId('link-person-hint')).toBeNull(), LOAD);
    await waitFor(() => expect(screen.getAllByTestId('my-action-item')).toHaveLength(1));
    expect(screen.getByTestId('my-action-item').textContent).toContain('按名册指派');

    renderMeetings(store, <MeetingsDashboard />);
    await waitFor(() => expect(screen.getAllByTestId('dashboard-action-item')).toHaveLength(3), LOAD);
    // The community (and with it the linked person) loads after the first render: wait for the settled list.
    await waitFor(() =>
      expect(
        screen
          .getAllByTestId('dashboard-action-item')
          .filter((row) => row.textContent.includes('我的'))
          .map((row) => row.textContent),
      ).toEqual([expect.stringContaining('按名册指派')]),
    );
  });
});

describe('a new action item', () => {
  it('is owned by the linked registry person by default, so it is on their own list', async () => {
    const store = getStore();
    store.actAs({ id: 'account-设备用户', name: '设备用户', createdBy: null });
    const resident = await residentNamed(store, '欧阳主任');
    await store.setPersonIn(community, { kind: 'resident', id: resident });
    const { id, doc } = await seedMeeting(store);
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />);
    const form = await screen.findByRole('form', { name: '添加落实事项' }, LOAD);
    await waitFor(() => expect(within(form).getByLabelText<HTMLInputElement>(/^责任人/).value).toBe('欧阳主任'), LOAD);
    expect(within(form).getByTestId('person-linked').textContent).toBe('已关联名册：居民');
    fireEvent.change(within(form).getByLabelText(/^事项/), { target: { value: '统计停车需求' } });
    fireEvent.change(within(form).getByLabelText(/^完成期限/), { target: { value: '2099-02-01' } });
    fireEvent.click(within(form).getByRole('button', { name: '添加落实事项' }));
    await waitFor(() =>
      expect(readMeeting(doc, id)?.actionItems.map((a) => a.owner)).toEqual([
        { name: '欧阳主任', ref: { kind: 'resident', id: resident } },
      ]),
    );
    cleanup();
    renderMeetings(store, <ActionItemsList community={community} />);
    expect((await screen.findByTestId('my-action-item', {}, LOAD)).textContent).toContain('统计停车需求');
    expect(screen.queryByTestId('link-person-hint')).toBeNull();
  });
});

describe('paper sign-in sheet and signatures', () => {
  it('attaches photos of the signed sheet, shows one in a dialog that Escape closes, and counts them on the minutes', async () => {
    const store = getStore();
    const { id, doc } = await seedMeeting(store);
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />, '/', [], picking('sheet.png'));
    const section = await screen.findByTestId('sign-in-photos', {}, LOAD);
    expect(section.textContent).toContain('尚未上传纸质签到表照片。');
    fireEvent.click(within(section).getByRole('button', { name: '上传签到表照片' }));
    await waitFor(() => expect(within(section).getAllByTestId('sign-in-photo')).toHaveLength(1), LOAD);
    fireEvent.click(within(section).getByRole('button', { name: '上传签到表照片' }));
    await waitFor(() => expect(within(section).getAllByTestId('sign-in-photo')).toHaveLength(2), LOAD);
    expect(signInPhotos(doc, id).map((p) => p.type)).toEqual(['image/png', 'image/png']);

    fireEvent.click(within(section).getByRole('button', { name: '签到表照片 第2张' }));
    const dialog = await screen.findByRole('dialog');
    const img = within(dialog).getByRole('img');
    expect(img.getAttribute('alt')).toBe('居民代表会议（十一月）纸质签到表照片第2张');
    expect(img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    renderMeetings(store, <PrintView community={community} year={YEAR} id={id} kind="minutes" />);
    const page = await screen.findByTestId('print-page', {}, LOAD);
    await waitFor(() =>
      expect(within(page).getByTestId('print-sign-in-photos').textContent).toBe('纸质签到表照片2张（附后）'),
    );
    expect(within(page).getAllByRole('img', { name: /纸质签到表照片第\d张/ })).toHaveLength(2);
  });

  it('signs with the typed name or a photo of the paper page, asks for ink on the pad, and prints the images', async () => {
    const store = getStore();
    const { id, doc, ctx } = await seedMeeting(store);
    must(finishMeeting(doc, ctx, { meetingId: id }));
    must(submitForReview(doc, ctx, { meetingId: id }));
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={id} />, '/', [], picking('signed.png'));
    const form = await screen.findByRole('form', { name: '登记签字' }, LOAD);
    // The host types their name (the field holds the chair's name): kept as an image of the typed name, shown as the
    // typed name with its caption in China time.
    fireEvent.click(within(form).getByRole('button', { name: '签字' }));
    await waitFor(() => expect(screen.getAllByTestId('typed-signature')).toHaveLength(1), LOAD);
    const host = readMeeting(doc, id)?.signatures.find((s) => s.role === 'host');
    expect(host?.method).toBe('typed');
    expect(readMeetingFile(doc, host?.image)?.data).toMatch(/^data:image\/svg\+xml/);

    // The recorder: the pad without ink is refused; signed on paper, the photo is kept.
    fireEvent.change(within(form).getByLabelText('签字身份'), { target: { value: 'recorder' } });
    fireEvent.click(within(form).getByLabelText('屏幕手写'));
    expect(within(form).getByRole('img', { name: '王记录在此手写签名' })).toBeTruthy();
    fireEvent.click(within(form).getByRole('button', { name: '签字' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('请先在签名框内手写签名。');
    fireEvent.click(within(form).getByLabelText('纸上签字（拍照）'));
    fireEvent.click(within(form).getByRole('button', { name: '拍摄或选择签字页照片' }));
    expect(await within(form).findByText('signed.png')).toBeTruthy();
    fireEvent.click(within(form).getByRole('button', { name: '签字' }));
    await waitFor(() => expect(screen.getAllByTestId('signature-image')).toHaveLength(1), LOAD);
    const recorder = readMeeting(doc, id)?.signatures.find((s) => s.role === 'recorder');
    expect(recorder).toMatchObject({ name: '王记录', method: 'paper' });
    expect(readMeetingFile(doc, recorder?.image)?.type).toBe('image/png');

    renderMeetings(store, <PrintView community={community} year={YEAR} id={id} kind="minutes" />);
    const page = await screen.findByTestId('print-page', {}, LOAD);
    await waitFor(() => expect(within(page).getAllByTestId('print-signature-image')).toHaveLength(1));
    expect(within(page).getAllByTestId('typed-signature')).toHaveLength(1);
    expect(page.textContent).toContain('纸上签字（拍照）');
  });
});
