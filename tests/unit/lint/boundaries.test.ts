/**
 * The import boundaries of eslint.config.js, proved on fixtures with the project's own configuration:
 * - renderer/ui never imports renderer/features (`layers/ui-imports-no-feature`);
 * - a feature, and the rest of the renderer, reaches another feature only through its index.ts
 *   (`layers/feature-through-index`); inside one feature anything goes;
 * - no import cycles (`import-x/no-cycle`), type-only imports apart.
 * The boundary cases are linted as text placed at paths inside renderer/ (the rules judge by path; the files need not
 * exist). The cycle needs files on disk: they are in fixtures/, which eslint.config.js ignores so `npm run lint` stays
 * green, and which this test lints with `ignore: false`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`fixtures/${path}`, import.meta.url));
const UI = 'layers/ui-imports-no-feature';
const FEATURE = 'layers/feature-through-index';
const CYCLE = 'import-x/no-cycle';
// Unresolved imports are reported too: a boundary rule skips an import it cannot resolve, so an "accepted" case
// proves something only if every import in it resolved.
const UNRESOLVED = 'import-x/no-unresolved';
const RULES = new Set([UI, FEATURE, CYCLE, UNRESOLVED]);

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    ignore: false,
    // Only the rules under test run, so the fixtures need not satisfy the rest; and without type information (the
    // boundaries judge paths, not types) the test does not build the TypeScript program of the whole renderer.
    ruleFilter: ({ ruleId }) => RULES.has(ruleId),
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { [UNRESOLVED]: 'error' },
    },
  });
});

/** The rule ids reported for `code` placed at `path` (relative to the repository). */
async function lintAt(path: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return messagesOf(result?.messages);
}

async function lintFile(path: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(readFileSync(path, 'utf8'), { filePath: path });
  return messagesOf(result?.messages);
}

function messagesOf(messages: Linter.LintMessage[] | undefined): (string | null)[] {
  if (!messages) throw new Error('ESLint returned no result');
  return messages.map((message) => message.ruleId);
}

describe('renderer/ui knows no feature', () => {
  it('refuses an import of a feature, even through its index', async () => {
    const rules = await lintAt(
      'renderer/ui/LintFixture.tsx',
      "import { SyncBadge } from '../features/sync';\nexport const Badge = SyncBadge;\n",
    );
    expect(rules).toEqual([UI]);
  });

  it('refuses a deep import of a feature file', async () => {
    const rules = await lintAt(
      'renderer/ui/LintFixture.tsx',
      "import { SyncBadge } from '../features/sync/SyncBadge';\nexport const Badge = SyncBadge;\n",
    );
    expect(rules).toEqual([UI]);
  });
});

describe('a feature reaches another only through its index.ts', () => {
  it('refuses a deep import of another feature, static or dynamic', async () => {
    const rules = await lintAt(
      'renderer/features/dashboard/LintFixture.tsx',
      [
        "import { usePermissions } from '../sync/useRole';",
        "export const later = () => import('../mediation/MediationDashboard');",
        'export const permissions = usePermissions;',
        '',
      ].join('\n'),
    );
    expect(rules).toEqual([FEATURE, FEATURE]);
  });

  it('refuses a deep import from a nested folder of a feature', async () => {
    const rules = await lintAt(
      'renderer/features/registry/residents/LintFixture.tsx',
      "import { STATE_LABELS } from '../../sync/labels';\nexport const labels = STATE_LABELS;\n",
    );
    expect(rules).toEqual([FEATURE]);
  });

  it('refuses a deep import from outside the features (renderer/data)', async () => {
    const rules = await lintAt(
      'renderer/data/LintFixture.ts',
      "import { usePermissions } from '../features/sync/useRole';\nexport const permissions = usePermissions;\n",
    );
    expect(rules).toEqual([FEATURE]);
  });

  it("accepts another feature's index, the feature's own files, and the layers below", async () => {
    const rules = await lintAt(
      'renderer/features/dashboard/LintFixture.tsx',
      [
        "import { usePermissions } from '../sync';",
        "import { WelcomePanel } from '../community/index';",
        "import { DashboardScreen } from './DashboardScreen';",
        "import { useT } from '../../i18n';",
        "import { LazyBoundary } from '../../ui/lazy';",
        "import { chinaDate } from '@shared/domain/dates';",
        'export const all = [usePermissions, WelcomePanel, DashboardScreen, useT, LazyBoundary, chinaDate];',
        '',
      ].join('\n'),
    );
    expect(rules).toEqual([]);
  });

  it('accepts App.tsx composing the features through their indexes, and the ui building blocks', async () => {
    const rules = await lintAt(
      'renderer/App.tsx',
      [
        "import { SyncBadge } from './features/sync';",
        "import { AppLayout } from './ui/AppLayout';",
        'export const parts = [SyncBadge, AppLayout];',
        '',
      ].join('\n'),
    );
    expect(rules).toEqual([]);
  });
});

describe('no import cycles', () => {
  it('refuses two files that import each other, on both sides', async () => {
    expect(await lintFile(fixture('cycle/a.ts'))).toEqual([CYCLE]);
    expect(await lintFile(fixture('cycle/b.ts'))).toEqual([CYCLE]);
  });

  it('accepts a cycle that only a type import closes (erased before the code runs)', async () => {
    expect(await lintFile(fixture('type-only/model.ts'))).toEqual([]);
    expect(await lintFile(fixture('type-only/view.ts'))).toEqual([]);
  });
});

describe('the lint test itself', () => {
  it('reports an import that does not resolve (so the accepted cases above did resolve)', async () => {
    const rules = await lintAt(
      'renderer/features/dashboard/LintFixture.tsx',
      "import { nothing } from '../no-such-feature';\nexport const none = nothing;\n",
    );
    expect(rules).toEqual([UNRESOLVED]);
  });

  it('keeps the fixtures out of `npm run lint`', async () => {
    const project = new ESLint({ cwd: root });
    expect(await project.isPathIgnored(fixture('cycle/a.ts'))).toBe(true);
    expect(await project.isPathIgnored(`${root}renderer/App.tsx`)).toBe(false);
  });
});
