import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  archiveCase,
  closeCase,
  escalateCase,
  intakeCase,
  recordCaseOutcome,
  reachCaseAgreement,
  recordCaseSession,
  recordCaseVisit,
  renumberCases,
  sealCaseAgreement,
  signCaseAgreement,
  signCaseSession,
  updateCaseAgreement,
  updateCaseSession,
} from '@shared/domain/mediation/commands';
import { formatCaseNumber, settleNumbers } from '@shared/domain/mediation/caseNumber';
import { isCommandOrigin } from '@shared/domain/kernel';
import { recordVisit } from '@shared/domain/mediation/machine';
import type { AgreementId, CaseId, SessionId } from '@shared/domain/mediation/types';
import { CREATED_FIELDS } from '@shared/ydoc/created';
import {
  casesMap,
  enforceLocks,
  guardLocks,
  listCases,
  readCase,
  readCaseAudit,
  readRefusedChanges,
  validateIncoming,
} from '@shared/ydoc/cases';
import { errorOf, intakeInput, makeCtx, registryWithHeads, screen, sync, unwrap } from './fixtures';

function newCase(doc: Y.Doc, ctx = makeCtx(), registry: Y.Doc | null = null): CaseId {
  return unwrap(intakeCase(doc, ctx, intakeInput(), registry));
}

describe('case commands over the document', () => {
  it('registers at the building head from the registry chain, in one tagged transaction with one audit entry', () => {
    const ctx = makeCtx();
    const world = registryWithHeads(ctx, ['courtyard', 'street']);
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const id = unwrap(
      intakeCase(doc, ctx, intakeInput({ place: { buildingId: world.building, address: '' } }), world.doc),
    );
    expect(origins).toHaveLength(1);
    expect(isCommandOrigin(origins[0])).toBe(true);
    const c = readCase(doc, id);
    expect(c).toMatchObject({ level: 'courtyard', number: 1, facts: '楼上漏水到楼下' });
    expect(c?.chain.map((l) => l.level)).toEqual(['building', 'courtyard', 'lane', 'street', 'area']);
    expect(readCaseAudit(doc)).toEqual([expect.objectContaining({ action: 'intake', caseId: id, recordId: id })]);
    expect(errorOf(intakeCase(doc, ctx, intakeInput({ place: { buildingId: 'nope' } }), world.doc))).toEqual({
      code: 'not-found',
      field: 'place.buildingId',
    });
  });

  it('keeps facts as Y.Text and the timeline as an append-only Y.Array', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = newCase(doc, ctx);
    unwrap(recordCaseVisit(doc, ctx, { caseId: id, kind: 'talk', by: '院长' }));
    unwrap(escalateCase(doc, ctx, { caseId: id, reason: '院长劝解不成' }));
    const map = casesMap(doc).get(id);
    expect(map?.get('facts')).toBeInstanceOf(Y.Text);
    expect(map?.get('timeline')).toBeInstanceOf(Y.Array);
    expect(readCase(doc, id)?.timeline.map((e) => e.kind)).toEqual(['intake', 'recordVisit', 'escalate']);
    expect(readCaseAudit(doc).map((e) => e.action)).toEqual(['intake', 'recordVisit', 'escalate']);
  });

  it('creates a case with its plain fields in one created value; a later change is a key of its own that wins', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = newCase(doc, ctx);
    const map = casesMap(doc).get(id)!;
    const created = JSON.parse(map.get(CREATED_FIELDS) as string) as Record<string, unknown>;
    expect(created).toMatchObject({ id, level: 'committee', number: 1 });
    expect(created).not.toHaveProperty('facts'); // texts, lists and records keep their Yjs types
    expect(map.has('level')).toBe(false);
    unwrap(escalateCase(doc, ctx, { caseId: id, reason: '调解不成' }));
    expect(map.has('level')).toBe(true);
    expect(readCase(doc, id)?.level).not.toBe('committee');
    expect(readCase(doc, id)?.timeline.map((e) => e.kind)).toEqual(['intake', 'escalate']);
    // Two laptops: a change of a plain field on one and an appended visit on the other both stay.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    unwrap(recordCaseVisit(other, makeCtx({ user: 'field' }), { caseId: id, kind: 'talk', by: '院长' }));
    sync(doc, other);
    expect(readCase(other, id)).toEqual(readCase(doc, id));
    expect(readCase(doc, id)?.visits).toHaveLength(1);
  });

  it('reads a case written one key per field (before created values) the same way', () => {
    const doc = new Y.Doc();
    const id = newCase(doc);
    const value = readCase(doc, id)!;
    const old = new Y.Doc();
    old.transact(() => {
      const map = casesMap(old).set(id, new Y.Map<unknown>());
      for (const [key, field] of Object.entries(value)) {
        if (key === 'facts') map.set(key, new Y.Text(field as string));
        else if (Array.isArray(field) && key !== 'chain' && key !== 'parties') map.set(key, Y.Array.from(field));
        else if (key === 'sessions' || key === 'agreements') map.set(key, new Y.Map());
        else map.set(key, field);
      }
    });
    expect(readCase(old, id)).toEqual(value);
  });

  it('writes nothing when the machine refuses', () => {
    const doc = new Y.Doc();
    const id = newCase(doc);
    const before = Y.encodeStateVector(doc);
    expect(errorOf(escalateCase(doc, makeCtx(), { caseId: id, reason: '' })).code).toBe('required');
    expect(errorOf(escalateCase(doc, makeCtx(), { caseId: 'missing' as CaseId, reason: 'r' })).code).toBe('not-found');
    expect(errorOf(escalateCase(doc, makeCtx({ permissions: [] }), { caseId: id, reason: 'r' })).code).toBe(
      'permission-denied',
    );
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});

