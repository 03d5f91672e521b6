/** Who checks in, claims or serves, as the forms offer them: party members then units, one select value each. */
import type { Subject } from '@shared/domain/party/types';
import type { StoredRecord } from '@shared/ydoc/registry';
import type { Member } from './data';

export interface SubjectOption {
  readonly value: string;
  readonly label: string;
  readonly subject: Subject;
}

export function subjectOptions(
  members: readonly Member[],
  units: readonly StoredRecord<'units'>[],
  unitLabel: (name: string) => string,
  /** A member as the select shows them, with the address (`party.withNote`). */
  memberLabel: (name: string, address: string) => string,
): SubjectOption[] {
  return [
    ...members.map((m) => ({
      value: `member:${m.id}`,
      label: memberLabel(m.name, m.address),
      subject: { kind: 'member', id: m.id } as const,
    })),
    ...units.map((u) => ({
      value: `unit:${u.id}`,
      label: unitLabel(u.name),
      subject: { kind: 'unit', id: u.id } as const,
    })),
  ];
}

/** The name of a subject (a member's, a unit's), or its id when neither list holds it. */
export function subjectName(
  subject: Subject,
  members: readonly Member[],
  units: readonly StoredRecord<'units'>[],
): string {
  if (subject.kind === 'member') return members.find((m) => m.id === subject.id)?.name ?? subject.id;
  return units.find((u) => u.id === subject.id)?.name ?? subject.id;
}
