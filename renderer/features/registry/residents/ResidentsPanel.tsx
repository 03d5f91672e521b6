import { Badge, Button, Group, Pagination, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import {
  memo,
  startTransition,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { ageOn, chinaDate } from '@shared/domain/dates';
import { RESIDENT_TAGS, type ResidentTag } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentList } from '../../../data/hooks';
import { afterPaint } from '../../../data/store';
import type { ResidentListRow } from '@shared/ydoc/registryRows';
import { useT, type Translate } from '../../../i18n';
import { usePermissions } from '../../sync';
import { useBuildingOptions } from '../buildingOptions';
import type { FirstRowsProgress } from '../../../sync/firstRows';
import { useFirstRowsProgress } from '../../../sync/react';
import { mayShowTag, TAG_LABELS, tagOptions } from './labels';
import { ResidentDrawer } from './ResidentDrawer';
import { ResidentForm } from './ResidentForm';

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

/**
 * 查找居民: the box keeps what is typed as its own state, so a key redraws the box alone; the list follows in a
 * transition (React draws it when the box has been drawn, and drops a list a newer key made stale). No debounce: a
 * keystroke's search is a few milliseconds (the index, docs/registry-model.md) and the rows are light (below); the
 * 80 ms the list used to wait after every key was most of the time a person waited (docs/bench-scale.md).
 */
const SearchBox = memo(function SearchBox({ onQuery }: { onQuery: (query: string) => void }) {
  const t = useT();
  const [value, setValue] = useState('');
  return (
    <TextInput
      label={t('registry.search.label')}
      placeholder={t('registry.search.placeholder')}
      value={value}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setValue(next);
        startTransition(() => onQuery(next));
      }}
      style={{ flex: '1 1 320px' }}
      data-autofocus
      type="search"
    />
  );
});

/** The class names of Mantine's table parts, for rows drawn as plain elements (below). */
const TABLE = Table.classes;
// The tags of a row as Mantine's <Group gap={4}> of <Badge size="sm" variant="light">: its classes and the variables
// its style resolvers set, once for every row (a Badge per tag was 3.1 s of a 33 s keystroke profile at 100,000
// residents: docs/bench-scale.md, "The figure rows' write after a registry change").
const GROUP = Group.classes;
const BADGE = Badge.classes;
const TAG_GROUP_STYLE = { '--group-gap': 'calc(0.25rem * var(--mantine-scale))' } as CSSProperties;
const TAG_BADGE_STYLE = {
  '--badge-height': 'var(--badge-height-sm)',
  '--badge-padding-x': 'var(--badge-padding-x-sm)',
  '--badge-fz': 'var(--badge-fz-sm)',
  '--badge-bg': 'var(--mantine-primary-color-light)',
  '--badge-color': 'var(--mantine-primary-color-light-color)',
  '--badge-bd': 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
} as CSSProperties;

/** Moves the focus to another row of the list (arrow keys, Home, End); false when the key is not one of those. */
function moveFocus(event: KeyboardEvent<HTMLTableRowElement>): boolean {
  const row = event.currentTarget;
  const target =
    event.key === 'ArrowDown'
      ? row.nextElementSibling
      : event.key === 'ArrowUp'
        ? row.previousElementSibling
        : event.key === 'Home'
          ? row.parentElement?.firstElementChild
          : event.key === 'End'
            ? row.parentElement?.lastElementChild
            : undefined;
  if (target === undefined) return false;
  if (target instanceof HTMLElement) target.focus();
  return true;
}

interface RowProps {
  row: ResidentListRow;
  /** The row's place in the whole list (1 = the first resident), for screen readers (`aria-rowindex`). */
  place: number;
  today: string;
  mayseeSpecial: boolean;
  onOpen: (id: string) => void;
  t: Translate;
}

/**
 * One resident's row, drawn with plain table elements carrying Mantine's table classes and data attributes (striped,
 * hover, row border): the same look, without a Mantine component per cell. Two hundred rows of `Table.Tr`/`Table.Td`
 * were 1,600 Mantine boxes, each resolving its theme and style props: the largest part of a keystroke's time at
 * 20,000 residents (docs/bench-scale.md, "Where a keystroke's time went"). Memoized: a row already shown is not drawn
 * again when the list around it changes.
 */
