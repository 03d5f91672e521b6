/**
 * The guardian (监护人/法定代理人) of a minor party: the fields of the intake form and of the case page's "record the
 * guardian" form, and the warning a minor party without a guardian gets (docs/domain.md, "Minors").
 */
import { Alert, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { GUARDIAN_RELATIONS, type GuardianRelation } from '@shared/domain/mediation/types';
import type { GuardianInput } from '@shared/domain/mediation/inputs';
import type { Capacity } from '@shared/domain/mediation/minors';
import { useT } from '../../i18n';

export interface GuardianDraft {
  readonly name: string;
  readonly relation: GuardianRelation;
  readonly idNumber: string;
  readonly phone: string;
}

export const EMPTY_GUARDIAN: GuardianDraft = { name: '', relation: 'father', idNumber: '', phone: '' };

/** The command input of a draft, or null while no name is typed. */
export function guardianInput(draft: GuardianDraft, residentId: string | null = null): GuardianInput | null {
  if (draft.name.trim() === '') return null;
  return {
    name: draft.name.trim(),
    relation: draft.relation,
    idNumber: draft.idNumber.trim() || null,
    phone: draft.phone.trim() || null,
    residentId,
  };
}

export function GuardianFields({
  partyName,
  value,
  onChange,
}: {
  partyName: string;
  value: GuardianDraft;
  onChange: (next: GuardianDraft) => void;
}) {
  const t = useT();
  return (
    <SimpleGrid
      cols={{ base: 2, md: 4 }}
      data-testid="guardian-fields"
      aria-label={t('case.minor.setGuardian', { name: partyName })}
    >
      <TextInput
        label={t('case.minor.guardianName')}
        value={value.name}
        onChange={(event) => onChange({ ...value, name: event.currentTarget.value })}
      />
      <NativeSelect
        label={t('case.minor.guardianRelation')}
        value={value.relation}
        onChange={(event) => onChange({ ...value, relation: event.currentTarget.value as GuardianRelation })}
        data={GUARDIAN_RELATIONS.map((relation) => ({ value: relation, label: t(`case.minor.relation.${relation}`) }))}
      />
      <TextInput
        label={t('case.minor.guardianIdNumber')}
        value={value.idNumber}
        onChange={(event) => onChange({ ...value, idNumber: event.currentTarget.value })}
      />
      <TextInput
        label={t('case.minor.guardianPhone')}
        value={value.phone}
        onChange={(event) => onChange({ ...value, phone: event.currentTarget.value })}
      />
    </SimpleGrid>
  );
}

/** The warning of a minor party without a guardian: who acts for them by law, and what to record. */
export function MinorWarning({ name, age, capacity }: { name: string; age: number | null; capacity: Capacity }) {
  const t = useT();
  return (
    <Alert color="orange" p="xs" data-testid="minor-warning">
      {capacity === 'none' ? t('case.minor.warningNone', { name }) : t('case.minor.warning', { name, age: age ?? '' })}
    </Alert>
  );
}
