import { chinaDate, chinaMinute } from '@shared/domain/dates';
import { partySigner } from '@shared/domain/mediation/minors';
import type { MediationCase, Party, PartyId, Signature, Signer } from '@shared/domain/mediation/types';
import type { Translate } from '../../i18n';

/** `YYYY-MM-DD HH:mm` in China time, for instants stored as ISO strings. */
export function formatInstant(iso: string): string {
  return chinaMinute(new Date(iso));
}

export function formatDay(iso: string): string {
  return chinaDate(new Date(iso));
}

export function partyNames(c: Pick<MediationCase, 'parties'>, role?: Party['role']): string {
  return c.parties
    .filter((p) => role === undefined || p.role === role)
    .map((p) => p.name)
    .join('、');
}

/** "张三 诉 李四": applicants, then respondents. */
export function partiesLine(c: Pick<MediationCase, 'parties'>): string {
  return `${partyNames(c, 'applicant')} / ${partyNames(c, 'respondent')}`;
}

export function signerName(t: Translate, c: Pick<MediationCase, 'parties'>, signer: Signer): string {
  if (signer.role === 'mediator') return t('case.sign.mediator');
  if (signer.role === 'recorder') return t('case.sign.recorder');
  const party = c.parties.find((p) => p.id === signer.partyId);
  if (signer.role === 'party') return party?.name ?? signer.partyId;
  // A minor's guardian signs for them (docs/domain.md, "Minors"): "王大明（王小明的监护人）".
  const partyName = party?.name ?? signer.partyId;
  const guardian = party?.guardian?.name;
  return guardian === undefined
    ? t('case.minor.guardianOfUnknown', { party: partyName })
    : t('case.minor.guardianOf', { guardian, party: partyName });
}

/** The key of a signer in forms and lists: the domain's (`guardian:<partyId>`, `party:<partyId>`, `mediator`). */
export { signerKey } from '@shared/domain/mediation/records';

export function signerOfKey(key: string): Signer {
  if (key === 'mediator' || key === 'recorder') return { role: key };
  if (key.startsWith('guardian:')) return { role: 'guardian', partyId: key.slice('guardian:'.length) as PartyId };
  return { role: 'party', partyId: key.replace(/^party:/, '') as PartyId };
}

/**
 * The signature lines of some parties on a printed record: each party's required signer (a minor's guardian, the
 * domain's `partySigner`), and a minor's own signature too when they gave one (8-17, next to the guardian).
 */
export function partySignerLines(
  c: Pick<MediationCase, 'parties' | 'startDate'>,
  parties: readonly Party[],
  signatures: readonly Signature[],
): Signer[] {
  return parties.flatMap((p): Signer[] => {
    const required = partySigner(c, p);
    const own = signatures.some((s) => s.signer.role === 'party' && s.signer.partyId === p.id);
    return required.role === 'guardian' && own ? [required, { role: 'party', partyId: p.id }] : [required];
  });
}

/** Percent with one decimal, or "—" for a rate without a denominator. */
export function percent(value: number | null, none: string): string {
  return value === null ? none : `${(value * 100).toFixed(1)}%`;
}

export function decimal(value: number | null, none: string): string {
  return value === null ? none : value.toFixed(1);
}
