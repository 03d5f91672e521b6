import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentSearch } from '../../data/hooks';
import { useT } from '../../i18n';

/**
 * A resident of the registry, found by name (or pinyin initials, ID or phone tail) and picked from the matches: the
 * records refer to residents by id, never by a typed name.
 */
export function ResidentPicker({
  community,
  label,
  value,
  onChange,
  tag,
}: {
  community: CommunityId;
  label: string;
  value: string;
  onChange: (id: string) => void;
  /** Only residents with this tag (`party-member` for a care payment). */
  tag?: string;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const search = useResidentSearch(community, query, tag ? { tag } : {}, 30);
  const first = search.hits[0]?.row.id ?? '';
  const known = search.hits.some((h) => h.row.id === value);
  // The first match is picked as the person types, so Enter in the search box submits with it.
  useEffect(() => {
    if (!known) onChange(first);
  }, [known, first, onChange]);
  return (
    <Group align="end" gap="xs">
      <TextInput
        label={t('resources.resident.search', { label })}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
      />
      <NativeSelect
        label={label}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={
          search.hits.length === 0
            ? [{ value: '', label: t('resources.resident.none') }]
            : search.hits.map((h) => ({
                value: h.row.id,
                label: typeof h.row.record.name === 'string' ? h.row.record.name : h.row.id,
              }))
        }
      />
    </Group>
  );
}
