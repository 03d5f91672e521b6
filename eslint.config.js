// Lint rules. The import boundaries of the project are written here as rules, and this comment is where they are
// stated:
// - shared/ imports nothing of the app and nothing of an environment (no DOM libs, Node, Electron, Dexie; yjs allowed);
// - electron/ and sync-server/ may import shared/, never renderer/ nor each other;
// - renderer/ may import shared/ and only *types* from the preload; Dexie only inside renderer/data;
// - nothing imports renderer/;
// - inside renderer/: renderer/ui (the building blocks) never imports renderer/features; a feature imports another
//   feature only through that feature's public renderer/features/<name>/index.ts (inside one feature, anything goes);
// - no import cycles (type-only imports do not count: they are erased before the code runs);
// - UI text lives in renderer/i18n, never as a Chinese literal inside a component.
// tests/unit/lint/boundaries.test.ts proves the renderer boundaries and the cycle rule on fixtures.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'stream'];
const forbid = (group, message) => ({ group, message });

// The features of the renderer: every folder of renderer/features (a new one is covered as soon as it exists).
const FEATURES = readdirSync(join(import.meta.dirname, 'renderer/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// The renderer's layers, as two rules with their own names (so an error says which boundary it is about). Both are
// import-x's no-restricted-paths, which resolves each import to its file, so `../x`, `../../features/x/Y` and
// `@shared/...` are judged by where they land, not by how they are spelled.
const layers = {
  rules: {
    'ui-imports-no-feature': importX.rules['no-restricted-paths'],
    'feature-through-index': importX.rules['no-restricted-paths'],
  },
};
const uiZone = {
  target: './renderer/ui',
  from: './renderer/features',
  message:
    'renderer/ui holds building blocks that know no feature: let the caller (renderer/App.tsx) pass the feature in as a prop.',
};
const featureZones = FEATURES.map((name) => ({
  target: `./renderer/features/${name}`,
  from: './renderer/features',
  except: [`./${name}`, ...FEATURES.filter((other) => other !== name).map((other) => `./${other}/index.ts`)],
  message: `renderer/features/${name} may import another feature only through its public index.ts (e.g. '../sync', not '../sync/useRole'); export what is needed there.`,
}));
// The rest of the renderer (App.tsx, main.tsx, data/, sync/, …) sees a feature through its index.ts too.
const OUTSIDE_FEATURES = readdirSync(join(import.meta.dirname, 'renderer'))
  .filter((entry) => entry !== 'features' && entry !== 'ui')
  .sort();
featureZones.push({
  target: OUTSIDE_FEATURES.map((entry) => `./renderer/${entry}`),
  from: './renderer/features',
  except: FEATURES.map((name) => `./${name}/index.ts`),
  message: `outside renderer/features, a feature is reached only through its public index.ts (e.g. './features/sync').`,
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'data/',
      // Code that breaks the rules on purpose, for tests/unit/lint/boundaries.test.ts (which lints it with `ignore: false`).
      'tests/unit/lint/fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.ts', '.ci/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Import cycles, anywhere in the TypeScript code. import-x resolves like TypeScript does (tsconfig.json's paths
    // give `@shared/*`).
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.json'],
          tsconfig: { configFile: join(import.meta.dirname, 'tsconfig.json') },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['electron', 'electron/*', 'node:*', ...nodeBuiltins],
              'shared/ runs everywhere: no Node or Electron.',
            ),
            forbid(
              ['dexie', 'dexie-*', 'y-dexie', 'react', 'react-*', '@mantine/*', 'ws', 'better-sqlite3', 'y-websocket'],
              'shared/ holds no environment library.',
            ),
            forbid(
              ['**/renderer/**', '**/electron/**', '**/sync-server/**', '**/tests/**'],
              'shared/ imports nothing of the app.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['**/renderer/**', '**/sync-server/**'], 'electron/ may import shared/ only.'),
            forbid(
              ['dexie', 'dexie-*', 'y-dexie', 'react', 'react-*', '@mantine/*'],
              'renderer libraries stay in renderer/.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['sync-server/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['**/renderer/**', '**/electron/**'], 'sync-server/ may import shared/ only.'),
            forbid(
              ['electron', 'dexie', 'dexie-*', 'y-dexie', 'react', 'react-*', '@mantine/*'],
              'no desktop libraries on the server.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks, layers },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'layers/ui-imports-no-feature': ['error', { basePath: import.meta.dirname, zones: [uiZone] }],
      'layers/feature-through-index': ['error', { basePath: import.meta.dirname, zones: featureZones }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['electron', 'electron/*', 'node:*', ...nodeBuiltins],
              'the renderer reaches the platform through renderer/platform only.',
            ),
            forbid(['**/sync-server/**', '**/tests/**', '**/electron/main/**'], 'renderer/ may import shared/ only.'),
            {
              group: ['**/electron/preload/**'],
              allowTypeImports: true,
              message: 'only types may come from the preload.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'JSXText[value=/[\\u3400-\\u9fff]/]',
          message: 'UI text belongs in renderer/i18n; use t(...) instead of a Chinese literal.',
        },
        {
          selector: 'JSXAttribute > Literal[value=/[\\u3400-\\u9fff]/]',
          message: 'UI text belongs in renderer/i18n; use t(...) instead of a Chinese literal.',
        },
      ],
    },
  },
  {
    // Dexie only inside renderer/data.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/data/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['dexie', 'dexie-*', 'y-dexie'], message: 'data access goes through renderer/data.' }] },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'tests/**/*.tsx', '*.ts', '*.js', '.ci/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Tests may use non-null assertions on fixtures they just built.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
