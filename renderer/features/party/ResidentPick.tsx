import { Badge, Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentSearch } from '../../data/hooks';
import { useT } from '../../i18n';

export interface Picked {
  readonly id: string;
  readonly name: string;
}

/**
 * Picks residents of the registry by search (name, pinyin initials, address), so records name residents by id rather
 * than copying a name. `single` keeps one. Buttons and inputs only: Tab and Enter reach all of it.
 */
export function ResidentPick({
  community,
  label,
  picked,
  onChange,
  single = false,
  tag,
  required = false,
  testId,
}: {
  community: CommunityId;
  label: string;
  picked: readonly Picked[];
  onChange: (next: Picked[]) => void;
  single?: boolean;
  /** Only residents with this tag (e.g. `party-member`). */
  tag?: string;
  required?: boolean;
  testId?: string;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 80);
  const search = useResidentSearch(community, debounced, tag === undefined ? {} : { tag }, 8);
  const chosen = new Set(picked.map((p) => p.id));
  return (
    <Stack gap={4} data-testid={testId}>
      <TextInput
        label={label}
        placeholder={t('party.pick.hint')}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
        type="search"
        withAsterisk={required}
      />
      {debounced.trim() !== '' && search.hits.length === 0 && !search.loading && (
        <Text size="xs" c="dimmed">
          {t('party.pick.noMatch')}
        </Text>
      )}
      {debounced.trim() !== '' && (
        <Group gap={4}>
          {search.hits
            .filter(({ row }) => !chosen.has(row.id))
            .map(({ row }) => {
              const name = typeof row.record.name === 'string' ? row.record.name : row.id;
              return (
                <Button
                  key={row.id}
                  size="compact-xs"
                  variant="light"
                  data-testid="party-pick-hit"
                  onClick={() => {
                    onChange(single ? [{ id: row.id, name }] : [...picked, { id: row.id, name }]);
                    setQuery('');
                  }}
                >
                  {t('party.pick.add', { name, address: row.keys.address })}
                </Button>
              );
            })}
        </Group>
      )}
      {picked.length > 0 && (
        <Group gap={4} aria-label={t('party.pick.picked', { label })}>
          {picked.map((p) => (
            <Badge
              key={p.id}
              variant="outline"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={t('party.pick.remove', { name: p.name })}
                  onClick={() => onChange(picked.filter((q) => q.id !== p.id))}
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
