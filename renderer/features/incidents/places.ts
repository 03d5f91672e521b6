/**
 * The registry's places as the grid-event screens offer them: grids, compounds, buildings (with their grid and 楼栋长),
 * households, and the heads an event may be handed to. Read from the community's registry document (small next to the
 * residents: a few hundred places), live.
 */
import { useCallback } from 'react';
import type * as Y from 'yjs';
import type { HeadRef } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { listRecords, readRecord } from '@shared/ydoc/registry';
import { useRegistryValue } from '../../data/hooks';

export interface PlaceOption {
  readonly id: string;
  readonly name: string;
}

export interface BuildingOption extends PlaceOption {
  readonly compoundId: string;
  readonly gridId: string | null;
}

export interface HouseholdOption extends PlaceOption {
  readonly buildingId: string;
}

/** A head of the five-heads chain (or a grid worker) an event may be handed to. */
export interface HeadOption {
  /** The registry person (`resident:<id>` / `volunteer:<id>`). */
  readonly ref: string;
  readonly name: string;
  /** Where they are head: `锦江花园 3栋 楼栋长`, `北湖街 街长`. */
  readonly post: string;
  /** The building they are 楼栋长 of; null for a head of a zone. */
  readonly buildingId: string | null;
}

export interface Places {
  readonly grids: readonly PlaceOption[];
  readonly compounds: readonly PlaceOption[];
  readonly buildings: readonly BuildingOption[];
  readonly households: readonly HouseholdOption[];
  readonly heads: readonly HeadOption[];
  /** The name of a place by id (any kind), for the event's page. */
  readonly nameOf: (id: string | null) => string | null;
}

const byName = (a: PlaceOption, b: PlaceOption) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true });

function personName(doc: Y.Doc, head: HeadRef): string | null {
  const record =
    head.kind === 'resident' ? readRecord(doc, 'residents', head.id) : readRecord(doc, 'volunteers', head.id);
  return record !== null && typeof record.name === 'string' ? record.name : null;
}

/** Reads the places of a registry document. */
export function placesOf(doc: Y.Doc, headWord: (level: string) => string): Places {
  const grids = listRecords(doc, 'grids').map((g) => ({ id: g.id, name: g.name }));
  const compounds = listRecords(doc, 'compounds').map((c) => ({ id: c.id, name: c.name }));
  const compoundName = new Map(compounds.map((c) => [c.id, c.name]));
  const buildingRecords = listRecords(doc, 'buildings');
  const buildings = buildingRecords.map((b) => ({
    id: b.id,
    name: `${compoundName.get(b.compoundId) ?? ''} ${b.name}`.trim(),
    compoundId: b.compoundId,
    gridId: b.gridId,
  }));
  const buildingName = new Map(buildings.map((b) => [b.id, b.name]));
  const households = listRecords(doc, 'households').map((h) => ({
    id: h.id,
    name: `${buildingName.get(h.buildingId) ?? ''} ${h.doorNumber}`.trim(),
    buildingId: h.buildingId,
  }));
  const heads: HeadOption[] = [];
  for (const b of buildingRecords) {
    if (b.head === null) continue;
    const name = personName(doc, b.head);
    if (name !== null) {
      heads.push({
        ref: `${b.head.kind}:${b.head.id}`,
        name,
        post: `${buildingName.get(b.id) ?? b.name} ${headWord('building')}`,
        buildingId: b.id,
      });
    }
  }
  for (const z of listRecords(doc, 'zones')) {
    if (z.head === null) continue;
    const name = personName(doc, z.head);
    if (name !== null)
      heads.push({
        ref: `${z.head.kind}:${z.head.id}`,
        name,
        post: `${z.name} ${headWord(z.level)}`,
        buildingId: null,
      });
  }
  const names = new Map<string, string>([
    ...grids.map((g) => [g.id, g.name] as const),
    ...compounds.map((c) => [c.id, c.name] as const),
    ...buildings.map((b) => [b.id, b.name] as const),
    ...households.map((h) => [h.id, h.name] as const),
  ]);
  return {
    grids: grids.sort(byName),
    compounds: compounds.sort(byName),
    buildings: buildings.sort(byName),
    households: households.sort(byName),
    // Building heads first (the usual hands of a grid event), then the heads of the zones above them.
    heads: heads.sort(
      (a, b) =>
        Number(a.buildingId === null) - Number(b.buildingId === null) ||
        a.post.localeCompare(b.post, 'zh-CN', { numeric: true }),
    ),
    nameOf: (id) => (id === null ? null : (names.get(id) ?? null)),
  };
}

/** The community's places, live; `undefined` while the registry loads. */
export function usePlaces(community: CommunityId | null, headWord: (level: string) => string): Places | undefined {
  const reader = useCallback((doc: Y.Doc) => placesOf(doc, headWord), [headWord]);
  return useRegistryValue(community, reader);
}
