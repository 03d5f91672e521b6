import {
  Alert,
  Badge,
  Button,
  Card,
  CloseButton,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import { useLocation } from 'wouter';
import type * as Y from 'yjs';
import { ageOn, chinaDate } from '@shared/domain/dates';
import { chainOf, intakeCase, storeCaseFile } from '@shared/domain/mediation/commands';
import { missingIntakeFields, startingLink } from '@shared/domain/mediation/machine';
import {
  CASE_CATEGORIES,
  CASE_SOURCES,
  PARTY_ROLES,
  RISK_LEVELS,
  type CaseCategory,
  type CaseSource,
  type PartyRole,
  type RiskLevel,
} from '@shared/domain/mediation/types';
import type { IntakeInput, PartyInput } from '@shared/domain/mediation/inputs';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { parseIdNumber } from '@shared/domain/registry/idNumber';
import { isMinorParty, partyAge, partyCapacity } from '@shared/domain/mediation/minors';
import { useRecords, useRegistryValue, useResidentSearch, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { CaseErrorText } from './CaseErrorText';
import { EMPTY_GUARDIAN, GuardianFields, MinorWarning, guardianInput, type GuardianDraft } from './GuardianFields';
import { pickAttachment, type PickedFile } from '../../ui/files';
import { caseYears, casesDocName, useRegistryInfo } from './useCases';
import { naturalCompare } from '@shared/domain/naturalOrder';

interface DraftParty extends PartyInput {
  readonly key: string;
  /** The guardian typed for a minor party (docs/domain.md, "Minors"); sent only when a name is given. */
  readonly guardianDraft: GuardianDraft;
}

const EMPTY_TYPED = {
  name: '',
  role: 'applicant' as PartyRole,
  sex: '',
  age: '',
  phone: '',
  address: '',
  idNumber: '',
};

/**
 * 登记: one screen, top to bottom in the order a head asks on a doorstep. Every field is a plain input, select or
 * button; Enter in the typed-party fields adds the party, Enter elsewhere registers the case.
 */
export function IntakeForm({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const [, navigate] = useLocation();
  const buildings = useRecords(community, 'buildings');
  const compounds = useRecords(community, 'compounds');
  const info = useRegistryInfo(community);

  const [buildingId, setBuildingId] = useState('');
  const [householdId, setHouseholdId] = useState<string | null>(null);
  const [address, setAddress] = useState('');
  const [placeQuery, setPlaceQuery] = useState('');
  const [source, setSource] = useState<CaseSource>('resident-request');
  const [category, setCategory] = useState<CaseCategory>('neighbours');
  const [risk, setRisk] = useState<RiskLevel>('blue');
  const [parties, setParties] = useState<DraftParty[]>([]);
  const [partyQuery, setPartyQuery] = useState('');
  const [typed, setTyped] = useState(EMPTY_TYPED);
  const [facts, setFacts] = useState('');
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);
  /** Set by the first submit: from then on each required field says whether it is still missing. */
  const [tried, setTried] = useState(false);

  const placeHits = useResidentSearch(community, placeQuery, {}, 6);
  const partyHits = useResidentSearch(community, partyQuery, {}, 8);

  const chainReader = useCallback((doc: Y.Doc) => (buildingId ? chainOf(doc, buildingId) : []), [buildingId]);
  const chain = useRegistryValue(community, chainReader) ?? [];
  const start = buildingId ? startingLink(chain) : null;

  const buildingOptions = useMemo(() => {
    const compoundName = new Map((compounds ?? []).map((c) => [c.id, c.name]));
    return (buildings ?? [])
      .map((b) => ({ value: b.id, label: `${compoundName.get(b.compoundId) ?? ''} ${b.name}`.trim() }))
      .sort((a, b) => naturalCompare(a.label, b.label));
  }, [buildings, compounds]);

  const pickBuilding = (id: string) => {
    setBuildingId(id);
    setHouseholdId(null);
    if (id && address.trim() === '') setAddress(buildingOptions.find((o) => o.value === id)?.label ?? '');
  };

  const today = chinaDate(new Date());
  const addResident = (row: (typeof partyHits.hits)[number]['row'], role: PartyRole) => {
    const record = row.record;
    const birth = typeof record.birthDate === 'string' ? record.birthDate : null;
    setParties((list) => [
      ...list,
      {
        key: `${row.id}:${role}`,
        role,
        name: typeof record.name === 'string' ? record.name : '',
        sex: record.sex === 'male' || record.sex === 'female' ? record.sex : null,
        age: birth ? ageOn(birth, today) : null,
        phone: typeof record.phone === 'string' ? record.phone : null,
        address: row.keys.address,
        residentId: row.id,
        birthDate: birth,
        guardianDraft: EMPTY_GUARDIAN,
      },
    ]);
    setPartyQuery('');
  };

  // An ID number typed for a party gives the birth date (and so the age on the case's date); the number is not kept.
  const typedId = typed.idNumber.trim() === '' ? null : parseIdNumber(typed.idNumber, today);
  const addTyped = () => {
    if (typed.name.trim() === '') return;
    const fromId = typedId?.ok === true ? typedId.value : null;
    const age = fromId ? ageOn(fromId.birthDate, today) : typed.age === '' ? null : Number(typed.age);
    setParties((list) => [
      ...list,
      {
        key: `typed:${list.length}:${typed.name}`,
        role: typed.role,
        name: typed.name.trim(),
        sex: fromId ? fromId.sex : typed.sex === 'male' || typed.sex === 'female' ? typed.sex : null,
        age: age !== null && Number.isFinite(age) ? age : null,
        phone: typed.phone.trim() || null,
        address: typed.address.trim(),
        residentId: null,
        birthDate: fromId ? fromId.birthDate : null,
        guardianDraft: EMPTY_GUARDIAN,
      },
    ]);
    setTyped({ ...EMPTY_TYPED, role: typed.role === 'applicant' ? 'respondent' : 'applicant' });
  };

  const enterAdds = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addTyped();
    }
  };

  const attach = async () => {
    setProblem(null);
    const picked = await pickAttachment(platform);
    if (picked.kind === 'too-big') setProblem(t('case.intake.attachTooBig', { name: picked.name }));
    else if (picked.kind === 'picked') setFiles((list) => [...list, picked.file]);
  };

  // docs/domain.md ("Five-heads mediation"): place, applicant, respondent and facts are required; the form says at
  // once every one that is missing, the command refuses the same (intakeSchema, applyIntake).
  const missing = missingIntakeFields({ place: { buildingId: buildingId || null, address }, parties, facts });
  const lacks = (field: (typeof missing)[number]) => tried && missing.includes(field);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    setTried(true);
    if (missing.length > 0) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const [year] = caseYears();
      const name = casesDocName(community, year as number);
      const attachments: { name: string; ref: string }[] = [];
      for (const file of files) {
        const stored = await store.runOn(name, storeCaseFile, file);
        if (!stored.ok) {
          setError(stored.error);
          return;
        }
        attachments.push({ name: file.name, ref: stored.value });
      }
      const { doc: registry } = await store.registry(community);
      const input: IntakeInput = {
        place: { buildingId: buildingId || null, householdId, address: address.trim() },
        source,
        category,
        risk,
        parties: parties.map(({ key: _key, guardianDraft, ...party }) => ({
          ...party,
          guardian: guardianInput(guardianDraft),
        })),
        facts,
        attachments,
      };
      const result = await store.runOn(name, (doc, ctx, value) => intakeCase(doc, ctx, value, registry), input);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      navigate(`/case/${year}/${result.value}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label={t('case.intake.title')}>
      <Stack maw={960}>
        <Title order={2}>{t('case.intake.title')}</Title>

        <Card withBorder component="fieldset">
          <Text component="legend" fw={600}>
            {t('case.intake.place')}
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <NativeSelect
              label={t('case.intake.building')}
              description={t('case.intake.buildingHint')}
              value={buildingId}
              onChange={(event) => pickBuilding(event.currentTarget.value)}
              data={[{ value: '', label: t('case.intake.noBuilding') }, ...buildingOptions]}
            />
            <Stack gap={4}>
              <TextInput
                label={t('case.intake.addressSearch')}
                placeholder={t('case.intake.addressSearchHint')}
                value={placeQuery}
                onChange={(event) => setPlaceQuery(event.currentTarget.value)}
              />
              {placeQuery.trim() !== '' &&
                [...new Map(placeHits.hits.map(({ row }) => [row.householdId, row])).values()].map((row) => (
                  <Button
                    key={row.householdId}
                    size="xs"
                    variant="light"
                    justify="start"
                    onClick={() => {
                      setBuildingId(row.buildingId);
                      setHouseholdId(row.householdId);
                      setAddress(row.keys.address);
                      setPlaceQuery('');
                    }}
                  >
                    {t('case.intake.pickHousehold', { address: row.keys.address })}
                  </Button>
                ))}
            </Stack>
          </SimpleGrid>
          <TextInput
            mt="xs"
            label={t('case.intake.address')}
            error={lacks('place') ? t('case.intake.required.place') : undefined}
            value={address}
            onChange={(event) => setAddress(event.currentTarget.value)}
          />
          {start !== null && (
            <Stack gap={4} mt="xs" data-testid="intake-chain">
              <Text size="sm" fw={600}>
                {t('case.intake.chain')}
              </Text>
              <Group gap={6}>
                {chain.map((link) => (
                  <Badge
                    key={link.nodeId}
                    variant={link.nodeId === start.nodeId ? 'filled' : 'light'}
                    color="gray"
                    data-level={link.level}
                    data-node={link.nodeName}
                    data-head={info?.person(link.head)?.name ?? ''}
                  >
                    {t(`case.level.${link.level}`)} {link.nodeName} {info?.person(link.head)?.name ?? '—'}
                  </Badge>
                ))}
              </Group>
              <Text size="sm" data-testid="intake-starts-at">
                {start.head === null
                  ? t('case.intake.chainEmpty')
                  : t('case.intake.startsAt', {
                      level: t(`case.level.${start.level}`),
                      name: info?.person(start.head)?.name ?? '',
                    })}
              </Text>
            </Stack>
          )}
        </Card>

        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('case.intake.source')}
            value={source}
            onChange={(event) => setSource(event.currentTarget.value as CaseSource)}
            data={CASE_SOURCES.map((value) => ({ value, label: t(`case.source.${value}`) }))}
          />
          <NativeSelect
            label={t('case.intake.category')}
            value={category}
            onChange={(event) => setCategory(event.currentTarget.value as CaseCategory)}
            data={CASE_CATEGORIES.map((value) => ({ value, label: t(`case.category.${value}`) }))}
          />
          <NativeSelect
            label={t('case.intake.risk')}
            value={risk}
            onChange={(event) => setRisk(event.currentTarget.value as RiskLevel)}
            data={RISK_LEVELS.map((value) => ({ value, label: t(`case.risk.${value}`) }))}
          />
        </SimpleGrid>

        <Card withBorder component="fieldset">
          <Text component="legend" fw={600}>
            {t('case.intake.parties')}
          </Text>
          <Stack gap="xs">
            {parties.length === 0 && !lacks('applicant') && !lacks('respondent') && (
              <Text size="sm" c="dimmed">
                {t('case.intake.noParties')}
              </Text>
            )}
            {(lacks('applicant') || lacks('respondent')) && (
              <Text size="sm" c="red" data-testid="intake-parties-missing">
                {t('case.intake.required.parties')}
              </Text>
            )}
            {parties.map((party) => {
              // Age on the registration day (today): a minor acts through a guardian (民法典 art. 19-23).
              const draft = { age: party.age ?? null, birthDate: party.birthDate ?? null };
              const capacity = partyCapacity({ startDate: today }, draft);
              const minor = isMinorParty({ startDate: today }, draft);
              return (
                <Stack key={party.key} gap={4}>
                  <Group gap="xs" data-testid="intake-party">
                    <Badge variant="light">{t(`case.role.${party.role}`)}</Badge>
                    <Text size="sm">
                      {party.name} {party.phone ?? ''} {party.address}
                    </Text>
                    {minor && (
                      <Badge size="xs" color="orange" data-testid="party-minor">
                        {t(capacity === 'none' ? 'case.minor.badge.none' : 'case.minor.badge.limited')}
                      </Badge>
                    )}
                    <CloseButton
                      size="sm"
                      aria-label={t('case.intake.removeParty', { name: party.name })}
                      onClick={() => setParties((list) => list.filter((p) => p.key !== party.key))}
                    />
                  </Group>
                  {minor && (
                    <>
                      {guardianInput(party.guardianDraft) === null && (
                        <MinorWarning name={party.name} age={partyAge(draft, today)} capacity={capacity} />
                      )}
                      <GuardianFields
                        partyName={party.name}
                        value={party.guardianDraft}
                        onChange={(next) =>
                          setParties((list) =>
                            list.map((p) => (p.key === party.key ? { ...p, guardianDraft: next } : p)),
                          )
                        }
                      />
                    </>
                  )}
                </Stack>
              );
            })}
            <TextInput
              label={t('case.intake.partySearch')}
              placeholder={t('case.intake.partySearchHint')}
              value={partyQuery}
              onChange={(event) => setPartyQuery(event.currentTarget.value)}
            />
            {partyQuery.trim() !== '' &&
              partyHits.hits.map(({ row }) => {
                const name = typeof row.record.name === 'string' ? row.record.name : '';
                return (
                  <Group key={row.id} gap="xs" data-testid="party-hit">
                    <Text size="sm" miw={200}>
                      {name} · {row.keys.address}
                    </Text>
                    {PARTY_ROLES.map((role) => (
                      <Button key={role} size="xs" variant="light" onClick={() => addResident(row, role)}>
                        {t(role === 'applicant' ? 'case.intake.addAsApplicant' : 'case.intake.addAsRespondent', {
                          name,
                        })}
                      </Button>
                    ))}
                  </Group>
                );
              })}
            <Text size="sm" fw={600} mt="xs">
              {t('case.intake.typedParty')}
            </Text>
            <SimpleGrid cols={{ base: 2, md: 7 }}>
              <NativeSelect
                label={t('case.intake.partyRole')}
                value={typed.role}
                onChange={(event) => setTyped({ ...typed, role: event.currentTarget.value as PartyRole })}
                data={PARTY_ROLES.map((value) => ({ value, label: t(`case.role.${value}`) }))}
              />
              <TextInput
                label={t('case.intake.partyName')}
                value={typed.name}
                onKeyDown={enterAdds}
                onChange={(event) => setTyped({ ...typed, name: event.currentTarget.value })}
              />
              <NativeSelect
                label={t('case.intake.partySex')}
                value={typed.sex}
                onChange={(event) => setTyped({ ...typed, sex: event.currentTarget.value })}
                data={[
                  { value: '', label: '—' },
                  { value: 'male', label: t('case.sex.male') },
                  { value: 'female', label: t('case.sex.female') },
                ]}
              />
              <NumberInput
                label={t('case.intake.partyAge')}
                value={typed.age}
                min={0}
                max={150}
                onKeyDown={enterAdds}
                onChange={(value) => setTyped({ ...typed, age: value === '' ? '' : String(value) })}
              />
              <TextInput
                label={t('case.minor.partyIdNumber')}
                value={typed.idNumber}
                error={typedId?.ok === false ? t('case.minor.partyIdInvalid') : undefined}
                onKeyDown={enterAdds}
                onChange={(event) => setTyped({ ...typed, idNumber: event.currentTarget.value })}
              />
              <TextInput
                label={t('case.intake.partyPhone')}
                value={typed.phone}
                onKeyDown={enterAdds}
                onChange={(event) => setTyped({ ...typed, phone: event.currentTarget.value })}
              />
              <TextInput
                label={t('case.intake.partyAddress')}
                value={typed.address}
                onKeyDown={enterAdds}
                onChange={(event) => setTyped({ ...typed, address: event.currentTarget.value })}
              />
            </SimpleGrid>
            <Group>
              <Button variant="default" onClick={addTyped} disabled={typed.name.trim() === ''}>
                {t('case.intake.addParty')}
              </Button>
            </Group>
          </Stack>
        </Card>

        <Textarea
          label={t('case.intake.facts')}
          withAsterisk
          error={lacks('facts') ? t('case.intake.required.facts') : undefined}
          autosize
          minRows={3}
          value={facts}
          onChange={(event) => setFacts(event.currentTarget.value)}
        />

        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('case.intake.attachments')}
          </Text>
          {files.map((file, index) => (
            <Group key={`${file.name}:${index}`} gap="xs">
              <Text size="sm">{file.name}</Text>
              <CloseButton
                size="sm"
                aria-label={t('case.intake.removeAttachment', { name: file.name })}
                onClick={() => setFiles((list) => list.filter((_, i) => i !== index))}
              />
            </Group>
          ))}
          <Group>
            <Button variant="default" size="xs" onClick={() => void attach()}>
              {t('case.intake.attach')}
            </Button>
            <Text size="xs" c="dimmed">
              {t('case.intake.attachHint')}
            </Text>
          </Group>
        </Stack>

        {tried && missing.length > 0 && (
          <Alert color="red" role="alert" data-testid="intake-missing">
            {t('case.intake.missing', {
              list: missing.map((field) => t(`case.intake.missing.${field}`)).join(t('case.intake.missingJoin')),
            })}
          </Alert>
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            <CaseErrorText error={error} />
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('case.intake.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
