/**
 * Grid events and residents' services on the real server process (docs/sync-server.md, "append-only"): their steps and
 * audit arrays are append-only and an incident (an application) as reported is set once, as a task's events are. A
 * device that deletes or rewrites a step sees it put back on every device; two devices that worked offline both keep
 * their steps after the merge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  acceptIncident,
  assignIncident,
  recordHandling,
  requestIncidentClose,
} from '@shared/domain/incidents/commands';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { incidentsMap, incidentStepsArray, readIncident, type StoredStep } from '@shared/ydoc/incidents';
import {
  env,
  gridWorker,
  head,
  headAssignee,
  office,
  report,
  unwrap,
} from '../../unit/shared/domain/incidents/fixtures';
import {
  adminInProcess,
  connectProvider,
  issueToken,
  ServerProcess,
  tempDataDir,
  waitFor,
  whenSynced,
} from './harness';

const COMMUNITY = toCommunityId('shunqing-xihe');
const INCIDENTS = docName({ community: COMMUNITY, collection: 'incidents', year: 2026 });
const SERVICES = docName({ community: COMMUNITY, collection: 'services', year: 2026 });

const stepIds = (doc: Y.Doc): string[] => incidentStepsArray(doc).map((s) => s.id);
const stepJson = (doc: Y.Doc): string[] => incidentStepsArray(doc).map((s) => JSON.stringify(s));

describe('grid events and services on the sync server', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let office1: { token: string };
  let worker: { token: string };
  let attacker: { token: string; jti: string };

  beforeAll(async () => {
    await adminInProcess(data.dir, 'community', 'add', COMMUNITY, '--name', '西河社区');
    office1 = await issueToken(data.dir, '李明', COMMUNITY, 'editor');
    worker = await issueToken(data.dir, '王芳', COMMUNITY, 'editor');
    attacker = await issueToken(data.dir, 'stolen-laptop', COMMUNITY, 'editor');
    server = await ServerProcess.start(data.dir, ['--max-connections-per-address', '50', '--viewers-masked', 'false']);
  });

  afterAll(async () => {
    await server.stop();
    data.cleanup();
  });

  it("puts back a grid event's step a device deleted or rewrote, and the event as reported, on every device", async () => {
    const honest = connectProvider(server, INCIDENTS, office1.token);
    await whenSynced(honest);
    const doc = honest.doc;
    const id = report(doc, gridWorker('2026-09-28'));
    unwrap(acceptIncident(doc, office('2026-09-28'), { incidentId: id }, env));
    unwrap(assignIncident(doc, office('2026-09-28'), { incidentId: id, to: headAssignee, cc: [] }, env));
    const original = stepJson(doc);
    expect(original).toHaveLength(2);
    const before = readIncident(doc, id, env.limits);
    expect(before?.status).toBe('assigned');

    const stolen = connectProvider(server, INCIDENTS, attacker.token);
    await whenSynced(stolen);
    await waitFor(() => incidentStepsArray(stolen.doc).length === 2);
    stolen.doc.transact(() => {
      const steps = incidentStepsArray(stolen.doc);
      const accepted = steps.get(0);
      // The acceptance deleted, the assignment rewritten to another person, the report overwritten.
      steps.delete(0, 2);
      steps.push([
        {
          ...accepted,
          id: 'forged',
          at: '2026-09-29T02:00:00.000Z',
          on: '2026-09-29',
          type: 'rejected',
          reason: '无此事',
        } as unknown as StoredStep,
      ]);
      const base = incidentsMap(stolen.doc).get(id);
      incidentsMap(stolen.doc).set(id, { ...base!, title: '改过的标题' });
    });

    // Every device ends with the original steps (the forged append stays: appending is what the array is for).
    await waitFor(() => stepIds(doc).includes('forged'), 10_000, 'the forged step relayed');
    await waitFor(() => incidentStepsArray(stolen.doc).length === 3, 10_000, 'the steps put back on the attacker');
    for (const d of [doc, stolen.doc]) {
      const json = stepJson(d);
      for (const step of original) expect(json).toContain(step);
      expect(incidentsMap(d).get(id)?.title).toBe('3栋楼道堆放杂物');
    }
    // The state is the one the commands wrote: the forged rejection, dated after the acceptance, does not fit it. (A
    // step dated earlier would: the readers cannot tell who wrote a well-formed step, docs/incidents-model.md.)
    expect(readIncident(doc, id, env.limits)?.status).toBe('assigned');
    expect(readIncident(stolen.doc, id, env.limits)?.ignored.map((s) => s.id)).toEqual(['forged']);

    const later = connectProvider(server, INCIDENTS, worker.token);
    await whenSynced(later);
    await waitFor(() => incidentStepsArray(later.doc).length === 3);
    for (const step of original) expect(stepJson(later.doc)).toContain(step);
    expect(readIncident(later.doc, id, env.limits)?.status).toBe('assigned');
    for (const p of [honest, stolen, later]) p.destroy();
    await server.waitForLog((l) => l.msg.includes('restored by the server') && l.jti === attacker.jti);
  });

  it("keeps both offline devices' steps of one grid event after they reconnect", async () => {
    const a = connectProvider(server, INCIDENTS, office1.token);
    const b = connectProvider(server, INCIDENTS, worker.token);
    await Promise.all([whenSynced(a), whenSynced(b)]);
    const id = report(a.doc, gridWorker('2026-10-08'));
    unwrap(acceptIncident(a.doc, office('2026-10-08'), { incidentId: id }, env));
    unwrap(assignIncident(a.doc, office('2026-10-08'), { incidentId: id, to: headAssignee, cc: [] }, env));
    await waitFor(() => readIncident(b.doc, id, env.limits)?.status === 'assigned', 10_000, 'b sees the assignment');

    a.disconnect();
    b.disconnect();
    // Offline: the head records a visit to the site on one device, the office a note on the other, then the head asks
    // to close.
    unwrap(recordHandling(b.doc, head('2026-10-09'), { incidentId: id, note: '已上门查看', attachments: [] }, env));
    unwrap(recordHandling(a.doc, office('2026-10-09'), { incidentId: id, note: '已通知物业', attachments: [] }, env));
    unwrap(
      requestIncidentClose(b.doc, head('2026-10-12'), { incidentId: id, closure: 'substantive', note: '已清理' }, env),
    );
    const offlineA = stepJson(a.doc);
    const offlineB = stepJson(b.doc);
    a.connect();
    b.connect();

    const union = new Set([...offlineA, ...offlineB]);
    for (const d of [a.doc, b.doc]) {
      await waitFor(() => stepJson(d).length === union.size, 10_000, 'both devices hold every step');
      expect(new Set(stepJson(d))).toEqual(union);
      const state = readIncident(d, id, env.limits);
      expect(state?.status).toBe('closing');
      expect(state?.history.filter((s) => s.type === 'handled').map((s) => (s as { note: string }).note)).toEqual([
        '已上门查看',
        '已通知物业',
      ]);
    }
    a.destroy();
    b.destroy();
  });

  it("puts back a service application's step a device deleted, and keeps the application as accepted", async () => {
    const honest = connectProvider(server, SERVICES, office1.token);
    await whenSynced(honest);
    const steps = honest.doc.getArray<{ id: string }>('steps');
    const applications = honest.doc.getMap<{ id: string; title: string }>('applications');
    honest.doc.transact(() => {
      applications.set('app-1', { id: 'app-1', title: '老年证办理' });
      steps.push([{ id: 's-1' }, { id: 's-2' }]);
    });
    const stolen = connectProvider(server, SERVICES, attacker.token);
    await whenSynced(stolen);
    await waitFor(() => stolen.doc.getArray('steps').length === 2);
    stolen.doc.transact(() => {
      stolen.doc.getArray('steps').delete(0, 1);
      stolen.doc.getMap('applications').delete('app-1');
    });
    await waitFor(() => stolen.doc.getArray('steps').length === 2, 10_000, 'the step put back');
    await waitFor(() => stolen.doc.getMap('applications').has('app-1'), 10_000, 'the application put back');
    expect(steps.map((s) => s.id)).toEqual(['s-1', 's-2']);
    expect(applications.get('app-1')?.title).toBe('老年证办理');
    honest.destroy();
    stolen.destroy();
  });
});
