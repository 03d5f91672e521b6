/**
 * Regenerates shared/domain/calendar/seed.generated.ts from the `chinese-days` package (a devDependency, pinned):
 *
 *     npx tsx tests/unit/shared/domain/calendar/generateSeed.ts && npx prettier --write shared/domain/calendar
 *
 * Run it after upgrading `chinese-days` (each State Council notice in November brings a new release). `seed.test.ts`
 * fails while the generated module and the installed package disagree, so a forgotten run cannot go unnoticed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSeedModule, type PackageCalendar } from './seedSource';

const require = createRequire(import.meta.url);
const json = JSON.parse(
  readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8'),
) as PackageCalendar;
const version = (JSON.parse(readFileSync(require.resolve('chinese-days/package.json'), 'utf8')) as { version: string })
  .version;
const target = fileURLToPath(new URL('../../../../../shared/domain/calendar/seed.generated.ts', import.meta.url));
writeFileSync(target, buildSeedModule(json, version));
console.log(`wrote ${target}`);
