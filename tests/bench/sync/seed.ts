/**
 * Node side of the sync benchmark: the 2,000 mediation cases (written through `intakeCase`, the domain command the
 * app uses) and the "other device" making remote edits (`updateResident`), both as stock y-websocket clients.
 */
import * as Y from 'yjs';
import { intakeCase, storeCaseFile } from '@shared/domain/mediation/commands';
import { CASE_CATEGORIES, CASE_SOURCES, RISK_LEVELS } from '@shared/domain/mediation/types';
import type { IntakeInput } from '@shared/domain/mediation/inputs';
import { updateResident, type CommandContext } from '@shared/domain/registry/commands';
import type { ResidentId } from '@shared/domain/registry/types';
import { listRecords } from '@shared/ydoc/registry';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { waitFor, whenSynced } from '../../integration/sync-server/harness';

/** A stock y-websocket client in Node, as another device. */
export function connect(url: string, name: string, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(url, name, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
}

/**
 * Disconnects a client made by `connect` and lets its document go. `provider.destroy()` alone leaves the provider's
 * awareness ticking (y-protocols' check interval), and the awareness holds the document: every check of a
 * 100,000-resident registry stayed in memory until the bench ran out of its 8 GiB heap in its third run (2026-12-04).
 * Destroying the document destroys its awareness.
 */
export function release(provider: WebsocketProvider): void {
  provider.destroy();
  provider.doc.destroy();
}

export function benchContext(user: string): CommandContext {
  let n = 0;
  return {
    actor: { userId: user, userName: user, deviceId: `bench-${user}` },
    now: () => new Date(),
    newId: () => `${user}-${(n++).toString(36)}`,
    permissions: new Set(['registry.edit', 'admin']),
  };
}

function intakeInput(i: number, residents: readonly { id: string; name: string; phone: string }[]): IntakeInput {
  const a = residents[(i * 2) % residents.length]!;
  const b = residents[(i * 2 + 1) % residents.length]!;
  return {
    place: { buildingId: null, householdId: null, address: `北湖路${(i % 300) + 1}号` },
    source: CASE_SOURCES[i % CASE_SOURCES.length]!,
    category: CASE_CATEGORIES[i % CASE_CATEGORIES.length]!,
    risk: RISK_LEVELS[i % RISK_LEVELS.length]!,
    parties: [
      { role: 'applicant', name: a.name, phone: a.phone || null, residentId: a.id },
      { role: 'respondent', name: b.name, phone: b.phone || null, residentId: b.id },
    ],
    facts: `第${i + 1}号纠纷：${a.name}反映与${b.name}之间的邻里问题，需要上门核实。`,
  };
}

/** A photo of the scene as the screens keep it: a data URL of `chars` characters of incompressible (JPEG-like) bytes. */
export function photoDataUrl(seed: number, chars: number): string {
  const bytes = new Uint8Array(Math.floor((chars * 3) / 4));
  let a = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    bytes[i] = a >>> 24;
  }
  return `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;
}

export interface CaseOptions {
  /** Ids and actor of the commands; default `benchContext('seed-cases')` (short ids). */
  readonly ctx?: CommandContext;
  /** One case in `attachEvery` gets a photo at intake (`storeCaseFile`, then the case's attachment); 0: none. */
  readonly attachEvery?: number;
  /** Size of each photo as a data URL. */
  readonly photoChars?: number;
}

/**
 * Builds `count` cases in a fresh document through `intakeCase` (one transaction and one audit entry each), some with a
 * photo kept in the document by `storeCaseFile` and attached at intake, as the intake form does.
 */
export function buildCases(count: number, registry: Y.Doc, options: CaseOptions = {}): Y.Doc {
  const residents = listRecords(registry, 'residents').map((r) => ({
    id: r.id,
    name: r.name,
    phone: typeof r.phone === 'string' ? r.phone : '',
  }));
  const doc = new Y.Doc();
  const ctx = options.ctx ?? benchContext('seed-cases');
  const every = options.attachEvery ?? 0;
  for (let i = 0; i < count; i++) {
    const input = intakeInput(i, residents);
    if (every > 0 && i % every === 0) {
      const data = photoDataUrl(i + 1, options.photoChars ?? 24_000);
      const ref = storeCaseFile(doc, ctx, { name: `现场${i + 1}.jpg`, type: 'image/jpeg', data });
      if (!ref.ok) throw new Error(`photo ${i}: ${JSON.stringify(ref.error)}`);
      input.attachments = [{ name: `现场${i + 1}.jpg`, ref: ref.value }];
    }
    const result = intakeCase(doc, ctx, input, null);
    if (!result.ok) throw new Error(`intake ${i}: ${JSON.stringify(result.error)}`);
  }
  return doc;
}

/** The server's state vector of `name`, as a fresh client receives it. */
export async function serverStateVector(
  url: string,
  name: string,
  token: string,
  timeoutMs = 60_000,
): Promise<Map<number, number>> {
  const check = connect(url, name, token);
  try {
    await whenSynced(check, timeoutMs);
    return Y.decodeStateVector(Y.encodeStateVector(check.doc));
  } finally {
    release(check);
  }
}

/**
 * Waits until the server's copy (read by a fresh client) covers `doc`'s state vector. `timeoutMs` bounds each read: a
 * fresh client reading 60 MiB back (bench:scale) takes longer than a minute on a loaded machine.
 */
export async function storedOnServer(
  url: string,
  name: string,
  token: string,
  doc: Y.Doc,
  timeoutMs = 60_000,
): Promise<void> {
  const target = Y.decodeStateVector(Y.encodeStateVector(doc));
  await waitFor(
    async () => {
      const check = connect(url, name, token);
      try {
        await whenSynced(check, timeoutMs);
        const stored = Y.decodeStateVector(Y.encodeStateVector(check.doc));
        return [...target].every(([client, clock]) => (stored.get(client) ?? 0) >= clock);
      } finally {
        release(check);
      }
    },
    Math.max(120_000, 2 * timeoutMs),
    `${name} stored on the server`,
  );
}

/** Pushes a whole document into `name` on the server as another device would, and waits until it is stored. */
export async function pushDoc(
  url: string,
  name: string,
  token: string,
  source: Y.Doc,
  timeoutMs = 60_000,
): Promise<void> {
  const doc = new Y.Doc();
  const provider = connect(url, name, token, doc);
  try {
    await whenSynced(provider, timeoutMs);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    await storedOnServer(url, name, token, doc, timeoutMs);
  } finally {
    release(provider);
  }
}

/** A connected copy of a document from the server (another device). */
export async function openRemote(
  url: string,
  name: string,
  token: string,
  timeoutMs = 60_000,
): Promise<{ doc: Y.Doc; close: () => void }> {
  const provider = connect(url, name, token);
  try {
    await whenSynced(provider, timeoutMs);
  } catch (error) {
    release(provider);
    throw error;
  }
  return { doc: provider.doc, close: () => release(provider) };
}

/** One `updateResident` per resident (its own transaction, as a person saving a form), on the given ids. */
export function editResidents(
  doc: Y.Doc,
  ctx: CommandContext,
  ids: readonly ResidentId[],
  note: (i: number) => string,
): void {
  ids.forEach((id, i) => {
    const result = updateResident(doc, ctx, { id, changes: { note: note(i) } });
    if (!result.ok) throw new Error(`edit ${id}: ${JSON.stringify(result.error)}`);
  });
}
