import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'wouter';
import {
  callBackApplication,
  completeApplication,
  rateApplication,
  rectifyApplication,
  refuseApplication,
  transferApplication,
} from '@shared/domain/services/commands';
import { BAD_AT_MOST, FIX_WORKDAYS, type ApplicationState } from '@shared/domain/services/state';
import type { ApplicationStep } from '@shared/domain/services/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT, type Translate } from '../../i18n';
import {
  offeredSteps,
  useServicesCalendar,
  today as todayOf,
  useApplication,
  useServiceCommand,
  type ServiceCall,
  type StepType,
} from './data';
import { fixText, gradeText, promiseText, STATUS_COLORS } from './labels';
import { ServiceError } from './ServiceErrorText';

function stepDetail(t: Translate, step: ApplicationStep): string {
  switch (step.type) {
    case 'done':
      return t('service.step.doneDetail', { result: step.result, days: step.workdaysTaken });
    case 'refused':
      return step.reason;
    case 'transferred':
      return t('service.step.transferredDetail', { to: step.to, reason: step.reason });
    case 'rated':
      return step.comment === '' ? gradeText(t, step.rating) : `${gradeText(t, step.rating)}：${step.comment}`;
    case 'rectified':
    case 'called-back':
      return step.note;
  }
}

type Run = ReturnType<typeof useServiceCommand>;

