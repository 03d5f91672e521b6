/** Words of the party sections: refusals, record kinds, subjects (docs/party-model.md). */
import { PARTY_RULES, type PartyRule } from '@shared/domain/party/commands';
import type { DomainError } from '@shared/domain/result';
import type { MessageKey, Translate } from '../../i18n';
import { describeDomainError } from '../../ui/DomainErrorText';

/** Input fields as the forms name them (for `{field}` of the generic errors). */
const FIELDS: Readonly<Record<string, MessageKey>> = {
  subject: 'party.field.subject',
  claimant: 'party.field.claimant',
  on: 'party.field.on',
  hours: 'party.field.hours',
  content: 'party.field.content',
  rating: 'party.field.rating',
  name: 'party.field.name',
  checkedInOn: 'party.field.checkedInOn',
  title: 'party.field.title',
  capacity: 'party.field.capacity',
  postId: 'party.field.post',
  route: 'party.field.route',
  startsAt: 'party.field.startsAt',
  endsAt: 'party.field.endsAt',
  patrollerIds: 'party.field.patrollers',
  findings: 'party.field.findings',
  text: 'party.field.finding',
  collectorId: 'party.field.collector',
  residentId: 'party.field.resident',
  volunteerId: 'party.field.volunteer',
  activity: 'party.field.activity',
  topic: 'party.field.topic',
  speaker: 'party.field.speaker',
  attendeeIds: 'party.field.attendees',
  memberIds: 'party.field.members',
  compoundId: 'party.field.compound',
  platformIds: 'party.field.platforms',
  until: 'party.field.until',
  signedOn: 'party.field.signedOn',
  agreement: 'party.field.agreement',
  members: 'party.field.partTime',
  applicant: 'party.field.applicant',
  respondent: 'party.field.respondent',
  parties: 'party.field.parties',
  address: 'party.field.place',
  place: 'party.field.place',
  facts: 'party.field.content',
};

const RULE_KEYS = {
  'post.claimed': 'party.error.post.claimed',
  'post.full': 'party.error.post.full',
  'post.withdrawn': 'party.error.post.withdrawn',
  'post.not-claimed': 'party.error.post.not-claimed',
  'checkin.same-day': 'party.error.checkin.same-day',
  'platform.duplicate': 'party.error.platform.duplicate',
  'platform.wrong-compound': 'party.error.platform.wrong-compound',
  'patrol.ends-before': 'party.error.patrol.ends-before',
  'link.exists': 'party.error.link.exists',
  'link.wrong-target': 'party.error.link.wrong-target',
  'link.no-finding': 'party.error.link.no-finding',
} as const satisfies Record<PartyRule, MessageKey>;

function isRule(value: unknown): value is PartyRule {
  return typeof value === 'string' && (PARTY_RULES as readonly string[]).includes(value);
}

/** A party command's refusal in words: its rule when it names one, else the generic error with the field's name. */
export function describePartyError(t: Translate, error: DomainError): string {
  const params = error.params ?? {};
  if (isRule(params.rule)) return t(RULE_KEYS[params.rule], params);
  if (error.code === 'party-org.not-member') return t('party.error.not-member');
  const parts = error.field?.split('.') ?? [];
  const field = [...parts].reverse().find((part) => part in FIELDS);
  const key = field === undefined ? undefined : FIELDS[field];
  if (key === undefined) return describeDomainError(t, error);
  return t(`error.${error.code}`, { ...params, field: t(key) });
}

/** An average rating with one decimal, or a dash. */
export function ratingText(rating: number | null): string {
  return rating === null ? '—' : rating.toFixed(1);
}

/** Hours as the 服务登记卡 writes them (half hours). */
export function hoursText(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(1);
}
