import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { saveServiceItem } from '@shared/domain/services/commands';
import { ITEM_KINDS, type ItemKind, type ServiceItem } from '@shared/domain/services/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT } from '../../i18n';
import { thisYear, useCatalogue, useServiceCommand } from './data';
import { ServiceError } from './ServiceErrorText';

interface Draft {
  readonly id: string;
  readonly name: string;
  readonly kind: ItemKind;
  readonly department: string;
  readonly promiseDays: number | string;
  readonly materials: string;
  readonly handler: string;
  readonly commitment: string;
  readonly withdrawn: boolean;
}

const EMPTY: Omit<Draft, 'id'> = {
  name: '',
  kind: 'government',
  department: '',
  promiseDays: 5,
  materials: '',
  handler: '',
  commitment: '',
  withdrawn: false,
};

function draftOf(item: ServiceItem): Draft {
  return {
    id: item.id,
    name: item.name,
    kind: item.kind,
    department: item.department,
    promiseDays: item.promiseDays,
    materials: item.materials.join('\n'),
    handler: item.handler.name,
    commitment: item.commitment,
    withdrawn: item.withdrawn,
  };
}

function newId(): string {
  return `svc-${crypto.randomUUID()}`;
}

/** The item's form (new or changed); the command checks every field again and its refusal is shown here. */
function ItemForm({ community, draft, onDone }: { community: CommunityId; draft: Draft; onDone: () => void }) {
  const t = useT();
  const command = useServiceCommand(community, thisYear());
  const [d, setD] = useState(draft);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const materials = d.materials
      .split(/\n|；|;/)
      .map((m) => m.trim())
      .filter((m) => m !== '');
    const input = {
      id: d.id,
      name: d.name,
      kind: d.kind,
      department: d.department,
      promiseDays: typeof d.promiseDays === 'number' ? d.promiseDays : Number(d.promiseDays),
      materials,
      handler: { name: d.handler, ref: null },
      commitment: d.commitment,
      withdrawn: d.withdrawn,
    };
    const done = await command.run((doc, ctx) => saveServiceItem(doc, ctx, input));
    if (done !== null) onDone();
  };
  return (
    <Card withBorder component="form" onSubmit={(e: SyntheticEvent) => void submit(e)} data-testid="service-item-form">
      <Stack gap="xs">
        <Group grow align="start">
          <TextInput
            label={t('service.field.name')}
            value={d.name}
            onChange={(e) => setD({ ...d, name: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('service.field.kind')}
            value={d.kind}
            onChange={(e) => setD({ ...d, kind: e.currentTarget.value as ItemKind })}
            data={ITEM_KINDS.map((k) => ({ value: k, label: t(`service.kind.${k}`) }))}
          />
        </Group>
        <Group grow align="start">
          <TextInput
            label={d.kind === 'third-party' ? t('service.field.provider') : t('service.field.department')}
            value={d.department}
            onChange={(e) => setD({ ...d, department: e.currentTarget.value })}
          />
          <NumberInput
            label={t('service.field.promiseDays')}
            min={1}
            max={90}
            value={d.promiseDays}
            onChange={(value) => setD({ ...d, promiseDays: value })}
          />
          <TextInput
            label={t('service.field.handler')}
            value={d.handler}
            onChange={(e) => setD({ ...d, handler: e.currentTarget.value })}
          />
        </Group>
        <Textarea
          label={t('service.field.materials')}
          description={t('service.catalogue.materialsHint')}
          value={d.materials}
          autosize
          minRows={2}
          onChange={(e) => setD({ ...d, materials: e.currentTarget.value })}
        />
        <Textarea
          label={t('service.field.commitment')}
          description={t('service.catalogue.commitmentHint')}
          value={d.commitment}
          autosize
          onChange={(e) => setD({ ...d, commitment: e.currentTarget.value })}
        />
        <Checkbox
          label={t('service.catalogue.withdrawn')}
          checked={d.withdrawn}
          onChange={(e) => setD({ ...d, withdrawn: e.currentTarget.checked })}
        />
        <ServiceError error={command.error} />
        <Group>
          <Button type="submit" size="xs" loading={command.busy}>
            {t('service.catalogue.save')}
          </Button>
          <Button variant="default" size="xs" onClick={onDone}>
            {t('service.catalogue.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/**
 * 服务目录: the service items (承诺时限 in working days, materials, handler) and the third-party 一键呼叫 services
 * (provider and 服务承诺). Kept by the office's admin (the command's permission); an item is withdrawn, never deleted.
 */
export function Catalogue({ community, admin }: { community: CommunityId; admin: boolean }) {
  const t = useT();
  const catalogue = useCatalogue(community);
  const [editing, setEditing] = useState<Draft | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>{t('service.catalogue.title')}</Title>
        {admin && editing === null && (
          <Button size="xs" onClick={() => setEditing({ id: newId(), ...EMPTY })}>
            {t('service.catalogue.add')}
          </Button>
        )}
      </Group>
      {!admin && (
        <Text size="sm" c="dimmed">
          {t('service.catalogue.adminOnly')}
        </Text>
      )}
      {editing !== null && (
        <ItemForm key={editing.id} community={community} draft={editing} onDone={() => setEditing(null)} />
      )}
      {catalogue === undefined ? (
        <Text c="dimmed">{t('service.loading')}</Text>
      ) : catalogue.length === 0 ? (
        <Text c="dimmed">{t('service.catalogue.empty')}</Text>
      ) : (
        <ScrollArea>
          <Table striped withTableBorder fz="sm" data-testid="service-catalogue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('service.field.name')}</Table.Th>
                <Table.Th>{t('service.field.kind')}</Table.Th>
                <Table.Th>{t('service.field.department')}</Table.Th>
                <Table.Th>{t('service.field.promiseDays')}</Table.Th>
                <Table.Th>{t('service.field.materials')}</Table.Th>
                <Table.Th>{t('service.field.handler')}</Table.Th>
                <Table.Th>{t('service.field.commitment')}</Table.Th>
                {admin && <Table.Th>{t('service.catalogue.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {catalogue.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    {item.name}{' '}
                    {item.withdrawn && (
                      <Badge size="xs" color="gray">
                        {t('service.catalogue.withdrawnBadge')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`service.kind.${item.kind}`)}</Table.Td>
                  <Table.Td>{item.department}</Table.Td>
                  <Table.Td>{t('service.days', { days: item.promiseDays })}</Table.Td>
                  <Table.Td>{item.materials.join('、')}</Table.Td>
                  <Table.Td>{item.handler.name}</Table.Td>
                  <Table.Td>{item.commitment}</Table.Td>
                  {admin && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="light"
                        aria-label={t('service.catalogue.editItem', { name: item.name })}
                        onClick={() => setEditing(draftOf(item))}
                      >
                        {t('service.catalogue.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}
