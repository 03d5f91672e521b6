import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import { createResident } from '@shared/domain/registry/commands';
import {
  isRelation,
  isResidentTag,
  type HouseholdId,
  type Relation,
  type ResidentTag,
} from '@shared/domain/registry/types';
import { domainError, type DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords, useStore } from '../../../data/hooks';
import { useT } from '../../../i18n';
import { usePermissions } from '../../sync';
import { DomainErrorText } from '../../../ui/DomainErrorText';
import { relationOptions, tagOptions } from './labels';
import { naturalCompare } from '@shared/domain/naturalOrder';

interface Props {
  community: CommunityId;
  opened: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}

/** Registers one resident in an existing household; the ID number is checked (GB 11643) before anything is saved. */
export function ResidentForm({ community, opened, onClose, onCreated }: Props) {
  const t = useT();
  const store = useStore();
  // Thousands of households in a big community: read and sorted only while the form is open, not with the list.
  const households = useRecords(opened ? community : null, 'households');
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [phone, setPhone] = useState('');
  const [householdId, setHouseholdId] = useState<HouseholdId | null>(null);
  const [relation, setRelation] = useState<Relation>('other');
  const [tags, setTags] = useState<ResidentTag[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<DomainError | null>(null);
  const maySeeSpecial = usePermissions(community).has('registry.special-care');

  const householdOptions = useMemo(
    () =>
      (households ?? [])
        .map((household) => ({ value: household.id, label: household.address || household.doorNumber }))
        .sort((a, b) => naturalCompare(a.label, b.label)),
    [households],
  );

  const reset = () => {
    setName('');
    setIdNumber('');
    setPhone('');
    setHouseholdId(null);
    setRelation('other');
    setTags([]);
    setNote('');
    setError(null);
  };

  const submit = async () => {
    if (householdId === null) {
      setError(domainError('required', 'householdId'));
      return;
    }
    const result = await store.run(community, createResident, {
      name,
      idNumber,
      phone: phone.trim() === '' ? null : phone,
      householdId,
      relation,
      tags,
      note,
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    reset();
    onClose();
    onCreated(result.value);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('registry.resident.add')} size="lg">
      <Stack
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {error && (
          <Alert color="red" role="alert">
            <DomainErrorText error={error} />
          </Alert>
        )}
        <TextInput
          label={t('registry.col.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        <TextInput
          label={t('registry.col.idNumber')}
          required
          value={idNumber}
          onChange={(e) => setIdNumber(e.currentTarget.value)}
          ff="monospace"
        />
        <TextInput label={t('registry.col.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
        <Select
          label={t('registry.resident.household')}
          placeholder={t('registry.household.none')}
          data={householdOptions}
          value={householdId}
          onChange={(value) => setHouseholdId(households?.find((household) => household.id === value)?.id ?? null)}
          searchable
          required
          limit={50}
        />
        <Select
          label={t('registry.resident.relation')}
          data={relationOptions(t)}
          value={relation}
          onChange={(value) => setRelation(value !== null && isRelation(value) ? value : 'other')}
        />
        <MultiSelect
          label={t('registry.resident.tags')}
          data={tagOptions(t, maySeeSpecial)}
          value={tags}
          onChange={(values) => setTags(values.filter(isResidentTag))}
        />
        <Textarea label={t('registry.resident.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group>
          <Button type="submit">{t('registry.resident.save')}</Button>
          <Button variant="default" onClick={onClose}>
            {t('registry.resident.cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
