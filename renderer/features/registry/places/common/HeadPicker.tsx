import { Alert, Button, Group, NativeSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { createVolunteer } from '@shared/domain/registry/commands';
import type { HeadRef, ResidentId, VolunteerId } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentSearch } from '../../../../data/hooks';
import { useT } from '../../../../i18n';
import { DomainErrorText } from '../../../../ui/DomainErrorText';
import { useCommand } from './useCommand';
import type { People } from './usePeople';

type Source = 'resident' | 'volunteer' | 'new';

export interface HeadPickerProps {
  community: CommunityId;
  people: People;
  /** What the post is called, e.g. 院长; fills the button texts. */
  role: string;
  /** Only residents with this tag (党员 for a secretary). */
  residentTag?: string;
  onPick: (head: HeadRef | null) => Promise<unknown>;
  canClear: boolean;
}

/**
 * Picks who holds a post: a resident found by search, a known volunteer, or a new volunteer (name + phone). Every
 * control is a plain button, input or select, so Tab and Enter reach all of it.
 */
export function HeadPicker({ community, people, role, residentTag, onPick, canClear }: HeadPickerProps) {
  const t = useT();
  const [source, setSource] = useState<Source>('resident');
  const [query, setQuery] = useState('');
  const [volunteerId, setVolunteerId] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const volunteer = useCommand(community);
  const filter = residentTag ? { tag: residentTag } : {};
  const search = useResidentSearch(community, query, filter, 8);
  const chosenVolunteer = volunteerId || people.volunteers[0]?.id || '';

  const createAndPick = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await volunteer.run(createVolunteer, { name, phone });
    if (id === null) return;
    setName('');
    setPhone('');
    await onPick({ kind: 'volunteer', id });
  };

  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        value={source}
        onChange={(value) => setSource(value)}
        data={[
          { value: 'resident', label: t('places.head.fromResident') },
          { value: 'volunteer', label: t('places.head.fromVolunteer') },
          { value: 'new', label: t('places.head.newVolunteer') },
        ]}
      />
      {source === 'resident' && (
        <Stack gap={4}>
          <TextInput
            size="xs"
            label={t('places.head.search')}
            placeholder={t('places.head.searchHint')}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
          />
          {query.trim() !== '' && search.hits.length === 0 && !search.loading && (
            <Text size="xs" c="dimmed">
              {t('places.head.noMatch')}
            </Text>
          )}
          {query.trim() !== '' &&
            search.hits.map(({ row }) => (
              <Button
                key={row.id}
                size="xs"
                variant="light"
                justify="flex-start"
                onClick={() => void onPick({ kind: 'resident', id: row.id as ResidentId }).then(() => setQuery(''))}
              >
                {t('places.head.pickResident', { name: String(row.record.name), address: row.keys.address, role })}
              </Button>
            ))}
        </Stack>
      )}
      {source === 'volunteer' &&
        (people.volunteers.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('places.head.noVolunteers')}
          </Text>
        ) : (
          <Group align="flex-end" gap="xs">
            <NativeSelect
              size="xs"
              label={t('places.head.volunteer')}
              value={chosenVolunteer}
              onChange={(event) => setVolunteerId(event.currentTarget.value)}
              data={people.volunteers.map((v) => ({ value: v.id, label: `${v.name} ${v.phone}` }))}
            />
            <Button
              size="xs"
              onClick={() => void onPick({ kind: 'volunteer', id: chosenVolunteer as VolunteerId })}
              disabled={chosenVolunteer === ''}
            >
              {t('places.head.set', { role })}
            </Button>
          </Group>
        ))}
      {source === 'new' && (
        <form onSubmit={(event) => void createAndPick(event)}>
          <Group align="flex-end" gap="xs">
            <TextInput
              size="xs"
              required
              label={t('places.head.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <TextInput
              size="xs"
              required
              label={t('places.head.phone')}
              value={phone}
              onChange={(event) => setPhone(event.currentTarget.value)}
            />
            <Button size="xs" type="submit" loading={volunteer.busy}>
              {t('places.head.createAndSet', { role })}
            </Button>
          </Group>
        </form>
      )}
      {volunteer.error && (
        <Alert color="red" role="alert" p="xs">
          <DomainErrorText error={volunteer.error} />
        </Alert>
      )}
      {canClear && (
        <Group>
          <Button size="xs" variant="subtle" color="gray" onClick={() => void onPick(null)}>
            {t('places.head.clear', { role })}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
