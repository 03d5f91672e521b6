import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  archive,
  close,
  correct,
  currentAgreement,
  escalate,
  extendDeadline,
  intake,
  levelDurations,
  missingIntakeFields,
  markJudicialConfirmation,
  reachAgreement,
  recordFollowUp,
  recordOutcome,
  recordSession,
  recordVisit,
  sealAgreement,
  signAgreement,
  signSession,
  startPerformance,
  transition,
  updateAgreement,
  updateSession,
} from '@shared/domain/mediation/machine';
import type { MediationCase, SessionId, AgreementId } from '@shared/domain/mediation/types';
import { chainWith, errorOf, intakeInput, makeCtx, paper, party, registered, screen, unwrap } from './fixtures';

const ctx = makeCtx();
const HOUR = 3600_000;
const DAY = 24 * HOUR;

function handling(c = registered(ctx)): MediationCase {
  return unwrap(recordVisit(c, { caseId: c.id, kind: 'visit', by: '楼栋长王' }, ctx));
}

function withSession(c = handling()): { c: MediationCase; sessionId: SessionId } {
  const next = unwrap(
    recordSession(
      c,
      {
        caseId: c.id,
        at: ctx.now().toISOString(),
        place: '社区调解室',
        presentPartyIds: c.parties.map((p) => p.id),
        mediatorName: '调解员李',
        recorderName: '记录员赵',
        statements: Object.fromEntries(c.parties.map((p) => [p.id, `${p.name}的陈述`])),
        factsChecked: '现场查看属实',
        result: '双方同意修复',
      },
      ctx,
    ),
  );
  const sessionId = Object.keys(next.sessions)[0] as SessionId;
  return { c: next, sessionId };
}

function signAllSession(c: MediationCase, sessionId: SessionId): MediationCase {
  let next = c;
  for (const p of c.parties) {
    next = unwrap(
      signSession(
        next,
        { caseId: c.id, sessionId, signer: { role: 'party', partyId: p.id }, signature: screen() },
        ctx,
      ),
    );
  }
  next = unwrap(signSession(next, { caseId: c.id, sessionId, signer: { role: 'mediator' }, signature: screen() }, ctx));
  return unwrap(signSession(next, { caseId: c.id, sessionId, signer: { role: 'recorder' }, signature: paper() }, ctx));
}

const written = {
  kind: 'written',
  terms: '楼上住户负责修复防水层',
  mediatorName: '调解员李',
  committeeName: '北湖社区人民调解委员会',
} as const;

function drafted(c = withSession().c): { c: MediationCase; agreementId: AgreementId } {
  const next = unwrap(reachAgreement(c, { caseId: c.id, ...written, performanceDeadline: '2026-03-20' }, ctx));
  return { c: next, agreementId: Object.keys(next.agreements)[0] as AgreementId };
}

function inForce(): { c: MediationCase; agreementId: AgreementId } {
  const first = drafted();
  const agreementId = first.agreementId;
  let c = first.c;
  for (const p of c.parties) {
    c = unwrap(
      signAgreement(
        c,
        { caseId: c.id, agreementId, signer: { role: 'party', partyId: p.id }, signature: screen() },
        ctx,
      ),
    );
  }
  c = unwrap(signAgreement(c, { caseId: c.id, agreementId, signer: { role: 'mediator' }, signature: screen() }, ctx));
  c = unwrap(sealAgreement(c, { caseId: c.id, agreementId }, ctx));
  return { c, agreementId };
}

