import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { Link, Route, Switch, useLocation, useParams } from 'wouter';
import type { DomainError } from '@shared/domain/result';
import {
  addProjectLedger,
  approveProject,
  averageRating,
  closeProject,
  commentProject,
  contractProject,
  projectActions,
  projectBalance,
  projectEntries,
  publishProject,
  rateProject,
  refuseProject,
  voteProject,
  voteTally,
} from '@shared/domain/resources/projects';
import {
  FEE_KINDS,
  VOTE_CHOICES,
  type FeeKind,
  type ProjectStatus,
  type VoteChoice,
} from '@shared/domain/resources/types';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useStore } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { ContractPrint } from './ContractPrint';
import { parseYuan, today, useProject, useProjects, useResidentNames, useVenues, yuan } from './data';
import { ResidentPicker } from './ResidentPicker';
import { feeLabel, ResourceError, useCanEdit } from './VenueScreens';

export function statusLabel(status: ProjectStatus): MessageKey {
  return `resources.project.status.${status}`;
}

/** 项目化: the projects by stage, a new need, a project's page from consultation to rating, its contract printed. */
export function ProjectsPages({ community }: { community: CommunityId }) {
  const t = useT();
  const { edit } = useCanEdit(community);
  return (
    <Stack>
      <SubNav
        label={t('resources.projects.nav.label')}
        links={[
          { path: '/', label: t('resources.projects.nav.list') },
          ...(edit ? [{ path: '/new', label: t('resources.projects.nav.new') }] : []),
        ]}
      />
      <Switch>
        {edit && (
          <Route path="/new">
            <NewProject community={community} />
          </Route>
        )}
        <Route path="/p/:id/contract">
          <ContractRoute community={community} />
        </Route>
        <Route path="/p/:id">
          <ProjectPage community={community} />
        </Route>
        <Route>
          <ProjectList community={community} />
        </Route>
      </Switch>
    </Stack>
  );
}

