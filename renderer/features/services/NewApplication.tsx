import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Radio,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type SyntheticEvent } from 'react';
import { useLocation } from 'wouter';
import { acceptApplication } from '@shared/domain/services/commands';
import { CHANNELS, type Channel } from '@shared/domain/services/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentSearch, useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { applicationHref, thisYear, useCatalogue, useServiceCommand } from './data';
import { ServiceError } from './ServiceErrorText';

interface Applicant {
  readonly name: string;
  readonly phone: string;
  /** The registry resident, once picked from the search. */
  readonly ref: string | null;
  readonly address: string;
}

/**
 * 新办件 at the window: the item of the catalogue (its promise, handler and materials checklist shown), the channel
 * (窗口 / 电话 / 上门代办 with the grid worker acting as agent), the resident found in the registry (or a name as
 * said) and the materials checked. Accepting needs every listed material: the form names the missing ones
 * (一次性告知) and keeps what was typed.
 */
export function NewApplication({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const [, navigate] = useLocation();
  const catalogue = useCatalogue(community);
  const year = thisYear();
  const command = useServiceCommand(community, year);
  const [itemId, setItemId] = useState('');
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [channel, setChannel] = useState<Channel>('window');
  const [agent, setAgent] = useState(store.user.userName);
  const [applicant, setApplicant] = useState<Applicant>({ name: '', phone: '', ref: null, address: '' });
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 80);
  const search = useResidentSearch(community, debounced, {}, 8);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const items = (catalogue ?? []).filter((item) => !item.withdrawn);
  const item = items.find((i) => i.id === itemId) ?? null;
  const missing = item === null ? [] : item.materials.filter((m) => !checked.has(m));

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    command.clear();
    if (item === null) {
      setProblem(t('service.new.chooseItem'));
      return;
    }
    if (applicant.name.trim() === '') {
      setProblem(t('service.new.needApplicant'));
      return;
    }
    if (missing.length > 0) {
      setProblem(t('service.new.missing', { materials: missing.join('、') }));
      return;
    }
    if (channel === 'door' && agent.trim() === '') {
      setProblem(t('service.new.needAgent'));
      return;
    }
    setProblem(null);
    const input = {
      community,
      itemId: item.id,
      applicant: { name: applicant.name, phone: applicant.phone, ref: applicant.ref },
      channel,
      agent:
        channel === 'door'
          ? { name: agent, ref: agent.trim() === store.user.userName ? store.user.userId : null }
          : null,
      note,
      // Kept with the application: what the window checked, as the item listed it today.
      materials: item.materials.filter((m) => checked.has(m)),
    };
    const done = await command.run((doc, ctx) => acceptApplication(doc, ctx, input));
    if (done !== null) navigate(applicationHref(year, done.value));
  };

  return (
    <Paper
      withBorder
      p="md"
      component="form"
      onSubmit={(e: SyntheticEvent) => void submit(e)}
      aria-labelledby="svc-new"
    >
      <Stack>
        <Title order={3} id="svc-new">
          {t('service.new.title')}
        </Title>
        {catalogue !== undefined && items.length === 0 && <Text c="dimmed">{t('service.new.noItems')}</Text>}
        <NativeSelect
          label={t('service.field.item')}
          value={itemId}
          required
          onChange={(e) => {
            setItemId(e.currentTarget.value);
            setChecked(new Set());
          }}
          data={[
            { value: '', label: t('service.new.pickItem') },
            ...items.map((i) => ({
              value: i.id,
              label: `${i.name}（${t(`service.kind.${i.kind}`)}，${t('service.days', { days: i.promiseDays })}）`,
            })),
          ]}
        />
        {item !== null && (
          <Stack gap={4} data-testid="service-item-info">
            <Text size="sm">
              {t('service.new.itemInfo', {
                department: item.department,
                days: item.promiseDays,
                handler: item.handler.name,
              })}
            </Text>
            {item.commitment !== '' && <Text size="sm">{t('service.new.commitment', { text: item.commitment })}</Text>}
            {item.materials.length > 0 ? (
              <Checkbox.Group
                label={t('service.field.materials')}
                description={t('service.new.materialsHint')}
                value={[...checked]}
                onChange={(value) => setChecked(new Set(value))}
              >
                <Stack gap={4} mt={4}>
                  {item.materials.map((m) => (
                    <Checkbox key={m} value={m} label={m} />
                  ))}
                </Stack>
              </Checkbox.Group>
            ) : (
              <Text size="sm" c="dimmed">
                {t('service.new.noMaterials')}
              </Text>
            )}
          </Stack>
        )}
        <Radio.Group label={t('service.field.channel')} value={channel} onChange={(value) => setChannel(value)}>
          <Group mt={4}>
            {CHANNELS.map((c) => (
              <Radio key={c} value={c} label={t(`service.channel.${c}`)} />
            ))}
          </Group>
        </Radio.Group>
        {channel === 'door' && (
          <TextInput
            label={t('service.field.agent')}
            description={t('service.new.agentHint')}
            value={agent}
            onChange={(e) => setAgent(e.currentTarget.value)}
            required
          />
        )}
        <Stack gap={4}>
          <TextInput
            label={t('service.new.search')}
            placeholder={t('service.new.searchHint')}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
          {debounced.trim() !== '' && search.hits.length === 0 && !search.loading && (
            <Text size="xs" c="dimmed">
              {t('service.new.noMatch')}
            </Text>
          )}
          {debounced.trim() !== '' && (
            <Group gap={4}>
              {search.hits.map(({ row }) => {
                const name = typeof row.record.name === 'string' ? row.record.name : '';
                const phone = typeof row.record.phone === 'string' ? row.record.phone : '';
                return (
                  <Button
                    key={row.id}
                    size="compact-xs"
                    variant="light"
                    data-testid="service-resident-hit"
                    onClick={() => {
                      setApplicant({ name, phone, ref: row.id, address: row.keys.address });
                      setQuery('');
                    }}
                  >
                    {t('service.new.pick', { name, address: row.keys.address })}
                  </Button>
                );
              })}
            </Group>
          )}
        </Stack>
        <Group grow align="start">
          <TextInput
            label={t('service.field.applicant')}
            description={
              applicant.ref !== null
                ? t('service.new.fromRegistry', { address: applicant.address })
                : t('service.new.notInRegistry')
            }
            value={applicant.name}
            required
            onChange={(e) => setApplicant({ ...applicant, name: e.currentTarget.value, ref: null, address: '' })}
          />
          <TextInput
            label={t('service.field.phone')}
            value={applicant.phone}
            onChange={(e) => setApplicant({ ...applicant, phone: e.currentTarget.value })}
          />
        </Group>
        <Textarea label={t('service.field.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <ServiceError text={problem} />
        <ServiceError error={command.error} />
        <Group>
          <Button type="submit" loading={command.busy}>
            {t('service.new.accept')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
