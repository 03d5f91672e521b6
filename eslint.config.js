// Lint rules, including the import boundaries of ../shared/STYLE.md (habits 2, 3 and 7) written as rules:
// - shared/ imports nothing of the app and nothing of an environment (no DOM libs, Node, Electron, Dexie; yjs allowed);
// - electron/ and sync-server/ may import shared/, never renderer/ nor each other;
// - renderer/ may import shared/ and only *types* from the preload; Dexie only inside renderer/data;
// - nothing imports renderer/;
// - UI text lives in renderer/i18n, never as a Chinese literal inside a component.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'stream'];
const forbid = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'data/'],
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
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
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
    // Dexie only inside renderer/data (STYLE.md habit 7).
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
