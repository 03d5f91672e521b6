import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { addAgendaItem, recordVote } from '@shared/domain/meetings/commands';
import { hasStarted } from '@shared/domain/meetings/machine';
import {
  isVotingPresent,
  resolutionPassed,
  ruleFor,
  sheetOf,
  type ResolutionResult,
} from '@shared/domain/meetings/rules';
import {
  ASSEMBLY_SUBJECTS,
  BALLOTS,
  type AgendaItem,
  type Ballot,
  type Person,
  type Vote,
} from '@shared/domain/meetings/types';
import { useT, type Translate } from '../../i18n';
import { useMeetingCommand } from './data';
import { ErrorLine } from './ErrorLine';
import { cleanPerson, PersonField } from './PersonField';
import { BALLOT_LABELS, RESULT_LABELS, SUBJECT_LABELS, thresholdText, warningText } from './labels';
import type { MeetingContext } from './meetingContext';
import { MinutesEditor } from './minutes/MinutesEditor';

const NOBODY: Person = { name: '', ref: null };

/** 会前有议题: the agenda, and per item the minutes, the vote and whether the resolution passed. */
export function AgendaSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const { meeting } = ctx;
  const showMinutes = hasStarted(meeting.status);
  return (
    <Stack component="section" aria-labelledby="mtg-agenda">
      <Title order={3} id="mtg-agenda">
        {t('mtg.agenda.title')}
      </Title>
      {meeting.agenda.length === 0 && <Text c="dimmed">{t('mtg.agenda.empty')}</Text>}
      {meeting.agenda.map((item, index) => (
        <Card key={item.id} withBorder data-testid="agenda-item">
          <Stack gap="xs">
            <Group>
              <Text fw={600}>{`${index + 1}. ${item.title}`}</Text>
              {item.matter === 'special' && <Badge color="orange">{t('mtg.matter.special')}</Badge>}
              {item.subject && <Badge variant="outline">{t(SUBJECT_LABELS[item.subject])}</Badge>}
            </Group>
            <Text size="sm" c="dimmed">
              {t('mtg.agenda.meta', { proposer: item.proposer.name, minutes: item.expectedMinutes })}
            </Text>
            {showMinutes && (
              <MinutesEditor
                community={ctx.community}
                year={ctx.year}
                meetingId={meeting.id}
                itemId={item.id}
                itemTitle={item.title}
                editable={ctx.may('edit-minutes')}
              />
            )}
            {showMinutes && <ResultLine ctx={ctx} item={item} />}
            {ctx.may('record-vote') && <VoteForm ctx={ctx} item={item} />}
          </Stack>
        </Card>
      ))}
      {ctx.may('add-agenda-item') && <AddItemForm ctx={ctx} />}
    </Stack>
  );
}

