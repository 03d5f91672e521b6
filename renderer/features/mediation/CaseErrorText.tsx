import type { DomainError } from '@shared/domain/result';
import { useT, type MessageKey } from '../../i18n';
import { describeDomainError } from '../../ui/DomainErrorText';

/** Input fields of the mediation commands, as the forms call them (fills `{field}` in error messages). */
const FIELDS: Readonly<Record<string, MessageKey>> = {
  reason: 'case.escalate.reason',
  mediatorName: 'case.session.mediator',
  recorderName: 'case.session.recorder',
  place: 'case.session.place',
  at: 'case.session.at',
  terms: 'case.agreement.terms',
  committeeName: 'case.agreement.committee',
  performanceDeadline: 'case.agreement.performanceDeadline',
  performanceMethod: 'case.agreement.performanceMethod',
  visitor: 'case.followUp.visitor',
  date: 'case.followUp.date',
  satisfaction: 'case.followUp.satisfaction',
  by: 'case.visit.by',
  days: 'case.extend.days',
  routesTold: 'case.outcome.routes',
  parties: 'case.intake.parties',
  name: 'case.intake.partyName',
  phone: 'case.intake.partyPhone',
  age: 'case.intake.partyAge',
  address: 'case.intake.address',
  facts: 'case.intake.facts',
  summary: 'case.close.summary',
};

/** A mediation command's refusal in the current language, naming the field as the form labels it. */
export function CaseErrorText({ error }: { error: DomainError }) {
  const t = useT();
  const field = error.field?.split('.').find((part) => part in FIELDS) ?? error.field?.split('.').at(-1);
  const key = field === undefined ? undefined : FIELDS[field];
  if (key === undefined) return <>{describeDomainError(t, error)}</>;
  return <>{t(`error.${error.code}`, { ...error.params, field: t(key) })}</>;
}
