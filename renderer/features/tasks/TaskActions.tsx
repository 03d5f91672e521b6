/**
 * The actions the machine offers on a task to the person at the keyboard (`allowedActions`), each a button; those that
 * need input open their form below. The commands decide again when run, so a refusal (another device acted first)
 * shows beside the form that caused it.
 */
import {
  Anchor,
  Button,
  Card,
  CloseButton,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import {
  archiveTask,
  cancelCard,
  claimTask,
  decideExtension,
  raiseCard,
  reassignTask,
  reportProgress,
  requestClose,
  requestExtension,
  returnTask,
  verifyClose,
} from '@shared/domain/tasks/commands';
import { replyCard } from '@shared/domain/tasks/commands';
import { storeTaskFile } from '@shared/domain/tasks/files';
import type { TaskActionKind } from '@shared/domain/tasks/machine';
import { openCards, type TaskState } from '@shared/domain/tasks/state';
import { CARD_LEVELS, CLOSURE_KINDS, type CardLevel, type ClosureKind } from '@shared/domain/tasks/types';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment, type PickedFile } from '../../ui/files';
import type { TaskCommands } from './data';
import { cardReason } from './labels';
import { meAsOwner, type Me } from './mine';
import { TaskError } from './TaskErrorText';

type StoreFileInput = Parameters<typeof storeTaskFile>[2];

/** Actions done at once, without a form. */
const AT_ONCE: ReadonlySet<TaskActionKind> = new Set(['claim', 'verify', 'archive']);

interface ActionsProps {
  readonly state: TaskState;
  readonly allowed: readonly TaskActionKind[];
  readonly me: Me;
  readonly commands: TaskCommands;
}

export function TaskActions({ state, allowed, me, commands }: ActionsProps) {
  const t = useT();
  const [open, setOpen] = useState<TaskActionKind | null>(null);
  const [done, setDone] = useState(false);
  const taskId = state.id;
  const finish = (value: unknown) => {
    if (value !== null) {
      setOpen(null);
      setDone(true);
    }
  };
  const runAtOnce = async (action: TaskActionKind) => {
    setDone(false);
    commands.clear();
    if (action === 'claim') finish(await commands.run(claimTask, { taskId, owner: meAsOwner(me) }));
    else if (action === 'verify') finish(await commands.run(verifyClose, { taskId }));
    else if (action === 'archive') finish(await commands.run(archiveTask, { taskId }));
  };
  return (
    <Card withBorder data-testid="task-actions">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('task.page.actions')}
        </Title>
        {allowed.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('task.page.noActions')}
          </Text>
        ) : (
          <Group gap="xs">
            {allowed.map((action) => (
              <Button
                key={action}
                size="xs"
                variant={open === action ? 'filled' : 'light'}
                loading={commands.busy && AT_ONCE.has(action)}
                aria-expanded={AT_ONCE.has(action) ? undefined : open === action}
                onClick={() => {
                  if (AT_ONCE.has(action)) void runAtOnce(action);
                  else {
                    commands.clear();
                    setDone(false);
                    setOpen(open === action ? null : action);
                  }
                }}
              >
                {t(`task.action.${action}`)}
              </Button>
            ))}
          </Group>
        )}
        {done && (
          <Text size="sm" c="green" role="status">
            {t('task.action.done')}
          </Text>
        )}
        {open !== null && (
          <ActionForm
            key={open}
            action={open}
            state={state}
            commands={commands}
            onDone={finish}
            onCancel={() => setOpen(null)}
          />
        )}
        {open === null && <TaskError error={commands.error} />}
      </Stack>
    </Card>
  );
}

interface FormProps {
  readonly action: TaskActionKind;
  readonly state: TaskState;
  readonly commands: TaskCommands;
  readonly onDone: (value: unknown) => void;
  readonly onCancel: () => void;
}

