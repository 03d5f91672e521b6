/**
 * The page of `npm run bench:dashboard`. `?seed`: generates the histories of N communities × 3 years (grid events with
 * their steps, residents' service applications) into the app's own store, sealed as the app keeps it, in the browser
 * profile on disk. Without it: opens that store and draws the app's 数据看板 (renderer/features/overview) inside the
 * app's providers, as the screen is drawn in the app after sign-in; the benchmark measures the drawing from outside.
 * Keys are derived from the community's id (the benchmark has no vault), so a second page opens what the first sealed.
 */
import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import * as Y from 'yjs';
import { nationalCalendar } from '@shared/domain/calendar';
import { addDays, chinaDate } from '@shared/domain/dates';
import { incidentsMap, incidentStepsArray, type StoredStep } from '@shared/ydoc/incidents';
import { INCIDENT_CATEGORIES, REQUEST_KINDS, type IncidentBase } from '@shared/domain/incidents/types';
import { mulberry32 } from '@shared/domain/registry/demo';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { appendApplicationSteps, insertApplication, putServiceItem } from '@shared/ydoc/services';
import { promiseDue } from '@shared/domain/services/state';
import { generateDemoTasks } from '@shared/domain/tasks/demo';
import { listTasks } from '@shared/ydoc/tasks';
import { applicationState } from '@shared/domain/services/state';
import type { KeyRing } from '../../../renderer/data/keyring';
import { StoreProvider } from '../../../renderer/data/hooks';
import { WorkstationStore } from '../../../renderer/data/store';
import { OverviewScreen } from '../../../renderer/features/overview/OverviewScreen';
import { I18nProvider } from '../../../renderer/i18n';
import { detectPlatform, PlatformProvider } from '../../../renderer/platform';
import { theme } from '../../../renderer/ui/theme';

const DB = 'bench-dashboard';

/** AES-GCM keys derived from the community id: the same on every page of the benchmark. */
class DerivedKeyRing implements KeyRing {
  private readonly keys = new Map<string, Promise<CryptoKey>>();
  keyFor(community: string): Promise<CryptoKey> {
    let key = this.keys.get(community);
    if (key === undefined) {
      key = crypto.subtle
        .digest('SHA-256', new TextEncoder().encode(`bench-dashboard:${community}`))
        .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']));
      this.keys.set(community, key);
    }
    return key;
  }
  deviceKey(): Promise<CryptoKey> {
    return this.keyFor('\u0000device');
  }
  forget(community: string): Promise<void> {
    this.keys.delete(community);
    return Promise.resolve();
  }
}

const state = (text: string) => {
  const el = document.getElementById('state');
  if (el) el.textContent = text;
};

const calendar = nationalCalendar();

/** One community's years: grid events as the app writes them (UUID ids, a photo each), and service applications. */
function generate(community: string, c: number, today: string, years: number, perYear: number) {
  const random = mulberry32(20261202 + c);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const first = `${Number(today.slice(0, 4)) - years + 1}-01-01`;
  const span = Math.round((Date.parse(today) - Date.parse(first)) / 86_400_000) + 1;
  const grids = Array.from({ length: 8 }, () => crypto.randomUUID());
  const buildings = Array.from({ length: 40 }, () => crypto.randomUUID());
  const docs = new Map<string, Y.Doc>();
  const docOf = (collection: 'incidents' | 'services', day: string) => {
    const name = docName({ community: toCommunityId(community), collection, year: Number(day.slice(0, 4)) });
    let doc = docs.get(name);
    if (doc === undefined) {
      docs.set(name, (doc = new Y.Doc()));
      if (collection === 'services') {
        doc.transact(() =>
          putServiceItem(doc as Y.Doc, {
            id: 'svc-allowance',
            name: '高龄津贴申领',
            kind: 'government',
            department: '民政',
            promiseDays: 5,
            materials: ['身份证'],
            handler: { name: '孙丽', ref: null },
            commitment: '',
            withdrawn: false,
          }),
        );
      }
    }
    return doc;
  };
  const stamp = (day: string, offset: number, hour: number) => ({
    id: crypto.randomUUID(),
    at: `${addDays(day, offset)}T0${hour}:00:00.000Z`,
    on: addDays(day, offset),
  });
  const office = { userId: 'office', userName: '社区干部' };
  let events = 0;
  let applications = 0;
  for (let n = 0; n < perYear * years; n++) {
    const day = addDays(first, Math.floor(random() * span));
    const base: IncidentBase = {
      id: crypto.randomUUID(),
      community,
      title: '楼道堆放杂物',
      content: '居民反映楼道堆放纸箱，有消防隐患。',
      occurredAt: `${day}T01:00:00.000Z`,
      place: { grid: pick(grids), compound: null, building: pick(buildings), household: null, text: '' },
      category: pick(INCIDENT_CATEGORIES),
      subCategory: '',
      kind: pick(REQUEST_KINDS),
      urgency: 'normal',
      peopleInvolved: 1,
      reporter: { name: '居民', phone: '', anonymous: false },
      source: 'patrol',
      attachments: [`file:${crypto.randomUUID()}`],
      reportedOn: day,
      reportedBy: { userId: `grid-${c}-${n % 8}`, userName: `网格员${n % 8}` },
    };
    const steps: StoredStep[] = [];
    const push = (offset: number, hour: number, body: object) => {
      if (addDays(day, offset) <= today) {
        steps.push({ ...stamp(day, offset, hour), by: office, incidentId: base.id, ...body } as StoredStep);
      }
    };
    push(0, 2, { type: 'accepted' });
    if (random() > 0.1) {
      push(0, 3, { type: 'assigned', to: { kind: 'head', name: `楼栋长${n % 12}`, ref: null }, cc: [] });
      const took = 1 + Math.floor(random() * 20);
      push(took, 2, {
        type: 'close-requested',
        closure: random() < 0.8 ? 'substantive' : 'procedural',
        procedural: null,
        note: '已处理',
        by: { userId: 'head', userName: '楼栋长' },
      });
      push(took + 1, 2, { type: 'closed', onTime: took <= 10, workdaysTaken: took });
      push(took + 2, 2, { type: 'visited', method: 'phone', rating: 1 + Math.floor(random() * 5), comment: '意见' });
    }
    const doc = docOf('incidents', day);
    doc.transact(() => {
      incidentsMap(doc).set(base.id, base);
      incidentStepsArray(doc).push(steps);
    });
    events++;
    // One application for every five events: accepted, most done within the promise, most rated.
    if (n % 5 === 0) {
      const s = docOf('services', day);
      const id = crypto.randomUUID();
      const app = {
        id,
        community,
        itemId: 'svc-allowance',
        itemName: '高龄津贴申领',
        promiseDays: 5,
        applicant: { name: '居民', phone: '', ref: null },
        channel: 'window' as const,
        agent: null,
        note: '',
        materials: [],
        acceptedOn: day,
        acceptedBy: office,
      };
      const took = Math.floor(random() * 8);
      const doneOn = addDays(day, took);
      const done = {
        ...stamp(day, took, 3),
        by: office,
        applicationId: id,
        type: 'done' as const,
        result: '已办结',
        workdaysTaken: took,
      };
      const rated = {
        ...stamp(day, took + 1, 4),
        by: office,
        applicationId: id,
        type: 'rated' as const,
        rating: 1 + Math.floor(random() * 5),
        comment: '意见',
      };
      s.transact(() => {
        insertApplication(s, app);
        if (doneOn <= today) appendApplicationSteps(s, addDays(day, took + 1) <= today ? [done, rated] : [done]);
      });
      // A look at the promise, so a generator error in dates shows here and not as a strange figure.
      promiseDue(applicationState(app, []), calendar);
      applications++;
    }
  }
  return { docs, events, applications };
}