describe('case numbers from two offline laptops', () => {
  it('settles to the same numbers on both, without duplicates, and reports the renumbered cases', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ctxA = makeCtx({ user: 'a', start: '2026-03-01T01:00:00.000Z' });
    const ctxB = makeCtx({ user: 'b', start: '2026-03-01T00:30:00.000Z' });
    newCase(a, ctxA); // 1, shared before going offline
    sync(a, b);
    const onA: CaseId[] = [];
    const onB: CaseId[] = [];
    for (let i = 0; i < 3; i++) {
      ctxA.advance(3600_000);
      ctxB.advance(3600_000);
      onA.push(newCase(a, ctxA));
      onB.push(newCase(b, ctxB));
    }
    expect(
      listCases(a)
        .map((c) => c.number)
        .sort(),
    ).toEqual([1, 2, 3, 4]);
    expect(
      listCases(b)
        .map((c) => c.number)
        .sort(),
    ).toEqual([1, 2, 3, 4]);
    sync(a, b);
    const settledA = settleNumbers(listCases(a));
    expect(settledA).toEqual(settleNumbers(listCases(b)));
    expect(new Set(settledA.values()).size).toBe(7);
    // b registered each of its cases 30 minutes earlier, so b keeps 2-4 and a's cases move to 5-7
    expect(onB.map((id) => settledA.get(id))).toEqual([2, 3, 4]);
    expect(onA.map((id) => settledA.get(id))).toEqual([5, 6, 7]);

    const renumberedA = unwrap(renumberCases(a, ctxA));
    const renumberedB = unwrap(renumberCases(b, ctxB)); // both settle at once, before exchanging
    expect(renumberedA).toEqual(renumberedB);
    expect(renumberedA.map((r) => [r.from, r.to])).toEqual([
      [2, 5],
      [3, 6],
      [4, 7],
    ]);
    sync(a, b);
    for (const doc of [a, b]) {
      const numbers = listCases(doc).map((c) => c.number);
      expect(new Set(numbers).size).toBe(7);
      const moved = readCase(doc, onA[0] as CaseId);
      expect(moved?.timeline.filter((e) => e.kind === 'renumber')).toEqual([
        expect.objectContaining({ detail: { from: 2, to: 5 } }),
      ]);
      expect(moved?.provisionalNumber).toBe(2);
    }
    expect(unwrap(renumberCases(a, ctxA))).toEqual([]);
    expect(formatCaseNumber(2026, 5, { prefix: '顺' })).toBe('(2026)顺人调字第 5 号');
  });
});