const ResidentRowView = memo(function ResidentRowView({ row, place, today, mayseeSpecial, onOpen, t }: RowProps) {
  // The list's columns, made when the row was projected (ID number and phone masked there: shared/ydoc/registryRows.ts).
  const card = row.card;
  const tags = row.tags.filter(
    (value): value is ResidentTag =>
      (RESIDENT_TAGS as readonly string[]).includes(value) && mayShowTag(value, mayseeSpecial),
  );
  return (
    <tr
      className={TABLE.tr}
      data-with-row-border
      data-striped="odd"
      data-hover
      aria-rowindex={place + 1}
      onClick={() => onOpen(row.id)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(row.id);
        } else if (moveFocus(event)) event.preventDefault();
      }}
      tabIndex={0}
      style={{ cursor: 'pointer' }}
      aria-label={t('registry.resident.open', { name: card.name })}
      data-testid="resident-row"
    >
      <td className={TABLE.td}>{card.name}</td>
      <td className={TABLE.td}>{card.sex === 'female' ? t('registry.sex.female') : t('registry.sex.male')}</td>
      <td className={TABLE.td}>{ageOn(card.birthDate, today)}</td>
      <td className={TABLE.td} style={{ fontFamily: 'monospace' }}>
        {card.idMasked}
      </td>
      <td className={TABLE.td} style={{ fontFamily: 'monospace' }}>
        {card.phoneMasked}
      </td>
      <td className={TABLE.td}>{row.keys.address}</td>
      <td className={TABLE.td}>
        {tags.length > 0 && (
          <div className={GROUP.root} style={TAG_GROUP_STYLE}>
            {tags.map((value) => (
              <span key={value} className={BADGE.root} data-size="sm" data-variant="light" style={TAG_BADGE_STYLE}>
                <span className={BADGE.label}>{t(TAG_LABELS[value])}</span>
              </span>
            ))}
          </div>
        )}
      </td>
    </tr>
  );
});

/**
 * 楼栋, 标签 and 新增居民: drawn again when their own values change, not at every key typed into the search box (a query
 * changes the list, not them). The buildings are read here, so the registry's document loading (its buildings arriving)
 * draws this bar again, not the whole list (docs/bench-scale.md, "A start's reads on the main thread").
 */
const ResidentFilters = memo(function ResidentFilters({
  community,
  buildingId,
  onBuilding,
  tag,
  onTag,
  mayseeSpecial,
  mayEdit,
  onAdd,
}: {
  community: CommunityId;
  buildingId: string | null;
  onBuilding: (id: string | null) => void;
  tag: string | null;
  onTag: (tag: string | null) => void;
  mayseeSpecial: boolean;
  mayEdit: boolean;
  onAdd: () => void;
}) {
  const t = useT();
  const buildingOptions = useBuildingOptions(community);
  const tags = useMemo(() => tagOptions(t, mayseeSpecial), [t, mayseeSpecial]);
  return (
    <>
      <Select
        label={t('registry.filter.building')}
        placeholder={t('registry.filter.all')}
        data={buildingOptions}
        value={buildingId}
        onChange={onBuilding}
        searchable
        clearable
        w={200}
      />
      <Select
        label={t('registry.filter.tag')}
        placeholder={t('registry.filter.all')}
        data={tags}
        value={tag}
        onChange={onTag}
        clearable
        w={160}
      />
      <Button onClick={onAdd} disabled={!mayEdit}>
        {t('registry.resident.add')}
      </Button>
    </>
  );
});

