/**
 * 发布任务: the street fills a template (docs/tasks-model.md, "templates and instances") and publishes it to some of the
 * communities on this device for some periods of a year: one instance per community and period (a standing task's
 * repeat rule gives the periods; an annual task has the year). An instance already published is left as it is.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { publishTask } from '@shared/domain/tasks/commands';
import { templateIdOf } from '@shared/domain/tasks/import';
import { periodsOf } from '@shared/domain/tasks/periods';
import {
  REPEAT_RULES,
  REPORT_FREQUENCIES,
  SUPERVISION_KINDS,
  type RepeatRule,
  type ReportFrequency,
  type Schedule,
  type SupervisionKind,
  type TaskTemplateInput,
} from '@shared/domain/tasks/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { isCommunityId } from '@shared/ydoc/docName';
import { useCommunities, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { tasksDoc, tasksEnvOf, thisYear } from './data';
import { describeTaskError } from './TaskErrorText';

interface MilestoneRow {
  readonly title: string;
  readonly weight: string | number;
  readonly evidence: string;
}

const lines = (text: string) =>
  text
    .split(/\n/)
    .map((s) => s.trim())
    .filter(Boolean);

export function PublishForm({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const communities = useCommunities();
  const [docNo, setDocNo] = useState('');
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState('');
  const [basis, setBasis] = useState('');
  const [kind, setKind] = useState<SupervisionKind>('work');
  const [lead, setLead] = useState('');
  const [coOwners, setCoOwners] = useState('');
  const [responsible, setResponsible] = useState('');
  const [claimLimit, setClaimLimit] = useState<string | number>(3);
  const [completionLimit, setCompletionLimit] = useState<string | number>(20);
  const [frequency, setFrequency] = useState<ReportFrequency>('none');
  const [scheduleType, setScheduleType] = useState<'annual' | 'standing'>('annual');
  const [repeat, setRepeat] = useState<RepeatRule>('monthly');
  const [year, setYear] = useState<string | number>(thisYear());
  const [periods, setPeriods] = useState<string[] | null>(null);
  const [milestones, setMilestones] = useState<MilestoneRow[]>([]);
  const [fundName, setFundName] = useState('');
  const [fundAmount, setFundAmount] = useState<string | number>('');
  const [targets, setTargets] = useState<string[]>([community]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<number | null>(null);

  const schedule: Schedule = scheduleType === 'annual' ? { type: 'annual' } : { type: 'standing', repeat };
  const yearNumber = typeof year === 'number' ? year : Number(year);
  const allPeriods = useMemo(
    () =>
      Number.isInteger(yearNumber) && yearNumber >= 2004 && yearNumber <= 2100 ? periodsOf(schedule, yearNumber) : [],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scheduleType, repeat, yearNumber],
  );
  const chosenPeriods = (periods ?? allPeriods).filter((p) => allPeriods.includes(p));
  const weightSum = milestones.reduce((sum, m) => sum + (Number(m.weight) || 0), 0);

  const template = (): TaskTemplateInput => ({
    id: templateIdOf(docNo),
    docNo,
    title,
    category,
    basis,
    kind,
    lead,
    coOwners: lines(coOwners),
    responsible: { name: responsible, ref: null },
    claimLimit: Number(claimLimit),
    completionLimit: Number(completionLimit),
    reportFrequency: frequency,
    milestones: milestones.map((m, i) => ({
      id: `m${i + 1}`,
      title: m.title,
      weight: Number(m.weight),
      evidence: m.evidence,
    })),
    fund: fundName.trim() === '' ? null : { name: fundName, amount: Number(fundAmount) || 0 },
    schedule,
  });

  const submit = async () => {
    setDone(null);
    if (chosenPeriods.length === 0) {
      setErrors([t('task.publish.noPeriods')]);
      return;
    }
    if (targets.length === 0) {
      setErrors([t('task.publish.noCommunities')]);
      return;
    }
    setBusy(true);
    const problems: string[] = [];
    let created = 0;
    try {
      for (const target of targets) {
        if (!isCommunityId(target)) continue;
        // Each community's deadlines are counted on its own calendar (its street's and its own closures).
        const env = await tasksEnvOf(store, target);
        const result = await store.runOn(
          tasksDoc(target, yearNumber),
          (doc, ctx, input: Parameters<typeof publishTask>[2]) => publishTask(doc, ctx, input, env),
          { template: template(), community: target, periods: chosenPeriods },
        );
        if (result.ok) created += result.value.length;
        else {
          const text = describeTaskError(t, result.error);
          const name = communities?.find((c) => c.id === target)?.name ?? target;
          problems.push(
            targets.length > 1 ? t('task.publish.communityFailed', { community: name, error: text }) : text,
          );
        }
      }
    } finally {
      setBusy(false);
    }
    setErrors(problems);
    if (problems.length === 0) setDone(created);
  };

  const setMilestone = (index: number, patch: Partial<MilestoneRow>) =>
    setMilestones((rows) => rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <form
      aria-label={t('task.publish.title')}
      data-testid="task-publish"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack maw={760}>
        <Title order={2}>{t('task.publish.title')}</Title>
        <Group grow align="start">
          <TextInput
            label={t('task.field.docNo')}
            value={docNo}
            onChange={(e) => setDocNo(e.currentTarget.value)}
            withAsterisk
          />
          <TextInput
            label={t('task.field.category')}
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value)}
            withAsterisk
          />
        </Group>
        <TextInput
          label={t('task.field.title')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          withAsterisk
        />
        <Group grow align="start">
          <TextInput label={t('task.field.basis')} value={basis} onChange={(e) => setBasis(e.currentTarget.value)} />
          <NativeSelect
            label={t('task.field.kind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as SupervisionKind)}
            data={SUPERVISION_KINDS.map((value) => ({ value, label: t(`task.kind.${value}`) }))}
          />
        </Group>
        <Group grow align="start">
          <TextInput
            label={t('task.field.lead')}
            value={lead}
            onChange={(e) => setLead(e.currentTarget.value)}
            withAsterisk
          />
          <TextInput
            label={t('task.field.responsible')}
            value={responsible}
            onChange={(e) => setResponsible(e.currentTarget.value)}
            withAsterisk
          />
        </Group>
        <Textarea
          label={t('task.field.coOwners')}
          description={t('task.field.coOwnersHint')}
          value={coOwners}
          onChange={(e) => setCoOwners(e.currentTarget.value)}
          minRows={2}
        />
        <Group grow align="start">
          <NumberInput
            label={t('task.field.claimLimit')}
            value={claimLimit}
            onChange={setClaimLimit}
            min={1}
            max={365}
            allowDecimal={false}
          />
          <NumberInput
            label={t('task.field.completionLimit')}
            value={completionLimit}
            onChange={setCompletionLimit}
            min={1}
            max={365}
            allowDecimal={false}
          />
          <NativeSelect
            label={t('task.field.reportFrequency')}
            value={frequency}
            onChange={(e) => setFrequency(e.currentTarget.value as ReportFrequency)}
            data={REPORT_FREQUENCIES.map((value) => ({ value, label: t(`task.frequency.${value}`) }))}
          />
        </Group>

        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('task.field.milestones')}
          </Text>
          {milestones.map((m, i) => (
            <Group key={i} align="end" wrap="nowrap" data-testid="task-milestone-row">
              <TextInput
                label={t('task.field.milestoneTitle')}
                value={m.title}
                onChange={(e) => setMilestone(i, { title: e.currentTarget.value })}
                style={{ flex: 2 }}
              />
              <NumberInput
                label={t('task.field.weight')}
                value={m.weight}
                onChange={(weight) => setMilestone(i, { weight })}
                min={1}
                max={100}
                allowDecimal={false}
                style={{ flex: 1 }}
              />
              <TextInput
                label={t('task.field.evidence')}
                value={m.evidence}
                onChange={(e) => setMilestone(i, { evidence: e.currentTarget.value })}
                style={{ flex: 2 }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mb={4}
                aria-label={t('task.publish.removeMilestone', { index: i + 1 })}
                onClick={() => setMilestones((rows) => rows.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          {milestones.length > 0 && weightSum !== 100 && (
            <Text size="sm" c="orange" role="status">
              {t('task.publish.weights', { sum: weightSum })}
            </Text>
          )}
          <Group>
            <Button
              size="xs"
              variant="light"
              disabled={milestones.length >= 20}
              onClick={() => setMilestones((rows) => [...rows, { title: '', weight: '', evidence: '' }])}
            >
              {t('task.publish.addMilestone')}
            </Button>
          </Group>
        </Stack>

        <Group grow align="start">
          <TextInput
            label={t('task.field.fundName')}
            placeholder={t('task.publish.noFund')}
            value={fundName}
            onChange={(e) => setFundName(e.currentTarget.value)}
          />
          <NumberInput
            label={t('task.field.fundAmount')}
            value={fundAmount}
            onChange={setFundAmount}
            min={0}
            thousandSeparator=","
            disabled={fundName.trim() === ''}
          />
        </Group>

        <Group grow align="start">
          <NativeSelect
            label={t('task.field.schedule')}
            value={scheduleType}
            onChange={(e) => {
              setScheduleType(e.currentTarget.value === 'standing' ? 'standing' : 'annual');
              setPeriods(null);
            }}
            data={[
              { value: 'annual', label: t('task.schedule.annual') },
              { value: 'standing', label: t('task.schedule.standing', { repeat: t(`task.repeat.${repeat}`) }) },
            ]}
          />
          {scheduleType === 'standing' && (
            <NativeSelect
              label={t('task.field.repeat')}
              value={repeat}
              onChange={(e) => {
                setRepeat(e.currentTarget.value as RepeatRule);
                setPeriods(null);
              }}
              data={REPEAT_RULES.map((value) => ({ value, label: t(`task.repeat.${value}`) }))}
            />
          )}
          <NumberInput
            label={t('task.field.year')}
            value={year}
            onChange={(value) => {
              setYear(value);
              setPeriods(null);
            }}
            min={2004}
            max={2100}
            allowDecimal={false}
            thousandSeparator={false}
          />
        </Group>
        {allPeriods.length > 1 && (
          <Checkbox.Group label={t('task.field.periods')} value={chosenPeriods} onChange={setPeriods}>
            <Group gap="xs" mt={4}>
              {allPeriods.map((p) => (
                <Checkbox key={p} value={p} label={p} />
              ))}
            </Group>
          </Checkbox.Group>
        )}
        <Checkbox.Group label={t('task.field.communities')} value={targets} onChange={setTargets}>
          <Group gap="xs" mt={4}>
            {(communities ?? []).map((c) => (
              <Checkbox key={c.id} value={c.id} label={c.name} />
            ))}
          </Group>
        </Checkbox.Group>

        {errors.map((text, i) => (
          <Alert key={i} color="red" role="alert" p="xs" data-testid="task-error">
            {text}
          </Alert>
        ))}
        {done !== null && (
          <Alert color="green" role="status" p="xs" data-testid="task-published">
            {done > 0 ? t('task.publish.done', { count: done }) : t('task.publish.already')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('task.publish.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