declare global {
  interface Window {
    dashboardBench: {
      seed(
        communities: number,
        years: number,
        perYear: number,
      ): Promise<{ events: number; applications: number; tasks: number }>;
      /** Removes every community's kept figures (as on a new day: none is current). */
      forgetParts(): Promise<number>;
      /** How many communities' figures of the period `code` are kept on disk. */
      partsKept(code: string): Promise<number>;
    };
  }
}

async function openStore(): Promise<WorkstationStore> {
  return WorkstationStore.open(DB, { keys: new DerivedKeyRing() });
}

window.dashboardBench = {
  async seed(communities, years, perYear) {
    const store = await openStore();
    const today = chinaDate(new Date());
    let events = 0;
    let applications = 0;
    let tasks = 0;
    for (let c = 0; c < communities; c++) {
      const id = `community-${String(c).padStart(2, '0')}`;
      await store.createCommunity({ id, name: `社区${String(c).padStart(2, '0')}` });
      // Opened as the app's screens open it: its calendar layers are kept for the dashboard (renderer/data/figureRows.ts).
      await store.document(docName({ community: toCommunityId(id), collection: 'registry' }));
      const made = generate(id, c, today, years, perYear);
      for (const [name, doc] of made.docs)
        Y.applyUpdate(await store.document(name), Y.encodeStateAsUpdate(doc), 'bench');
      // Tasks feed the KPI cards too: the demo's instances at every stage (about twenty), this year.
      const demo = generateDemoTasks(c + 1, { community: id, today });
      const tasksName = docName({ community: toCommunityId(id), collection: 'tasks', year: demo.year });
      Y.applyUpdate(await store.document(tasksName), Y.encodeStateAsUpdate(demo.doc), 'bench');
      tasks += listTasks(demo.doc).length;
      events += made.events;
      applications += made.applications;
      await store.docs.flush();
    }
    await store.setCurrentCommunity(toCommunityId('community-00'));
    await store.flush();
    await store.close();
    return { events, applications, tasks };
  },
  async forgetParts() {
    const store = await openStore();
    try {
      return await store.db.recordBuckets.filter((r) => r.docName.includes('#part:')).delete();
    } finally {
      await store.close();
    }
  },
  async partsKept(code) {
    // Read with IndexedDB itself: another page may hold the store open.
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(DB);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('not opened'));
    });
    try {
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const request = db.transaction('recordBuckets').objectStore('recordBuckets').getAllKeys();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('not read'));
      });
      return keys.filter((k) => Array.isArray(k) && typeof k[0] === 'string' && k[0].endsWith(`#part:${code}`)).length;
    } finally {
      db.close();
    }
  },
};

if (new URLSearchParams(location.search).has('seed')) {
  state('ready');
} else {
  performance.mark('bench:start');
  void openStore().then((store) => {
    performance.mark('bench:store-open');
    const container = document.getElementById('root');
    if (!container) throw new Error('no #root');
    state('drawing');
    createRoot(container).render(
      <StrictMode>
        <MantineProvider theme={theme}>
          <I18nProvider initial="zh-CN">
            <PlatformProvider platform={detectPlatform()}>
              <StoreProvider store={store}>
                <Router hook={memoryLocation({ path: '/' }).hook}>
                  <OverviewScreen />
                </Router>
              </StoreProvider>
            </PlatformProvider>
          </I18nProvider>
        </MantineProvider>
      </StrictMode>,
    );
  });
}
