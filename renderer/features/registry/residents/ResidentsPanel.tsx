import { Badge, Button, Group, Pagination, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { ageOn, chinaDate } from '@shared/domain/dates';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';
import { RESIDENT_TAGS, type ResidentTag } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords, useResidentSearch } from '../../../data/hooks';
import { afterPaint } from '../../../data/store';
import type { ResidentRow } from '../../../data/db';
import { useT } from '../../../i18n';
import { usePermissions } from '../../sync';
import { mayShowTag, TAG_LABELS, tagOptions } from './labels';
import { ResidentDrawer } from './ResidentDrawer';
import { ResidentForm } from './ResidentForm';
import { naturalCompare } from '@shared/domain/naturalOrder';

/**
 * Rows per page. The whole filtered list is reachable page by page (issue 18): a page asks the search for the rows up
 * to its end and shows the last 200, so "共 N 人" counts everyone and the pages cover them all.
 */
const PAGE = 200;
/**
 * Rows drawn in the first frame of a new result; the rest of the page follows in the next one. Two hundred rows of
 * table cells cost a long frame on a slow office PC, and the first screenful is what the person looks at.
 */
const FIRST_ROWS = 40;

/** The residents list: search as you type, filters, masked ID and phone, a drawer with details and history. */
export function ResidentsPanel({ community }: { community: CommunityId }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 80);
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const buildings = useRecords(community, 'buildings');
  const compounds = useRecords(community, 'compounds');
  const permissions = usePermissions(community);
  const mayseeSpecial = permissions.has('registry.special-care');

  const filter = useMemo(() => ({ ...(buildingId ? { buildingId } : {}), ...(tag ? { tag } : {}) }), [buildingId, tag]);
  // The page belongs to one search and filter: a new search or filter starts from its first page.
  const searchKey = `${debounced}\u0000${JSON.stringify(filter)}`;
  const [paging, setPaging] = useState({ searchKey, page: 1 });
  const chosen = paging.searchKey === searchKey ? paging.page : 1;
  const setPage = (next: number) => setPaging({ searchKey, page: next });
  const { hits, total, loading } = useResidentSearch(community, debounced, filter, chosen * PAGE);
  const pages = Math.max(1, Math.ceil(total / PAGE));
  // Residents removed here or by sync can leave the chosen page past the end: its last page is shown instead (the rows
  // asked for reach the chosen page, so they hold it).
  const page = Math.min(chosen, pages);
  const pageHits = useMemo(() => hits.slice((page - 1) * PAGE, page * PAGE), [hits, page]);
  const [complete, setComplete] = useState<readonly unknown[] | null>(null);
  const shown = complete === pageHits || pageHits.length <= FIRST_ROWS ? pageHits : pageHits.slice(0, FIRST_ROWS);
  useEffect(() => {
    if (shown === pageHits) return;
    let live = true;
    afterPaint(() => {
      if (live) setComplete(pageHits);
    });
    return () => {
      live = false;
    };
  }, [pageHits, shown]);
  const from = (page - 1) * PAGE + 1;
  const today = chinaDate(new Date());
  // User Timing mark of the first full list (read by `npm run bench:store`, visible in DevTools' performance panel).
  useEffect(() => {
    if (!loading) performance.mark('cgw:residents-list');
  }, [loading]);

  const buildingOptions = useMemo(() => {
    const compoundName = new Map((compounds ?? []).map((compound) => [compound.id, compound.name]));
    return (buildings ?? [])
      .map((building) => ({
        value: building.id,
        label: `${compoundName.get(building.compoundId) ?? ''} ${building.name}`.trim(),
      }))
      .sort((a, b) => naturalCompare(a.label, b.label));
  }, [buildings, compounds]);

  const visibleTags = (tags: readonly string[]) =>
    tags.filter(
      (value): value is ResidentTag =>
        (RESIDENT_TAGS as readonly string[]).includes(value) && mayShowTag(value, mayseeSpecial),
    );

  const open = (row: ResidentRow) => setSelected(row.id);

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <TextInput
          label={t('registry.search.label')}
          placeholder={t('registry.search.placeholder')}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          style={{ flex: '1 1 320px' }}
          data-autofocus
          type="search"
        />
        <Select
          label={t('registry.filter.building')}
          placeholder={t('registry.filter.all')}
          data={buildingOptions}
          value={buildingId}
          onChange={setBuildingId}
          searchable
          clearable
          w={200}
        />
        <Select
          label={t('registry.filter.tag')}
          placeholder={t('registry.filter.all')}
          data={tagOptions(t, mayseeSpecial)}
          value={tag}
          onChange={setTag}
          clearable
          w={160}
        />
        <Button onClick={() => setAdding(true)} disabled={!permissions.has('registry.edit')}>
          {t('registry.resident.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="resident-count">
        {loading
          ? t('settings.loading')
          : total > PAGE && pageHits.length > 0
            ? t('registry.countPage', { total, from, to: from + pageHits.length - 1 })
            : t('registry.count', { total })}
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table highlightOnHover striped aria-label={t('registry.search.results')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('registry.col.name')}</Table.Th>
              <Table.Th>{t('registry.col.sex')}</Table.Th>
              <Table.Th>{t('registry.col.age')}</Table.Th>
              <Table.Th>{t('registry.col.idNumber')}</Table.Th>
              <Table.Th>{t('registry.col.phone')}</Table.Th>
              <Table.Th>{t('registry.col.address')}</Table.Th>
              <Table.Th>{t('registry.col.tags')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map(({ row }) => {
              const record = row.record as {
                name: string;
                sex: string;
                birthDate: string;
                idNumber: string;
                phone: string | null;
              };
              return (
                <Table.Tr
                  key={row.id}
                  onClick={() => open(row)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      open(row);
                    }
                  }}
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                  aria-label={t('registry.resident.open', { name: record.name })}
                  data-testid="resident-row"
                >
                  <Table.Td>{record.name}</Table.Td>
                  <Table.Td>{record.sex === 'female' ? t('registry.sex.female') : t('registry.sex.male')}</Table.Td>
                  <Table.Td>{ageOn(record.birthDate, today)}</Table.Td>
                  <Table.Td ff="monospace">{maskIdNumber(record.idNumber)}</Table.Td>
                  <Table.Td ff="monospace">{record.phone ? maskPhone(record.phone) : ''}</Table.Td>
                  <Table.Td>{row.keys.address}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {visibleTags(row.tags).map((value) => (
                        <Badge key={value} size="sm" variant="light">
                          {t(TAG_LABELS[value])}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={setPage}
          withEdges
          aria-label={t('registry.page.label')}
          data-testid="resident-pages"
          getControlProps={(control) => ({ 'aria-label': t(`registry.page.${control}`) })}
          getItemProps={(item) => ({ 'aria-label': t('registry.page.item', { page: item }) })}
        />
      )}
      {!loading && total === 0 && <Text c="dimmed">{t('registry.empty')}</Text>}
      <ResidentDrawer community={community} residentId={selected} onClose={() => setSelected(null)} />
      <ResidentForm community={community} opened={adding} onClose={() => setAdding(false)} onCreated={setSelected} />
    </Stack>
  );
}
