import { SegmentedControl, Stack } from '@mantine/core';
import { useState } from 'react';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../../i18n';
import { CompoundsTab } from './compounds/CompoundsTab';
import { FiveHeadsTab } from './fiveHeads/FiveHeadsTab';
import { GridsTab } from './grids/GridsTab';
import { PartyTab } from './party/PartyTab';

const PARTS = ['fiveHeads', 'compounds', 'grids', 'party'] as const;
type Part = (typeof PARTS)[number];

/** Compounds, buildings, households, the five-heads tree, grids and party organisations of a community. */
export function PlacesPanel({ community }: { community: CommunityId }) {
  const t = useT();
  const [part, setPart] = useState<Part>('fiveHeads');
  return (
    <Stack>
      <SegmentedControl
        aria-label={t('places.title')}
        value={part}
        onChange={(value) => setPart(value)}
        data={PARTS.map((p) => ({ value: p, label: t(`places.part.${p}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      {part === 'fiveHeads' && <FiveHeadsTab community={community} />}
      {part === 'compounds' && <CompoundsTab community={community} />}
      {part === 'grids' && <GridsTab community={community} />}
      {part === 'party' && <PartyTab community={community} />}
    </Stack>
  );
}
