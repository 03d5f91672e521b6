/**
 * The resources' own refusal reasons. They travel as the `rule` param of a generic `invalid` error (the error codes
 * are shared by every domain), and the screens translate them as `resources.rule.<rule>` (docs/resources-model.md).
 */
export const RULE = {
  /** Another active booking of the room shares a day and overlapping hours. */
  doubleBooked: 'double-booked',
  endBeforeStart: 'end-before-start',
  /**
   * A regular service runs from its first day to `until`, at latest the end of the next year (one part per year, a
   * part within its year's document).
   */
  repeatRange: 'repeat-range',
  /** The weekly days never fall between the first day and `until`. */
  repeatEmpty: 'repeat-empty',
  overCapacity: 'over-capacity',
  /** The hours fall outside the room's opening hours. */
  outsideHours: 'outside-hours',
  bookingCancelled: 'booking-cancelled',
  /** A booking moves within its year (its document). */
  otherYear: 'other-year',
  /** No occasion of the booking falls on that day. */
  notHeld: 'not-held',
  /** The project's stage does not allow the action. */
  projectStage: 'project-stage',
  /** A spending larger than the fund's balance. */
  overBalance: 'over-balance',
  alreadyReversed: 'already-reversed',
  /** A reversing entry is not itself reversed: record the entry again instead. */
  reverseReversal: 'reverse-reversal',
  /** 慰问 from the party-member care fund goes to a party member of the registry. */
  notPartyMember: 'not-party-member',
  /** The resident is not (or no longer) in the registry. */
  notResident: 'not-resident',
} as const;

export type ResourceRule = (typeof RULE)[keyof typeof RULE];
