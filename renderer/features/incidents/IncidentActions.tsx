/**
 * The actions the machine offers on an event to the person at the keyboard (`allowedActions`), each a button; those
 * that need input open their form below. The commands decide again when run, so a refusal (another device acted
 * first) shows beside the form that caused it, in words.
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  CloseButton,
  Group,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import {
  acceptIncident,
  archiveIncident,
  assignIncident,
  escalateIncident,
  linkIncident,
  mergeIncident,
  recordHandling,
  recordVisit,
  refuseIncidentClose,
  rejectIncident,
  requestIncidentClose,
  resumeIncident,
  sendBackIncident,
  suspendIncident,
  verifyIncident,
} from '@shared/domain/incidents/commands';
import { storeIncidentFile } from '@shared/domain/incidents/files';
import type { IncidentActionKind } from '@shared/domain/incidents/machine';
import { isOpen, type IncidentState } from '@shared/domain/incidents/state';
import {
  ASSIGNEE_KINDS,
  CLOSURE_TYPES,
  LINK_KINDS,
  PROCEDURAL_KINDS,
  RATINGS,
  VISIT_METHODS,
  type AssigneeKind,
  type ClosureType,
  type LinkKind,
  type ProceduralKind,
  type VisitMethod,
} from '@shared/domain/incidents/types';
import type { DomainError } from '@shared/domain/result';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { pickAttachment, type PickedFile } from '../../ui/files';
import type { IncidentCommands, ListedIncident } from './data';
import { describeIncidentError } from './labels';
import type { Places } from './places';

type StoreFileInput = Parameters<typeof storeIncidentFile>[2];

/** Actions done at once, without a form. */
const AT_ONCE: ReadonlySet<IncidentActionKind> = new Set(['accept', 'verify', 'resume', 'archive']);

/** A refusal of an incident command, in words, beside the form that caused it. */
export function IncidentError({ error }: { error: DomainError | null }) {
  const t = useT();
  if (!error) return null;
  return (
    <Alert color="red" role="alert" p="xs" data-testid="incident-error">
      {describeIncidentError(t, error)}
    </Alert>
  );
}

interface ActionsProps {
  readonly state: IncidentState;
  readonly allowed: readonly IncidentActionKind[];
  readonly commands: IncidentCommands;
  readonly places: Places | undefined;
  /** The other events of the document, for 合并为重复. */
  readonly others: readonly ListedIncident[];
  /** Extra buttons (转为调解案件), shown after the machine's. */
  readonly extra?: ReactNode;
}

export function IncidentActions({ state, allowed, commands, places, others, extra }: ActionsProps) {
  const t = useT();
  const [open, setOpen] = useState<IncidentActionKind | null>(null);
  const [done, setDone] = useState(false);
  const incidentId = state.base.id;
  const finish = (value: unknown) => {
    if (value !== null) {
      setOpen(null);
      setDone(true);
    }
  };
  const runAtOnce = async (action: IncidentActionKind) => {
    setDone(false);
    commands.clear();
    if (action === 'accept') finish(await commands.run(acceptIncident, { incidentId }));
    else if (action === 'verify') finish(await commands.run(verifyIncident, { incidentId }));
    else if (action === 'resume') finish(await commands.run(resumeIncident, { incidentId }));
    else if (action === 'archive') finish(await commands.run(archiveIncident, { incidentId }));
  };
  return (
    <Card withBorder data-testid="incident-actions">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('incident.page.actions')}
        </Title>
        {allowed.length === 0 && extra === undefined ? (
          <Text size="sm" c="dimmed">
            {t('incident.page.noActions')}
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
                {t(`incident.action.${action}`)}
              </Button>
            ))}
            {extra}
          </Group>
        )}
        {done && (
          <Text size="sm" c="green" role="status">
            {t('incident.action.done')}
          </Text>
        )}
        {open !== null && (
          <ActionForm
            key={open}
            action={open}
            state={state}
            commands={commands}
            places={places}
            others={others}
            onDone={finish}
            onCancel={() => setOpen(null)}
          />
        )}
        {open === null && <IncidentError error={commands.error} />}
      </Stack>
    </Card>
  );
}

interface FormProps {
  readonly action: IncidentActionKind;
  readonly state: IncidentState;
  readonly commands: IncidentCommands;
  readonly places: Places | undefined;
  readonly others: readonly ListedIncident[];
  readonly onDone: (value: unknown) => void;
  readonly onCancel: () => void;
}

/** The heads an event may be handed to, its own building's head first. */
function headsFor(places: Places | undefined, building: string | null) {
  const heads = places?.heads ?? [];
  return [...heads.filter((h) => h.buildingId === building), ...heads.filter((h) => h.buildingId !== building)];
}

