/**
 * Fixture builders for registry tests: a command context with a fake clock and counter ids, and a small registry
 * written through the commands. Values are generated (makeIdNumber, counters), never pasted.
 */
import * as Y from 'yjs';
import {
  createBuilding,
  createCompound,
  createEntrance,
  createHousehold,
  createResident,
  createVolunteer,
  createZone,
} from '@shared/domain/registry/commands';
import type { CommandContext, Permission } from '@shared/domain/kernel';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import type { HouseholdId, Sex } from '@shared/domain/registry/types';
import type { DomainError, Result } from '@shared/domain/result';

export const TODAY = '2026-03-01';

export function unwrap<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function errorOf<T>(result: Result<T, DomainError>): DomainError {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

export interface TestContext extends CommandContext {
  /** Moves the fake clock forward. */
  advance(ms: number): void;
}

export function makeCtx(
  options: { user?: string; device?: string; permissions?: Permission[]; start?: string; idPrefix?: string } = {},
): TestContext {
  let now = new Date(options.start ?? `${TODAY}T02:00:00.000Z`).getTime();
  let n = 0;
  const user = options.user ?? 'u1';
  return {
    actor: { userId: user, userName: `name-${user}`, deviceId: options.device ?? `dev-${user}` },
    now: () => new Date(now),
    newId: () => `${options.idPrefix ?? user}-${(n++).toString(36)}`,
    permissions: new Set(options.permissions ?? ['registry.edit', 'registry.reveal', 'registry.special-care', 'admin']),
    advance: (ms) => {
      now += ms;
    },
  };
}

let seq = 0;
/** A fresh valid ID number for a person of the given sex and birth date. */
export function freshId(sex: Sex = 'male', birthDate = '1980-05-17', region = '511302'): string {
  seq++;
  return makeIdNumber(region, birthDate, seqForSex(seq, sex));
}

/** A small registry: one old compound with a courtyard tree, one building, one entrance, one household. */
export function smallRegistry(ctx: TestContext = makeCtx()) {
  const doc = new Y.Doc();
  const area = unwrap(createZone(doc, ctx, { level: 'area', name: '东片区' }));
  const street = unwrap(createZone(doc, ctx, { level: 'street', name: '和平街', parentId: area }));
  const lane = unwrap(createZone(doc, ctx, { level: 'lane', name: '和平街一巷', parentId: street }));
  const courtyard = unwrap(createZone(doc, ctx, { level: 'courtyard', name: '1号院', parentId: lane }));
  const compound = unwrap(createCompound(doc, ctx, { name: '北湖老院', kind: 'old', address: '北湖路12号' }));
  const building = unwrap(
    createBuilding(doc, ctx, { compoundId: compound, name: '3栋', zoneId: courtyard, floors: 6 }),
  );
  const entrance = unwrap(createEntrance(doc, ctx, { buildingId: building, name: '1单元' }));
  const household = unwrap(
    createHousehold(doc, ctx, { buildingId: building, entranceId: entrance, doorNumber: '301', floorArea: 68.5 }),
  );
  const volunteer = unwrap(createVolunteer(doc, ctx, { name: '志愿者甲', phone: '13900001111' }));
  return { doc, ctx, area, street, lane, courtyard, compound, building, entrance, household, volunteer };
}

export function addResident(
  doc: Y.Doc,
  ctx: CommandContext,
  household: HouseholdId,
  overrides: Record<string, unknown> = {},
) {
  return createResident(doc, ctx, {
    name: '张三',
    idNumber: freshId(),
    phone: '13812345678',
    householdId: household,
    relation: 'other',
    ...overrides,
  });
}
