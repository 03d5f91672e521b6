import type { Relation, ResidentTag } from '@shared/domain/registry/types';
import type { MessageKey } from '../../../i18n';

export const TAG_LABELS: Record<ResidentTag, MessageKey> = {
  'elderly-alone': 'registry.tag.elderly-alone',
  disabled: 'registry.tag.disabled',
  minor: 'registry.tag.minor',
  'party-member': 'registry.tag.party-member',
  volunteer: 'registry.tag.volunteer',
  'special-care': 'registry.tag.special-care',
};

export const RELATION_LABELS: Record<Relation, MessageKey> = {
  self: 'registry.relation.self',
  spouse: 'registry.relation.spouse',
  child: 'registry.relation.child',
  parent: 'registry.relation.parent',
  grandchild: 'registry.relation.grandchild',
  grandparent: 'registry.relation.grandparent',
  sibling: 'registry.relation.sibling',
  'child-in-law': 'registry.relation.child-in-law',
  other: 'registry.relation.other',
};

export const FIELD_LABELS: Partial<Record<string, MessageKey>> = {
  name: 'registry.col.name',
  idNumber: 'registry.col.idNumber',
  phone: 'registry.col.phone',
  sex: 'registry.col.sex',
  tags: 'registry.resident.tags',
  relation: 'registry.resident.relation',
  note: 'registry.resident.note',
  householdId: 'registry.resident.household',
};