describe('locked records arriving by sync', () => {
  /** A case in the office with a head's visit and one session record (unsigned). */
  function caseWithSession() {
    const ctx = makeCtx({ user: 'office' });
    const office = new Y.Doc();
    const id = newCase(office, ctx);
    unwrap(recordCaseVisit(office, ctx, { caseId: id, kind: 'visit', by: '楼栋长' }));
    const recorded = unwrap(
      recordCaseSession(office, ctx, {
        caseId: id,
        at: ctx.now().toISOString(),
        place: '调解室',
        presentPartyIds: [],
        mediatorName: '李',
        recorderName: '赵',
        result: '双方同意修复',
      }),
    );
    return { ctx, office, id, sessionId: Object.keys(recorded.sessions)[0] as SessionId };
  }

  function signedAgreementOnTwoLaptops() {
    const { ctx, office, id } = caseWithSession();
    const draft = unwrap(
      reachCaseAgreement(office, ctx, {
        caseId: id,
        kind: 'written',
        terms: '赔偿500元',
        mediatorName: '李',
        committeeName: '调委会',
      }),
    );
    const agreementId = Object.keys(draft.agreements)[0] as AgreementId;
    const laptop = new Y.Doc();
    sync(office, laptop); // the field laptop leaves with the draft
    for (const p of draft.parties) {
      unwrap(
        signCaseAgreement(office, ctx, {
          caseId: id,
          agreementId,
          signer: { role: 'party', partyId: p.id },
          signature: screen(),
        }),
      );
    }
    unwrap(
      signCaseAgreement(office, ctx, { caseId: id, agreementId, signer: { role: 'mediator' }, signature: screen() }),
    );
    unwrap(sealCaseAgreement(office, ctx, { caseId: id, agreementId }));
    expect(readCase(office, id)?.status).toBe('agreed');
    // Offline, the laptop still sees a draft and edits the terms: its machine allows it.
    const laptopCtx = makeCtx({ user: 'field', device: 'old-laptop' });
    unwrap(updateCaseAgreement(laptop, laptopCtx, { caseId: id, agreementId, changes: { terms: '赔偿300元' } }));
    return { office, laptop, id, agreementId, ctx };
  }

  it('validateIncoming reports the edit of a signed agreement without touching the document', () => {
    const { office, laptop, agreementId } = signedAgreementOnTwoLaptops();
    const update = Y.encodeStateAsUpdate(laptop, Y.encodeStateVector(office));
    const before = Y.encodeStateVector(office);
    const found = validateIncoming(office, update);
    expect(found).toEqual([
      expect.objectContaining({
        record: 'agreement',
        recordId: agreementId,
        refused: { terms: '赔偿300元' },
        kept: { terms: '赔偿500元' },
      }),
    ]);
    expect(Y.encodeStateVector(office)).toEqual(before);
  });

  it('restores the signed terms and keeps the refused edit for an admin, the same on both devices', () => {
    const { office, laptop, id, agreementId, ctx } = signedAgreementOnTwoLaptops();
    const refusals: unknown[] = [];
    const stopOffice = guardLocks(office, 'dev-office', ctx.now, (r) => refusals.push(...r));
    const stopLaptop = guardLocks(laptop, 'old-laptop', ctx.now);
    sync(office, laptop);
    sync(office, laptop);
    for (const doc of [office, laptop]) {
      expect(readCase(doc, id)?.agreements[agreementId]?.terms).toBe('赔偿500元');
      expect(readCase(doc, id)?.status).toBe('agreed');
      const refused = readRefusedChanges(doc);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({
        caseId: id,
        record: 'agreement',
        recordId: agreementId,
        refused: { terms: '赔偿300元' },
      });
      const laptopEdits = refused[0]?.edits.filter((e) => e.deviceId === 'old-laptop');
      expect(laptopEdits?.map((e) => e.action)).toEqual(['updateAgreement']);
      expect(laptopEdits?.[0]?.fields.values).toEqual({ terms: '赔偿300元' });
    }
    expect(refusals).toHaveLength(1);
    expect(enforceLocks(office, 'dev-office', ctx.now())).toEqual([]);
    stopOffice();
    stopLaptop();
  });

  it('restores the text of a session some have signed when a laptop that had not seen the signature edits it', () => {
    const { ctx, office, id, sessionId } = caseWithSession();
    const laptop = new Y.Doc();
    sync(office, laptop); // the field laptop leaves with the unsigned record
    unwrap(signCaseSession(office, ctx, { caseId: id, sessionId, signer: { role: 'mediator' }, signature: screen() }));
    expect(readCase(office, id)?.sessions[sessionId]?.lockedAt).toBeNull(); // signed by one, not locked
    const laptopCtx = makeCtx({ user: 'field', device: 'old-laptop' });
    unwrap(updateCaseSession(laptop, laptopCtx, { caseId: id, sessionId, changes: { result: '一方不同意' } }));
    const stopOffice = guardLocks(office, 'dev-office', ctx.now);
    const stopLaptop = guardLocks(laptop, 'old-laptop', ctx.now);
    sync(office, laptop);
    sync(office, laptop);
    for (const doc of [office, laptop]) {
      const session = readCase(doc, id)?.sessions[sessionId];
      expect(session?.result).toBe('双方同意修复');
      expect(session?.signatures).toHaveLength(1);
      expect(readRefusedChanges(doc)).toEqual([
        expect.objectContaining({ record: 'session', recordId: sessionId, refused: { result: '一方不同意' } }),
      ]);
    }
    stopOffice();
    stopLaptop();
  });

  it('leaves documents alone when nothing locked was touched', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    const stop = guardLocks(other, 'dev-2', () => new Date());
    newCase(doc);
    sync(doc, other);
    expect(readRefusedChanges(other)).toEqual([]);
    stop();
  });
});

