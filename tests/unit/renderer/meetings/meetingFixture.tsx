import type { ReactElement } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type * as Y from 'yjs';
import { addAgendaItem, createMeeting, publishNotice, startMeeting } from '@shared/domain/meetings/commands';
import type { CommandContext } from '@shared/domain/kernel';
import type { MeetingType } from '@shared/domain/meetings/types';
import type { DomainError, Result } from '@shared/domain/result';
import { docName, toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { snapshotRegistry } from '@shared/ydoc/registry';
import { StoreProvider } from '../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../renderer/data/store';
import { PlatformProvider, type Platform } from '../../../../renderer/platform';
import { renderUi } from '../render';

// Mantine's autosizing Textarea listens to `document.fonts`, which jsdom lacks: a behaviour-free stand-in.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    configurable: true,
    value: { addEventListener: () => undefined, removeEventListener: () => undefined },
  });
}

export const community: CommunityId = toCommunityId('test-meetings');
export const YEAR = new Date().getFullYear();
export const meetingsName = docName({ community, collection: 'meetings', year: YEAR });

/** A platform that records what was asked to print; `overrides` stand in for the dialogs (a picked file). */
export function testPlatform(printed: unknown[] = [], overrides: Partial<Platform> = {}): Platform {
  return {
    kind: 'browser',
    getAppInfo: () => Promise.resolve({ name: 'test', version: 'test', platform: 'test' } as never),
    saveFile: () => Promise.resolve(null),
    openFile: () => Promise.resolve(null),
    printToPdf: (request) => {
      printed.push(request);
      return Promise.resolve(null);
    },
    onNavigate: () => () => undefined,
    secretStorage: 'indexeddb',
    storeSecret: () => Promise.resolve(),
    loadSecret: () => Promise.resolve(null),
    deleteSecret: () => Promise.resolve(),
    setSyncServer: () => Promise.resolve(false),
    onCloseRequested: () => () => undefined,
    ...overrides,
  };
}

/** Renders meetings screens as the app does: store, platform, i18n, Mantine and a router held in memory. */
export function renderMeetings(
  store: WorkstationStore,
  ui: ReactElement,
  path = '/',
  printed: unknown[] = [],
  platform: Partial<Platform> = {},
) {
  const location = memoryLocation({ path, record: true });
  const result = renderUi(
    <PlatformProvider platform={testPlatform(printed, platform)}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return { ...result, location };
}

export function must<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

/** Tomorrow at 09:00 in China, as an instant. */
export function tomorrowAt9(): string {
  const day = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
  return new Date(`${day}T09:00:00+08:00`).toISOString();
}

/**
 * A residents' representatives meeting of the listed people with one agenda item, created in this year's document
 * through the domain commands and, when `started`, with the notice out and the sign-in sheet made.
 */
export async function seedMeeting(
  store: WorkstationStore,
  options: {
    people?: string[];
    title?: string;
    started?: boolean;
    startsAt?: string;
    type?: MeetingType;
    /** The yearly document to write to (this year's by default). */
    year?: number;
  } = {},
) {
  const doc: Y.Doc = await store.document(docName({ community, collection: 'meetings', year: options.year ?? YEAR }));
  const { doc: registryDoc } = await store.registry(community);
  const registry = snapshotRegistry(registryDoc);
  const ctx: CommandContext = store.commandContext();
  const people = options.people ?? ['代表甲', '代表乙', '代表丙'];
  const startsAt = options.startsAt ?? tomorrowAt9();
  const id = must(
    createMeeting(
      doc,
      ctx,
      {
        type: options.type ?? 'residents-representatives',
        title: options.title ?? '居民代表会议（十一月）',
        scope: { kind: 'list', people: people.map((name) => ({ name })) },
        convener: { name: '张主任' },
        chair: { name: '李主持' },
        recorder: { name: '王记录' },
        startsAt,
        place: '社区议事厅',
      },
      registry,
    ),
  );
  const itemId = must(
    addAgendaItem(doc, ctx, {
      meetingId: id,
      title: '小区停车管理',
      proposer: { name: '代表甲' },
      expectedMinutes: 30,
    }),
  );
  if (options.started ?? true) {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    must(publishNotice(doc, ctx, { meetingId: id, publishedOn: today }));
    // The meeting is set for tomorrow: started early, as confirmed.
    must(startMeeting(doc, ctx, { meetingId: id, early: true }, registry));
  }
  return { doc, ctx, id, itemId, registry };
}