function FormFrame({
  title,
  busy,
  onSubmit,
  onCancel,
  children,
  error,
}: {
  title: string;
  busy: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
  error: ReactNode;
}) {
  const t = useT();
  return (
    <form
      aria-label={title}
      data-testid="task-action-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="xs">
        {children}
        {error}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={busy}>
            {t('task.submit')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('task.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function numberOf(value: string | number): number | null {
  if (value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function ActionForm({ action, state, commands, onDone, onCancel }: FormProps) {
  const t = useT();
  const taskId = state.id;
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState<string | number>('');
  const [milestone, setMilestone] = useState('');
  const [closure, setClosure] = useState<ClosureKind>('substantive');
  const [days, setDays] = useState<string | number>(
    action === 'decide-extension' ? (state.pendingExtension?.days ?? 0) : 5,
  );
  const [level, setLevel] = useState<CardLevel>('normal');
  const [replyDays, setReplyDays] = useState<string | number>(state.template.cardRules.replyWorkdays);
  const cards = useMemo(
    () => (action === 'reply-card' ? openCards(state) : state.cards.filter((c) => c.cancelled === null)),
    [action, state],
  );
  const [cardId, setCardId] = useState(cards[0]?.id ?? '');
  const platform = usePlatform();
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const addFile = async () => {
    setFileProblem(null);
    try {
      const picked = await pickAttachment(platform);
      if (picked.kind === 'too-big') setFileProblem(t('task.action.fileTooBig', { name: picked.name }));
      if (picked.kind === 'picked')
        setFiles((list) => [...list, { ...picked.file, name: picked.file.name.slice(0, 100) }]);
    } catch (problem) {
      setFileProblem(problem instanceof Error ? problem.message : String(problem));
    }
  };
  /** Stores the picked files (one command each), then the report naming them; stops at the first refusal. */
  const submitReport = async () => {
    const refs: string[] = [];
    for (const file of files) {
      const ref = await commands.run((doc, ctx, input: StoreFileInput) => storeTaskFile(doc, ctx, input), {
        taskId,
        ...file,
      });
      if (ref === null) return null;
      refs.push(ref);
    }
    return commands.run(reportProgress, {
      taskId,
      note: text,
      progress: numberOf(progress),
      milestoneId: milestone === '' ? null : milestone,
      attachments: refs,
    });
  };
  const reasonField = (
    <Textarea
      label={t('task.field.reason')}
      value={reason}
      onChange={(event) => setReason(event.currentTarget.value)}
      minRows={2}
      maxLength={500}
      withAsterisk
    />
  );
  const cardField = (
    <NativeSelect
      label={t('task.field.card')}
      value={cardId}
      onChange={(event) => setCardId(event.currentTarget.value)}
      data={cards.map((c) => ({
        value: c.id,
        label: `${t(`task.card.${c.level}`)} · ${c.raisedOn} · ${cardReason(t, c)}`,
      }))}
    />
  );
  const run = async (submit: () => Promise<unknown>) => onDone(await submit());
  const frame = (children: ReactNode, submit: () => Promise<unknown>) => (
    <FormFrame
      title={t(`task.action.${action}`)}
      busy={commands.busy}
      onSubmit={() => void run(submit)}
      onCancel={onCancel}
      error={<TaskError error={commands.error} />}
    >
      {children}
    </FormFrame>
  );
  switch (action) {
    case 'report':
      return frame(
        <>
          <Textarea
            label={t('task.field.note')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            minRows={3}
            maxLength={2000}
            withAsterisk
          />
          <Group grow align="start">
            <NumberInput
              label={t('task.field.progress')}
              value={progress}
              onChange={setProgress}
              min={0}
              max={100}
              allowDecimal={false}
            />
            <NativeSelect
              label={t('task.field.milestone')}
              value={milestone}
              onChange={(event) => setMilestone(event.currentTarget.value)}
              data={[
                { value: '', label: t('task.none') },
                ...state.template.milestones.map((m) => ({ value: m.id, label: m.title })),
              ]}
            />
          </Group>
          <Stack gap={4}>
            <Text size="sm">{t('task.field.attachments')}</Text>
            {files.map((file, i) => (
              <Group key={i} gap={4} data-testid="task-report-file">
                <Anchor size="sm" href={file.data} download={file.name}>
                  {file.name}
                </Anchor>
                <CloseButton
                  size="sm"
                  aria-label={t('task.action.removeFile', { name: file.name })}
                  onClick={() => setFiles((list) => list.filter((_, j) => j !== i))}
                />
              </Group>
            ))}
            <Group>
              <Button size="xs" variant="default" disabled={files.length >= 20} onClick={() => void addFile()}>
                {t('task.action.addFile')}
              </Button>
            </Group>
            {fileProblem !== null && (
              <Text size="sm" c="red" role="alert">
                {fileProblem}
              </Text>
            )}
          </Stack>
        </>,
        submitReport,
      );
    case 'reassign':
      return frame(
        <>
          <TextInput
            label={t('task.field.to')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            maxLength={40}
            withAsterisk
          />
          {reasonField}
        </>,
        () => commands.run(reassignTask, { taskId, to: { name: text, ref: null }, reason }),
      );
    case 'request-close':
      return frame(
        <>
          <NativeSelect
            label={t('task.field.closure')}
            value={closure}
            onChange={(event) => setClosure(event.currentTarget.value as ClosureKind)}
            data={CLOSURE_KINDS.map((value) => ({ value, label: t(`task.closure.${value}`) }))}
          />
          {reasonField}
        </>,
        () => commands.run(requestClose, { taskId, closure, reason }),
      );
    case 'return':
      return frame(reasonField, () => commands.run(returnTask, { taskId, reason }));
    case 'request-extension':
      return frame(
        <>
          <NumberInput
            label={t('task.field.days')}
            value={days}
            onChange={setDays}
            min={1}
            max={60}
            allowDecimal={false}
          />
          {reasonField}
        </>,
        () => commands.run(requestExtension, { taskId, days: numberOf(days) ?? 0, reason }),
      );
    case 'decide-extension': {
      const pending = state.pendingExtension;
      return frame(
        <>
          {pending !== null && (
            <Text size="sm">
              {t('task.extLine', {
                days: pending.days,
                by: pending.by.userName,
                on: pending.requestedOn,
                reason: pending.reason,
              })}
            </Text>
          )}
          <NumberInput
            label={t('task.field.granted')}
            value={days}
            onChange={setDays}
            min={0}
            max={pending?.days ?? 60}
            allowDecimal={false}
          />
          {reasonField}
        </>,
        () => commands.run(decideExtension, { taskId, granted: numberOf(days) ?? 0, reason }),
      );
    }
    case 'raise-card':
      return frame(
        <>
          <NativeSelect
            label={t('task.field.level')}
            value={level}
            onChange={(event) => setLevel(event.currentTarget.value as CardLevel)}
            data={CARD_LEVELS.map((value) => ({ value, label: t(`task.card.${value}`) }))}
          />
          {reasonField}
          <NumberInput
            label={t('task.field.replyWorkdays')}
            value={replyDays}
            onChange={setReplyDays}
            min={1}
            max={30}
            allowDecimal={false}
          />
        </>,
        () =>
          commands.run(raiseCard, {
            taskId,
            level,
            reason,
            replyWorkdays: numberOf(replyDays) ?? undefined,
          }),
      );
    case 'reply-card':
      return frame(
        <>
          {cardField}
          <Textarea
            label={t('task.field.reply')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            minRows={2}
            maxLength={2000}
            withAsterisk
          />
        </>,
        () => commands.run(replyCard, { taskId, cardId, reply: text }),
      );
    case 'cancel-card':
      return frame(
        <>
          {cardField}
          {reasonField}
        </>,
        () => commands.run(cancelCard, { taskId, cardId, reason }),
      );
    case 'claim':
    case 'verify':
    case 'archive':
      return null;
  }
}
