import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { PRINT_ROOT_CLASS, usePrintRoot } from '../../ui/print';
import './print.css';

/**
 * A document of the resources on A4 over the whole window, in a portal under <body>, so that printing (the platform's
 * print: a PDF through the save dialog on the desktop, the browser's print dialog on the web) leaves out the rest.
 * Escape or 返回 closes it.
 */
export function PrintFrame({
  fileName,
  onClose,
  testId,
  children,
}: {
  /** The PDF's proposed name, without the extension. */
  fileName: string;
  onClose: () => void;
  testId: string;
  children: ReactNode;
}) {
  const t = useT();
  const platform = usePlatform();
  const [problem, setProblem] = useState<string | null>(null);
  usePrintRoot();
  const print = async () => {
    setProblem(null);
    try {
      await platform.printToPdf({ defaultName: `${fileName.replace(/[\\/:*?"<>|]/g, '_')}.pdf`, pageSize: 'A4' });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return createPortal(
    <div
      className={`cgw-rs-overlay ${PRINT_ROOT_CLASS}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <Stack>
        <Group className="cgw-rs-no-print">
          <Button onClick={() => void print()} autoFocus>
            {t('resources.print.pdf')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('resources.print.back')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('resources.print.hint')}
          </Text>
        </Group>
        {problem && (
          <Alert color="red" className="cgw-rs-no-print">
            {problem}
          </Alert>
        )}
        <article className="cgw-rs-doc" data-testid={testId}>
          {children}
        </article>
      </Stack>
    </div>,
    document.body,
  );
}
