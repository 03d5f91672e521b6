/**
 * Fixture builders for mediation tests: chains, intake inputs and whole cases walked through the machine. Values are
 * generated from counters and a seeded random source, never pasted.
 */
import * as Y from 'yjs';
import { setBuildingHead, setZoneHead } from '@shared/domain/registry/commands';
import { intake, type MachineContext } from '@shared/domain/mediation/machine';
import type { ChainLink, MediationCase, MediationLevel } from '@shared/domain/mediation/types';
import type { IntakeInput, PartyInput } from '@shared/domain/mediation/inputs';
import type { HeadRef, VolunteerId } from '@shared/domain/registry/types';
import { makeCtx, smallRegistry, unwrap, type TestContext } from '../registry/fixtures';

export { errorOf, makeCtx, unwrap, type TestContext } from '../registry/fixtures';

const HEAD_LEVELS = ['building', 'courtyard', 'lane', 'street', 'area'] as const;

/** A frozen chain with heads at the given levels (others empty), as `headChain` would give it. */
export function chainWith(filled: readonly MediationLevel[]): ChainLink[] {
  return HEAD_LEVELS.map((level, i) => ({
    level,
    nodeId: `node-${level}`,
    nodeName: `${level}-${i}`,
    head: filled.includes(level) ? { kind: 'volunteer' as const, id: `head-${level}` as VolunteerId } : null,
  }));
}

let partySeq = 0;
export function party(role: PartyInput['role'], overrides: Partial<PartyInput> = {}): PartyInput {
  partySeq++;
  return {
    role,
    name: `${role === 'applicant' ? '申' : '被'}${partySeq}`,
    sex: partySeq % 2 === 0 ? 'female' : 'male',
    age: 20 + (partySeq % 60),
    phone: `139${String(10_000_000 + partySeq).slice(-8)}`,
    address: `北湖路${partySeq}号`,
    ...overrides,
  };
}

export function intakeInput(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    place: { buildingId: null, householdId: null, address: '北湖路12号' },
    source: 'resident-request',
    category: 'water-leak',
    risk: 'yellow',
    parties: [party('applicant'), party('respondent')],
    facts: '楼上漏水到楼下',
    ...overrides,
  };
}

/** A registered case made by the pure machine. */
export function registered(
  ctx: MachineContext = makeCtx(),
  options: { chain?: ChainLink[]; number?: number; input?: Partial<IntakeInput> } = {},
): MediationCase {
  return unwrap(
    intake(
      intakeInput(options.input),
      { chain: options.chain ?? chainWith(HEAD_LEVELS), number: options.number ?? 1 },
      ctx,
    ),
  );
}

export function screen(image = 'data:image/png;base64,AAAA') {
  return { kind: 'on-screen' as const, image };
}

export function paper(photo = 'file:signed-page.jpg') {
  return { kind: 'on-paper' as const, photo };
}

/** The registry of registry/fixtures with volunteer heads on the chosen levels of its building's chain. */
export function registryWithHeads(ctx: TestContext = makeCtx(), filled: readonly MediationLevel[] = HEAD_LEVELS) {
  const world = smallRegistry(ctx);
  const head: HeadRef = { kind: 'volunteer', id: world.volunteer };
  if (filled.includes('building')) unwrap(setBuildingHead(world.doc, ctx, { id: world.building, head }));
  const zones = { courtyard: world.courtyard, lane: world.lane, street: world.street, area: world.area } as const;
  for (const [level, id] of Object.entries(zones)) {
    if (filled.includes(level as MediationLevel)) unwrap(setZoneHead(world.doc, ctx, { id, head }));
  }
  return world;
}

/** Two documents that exchange their full state both ways (an offline period ending). */
export function sync(a: Y.Doc, b: Y.Doc): void {
  const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, fromA, 'sync');
  Y.applyUpdate(a, fromB, 'sync');
}