function splitNames(text: string): string[] {
  return text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function ActionForm({ action, state, commands, places, others, onDone, onCancel }: FormProps) {
  const t = useT();
  const platform = usePlatform();
  const incidentId = state.base.id;
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [kind, setKind] = useState<AssigneeKind>('head');
  const [target, setTarget] = useState('');
  const [unit, setUnit] = useState('');
  const [cc, setCc] = useState('');
  const [escalateTo, setEscalateTo] = useState('');
  const [closure, setClosure] = useState<ClosureType>('substantive');
  const [procedural, setProcedural] = useState<ProceduralKind>('policy-answer');
  const [method, setMethod] = useState<VisitMethod>('phone');
  const [rating, setRating] = useState('4');
  const [comment, setComment] = useState('');
  const mergeable = others.filter((o) => o.state.base.id !== incidentId && isOpen(o.state));
  const [into, setInto] = useState(mergeable[0]?.state.base.id ?? '');
  const [link, setLink] = useState<LinkKind>('case');
  const [recordId, setRecordId] = useState('');
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [fileProblem, setFileProblem] = useState<string | null>(null);

  const addFile = async () => {
    setFileProblem(null);
    try {
      const picked = await pickAttachment(platform);
      if (picked.kind === 'too-big') setFileProblem(t('incident.report.fileTooBig', { name: picked.name }));
      if (picked.kind === 'picked') {
        setFiles((list) => [...list, { ...picked.file, name: picked.file.name.slice(0, 100) }]);
      }
    } catch (problem) {
      setFileProblem(problem instanceof Error ? problem.message : String(problem));
    }
  };

  /** The assignee chosen: a head or a grid of the registry (with its reference), or a unit by name. */
  const assignee = () => {
    if (kind === 'unit') return { kind, name: unit, ref: null };
    if (kind === 'head') {
      const head = places?.heads.find((h) => h.ref === target);
      return { kind, name: head?.name ?? '', ref: head?.ref ?? null };
    }
    const grid = places?.grids.find((g) => g.id === target);
    return { kind, name: grid?.name ?? '', ref: grid?.id ?? null };
  };

  const submitHandling = async () => {
    const refs: string[] = [];
    for (const file of files) {
      const ref = await commands.run((doc, ctx, i: StoreFileInput) => storeIncidentFile(doc, ctx, i), file);
      if (ref === null) return null;
      refs.push(ref);
    }
    return commands.run(recordHandling, { incidentId, note, attachments: refs });
  };

  const reasonField = (
    <Textarea
      label={t('incident.field.reason')}
      value={reason}
      onChange={(event) => setReason(event.currentTarget.value)}
      minRows={2}
      maxLength={500}
      withAsterisk
    />
  );
  const noteField = (
    <Textarea
      label={t('incident.field.note')}
      value={note}
      onChange={(event) => setNote(event.currentTarget.value)}
      minRows={3}
      maxLength={2000}
      withAsterisk
    />
  );

  const frame = (children: ReactNode, submit: () => Promise<unknown>) => (
    <form
      aria-label={t(`incident.action.${action}`)}
      data-testid="incident-action-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit().then(onDone);
      }}
    >
      <Stack gap="xs">
        {children}
        <IncidentError error={commands.error} />
        <Group gap="xs">
          <Button type="submit" size="xs" loading={commands.busy}>
            {t('incident.submit')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('incident.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );

  switch (action) {
    case 'reject':
      return frame(reasonField, () => commands.run(rejectIncident, { incidentId, reason }));
    case 'send-back':
      return frame(reasonField, () => commands.run(sendBackIncident, { incidentId, reason }));
    case 'refuse-verify':
      return frame(reasonField, () => commands.run(refuseIncidentClose, { incidentId, reason }));
    case 'suspend':
      return frame(reasonField, () => commands.run(suspendIncident, { incidentId, reason }));
    case 'assign':
      return frame(
        <>
          <NativeSelect
            label={t('incident.field.assigneeKind')}
            value={kind}
            onChange={(event) => {
              setKind(event.currentTarget.value as AssigneeKind);
              setTarget('');
            }}
            data={ASSIGNEE_KINDS.map((value) => ({ value, label: t(`incident.assignee.${value}`) }))}
          />
          {kind === 'unit' ? (
            <TextInput
              label={t('incident.field.toName')}
              value={unit}
              onChange={(event) => setUnit(event.currentTarget.value)}
              maxLength={80}
              withAsterisk
            />
          ) : (
            <NativeSelect
              label={t('incident.field.to')}
              value={target}
              onChange={(event) => setTarget(event.currentTarget.value)}
              withAsterisk
              data={[
                { value: '', label: t('incident.none') },
                ...(kind === 'head'
                  ? headsFor(places, state.base.place.building).map((h) => ({
                      value: h.ref,
                      label: `${h.post} · ${h.name}`,
                    }))
                  : (places?.grids ?? []).map((g) => ({ value: g.id, label: g.name }))),
              ]}
            />
          )}
          <TextInput
            label={t('incident.field.cc')}
            value={cc}
            onChange={(event) => setCc(event.currentTarget.value)}
            maxLength={400}
          />
        </>,
        () =>
          commands.run(assignIncident, {
            incidentId,
            to: assignee(),
            cc: splitNames(cc).map((name) => ({ kind: 'unit' as const, name, ref: null })),
          }),
      );
    case 'escalate':
      return frame(
        <>
          <TextInput
            label={t('incident.field.escalateTo')}
            value={escalateTo}
            onChange={(event) => setEscalateTo(event.currentTarget.value)}
            maxLength={80}
            withAsterisk
          />
          {reasonField}
        </>,
        () => commands.run(escalateIncident, { incidentId, to: escalateTo, reason }),
      );
    case 'handle':
      return frame(
        <>
          {noteField}
          <Stack gap={4}>
            <Text size="sm">{t('incident.field.attachments')}</Text>
            {files.map((file, i) => (
              <Group key={i} gap={4} data-testid="incident-handle-file">
                <Anchor size="sm" href={file.data} download={file.name}>
                  {file.name}
                </Anchor>
                <CloseButton
                  size="sm"
                  aria-label={t('incident.report.removeFile', { name: file.name })}
                  onClick={() => setFiles((list) => list.filter((_, j) => j !== i))}
                />
              </Group>
            ))}
            <Group>
              <Button size="xs" variant="default" disabled={files.length >= 20} onClick={() => void addFile()}>
                {t('incident.report.addFile')}
              </Button>
            </Group>
            {fileProblem !== null && (
              <Text size="sm" c="red" role="alert">
                {fileProblem}
              </Text>
            )}
          </Stack>
        </>,
        submitHandling,
      );
    case 'request-close':
      return frame(
        <>
          <NativeSelect
            label={t('incident.field.closure')}
            value={closure}
            onChange={(event) => setClosure(event.currentTarget.value as ClosureType)}
            data={CLOSURE_TYPES.map((value) => ({ value, label: t(`incident.closure.${value}`) }))}
          />
          {closure === 'procedural' && (
            <NativeSelect
              label={t('incident.field.procedural')}
              value={procedural}
              onChange={(event) => setProcedural(event.currentTarget.value as ProceduralKind)}
              data={PROCEDURAL_KINDS.map((value) => ({ value, label: t(`incident.procedural.${value}`) }))}
            />
          )}
          {noteField}
        </>,
        () =>
          commands.run(requestIncidentClose, {
            incidentId,
            closure,
            procedural: closure === 'procedural' ? procedural : null,
            note,
          }),
      );
    case 'visit':
      return frame(
        <>
          <NativeSelect
            label={t('incident.field.method')}
            value={method}
            onChange={(event) => setMethod(event.currentTarget.value as VisitMethod)}
            data={VISIT_METHODS.map((value) => ({ value, label: t(`incident.method.${value}`) }))}
          />
          <NativeSelect
            label={t('incident.field.rating')}
            value={rating}
            onChange={(event) => setRating(event.currentTarget.value)}
            data={[...RATINGS].reverse().map((value) => ({
              value: String(value),
              label: `${value} ${t(`incident.rating.${value}`)}`,
            }))}
          />
          <Textarea
            label={t('incident.field.comment')}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            minRows={2}
            maxLength={1000}
            withAsterisk={Number(rating) <= 2}
          />
        </>,
        () => commands.run(recordVisit, { incidentId, method, rating: Number(rating), comment }),
      );
    case 'merge':
      return frame(
        <>
          <NativeSelect
            label={t('incident.field.into')}
            value={into}
            onChange={(event) => setInto(event.currentTarget.value)}
            data={[
              { value: '', label: t('incident.none') },
              ...mergeable.map((o) => ({
                value: o.state.base.id,
                label: `${o.state.base.reportedOn} · ${o.state.base.title}`,
              })),
            ]}
          />
          {reasonField}
        </>,
        () => commands.run(mergeIncident, { incidentId, into, reason }),
      );
    case 'link':
      return frame(
        <>
          <NativeSelect
            label={t('incident.field.linkKind')}
            value={link}
            onChange={(event) => setLink(event.currentTarget.value as LinkKind)}
            data={LINK_KINDS.map((value) => ({ value, label: t(`incident.link.${value}`) }))}
          />
          <TextInput
            label={t('incident.field.recordId')}
            value={recordId}
            onChange={(event) => setRecordId(event.currentTarget.value)}
            maxLength={120}
            withAsterisk
          />
        </>,
        () => commands.run(linkIncident, { incidentId, link, recordId }),
      );
    case 'accept':
    case 'verify':
    case 'resume':
    case 'archive':
      return null;
  }
}