function AddItemForm({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const [title, setTitle] = useState('');
  const [proposer, setProposer] = useState<Person>(NOBODY);
  // Offered first when a name is typed: the people who run the meeting and those already signed in.
  const people: Person[] = [ctx.meeting.convener, ctx.meeting.chair, ctx.meeting.recorder]
    .concat(ctx.meeting.attendees.map((a) => ({ name: a.name, ref: a.ref })))
    .filter((p) => p.name.trim() !== '');
  const [minutes, setMinutes] = useState<string | number>(15);
  const [subject, setSubject] = useState('');
  const [special, setSpecial] = useState(false);
  const assembly = ctx.meeting.type === 'owners-assembly';
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await commands.run(addAgendaItem, {
      meetingId: ctx.meeting.id,
      title,
      proposer: cleanPerson(proposer),
      expectedMinutes: Number(minutes),
      matter: special ? 'special' : 'ordinary',
      subject: assembly ? (ASSEMBLY_SUBJECTS.find((known) => known === subject) ?? null) : null,
    });
    if (id !== null) {
      setTitle('');
      setProposer(NOBODY);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-label={t('mtg.agenda.add')}>
      <Group align="end" wrap="wrap">
        <TextInput
          required
          label={t('mtg.agenda.itemTitle')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <PersonField
          required
          community={ctx.community}
          label={t('mtg.agenda.proposer')}
          value={proposer}
          onChange={setProposer}
          suggestions={people}
        />
        <NumberInput label={t('mtg.agenda.duration')} min={1} max={600} value={minutes} onChange={setMinutes} w={140} />
        {assembly && (
          <NativeSelect
            label={t('mtg.agenda.subject')}
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            data={[
              { value: '', label: t('mtg.none') },
              ...ASSEMBLY_SUBJECTS.map((s) => ({ value: s, label: t(SUBJECT_LABELS[s]) })),
            ]}
          />
        )}
        {assembly && (
          <Checkbox
            label={t('mtg.matter.markSpecial')}
            checked={special}
            onChange={(e) => setSpecial(e.currentTarget.checked)}
          />
        )}
        <Button type="submit" loading={commands.busy}>
          {t('mtg.agenda.add')}
        </Button>
      </Group>
      <ErrorLine error={commands.error} />
    </form>
  );
}

/** "通过（赞成 5 票，需 4 票）" and the like, from the domain's `resolutionPassed`. */
export function resultText(t: Translate, result: ResolutionResult): string {
  const tally = t('mtg.result.tally', {
    for: result.tally.for,
    against: result.tally.against,
    abstain: result.tally.abstain,
    base: result.tally.base,
    needed: result.tally.needed,
  });
  const area = result.area
    ? t('mtg.result.areaTally', { for: result.area.for, base: result.area.base, needed: result.area.needed })
    : '';
  return [t(RESULT_LABELS[result.reason]), result.reason === 'no-vote' ? '' : tally, area].filter(Boolean).join(' ');
}

/** Not voted yet reads as pending whatever the quorum; a recorded vote passed or not. */
function badgeKey(item: AgendaItem, result: ResolutionResult) {
  if (item.vote === null) return 'mtg.result.badge.pending' as const;
  return result.passed ? ('mtg.result.badge.passed' as const) : ('mtg.result.badge.failed' as const);
}

function badgeColor(item: AgendaItem, result: ResolutionResult): string {
  return item.vote === null ? 'gray' : result.passed ? 'green' : 'red';
}

function ResultLine({ ctx, item }: { ctx: MeetingContext; item: AgendaItem }) {
  const t = useT();
  const result = resolutionPassed(item, item.vote, ctx.meeting, ctx.registry);
  return (
    <Stack gap={2} data-testid={`result-${item.id}`}>
      <Group gap="xs">
        <Badge color={badgeColor(item, result)} data-testid="result-badge">
          {t(badgeKey(item, result))}
        </Badge>
        <Text size="sm">{resultText(t, result)}</Text>
      </Group>
      <Text size="xs" c="dimmed">
        {t('mtg.result.rule', {
          threshold: thresholdText(t, result.rule.threshold),
          base: t(result.rule.base === 'present' ? 'mtg.rule.base.present' : 'mtg.rule.base.expected'),
        })}
      </Text>
      {item.resolution !== '' && <Text size="sm">{t('mtg.resolution.text', { text: item.resolution })}</Text>}
      {result.warnings.map((w) => (
        <Text key={w.code} size="xs" c="orange">
          {warningText(t, w)}
        </Text>
      ))}
    </Stack>
  );
}

function VoteForm({ ctx, item }: { ctx: MeetingContext; item: AgendaItem }) {
  const t = useT();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const { meeting } = ctx;
  const rule = ruleFor(meeting.type, meeting.rules);
  const withArea = rule.pass.ordinary.area;
  const [mode, setMode] = useState<Vote['mode']>(item.vote?.mode ?? 'by-count');
  const counted = item.vote?.mode === 'by-count' ? item.vote : null;
  const [counts, setCounts] = useState({
    for: counted?.for ?? 0,
    against: counted?.against ?? 0,
    abstain: counted?.abstain ?? 0,
  });
  const [areas, setAreas] = useState({
    for: counted?.area?.for ?? 0,
    against: counted?.area?.against ?? 0,
    abstain: counted?.area?.abstain ?? 0,
  });
  const [ballots, setBallots] = useState<Record<string, Ballot>>(
    item.vote?.mode === 'by-name' ? { ...item.vote.ballots } : {},
  );
  const [resolution, setResolution] = useState(item.resolution);
  const voters = sheetOf(meeting, ctx.registry).filter(isVotingPresent);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const vote: Vote =
      mode === 'by-name' ? { mode, ballots } : { mode, ...counts, ...(withArea ? { area: areas } : {}) };
    await commands.runWithRegistry(recordVote, { meetingId: meeting.id, itemId: item.id, vote, resolution });
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label={t('mtg.vote.formFor', { title: item.title })}>
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(value) => setMode(value)}
          data={[
            { value: 'by-count', label: t('mtg.vote.byCount') },
            { value: 'by-name', label: t('mtg.vote.byName') },
          ]}
        />
        {mode === 'by-count' ? (
          <Group align="end">
            {BALLOTS.map((ballot) => (
              <NumberInput
                key={ballot}
                label={t(BALLOT_LABELS[ballot])}
                min={0}
                value={counts[ballot]}
                onChange={(value) => setCounts((c) => ({ ...c, [ballot]: Number(value) || 0 }))}
                w={110}
              />
            ))}
            {withArea &&
              BALLOTS.map((ballot) => (
                <NumberInput
                  key={`area-${ballot}`}
                  label={t('mtg.vote.area', { ballot: t(BALLOT_LABELS[ballot]) })}
                  min={0}
                  decimalScale={2}
                  value={areas[ballot]}
                  onChange={(value) => setAreas((a) => ({ ...a, [ballot]: Number(value) || 0 }))}
                  w={140}
                />
              ))}
          </Group>
        ) : voters.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('mtg.vote.noVoters')}
          </Text>
        ) : (
          <Table maw={480}>
            <Table.Tbody>
              {voters.map((voter) => (
                <Table.Tr key={voter.key}>
                  <Table.Td>{voter.name}</Table.Td>
                  <Table.Td>
                    <NativeSelect
                      size="xs"
                      aria-label={t('mtg.vote.ballotOf', { name: voter.name })}
                      value={ballots[voter.key] ?? ''}
                      onChange={(event) => {
                        const value = event.currentTarget.value;
                        setBallots((b) => {
                          const next = Object.entries(b).filter(([key]) => key !== voter.key);
                          if (value !== '') next.push([voter.key, value as Ballot]);
                          return Object.fromEntries(next);
                        });
                      }}
                      data={[
                        { value: '', label: t('mtg.vote.notCast') },
                        ...BALLOTS.map((b) => ({ value: b, label: t(BALLOT_LABELS[b]) })),
                      ]}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Textarea
          label={t('mtg.resolution.label')}
          value={resolution}
          onChange={(event) => setResolution(event.currentTarget.value)}
          autosize
          minRows={1}
        />
        <Group>
          <Button type="submit" size="sm" loading={commands.busy}>
            {t('mtg.vote.record')}
          </Button>
        </Group>
        <ErrorLine error={commands.error} />
        {commands.error?.code === 'meeting.quorum-not-reached' && (
          <Alert color="red" variant="light" p="xs">
            {t('mtg.vote.noQuorumHint')}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