describe('mediation commands on the command kernel', () => {
  it("parses a step's input once, with the step's schema, and the machine gets the parsed value (defaults filled)", () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = newCase(doc, ctx);
    const parse = vi.spyOn(recordVisit.schema, 'safeParse');
    try {
      const next = unwrap(recordCaseVisit(doc, ctx, { caseId: id, kind: 'visit', by: '楼栋长' }));
      expect(parse).toHaveBeenCalledTimes(1);
      expect(next.visits[0]).toMatchObject({ kind: 'visit', by: '楼栋长', note: '' });
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps the refusal codes: permission, input field, unknown case, status, admin-only archive', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = newCase(doc, ctx);
    const viewer = makeCtx({ permissions: ['registry.reveal'] });
    const editor = makeCtx({ permissions: ['cases.edit'] });
    expect(errorOf(recordCaseVisit(doc, viewer, { caseId: id, kind: 'visit', by: 'x' })).code).toBe(
      'permission-denied',
    );
    expect(errorOf(recordCaseVisit(doc, ctx, { caseId: id, kind: 'visit', by: '' }))).toMatchObject({
      code: 'required',
      field: 'by',
    });
    expect(errorOf(recordCaseVisit(doc, ctx, { caseId: 'nope' as CaseId, kind: 'visit', by: 'x' }))).toEqual({
      code: 'not-found',
      field: 'caseId',
    });
    expect(errorOf(closeCase(doc, ctx, { caseId: id })).code).toBe('case.transition');
    unwrap(recordCaseOutcome(doc, ctx, { caseId: id, outcome: { kind: 'referred', to: 'court' } }));
    unwrap(closeCase(doc, editor, { caseId: id }));
    expect(errorOf(archiveCase(doc, editor, { caseId: id })).code).toBe('permission-denied');
    expect(unwrap(archiveCase(doc, ctx, { caseId: id })).status).toBe('archived');
    expect(readCaseAudit(doc).map((e) => e.action)).toEqual(['intake', 'recordOutcome', 'close', 'archive']);
  });

  it('names each command for the transaction origin and the audit', () => {
    expect(recordCaseVisit.commandName).toBe('recordVisit');
    expect(archiveCase.permission).toBe('admin');
    expect(intakeCase.commandName).toBe('intake');
  });
});