/** One step's form: what it asks for, worded; the command's refusal beside it. */
function StepForm({ type, state, command }: { type: StepType; state: ApplicationState; command: Run }) {
  const t = useT();
  const [words, setWords] = useState('');
  const [to, setTo] = useState('');
  const [rating, setRating] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const applicationId = state.base.id;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    command.clear();
    setProblem(null);
    const grade = Number(rating);
    if (type === 'rated' && rating === '') {
      setProblem(t('service.rate.pick'));
      return;
    }
    if (type === 'rated' && grade <= BAD_AT_MOST && words.trim() === '') {
      setProblem(t('service.rate.needWords'));
      return;
    }
    if (type !== 'rated' && words.trim() === '') {
      setProblem(t('service.step.needWords'));
      return;
    }
    if (type === 'transferred' && to.trim() === '') {
      setProblem(t('service.step.needTo'));
      return;
    }
    const calls: Record<StepType, ServiceCall<unknown>> = {
      done: (doc, ctx, env) => completeApplication(doc, ctx, { applicationId, result: words }, env),
      refused: (doc, ctx, env) => refuseApplication(doc, ctx, { applicationId, reason: words }, env),
      transferred: (doc, ctx, env) => transferApplication(doc, ctx, { applicationId, to, reason: words }, env),
      rated: (doc, ctx, env) => rateApplication(doc, ctx, { applicationId, rating: grade, comment: words }, env),
      rectified: (doc, ctx, env) => rectifyApplication(doc, ctx, { applicationId, note: words }, env),
      'called-back': (doc, ctx, env) => callBackApplication(doc, ctx, { applicationId, note: words }, env),
    };
    const done = await command.run(calls[type]);
    if (done !== null) {
      setWords('');
      setTo('');
      setRating('');
    }
  };
  const wordsLabel = t(`service.stepWords.${type}`);
  return (
    <Card
      withBorder
      component="form"
      onSubmit={(e: SyntheticEvent) => void submit(e)}
      data-testid={`service-form-${type}`}
    >
      <Stack gap="xs">
        <Title order={4} size="h6">
          {t(`service.action.${type}`)}
        </Title>
        {type === 'rated' && (
          <Radio.Group label={t('service.field.rating')} value={rating} onChange={setRating}>
            <Group mt={4}>
              {[5, 4, 3, 2, 1].map((r) => (
                <Radio key={r} value={String(r)} label={gradeText(t, r)} />
              ))}
            </Group>
          </Radio.Group>
        )}
        {type === 'rated' && (
          <Text size="xs" c="dimmed">
            {t('service.rate.hint', { days: FIX_WORKDAYS })}
          </Text>
        )}
        {type === 'transferred' && (
          <TextInput label={t('service.field.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        )}
        <Textarea label={wordsLabel} value={words} onChange={(e) => setWords(e.currentTarget.value)} autosize />
        <ServiceError text={problem} />
        <Group>
          <Button type="submit" size="xs" loading={command.busy}>
            {t(`service.action.${type}`)}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/**
 * An application's page: what was accepted, its promise in working days, its steps (accepted → done / refused /
 * transferred), the 好差评 and, after a 差评, the fix due within 15 working days and the return call; one form per step
 * the fold would take now.
 */
export function ApplicationPage({
  community,
  year,
  id,
  edit,
}: {
  community: CommunityId;
  year: number;
  id: string;
  edit: boolean;
}) {
  const t = useT();
  const state = useApplication(community, year, id);
  const command = useServiceCommand(community, year);
  const calendar = useServicesCalendar(community);
  const today = todayOf();
  if (state === undefined) return <Text c="dimmed">{t('service.loading')}</Text>;
  if (state === null) {
    return (
      <Alert color="yellow">
        {t('service.page.missing')}{' '}
        <Anchor component={Link} href="/">
          {t('service.page.back')}
        </Anchor>
      </Alert>
    );
  }
  const { base } = state;
  const promise = promiseText(t, state, calendar, today);
  const fix = fixText(t, state, calendar, today);
  const offered = edit ? offeredSteps(state, today) : [];
  return (
    <Stack>
      <Group>
        <Anchor component={Link} href="/">
          {t('service.page.back')}
        </Anchor>
      </Group>
      <Group>
        <Title order={3}>{base.itemName}</Title>
        <Badge color={STATUS_COLORS[state.status]} data-testid="service-status">
          {t(`service.status.${state.status}`)}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs">
        <Text size="sm">{t('service.page.applicant', { name: base.applicant.name, phone: base.applicant.phone })}</Text>
        <Text size="sm">
          {t('service.page.channel', {
            channel: t(`service.channel.${base.channel}`),
            agent: base.agent?.name ?? '',
          })}
        </Text>
        <Text size="sm">{t('service.page.accepted', { on: base.acceptedOn, by: base.acceptedBy.userName })}</Text>
        <Text size="sm">{t('service.page.promise', { days: base.promiseDays, due: promise.due })}</Text>
        <Text size="sm" c={promise.over ? 'red' : undefined} data-testid="service-promise">
          {promise.text}
          {promise.uncovered ? ` ${t('service.uncovered')}` : ''}
        </Text>
        {base.note !== '' && <Text size="sm">{t('service.page.note', { note: base.note })}</Text>}
        {(base.materials ?? []).length > 0 && (
          <Text size="sm" data-testid="service-materials">
            {t('service.page.materials', { materials: (base.materials ?? []).join(t('service.page.materialsJoin')) })}
          </Text>
        )}
      </SimpleGrid>
      {state.fix !== null && fix !== null && (
        <Alert color={fix.over ? 'red' : 'orange'} data-testid="service-fix" title={t('service.fix.title')}>
          <Stack gap={2}>
            <Text size="sm">{t('service.fix.rated', { on: state.fix.ratedOn, due: fix.due, days: FIX_WORKDAYS })}</Text>
            <Text size="sm">
              {state.fix.fixedOn === null
                ? t('service.fix.notFixed', { left: fix.text })
                : t('service.fix.fixed', { on: state.fix.fixedOn })}
            </Text>
            <Text size="sm">
              {state.fix.calledBackOn === null
                ? t('service.fix.notCalled')
                : t('service.fix.called', { on: state.fix.calledBackOn })}
            </Text>
          </Stack>
        </Alert>
      )}
      <Card withBorder>
        <Title order={4} size="h6" mb="xs">
          {t('service.page.steps')}
        </Title>
        <Timeline bulletSize={14} lineWidth={2} active={state.history.length}>
          <Timeline.Item title={t('service.step.accepted')}>
            <Text size="xs" c="dimmed">
              {base.acceptedOn} · {base.acceptedBy.userName}
            </Text>
          </Timeline.Item>
          {state.history.map((step) => (
            <Timeline.Item key={step.id} title={t(`service.step.${step.type}`)}>
              <Text size="sm">{stepDetail(t, step)}</Text>
              <Text size="xs" c="dimmed">
                {step.on} · {step.by.userName}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
        {state.ignored.length > 0 && (
          <Alert color="gray" mt="sm" title={t('service.page.ignored')}>
            {state.ignored.map((step) => (
              <Text size="xs" key={step.id}>
                {step.on} · {step.by.userName} · {t(`service.step.${step.type}`)}：{stepDetail(t, step)}
              </Text>
            ))}
          </Alert>
        )}
      </Card>
      {edit && offered.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('service.page.nothingToDo')}
        </Text>
      )}
      {!edit && (
        <Text size="sm" c="dimmed">
          {t('service.page.readOnly')}
        </Text>
      )}
      <ServiceError error={command.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {offered.map((type) => (
          <StepForm key={type} type={type} state={state} command={command} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
