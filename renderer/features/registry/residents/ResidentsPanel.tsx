import { Text } from '@mantine/core';
import type { CommunityId } from '@shared/ydoc/docName';

export function ResidentsPanel({ community }: { community: CommunityId }) {
  return <Text>{community}</Text>;
}
