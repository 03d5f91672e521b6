import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { permanentRulesFor } from '@shared/ydoc/permanent';
import { PermanentGuard } from '../../../sync-server/guard';

/** The server's side: apply a client's update the way server.ts does (inspect, apply, restore in a transaction). */
function serverApply(server: Y.Doc, docName: string, update: Uint8Array): { restored: number; restore: Uint8Array[] } {
  const rules = permanentRulesFor(docName);
  if (rules === null) throw new Error(`no rules for ${docName}`);
  const guard = new PermanentGuard(server, rules);
  const captures = guard.inspect(Y.decodeUpdate(update));
  Y.applyUpdate(server, update, 'client');
  const restore: Uint8Array[] = [];
  const listener = (u: Uint8Array): void => void restore.push(u);
  server.on('update', listener);
  let restored = 0;
  server.transact(() => {
    restored = guard.restore(captures).reduce((sum, r) => sum + r.count, 0);
  }, 'server');
  server.off('update', listener);
  return { restored, restore };
}

function replica(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

function change(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

const audit = (doc: Y.Doc): Y.Array<Record<string, unknown>> => doc.getArray<Record<string, unknown>>('audit');
const entry = (i: number, user = '王芳'): Record<string, unknown> => ({ id: `e${i}`, userName: user, action: 'edit' });

describe('the server guard of permanent structures', () => {
  it('puts back audit entries an editor deleted, in their places, and keeps what it added', () => {
    const server = new Y.Doc();
    const honest = replica(server);
    Y.applyUpdate(
      server,
      change(honest, (d) => audit(d).push(Array.from({ length: 130 }, (_, i) => entry(i)))),
    );
    const attacker = replica(server);
    const update = change(attacker, (d) => {
      audit(d).delete(0, audit(d).length);
      audit(d).push([entry(999, '别人')]);
    });
    const { restored, restore } = serverApply(server, 'shunqing-xihe/registry', update);
    expect(restored).toBe(130);
    const ids = audit(server)
      .toArray()
      .map((e) => e.id);
    expect(ids.slice(0, 130)).toEqual(Array.from({ length: 130 }, (_, i) => `e${i}`));
    expect(ids).toContain('e999');
    // A device that received the removal and the restoring update holds the same.
    Y.applyUpdate(attacker, Y.mergeUpdates(restore));
    expect(audit(attacker).toJSON()).toEqual(audit(server).toJSON());
  });

  it("puts back a task's events deleted by an editor (a task's state is read from them)", () => {
    const server = new Y.Doc();
    const honest = replica(server);
    const events = (d: Y.Doc) => d.getArray<Record<string, unknown>>('events');
    Y.applyUpdate(
      server,
      change(honest, (d) =>
        events(d).push([
          { id: 'ev1', taskId: 't1', kind: 'claim' },
          { id: 'ev2', taskId: 't1', kind: 'return' },
        ]),
      ),
    );
    const attacker = replica(server);
    const update = change(attacker, (d) => events(d).delete(1, 1));
    const { restored } = serverApply(server, 'shunqing-xihe/tasks/2026', update);
    expect(restored).toBe(1);
    expect(
      events(server)
        .toArray()
        .map((e) => e.id),
    ).toEqual(['ev1', 'ev2']);
  });

  it('puts back a task instance an editor overwrote or deleted (its deadlines and figures count from it)', () => {
    const server = new Y.Doc();
    const honest = replica(server);
    const tasks = (d: Y.Doc) => d.getMap<Record<string, unknown>>('tasks');
    const base = (id: string) => ({
      id,
      templateId: 'tpl-1',
      community: 'xihe-a',
      period: '2026',
      publishedOn: '2026-09-01',
    });
    Y.applyUpdate(
      server,
      change(honest, (d) => {
        tasks(d).set('tpl-1:xihe-a:2026', base('tpl-1:xihe-a:2026'));
        tasks(d).set('tpl-2:xihe-a:2026', base('tpl-2:xihe-a:2026'));
      }),
    );
    const attacker = replica(server);
    const update = change(attacker, (d) => {
      tasks(d).set('tpl-1:xihe-a:2026', { ...base('tpl-1:xihe-a:2026'), publishedOn: '2026-12-01' });
      tasks(d).delete('tpl-2:xihe-a:2026');
    });
    const { restored } = serverApply(server, 'shunqing-xihe/tasks/2026', update);
    expect(restored).toBe(2);
    expect(tasks(server).toJSON()).toEqual({
      'tpl-1:xihe-a:2026': base('tpl-1:xihe-a:2026'),
      'tpl-2:xihe-a:2026': base('tpl-2:xihe-a:2026'),
    });
    // A new instance is an honest write: nothing to put back.
    const device = replica(server);
    const added = change(device, (d) => tasks(d).set('tpl-3:xihe-a:2026', base('tpl-3:xihe-a:2026')));
    expect(serverApply(server, 'shunqing-xihe/tasks/2026', added).restored).toBe(0);
  });

  it('puts back a party record or an activities audit entry an editor overwrote or deleted, but lets a booking move', () => {
    const name = 'shunqing-xihe/activities/2026';
    const server = new Y.Doc();
    const honest = replica(server);
    const checkIns = (d: Y.Doc) => d.getMap<Record<string, unknown>>('checkIns');
    const bookings = (d: Y.Doc) => d.getMap<Record<string, unknown>>('bookings');
    const checkIn = { id: 'c1', memberId: 'r1', kind: 'first', date: '2026-03-01' };
    const booking = { id: 'b1', venueId: 'v1', date: '2026-12-04', from: '09:00', to: '10:00' };
    Y.applyUpdate(
      server,
      change(honest, (d) => {
        checkIns(d).set('c1', checkIn);
        bookings(d).set('b1', booking);
        d.getArray('partyAudit').push([entry(1)]);
        d.getArray('venueAudit').push([entry(2)]);
      }),
    );
    const attacker = replica(server);
    const update = change(attacker, (d) => {
      checkIns(d).set('c1', { ...checkIn, date: '2026-01-01' });
      d.getArray('partyAudit').delete(0, 1);
      d.getArray('venueAudit').delete(0, 1);
    });
    expect(serverApply(server, name, update).restored).toBe(3);
    expect(checkIns(server).get('c1')).toEqual(checkIn);
    expect(server.getArray('partyAudit').toJSON()).toEqual([entry(1)]);
    expect(server.getArray('venueAudit').toJSON()).toEqual([entry(2)]);
    // A booking moved to another hour replaces it whole: an honest write, nothing put back.
    const device = replica(server);
    const moved = change(device, (d) => bookings(d).set('b1', { ...booking, from: '14:00', to: '15:00' }));
    expect(serverApply(server, name, moved).restored).toBe(0);
    expect(bookings(server).get('b1')).toMatchObject({ from: '14:00' });
  });

  it("puts back a fund's ledger entry an editor deleted or replaced in the registry, and leaves other records editable", () => {
    const name = 'shunqing-xihe/registry';
    const server = new Y.Doc();
    const honest = replica(server);
    const record = (d: Y.Doc, collection: string, id: string) => d.getMap<Y.Map<unknown>>(collection).get(id)!;
    const spending = { id: 'f1', fund: 'care', kind: 'spending', amount: 50_000, date: '2026-11-30' };
    Y.applyUpdate(
      server,
      change(honest, (d) => {
        for (const [id, fields] of [
          ['f1', spending],
          ['f2', { ...spending, id: 'f2', amount: 20_000 }],
        ] as const) {
          d.getMap('fundEntries').set(id, new Y.Map()).set('@created', fields);
        }
        d.getMap('residents').set('r1', new Y.Map()).set('@created', { id: 'r1', name: '王芳' });
      }),
    );
    const attacker = replica(server);
    const update = change(attacker, (d) => {
      d.getMap('fundEntries')
        .set('f1', new Y.Map())
        .set('@created', { ...spending, amount: 5_000 });
      d.getMap('fundEntries').delete('f2');
    });
    expect(serverApply(server, name, update).restored).toBe(2);
    expect(record(server, 'fundEntries', 'f1').get('@created')).toEqual(spending);
    expect(record(server, 'fundEntries', 'f2').get('@created')).toMatchObject({ amount: 20_000 });
    // A resident's name corrected, a new ledger entry: honest writes, nothing put back.
    const device = replica(server);
    const honestEdit = change(device, (d) => {
      record(d, 'residents', 'r1').set('name', '王芳芳');
      d.getMap('fundEntries')
        .set('f3', new Y.Map())
        .set('@created', { ...spending, id: 'f3' });
    });
    expect(serverApply(server, name, honestEdit).restored).toBe(0);
    expect(record(server, 'residents', 'r1').get('name')).toBe('王芳芳');
  });

  it('leaves an honest update alone: appended audit entries and edited records restore nothing', () => {
    const server = new Y.Doc();
    const device = replica(server);
    Y.applyUpdate(
      server,
      change(device, (d) => audit(d).push([entry(1)])),
    );
    const update = change(device, (d) => {
      audit(d).push([entry(2)]);
      const record = new Y.Map<unknown>();
      d.getMap('residents').set('r1', record);
      record.set('name', '张三');
    });
    expect(serverApply(server, 'shunqing-xihe/registry', update).restored).toBe(0);
    const edit = change(device, (d) => (d.getMap('residents').get('r1') as Y.Map<unknown>).set('name', '张叁'));
    expect(serverApply(server, 'shunqing-xihe/registry', edit).restored).toBe(0);
  });

  it("puts back a locked session's lock, signed copy and signatures, however they were overwritten", () => {
    const server = new Y.Doc();
    const device = replica(server);
    Y.applyUpdate(
      server,
      change(device, (d) => {
        const caseMap = new Y.Map<unknown>();
        d.getMap('cases').set('c1', caseMap);
        const sessions = caseMap.set('sessions', new Y.Map<unknown>());
        const session = sessions.set('s1', new Y.Map<unknown>());
        session.set('place', '调解室');
        session.set('signatures', Y.Array.from([{ signer: { role: 'mediator' }, at: '2026-12-01' }]));
        session.set('signedContent', { place: '调解室' });
        session.set('lockedAt', '2026-12-01T10:00:00.000Z');
      }),
    );
    const attacker = replica(server);
    const session = (d: Y.Doc): Y.Map<unknown> =>
      ((d.getMap('cases').get('c1') as Y.Map<unknown>).get('sessions') as Y.Map<Y.Map<unknown>>).get('s1')!;
    const update = change(attacker, (d) => {
      session(d).set('lockedAt', null);
      session(d).set('signedContent', { place: '别处' });
      session(d).set('signatures', new Y.Array());
    });
    const { restored } = serverApply(server, 'shunqing-xihe/cases/2026', update);
    expect(restored).toBeGreaterThanOrEqual(3);
    expect(session(server).get('lockedAt')).toBe('2026-12-01T10:00:00.000Z');
    expect(session(server).get('signedContent')).toEqual({ place: '调解室' });
    expect((session(server).get('signatures') as Y.Array<unknown>).toJSON()).toHaveLength(1);
  });

  it('puts back a signed session removed from its case', () => {
    const server = new Y.Doc();
    const device = replica(server);
    Y.applyUpdate(
      server,
      change(device, (d) => {
        const caseMap = d.getMap('cases').set('c1', new Y.Map<unknown>());
        const session = caseMap.set('sessions', new Y.Map<unknown>()).set('s1', new Y.Map<unknown>());
        session.set('result', new Y.Text('达成一致'));
        session.set('signedContent', { result: '达成一致' });
      }),
    );
    const attacker = replica(server);
    const sessions = (d: Y.Doc): Y.Map<unknown> =>
      (d.getMap('cases').get('c1') as Y.Map<unknown>).get('sessions') as Y.Map<unknown>;
    expect(
      serverApply(
        server,
        'shunqing-xihe/cases/2026',
        change(attacker, (d) => sessions(d).delete('s1')),
      ).restored,
    ).toBe(1);
    const back = sessions(server).get('s1') as Y.Map<unknown>;
    expect((back.get('result') as Y.Text).toJSON()).toBe('达成一致');
  });

  it("puts back a meeting's signed version deleted by a concurrent-looking overwrite", () => {
    const server = new Y.Doc();
    const device = replica(server);
    Y.applyUpdate(
      server,
      change(device, (d) => {
        const meeting = d.getMap('meetings').set('m1', new Y.Map<unknown>());
        meeting.set('versions', Y.Array.from([{ version: 1, minutes: '原文' }]));
      }),
    );
    const attacker = replica(server);
    const versions = (d: Y.Doc): Y.Array<unknown> =>
      (d.getMap('meetings').get('m1') as Y.Map<unknown>).get('versions') as Y.Array<unknown>;
    serverApply(
      server,
      'shunqing-xihe/meetings/2026',
      change(attacker, (d) => versions(d).delete(0, 1)),
    );
    expect(versions(server).toJSON()).toEqual([{ version: 1, minutes: '原文' }]);
  });

  it('catches an overwrite that Yjs performs while integrating (nothing in the delete set)', () => {
    const server = new Y.Doc();
    const device = replica(server);
    Y.applyUpdate(
      server,
      change(device, (d) => {
        const caseMap = d.getMap('cases').set('c1', new Y.Map<unknown>());
        const session = caseMap.set('sessions', new Y.Map<unknown>()).set('s1', new Y.Map<unknown>());
        session.set('lockedAt', '2026-12-01T10:00:00.000Z');
      }),
    );
    const attacker = replica(server);
    const update = change(attacker, (d) =>
      (
        ((d.getMap('cases').get('c1') as Y.Map<unknown>).get('sessions') as Y.Map<unknown>).get('s1') as Y.Map<unknown>
      ).set('lockedAt', null),
    );
    // Strip the delete set: the new value, placed after the old one, still replaces it when integrated.
    const decoded = Y.decodeUpdate(update);
    expect(decoded.ds.clients.size).toBe(1);
    decoded.ds.clients.clear();
    const guard = new PermanentGuard(server, permanentRulesFor('shunqing-xihe/cases/2026')!);
    const captures = guard.inspect(decoded);
    expect(captures.map((c) => c.kind)).toEqual(['key']);
  });
});
