/**
 * The five-heads chain (五长联动): 楼栋长 → 院长 → 巷长 → 街长 → 片长. A problem starts with the head of its building and
 * goes up the chain; where a post is empty, the next head above steps in.
 *
 * Pure functions over a plain source of zones and buildings: a `RegistrySnapshot`, a renderer projection, or a Y.Doc
 * (read lazily). All walks are cycle-safe: two offline devices can each make a legal move that together form a cycle
 * after the merge, and a reader must not loop on that.
 */
import * as Y from 'yjs';
import { readRecord, listRecords } from '../../ydoc/registry';
import type { Building, BuildingId, HeadLevel, HeadRef, Zone, ZoneId, ZoneLevel } from './types';
import { ZONE_LEVELS } from './types';
import { naturalCompare } from '../naturalOrder';

type ZoneView = Pick<Zone, 'id' | 'level' | 'name' | 'parentId' | 'head'>;
type BuildingView = Pick<Building, 'id' | 'name' | 'zoneId' | 'head'>;

/** Lookup of zones and buildings; a `ReadonlyMap` (as in `RegistrySnapshot`) is one. */
export interface Lookup<T> {
  get(id: string): T | undefined;
  values(): Iterable<T>;
}

export interface FiveHeadsSource {
  readonly zones: Lookup<ZoneView>;
  readonly buildings: Lookup<BuildingView>;
}

function lazyLookup<C extends 'zones' | 'buildings'>(doc: Y.Doc, collection: C) {
  return {
    get: (id: string) => readRecord(doc, collection, id) ?? undefined,
    values: () => listRecords(doc, collection),
  };
}

/** A source over a live document, reading only what a walk touches. */
export function docSource(doc: Y.Doc): FiveHeadsSource {
  return { zones: lazyLookup(doc, 'zones'), buildings: lazyLookup(doc, 'buildings') };
}

function sourceOf(from: Y.Doc | FiveHeadsSource): FiveHeadsSource {
  return from instanceof Y.Doc ? docSource(from) : from;
}

export interface HeadChainLink {
  readonly level: HeadLevel;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly head: HeadRef | null;
}

/**
 * The chain from a building up to the top zone: the building first, then each zone above it in order. Empty when the
 * building is unknown. A building under no zone yields only itself.
 */
export function headChain(from: Y.Doc | FiveHeadsSource, buildingId: BuildingId | string): HeadChainLink[] {
  const source = sourceOf(from);
  const building = source.buildings.get(buildingId);
  if (building === undefined) return [];
  const chain: HeadChainLink[] = [
    { level: 'building', nodeId: building.id, nodeName: building.name, head: building.head ?? null },
  ];
  const seen = new Set<string>();
  for (let zoneId = building.zoneId; zoneId !== null && !seen.has(zoneId);) {
    seen.add(zoneId);
    const zone = source.zones.get(zoneId);
    if (zone === undefined) break; // parent not synced yet, or removed on another device
    chain.push({ level: zone.level, nodeId: zone.id, nodeName: zone.name, head: zone.head ?? null });
    zoneId = zone.parentId;
  }
  return chain;
}

export interface ActingHead {
  readonly link: HeadChainLink;
  readonly head: HeadRef;
  /** True when the building's own post is empty and a head further up steps in. */
  readonly steppingIn: boolean;
}

/** The first non-empty head at or above the building: who handles a matter there now. */
export function actingHead(chain: readonly HeadChainLink[]): ActingHead | null {
  for (const [index, link] of chain.entries()) {
    if (link.head !== null) return { link, head: link.head, steppingIn: index > 0 };
  }
  return null;
}

export interface ZoneTreeNode {
  readonly zone: ZoneView;
  readonly children: readonly ZoneTreeNode[];
  readonly buildings: readonly BuildingView[];
}

export interface ZoneTree {
  readonly roots: readonly ZoneTreeNode[];
  /** Buildings under no zone, or under a zone that is not (yet) in the document. */
  readonly unplacedBuildings: readonly BuildingView[];
}

/** Names in the natural, Chinese-aware order of lists (shared/domain/naturalOrder.ts: 2栋 before 10栋, 第一 before 第二). */
function byName(a: { name: string }, b: { name: string }): number {
  return naturalCompare(a.name, b.name);
}

/**
 * The zone tree for display, children and buildings sorted by name (natural order: 2栋 before 10栋, 第一 before 第二). A zone whose
 * parent is missing is a root. Zones caught in a merged cycle are shown as roots too (the cycle is cut at the zone
 * with the smallest id, the same on every device), so nothing disappears from the screen.
 */
export function zoneTree(from: Y.Doc | FiveHeadsSource): ZoneTree {
  const source = sourceOf(from);
  const zones = [...source.zones.values()];
  const known = new Map(zones.map((z) => [z.id, z]));
  const children = new Map<string | null, ZoneView[]>();
  const rootIds = new Set<string>();
  for (const zone of zones) {
    const parent = zone.parentId !== null && known.has(zone.parentId) ? zone.parentId : null;
    if (parent === null) rootIds.add(zone.id);
    children.set(parent, [...(children.get(parent) ?? []), zone]);
  }
  const buildingsOf = new Map<string, BuildingView[]>();
  const unplaced: BuildingView[] = [];
  for (const building of source.buildings.values()) {
    if (building.zoneId !== null && known.has(building.zoneId)) {
      buildingsOf.set(building.zoneId, [...(buildingsOf.get(building.zoneId) ?? []), building]);
    } else unplaced.push(building);
  }
  const placed = new Set<string>();
  const build = (zone: ZoneView): ZoneTreeNode => {
    placed.add(zone.id);
    const kids = (children.get(zone.id) ?? []).filter((c) => !placed.has(c.id) && !rootIds.has(c.id)).sort(byName);
    return { zone, children: kids.map(build), buildings: [...(buildingsOf.get(zone.id) ?? [])].sort(byName) };
  };
  const roots = zones
    .filter((z) => rootIds.has(z.id))
    .sort(byName)
    .map(build);
  // Whatever is left is in a cycle: cut each at its smallest id so every device shows the same tree.
  const extra: ZoneTreeNode[] = [];
  for (const zone of zones.filter((z) => !placed.has(z.id)).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (!placed.has(zone.id)) {
      rootIds.add(zone.id);
      extra.push(build(zone));
    }
  }
  return { roots: [...roots, ...extra], unplacedBuildings: unplaced.sort(byName) };
}

/** Every zone below a zone (not the zone itself), cycle-safe, nearest first. */
export function descendants(from: Y.Doc | FiveHeadsSource, zoneId: ZoneId | string): ZoneId[] {
  const source = sourceOf(from);
  const children = new Map<string, ZoneId[]>();
  for (const zone of source.zones.values()) {
    if (zone.parentId !== null) children.set(zone.parentId, [...(children.get(zone.parentId) ?? []), zone.id]);
  }
  const out: ZoneId[] = [];
  const seen = new Set<string>([zoneId]);
  const queue: string[] = [zoneId];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Buildings at or below a zone (a head's whole area of responsibility). */
export function buildingsUnder(from: Y.Doc | FiveHeadsSource, zoneId: ZoneId | string): BuildingView[] {
  const source = sourceOf(from);
  const area = new Set<string>([zoneId, ...descendants(source, zoneId)]);
  return [...source.buildings.values()].filter((b) => b.zoneId !== null && area.has(b.zoneId));
}

export function zoneLevelRank(level: ZoneLevel): number {
  return ZONE_LEVELS.indexOf(level);
}