function ProjectList({ community }: { community: CommunityId }) {
  const t = useT();
  const projects = useProjects(community);
  if (projects === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  if (projects.length === 0) return <Text c="dimmed">{t('resources.projects.none')}</Text>;
  return (
    <Table data-testid="project-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('resources.field.title')}</Table.Th>
          <Table.Th>{t('resources.field.publishedOn')}</Table.Th>
          <Table.Th>{t('resources.field.status')}</Table.Th>
          <Table.Th>{t('resources.project.votes')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {projects.map((p) => {
          const tally = voteTally(projectEntries(p).votes);
          return (
            <Table.Tr key={p.id} data-testid="project-row">
              <Table.Td>
                <Link href={`/p/${p.id}`}>{p.title}</Link>
              </Table.Td>
              <Table.Td>{p.publishedOn}</Table.Td>
              <Table.Td>
                <Badge variant="light">{t(statusLabel(p.status))}</Badge>
              </Table.Td>
              <Table.Td>{t('resources.project.tally', tally)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function NewProject({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const venues = useVenues(community) ?? [];
  const [, navigate] = useLocation();
  const [title, setTitle] = useState('');
  const [need, setNeed] = useState('');
  const [venueId, setVenueId] = useState('');
  const [error, setError] = useState<DomainError | null>(null);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await store.run(community, publishProject, {
      title,
      need,
      publishedOn: today(),
      venueId: venueId || null,
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    navigate(`/p/${result.value}`);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.projects.nav.new')} data-testid="project-form">
      <Stack gap="xs" maw={620}>
        <Title order={3}>{t('resources.projects.nav.new')}</Title>
        <TextInput label={t('resources.field.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea
          label={t('resources.field.need')}
          autosize
          minRows={3}
          value={need}
          onChange={(e) => setNeed(e.currentTarget.value)}
        />
        <NativeSelect
          label={t('resources.field.venue')}
          value={venueId}
          onChange={(e) => setVenueId(e.currentTarget.value)}
          data={[
            { value: '', label: t('resources.project.noVenue') },
            ...venues.map((v) => ({ value: v.id, label: v.name })),
          ]}
        />
        <ResourceError error={error} />
        <Group>
          <Button type="submit">{t('resources.project.publish')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function ContractRoute({ community }: { community: CommunityId }) {
  const { id } = useParams<{ id: string }>();
  const project = useProject(community, id);
  const [, navigate] = useLocation();
  if (!project?.contract) return null;
  return <ContractPrint community={community} project={project} onClose={() => navigate(`/p/${id}`)} />;
}

function ProjectPage({ community }: { community: CommunityId }) {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const project = useProject(community, id);
  const venues = useVenues(community) ?? [];
  const { edit, admin } = useCanEdit(community);
  const entries = project ? projectEntries(project) : null;
  const names = useResidentNames(community, [
    ...(entries?.comments.map((c) => c.residentId) ?? []),
    ...(entries?.votes.map((v) => v.residentId) ?? []),
    ...(entries?.ratings.map((r) => r.residentId) ?? []),
  ]);
  if (project === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  if (project === null || entries === null) return <Alert color="yellow">{t('resources.projects.gone')}</Alert>;
  const actions = projectActions(project.status);
  const tally = voteTally(entries.votes);
  const money = projectBalance(entries.ledger);
  const average = averageRating(entries.ratings);
  const venue = venues.find((v) => v.id === project.venueId);
  return (
    <Stack>
      <Group>
        <Title order={3}>{project.title}</Title>
        <Badge data-testid="project-status">{t(statusLabel(project.status))}</Badge>
      </Group>
      <Text style={{ whiteSpace: 'pre-wrap' }}>{project.need}</Text>
      <Text size="sm" c="dimmed">
        {t('resources.project.published', { date: project.publishedOn })}
        {venue ? ` · ${venue.name}` : ''}
      </Text>
      {project.status === 'refused' && (
        <Alert color="red" data-testid="project-refusal">
          {t('resources.project.refusedText', { date: project.decidedOn ?? '', reason: project.refusalReason })}
        </Alert>
      )}

      <Title order={4}>{t('resources.project.consultation')}</Title>
      <Text data-testid="project-tally">{t('resources.project.tally', tally)}</Text>
      {entries.comments.length > 0 && (
        <Stack gap={2} data-testid="project-comments">
          {entries.comments.map((c) => (
            <Text size="sm" key={c.id}>
              {t('resources.project.comment', { name: names.get(c.residentId) ?? c.residentId, text: c.text })}
            </Text>
          ))}
        </Stack>
      )}
      {edit && actions.includes('vote') && <Consult community={community} id={project.id} />}
      {admin && (actions.includes('approve') || actions.includes('refuse')) && (
        <Decide community={community} id={project.id} />
      )}
      {edit && !admin && actions.includes('approve') && <Text c="dimmed">{t('resources.project.adminDecides')}</Text>}

      {admin && actions.includes('contract') && <ContractForm community={community} id={project.id} />}
      {project.contract && (
        <Stack gap={4} data-testid="project-contract">
          <Title order={4}>{t('resources.project.contract')}</Title>
          <Text>
            {t('resources.contract.summary', {
              provider: project.contract.provider,
              from: project.contract.from,
              to: project.contract.to,
              rent: yuan(project.contract.rent),
              fee: feeLabel(t, project.contract.fee),
            })}
          </Text>
          <ol>
            {project.contract.commitments.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
          <Group>
            <Button component={Link} href={`/p/${project.id}/contract`} variant="light">
              {t('resources.contract.print')}
            </Button>
          </Group>
        </Stack>
      )}

      {(actions.includes('ledger') || entries.ledger.length > 0) && (
        <Stack gap="xs">
          <Title order={4}>{t('resources.project.ledger')}</Title>
          <Text data-testid="project-balance">
            {t('resources.project.balance', {
              income: yuan(money.income),
              spending: yuan(money.spending),
              balance: yuan(money.balance),
            })}
          </Text>
          {entries.ledger.length > 0 && (
            <Table>
              <Table.Tbody>
                {entries.ledger.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{e.date}</Table.Td>
                    <Table.Td>{t(e.kind === 'income' ? 'resources.kind.income' : 'resources.kind.spending')}</Table.Td>
                    <Table.Td>{yuan(e.amount)}</Table.Td>
                    <Table.Td>{e.note}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {edit && actions.includes('ledger') && <LedgerForm community={community} id={project.id} />}
        </Stack>
      )}

      {(actions.includes('rate') || entries.ratings.length > 0) && (
        <Stack gap="xs">
          <Title order={4}>{t('resources.project.ratings')}</Title>
          <Text data-testid="project-rating">
            {average === null
              ? t('resources.project.noRating')
              : t('resources.project.average', { average: average.toFixed(1), count: entries.ratings.length })}
          </Text>
          {edit && actions.includes('rate') && <RateForm community={community} id={project.id} />}
        </Stack>
      )}
      {edit && actions.includes('close') && <CloseButton community={community} id={project.id} />}
    </Stack>
  );
}

function Consult({ community, id }: { community: CommunityId; id: string }) {
  const t = useT();
  const store = useStore();
  const [residentId, setResidentId] = useState('');
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<VoteChoice>('agree');
  const [error, setError] = useState<DomainError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const comment = async () => {
    const result = await store.run(community, commentProject, { id, residentId, text });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setText('');
    setDone(t('resources.project.commented'));
  };
  const vote = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await store.run(community, voteProject, { id, residentId, choice });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setDone(t('resources.project.voted'));
  };
  return (
    <form onSubmit={(e) => void vote(e)} aria-label={t('resources.project.consultation')} data-testid="project-consult">
      <Stack gap="xs" maw={620}>
        <ResidentPicker
          community={community}
          label={t('resources.field.resident')}
          value={residentId}
          onChange={setResidentId}
        />
        <Group align="end">
          <NativeSelect
            label={t('resources.project.vote')}
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value as VoteChoice)}
            data={VOTE_CHOICES.map((c) => ({ value: c, label: t(`resources.vote.${c}`) }))}
          />
          <Button type="submit">{t('resources.project.voteSubmit')}</Button>
        </Group>
        <Group align="end">
          <TextInput
            label={t('resources.field.comment')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Button variant="light" onClick={() => void comment()}>
            {t('resources.project.commentSubmit')}
          </Button>
        </Group>
        <ResourceError error={error} />
        {done && <Text c="green">{done}</Text>}
      </Stack>
    </form>
  );
}

function Decide({ community, id }: { community: CommunityId; id: string }) {
  const t = useT();
  const store = useStore();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<DomainError | string | null>(null);
  const approve = async () => {
    const result = await store.run(community, approveProject, { id, decidedOn: today() });
    setError(result.ok ? null : result.error);
  };
  const refuse = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await store.run(community, refuseProject, { id, decidedOn: today(), reason });
    // 拒签 needs its reason: said with the field's own name.
    if (!result.ok && result.error.code === 'required' && result.error.field === 'reason') {
      setError(t('error.required', { field: t('resources.field.refusalReason') }));
      return;
    }
    setError(result.ok ? null : result.error);
  };
  return (
    <form onSubmit={(e) => void refuse(e)} aria-label={t('resources.project.decide')}>
      <Stack gap="xs" maw={620}>
        <Title order={4}>{t('resources.project.decide')}</Title>
        <Group>
          <Button color="green" onClick={() => void approve()}>
            {t('resources.project.approve')}
          </Button>
        </Group>
        <Group align="end">
          <TextInput
            label={t('resources.field.refusalReason')}
            placeholder={t('resources.project.refusalHint')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button type="submit" color="red" variant="light">
            {t('resources.project.refuse')}
          </Button>
        </Group>
        <ResourceError error={error} />
      </Stack>
    </form>
  );
}

function ContractForm({ community, id }: { community: CommunityId; id: string }) {
  const t = useT();
  const store = useStore();
  const [provider, setProvider] = useState('');
  const [contact, setContact] = useState('');
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState(`${Number(today().slice(0, 4)) + 1}${today().slice(4)}`);
  const [rent, setRent] = useState('0');
  const [fee, setFee] = useState<FeeKind>('low-cost');
  const [commitments, setCommitments] = useState(t('resources.contract.defaultCommitments'));
  const [error, setError] = useState<DomainError | string | null>(null);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const fen = parseYuan(rent);
    if (fen === null) {
      setError(t('resources.money.invalid'));
      return;
    }
    const result = await store.run(community, contractProject, {
      id,
      provider,
      providerContact: contact,
      from,
      to,
      rent: fen,
      fee,
      commitments: commitments
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      signedOn: today(),
    });
    setError(result.ok ? null : result.error);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.contract.title')} data-testid="contract-form">
      <Stack gap="xs" maw={620}>
        <Title order={4}>{t('resources.contract.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('resources.contract.templateHint')}
        </Text>
        <TextInput
          label={t('resources.field.provider')}
          value={provider}
          onChange={(e) => setProvider(e.currentTarget.value)}
        />
        <TextInput
          label={t('resources.field.contact')}
          value={contact}
          onChange={(e) => setContact(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            type="date"
            label={t('resources.field.from')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('resources.field.to')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
        </Group>
        <Group grow>
          <TextInput label={t('resources.field.rent')} value={rent} onChange={(e) => setRent(e.currentTarget.value)} />
          <NativeSelect
            label={t('resources.field.fee')}
            value={fee}
            onChange={(e) => setFee(e.currentTarget.value as FeeKind)}
            data={FEE_KINDS.map((f) => ({ value: f, label: feeLabel(t, f) }))}
          />
        </Group>
        <Textarea
          label={t('resources.field.commitments')}
          description={t('resources.contract.commitmentsHint')}
          autosize
          minRows={4}
          value={commitments}
          onChange={(e) => setCommitments(e.currentTarget.value)}
        />
        <ResourceError error={error} />
        <Group>
          <Button type="submit">{t('resources.contract.sign')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function LedgerForm({ community, id }: { community: CommunityId; id: string }) {
  const t = useT();
  const store = useStore();
  const [kind, setKind] = useState<'income' | 'spending'>('income');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(today());
  const [note, setNote] = useState('');
  const [error, setError] = useState<DomainError | string | null>(null);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const fen = parseYuan(amount);
    if (fen === null) {
      setError(t('resources.money.invalid'));
      return;
    }
    const result = await store.run(community, addProjectLedger, { id, kind, amount: fen, date, note });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setAmount('');
    setNote('');
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.project.ledger')}>
      <Group align="end">
        <NativeSelect
          label={t('resources.field.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value === 'spending' ? 'spending' : 'income')}
          data={[
            { value: 'income', label: t('resources.kind.rent') },
            { value: 'spending', label: t('resources.kind.spending') },
          ]}
        />
        <TextInput
          label={t('resources.field.amount')}
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('resources.field.date')}
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
        />
        <TextInput label={t('resources.field.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Button type="submit">{t('resources.save')}</Button>
      </Group>
      <ResourceError error={error} />
    </form>
  );
}

function RateForm({ community, id }: { community: CommunityId; id: string }) {
  const t = useT();
  const store = useStore();
  const [residentId, setResidentId] = useState('');
  const [score, setScore] = useState('5');
  const [error, setError] = useState<DomainError | null>(null);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await store.run(community, rateProject, { id, residentId, score: Number(score) });
    setError(result.ok ? null : result.error);
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.project.ratings')}>
      <Stack gap="xs" maw={620}>
        <ResidentPicker
          community={community}
          label={t('resources.field.resident')}
          value={residentId}
          onChange={setResidentId}
        />
        <Group align="end">
          <NativeSelect
            label={t('resources.field.score')}
            value={score}
            onChange={(e) => setScore(e.currentTarget.value)}
            data={['5', '4', '3', '2', '1'].map((s) => ({ value: s, label: t(`resources.score.${s}` as MessageKey) }))}
          />
          <Button type="submit">{t('resources.project.rate')}</Button>
        </Group>
        <ResourceError error={error} />
      </Stack>
    </form>
  );
}

function CloseButton({ community, id }: { community: CommunityId; id: string }) {
  const t = useT();
  const store = useStore();
  const [error, setError] = useState<DomainError | null>(null);
  return (
    <Group>
      <Button
        variant="default"
        onClick={() => void store.run(community, closeProject, { id }).then((r) => setError(r.ok ? null : r.error))}
      >
        {t('resources.project.close')}
      </Button>
      <ResourceError error={error} />
    </Group>
  );
}

export type ProjectRecord = StoredRecord<'projects'>;
