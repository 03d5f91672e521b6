import { Text } from '@mantine/core';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../../i18n';

/** Excel import of residents (preview, per-row errors, confirm) and export of filtered lists. */
export function ExcelPanel(_props: { community: CommunityId }) {
  const t = useT();
  return <Text>{t('excel.title')}</Text>;
}
