/**
 * Fixtures of the resources tests: a registry with a few residents (some party members) and venues, an activities
 * document, contexts by role, and result helpers. Values come from counters, never pasted.
 */
import * as Y from 'yjs';
import type { CommandContext, CommandResult, Permission } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import { createVenue, venuesEnv, type VenuesEnv } from '@shared/domain/resources/venues';
import { insertRecord } from '@shared/ydoc/registry';

let ids = 0;

export function makeCtx(permissions: readonly Permission[], userName = '社区干部', day = '2026-05-01'): CommandContext {
  return {
    actor: { userId: `u-${userName}`, userName, deviceId: `dev-${userName}` },
    now: () => new Date(`${day}T02:00:00Z`),
    newId: () => `id-${String(++ids).padStart(6, '0')}`,
    permissions: new Set(permissions),
  };
}

export const editor = (name = '社区干部') => makeCtx(['resources.edit'], name);
export const admin = () => makeCtx(['admin'], '社区书记');
export const viewer = () => makeCtx([], '查看者');

export function unwrap<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function errorOf<T>(result: CommandResult<T>): DomainError {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** A registry with `count` residents (`r-1`…); the odd ones are party members; `r-gone` is soft-deleted. */
export function registryWithResidents(count = 6): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (let i = 1; i <= count; i += 1) {
      insertRecord(doc, 'residents', `r-${i}`, {
        id: `r-${i}`,
        name: `居民${i}`,
        tags: i % 2 === 1 ? ['party-member'] : [],
        deletedAt: null,
      });
    }
    insertRecord(doc, 'residents', 'r-gone', {
      id: 'r-gone',
      name: '已迁出',
      tags: ['party-member'],
      deletedAt: '2026-01-01',
    });
  });
  return doc;
}

/** A registry with one room of `capacity` seats; returns the doc, the room's id and the booking environment. */
export function registryWithRoom(capacity = 40): { registry: Y.Doc; roomId: string; env: () => VenuesEnv } {
  const registry = registryWithResidents();
  const roomId = unwrap(createVenue(registry, editor(), { name: '多功能活动室', capacity, equipment: ['投影仪'] }));
  return { registry, roomId, env: () => venuesEnv(registry) };
}
