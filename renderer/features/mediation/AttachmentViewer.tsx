import { Anchor, Button, Group, Image, Modal, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { CaseFile } from '@shared/ydoc/cases';
import { useT } from '../../i18n';

/** One image the viewer can show: a file reference of the case and the name to show for it. */
export interface ViewerItem {
  readonly ref: string;
  readonly name: string;
}

/**
 * Shows one image of a case at a time, with its name and the previous / next image of the case. Keyboard: ← and →
 * switch images, Esc closes (Mantine's modal keeps the focus inside while open and gives it back when closed).
 */
export function AttachmentViewer({
  items,
  files,
  index,
  onIndex,
  onClose,
}: {
  items: readonly ViewerItem[];
  files: ReadonlyMap<string, CaseFile>;
  /** The image shown; null: the viewer is closed. */
  index: number | null;
  onIndex: (index: number) => void;
  onClose: () => void;
}) {
  const t = useT();
  const item = index === null ? undefined : items[index];
  const file = item ? files.get(item.ref) : undefined;
  const at = index ?? 0;
  const go = (step: number) => {
    const next = at + step;
    if (next >= 0 && next < items.length) onIndex(next);
  };
  const open = item !== undefined;
  // Arrow keys anywhere in the open viewer (the focus may be on its close button, outside the body).
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const step = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
      if (step === 0) return;
      event.preventDefault();
      const next = at + step;
      if (next >= 0 && next < items.length) onIndex(next);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open, at, items.length, onIndex]);
  return (
    <Modal
      opened={open}
      onClose={onClose}
      title={item?.name ?? ''}
      size="xl"
      closeButtonProps={{ 'aria-label': t('case.viewer.close') }}
    >
      {item && (
        <Stack gap="xs" data-testid="attachment-viewer">
          {file ? (
            <Image src={file.data} alt={item.name} fit="contain" mah="70vh" />
          ) : (
            <Text c="dimmed">{t('case.viewer.missing')}</Text>
          )}
          <Group justify="space-between">
            <Button variant="default" onClick={() => go(-1)} disabled={at === 0}>
              {t('case.viewer.prev')}
            </Button>
            <Text size="sm" data-testid="viewer-position">
              {t('case.viewer.position', { index: at + 1, count: items.length })}
            </Text>
            <Button variant="default" onClick={() => go(1)} disabled={at >= items.length - 1}>
              {t('case.viewer.next')}
            </Button>
          </Group>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {t('case.viewer.keys')}
            </Text>
            {file && (
              <Anchor href={file.data} download={file.name} size="sm">
                {t('case.page.download', { name: file.name })}
              </Anchor>
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
