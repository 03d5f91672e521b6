import { chinaDate, chinaMinute } from '@shared/domain/dates';
import type { MeetingWarning, QuorumReason, ResolutionReason } from '@shared/domain/meetings/rules';
import type {
  AssemblySubject,
  Attendance,
  Ballot,
  MeetingStatus,
  MeetingType,
  PartyMeetingKind,
  SignatureRole,
  Threshold,
} from '@shared/domain/meetings/types';
import type { MessageKey, Translate } from '../../i18n';

export const TYPE_LABELS: Record<MeetingType, MessageKey> = {
  'residents-representatives': 'mtg.type.residents-representatives',
  'owners-committee': 'mtg.type.owners-committee',
  'owners-assembly': 'mtg.type.owners-assembly',
  'five-heads': 'mtg.type.five-heads',
  'three-platforms': 'mtg.type.three-platforms',
  party: 'mtg.type.party',
  courtyard: 'mtg.type.courtyard',
};

export const PARTY_KIND_LABELS: Record<PartyMeetingKind, MessageKey> = {
  'members-meeting': 'mtg.partyKind.members-meeting',
  'committee-meeting': 'mtg.partyKind.committee-meeting',
  'group-meeting': 'mtg.partyKind.group-meeting',
  'party-lecture': 'mtg.partyKind.party-lecture',
};

export const STATUS_LABELS: Record<MeetingStatus, MessageKey> = {
  agenda: 'mtg.status.agenda',
  'notice-published': 'mtg.status.notice-published',
  'in-progress': 'mtg.status.in-progress',
  'minutes-drafted': 'mtg.status.minutes-drafted',
  'under-review': 'mtg.status.under-review',
  signed: 'mtg.status.signed',
  'resolutions-published': 'mtg.status.resolutions-published',
  archived: 'mtg.status.archived',
};

export const ATTENDANCE_LABELS: Record<Attendance, MessageKey> = {
  present: 'mtg.att.present',
  absent: 'mtg.att.absent',
  'non-voting': 'mtg.att.non-voting',
  late: 'mtg.att.late',
};

export const BALLOT_LABELS: Record<Ballot, MessageKey> = {
  for: 'mtg.vote.for',
  against: 'mtg.vote.against',
  abstain: 'mtg.vote.abstain',
};

export const ROLE_LABELS: Record<SignatureRole, MessageKey> = {
  host: 'mtg.sign.role.host',
  recorder: 'mtg.sign.role.recorder',
  signatory: 'mtg.sign.role.signatory',
};

export const SUBJECT_LABELS: Record<AssemblySubject, MessageKey> = {
  rules: 'mtg.subject.rules',
  covenant: 'mtg.subject.covenant',
  'committee-election': 'mtg.subject.committee-election',
  'property-manager': 'mtg.subject.property-manager',
  'maintenance-fund-use': 'mtg.subject.maintenance-fund-use',
  'maintenance-fund-raise': 'mtg.subject.maintenance-fund-raise',
  rebuild: 'mtg.subject.rebuild',
  'common-parts': 'mtg.subject.common-parts',
  other: 'mtg.subject.other',
};

export const QUORUM_REASON_LABELS: Record<QuorumReason, MessageKey> = {
  reached: 'mtg.quorum.reached',
  'no-expected-attendees': 'mtg.quorum.no-expected-attendees',
  'headcount-short': 'mtg.quorum.headcount-short',
  'area-short': 'mtg.quorum.area-short',
  'headcount-and-area-short': 'mtg.quorum.headcount-and-area-short',
  'no-known-area': 'mtg.quorum.no-known-area',
};

export const RESULT_LABELS: Record<ResolutionReason, MessageKey> = {
  passed: 'mtg.result.passed',
  'quorum-not-reached': 'mtg.result.quorum-not-reached',
  'no-vote': 'mtg.result.no-vote',
  'invalid-vote': 'mtg.result.invalid-vote',
  'votes-short': 'mtg.result.votes-short',
  'area-short': 'mtg.result.area-short',
  'votes-and-area-short': 'mtg.result.votes-and-area-short',
};

const WARNING_LABELS: Record<MeetingWarning['code'], MessageKey> = {
  'households-without-area': 'mtg.warning.households-without-area',
  'quorum-advisory': 'mtg.warning.quorum-advisory',
  'notice-late': 'mtg.warning.notice-late',
};

export function warningText(t: Translate, warning: MeetingWarning): string {
  return t(WARNING_LABELS[warning.code], warning.params);
}

/** "三分之二以上" / "过半数": how a threshold reads in Chinese minutes (民法典 art. 1259 wording). */
export function thresholdText(t: Translate, threshold: Threshold): string {
  const fraction = `${threshold.num}/${threshold.den}`;
  if (threshold.num === 1 && threshold.den === 2) {
    return threshold.comparison === 'more-than' ? t('mtg.threshold.majority') : t('mtg.threshold.half-or-more');
  }
  return threshold.comparison === 'more-than'
    ? t('mtg.threshold.more-than', { fraction })
    : t('mtg.threshold.at-least', { fraction });
}

/** `2026-03-10 09:00` in China, whatever the device's time zone. */
export function formatWhen(iso: string): string {
  return chinaMinute(new Date(iso));
}

/** The China calendar day of an instant. */
export function dayOf(iso: string): string {
  return chinaDate(new Date(iso));
}
