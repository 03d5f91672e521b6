import { useMemo } from 'react';
import { naturalCompare } from '@shared/domain/naturalOrder';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords } from '../../data/hooks';

/**
 * A community's buildings as options of a 楼栋 filter: "compound building" labels in natural order (3栋 before 12栋).
 * The residents list and the Excel export filter by the same list.
 */
export function useBuildingOptions(community: CommunityId): { value: string; label: string }[] {
  const buildings = useRecords(community, 'buildings');
  const compounds = useRecords(community, 'compounds');
  return useMemo(() => {
    const compoundName = new Map((compounds ?? []).map((compound) => [compound.id, compound.name]));
    return (buildings ?? [])
      .map((building) => ({
        value: building.id,
        label: `${compoundName.get(building.compoundId) ?? ''} ${building.name}`.trim(),
      }))
      .sort((a, b) => naturalCompare(a.label, b.label));
  }, [buildings, compounds]);
}