describe('intake', () => {
  it('registers at the lowest head of the place, with the deadline one month on', () => {
    const c = registered(ctx, { number: 7 });
    expect(c).toMatchObject({ status: 'registered', level: 'building', number: 7, provisionalNumber: 7 });
    expect(c.startDate).toBe('2026-03-01');
    expect(c.dueDate).toBe('2026-04-01');
    expect(c.steps).toHaveLength(1);
    expect(c.steps[0]).toMatchObject({ level: 'building', reason: null, by: { userId: 'u1' } });
    expect(c.parties.map((p) => p.role)).toEqual(['applicant', 'respondent']);
    expect(c.timeline.map((e) => e.kind)).toEqual(['intake']);
  });

  it('starts with the courtyard head when the building head post is empty, and with the committee when all are', () => {
    expect(registered(ctx, { chain: chainWith(['courtyard', 'area']) }).level).toBe('courtyard');
    expect(registered(ctx, { chain: chainWith([]) }).level).toBe('committee');
    expect(registered(ctx, { chain: [] }).level).toBe('committee');
  });

  it('refuses a case without both an applicant and a respondent, bad input, and a viewer', () => {
    const env = { chain: [], number: 1 };
    expect(errorOf(intake(intakeInput({ parties: [party('applicant')] }), env, ctx)).code).toBe(
      'case.parties-required',
    );
    expect(errorOf(intake(intakeInput({ category: 'gossip' as never }), env, ctx))).toEqual({
      code: 'invalid',
      field: 'category',
    });
    expect(errorOf(intake(intakeInput(), env, makeCtx({ permissions: [] }))).code).toBe('permission-denied');
  });

  it('requires a place (a building or an address) and the short facts: the 调解登记表 prints them', () => {
    const env = { chain: [], number: 1 };
    const bare = { buildingId: null, householdId: null, address: '  ' };
    expect(errorOf(intake(intakeInput({ place: bare }), env, ctx))).toEqual({
      code: 'required',
      field: 'place.address',
    });
    expect(errorOf(intake(intakeInput({ facts: ' ' }), env, ctx))).toEqual({ code: 'required', field: 'facts' });
    const { facts: _facts, ...noFacts } = intakeInput();
    expect(errorOf(intake(noFacts, env, ctx))).toEqual({ code: 'required', field: 'facts' });
    // A building alone is a place: the address is filled from it on the form, but the registry names it anyway.
    const inBuilding = { buildingId: 'b1', householdId: null, address: '' };
    expect(unwrap(intake(intakeInput({ place: inBuilding }), env, ctx)).place.buildingId).toBe('b1');
  });

  it('lists, field by field, what an empty registration lacks, and nothing for a complete one', () => {
    const empty = { place: { address: '' }, source: 'resident-request', category: 'other', risk: 'blue', parties: [] };
    expect(missingIntakeFields(empty as never)).toEqual(['place', 'applicant', 'respondent', 'facts']);
    expect(missingIntakeFields(intakeInput({ parties: [party('respondent')] }))).toEqual(['applicant']);
    expect(missingIntakeFields(intakeInput())).toEqual([]);
    // Two bare names and nothing else: the machine's first refusal names the place, not the parties' format.
    const env = { chain: [], number: 1 };
    expect(
      errorOf(intake({ ...(empty as object), parties: [party('applicant'), party('respondent')] }, env, ctx)),
    ).toEqual({ code: 'required', field: 'place.address' });
    expect(errorOf(intake(intakeInput({ parties: [] }), env, ctx)).code).toBe('case.parties-required');
  });
});

describe('handling along the chain', () => {
  it('moves to handling on the first visit and keeps who, when and where', () => {
    const c = handling();
    expect(c.status).toBe('handling');
    expect(c.visits[0]).toMatchObject({
      kind: 'visit',
      level: 'building',
      by: '楼栋长王',
      recordedBy: { userId: 'u1' },
    });
  });

  it('escalates up the chain skipping empty posts, then to the committee and the street office, each step with who, when, why', () => {
    const t = makeCtx();
    let c = registered(t, { chain: chainWith(['building', 'lane']) });
    const levels: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.advance(DAY);
      c = unwrap(escalate(c, { caseId: c.id, reason: `第${i + 1}次上报` }, t));
      levels.push(c.level);
    }
    expect(levels).toEqual(['lane', 'committee', 'street-office']);
    expect(c.status).toBe('handling');
    expect(c.steps.map((s) => [s.level, s.reason])).toEqual([
      ['building', null],
      ['lane', '第1次上报'],
      ['committee', '第2次上报'],
      ['street-office', '第3次上报'],
    ]);
    t.advance(HOUR);
    const durations = levelDurations(c, t.now());
    expect(durations.map((d) => d.ms)).toEqual([DAY, DAY, DAY, HOUR]);
    expect(durations[3]?.leftAt).toBeNull();
  });

  it('refuses escalation past the street office and escalation without a reason', () => {
    let c = registered(ctx, { chain: [] });
    c = unwrap(escalate(c, { caseId: c.id, reason: '调委会调解不成' }, ctx));
    expect(c.level).toBe('street-office');
    expect(errorOf(escalate(c, { caseId: c.id, reason: '再上报' }, ctx)).code).toBe('case.escalation-top');
    expect(errorOf(escalate(registered(ctx), { caseId: 'x', reason: '  ' }, ctx))).toEqual({
      code: 'required',
      field: 'reason',
    });
  });
});

