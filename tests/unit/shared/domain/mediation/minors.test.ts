import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readCase } from '@shared/ydoc/cases';
import { intakeCase, setCasePartyGuardian } from '@shared/domain/mediation/commands';
import {
  allowedActions,
  capacityAt,
  minorsWithoutGuardian,
  partyCapacity,
  reachAgreement,
  recordSession,
  recordVisit,
  requiredAgreementSigners,
  requiredSessionSigners,
  sealAgreement,
  setGuardian,
  signAgreement,
  signSession,
} from '@shared/domain/mediation/machine';
import type { AgreementId, MediationCase, PartyId, SessionId, Signer } from '@shared/domain/mediation/types';
import { errorOf, intakeInput, makeCtx, party, registered, screen, unwrap } from './fixtures';

const ctx = makeCtx();
const FATHER = { name: '王大明', relation: 'father', idNumber: '511302198001011234', phone: '13900001111' } as const;

/** A case registered on 2026-03-01 whose applicant is a minor of the given age (or birth date), respondent an adult. */
function withMinor(minor: { age?: number; birthDate?: string; guardian?: typeof FATHER }): MediationCase {
  return registered(ctx, {
    input: {
      parties: [
        party('applicant', {
          name: '王小明',
          age: minor.age ?? null,
          birthDate: minor.birthDate ?? null,
          guardian: minor.guardian ?? null,
        }),
        party('respondent', { name: '李秀英', age: 45 }),
      ],
    },
  });
}

const minorId = (c: MediationCase) => c.parties[0]!.id;
const adultId = (c: MediationCase) => c.parties[1]!.id;

function drafted(c: MediationCase): { c: MediationCase; agreementId: AgreementId } {
  const handled = unwrap(recordVisit(c, { caseId: c.id, kind: 'visit', by: '楼栋长王' }, ctx));
  const next = unwrap(
    reachAgreement(
      handled,
      {
        caseId: c.id,
        kind: 'written',
        terms: '赔偿玻璃',
        mediatorName: '调解员李',
        committeeName: '北湖社区人民调解委员会',
      },
      ctx,
    ),
  );
  return { c: next, agreementId: Object.keys(next.agreements)[0] as AgreementId };
}

function sign(c: MediationCase, agreementId: AgreementId, signer: Signer) {
  return signAgreement(c, { caseId: c.id, agreementId, signer, signature: screen() }, ctx);
}

describe('civil capacity by age (民法典 art. 17-20)', () => {
  it('is none under 8, limited from 8 to 17, full from 18, unknown without an age', () => {
    expect([0, 7, 8, 17, 18, 70].map(capacityAt)).toEqual(['none', 'none', 'limited', 'limited', 'full', 'full']);
    expect(capacityAt(null)).toBe('unknown');
  });

  it("counts the age from the birth date at the case's registration day, before the age typed", () => {
    // Registered on 2026-03-01: born 2008-03-02 is still 17 that day, born 2008-03-01 is 18.
    expect(partyCapacity({ startDate: '2026-03-01' }, { age: 30, birthDate: '2008-03-02' })).toBe('limited');
    expect(partyCapacity({ startDate: '2026-03-01' }, { age: null, birthDate: '2008-03-01' })).toBe('full');
    expect(partyCapacity({ startDate: '2026-03-01' }, { age: 12 })).toBe('limited');
  });
});