/** The list's header row: the same at every key, so drawn once. */
const ResidentsHead = memo(function ResidentsHead({ t }: { t: Translate }) {
  return (
    <Table.Thead>
      <Table.Tr aria-rowindex={1}>
        <Table.Th>{t('registry.col.name')}</Table.Th>
        <Table.Th>{t('registry.col.sex')}</Table.Th>
        <Table.Th>{t('registry.col.age')}</Table.Th>
        <Table.Th>{t('registry.col.idNumber')}</Table.Th>
        <Table.Th>{t('registry.col.phone')}</Table.Th>
        <Table.Th>{t('registry.col.address')}</Table.Th>
        <Table.Th>{t('registry.col.tags')}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
});

// The drawer and the form are not drawn again at every key either (their props do not change with the query).
const Drawer = memo(ResidentDrawer);
const Form = memo(ResidentForm);

/** "正在下载居民名册… 12,000 / 100,000", then "正在保存…" while they are sealed and written. */
function FirstRowsLine({ progress, t }: { progress: FirstRowsProgress; t: Translate }) {
  const count = (n: number) => n.toLocaleString('zh-CN');
  const label =
    progress.total === null
      ? t('registry.firstRows.downloadStart')
      : t(progress.phase === 'download' ? 'registry.firstRows.download' : 'registry.firstRows.write', {
          done: count(progress.done),
          total: count(progress.total),
        });
  return (
    <Text c="dimmed" size="sm" role="status" data-testid="first-rows-progress">
      {label}
    </Text>
  );
}

/** The residents list: search as you type, filters, masked ID and phone, a drawer with details and history. */
export function ResidentsPanel({ community }: { community: CommunityId }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const permissions = usePermissions(community);
  const mayseeSpecial = permissions.has('registry.special-care');

  const filter = useMemo(() => ({ ...(buildingId ? { buildingId } : {}), ...(tag ? { tag } : {}) }), [buildingId, tag]);
  // The page belongs to one search and filter: a new search or filter starts from its first page.
  const searchKey = `${query}\u0000${JSON.stringify(filter)}`;
  const [paging, setPaging] = useState({ searchKey, page: 1 });
  const chosen = paging.searchKey === searchKey ? paging.page : 1;
  const setPage = (next: number) => setPaging({ searchKey, page: next });
  const { hits, total, loading } = useResidentList(community, query, filter, chosen * PAGE);
  // A new device's first sync: the server's rows being downloaded, then saved (the list fills from them).
  const firstRows = useFirstRowsProgress(community);
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

  const open = useCallback((id: string) => setSelected(id), []);
  const closeDrawer = useCallback(() => setSelected(null), []);
  const add = useCallback(() => setAdding(true), []);
  const closeForm = useCallback(() => setAdding(false), []);

  return (
    <Stack>
      <Group align="end" wrap="wrap">
        <SearchBox onQuery={setQuery} />
        <ResidentFilters
          community={community}
          buildingId={buildingId}
          onBuilding={setBuildingId}
          tag={tag}
          onTag={setTag}
          mayseeSpecial={mayseeSpecial}
          mayEdit={permissions.has('registry.edit')}
          onAdd={add}
        />
      </Group>
      <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="resident-count">
        {loading
          ? t('settings.loading')
          : total > PAGE && pageHits.length > 0
            ? t('registry.countPage', { total, from, to: from + pageHits.length - 1 })
            : t('registry.count', { total })}
      </Text>
      <Table.ScrollContainer minWidth={760}>
        {/* Screen readers hear the whole list's size and each row's place in it, not the page's 200 (the header row
            is row 1). */}
        <Table highlightOnHover striped aria-label={t('registry.search.results')} aria-rowcount={total + 1}>
          <ResidentsHead t={t} />
          <Table.Tbody>
            {shown.map(({ row }, i) => (
              <ResidentRowView
                key={row.id}
                row={row}
                place={from + i}
                today={today}
                mayseeSpecial={mayseeSpecial}
                onOpen={open}
                t={t}
              />
            ))}
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
      {firstRows !== null ? (
        <FirstRowsLine progress={firstRows} t={t} />
      ) : (
        !loading && total === 0 && <Text c="dimmed">{t('registry.empty')}</Text>
      )}
      <Drawer community={community} residentId={selected} onClose={closeDrawer} />
      <Form community={community} opened={adding} onClose={closeForm} onCreated={setSelected} />
    </Stack>
  );
}
