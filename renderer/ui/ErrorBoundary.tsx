import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useT } from '../i18n';

interface Props {
  children: ReactNode;
}
interface State {
  error: Error | null;
}

/**
 * Catches a render error inside one screen and shows a readable message instead of a blank window, so the rest of the
 * app (navigation, header, other screens) keeps working. The shell gives it a `key` per route, so moving to another
 * screen starts clean.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Screen error', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <ErrorView
          error={this.state.error}
          onRetry={() => {
            this.setState({ error: null });
          }}
        />
      );
    }
    return this.props.children;
  }
}

function ErrorView({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const t = useT();
  return (
    <Alert color="red" title={t('error.title')} role="alert" data-testid="error-view">
      <Stack gap="sm">
        <Text size="sm">{t('error.body')}</Text>
        <Text size="sm" fw={500}>
          {t('error.details')}
        </Text>
        <Code block>{error.message}</Code>
        <div>
          <Button variant="light" color="red" onClick={onRetry}>
            {t('error.retry')}
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}