describe('session records', () => {
  it('records a session, moves to in-session, and locks it when parties, mediator and recorder have all signed', () => {
    const { c, sessionId } = withSession();
    expect(c.status).toBe('in-session');
    const signed = signAllSession(c, sessionId);
    const session = signed.sessions[sessionId];
    expect(session?.lockedAt).not.toBeNull();
    expect(session?.signatures.map((s) => s.kind)).toEqual(['on-screen', 'on-screen', 'on-screen', 'on-paper']);
    expect(session?.signedContent).toMatchObject({ result: '双方同意修复', place: '社区调解室' });
  });

  it('refuses an unknown party, a signer who is not required, a second signature and edits of a signed record', () => {
    const { c, sessionId } = withSession();
    const base = { caseId: c.id, at: ctx.now().toISOString(), place: 'x', mediatorName: 'm', recorderName: 'r' };
    expect(errorOf(recordSession(c, { ...base, presentPartyIds: ['nobody'] }, ctx))).toEqual({
      code: 'case.party-unknown',
      field: 'presentPartyIds.0',
    });
    const mediator = { caseId: c.id, sessionId, signer: { role: 'mediator' }, signature: screen() } as const;
    const once = unwrap(signSession(c, mediator, ctx));
    // The first signature keeps a copy of the text it was given to (not the signatures: more are still to come).
    expect(once.sessions[sessionId]?.lockedAt).toBeNull();
    expect(once.sessions[sessionId]?.signedContent).toMatchObject({ result: '双方同意修复', place: '社区调解室' });
    expect(once.sessions[sessionId]?.signedContent).not.toHaveProperty('signatures');
    expect(errorOf(signSession(once, mediator, ctx)).code).toBe('signature.duplicate');
    // The mediator signed this text: it can no longer change, although the record is not locked yet.
    expect(errorOf(updateSession(once, { caseId: c.id, sessionId, changes: { result: '改' } }, ctx))).toEqual({
      code: 'record.partly-signed',
      field: 'sessionId',
    });
    expect(errorOf(signSession(c, { ...mediator, signer: { role: 'party', partyId: 'nobody' } }, ctx)).code).toBe(
      'signature.unknown-signer',
    );
    expect(
      unwrap(updateSession(c, { caseId: c.id, sessionId, changes: { result: '改' } }, ctx)).sessions[sessionId]?.result,
    ).toBe('改');
    const locked = signAllSession(c, sessionId);
    expect(errorOf(updateSession(locked, { caseId: c.id, sessionId, changes: { result: '改' } }, ctx)).code).toBe(
      'record.locked',
    );
    expect(errorOf(signSession(locked, mediator, ctx)).code).toBe('record.locked');
  });

  it('corrects a signed session as a new unsigned version and keeps the old one visible', () => {
    const { c, sessionId } = withSession();
    const locked = signAllSession(c, sessionId);
    expect(
      errorOf(correct(c, { record: 'session', caseId: c.id, id: sessionId, reason: 'x', changes: {} }, ctx)).code,
    ).toBe('record.not-locked');
    const corrected = unwrap(
      correct(
        locked,
        {
          record: 'session',
          caseId: c.id,
          id: sessionId,
          reason: '笔录写错了日期',
          changes: { result: '双方同意三日内修复' },
        },
        ctx,
      ),
    );
    const versions = Object.values(corrected.sessions).sort((a, b) => a.version - b.version);
    expect(versions.map((s) => [s.version, s.result, s.lockedAt !== null])).toEqual([
      [1, '双方同意修复', true],
      [2, '双方同意三日内修复', false],
    ]);
    expect(versions[0]?.supersededBy).toBe(versions[1]?.id);
    expect(versions[1]?.supersedes).toBe(sessionId);
    expect(corrected.timeline.at(-1)).toMatchObject({
      kind: 'correct',
      detail: { record: 'session', from: sessionId, to: versions[1]?.id, reason: '笔录写错了日期' },
    });
    expect(errorOf(updateSession(corrected, { caseId: c.id, sessionId, changes: { place: 'y' } }, ctx)).code).toBe(
      'record.superseded',
    );
  });
});

