/**
 * Minors among the parties and who acts for them (docs/domain.md, "Minors"). 民法典 art. 17-23: under 18 is a minor; a
 * minor of 8 or more has limited civil capacity (art. 19: acts through or with the consent of the legal representative,
 * except acts fitting the age), under 8 none (art. 20: the legal representative acts); the guardian is the legal
 * representative (art. 23). A mediation agreement is a civil contract (人民调解法 art. 31), so the guardian signs it for
 * a minor party; a minor of 8-17 may sign next to the guardian, a child under 8 does not sign.
 */
import { ageOn } from '../dates';
import { domainError, err, ok, type DomainError } from '../result';
import { defineStep, withEvent } from './guards';
import { setGuardianSchema } from './inputs';
import type { MediationCase, Party, Signer } from './types';

/** 民法典 art. 17: 十八周岁以上的自然人为成年人. */
export const ADULT_AGE = 18;
/** 民法典 art. 19-20: 八周岁以上的未成年人为限制民事行为能力人，不满八周岁的为无民事行为能力人. */
export const LIMITED_CAPACITY_AGE = 8;

/** Civil capacity by age: full (adult), limited (8-17), none (under 8), unknown (no age nor birth date given). */
export type Capacity = 'full' | 'limited' | 'none' | 'unknown';

/**
 * A party's age on a day: from the birth date when known (the registry's, or the one an ID number gives), else the age
 * typed at intake (an age given at registration, so it is read as the age on the case's date).
 */
export function partyAge(party: Pick<Party, 'age' | 'birthDate'>, day: string): number | null {
  if (typeof party.birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(party.birthDate)) {
    return ageOn(party.birthDate, day);
  }
  return party.age;
}

export function capacityAt(age: number | null): Capacity {
  if (age === null) return 'unknown';
  if (age >= ADULT_AGE) return 'full';
  return age >= LIMITED_CAPACITY_AGE ? 'limited' : 'none';
}

/** The capacity of a party on the case's date (its registration day, `startDate`). */
export function partyCapacity(c: Pick<MediationCase, 'startDate'>, party: Pick<Party, 'age' | 'birthDate'>): Capacity {
  return capacityAt(partyAge(party, c.startDate));
}

export function isMinorParty(c: Pick<MediationCase, 'startDate'>, party: Pick<Party, 'age' | 'birthDate'>): boolean {
  const capacity = partyCapacity(c, party);
  return capacity === 'limited' || capacity === 'none';
}

/** The minor parties with no guardian recorded: the form and the case page warn about each. */
export function minorsWithoutGuardian(c: Pick<MediationCase, 'startDate' | 'parties'>): Party[] {
  return c.parties.filter((p) => isMinorParty(c, p) && (p.guardian ?? null) === null);
}

/**
 * Who must sign for each party: the party, or for a minor the guardian (法定代理人, art. 23), who signs instead of a
 * child under 8 and as well as (consenting for) a minor of 8-17.
 */
export function partySigner(c: Pick<MediationCase, 'startDate'>, party: Party): Signer {
  return isMinorParty(c, party) ? { role: 'guardian', partyId: party.id } : { role: 'party', partyId: party.id };
}

/**
 * Signatures a party's side may give beyond the required one: a minor of 8-17 may sign next to the guardian
 * (art. 19: acts fitting the age; the guardian's signature is what makes the agreement bind).
 */
export function optionalPartySigners(c: Pick<MediationCase, 'startDate'>, parties: readonly Party[]): Signer[] {
  return parties
    .filter((p) => partyCapacity(c, p) === 'limited')
    .map((p): Signer => ({ role: 'party', partyId: p.id }));
}

/**
 * Refusals specific to minors for a signer: a child under 8 does not sign (`signature.minor-no-capacity`); a guardian
 * who is not recorded cannot sign (`party.guardian-missing`): record them first (`setGuardian`).
 */
export function minorSignerProblem(
  c: Pick<MediationCase, 'startDate' | 'parties'>,
  signer: Signer,
): DomainError | null {
  if (signer.role !== 'party' && signer.role !== 'guardian') return null;
  const party = c.parties.find((p) => p.id === signer.partyId);
  if (party === undefined) return null;
  if (signer.role === 'party' && partyCapacity(c, party) === 'none') {
    return domainError('signature.minor-no-capacity', 'signer', { name: party.name });
  }
  if (signer.role === 'guardian' && (party.guardian ?? null) === null) {
    return domainError('party.guardian-missing', 'signer', { name: party.name });
  }
  return null;
}

/**
 * 记录监护人: records (or clears, with `null`) the guardian who acts for a party. Allowed until the dossier is archived:
 * who represents a party is a fact about the party, not part of a signed text.
 */
export const setGuardian = defineStep('setGuardian', setGuardianSchema, (state, v, ctx, at) => {
  const index = state.parties.findIndex((p) => p.id === v.partyId);
  if (index < 0) return err(domainError('case.party-unknown', 'partyId'));
  const parties = state.parties.map((p, i) => (i === index ? { ...p, guardian: v.guardian } : p));
  return ok(
    withEvent(
      state,
      ctx,
      at,
      'setGuardian',
      { parties },
      // The event names the party and the relation, not the guardian's ID number or phone (PIPL art. 28).
      { partyId: v.partyId, name: v.guardian?.name ?? null, relation: v.guardian?.relation ?? null },
    ),
  );
});
