/**
 * "My tasks" (我的任务, on 工作台 and in the area's sub-navigation): the instances waiting for the person at the keyboard.
 * What may be done is asked of the machine (`allowedActions`), never recomputed here.
 */
import type { Permission } from '@shared/domain/kernel';
import { allowedActions } from '@shared/domain/tasks/machine';
import type { TaskState } from '@shared/domain/tasks/state';
import type { Person } from '@shared/domain/tasks/types';

export interface Me {
  readonly userId: string;
  readonly userName: string;
  readonly permissions: ReadonlySet<Permission>;
}

/** Why a task waits for me: I hold it, or I may claim it, verify it or decide its extension. */
export type MineReason = 'holder' | 'claim' | 'verify' | 'decide';

/** The person a claim from this account names: the account's name and id (never a typed name). */
export function meAsOwner(me: Pick<Me, 'userId' | 'userName'>): Person {
  return { name: me.userName || me.userId, ref: me.userId };
}

export function isHolder(state: TaskState, me: Pick<Me, 'userId' | 'userName'>): boolean {
  const owner = state.owner;
  if (owner === null) return false;
  return owner.ref !== null ? owner.ref === me.userId : owner.name === me.userName;
}

/** Why the task waits for me today, or null. */
export function mineReason(state: TaskState, me: Me, today: string): MineReason | null {
  const open = state.status === 'published' || state.status === 'claimed' || state.status === 'closing';
  if (!open) return null;
  const allowed = allowedActions(state, me, today);
  if (allowed.includes('verify')) return 'verify';
  if (allowed.includes('decide-extension')) return 'decide';
  if (isHolder(state, me)) return 'holder';
  if (allowed.includes('claim')) return 'claim';
  return null;
}
