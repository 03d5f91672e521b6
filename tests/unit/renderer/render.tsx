import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nProvider, type Language } from '../../../renderer/i18n';
import { theme } from '../../../renderer/ui/theme';

/** The shared `render` of renderer tests: wraps Mantine and i18n like the app does (docs/conventions.md, habit 10). */
export function renderUi(ui: ReactElement, { language = 'zh-CN' }: { language?: Language } = {}): RenderResult {
  return render(
    <MantineProvider theme={theme}>
      <I18nProvider initial={language}>{ui}</I18nProvider>
    </MantineProvider>,
  );
}
