import type { DomainError } from '@shared/domain/result';
import { useT, type MessageKey, type Translate } from '../i18n';

/** Field names of domain input, as the UI calls them (used to fill `{field}` in error messages). */
const FIELD_LABELS: Partial<Record<string, MessageKey>> = {
  name: 'registry.col.name',
  idNumber: 'registry.col.idNumber',
  phone: 'registry.col.phone',
  sex: 'registry.col.sex',
  householdId: 'registry.resident.household',
  relation: 'registry.resident.relation',
  tags: 'registry.resident.tags',
  note: 'registry.resident.note',
  floorArea: 'places.household.area',
  floors: 'places.building.floors',
  doorNumber: 'places.household.door',
  parentId: 'places.zone.newParent',
  secretary: 'places.party.secretary',
  compoundId: 'places.compound.label',
  zoneId: 'places.building.zone',
  gridId: 'places.grid.label',
  address: 'places.household.address',
};

/** Nested fields (`workers.2.phone`) are named by their last part (`phone`). */
function fieldLabel(field: string): MessageKey | undefined {
  return FIELD_LABELS[field] ?? FIELD_LABELS[field.split('.').at(-1) ?? ''];
}

/** The person-readable text of a domain error, in the current language. */
export function describeDomainError(t: Translate, error: DomainError): string {
  const label = error.field ? fieldLabel(error.field) : undefined;
  const field = label ? t(label) : (error.params?.value ?? error.field ?? '');
  return t(`error.${error.code}`, { ...error.params, field });
}

export function DomainErrorText({ error }: { error: DomainError }) {
  const t = useT();
  return <>{describeDomainError(t, error)}</>;
}
