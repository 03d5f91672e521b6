import { Text } from '@mantine/core';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../../i18n';

/** Compounds, buildings, households, the five-heads tree, grids and party organisations of a community. */
export function PlacesPanel(_props: { community: CommunityId }) {
  const t = useT();
  return <Text>{t('places.title')}</Text>;
}
