import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess, tempDataDir } from './harness';

describe('HTTP endpoints', () => {
  const data = tempDataDir();
  let server: ServerProcess;

  beforeAll(async () => {
    server = await ServerProcess.start(data.dir);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it('answers /healthz with 200 and a small JSON body', async () => {
    const res = await fetch(`${server.http}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', connections: 0, documentsLoaded: 0 });
  });

  it('answers /metrics with Prometheus text holding every promised figure', async () => {
    const res = await fetch(`${server.http}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      'sync_connections',
      'sync_documents_loaded',
      'sync_updates_received_total',
      'sync_updates_relayed_total',
      'sync_updates_refused_total',
      'sync_bytes_stored',
      'sync_persistence_seconds_bucket',
      'sync_auth_failures_total',
      'sync_heap_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name.replace(/_bucket$/, '')} `, 'm'));
    }
    expect(text).toMatch(/^sync_connections 0$/m);
  });

  it('answers anything else with 404', async () => {
    expect((await fetch(`${server.http}/nope`)).status).toBe(404);
  });
});
