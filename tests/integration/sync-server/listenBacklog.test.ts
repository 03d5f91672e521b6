/**
 * The server listens with the backlog it is given (`--listen-backlog`, 4096 by default; docs/sync-server.md): Node's
 * 511 overflowed in a restart storm, and the dropped connections waited the kernel's SYN retransmissions. Read back
 * from the kernel with `ss`, which shows a listening socket's backlog as its Send-Q (capped at net.core.somaxconn).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../sync-server/config';
import { ServerProcess, tempDataDir } from './harness';

const ss = ['/usr/bin/ss', '/bin/ss', '/usr/sbin/ss'].find((path) => existsSync(path));
const somaxconn = existsSync('/proc/sys/net/core/somaxconn')
  ? Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'))
  : null;

/** The backlog of the socket listening on `port`, as the kernel holds it. */
function backlogOf(port: number): number {
  const line =
    execFileSync(ss!, ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
      .trim()
      .split('\n')[0] ?? '';
  // State Recv-Q Send-Q Local:Port Peer:Port
  return Number(line.trim().split(/\s+/)[2]);
}

describe.skipIf(ss === undefined || somaxconn === null)('the listening socket’s backlog', () => {
  const data = tempDataDir();
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    data.cleanup();
  });

  it('is 4096 by default (or the kernel’s cap), and what --listen-backlog says', async () => {
    expect(DEFAULTS.listenBacklog).toBe(4096);
    const [byDefault, given] = await Promise.all([
      ServerProcess.start(data.dir, []),
      ServerProcess.start(data.dir, ['--listen-backlog', '100']),
    ]);
    servers.push(byDefault, given);
    expect(backlogOf(byDefault.port)).toBe(Math.min(4096, somaxconn!));
    expect(backlogOf(given.port)).toBe(100);
  });
});
