/** Helpers on the records of a case: parties, signers, sessions and agreements (docs/domain.md, "Five-heads mediation"). */
import { type z } from 'zod';
import { type DomainError, domainError } from '../result';
import { type signSessionSchema } from './inputs';
import { minorSignerProblem, optionalPartySigners, partySigner } from './minors';
import {
  AGREEMENT_PROTECTED_FIELDS,
  type Agreement,
  MEDIATION_LEVELS,
  type MediationCase,
  type MediationLevel,
  type Party,
  type SessionRecord,
  type Signature,
  type Signer,
} from './types';

export function levelRank(level: MediationLevel): number {
  return MEDIATION_LEVELS.indexOf(level);
}

export function partyIds(state: MediationCase): Set<string> {
  return new Set(state.parties.map((p) => p.id));
}

export function unknownParty(state: MediationCase, ids: readonly string[], field: string): DomainError | null {
  const known = partyIds(state);
  const index = ids.findIndex((id) => !known.has(id));
  return index < 0 ? null : domainError('case.party-unknown', `${field}.${index}`);
}

export function pick(record: object, fields: readonly string[]): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

export function sameSigner(a: Signer, b: Signer): boolean {
  if (a.role !== b.role) return false;
  return !('partyId' in a) || !('partyId' in b) || a.partyId === b.partyId;
}

export function signerKey(signer: Signer): string {
  return 'partyId' in signer ? `${signer.role}:${signer.partyId}` : signer.role;
}

type SignerCase = Pick<MediationCase, 'startDate' | 'parties'>;

function partySigners(c: SignerCase, parties: readonly Party[]): Signer[] {
  return parties.map((p) => partySigner(c, p));
}

/**
 * Who must sign a session record: every party present (a minor's guardian for them, docs/domain.md "Minors"), the
 * mediator and the recorder.
 */
export function requiredSessionSigners(c: SignerCase, session: SessionRecord): Signer[] {
  const present = c.parties.filter((p) => session.presentPartyIds.includes(p.id));
  const known = new Set(present.map((p) => p.id));
  return [
    ...partySigners(c, present),
    // A party id the case no longer knows (never expected) still needs its own signature.
    ...session.presentPartyIds.filter((id) => !known.has(id)).map((partyId): Signer => ({ role: 'party', partyId })),
    { role: 'mediator' },
    { role: 'recorder' },
  ];
}

/**
 * Who must sign a written agreement. 人民调解法 art. 29: 调解协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖
 * 人民调解委员会印章之日起生效: every party (a minor's guardian for them, 民法典 art. 19-23), the named mediator, and the
 * committee's seal (`seal`, not a signer).
 */
export function requiredAgreementSigners(c: SignerCase): Signer[] {
  return [...partySigners(c, c.parties), { role: 'mediator' }];
}

/** Who may sign a record: the required signers and the minors of 8-17 next to their guardians. */
export function allowedSigners(c: SignerCase, required: readonly Signer[], presentPartyIds?: readonly string[]) {
  const parties = presentPartyIds === undefined ? c.parties : c.parties.filter((p) => presentPartyIds.includes(p.id));
  return [...required, ...optionalPartySigners(c, parties)];
}

/**
 * The signers of a list who can sign now: not a minor's guardian who is not recorded yet (minors.ts). What the screens
 * offer to sign, so an offer is never refused for a missing guardian: the case page asks for the guardian instead.
 */
export function signableNow(c: SignerCase, signers: readonly Signer[]): Signer[] {
  return signers.filter((signer) => minorSignerProblem(c, signer) === null);
}

export function missingSigners(required: readonly Signer[], signatures: readonly Signature[]): Signer[] {
  return required.filter((signer) => !signatures.some((s) => sameSigner(s.signer, signer)));
}

export function toSignature(
  signer: Signer,
  at: string,
  input: z.output<typeof signSessionSchema>['signature'],
): Signature {
  return input.kind === 'on-screen'
    ? { signer, kind: 'on-screen', image: input.image, at }
    : { signer, kind: 'on-paper', photo: input.photo, at };
}

/** Whether `signer` may sign now: one of `allowed`, not yet signed, and not a minor's refusal (minors.ts). */
export function checkSigner(
  c: SignerCase,
  allowed: readonly Signer[],
  signatures: readonly Signature[],
  signer: Signer,
): DomainError | null {
  const minor = minorSignerProblem(c, signer);
  if (!allowed.some((r) => sameSigner(r, signer))) {
    return minor?.code === 'signature.minor-no-capacity' ? minor : domainError('signature.unknown-signer', 'signer');
  }
  if (minor !== null) return minor;
  if (signatures.some((s) => sameSigner(s.signer, signer))) return domainError('signature.duplicate', 'signer');
  return null;
}

export function findSession(state: MediationCase, id: string): SessionRecord | DomainError {
  const session = state.sessions[id];
  if (session === undefined) return domainError('not-found', 'sessionId');
  if (session.supersededBy !== null) return domainError('record.superseded', 'sessionId');
  return session;
}

export function findAgreement(state: MediationCase, id: string): Agreement | DomainError {
  const agreement = state.agreements[id];
  if (agreement === undefined) return domainError('not-found', 'agreementId');
  if (agreement.supersededBy !== null) return domainError('record.superseded', 'agreementId');
  return agreement;
}

export function isError(value: object): value is DomainError {
  return 'code' in value && typeof value.code === 'string' && !('id' in value);
}

/** 人民调解法 art. 28-29: a written agreement (协议书) needs a named mediator and the committee; an oral one a mediator who records it. */
export function checkAgreementMakers(kind: Agreement['kind'], mediatorName: string, committeeName: string | null) {
  if (mediatorName.trim() === '') return domainError('agreement.mediator-required', 'mediatorName');
  if (kind === 'written' && (committeeName === null || committeeName.trim() === '')) {
    return domainError('agreement.committee-required', 'committeeName');
  }
  return null;
}

export function lockAgreement(agreement: Agreement, at: string): Agreement {
  const effective = { ...agreement, effectiveAt: at, lockedAt: at };
  return { ...effective, signedContent: pick(effective, AGREEMENT_PROTECTED_FIELDS) };
}

export function live<T extends { supersededBy: string | null }>(records: Readonly<Record<string, T>>): T[] {
  return Object.values(records).filter((r) => r.supersededBy === null);
}
