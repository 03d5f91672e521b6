import {
  Badge,
  Button,
  Card,
  Checkbox,
  CloseButton,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Route, Switch } from 'wouter';
import { hasPermission } from '@shared/domain/kernel';
import { deliberationToMeeting } from '@shared/domain/party/actions';
import { createPlatform, recordLink, setPlatformMembers } from '@shared/domain/party/commands';
import {
  LINK_KINDS,
  outLinkKey,
  PLATFORM_KINDS,
  type FourLinkKind,
  type LinkRecord,
  type OutLink,
  type PlatformKind,
} from '@shared/domain/party/types';
import type { CompoundId } from '@shared/domain/registry/types';
import { naturalCompare } from '@shared/domain/naturalOrder';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { snapshotRegistry, type StoredRecord } from '@shared/ydoc/registry';
import { useRecords, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { usePermissions } from '../sync';
import {
  activitiesDoc,
  thisYear,
  today,
  useActivities,
  usePartyCommand,
  usePartyEdit,
  useResidentNames,
  yearOf,
} from './data';
import { RecordCard, shownYear } from './focus';
import { PartyError } from './PartyError';
import { ResidentPick, type Picked } from './ResidentPick';
import { OutLinkAnchor } from './ToOther';
import { DateTimeField } from '../../ui/DateTimeField';

type Platform = StoredRecord<'platforms'>;

function PlatformCard({
  community,
  compoundId,
  kind,
  platform,
  names,
  edit,
}: {
  community: CommunityId;
  compoundId: string;
  kind: PlatformKind;
  platform: Platform | undefined;
  names: ReadonlyMap<string, string>;
  edit: boolean;
}) {
  const t = useT();
  const { registry, error, busy } = usePartyCommand(community);
  const [adding, setAdding] = useState<Picked[]>([]);
  const members = platform?.memberIds ?? [];
  const save = (next: string[]) =>
    platform === undefined
      ? registry(createPlatform, { compoundId, kind, memberIds: next })
      : registry(setPlatformMembers, { platformId: platform.id, memberIds: next });
  return (
    <Card withBorder data-testid="party-platform" data-kind={kind}>
      <Stack gap={4}>
        <Group justify="space-between">
          <Title order={5}>{t(`party.platform.${kind}`)}</Title>
          {platform === undefined ? (
            <Badge color="gray" variant="light">
              {t('party.platform.notSet')}
            </Badge>
          ) : (
            <Badge variant="light">{t('party.platform.count', { count: members.length })}</Badge>
          )}
        </Group>
        {members.map((id, i) => (
          <Group key={id} gap={4} justify="space-between">
            <Text size="sm">
              {names.get(id) ?? id}
              {i === 0 ? t('party.platform.head') : ''}
            </Text>
            {edit && (
              <CloseButton
                size="sm"
                aria-label={t('party.pick.remove', { name: names.get(id) ?? id })}
                onClick={() => void save(members.filter((m) => m !== id))}
              />
            )}
          </Group>
        ))}
        {edit && (
          <>
            <ResidentPick
              community={community}
              label={t('party.platform.add', { kind: t(`party.platform.${kind}`) })}
              picked={adding}
              onChange={setAdding}
            />
            <Group>
              <Button
                size="xs"
                variant="light"
                loading={busy}
                disabled={platform !== undefined && adding.length === 0}
                onClick={() =>
                  void save([...members, ...adding.map((p) => p.id)]).then((r) => {
                    if (r !== null) setAdding([]);
                  })
                }
              >
                {platform === undefined ? t('party.platform.create') : t('party.platform.addMembers')}
              </Button>
            </Group>
            <PartyError error={error} />
          </>
        )}
      </Stack>
    </Card>
  );
}

function LinkForm({
  community,
  compoundId,
  platforms,
}: {
  community: CommunityId;
  compoundId: string;
  platforms: readonly Platform[];
}) {
  const t = useT();
  const { activity, error, busy } = usePartyCommand(community);
  const [kind, setKind] = useState<FourLinkKind>('information');
  const [on, setOn] = useState(today());
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <form
      aria-label={t('party.four.form')}
      onSubmit={(event) => {
        event.preventDefault();
        void activity(yearOf(on), recordLink, { compoundId, kind, on, title, content, platformIds: chosen }).then(
          (id) => {
            if (id !== null) {
              setTitle('');
              setContent('');
            }
          },
        );
      }}
    >
      <Stack gap="xs">
        <Title order={4}>{t('party.four.form')}</Title>
        <Group grow align="end">
          <NativeSelect
            label={t('party.field.fourKind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as FourLinkKind)}
            data={LINK_KINDS.map((value) => ({ value, label: t(`party.four.${value}`) }))}
          />
          <TextInput
            type="date"
            label={t('party.field.on')}
            value={on}
            max={today()}
            onChange={(e) => setOn(e.currentTarget.value)}
          />
          <TextInput
            label={t('party.field.title')}
            value={title}
            maxLength={100}
            withAsterisk
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        </Group>
        <Textarea
          label={t('party.field.content')}
          value={content}
          maxLength={2000}
          autosize
          minRows={2}
          onChange={(e) => setContent(e.currentTarget.value)}
        />
        <Checkbox.Group label={t('party.field.platforms')} value={chosen} onChange={setChosen}>
          <Group gap="xs" mt={4}>
            {platforms.map((p) => (
              <Checkbox key={p.id} value={p.id} label={t(`party.platform.${p.kind}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <PartyError error={error} />
        <Group>
          <Button type="submit" loading={busy}>
            {t('party.four.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** 要事联商 → a 三平台 joint meeting (会议 of type 小区“三平台”联席会议) on the compound, created and linked. */
function ToMeeting({ community, record }: { community: CommunityId; record: LinkRecord }) {
  const t = useT();
  const store = useStore();
  const allowed = hasPermission(usePermissions(community), 'meetings.edit');
  const { across, error, busy } = usePartyCommand(community);
  const [open, setOpen] = useState(false);
  const [startsAt, setStartsAt] = useState(`${today()}T19:00`);
  const [place, setPlace] = useState('');
  if (!allowed) return null;
  if (!open) {
    return (
      <Button size="compact-xs" variant="light" onClick={() => setOpen(true)}>
        {t('party.link.toMeeting')}
      </Button>
    );
  }
  const submit = () =>
    void across(async (ctx) => {
      const year = yearOf(startsAt.slice(0, 10));
      const activities = await store.document(activitiesDoc(community, yearOf(record.on)));
      const meetings = await store.document(docName({ community, collection: 'meetings', year }));
      const { doc } = await store.registry(community);
      const me = { name: store.user.userName };
      return deliberationToMeeting(
        activities,
        meetings,
        ctx,
        {
          recordId: record.id,
          year,
          meeting: {
            type: 'three-platforms',
            title: record.title,
            scope: { kind: 'compound', compoundId: record.compoundId as CompoundId },
            convener: me,
            chair: me,
            recorder: me,
            startsAt: new Date(`${startsAt}:00+08:00`).toISOString(),
            place,
          },
        },
        snapshotRegistry(doc),
      );
    }).then((made) => {
      if (made !== null) setOpen(false);
    });
  return (
    <Stack gap={4}>
      <Group gap={4} align="end">
        <DateTimeField size="xs" label={t('party.link.meetingAt')} value={startsAt} onChange={setStartsAt} />
        <TextInput
          size="xs"
          label={t('party.link.meetingPlace')}
          value={place}
          maxLength={200}
          onChange={(e) => setPlace(e.currentTarget.value)}
        />
        <Button size="xs" loading={busy} onClick={submit}>
          {t('party.link.createMeeting')}
        </Button>
        <Button size="xs" variant="default" onClick={() => setOpen(false)}>
          {t('party.cancel')}
        </Button>
      </Group>
      <PartyError error={error} />
    </Stack>
  );
}

function LinkList({
  community,
  records,
  links,
  platforms,
  edit,
  focus,
}: {
  community: CommunityId;
  focus: string | null;
  records: readonly LinkRecord[];
  links: ReadonlyMap<string, OutLink>;
  platforms: readonly Platform[];
  edit: boolean;
}) {
  const t = useT();
  if (records.length === 0) return <Text c="dimmed">{t('party.four.none')}</Text>;
  return (
    <Stack gap="xs">
      {records.map((r) => {
        const link = links.get(outLinkKey('link-record', r.id, 0));
        const who = r.platformIds
          .map((id) => platforms.find((p) => p.id === id))
          .flatMap((p) => (p ? [t(`party.platform.${p.kind}`)] : []))
          .join(t('party.enumSep'));
        return (
          <RecordCard key={r.id} testId="party-four" focused={r.id === focus}>
            <Stack gap={4}>
              <Group gap="xs">
                <Badge variant="light">{t(`party.four.${r.kind}`)}</Badge>
                <Text size="sm" fw={600}>
                  {t('party.four.head', { on: r.on, title: r.title })}
                </Text>
              </Group>
              {r.content && <Text size="sm">{r.content}</Text>}
              {who && (
                <Text size="xs" c="dimmed">
                  {t('party.four.with', { names: who })}
                </Text>
              )}
              {r.kind === 'deliberation' &&
                (link ? <OutLinkAnchor link={link} /> : edit && <ToMeeting community={community} record={r} />)}
            </Stack>
          </RecordCard>
        );
      })}
    </Stack>
  );
}

/**
 * 三平台 per compound (docs/party-model.md): the compound's party branch, management and mediation committees, and the
 * culture, security and service centres, with their members from the registry; the 四联 records, 要事联商 leading to a
 * 三平台 joint meeting.
 */
export function PlatformsSection({ community }: { community: CommunityId }) {
  return (
    <Switch>
      {/* A 四联 record another area links back to (SourceLink): its year and compound, the record marked. */}
      <Route path="/four/:year/:record">
        {(p) => <PlatformsPage community={community} year={shownYear(p.year)} focus={p.record} />}
      </Route>
      <Route>
        <PlatformsPage community={community} year={thisYear()} focus={null} />
      </Route>
    </Switch>
  );
}

function PlatformsPage({ community, year, focus }: { community: CommunityId; year: number; focus: string | null }) {
  const t = useT();
  const edit = usePartyEdit(community);
  const compounds = useRecords(community, 'compounds');
  const platforms = useRecords(community, 'platforms');
  const activities = useActivities(community, year);
  const [chosen, setChosen] = useState('');
  const names = useResidentNames(community, platforms?.flatMap((p) => p.memberIds) ?? []);
  if (compounds === undefined || platforms === undefined || activities === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  if (compounds.length === 0) return <Text c="dimmed">{t('party.platform.noCompounds')}</Text>;
  const sorted = [...compounds].sort((a, b) => naturalCompare(a.name, b.name));
  const focused = activities.linkRecords.find((r) => r.id === focus)?.compoundId;
  const compoundId = sorted.some((c) => c.id === chosen) ? chosen : (focused ?? sorted[0]?.id ?? '');
  const mine = platforms.filter((p) => p.compoundId === compoundId);
  const links = new Map(activities.outLinks.map((l) => [outLinkKey(l.source, l.recordId, l.item), l]));
  const records = activities.linkRecords.filter((r) => r.compoundId === compoundId).reverse();
  return (
    <Stack>
      <NativeSelect
        label={t('party.field.compound')}
        value={compoundId}
        onChange={(e) => setChosen(e.currentTarget.value)}
        data={sorted.map((c) => ({ value: c.id, label: c.name }))}
        maw={320}
      />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {PLATFORM_KINDS.map((kind) => (
          <PlatformCard
            key={`${compoundId}-${kind}`}
            community={community}
            compoundId={compoundId}
            kind={kind}
            platform={mine.find((p) => p.kind === kind)}
            names={names}
            edit={edit}
          />
        ))}
      </SimpleGrid>
      {edit && <LinkForm key={compoundId} community={community} compoundId={compoundId} platforms={mine} />}
      <Title order={4}>{t('party.four.list', { year, count: records.length })}</Title>
      <LinkList community={community} records={records} links={links} platforms={mine} edit={edit} focus={focus} />
    </Stack>
  );
}