describe('agreements', () => {
  it("refuses a people's mediation agreement without a named mediator or without the committee (art. 29)", () => {
    const { c } = withSession();
    expect(errorOf(reachAgreement(c, { caseId: c.id, ...written, mediatorName: '' }, ctx))).toEqual({
      code: 'agreement.mediator-required',
      field: 'mediatorName',
    });
    expect(errorOf(reachAgreement(c, { caseId: c.id, ...written, committeeName: null }, ctx)).code).toBe(
      'agreement.committee-required',
    );
    expect(errorOf(reachAgreement(c, { caseId: c.id, ...written, kind: 'oral', mediatorName: ' ' }, ctx)).code).toBe(
      'agreement.mediator-required',
    );
  });

  it('refuses an agreement straight after intake: a head handles the case first', () => {
    const c = registered(ctx);
    expect(errorOf(reachAgreement(c, { caseId: c.id, ...written }, ctx))).toMatchObject({
      code: 'case.transition',
      params: { status: 'registered' },
    });
  });

  it('keeps a written agreement in signing until every party and the mediator signed and the seal is recorded', () => {
    const first = drafted();
    const agreementId = first.agreementId;
    let c = first.c;
    expect(c.status).toBe('signing');
    const [applicant, respondent] = c.parties;
    c = unwrap(
      signAgreement(
        c,
        { caseId: c.id, agreementId, signer: { role: 'party', partyId: applicant?.id }, signature: screen() },
        ctx,
      ),
    );
    // The first signature keeps a copy of the terms it was given to; the next ones leave that copy as it is.
    const signedTerms = c.agreements[agreementId]?.signedContent;
    expect(signedTerms).toMatchObject({ terms: c.agreements[agreementId]?.terms });
    expect(signedTerms).not.toHaveProperty('signatures');
    c = unwrap(signAgreement(c, { caseId: c.id, agreementId, signer: { role: 'mediator' }, signature: screen() }, ctx));
    c = unwrap(sealAgreement(c, { caseId: c.id, agreementId }, ctx));
    expect(c.agreements[agreementId]?.signedContent).toEqual(signedTerms);
    expect(c.status).toBe('signing');
    expect(c.agreements[agreementId]?.effectiveAt).toBeNull();
    // Signed by some and sealed, not in force yet: the terms they signed can no longer change.
    expect(errorOf(updateAgreement(c, { caseId: c.id, agreementId, changes: { terms: '改' } }, ctx)).code).toBe(
      'record.partly-signed',
    );
    expect(
      errorOf(signAgreement(c, { caseId: c.id, agreementId, signer: { role: 'recorder' }, signature: screen() }, ctx))
        .code,
    ).toBe('signature.unknown-signer');
    expect(errorOf(sealAgreement(c, { caseId: c.id, agreementId }, ctx)).code).toBe('signature.duplicate');
    c = unwrap(
      signAgreement(
        c,
        { caseId: c.id, agreementId, signer: { role: 'party', partyId: respondent?.id }, signature: paper() },
        ctx,
      ),
    );
    expect(c.status).toBe('agreed');
    expect(c.outcome).toMatchObject({ kind: 'agreement', agreementId });
    expect(c.agreements[agreementId]?.lockedAt).not.toBeNull();
    expect(currentAgreement(c)?.id).toBe(agreementId);
  });

  it('takes an oral agreement in force at once (art. 30) and locks it', () => {
    const c = handling();
    const next = unwrap(
      reachAgreement(c, { caseId: c.id, kind: 'oral', terms: '口头约定赔偿200元', mediatorName: '调解员李' }, ctx),
    );
    expect(next.status).toBe('agreed');
    const agreement = Object.values(next.agreements)[0];
    expect(agreement?.effectiveAt).not.toBeNull();
    expect(
      errorOf(updateAgreement(next, { caseId: c.id, agreementId: agreement?.id, changes: { terms: '改' } }, ctx)).code,
    ).toBe('record.locked');
  });

  it('refuses edits of an agreement in force; a correction is a new draft and the old one stays in force until it is signed', () => {
    const { c, agreementId } = inForce();
    expect(errorOf(updateAgreement(c, { caseId: c.id, agreementId, changes: { terms: '偷偷改' } }, ctx)).code).toBe(
      'record.locked',
    );
    const corrected = unwrap(
      correct(
        c,
        {
          record: 'agreement',
          caseId: c.id,
          id: agreementId,
          reason: '履行期限写错',
          changes: { performanceDeadline: '2026-03-25' },
        },
        ctx,
      ),
    );
    const fresh = Object.values(corrected.agreements).find((a) => a.version === 2);
    expect(fresh).toMatchObject({
      supersedes: agreementId,
      signatures: [],
      seal: null,
      effectiveAt: null,
      performanceDeadline: '2026-03-25',
    });
    expect(corrected.agreements[agreementId]).toMatchObject({ supersededBy: fresh?.id, terms: written.terms });
    expect(corrected.timeline.at(-1)).toMatchObject({
      kind: 'correct',
      detail: { record: 'agreement', from: agreementId, to: fresh?.id, reason: '履行期限写错' },
    });
    expect(currentAgreement(corrected)?.id).toBe(agreementId);
    let next = corrected;
    for (const p of c.parties) {
      next = unwrap(
        signAgreement(
          next,
          { caseId: c.id, agreementId: fresh?.id, signer: { role: 'party', partyId: p.id }, signature: screen() },
          ctx,
        ),
      );
    }
    next = unwrap(
      signAgreement(
        next,
        { caseId: c.id, agreementId: fresh?.id, signer: { role: 'mediator' }, signature: screen() },
        ctx,
      ),
    );
    next = unwrap(sealAgreement(next, { caseId: c.id, agreementId: fresh?.id }, ctx));
    expect(next.status).toBe('agreed');
    expect(currentAgreement(next)?.id).toBe(fresh?.id);
  });

  it('marks judicial confirmation only within 30 days of the agreement taking effect (art. 33), and only a written one', () => {
    const t = makeCtx();
    const { c, agreementId } = inForce();
    t.advance(30 * DAY);
    expect(
      unwrap(markJudicialConfirmation(c, { caseId: c.id, agreementId }, t)).agreements[agreementId]
        ?.judicialConfirmation,
    ).not.toBeNull();
    t.advance(DAY);
    expect(errorOf(markJudicialConfirmation(c, { caseId: c.id, agreementId }, t)).code).toBe('judicial.window-closed');
    const oral = unwrap(
      reachAgreement(handling(), { caseId: 'x', kind: 'oral', terms: '口头', mediatorName: '李' }, ctx),
    );
    const oralId = Object.keys(oral.agreements)[0];
    expect(errorOf(markJudicialConfirmation(oral, { caseId: oral.id, agreementId: oralId }, ctx)).code).toBe(
      'judicial.not-written',
    );
  });
});

