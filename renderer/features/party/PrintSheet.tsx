import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { PRINT_ROOT_CLASS, usePrintRoot } from '../../ui/print';
import './print.css';

/**
 * A party document on A4 (三清单, a member's quarterly feedback sheet, the 民主评议 list), printed as the other documents
 * of the app are: shown in a portal under <body>, and only it is printed (renderer/ui/print.css). Escape closes it.
 */
export function PrintSheet({
  fileName,
  onClose,
  children,
  testId,
}: {
  fileName: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const t = useT();
  const platform = usePlatform();
  const [problem, setProblem] = useState<string | null>(null);
  usePrintRoot();
  const print = async () => {
    setProblem(null);
    try {
      await platform.printToPdf({ defaultName: fileName.replace(/[\\/:*?"<>|]/g, '_'), pageSize: 'A4' });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return createPortal(
    <div
      className={`cgw-party-overlay ${PRINT_ROOT_CLASS}`}
      role="dialog"
      aria-modal="true"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <Stack>
        <Group className="cgw-party-no-print">
          <Button onClick={() => void print()} autoFocus>
            {t('party.print.print')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('party.print.back')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('party.print.hint')}
          </Text>
        </Group>
        {problem && (
          <Alert color="red" className="cgw-party-no-print">
            {problem}
          </Alert>
        )}
        <article className="cgw-party-sheet" data-testid={testId}>
          {children}
        </article>
      </Stack>
    </div>,
    document.body,
  );
}
