import { Alert, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ROLES, type Role } from '@shared/sync/protocol';
import { useCommunities, useStore } from '../../data/hooks';
import { grantRole, readKeptRoles, type KeptRole } from '../../data/roles';
import { useT } from '../../i18n';
import { formatTime, ROLE_LABELS } from './labels';
import { useRolesVersion } from './useRole';

/**
 * 本机各社区的权限: the role each community on this device was received with (data/roles.ts), where it came from, and
 * for an admin of the device the way to change it (a viewer's community lifted to editor, say). Shown on the sync
 * page; the settings screen may show it too.
 */
export function KeptRolesCard() {
  const t = useT();
  const store = useStore();
  const communities = useCommunities();
  const version = useRolesVersion();
  const [kept, setKept] = useState<ReadonlyMap<string, KeptRole> | null>(null);
  const [chosen, setChosen] = useState<Readonly<Record<string, Role>>>({});
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const mayGrant = store.mayGrantRoles();

  useEffect(() => {
    let live = true;
    void readKeptRoles(store.db).then((roles) => {
      if (live) setKept(roles);
    });
    return () => {
      live = false;
    };
  }, [store, version]);

  if (!communities || communities.length === 0) return null;

  const grant = async (id: string, name: string) => {
    const role = chosen[id];
    if (role === undefined) return;
    const result = await grantRole(store, id, role);
    setNotice(
      result.ok
        ? { ok: true, text: t('syncui.roles.done', { name, role: t(ROLE_LABELS[role]) }) }
        : { ok: false, text: t('syncui.roles.adminOnly') },
    );
  };

  const source = (role: KeptRole | undefined): string => {
    if (role === undefined) return '';
    const time = formatTime(t, role.at === 0 ? null : role.at);
    return role.source === 'grant'
      ? t('syncui.roles.granted', { name: role.by?.userName ?? '', time })
      : t('syncui.roles.fromToken', { time });
  };

  return (
    <Card withBorder aria-labelledby="sync-roles-title" data-testid="kept-roles">
      <Stack>
        <Title order={3} size="h4" id="sync-roles-title">
          {t('syncui.roles.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('syncui.roles.hint')}
        </Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('syncui.roles.community')}</Table.Th>
              <Table.Th>{t('syncui.roles.role')}</Table.Th>
              <Table.Th>{t('syncui.roles.source')}</Table.Th>
              {mayGrant && <Table.Th>{t('syncui.roles.changeColumn')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {communities.map((row) => {
              const role = kept?.get(row.id);
              return (
                <Table.Tr key={row.id} data-testid="kept-role" data-community={row.id} data-role={role?.role ?? ''}>
                  <Table.Td>{row.name}</Table.Td>
                  <Table.Td>{role ? t(ROLE_LABELS[role.role]) : t('syncui.roles.none')}</Table.Td>
                  <Table.Td>{source(role)}</Table.Td>
                  {mayGrant && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Select
                          aria-label={t('syncui.roles.change', { name: row.name })}
                          data={ROLES.map((value) => ({ value, label: t(ROLE_LABELS[value]) }))}
                          value={chosen[row.id] ?? role?.role ?? null}
                          onChange={(value) => {
                            const next = ROLES.find((candidate) => candidate === value);
                            if (next) setChosen({ ...chosen, [row.id]: next });
                          }}
                          allowDeselect={false}
                          w={120}
                          size="xs"
                        />
                        <Button
                          size="xs"
                          variant="light"
                          disabled={chosen[row.id] === undefined || chosen[row.id] === role?.role}
                          onClick={() => void grant(row.id, row.name)}
                        >
                          {t('syncui.roles.grant')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {!mayGrant && (
          <Text size="sm" c="dimmed">
            {t('syncui.roles.adminOnly')}
          </Text>
        )}
        {notice && (
          <Alert color={notice.ok ? 'green' : 'red'} role="status" data-testid="kept-roles-notice">
            {notice.text}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
