import { Text } from '@mantine/core';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../../../i18n';

export function GridsTab(_props: { community: CommunityId }) {
  const t = useT();
  return <Text>{t('places.title')}</Text>;
}
