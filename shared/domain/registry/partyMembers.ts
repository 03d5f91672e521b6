/**
 * How many party members an organisation counts (党组织, docs/domain.md): a committee usually has no members of its own,
 * its members are its branches' and their groups'. Each member is counted once, whatever the depth or however many
 * organisations list them; a broken parent link (arrived by sync) cannot loop.
 */
import type { ResidentId } from './types';

export interface PartyOrgLink {
  readonly id: string;
  readonly parentId: string | null;
  readonly memberIds: readonly ResidentId[];
}

/** The members of `rootId` and of every organisation under it, each once; empty when `rootId` is unknown. */
export function membersWithBelow(orgs: readonly PartyOrgLink[], rootId: string): ResidentId[] {
  const children = new Map<string, PartyOrgLink[]>();
  for (const org of orgs) {
    if (org.parentId === null) continue;
    const list = children.get(org.parentId) ?? [];
    list.push(org);
    children.set(org.parentId, list);
  }
  const members = new Set<ResidentId>();
  const seen = new Set<string>();
  const stack = orgs.filter((org) => org.id === rootId);
  for (let org = stack.pop(); org !== undefined; org = stack.pop()) {
    if (seen.has(org.id)) continue;
    seen.add(org.id);
    org.memberIds.forEach((id) => members.add(id));
    stack.push(...(children.get(org.id) ?? []));
  }
  return [...members];
}

/** True when another organisation names `id` as its parent. */
export function hasOrgsBelow(orgs: readonly PartyOrgLink[], id: string): boolean {
  return orgs.some((org) => org.parentId === id);
}
