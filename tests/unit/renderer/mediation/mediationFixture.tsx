import type { ReactElement } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import { intakeCase, recordCaseSession, signCaseSession } from '@shared/domain/mediation/commands';
import type { CaseId, SessionId, Signer } from '@shared/domain/mediation/types';
import type { IntakeInput } from '@shared/domain/mediation/inputs';
import {
  createBuilding,
  createCompound,
  createVolunteer,
  createZone,
  setCommunityMeta,
  type CommandContext,
} from '@shared/domain/registry/commands';
import type { DomainError, Result } from '@shared/domain/result';
import { docName, toCommunityId, type CommunityId } from '@shared/ydoc/docName';
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

export const community: CommunityId = toCommunityId('test-mediation');
export const YEAR = Number(chinaDate(new Date()).slice(0, 4));
export const casesName = docName({ community, collection: 'cases', year: YEAR });

export function must<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

export interface TestPlatformLog {
  printed: unknown[];
  saved: { defaultName: string; content: Uint8Array }[];
  /** Files the person "picks" next, in order. */
  toOpen?: { name: string; bytes: Uint8Array }[];
}

export function testPlatform(log: TestPlatformLog = { printed: [], saved: [] }): Platform {
  return {
    kind: 'browser',
    getAppInfo: () => Promise.resolve({ name: 'test', version: 'test', platform: 'test' } as never),
    saveFile: (request) => {
      log.saved.push({ defaultName: request.defaultName, content: request.content as Uint8Array });
      return Promise.resolve({ path: request.defaultName, bytes: 1 });
    },
    openFile: () => {
      const next = log.toOpen?.shift();
      return Promise.resolve(next ? { path: next.name, name: next.name, bytes: next.bytes } : null);
    },
    printToPdf: (request) => {
      log.printed.push(request);
      return Promise.resolve(null);
    },
    onNavigate: () => () => undefined,
    secretStorage: 'indexeddb',
    storeSecret: () => Promise.resolve(),
    loadSecret: () => Promise.resolve(null),
    deleteSecret: () => Promise.resolve(),
    setSyncServer: () => Promise.resolve(false),
    onCloseRequested: () => () => undefined,
  };
}

/** Renders mediation screens as the app does: store, platform, i18n, Mantine and a router held in memory. */
export function renderMediation(store: WorkstationStore, ui: ReactElement, path = '/', log?: TestPlatformLog) {
  const location = memoryLocation({ path, record: true });
  const result = renderUi(
    <PlatformProvider platform={testPlatform(log)}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return { ...result, location };
}

/**
 * A small five-heads tree in the registry: 东片区 → 和平街 → 和平一巷 → 1号院 (head 刘院长) → 3栋 (head 周楼长), in
 * 顺庆区 so case numbers read (2026)顺人调字第 N 号.
 */
export async function seedRegistry(store: WorkstationStore) {
  const ctx = store.commandContext();
  const { doc } = await store.registry(community);
  must(setCommunityMeta(doc, ctx, { communityName: '西河社区', streetName: '中城街道', districtName: '顺庆区' }));
  const area = must(createZone(doc, ctx, { level: 'area', name: '东片区' }));
  const street = must(createZone(doc, ctx, { level: 'street', name: '和平街', parentId: area }));
  const lane = must(createZone(doc, ctx, { level: 'lane', name: '和平一巷', parentId: street }));
  const courtyardHead = must(createVolunteer(doc, ctx, { name: '刘院长', phone: '13900001111' }));
  const buildingHead = must(createVolunteer(doc, ctx, { name: '周楼长', phone: '13900002222' }));
  const courtyard = must(
    createZone(doc, ctx, {
      level: 'courtyard',
      name: '1号院',
      parentId: lane,
      head: { kind: 'volunteer', id: courtyardHead },
    }),
  );
  const compound = must(createCompound(doc, ctx, { name: '北湖老院', kind: 'old' }));
  const building = must(
    createBuilding(doc, ctx, {
      compoundId: compound,
      name: '3栋',
      zoneId: courtyard,
      head: { kind: 'volunteer', id: buildingHead },
    }),
  );
  await store.flush();
  return { registry: doc, building, courtyard, lane };
}

let partySeq = 0;
export function intake(overrides: Partial<IntakeInput> = {}): IntakeInput {
  partySeq++;
  return {
    place: { buildingId: null, householdId: null, address: `北湖路${partySeq}号` },
    source: 'resident-request',
    category: 'water-leak',
    risk: 'yellow',
    parties: [
      { role: 'applicant', name: `申请${partySeq}`, phone: '13911112222', address: '3栋201' },
      { role: 'respondent', name: `被申${partySeq}`, address: '3栋301' },
    ],
    facts: '楼上漏水到楼下',
    ...overrides,
  };
}

/** Registers a case in this year's document through the domain command, optionally at a chosen instant. */
export async function seedCase(
  store: WorkstationStore,
  input: IntakeInput = intake(),
  options: { registry?: Y.Doc | null; now?: Date; ctx?: CommandContext } = {},
): Promise<CaseId> {
  const doc = await store.document(casesName);
  const base = options.ctx ?? store.commandContext();
  const ctx = options.now ? { ...base, now: () => options.now as Date } : base;
  return must(intakeCase(doc, ctx, input, options.registry ?? null));
}

/** A signature drawn on screen, as the tests sign. */
export const INK = { kind: 'on-screen', image: 'data:image/png;base64,AA==' } as const;

/**
 * Records a mediation session (调解笔录) on a case through the domain commands, signed by `signers`; `fields` replace
 * the defaults of the record. Returns the session id.
 */
export async function seedSession(
  store: WorkstationStore,
  caseId: CaseId,
  { signers = [], ...fields }: { signers?: readonly Signer[] } & Record<string, unknown> = {},
): Promise<SessionId> {
  const doc = await store.document(casesName);
  const ctx = store.commandContext();
  const recorded = must(
    recordCaseSession(doc, ctx, {
      caseId,
      at: new Date().toISOString(),
      place: '社区',
      presentPartyIds: [],
      mediatorName: '赵调解',
      recorderName: '周楼长',
      result: '同意修复',
      ...fields,
    }),
  );
  const sessionId = Object.values(recorded.sessions).at(-1)!.id;
  for (const signer of signers) must(signCaseSession(doc, ctx, { caseId, sessionId, signer, signature: INK }));
  return sessionId;
}