describe('a minor party and the guardian', () => {
  it('registers a minor with a warning to record the guardian, and keeps the guardian given at intake', () => {
    const bare = withMinor({ age: 12 });
    expect(minorsWithoutGuardian(bare).map((p) => p.name)).toEqual(['王小明']);
    expect(allowedActions(bare, ctx, '2026-03-01')).toContain('setGuardian');
    const guarded = withMinor({ birthDate: '2014-06-01', guardian: FATHER });
    expect(minorsWithoutGuardian(guarded)).toEqual([]);
    expect(guarded.parties[0]).toMatchObject({ birthDate: '2014-06-01', guardian: { ...FATHER, residentId: null } });
    // Adults only: nothing to record, nothing offered.
    const adults = registered(ctx);
    expect(minorsWithoutGuardian(adults)).toEqual([]);
    expect(allowedActions(adults, ctx, '2026-03-01')).not.toContain('setGuardian');
  });

  it('records the guardian later, with a timeline event that holds no ID number or phone', () => {
    const c = withMinor({ age: 12 });
    const next = unwrap(setGuardian(c, { caseId: c.id, partyId: minorId(c), guardian: FATHER }, ctx));
    expect(next.parties[0]!.guardian).toMatchObject({ name: '王大明', relation: 'father' });
    expect(minorsWithoutGuardian(next)).toEqual([]);
    const event = next.timeline.at(-1)!;
    expect(event.kind).toBe('setGuardian');
    expect(JSON.stringify(event.detail)).not.toContain(FATHER.idNumber);
    expect(JSON.stringify(event.detail)).not.toContain(FATHER.phone);
    expect(errorOf(setGuardian(c, { caseId: c.id, partyId: 'nobody' as PartyId, guardian: FATHER }, ctx)).code).toBe(
      'case.party-unknown',
    );
  });

  it("needs the guardian's signature for a minor of 8-17, who may sign as well; the minor's alone does not bind", () => {
    const start = drafted(withMinor({ age: 12 }));
    expect(requiredAgreementSigners(start.c)).toEqual([
      { role: 'guardian', partyId: minorId(start.c) },
      { role: 'party', partyId: adultId(start.c) },
      { role: 'mediator' },
    ]);
    // No guardian recorded yet: the guardian cannot sign, and says so.
    expect(errorOf(sign(start.c, start.agreementId, { role: 'guardian', partyId: minorId(start.c) }))).toEqual({
      code: 'party.guardian-missing',
      field: 'signer',
      params: { name: '王小明' },
    });
    let c = unwrap(sign(start.c, start.agreementId, { role: 'party', partyId: minorId(start.c) }));
    c = unwrap(sign(c, start.agreementId, { role: 'party', partyId: adultId(c) }));
    c = unwrap(sign(c, start.agreementId, { role: 'mediator' }));
    c = unwrap(sealAgreement(c, { caseId: c.id, agreementId: start.agreementId }, ctx));
    expect(c.status).toBe('signing');
    c = unwrap(setGuardian(c, { caseId: c.id, partyId: minorId(c), guardian: FATHER }, ctx));
    c = unwrap(sign(c, start.agreementId, { role: 'guardian', partyId: minorId(c) }));
    expect(c.status).toBe('agreed');
    expect(c.agreements[start.agreementId]!.lockedAt).not.toBeNull();
  });

  it('lets the guardian sign instead of a child under 8, who cannot sign', () => {
    const start = drafted(withMinor({ age: 6, guardian: FATHER }));
    expect(errorOf(sign(start.c, start.agreementId, { role: 'party', partyId: minorId(start.c) }))).toMatchObject({
      code: 'signature.minor-no-capacity',
    });
    let c = unwrap(sign(start.c, start.agreementId, { role: 'guardian', partyId: minorId(start.c) }));
    c = unwrap(sign(c, start.agreementId, { role: 'party', partyId: adultId(c) }));
    c = unwrap(sign(c, start.agreementId, { role: 'mediator' }));
    c = unwrap(sealAgreement(c, { caseId: c.id, agreementId: start.agreementId }, ctx));
    expect(c.status).toBe('agreed');
  });

  it('asks the guardian to sign a session record for a minor present, and refuses a guardian of an adult', () => {
    const c0 = unwrap(
      recordVisit(withMinor({ age: 15, guardian: FATHER }), { caseId: 'x', kind: 'visit', by: '王' }, ctx),
    );
    let c = unwrap(
      recordSession(
        c0,
        {
          caseId: c0.id,
          at: ctx.now().toISOString(),
          place: '社区调解室',
          presentPartyIds: c0.parties.map((p) => p.id),
          mediatorName: '调解员李',
          recorderName: '记录员赵',
        },
        ctx,
      ),
    );
    const sessionId = Object.keys(c.sessions)[0] as SessionId;
    expect(requiredSessionSigners(c, c.sessions[sessionId]!)[0]).toEqual({ role: 'guardian', partyId: minorId(c) });
    const signS = (state: MediationCase, signer: Signer) =>
      signSession(state, { caseId: state.id, sessionId, signer, signature: screen() }, ctx);
    expect(errorOf(signS(c, { role: 'guardian', partyId: adultId(c) })).code).toBe('signature.unknown-signer');
    for (const signer of [
      { role: 'guardian', partyId: minorId(c) },
      { role: 'party', partyId: adultId(c) },
      { role: 'mediator' },
      { role: 'recorder' },
    ] as Signer[]) {
      c = unwrap(signS(c, signer));
    }
    expect(c.sessions[sessionId]!.lockedAt).not.toBeNull();
  });
});

describe('setCasePartyGuardian (command)', () => {
  it('writes the guardian in one transaction with its audit entry, and a viewer may not', () => {
    const doc = new Y.Doc();
    const input = intakeInput({ parties: [party('applicant', { age: 10 }), party('respondent')] });
    const id = unwrap(intakeCase(doc, ctx, input, null));
    const partyId = readCase(doc, id)!.parties[0]!.id;
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    unwrap(setCasePartyGuardian(doc, ctx, { caseId: id, partyId, guardian: { name: '张母', relation: 'mother' } }));
    expect(transactions).toBe(1);
    expect(readCase(doc, id)!.parties[0]!.guardian).toEqual({
      name: '张母',
      relation: 'mother',
      idNumber: null,
      phone: null,
      residentId: null,
    });
    const viewer = makeCtx({ permissions: [] });
    expect(
      errorOf(
        setCasePartyGuardian(doc, viewer, { caseId: id, partyId, guardian: { name: '张母', relation: 'mother' } }),
      ).code,
    ).toBe('permission-denied');
  });
});
