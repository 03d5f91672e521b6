/**
 * 登记 (record an event): what a grid worker, a head or a 红马褂 volunteer brings back from the grid, offline like
 * everything else. The place is picked from the registry (grid, compound, building, household) or written; photos are
 * stored first (one command each) and the report names them. Every field's problem is said beside it at once, asked of
 * the command's own schema; the command decides again when run.
 */
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  CloseButton,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { z } from 'zod';
import { reportIncident, reportIncidentSchema } from '@shared/domain/incidents/commands';
import { storeIncidentFile } from '@shared/domain/incidents/files';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_SOURCES,
  REQUEST_KINDS,
  URGENCIES,
  type IncidentCategory,
  type IncidentSource,
  type RequestKind,
  type Urgency,
} from '@shared/domain/incidents/types';
import { fromZodError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment, type PickedFile } from '../../ui/files';
import { incidentHref, thisYear, useIncidentCommand } from './data';
import { describeIncidentError } from './labels';
import { usePlacesWorded } from './usePlaceNames';
import { DateTimeField } from '../../ui/DateTimeField';

type StoreFileInput = Parameters<typeof storeIncidentFile>[2];
type ReportInput = Parameters<typeof reportIncident>[2];

/** `YYYY-MM-DDTHH:mm` in local time for a datetime-local input. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function instantOf(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/** The form's field each input path belongs to (the place's refusal is said at the grid). */
function fieldOf(path: string): string {
  if (path.startsWith('place.')) return 'place';
  if (path.startsWith('reporter.')) return path.slice('reporter.'.length);
  return path.split('.')[0] ?? path;
}

