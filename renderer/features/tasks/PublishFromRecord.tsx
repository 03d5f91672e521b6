/**
 * 转为督办任务 from another area (a grid event, docs/incidents-model.md "links"): the street hands this community a
 * one-off task to finish this year, its basis the record it came from, counted on the community's working calendar
 * (docs/tasks-model.md). One template per record (`templateId`), so making it twice finds the task already there.
 * The caller is told the task made (`onPublished`), to keep its side of the link.
 */
import { Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { DomainError } from '@shared/domain/result';
import { publishTask } from '@shared/domain/tasks/commands';
import { taskIdOf } from '@shared/domain/tasks/periods';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { tasksDoc, tasksEnvOf, thisYear } from './data';
import { recordTemplate, type RecordTaskDefaults } from './recordTask';
import { TaskError } from './TaskErrorText';

export function PublishFromRecord({
  community,
  defaults,
  hint,
  error: callerError,
  onPublished,
  onCancel,
}: {
  community: CommunityId;
  defaults: RecordTaskDefaults;
  hint: ReactNode;
  /** The caller's own refusal (keeping its side of the link), shown under the form. */
  error: ReactNode;
  /** Told the task made (its year and id); resolves true when the caller is done. */
  onPublished: (year: number, taskId: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const t = useT();
  const store = useStore();
  const [title, setTitle] = useState(defaults.title.slice(0, 200));
  const [lead, setLead] = useState(defaults.lead);
  const [responsible, setResponsible] = useState(defaults.responsible);
  const [limit, setLimit] = useState<number | string>(10);
  const [error, setError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const year = thisYear();
      const template = recordTemplate(defaults, {
        title,
        lead,
        responsible,
        completionLimit: Math.min(365, Math.max(1, Math.round(Number(limit) || 10))),
      });
      const env = await tasksEnvOf(store, community);
      const published = await store.runOn(
        tasksDoc(community, year),
        (doc, ctx, input: Parameters<typeof publishTask>[2]) => publishTask(doc, ctx, input, env),
        { template, community, periods: [String(year)] },
      );
      if (!published.ok) {
        setError(published.error);
        return;
      }
      await onPublished(year, taskIdOf(template.id, community, String(year)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label={t('task.fromRecord.title')}
      data-testid="task-from-record"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {hint}
        </Text>
        <TextInput
          label={t('task.field.title')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          maxLength={200}
          withAsterisk
        />
        <Group grow align="start">
          <TextInput
            label={t('task.field.lead')}
            value={lead}
            onChange={(event) => setLead(event.currentTarget.value)}
            maxLength={80}
            withAsterisk
          />
          <TextInput
            label={t('task.field.responsible')}
            value={responsible}
            onChange={(event) => setResponsible(event.currentTarget.value)}
            maxLength={80}
            withAsterisk
          />
          <NumberInput label={t('task.field.completionLimit')} value={limit} onChange={setLimit} min={1} max={365} />
        </Group>
        <TaskError error={error} />
        {callerError}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={busy}>
            {t('task.fromRecord.submit')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('task.fromRecord.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
