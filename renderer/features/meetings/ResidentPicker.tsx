import { Badge, Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ResidentId } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentSearch } from '../../data/hooks';
import { useT } from '../../i18n';

export interface PickedResident {
  readonly name: string;
  readonly residentId: ResidentId;
  readonly address: string;
}

/**
 * Picks people from the registry by search (name, pinyin initials, address): the representatives of a residents'
 * representatives meeting, so the sheet names registered residents rather than bare names. Buttons and inputs only,
 * so Tab and Enter reach all of it.
 */
export function ResidentPicker({
  community,
  label,
  picked,
  onChange,
}: {
  community: CommunityId;
  label: string;
  picked: readonly PickedResident[];
  onChange: (next: PickedResident[]) => void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 80);
  const search = useResidentSearch(community, debounced, {}, 8);
  const chosen = new Set(picked.map((p) => p.residentId as string));
  return (
    <Stack gap={4}>
      <TextInput
        label={label}
        placeholder={t('mtg.picker.hint')}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
        type="search"
      />
      {debounced.trim() !== '' && search.hits.length === 0 && !search.loading && (
        <Text size="xs" c="dimmed">
          {t('mtg.picker.noMatch')}
        </Text>
      )}
      {debounced.trim() !== '' && (
        <Group gap={4}>
          {search.hits
            .filter(({ row }) => !chosen.has(row.id))
            .map(({ row }) => {
              const name = typeof row.record.name === 'string' ? row.record.name : '';
              return (
                <Button
                  key={row.id}
                  size="compact-xs"
                  variant="light"
                  data-testid="picker-hit"
                  onClick={() => {
                    onChange([...picked, { name, residentId: row.id as ResidentId, address: row.keys.address }]);
                    setQuery('');
                  }}
                >
                  {t('mtg.picker.add', { name, address: row.keys.address })}
                </Button>
              );
            })}
        </Group>
      )}
      {picked.length > 0 && (
        <Group gap={4} aria-label={t('mtg.picker.picked')}>
          {picked.map((p) => (
            <Badge
              key={p.residentId}
              variant="outline"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={t('mtg.picker.remove', { name: p.name })}
                  onClick={() => onChange(picked.filter((q) => q.residentId !== p.residentId))}
                />
              }
            >
              {p.name}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}
