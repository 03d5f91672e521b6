// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { intakeCase, recordCaseSession, signCaseSession, updateCaseSession } from '@shared/domain/mediation/commands';
import type { CommandContext } from '@shared/domain/kernel';
import { listCases, readCase, readRefusedChanges } from '@shared/ydoc/cases';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import {
  installCaseGuards,
  onCaseNotice,
  settleCaseNumbers,
  watchCasesDoc,
  type CaseNotice,
} from '../../../../renderer/data/cases';
import { keepTokenRole } from '../../../../renderer/data/roles';
import { useTestStore } from '../storeFixture';
import { casesName, intake, must } from './mediationFixture';

const getStore = useTestStore();

function device(name: string, at: string): CommandContext {
  let n = 0;
  return {
    actor: { userId: name, userName: name, deviceId: `device-${name}` },
    now: () => new Date(at),
    newId: () => `${name}-${n++}`,
    permissions: new Set(['cases.edit']),
  };
}

function numbers(doc: Y.Doc): Record<string, number> {
  return Object.fromEntries(listCases(doc).map((c) => [c.facts, c.number]));
}

describe('guards on cases documents', () => {
  it('settles colliding numbers from two offline laptops after they arrive by sync, and says so on the case', async () => {
    const store = getStore();
    installCaseGuards(store);
    const doc = await store.document(casesName);
    const notices: CaseNotice[] = [];
    const stop = onCaseNotice((notice) => notices.push(notice));
    // This device registered a case at 10:00 (number 1); a laptop offline registered one at 09:00, also number 1.
    must(intakeCase(doc, device('office', '2026-03-02T02:00:00.000Z'), intake({ facts: 'office' }), null));
    const laptop = new Y.Doc();
    must(intakeCase(laptop, device('laptop', '2026-03-02T01:00:00.000Z'), intake({ facts: 'laptop' }), null));
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(doc)); // what the laptop gets back
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(laptop), 'sync');

    // The earlier registration keeps number 1; the later one moves to 2 and records it.
    await waitFor(() => expect(numbers(doc)).toEqual({ laptop: 1, office: 2 }));
    const moved = listCases(doc).find((c) => c.facts === 'office')!;
    expect(moved.timeline.at(-1)).toMatchObject({ kind: 'renumber', detail: { from: 1, to: 2 } });
    expect(notices).toContainEqual({ kind: 'renumbered', docName: casesName, count: 1 });
    stop();
  });

  it('settles numbers already colliding on disk when the document is first opened', async () => {
    const store = getStore();
    const a = new Y.Doc();
    const b = new Y.Doc();
    must(intakeCase(a, device('a', '2026-03-02T01:00:00.000Z'), intake({ facts: 'a' }), null));
    must(intakeCase(b, device('b', '2026-03-02T03:00:00.000Z'), intake({ facts: 'b' }), null));
    const raw = await store.docs.get(casesName);
    Y.applyUpdate(raw, Y.mergeUpdates([Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(b)]));
    expect(numbers(raw)).toEqual({ a: 1, b: 1 });
    installCaseGuards(store);
    const doc = await store.document(casesName);
    await waitFor(() => expect(numbers(doc)).toEqual({ a: 1, b: 2 }));
  });

  it('puts a signed session record back when an older laptop edit arrives, and keeps the refused text for an admin', async () => {
    const store = getStore();
    installCaseGuards(store);
    const doc = await store.document(casesName);
    const ctx = device('office', '2026-03-02T02:00:00.000Z');
    const caseId = must(intakeCase(doc, ctx, intake(), null));
    const recorded = must(
      recordCaseSession(doc, ctx, {
        caseId,
        at: '2026-03-02T02:30:00.000Z',
        place: '社区',
        presentPartyIds: [],
        mediatorName: '赵调解',
        recorderName: '周楼长',
        result: '同意修复',
      }),
    );
    const sessionId = Object.values(recorded.sessions)[0]!.id;
    // The laptop got the unsigned record before going offline...
    const laptop = new Y.Doc();
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(doc));
    // ...the office collects the signatures (the record locks)...
    for (const signer of [{ role: 'mediator' }, { role: 'recorder' }] as const) {
      must(
        signCaseSession(doc, ctx, {
          caseId,
          sessionId,
          signer,
          signature: { kind: 'on-screen', image: 'data:image/png;base64,AA==' },
        }),
      );
    }
    expect(readCase(doc, caseId)!.sessions[sessionId]!.lockedAt).not.toBeNull();
    // ...while the laptop, unaware, edits the result and syncs later.
    must(
      updateCaseSession(laptop, device('laptop', '2026-03-02T03:00:00.000Z'), {
        caseId,
        sessionId,
        changes: { result: '不同意' },
      }),
    );
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(laptop), 'sync');

    expect(readCase(doc, caseId)!.sessions[sessionId]!.result).toBe('同意修复');
    const [refused] = readRefusedChanges(doc);
    expect(refused).toMatchObject({ caseId, record: 'session', recordId: sessionId, kept: { result: '同意修复' } });
    expect(String(refused!.refused.result)).toContain('不同意');
    expect(refused!.edits.some((e) => e.deviceId === 'device-laptop' && e.action === 'updateSession')).toBe(true);
  });

  describe('acts in the role held in the community of the document, not the one the screens show', () => {
    const XIHE = toCommunityId('xihe');
    const DONGHU = toCommunityId('donghu');

    /** DONGHU's cases document with two cases numbered 1 by two offline laptops. */
    async function collidingDonghu() {
      const store = getStore();
      const name = docName({ community: DONGHU, collection: 'cases', year: 2026 });
      const doc = await store.document(name);
      must(intakeCase(doc, device('a', '2026-03-02T01:00:00.000Z'), intake({ facts: 'a' }), null));
      const other = new Y.Doc();
      must(intakeCase(other, device('b', '2026-03-02T03:00:00.000Z'), intake({ facts: 'b' }), null));
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'sync');
      expect(numbers(doc)).toEqual({ a: 1, b: 1 });
      return { store, name, doc };
    }

    it('settles the numbers of a community the device edits while the screens show one it only views', async () => {
      const { store, name, doc } = await collidingDonghu();
      await keepTokenRole(store, [XIHE], 'viewer');
      await store.setCurrentCommunity(XIHE);
      expect(store.permissions().has('cases.edit')).toBe(false); // the screens' community: read-only
      expect(settleCaseNumbers(doc, store, DONGHU)).toBe(1);
      expect(numbers(doc)).toEqual({ a: 1, b: 2 });
      expect(readCase(doc, listCases(doc).find((c) => c.facts === 'b')!.id)!.timeline.at(-1)).toMatchObject({
        kind: 'renumber',
        by: { userId: store.user.userId },
      });
      expect(name.startsWith(DONGHU)).toBe(true);
    });

    it('writes nothing in a community the device only views, even while the screens show one it edits', async () => {
      const { store, name, doc } = await collidingDonghu();
      await keepTokenRole(store, [DONGHU], 'viewer');
      await store.setCurrentCommunity(XIHE);
      expect(store.permissions().has('cases.edit')).toBe(true);
      const before = Y.encodeStateVector(doc);
      const notices: CaseNotice[] = [];
      const stopNotices = onCaseNotice((notice) => notices.push(notice));
      const stopWatch = watchCasesDoc(doc, name, store);
      expect(settleCaseNumbers(doc, store, DONGHU)).toBe(0);
      expect(numbers(doc)).toEqual({ a: 1, b: 1 });
      expect(Y.encodeStateVector(doc)).toEqual(before);
      expect(notices.filter((n) => n.kind === 'renumbered')).toEqual([]);
      stopWatch();
      stopNotices();
    });
  });
});
