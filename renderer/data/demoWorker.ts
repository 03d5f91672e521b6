/**
 * Generates the demo community off the main thread, so the window stays responsive (and shows progress) while
 * thousands of residents are made. Posts the finished document as one Yjs update.
 */
import * as Y from 'yjs';
import { DEMO_COMMUNITY_ID } from './storeParts';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { generateDemoTasks } from '@shared/domain/tasks/demo';
import { generateDemoCases } from '@shared/domain/mediation/demo';
import { generateDemoMeetings } from '@shared/domain/meetings/demo';
import { generateDemoServices } from '@shared/domain/services/demo';
import { generateDemoIncidents } from '@shared/domain/incidents/demo';
import { generateDemoParty } from '@shared/domain/party/demo';
import { generateDemoResources } from '@shared/domain/resources/demo';

export interface DemoRequest {
  seed: number;
  residents: number;
  today: string;
}

export interface YearUpdate {
  year: number;
  update: Uint8Array;
}

export type DemoMessage =
  | {
      kind: 'done';
      update: Uint8Array;
      residents: number;
      /** The demo's tasks at every stage (shared/domain/tasks/demo.ts): the update of its tasks document of `year`. */
      tasks: { update: Uint8Array; year: number };
      /** The demo's mediation cases (shared/domain/mediation/demo.ts): the update of each cases document, by year. */
      cases: YearUpdate[];
      /** The demo's meetings (shared/domain/meetings/demo.ts): the update of each meetings document, by year. */
      meetings: YearUpdate[];
      /** The demo's residents' services (shared/domain/services/demo.ts): each services document, by year. */
      services: YearUpdate[];
      /** The demo's grid events (shared/domain/incidents/demo.ts): each grid-events document, by year. */
      incidents: YearUpdate[];
      /** The demo's party-building records (shared/domain/party/demo.ts): each activities document, by year. */
      activities: YearUpdate[];
    }
  | { kind: 'failed'; message: string };

// The renderer's types are the window's; the few worker members used here are described by hand.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DemoRequest>) => void) | null;
  postMessage(message: DemoMessage, options?: { transfer: Transferable[] }): void;
};

scope.onmessage = (event: MessageEvent<DemoRequest>) => {
  try {
    const { doc, counts } = generateDemoCommunity(event.data.seed, {
      residents: event.data.residents,
      today: event.data.today,
    });
    // Units, posts and 三平台 go into the registry before it is encoded; the dated records into activities documents.
    const party = generateDemoParty(event.data.seed, { registry: doc, today: event.data.today });
    // Rooms, projects and fund entries too; bookings into activities documents (docs/resources-model.md).
    const resources = generateDemoResources(event.data.seed, { registry: doc, today: event.data.today });
    const update = Y.encodeStateAsUpdate(doc);
    const tasks = generateDemoTasks(event.data.seed, { community: DEMO_COMMUNITY_ID, today: event.data.today });
    const tasksUpdate = Y.encodeStateAsUpdate(tasks.doc);
    const byYear = (docs: ReadonlyMap<number, Y.Doc>): YearUpdate[] =>
      [...docs].map(([year, d]) => ({ year, update: Y.encodeStateAsUpdate(d) }));
    const demoCases = generateDemoCases(event.data.seed, { registry: doc, today: event.data.today });
    // The five-heads meeting that took up the escalated and the overdue case links them.
    const demoMeetings = generateDemoMeetings(event.data.seed, {
      registry: doc,
      today: event.data.today,
      cases: [demoCases.stages.escalated, demoCases.stages.overdue],
    });
    const cases = byYear(demoCases.docs);
    const meetings = byYear(demoMeetings.docs);
    const services = byYear(
      generateDemoServices(event.data.seed, { community: DEMO_COMMUNITY_ID, registry: doc, today: event.data.today })
        .docs,
    );
    const incidents = byYear(
      generateDemoIncidents(event.data.seed, { community: DEMO_COMMUNITY_ID, registry: doc, today: event.data.today })
        .docs,
    );
    const activities = [...byYear(party.docs), ...byYear(resources.activities)];
    const message: DemoMessage = {
      kind: 'done',
      update,
      residents: counts.residents,
      tasks: { update: tasksUpdate, year: tasks.year },
      cases,
      meetings,
      services,
      incidents,
      activities,
    };
    const buffers = [
      update,
      tasksUpdate,
      ...cases.map((c) => c.update),
      ...meetings.map((m) => m.update),
      ...services.map((m) => m.update),
      ...incidents.map((m) => m.update),
      ...activities.map((m) => m.update),
    ];
    scope.postMessage(message, { transfer: buffers.map((b) => b.buffer as ArrayBuffer) });
  } catch (error) {
    const message: DemoMessage = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    scope.postMessage(message);
  }
};
