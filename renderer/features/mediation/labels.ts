import { chinaDate, chinaMinute } from '@shared/domain/dates';
import type { MediationCase, Party, Signer } from '@shared/domain/mediation/types';
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
  return c.parties.find((p) => p.id === signer.partyId)?.name ?? signer.partyId;
}

export function signerKey(signer: Signer): string {
  return signer.role === 'party' ? `party:${signer.partyId}` : signer.role;
}

export function signerOfKey(key: string): Signer {
  if (key === 'mediator' || key === 'recorder') return { role: key };
  return { role: 'party', partyId: key.slice('party:'.length) as Extract<Signer, { role: 'party' }>['partyId'] };
}

/** Percent with one decimal, or "—" for a rate without a denominator. */
export function percent(value: number | null, none: string): string {
  return value === null ? none : `${(value * 100).toFixed(1)}%`;
}

export function decimal(value: number | null, none: string): string {
  return value === null ? none : value.toFixed(1);
}
