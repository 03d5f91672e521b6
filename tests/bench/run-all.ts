/**
 * `npm run bench`: every benchmark in turn (sync server, local store, device sync, the dashboard's figures and the drawn
 * dashboard). Each prints its own table and JSON line; this runner stops at the first one that fails.
 */
import { spawnSync } from 'node:child_process';

for (const name of ['bench:sync-server', 'bench:store', 'bench:sync', 'bench:dashboard-figures', 'bench:dashboard']) {
  process.stdout.write(`\n== npm run ${name}\n`);
  const result = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
