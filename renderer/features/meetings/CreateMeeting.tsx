import {
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useState, type SyntheticEvent } from 'react';
import { useLocation } from 'wouter';
import type * as Y from 'yjs';
import { createMeeting } from '@shared/domain/meetings/commands';
import { expectedAttendees, ruleFor } from '@shared/domain/meetings/rules';
import {
  MEETING_TYPES,
  PARTY_MEETING_KINDS,
  type MeetingScope,
  type MeetingType,
  type PartyMeetingKind,
  type RuleOverrides,
} from '@shared/domain/meetings/types';
import { snapshotRegistry } from '@shared/ydoc/registry';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords, useRegistryValue, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { ErrorLine } from './ErrorLine';
import { useMeetingCommand, yearOf } from './data';
import { PARTY_KIND_LABELS, thresholdText, TYPE_LABELS } from './labels';
import { cleanPerson, MeetingPeopleFields, useMyMeetingPerson, type MeetingPeople } from './PersonField';
import { ResidentPicker, type PickedResident } from './ResidentPicker';
import { RuleOverridesForm } from './RuleOverridesForm';
import { naturalCompare } from '@shared/domain/naturalOrder';
import { DateTimeField } from '../../ui/DateTimeField';

/** `2026-03-10T09:00` typed in a datetime field, read as China time whatever the device's zone. */
export function chinaInstant(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  const ms = Date.parse(`${local}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function lines(value: string): string[] {
  return value
    .split(/[\n,，、]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const person = (name: string) => ({ name: name.trim(), ref: null });

/**
 * A new meeting: type, title, time, place, who it is for (the type decides: a list of representatives, a compound,
 * a zone of the five-heads tree or a party organisation), convener, chair, recorder, invitees and who must sign.
 * The expected attendees are previewed from the registry with the domain's own `expectedAttendees`.
 */
export function CreateMeeting({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const [, navigate] = useLocation();
  const [type, setType] = useState<MeetingType>('residents-representatives');
  const [partyKind, setPartyKind] = useState<PartyMeetingKind>('members-meeting');
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [place, setPlace] = useState('');
  const [people, setPeople] = useState('');
  const [representatives, setRepresentatives] = useState<PickedResident[]>([]);
  const [probationary, setProbationary] = useState<ReadonlySet<string>>(new Set());
  const [compoundId, setCompoundId] = useState('');
  const [zoneId, setZoneId] = useState('');
  const [partyOrgId, setPartyOrgId] = useState('');
  // Until edited, convener and recorder are the person at this device (linked in the registry if they are).
  const myself = useMyMeetingPerson(community) ?? { name: store.user.userName, ref: null };
  const [editedPeople, setMeetingPeople] = useState<MeetingPeople | null>(null);
  const meetingPeople = editedPeople ?? { convener: myself, chair: { name: '', ref: null }, recorder: myself };
  const [invitees, setInvitees] = useState('');
  const [inviteesVote, setInviteesVote] = useState(false);
  const [signatories, setSignatories] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const compounds = useRecords(community, 'compounds');
  const zones = useRecords(community, 'zones');
  const partyOrgs = useRecords(community, 'partyOrgs');
  const registry = useRegistryValue(
    community,
    useCallback((doc: Y.Doc) => snapshotRegistry(doc), []),
  );
  const instant = chinaInstant(startsAt);
  const commands = useMeetingCommand(community, instant ? yearOf(instant) : new Date().getFullYear());
  const [overrides, setOverrides] = useState<RuleOverrides>({});
  const rule = ruleFor(type, overrides);

  const scope = useMemo((): MeetingScope | null => {
    switch (rule.scopeKind) {
      case 'list':
        return {
          kind: 'list',
          people: [
            ...representatives.map((p) => ({ name: p.name, residentId: p.residentId })),
            ...lines(people).map((name) => ({ name, residentId: null })),
          ],
        };
      case 'compound':
        return compoundId ? { kind: 'compound', compoundId: compoundId as never } : null;
      case 'zone':
        return zoneId ? { kind: 'zone', zoneId: zoneId as never } : null;
      case 'party-org':
        return partyOrgId
          ? { kind: 'party-org', partyOrgId: partyOrgId as never, nonVotingIds: [...probationary] as never[] }
          : null;
    }
  }, [rule.scopeKind, people, representatives, compoundId, zoneId, partyOrgId, probationary]);
  const inviteeList = lines(invitees).map((name) => ({ name, residentId: null, voting: inviteesVote }));

  const expected = useMemo(
    () =>
      scope && registry ? expectedAttendees({ type, rules: overrides, scope, invitees: inviteeList }, registry) : null,
    // inviteeList is rebuilt each render from its text; the text is the dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scope, registry, type, invitees, inviteesVote, overrides],
  );

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (instant === null) {
      setProblem(t('mtg.create.timeRequired'));
      return;
    }
    if (scope === null) {
      setProblem(t('mtg.create.scopeRequired'));
      return;
    }
    setProblem(null);
    const id = await commands.runWithRegistry(createMeeting, {
      type,
      partyKind: type === 'party' ? partyKind : null,
      title,
      scope,
      invitees: inviteeList,
      rules: overrides,
      convener: cleanPerson(meetingPeople.convener),
      chair: cleanPerson(meetingPeople.chair),
      recorder: cleanPerson(meetingPeople.recorder),
      startsAt: instant,
      place,
      requiredSignatories: lines(signatories).map(person),
    });
    if (id !== null) navigate(`/m/${yearOf(instant)}/${id}`);
  };

  return (
    <Stack component="form" onSubmit={(event) => void submit(event)} maw={900}>
      <Title order={2}>{t('mtg.create.title')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label={t('mtg.field.type')}
          value={type}
          onChange={(event) => {
            setType(event.currentTarget.value as MeetingType);
            // Overrides belong to a type: another type starts from its own rule.
            setOverrides({});
          }}
          data={MEETING_TYPES.map((value) => ({ value, label: t(TYPE_LABELS[value]) }))}
        />
        {type === 'party' && (
          <NativeSelect
            label={t('mtg.field.partyKind')}
            value={partyKind}
            onChange={(event) => setPartyKind(event.currentTarget.value as PartyMeetingKind)}
            data={PARTY_MEETING_KINDS.map((value) => ({ value, label: t(PARTY_KIND_LABELS[value]) }))}
          />
        )}
        <TextInput
          required
          label={t('mtg.field.title')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          data-autofocus
        />
        <DateTimeField
          required

          label={t('mtg.field.startsAt')}
          value={startsAt}
          onChange={setStartsAt}
        />
        <TextInput
          required
          label={t('mtg.field.place')}
          value={place}
          onChange={(e) => setPlace(e.currentTarget.value)}
        />
        {rule.scopeKind === 'compound' && (
          <NativeSelect
            required
            label={t('mtg.field.compound')}
            value={compoundId}
            onChange={(event) => setCompoundId(event.currentTarget.value)}
            data={[
              { value: '', label: t('mtg.create.choose') },
              ...(compounds ?? [])
                .map((c) => ({ value: c.id, label: c.name }))
                .sort((a, b) => naturalCompare(a.label, b.label)),
            ]}
          />
        )}
        {rule.scopeKind === 'zone' && (
          <NativeSelect
            required
            label={t('mtg.field.zone')}
            value={zoneId}
            onChange={(event) => setZoneId(event.currentTarget.value)}
            data={[
              { value: '', label: t('mtg.create.choose') },
              ...(zones ?? [])
                .filter((z) => (type === 'courtyard' ? z.level === 'courtyard' : true))
                .map((z) => ({ value: z.id, label: z.name }))
                .sort((a, b) => naturalCompare(a.label, b.label)),
            ]}
          />
        )}
        {rule.scopeKind === 'party-org' && (
          <NativeSelect
            required
            label={t('mtg.field.partyOrg')}
            value={partyOrgId}
            onChange={(event) => setPartyOrgId(event.currentTarget.value)}
            data={[
              { value: '', label: t('mtg.create.choose') },
              ...(partyOrgs ?? [])
                .map((o) => ({ value: o.id, label: o.name }))
                .sort((a, b) => naturalCompare(a.label, b.label)),
            ]}
          />
        )}
      </SimpleGrid>
      <MeetingPeopleFields community={community} value={meetingPeople} onChange={setMeetingPeople} />
      {rule.scopeKind === 'list' && (
        <ResidentPicker
          community={community}
          label={t('mtg.create.pickPeople')}
          picked={representatives}
          onChange={setRepresentatives}
        />
      )}
      {rule.scopeKind === 'list' && (
        <Textarea
          label={t('mtg.create.people')}
          description={t('mtg.create.linesHint')}
          autosize
          minRows={3}
          value={people}
          onChange={(event) => setPeople(event.currentTarget.value)}
        />
      )}
      <Textarea
        label={t('mtg.create.invitees')}
        description={t('mtg.create.linesHint')}
        autosize
        minRows={2}
        value={invitees}
        onChange={(event) => setInvitees(event.currentTarget.value)}
      />
      {rule.votingInvitees && (
        <Checkbox
          label={t('mtg.create.inviteesVote')}
          checked={inviteesVote}
          onChange={(event) => setInviteesVote(event.currentTarget.checked)}
        />
      )}
      <Textarea
        label={t('mtg.field.signatories')}
        description={t('mtg.create.linesHint')}
        autosize
        minRows={1}
        value={signatories}
        onChange={(event) => setSignatories(event.currentTarget.value)}
      />
      <RuleOverridesForm type={type} value={overrides} onChange={setOverrides} />
      <Alert variant="light" title={t('mtg.create.rule')}>
        <Text size="sm">
          {t('mtg.rule.summary', {
            quorum: thresholdText(t, rule.quorum),
            pass: thresholdText(t, rule.pass.ordinary.threshold),
            base: t(rule.pass.ordinary.base === 'present' ? 'mtg.rule.base.present' : 'mtg.rule.base.expected'),
            days: rule.noticeDays,
          })}
        </Text>
        {rule.quorumArea !== null && <Text size="sm">{t('mtg.rule.assembly')}</Text>}
        {!rule.binding && <Text size="sm">{t('mtg.rule.advisory')}</Text>}
      </Alert>
      <Stack gap={4} data-testid="expected-preview">
        <Text fw={600}>
          {expected === null ? t('mtg.create.expectedUnknown') : t('mtg.create.expected', { count: expected.length })}
        </Text>
        {expected !== null && expected.length > 0 && type !== 'party' && (
          <Text size="sm" c="dimmed" lineClamp={3}>
            {expected.map((line) => line.name).join('、')}
          </Text>
        )}
        {expected !== null && expected.length > 0 && type === 'party' && (
          // 预备党员 attend without a vote (党章 art. 7): the office ticks them here.
          <Stack gap={2} aria-label={t('mtg.create.probationary')}>
            <Text size="sm">{t('mtg.create.probationary')}</Text>
            <Group gap="xs">
              {expected.map((line) =>
                line.ref?.kind === 'resident' ? (
                  <Checkbox
                    key={line.key}
                    size="xs"
                    label={line.name}
                    checked={probationary.has(line.ref.id)}
                    onChange={(event) => {
                      const id = line.ref?.id ?? '';
                      const checked = event.currentTarget.checked;
                      setProbationary((current) => {
                        const next = new Set(current);
                        if (checked) next.add(id);
                        else next.delete(id);
                        return next;
                      });
                    }}
                  />
                ) : null,
              )}
            </Group>
          </Stack>
        )}
      </Stack>
      {problem !== null && (
        <Alert color="red" role="alert" p="xs">
          {problem}
        </Alert>
      )}
      <ErrorLine error={commands.error} />
      <Group>
        <Button type="submit" loading={commands.busy}>
          {t('mtg.create.submit')}
        </Button>
        <Button variant="default" onClick={() => navigate('/')}>
          {t('mtg.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
