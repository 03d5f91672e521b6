/**
 * An event becomes a meeting's agenda item or a task with one action, linked both ways (issue 20): the event's page
 * makes it and keeps the link, and the meeting's and case's pages show the event as their source.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '@shared/domain/dates';
import { linkIncident, reportIncident, type IncidentsEnv } from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { nationalCalendar } from '@shared/domain/calendar';
import { docName } from '@shared/ydoc/docName';
import { readIncident } from '@shared/ydoc/incidents';
import { readMeeting } from '@shared/ydoc/meetings';
import { listTasks } from '@shared/ydoc/tasks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { FromEvent } from '../../../../../renderer/features/event-links';
import { IncidentPage } from '../../../../../renderer/features/incidents/IncidentPage';
import { MeetingPage } from '../../../../../renderer/features/meetings/MeetingPage';
import { TaskPage } from '../../../../../renderer/features/tasks/TaskPage';
import { community, must, renderMeetings, seedMeeting } from '../../meetings/meetingFixture';
import { LOAD, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const YEAR = Number(chinaDate(new Date()).slice(0, 4));
const env: IncidentsEnv = { calendar: nationalCalendar(), limits: DEFAULT_LIMITS };
const eventsName = docName({ community, collection: 'incidents', year: YEAR });

async function reportEvent(store: WorkstationStore, title: string): Promise<string> {
  const doc = await store.document(eventsName);
  return must(
    reportIncident(doc, store.commandContext(), {
      community,
      title,
      content: '多位居民反映，需要社区统一商议。',
      occurredAt: new Date().toISOString(),
      place: { grid: null, compound: null, building: null, household: null, text: '5栋' },
      category: 'opinion',
      subCategory: '',
      kind: 'suggestion',
      urgency: 'normal',
      peopleInvolved: 12,
      reporter: { name: '', phone: '', anonymous: true },
      source: 'resident',
      attachments: [],
    }),
  );
}

async function linksOf(store: WorkstationStore, id: string) {
  return readIncident(await store.document(eventsName), id, DEFAULT_LIMITS)?.links ?? [];
}

describe('an event made into a meeting item or a task, linked both ways', { timeout: 60_000 }, () => {
  it('puts the event on the agenda of a meeting being prepared, and the meeting page shows the event', async () => {
    const store = getStore();
    const { id: meetingId } = await seedMeeting(store, { started: false, title: '居民议事会（十二月）' });
    const id = await reportEvent(store, '5栋电梯加装意见不一');
    const view = renderMeetings(store, <IncidentPage community={community} year={YEAR} id={id} />);
    fireEvent.click(await screen.findByRole('button', { name: '列入会议议题' }, LOAD));
    const form = await screen.findByTestId('add-to-agenda', undefined, LOAD);
    const select = await within(form).findByLabelText('会议', undefined, LOAD);
    await waitFor(() => expect(within(select).getByRole('option').textContent).toContain('居民议事会（十二月）'), LOAD);
    expect(within(form).getByLabelText(/议题/)).toHaveProperty('value', '5栋电梯加装意见不一');
    fireEvent.change(within(form).getByLabelText(/提议人/), { target: { value: '网格员周敏' } });
    fireEvent.click(within(form).getByRole('button', { name: '列入议题' }));
    await waitFor(
      async () => expect(await linksOf(store, id)).toEqual([{ link: 'meeting', recordId: `${YEAR}/${meetingId}` }]),
      LOAD,
    );
    const meeting = readMeeting(
      await store.document(docName({ community, collection: 'meetings', year: YEAR })),
      meetingId,
    );
    expect(meeting?.agenda.map((i) => [i.title, i.proposer.name])).toEqual([
      ['小区停车管理', '代表甲'],
      ['5栋电梯加装意见不一', '网格员周敏'],
    ]);
    // The event's page links to the meeting; the meeting's page names the event.
    const link = await screen.findByRole('link', { name: new RegExp(`会议议题 ${YEAR}/`) }, LOAD);
    expect(link.getAttribute('href')).toContain(`/meetings/m/${YEAR}/${meetingId}`);
    view.unmount();
    renderMeetings(store, <MeetingPage community={community} year={YEAR} id={meetingId} />);
    const from = await screen.findByTestId('from-event', undefined, LOAD);
    expect(from.textContent).toContain('网格事件「5栋电梯加装意见不一」');
    expect(within(from).getByRole('link').getAttribute('href')).toContain(
      `/events/e/${YEAR}/${encodeURIComponent(id)}`,
    );
  });

  it('says so when no meeting takes agenda items, and links nothing', async () => {
    const store = getStore();
    const id = await reportEvent(store, '广场舞噪音');
    renderMeetings(store, <IncidentPage community={community} year={YEAR} id={id} />);
    fireEvent.click(await screen.findByRole('button', { name: '列入会议议题' }, LOAD));
    expect((await screen.findByTestId('add-to-agenda-none', undefined, LOAD)).textContent).toContain('没有正在筹备');
    expect(screen.getByRole('button', { name: '列入议题' })).toHaveProperty('disabled', true);
    expect(await linksOf(store, id)).toEqual([]);
  });

  it('makes a one-off task of this year whose basis names the event, and links it', async () => {
    const store = getStore();
    const id = await reportEvent(store, '3栋外墙脱落');
    const view = renderMeetings(store, <IncidentPage community={community} year={YEAR} id={id} />);
    fireEvent.click(await screen.findByRole('button', { name: '转为督办任务' }, LOAD));
    const form = await screen.findByTestId('task-from-record', undefined, LOAD);
    fireEvent.change(within(form).getByLabelText(/牵头单位/), { target: { value: '社区两委' } });
    fireEvent.change(within(form).getByLabelText(/责任人/), { target: { value: '王网格' } });
    fireEvent.click(within(form).getByRole('button', { name: '下达任务' }));
    await waitFor(async () => expect(await linksOf(store, id)).toHaveLength(1), LOAD);
    const [kept] = await linksOf(store, id);
    const tasks = listTasks(await store.document(docName({ community, collection: 'tasks', year: YEAR })));
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(kept).toEqual({ link: 'task', recordId: `${YEAR}/${task.id}` });
    expect(task.template.basis).toContain('网格事件：3栋外墙脱落');
    expect(task.template.lead).toBe('社区两委');
    expect(task.template.responsible.name).toBe('王网格');
    expect(task.period).toBe(String(YEAR));
    const link = await screen.findByRole('link', { name: new RegExp(`督办任务 ${YEAR}/`) }, LOAD);
    expect(link.getAttribute('href')).toContain(`/tasks/t/${YEAR}/`);
    view.unmount();
    // The task's page names the event it came from.
    renderMeetings(store, <TaskPage community={community} year={YEAR} id={task.id} />);
    const from = await screen.findByTestId('from-event', undefined, LOAD);
    expect(from.textContent).toContain('网格事件「3栋外墙脱落」');
  });

  it("shows on a case's page the event it came from, and nothing for a case made otherwise", async () => {
    const store = getStore();
    const id = await reportEvent(store, '邻里漏水纠纷');
    must(
      linkIncident(
        await store.document(eventsName),
        store.commandContext(),
        { incidentId: id, link: 'case', recordId: `${YEAR}/case-1` },
        env,
      ),
    );
    renderMeetings(store, <FromEvent community={community} link="case" year={YEAR} id="case-1" />);
    expect((await screen.findByTestId('from-event', undefined, LOAD)).textContent).toContain(
      '网格事件「邻里漏水纠纷」',
    );
    renderMeetings(store, <FromEvent community={community} link="case" year={YEAR} id="case-2" />);
    // The second render has no source: only the first one's line is on screen.
    await waitFor(() => expect(screen.getAllByTestId('from-event')).toHaveLength(1), LOAD);
  });
});
