import { MantineProvider, Alert, Code, Container } from '@mantine/core';
import { I18nProvider, useT } from '../i18n';
import { theme } from './theme';

function Message({ error }: { error: unknown }) {
  const t = useT();
  return (
    <Container size="sm" py="xl">
      <Alert color="red" title={t('startup.failed.title')} role="alert">
        {t('startup.failed.body')}
        <Code block mt="sm">
          {error instanceof Error ? `${error.name}: ${error.message}` : String(error)}
        </Code>
      </Alert>
    </Container>
  );
}

/** Shown when the local database cannot be opened (storage disabled, disk full, damaged profile). */
export function StartupFailure({ error }: { error: unknown }) {
  return (
    <MantineProvider theme={theme}>
      <I18nProvider>
        <Message error={error} />
      </I18nProvider>
    </MantineProvider>
  );
}