describe('outcomes and after', () => {
  it('runs agreed → performing → followed-up → closed → archived', () => {
    let { c } = inForce();
    c = unwrap(startPerformance(c, { caseId: c.id }, ctx));
    expect(c.status).toBe('performing');
    c = unwrap(
      recordFollowUp(
        c,
        { caseId: c.id, date: '2026-03-01', visitor: '网格员周', performance: 'performed', satisfaction: 5 },
        ctx,
      ),
    );
    expect(c.status).toBe('followed-up');
    c = unwrap(close(c, { caseId: c.id, summary: '已履行完毕' }, ctx));
    expect(c.closing?.summary).toBe('已履行完毕');
    expect(errorOf(archive(c, { caseId: c.id }, makeCtx({ permissions: ['cases.edit'] }))).code).toBe(
      'permission-denied',
    );
    c = unwrap(archive(c, { caseId: c.id }, ctx));
    expect(c.status).toBe('archived');
    expect(allowedActions(c, ctx, '2026-03-01')).toEqual([]);
  });

  it('records no agreement with the routes told (art. 26) and a referral, and closes them', () => {
    const c = handling();
    const none = unwrap(
      recordOutcome(c, { caseId: c.id, outcome: { kind: 'no-agreement', routesTold: ['court', 'arbitration'] } }, ctx),
    );
    expect(none.status).toBe('no-agreement');
    expect(errorOf(recordOutcome(c, { caseId: c.id, outcome: { kind: 'no-agreement', routesTold: [] } }, ctx))).toEqual(
      {
        code: 'invalid',
        field: 'outcome.routesTold',
      },
    );
    const referred = unwrap(
      recordOutcome(c, { caseId: c.id, outcome: { kind: 'referred', to: 'police', detail: '可能涉刑' } }, ctx),
    );
    expect(referred.outcome).toMatchObject({ kind: 'referred', to: 'police' });
    expect(unwrap(close(referred, { caseId: c.id }, ctx)).status).toBe('closed');
    expect(errorOf(close(c, { caseId: c.id }, ctx)).code).toBe('case.transition');
  });

  it('refuses follow-ups in the future and before registration, and out-of-order steps', () => {
    const { c } = inForce();
    const base = { caseId: c.id, visitor: '周', performance: 'partly', satisfaction: 3 } as const;
    expect(errorOf(recordFollowUp(c, { ...base, date: '2026-03-02' }, ctx)).code).toBe('date.future');
    expect(errorOf(recordFollowUp(c, { ...base, date: '2026-02-01' }, ctx)).code).toBe('date.invalid');
    expect(errorOf(recordFollowUp(c, { ...base, date: '2026-03-01', satisfaction: 6 }, ctx)).code).toBe('too-long');
    expect(errorOf(startPerformance(handling(), { caseId: c.id }, ctx)).code).toBe('case.transition');
    expect(errorOf(escalate(c, { caseId: c.id, reason: '晚了' }, ctx)).code).toBe('case.transition');
  });

  it("extends the deadline only with every party's consent", () => {
    const c = handling();
    const ids = c.parties.map((p) => p.id);
    expect(
      errorOf(extendDeadline(c, { caseId: c.id, days: 15, reason: '等待鉴定', consentPartyIds: ids.slice(0, 1) }, ctx))
        .code,
    ).toBe('extension.consent-missing');
    expect(
      errorOf(extendDeadline(c, { caseId: c.id, days: 15, reason: '等待鉴定', consentPartyIds: [...ids, 'x'] }, ctx))
        .code,
    ).toBe('case.party-unknown');
    const extended = unwrap(
      extendDeadline(c, { caseId: c.id, days: 15, reason: '等待鉴定', consentPartyIds: ids }, ctx),
    );
    expect(extended.extensions).toHaveLength(1);
  });
});

