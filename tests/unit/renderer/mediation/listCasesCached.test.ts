import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  escalateCase,
  intakeCase,
  recordCaseSession,
  recordCaseVisit,
  signCaseSession,
} from '@shared/domain/mediation/commands';
import type { CommandContext } from '@shared/domain/registry/commands';
import { canonicalJson, listCases } from '@shared/ydoc/cases';
import { listCasesCached } from '../../../../renderer/features/mediation/useCases';
import { intake, must } from './mediationFixture';

function ctxOf(name: string): CommandContext {
  let n = 0;
  return {
    actor: { userId: name, userName: name, deviceId: name },
    now: () => new Date('2026-03-02T02:00:00.000Z'),
    newId: () => `${name}-${n++}`,
    permissions: new Set(['cases.edit']),
  };
}

function same(doc: Y.Doc) {
  const byId = (list: { id: string }[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(canonicalJson(byId(listCasesCached(doc)))).toBe(canonicalJson(byId(listCases(doc))));
}

describe('cached case list', () => {
  it('reads the same as a full read after local commands, nested edits and changes merged from another device', () => {
    const doc = new Y.Doc();
    const here = ctxOf('here');
    same(doc);
    const a = must(intakeCase(doc, here, intake(), null));
    const b = must(intakeCase(doc, here, intake(), null));
    same(doc);
    must(recordCaseVisit(doc, here, { caseId: a, kind: 'visit', by: '周楼长' }));
    same(doc);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const there = ctxOf('there');
    must(escalateCase(other, there, { caseId: b, reason: '上报' }));
    const session = must(
      recordCaseSession(other, there, {
        caseId: b,
        at: '2026-03-02T03:00:00.000Z',
        place: '社区',
        presentPartyIds: [],
        mediatorName: '赵',
        recorderName: '周',
      }),
    );
    must(
      signCaseSession(other, there, {
        caseId: b,
        sessionId: Object.values(session.sessions)[0]!.id,
        signer: { role: 'mediator' },
        signature: { kind: 'on-screen', image: 'data:image/png;base64,AA==' },
      }),
    );
    must(intakeCase(other, there, intake(), null));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    same(doc);
    expect(listCasesCached(doc)).toHaveLength(3);
    // An unchanged case is the same object: screens that memoise on it do not redraw.
    const before = listCasesCached(doc).find((c) => c.id === a);
    must(recordCaseVisit(doc, here, { caseId: b, kind: 'talk', by: '刘院长' }));
    expect(listCasesCached(doc).find((c) => c.id === a)).toBe(before);
    same(doc);
  });
});
