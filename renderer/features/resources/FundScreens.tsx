import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useState, type SyntheticEvent } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import type * as Y from 'yjs';
import type { DomainError } from '@shared/domain/result';
import {
  fundBalance,
  fundReport,
  fundWarnings,
  recordFundEntry,
  reversedIds,
  reverseFundEntry,
  storeFundFile,
  type FundReport,
} from '@shared/domain/resources/funds';
import { FUND_CATEGORIES, FUNDS, INCOME_CATEGORIES, type Fund, type FundEntry } from '@shared/domain/resources/types';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { readMeta } from '@shared/ydoc/registry';
import { readFundFile } from '@shared/ydoc/resources';
import { listTasks } from '@shared/ydoc/tasks';
import { useDocValue, useRegistryValue, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment } from '../../ui/files';
import { SubNav } from '../../ui/SubNav';
import {
  activitiesDoc,
  categoryLabel,
  fundLabel,
  parseYuan,
  thisYear,
  today,
  useFundEntries,
  useResidentNames,
  yuan,
} from './data';
import { writeFundWorkbook } from './exportFunds';
import { PrintFrame } from './PrintFrame';
import { ResidentPicker } from './ResidentPicker';
import { ResourceError, useCanEdit } from './VenueScreens';

/** 三项资金: balances and ledgers of the three funds, a new entry with its receipts, the yearly report. */
export function FundsPages({ community }: { community: CommunityId }) {
  const t = useT();
  const { edit } = useCanEdit(community);
  return (
    <Stack>
      <SubNav
        label={t('resources.funds.nav.label')}
        links={[
          { path: '/', label: t('resources.funds.nav.ledger') },
          ...(edit ? [{ path: '/new', label: t('resources.funds.nav.new') }] : []),
          { path: '/report', label: t('resources.funds.nav.report') },
        ]}
      />
      <Switch>
        {edit && (
          <Route path="/new">
            <EntryForm community={community} />
          </Route>
        )}
        <Route path="/report">
          <ReportPage community={community} />
        </Route>
        <Route>
          <Ledger community={community} />
        </Route>
      </Switch>
    </Stack>
  );
}