describe('allowedActions and transition', () => {
  it('offers only what the machine allows, and nothing to a viewer', () => {
    const today = '2026-03-01';
    expect(allowedActions(null, ctx, today)).toEqual(['intake']);
    expect(allowedActions(registered(ctx), ctx, today)).toEqual([
      'recordVisit',
      'escalate',
      'recordSession',
      'recordOutcome',
      'extendDeadline',
      'addAttachment',
    ]);
    const { c, sessionId } = withSession();
    expect(allowedActions(c, ctx, today)).toContain('signSession');
    expect(allowedActions(signAllSession(c, sessionId), ctx, today)).toContain('correct');
    expect(allowedActions(drafted().c, ctx, today)).toEqual(
      expect.arrayContaining(['updateAgreement', 'signAgreement', 'sealAgreement', 'recordOutcome']),
    );
    const agreed = inForce().c;
    expect(allowedActions(agreed, ctx, today)).toEqual(
      expect.arrayContaining(['markJudicialConfirmation', 'startPerformance', 'recordFollowUp', 'correct']),
    );
    expect(allowedActions(agreed, ctx, '2026-04-15')).not.toContain('markJudicialConfirmation');
    const top = unwrap(escalate(registered(ctx, { chain: [] }), { caseId: 'x', reason: 'r' }, ctx));
    expect(allowedActions(top, ctx, today)).not.toContain('escalate');
    expect(allowedActions(agreed, makeCtx({ permissions: [] }), today)).toEqual([]);
  });

  it('agrees with the machine: every offered action has a state in which it succeeds, every other is refused as a transition', () => {
    const c = registered(ctx);
    const offered = allowedActions(c, ctx, '2026-03-01');
    for (const type of ['startPerformance', 'close', 'archive', 'signAgreement', 'recordFollowUp'] as const) {
      expect(offered).not.toContain(type);
      expect(errorOf(transition(c, { type, input: { caseId: c.id } }, ctx)).code).toBe('case.transition');
    }
    expect(unwrap(transition(c, { type: 'escalate', input: { caseId: c.id, reason: 'r' } }, ctx)).level).toBe(
      'courtyard',
    );
    expect(
      errorOf(transition(c, { type: 'intake', input: intakeInput(), env: { chain: [], number: 1 } }, ctx)).code,
    ).toBe('case.transition');
    expect(errorOf(transition(null, { type: 'close', input: {} }, ctx)).code).toBe('not-found');
  });
});
