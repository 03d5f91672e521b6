import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import {
  adminInProcess,
  connectProvider,
  issueToken,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = 'shunqing-xihe';

describe('durability', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const providers: WebsocketProvider[] = [];
  const connect = (doc: string): WebsocketProvider => {
    const p = connectProvider(server, doc, token);
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    token = (await issueToken(data.dir, 'editor', COMMUNITY, 'editor')).token;
    server = await ServerProcess.start(data.dir, ['--compact-after', '10']);
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.stop('SIGKILL');
    data.cleanup();
  });

  it('keeps what it stored across SIGTERM, which exits 0', async () => {
    const doc = `${COMMUNITY}/meetings/2026`;
    const a = connect(doc);
    const b = connect(doc);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    a.doc.getMap('meetings').set('m1', { topic: '加装电梯' });
    await waitFor(() => b.doc.getMap('meetings').has('m1'));
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.logs.some((l) => l.msg === 'stopped')).toBe(true);

    server = await ServerProcess.start(data.dir, ['--compact-after', '10']);
    const fresh = connect(doc);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('meetings').toJSON()).toEqual({ m1: { topic: '加装电梯' } });
  });

  it('loses no update another client received when killed with SIGKILL', async () => {
    const doc = `${COMMUNITY}/cases/2026`;
    const a = connect(doc);
    const b = connect(doc);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    for (let i = 0; i < 25; i++) a.doc.getMap('cases').set(`c${i}`, i);
    await waitFor(() => b.doc.getMap('cases').size === 25, 10_000, 'relay to b');
    a.destroy();
    b.destroy();
    expect(await server.stop('SIGKILL')).toBe(null);

    server = await ServerProcess.start(data.dir, ['--compact-after', '10']);
    const fresh = connect(doc);
    await whenSynced(fresh);
    expect(fresh.doc.getMap('cases').size).toBe(25);
    expect(fresh.doc.getMap('cases').toJSON()).toEqual(b.doc.getMap('cases').toJSON());
  });

  it('compacts the log into a snapshot (bounded log) and keeps the content identical', async () => {
    const doc = `${COMMUNITY}/registry`;
    const a = connect(doc);
    const watcher = connect(doc);
    await Promise.all([whenSynced(a), whenSynced(watcher)]);
    const text = a.doc.getText('notes');
    const households = a.doc.getMap('households');
    // Five rounds of 12 separate updates, each round relayed before the next: the server batches what arrives
    // together, but every round takes the log past --compact-after 10 at least once.
    for (let round = 0; round < 5; round++) {
      for (let i = round * 12; i < (round + 1) * 12; i++) {
        if (i % 3 === 0) households.set(`h${i}`, { size: i });
        else if (i % 3 === 1) text.insert(text.length, `line ${i}\n`);
        else households.delete(`h${i - 2}`);
      }
      await waitFor(
        () =>
          watcher.doc.getText('notes').toJSON() === text.toJSON() &&
          JSON.stringify(watcher.doc.getMap('households').toJSON()) === JSON.stringify(households.toJSON()),
        10_000,
        'relay',
      );
    }
    await waitFor(
      async () => ((await server.metrics()).get('sync_compactions_total') ?? 0) >= 5,
      10_000,
      'compactions',
    );
    const expected = { text: text.toJSON(), households: households.toJSON() };
    expect(await server.stop('SIGKILL')).toBe(null);

    const db = new Database(join(data.dir, 'sync.db'), { readonly: true });
    const logRows = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?').get(doc) as { n: number };
    const snapshot = db.prepare('SELECT snapshot FROM doc_snapshots WHERE doc = ?').get(doc) as
      { snapshot: Buffer } | undefined;
    db.close();
    expect(logRows.n).toBeLessThan(10);
    expect(snapshot).toBeDefined();

    server = await ServerProcess.start(data.dir, ['--compact-after', '10']);
    const fresh = connect(doc);
    await whenSynced(fresh);
    expect({ text: fresh.doc.getText('notes').toJSON(), households: fresh.doc.getMap('households').toJSON() }).toEqual(
      expected,
    );
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(a.doc));
  });
});
