import { useCallback } from 'react';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { usePlaces, type Places } from './places';

const NONE = (): null => null;

/** The community's places with the heads' posts worded; `undefined` while the registry loads. */
export function usePlacesWorded(community: CommunityId | null): Places | undefined {
  const t = useT();
  const headWord = useCallback(
    (level: string) => t(`places.head.${level as 'building' | 'area' | 'street' | 'lane' | 'courtyard'}`),
    [t],
  );
  return usePlaces(community, headWord);
}

/** The name of a registry place by id (grid, compound, building, household); null while loading or unknown. */
export function usePlaceNames(community: CommunityId | null): (id: string | null) => string | null {
  return usePlacesWorded(community)?.nameOf ?? NONE;
}