function Ledger({ community }: { community: CommunityId }) {
  const t = useT();
  const entries = useFundEntries(community);
  const [fund, setFund] = useState<Fund | ''>('');
  const names = useResidentNames(
    community,
    (entries ?? []).flatMap((e) => (e.memberId ? [e.memberId] : [])),
  );
  if (entries === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  const warnings = fundWarnings(entries);
  const reversed = reversedIds(entries);
  const shown = entries.filter((e) => fund === '' || e.fund === fund).reverse();
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {FUNDS.map((f) => (
          <Card withBorder key={f} data-testid={`fund-card-${f}`}>
            <Text fw={600}>{fundLabel(t, f)}</Text>
            <Text size="xl" data-testid={`fund-balance-${f}`}>
              ¥{yuan(fundBalance(entries, f))}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {warnings.length > 0 && (
        <Alert color="orange" title={t('resources.funds.warnings')} data-testid="fund-warnings">
          {warnings.map((w) => (
            <Text size="sm" key={w.kind === 'overdrawn' ? w.fund : w.entryId}>
              {w.kind === 'overdrawn'
                ? t('resources.funds.overdrawn', { fund: fundLabel(t, w.fund), balance: yuan(w.balance) })
                : t('resources.funds.reversedTwice', { fund: fundLabel(t, w.fund), count: w.by.length })}
            </Text>
          ))}
        </Alert>
      )}
      <NativeSelect
        label={t('resources.field.fund')}
        maw={240}
        value={fund}
        onChange={(e) => setFund(e.currentTarget.value as Fund | '')}
        data={[
          { value: '', label: t('resources.funds.all') },
          ...FUNDS.map((f) => ({ value: f, label: fundLabel(t, f) })),
        ]}
      />
      {shown.length === 0 ? (
        <Text c="dimmed">{t('resources.funds.none')}</Text>
      ) : (
        <Table data-testid="fund-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('resources.field.date')}</Table.Th>
              <Table.Th>{t('resources.field.fund')}</Table.Th>
              <Table.Th>{t('resources.field.kind')}</Table.Th>
              <Table.Th>{t('resources.field.category')}</Table.Th>
              <Table.Th>{t('resources.field.amount')}</Table.Th>
              <Table.Th>{t('resources.field.note')}</Table.Th>
              <Table.Th>{t('resources.field.receipts')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((e) => (
              <EntryRow
                key={e.id}
                community={community}
                entry={e}
                reversed={reversed.has(e.id)}
                member={e.memberId ? (names.get(e.memberId) ?? e.memberId) : null}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function EntryRow({
  community,
  entry: e,
  reversed,
  member,
}: {
  community: CommunityId;
  entry: FundEntry;
  reversed: boolean;
  member: string | null;
}) {
  const t = useT();
  const store = useStore();
  const { admin } = useCanEdit(community);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<DomainError | null>(null);
  const reverse = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await store.run(community, reverseFundEntry, { id: e.id, date: today(), reason });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setOpen(false);
  };
  return (
    <>
      <Table.Tr data-testid="fund-row">
        <Table.Td>{e.date}</Table.Td>
        <Table.Td>{fundLabel(t, e.fund)}</Table.Td>
        <Table.Td>
          {t(e.kind === 'income' ? 'resources.kind.income' : 'resources.kind.spending')}
          {e.reverses && (
            <Badge ml={4} color="gray" size="xs">
              {t('resources.funds.reversal')}
            </Badge>
          )}
          {reversed && (
            <Badge ml={4} color="gray" size="xs">
              {t('resources.funds.reversed')}
            </Badge>
          )}
        </Table.Td>
        <Table.Td>{categoryLabel(t, e.category)}</Table.Td>
        <Table.Td>{yuan(e.amount)}</Table.Td>
        <Table.Td>
          {[member ? t('resources.funds.member', { name: member }) : '', e.reason, e.note]
            .filter(Boolean)
            .join(t('resources.clauseSep'))}
          {e.taskId && e.taskYear && (
            <Text size="xs">
              <Link href={`~/tasks/t/${e.taskYear}/${e.taskId}`}>{t('resources.funds.task')}</Link>
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Receipts community={community} entry={e} />
          {admin && !e.reverses && !reversed && (
            <Button size="compact-xs" variant="subtle" onClick={() => setOpen(!open)}>
              {t('resources.funds.reverse')}
            </Button>
          )}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={7}>
            <form onSubmit={(ev) => void reverse(ev)} aria-label={t('resources.funds.reverse')}>
              <Group align="end">
                <TextInput
                  label={t('resources.field.reason')}
                  value={reason}
                  onChange={(ev) => setReason(ev.currentTarget.value)}
                />
                <Button type="submit" color="red" variant="light">
                  {t('resources.funds.reverseSubmit')}
                </Button>
              </Group>
              <ResourceError error={error} />
            </form>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function Receipts({ community, entry }: { community: CommunityId; entry: FundEntry }) {
  const t = useT();
  const year = Number(entry.date.slice(0, 4));
  const key = entry.receipts.join(',');
  const reader = useCallback(
    (doc: Y.Doc) =>
      key
        .split(',')
        .filter(Boolean)
        .map((ref) => readFundFile(doc, ref)),
    [key],
  );
  const files = useDocValue(entry.receipts.length > 0 ? activitiesDoc(community, year) : null, reader);
  if (entry.receipts.length === 0) return null;
  return (
    <Group gap={4}>
      {(files ?? []).map((file, i) =>
        file === null ? (
          <Text size="xs" key={i} c="dimmed">
            {t('resources.funds.receiptPending')}
          </Text>
        ) : (
          <a key={file.id} href={file.data} download={file.name} title={file.name} data-testid="fund-receipt">
            {file.type.startsWith('image/') ? (
              <img src={file.data} alt={file.name} style={{ height: 32 }} />
            ) : (
              file.name
            )}
          </a>
        ),
      )}
    </Group>
  );
}

interface TaskOption {
  readonly id: string;
  readonly title: string;
}

function EntryForm({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const [, navigate] = useLocation();
  const [fund, setFund] = useState<Fund>('party');
  const [kind, setKind] = useState<'income' | 'spending'>('income');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(today());
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [memberId, setMemberId] = useState('');
  const [reason, setReason] = useState('');
  const [taskId, setTaskId] = useState('');
  const [receipts, setReceipts] = useState<{ ref: string; name: string }[]>([]);
  const [error, setError] = useState<DomainError | string | null>(null);
  const year = /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : thisYear();
  const readTasks = useCallback(
    (doc: Y.Doc): TaskOption[] =>
      listTasks(doc)
        .filter((task) => task.community === community)
        .map((task) => ({ id: task.id, title: task.template.title })),
    [community],
  );
  const tasks = useDocValue(
    fund === 'development' ? docName({ community, collection: 'tasks', year }) : null,
    readTasks,
  );
  const categories: readonly string[] = kind === 'income' ? INCOME_CATEGORIES : FUND_CATEGORIES[fund];
  const chosen = categories.includes(category) ? category : (categories[0] ?? 'other');
  const care = fund === 'care' && kind === 'spending';

  const addReceipt = async () => {
    const picked = await pickAttachment(platform, true);
    if (picked.kind === 'too-big') {
      setError(t('resources.funds.receiptTooBig', { name: picked.name }));
      return;
    }
    if (picked.kind !== 'picked') return;
    const result = await store.runOn(activitiesDoc(community, year), storeFundFile, picked.file);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setReceipts((list) => [...list, { ref: result.value, name: picked.file.name }]);
  };
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const fen = parseYuan(amount);
    if (fen === null || fen === 0) {
      setError(t('resources.money.invalid'));
      return;
    }
    const result = await store.run(community, recordFundEntry, {
      fund,
      kind,
      amount: fen,
      date,
      category: chosen,
      note,
      memberId: care ? memberId || null : null,
      reason: care ? reason : '',
      taskId: fund === 'development' && taskId ? taskId : null,
      taskYear: fund === 'development' && taskId ? year : null,
      receipts: receipts.map((r) => r.ref),
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    navigate('/');
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('resources.funds.nav.new')} data-testid="fund-form">
      <Stack gap="xs" maw={620}>
        <Title order={3}>{t('resources.funds.nav.new')}</Title>
        <NativeSelect
          label={t('resources.field.fund')}
          value={fund}
          onChange={(e) => setFund(e.currentTarget.value as Fund)}
          data={FUNDS.map((f) => ({ value: f, label: fundLabel(t, f) }))}
        />
        <Radio.Group
          label={t('resources.field.kind')}
          value={kind}
          onChange={(v) => setKind(v === 'spending' ? 'spending' : 'income')}
        >
          <Group>
            <Radio value="income" label={t('resources.kind.income')} />
            <Radio value="spending" label={t('resources.kind.spending')} />
          </Group>
        </Radio.Group>
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
        <NativeSelect
          label={t('resources.field.category')}
          value={chosen}
          onChange={(e) => setCategory(e.currentTarget.value)}
          data={categories.map((c) => ({ value: c, label: categoryLabel(t, c) }))}
        />
        {care && (
          <>
            <ResidentPicker
              community={community}
              label={t('resources.field.member')}
              value={memberId}
              onChange={setMemberId}
              tag="party-member"
            />
            <TextInput
              label={t('resources.field.careReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          </>
        )}
        {fund === 'development' && (
          <NativeSelect
            label={t('resources.field.task')}
            value={taskId}
            onChange={(e) => setTaskId(e.currentTarget.value)}
            data={[
              { value: '', label: t('resources.funds.noTask') },
              ...(tasks ?? []).map((x) => ({ value: x.id, label: x.title })),
            ]}
          />
        )}
        <TextInput label={t('resources.field.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group>
          <Button variant="light" onClick={() => void addReceipt()}>
            {t('resources.funds.addReceipt')}
          </Button>
          {receipts.map((r) => (
            <Badge key={r.ref} variant="light" data-testid="fund-form-receipt">
              {r.name}
            </Badge>
          ))}
        </Group>
        <ResourceError error={error} />
        <Group>
          <Button type="submit">{t('resources.funds.record')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReportPage({ community }: { community: CommunityId }) {
  const t = useT();
  const platform = usePlatform();
  const entries = useFundEntries(community);
  const meta = useRegistryValue(community, readMeta);
  const [fund, setFund] = useState<Fund>('party');
  const [year, setYear] = useState(thisYear());
  const [printing, setPrinting] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const names = useResidentNames(
    community,
    (entries ?? []).flatMap((e) => (e.memberId ? [e.memberId] : [])),
  );
  if (entries === undefined) return <Text c="dimmed">{t('resources.loading')}</Text>;
  const report = fundReport(entries, fund, year);
  const years = [...new Set([thisYear(), ...entries.map((e) => Number(e.date.slice(0, 4)))])].sort((a, b) => b - a);
  const title = t('resources.report.title', { fund: fundLabel(t, fund), year });
  const exportExcel = async () => {
    setMessage(null);
    try {
      const bytes = await writeFundWorkbook(t, report, meta?.communityName ?? '', (id) => names.get(id) ?? id);
      const saved = await platform.saveFile({
        defaultName: `${title}.xlsx`,
        content: bytes,
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      });
      if (saved !== null) setMessage({ ok: true, text: t('resources.report.exported', { file: saved.path }) });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  };
  const body = <ReportBody report={report} names={names} />;
  return (
    <Stack>
      <Group align="end">
        <NativeSelect
          label={t('resources.field.fund')}
          value={fund}
          onChange={(e) => setFund(e.currentTarget.value as Fund)}
          data={FUNDS.map((f) => ({ value: f, label: fundLabel(t, f) }))}
        />
        <NativeSelect
          label={t('resources.field.year')}
          value={String(year)}
          onChange={(e) => setYear(Number(e.currentTarget.value))}
          data={years.map(String)}
        />
        <Button onClick={() => setPrinting(true)}>{t('resources.report.print')}</Button>
        <Button variant="light" onClick={() => void exportExcel()}>
          {t('resources.report.excel')}
        </Button>
      </Group>
      {message && <Alert color={message.ok ? 'green' : 'red'}>{message.text}</Alert>}
      <Title order={3}>{title}</Title>
      <div data-testid="fund-report">{body}</div>
      {printing && (
        <PrintFrame fileName={title} onClose={() => setPrinting(false)} testId="fund-report-page">
          <h1>{title}</h1>
          <p>{meta?.communityName}</p>
          {body}
        </PrintFrame>
      )}
    </Stack>
  );
}

function ReportBody({ report, names }: { report: FundReport; names: ReadonlyMap<string, string> }) {
  const t = useT();
  return (
    <>
      <Table withTableBorder data-testid="fund-report-summary">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th>{t('resources.report.opening')}</Table.Th>
            <Table.Td data-testid="report-opening">{yuan(report.opening)}</Table.Td>
          </Table.Tr>
          {[...report.incomeByCategory].map(([c, v]) => (
            <Table.Tr key={`i-${c}`}>
              <Table.Th>{t('resources.report.incomeOf', { category: categoryLabel(t, c) })}</Table.Th>
              <Table.Td>{yuan(v)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th>{t('resources.report.income')}</Table.Th>
            <Table.Td data-testid="report-income">{yuan(report.income)}</Table.Td>
          </Table.Tr>
          {[...report.spendingByCategory].map(([c, v]) => (
            <Table.Tr key={`s-${c}`}>
              <Table.Th>{t('resources.report.spendingOf', { category: categoryLabel(t, c) })}</Table.Th>
              <Table.Td>{yuan(v)}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th>{t('resources.report.spending')}</Table.Th>
            <Table.Td data-testid="report-spending">{yuan(report.spending)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('resources.report.closing')}</Table.Th>
            <Table.Td data-testid="report-closing">{yuan(report.closing)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <h2>{t('resources.report.entries')}</h2>
      <Table withTableBorder data-testid="fund-report-entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('resources.field.date')}</Table.Th>
            <Table.Th>{t('resources.field.kind')}</Table.Th>
            <Table.Th>{t('resources.field.category')}</Table.Th>
            <Table.Th>{t('resources.field.amount')}</Table.Th>
            <Table.Th>{t('resources.field.note')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.entries.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{e.date}</Table.Td>
              <Table.Td>
                {t(e.kind === 'income' ? 'resources.kind.income' : 'resources.kind.spending')}
                {e.reverses ? t('resources.inParens', { text: t('resources.funds.reversal') }) : ''}
              </Table.Td>
              <Table.Td>{categoryLabel(t, e.category)}</Table.Td>
              <Table.Td>{yuan(e.amount)}</Table.Td>
              <Table.Td>
                {[
                  e.memberId ? t('resources.funds.member', { name: names.get(e.memberId) ?? e.memberId }) : '',
                  e.reason,
                  e.note,
                ]
                  .filter(Boolean)
                  .join(t('resources.clauseSep'))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
