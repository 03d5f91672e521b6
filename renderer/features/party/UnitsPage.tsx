import {
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { recordCheckIn, registerUnit, setPartTimeMembers, signAgreement } from '@shared/domain/party/commands';
import { checkInsOf, checkInState } from '@shared/domain/party/rules';
import { UNIT_KINDS, type UnitKind } from '@shared/domain/party/types';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRecords } from '../../data/hooks';
import { useT } from '../../i18n';
import { thisYear, today, useActivities, usePartyCommand, usePartyEdit, yearOf, type Activities } from './data';
import { PartyError } from './PartyError';

type Unit = StoredRecord<'units'>;

function RegisterUnit({ community }: { community: CommunityId }) {
  const t = useT();
  const { registry, error, busy } = usePartyCommand(community);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UnitKind>('agency');
  const [partyOrg, setPartyOrg] = useState('');
  const [contact, setContact] = useState('');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [on, setOn] = useState(today());
  const submit = async () => {
    const id = await registry(registerUnit, { name, kind, partyOrg, contact, phone, address, checkedInOn: on });
    if (id !== null) {
      setName('');
      setPartyOrg('');
      setContact('');
      setPhone('');
      setAddress('');
    }
  };
  return (
    <form
      aria-label={t('party.unit.register')}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <Title order={4}>{t('party.unit.register')}</Title>
        <Group grow align="end">
          <TextInput
            label={t('party.field.unitName')}
            value={name}
            maxLength={100}
            withAsterisk
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('party.field.unitKind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as UnitKind)}
            data={UNIT_KINDS.map((value) => ({ value, label: t(`party.unitKind.${value}`) }))}
          />
          <TextInput
            label={t('party.field.partyOrg')}
            value={partyOrg}
            maxLength={100}
            onChange={(e) => setPartyOrg(e.currentTarget.value)}
          />
        </Group>
        <Group grow align="end">
          <TextInput
            label={t('party.field.contact')}
            value={contact}
            maxLength={40}
            onChange={(e) => setContact(e.currentTarget.value)}
          />
          <TextInput
            label={t('party.field.phone')}
            value={phone}
            maxLength={40}
            onChange={(e) => setPhone(e.currentTarget.value)}
          />
          <TextInput
            label={t('party.field.address')}
            value={address}
            maxLength={200}
            onChange={(e) => setAddress(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('party.field.checkedInOn')}
            value={on}
            max={today()}
            onChange={(e) => setOn(e.currentTarget.value)}
          />
        </Group>
        <PartyError error={error} />
        <Group>
          <Button type="submit" loading={busy}>
            {t('party.unit.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AgreementForm({ community, unit }: { community: CommunityId; unit: Unit }) {
  const t = useT();
  const { registry, error, busy } = usePartyCommand(community);
  const [signedOn, setSignedOn] = useState(today());
  const [until, setUntil] = useState(`${thisYear() + 1}${today().slice(4)}`);
  const [content, setContent] = useState('');
  return (
    <form
      aria-label={t('party.unit.agreementOf', { name: unit.name })}
      onSubmit={(event) => {
        event.preventDefault();
        void registry(signAgreement, { unitId: unit.id, agreement: { signedOn, until, content } }).then((r) => {
          if (r !== null) setContent('');
        });
      }}
    >
      <Stack gap={4}>
        <Group grow align="end">
          <TextInput
            type="date"
            size="xs"
            label={t('party.field.signedOn')}
            value={signedOn}
            onChange={(e) => setSignedOn(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            size="xs"
            label={t('party.field.until')}
            value={until}
            onChange={(e) => setUntil(e.currentTarget.value)}
          />
        </Group>
        <Textarea
          size="xs"
          label={t('party.field.agreement')}
          value={content}
          maxLength={2000}
          autosize
          minRows={2}
          onChange={(e) => setContent(e.currentTarget.value)}
        />
        <PartyError error={error} />
        <Group>
          <Button type="submit" size="xs" variant="light" loading={busy}>
            {t('party.unit.sign')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PartTimeForm({ community, unit }: { community: CommunityId; unit: Unit }) {
  const t = useT();
  const { registry, error, busy } = usePartyCommand(community);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [since, setSince] = useState(today());
  const members = unit.partTimeMembers;
  return (
    <Stack gap={4}>
      {members.length > 0 && (
        <Table withTableBorder>
          <Table.Tbody>
            {members.map((m, i) => (
              <Table.Tr key={`${m.name}-${i}`}>
                <Table.Td>{m.name}</Table.Td>
                <Table.Td>{m.title}</Table.Td>
                <Table.Td>{t('party.unit.since', { date: m.since })}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={t('party.unit.removePartTime', { name: m.name })}
                    onClick={() =>
                      void registry(setPartTimeMembers, {
                        unitId: unit.id,
                        members: members.filter((_, j) => j !== i),
                      })
                    }
                  >
                    {t('party.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        aria-label={t('party.unit.addPartTimeOf', { name: unit.name })}
        onSubmit={(event) => {
          event.preventDefault();
          void registry(setPartTimeMembers, { unitId: unit.id, members: [...members, { name, title, since }] }).then(
            (r) => {
              if (r !== null) {
                setName('');
                setTitle('');
              }
            },
          );
        }}
      >
        <Group grow align="end">
          <TextInput
            size="xs"
            label={t('party.field.partTimeName')}
            value={name}
            maxLength={40}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label={t('party.field.partTimeTitle')}
            value={title}
            maxLength={60}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            size="xs"
            label={t('party.field.since')}
            value={since}
            onChange={(e) => setSince(e.currentTarget.value)}
          />
          <Button type="submit" size="xs" variant="light" loading={busy}>
            {t('party.unit.addPartTime')}
          </Button>
        </Group>
      </form>
      <PartyError error={error} />
    </Stack>
  );
}

function UnitCard({
  community,
  unit,
  edit,
  activities,
}: {
  community: CommunityId;
  unit: Unit;
  edit: boolean;
  activities: readonly Activities[];
}) {
  const t = useT();
  const { activity, error, busy } = usePartyCommand(community);
  const mine = checkInsOf(
    activities.flatMap((a) => a.checkIns),
    { kind: 'unit', id: unit.id },
  );
  const state = checkInState(unit.checkedInOn, mine, today());
  const agreement = unit.agreement ?? null;
  return (
    <Card withBorder data-testid="party-unit">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>{unit.name}</Title>
          <Group gap={4}>
            <Badge variant="light">{t(`party.unitKind.${unit.kind}`)}</Badge>
            <Badge color={state.status === 'due' ? 'red' : 'green'} variant="light">
              {t(state.status === 'due' ? 'party.status.due' : 'party.status.ok', { date: state.due ?? '' })}
            </Badge>
          </Group>
        </Group>
        <Text size="sm">
          {t('party.unit.summary', {
            partyOrg: unit.partyOrg || '—',
            contact: unit.contact || '—',
            phone: unit.phone || '—',
            first: unit.checkedInOn,
            last: state.last ?? '—',
          })}
        </Text>
        {edit && (
          <Group>
            <Button
              size="xs"
              variant="light"
              loading={busy}
              onClick={() =>
                void activity(yearOf(today()), recordCheckIn, { subject: { kind: 'unit', id: unit.id }, on: today() })
              }
            >
              {t('party.unit.recheck')}
            </Button>
            <PartyError error={error} />
          </Group>
        )}
        <Text fw={600} size="sm">
          {t('party.unit.agreement')}
        </Text>
        {agreement === null ? (
          <Text size="sm" c="dimmed">
            {t('party.unit.noAgreement')}
          </Text>
        ) : (
          <Text size="sm" data-testid="party-agreement">
            {t('party.unit.agreementText', {
              from: agreement.signedOn,
              until: agreement.until,
              content: agreement.content,
            })}
          </Text>
        )}
        {edit && <AgreementForm community={community} unit={unit} />}
        <Text fw={600} size="sm">
          {t('party.unit.partTime')}
        </Text>
        {edit ? (
          <PartTimeForm community={community} unit={unit} />
        ) : (
          <Text size="sm">{unit.partTimeMembers.map((m) => m.name).join(t('party.enumSep')) || '—'}</Text>
        )}
      </Stack>
    </Card>
  );
}

/** 驻区单位: units that reported to the community, their re-check-ins, 共建协议 and 兼职委员. */
export function UnitsPage({ community }: { community: CommunityId }) {
  const t = useT();
  const edit = usePartyEdit(community);
  const units = useRecords(community, 'units');
  const year = thisYear();
  const current = useActivities(community, year);
  const last = useActivities(community, year - 1);
  if (units === undefined || current === undefined || last === undefined) {
    return <Text c="dimmed">{t('party.loading')}</Text>;
  }
  const sorted = [...units].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return (
    <Stack>
      {edit && <RegisterUnit community={community} />}
      <Title order={4}>{t('party.unit.list', { count: units.length })}</Title>
      {sorted.length === 0 && <Text c="dimmed">{t('party.unit.none')}</Text>}
      {sorted.map((unit) => (
        <UnitCard key={unit.id} community={community} unit={unit} edit={edit} activities={[last, current]} />
      ))}
    </Stack>
  );
}