export function ReportForm({ community }: { community: CommunityId }) {
  const t = useT();
  const platform = usePlatform();
  const year = thisYear();
  const commands = useIncidentCommand(community, year);
  const places = usePlacesWorded(community);
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [occurredAt, setOccurredAt] = useState(localNow);
  const [grid, setGrid] = useState('');
  const [compound, setCompound] = useState('');
  const [building, setBuilding] = useState('');
  const [household, setHousehold] = useState('');
  const [placeText, setPlaceText] = useState('');
  const [category, setCategory] = useState<IncidentCategory>('opinion');
  const [subCategory, setSubCategory] = useState('');
  const [kind, setKind] = useState<RequestKind>('help');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [people, setPeople] = useState<string | number>(1);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [source, setSource] = useState<IncidentSource>('patrol');
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [done, setDone] = useState<{ id: string; title: string } | null>(null);

  const buildings = useMemo(
    () => (places?.buildings ?? []).filter((b) => compound === '' || b.compoundId === compound),
    [places, compound],
  );
  const households = useMemo(
    () => (building === '' ? [] : (places?.households ?? []).filter((h) => h.buildingId === building)),
    [places, building],
  );

  const input = (): ReportInput => ({
    community,
    title,
    content,
    occurredAt: instantOf(occurredAt),
    place: {
      grid: grid === '' ? null : grid,
      compound: compound === '' ? null : compound,
      building: building === '' ? null : building,
      household: household === '' ? null : household,
      text: placeText,
    },
    category,
    subCategory,
    kind,
    urgency,
    peopleInvolved: typeof people === 'number' ? people : Number(people === '' ? NaN : people),
    reporter: { name, phone, anonymous },
    source,
    attachments: files.map((_, i) => `file:pending-${i}`),
  });

  /** Every problem of the input at once, each beside its field, in the command's own words. */
  const check = (value: ReportInput): Record<string, string> => {
    const parsed = reportIncidentSchema.safeParse(value);
    if (parsed.success) return {};
    const out: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const error = fromZodError(new z.ZodError([issue]), value);
      const field = fieldOf(error.field ?? '');
      out[field] ??= describeIncidentError(t, error);
    }
    return out;
  };

  const addFile = async () => {
    setFileProblem(null);
    try {
      const picked = await pickAttachment(platform);
      if (picked.kind === 'too-big') setFileProblem(t('incident.report.fileTooBig', { name: picked.name }));
      if (picked.kind === 'picked') {
        setFiles((list) => [...list, { ...picked.file, name: picked.file.name.slice(0, 100) }]);
      }
    } catch (problem) {
      setFileProblem(problem instanceof Error ? problem.message : String(problem));
    }
  };

  const submit = async () => {
    commands.clear();
    const value = input();
    const found = check(value);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const refs: string[] = [];
    for (const file of files) {
      const ref = await commands.run((doc, ctx, i: StoreFileInput) => storeIncidentFile(doc, ctx, i), file);
      if (ref === null) return;
      refs.push(ref);
    }
    const id = await commands.run((doc, ctx, i: ReportInput) => reportIncident(doc, ctx, i), {
      ...value,
      attachments: refs,
    });
    if (id !== null) setDone({ id, title: value.title.trim() });
  };

  const reset = () => {
    setDone(null);
    setTitle('');
    setContent('');
    setOccurredAt(localNow());
    setHousehold('');
    setPlaceText('');
    setSubCategory('');
    setPeople(1);
    setName('');
    setPhone('');
    setAnonymous(false);
    setFiles([]);
    setErrors({});
  };

  if (done !== null) {
    return (
      <Stack data-testid="incident-reported">
        <Alert color="green" role="status">
          {t('incident.report.done', { title: done.title })}
        </Alert>
        <Group>
          <Anchor component={Link} href={incidentHref(year, done.id)}>
            {t('incident.report.open')}
          </Anchor>
          <Button variant="default" size="xs" onClick={reset}>
            {t('incident.report.another')}
          </Button>
        </Group>
      </Stack>
    );
  }

  const select = <V extends string>(values: readonly V[], key: (v: V) => string) =>
    values.map((value) => ({ value, label: t(key(value) as never) }));
  const options = (list: readonly { id: string; name: string }[]) => [
    { value: '', label: t('incident.none') },
    ...list.map((p) => ({ value: p.id, label: p.name })),
  ];

  return (
    <form
      aria-label={t('incident.report.title')}
      data-testid="incident-report-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack maw={760}>
        <Title order={3} size="h4">
          {t('incident.report.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('incident.report.hint')}
        </Text>
        <TextInput
          label={t('incident.field.title')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          maxLength={100}
          withAsterisk
          error={errors.title}
        />
        <Textarea
          label={t('incident.field.content')}
          value={content}
          onChange={(event) => setContent(event.currentTarget.value)}
          minRows={3}
          maxLength={4000}
          withAsterisk
          error={errors.content}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateTimeField
            label={t('incident.field.occurredAt')}
            value={occurredAt}
            onChange={setOccurredAt}
            withAsterisk
            error={errors.occurredAt}
          />
          <NumberInput
            label={t('incident.field.peopleInvolved')}
            value={people}
            onChange={setPeople}
            min={1}
            max={100_000}
            allowDecimal={false}
            error={errors.peopleInvolved}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('incident.field.grid')}
            value={grid}
            onChange={(event) => setGrid(event.currentTarget.value)}
            data={options(places?.grids ?? [])}
            error={errors.place}
          />
          <NativeSelect
            label={t('incident.field.compound')}
            value={compound}
            onChange={(event) => {
              setCompound(event.currentTarget.value);
              setBuilding('');
              setHousehold('');
            }}
            data={options(places?.compounds ?? [])}
          />
          <NativeSelect
            label={t('incident.field.building')}
            value={building}
            onChange={(event) => {
              const id = event.currentTarget.value;
              setBuilding(id);
              setHousehold('');
              const b = places?.buildings.find((x) => x.id === id);
              // The building tells its compound and grid: filled in when still empty.
              if (b !== undefined) {
                if (compound === '') setCompound(b.compoundId);
                if (grid === '' && b.gridId !== null) setGrid(b.gridId);
              }
            }}
            data={options(buildings)}
          />
          <NativeSelect
            label={t('incident.field.household')}
            value={household}
            onChange={(event) => setHousehold(event.currentTarget.value)}
            data={options(households)}
            disabled={building === ''}
          />
        </SimpleGrid>
        <TextInput
          label={t('incident.field.placeText')}
          value={placeText}
          onChange={(event) => setPlaceText(event.currentTarget.value)}
          maxLength={200}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('incident.field.category')}
            value={category}
            onChange={(event) => setCategory(event.currentTarget.value as IncidentCategory)}
            data={select(INCIDENT_CATEGORIES, (v) => `incident.category.${v}`)}
          />
          <TextInput
            label={t('incident.field.subCategory')}
            value={subCategory}
            onChange={(event) => setSubCategory(event.currentTarget.value)}
            maxLength={40}
            error={errors.subCategory}
          />
          <NativeSelect
            label={t('incident.field.kind')}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as RequestKind)}
            data={select(REQUEST_KINDS, (v) => `incident.kind.${v}`)}
          />
          <NativeSelect
            label={t('incident.field.urgency')}
            value={urgency}
            onChange={(event) => setUrgency(event.currentTarget.value as Urgency)}
            data={select(URGENCIES, (v) => `incident.urgency.${v}`)}
          />
          <NativeSelect
            label={t('incident.field.source')}
            value={source}
            onChange={(event) => setSource(event.currentTarget.value as IncidentSource)}
            data={select(INCIDENT_SOURCES, (v) => `incident.source.${v}`)}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('incident.field.reporterName')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={40}
            error={errors.name}
          />
          <TextInput
            label={t('incident.field.reporterPhone')}
            value={phone}
            onChange={(event) => setPhone(event.currentTarget.value)}
            maxLength={20}
            error={errors.phone}
          />
        </SimpleGrid>
        <Checkbox
          label={t('incident.field.anonymous')}
          checked={anonymous}
          onChange={(event) => setAnonymous(event.currentTarget.checked)}
        />
        <Stack gap={4}>
          <Text size="sm">{t('incident.field.attachments')}</Text>
          {files.map((file, i) => (
            <Group key={i} gap={4} data-testid="incident-report-file">
              <Anchor size="sm" href={file.data} download={file.name}>
                {file.name}
              </Anchor>
              <CloseButton
                size="sm"
                aria-label={t('incident.report.removeFile', { name: file.name })}
                onClick={() => setFiles((list) => list.filter((_, j) => j !== i))}
              />
            </Group>
          ))}
          <Group>
            <Button size="xs" variant="default" disabled={files.length >= 20} onClick={() => void addFile()}>
              {t('incident.report.addFile')}
            </Button>
          </Group>
          {fileProblem !== null && (
            <Text size="sm" c="red" role="alert">
              {fileProblem}
            </Text>
          )}
        </Stack>
        {Object.keys(errors).length > 0 && (
          <Alert color="red" role="alert" p="xs" data-testid="incident-form-errors">
            {t('incident.report.fixErrors')}
          </Alert>
        )}
        {commands.error !== null && (
          <Alert color="red" role="alert" p="xs" data-testid="incident-error">
            {describeIncidentError(t, commands.error)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={commands.busy}>
            {t('incident.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
