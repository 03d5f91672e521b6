import { Stack } from '@mantine/core';
import type { CommunityId } from '@shared/ydoc/docName';
import { ExportSection } from './ExportSection';
import { ImportWizard } from './ImportWizard';

/** 导入与导出: Excel import of residents (preview, per-row errors, confirm) and export of filtered lists. */
export function ExcelPanel({ community }: { community: CommunityId }) {
  return (
    <Stack>
      <ImportWizard community={community} />
      <ExportSection community={community} />
    </Stack>
  );
}
