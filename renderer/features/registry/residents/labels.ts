import {
  RELATIONS,
  RESIDENT_TAGS,
  SPECIAL_POPULATION_TAGS,
  type Relation,
  type ResidentTag,
} from '@shared/domain/registry/types';
import type { MessageKey, Translate } from '../../../i18n';

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

/**
 * Whether a tag may be shown: special-population tags need their own permission (docs/domain.md, "Personal data
 * (PIPL)").
 */
export function mayShowTag(tag: string, maySeeSpecial: boolean): boolean {
  return maySeeSpecial || !(SPECIAL_POPULATION_TAGS as readonly string[]).includes(tag);
}

/** Options of a tag picker: the tags this person may see, in their words. */
export function tagOptions(t: Translate, maySeeSpecial: boolean): { value: ResidentTag; label: string }[] {
  return RESIDENT_TAGS.filter((tag) => mayShowTag(tag, maySeeSpecial)).map((value) => ({
    value,
    label: t(TAG_LABELS[value]),
  }));
}

export function relationOptions(t: Translate): { value: Relation; label: string }[] {
  return RELATIONS.map((value) => ({ value, label: t(RELATION_LABELS[value]) }));
}
