import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Account } from '../../data/vault';
import { useT } from '../../i18n';
import { useAccount } from './AccountContext';
import { AddAccountModal, ChangeOwnPassphrase, RemoveModal, ResetPassphraseModal, RoleModal } from './AccountForms';
import { ROLE_LABELS } from './labels';

/** The device's accounts, re-read after each change. */
function useAccounts(): [readonly Account[] | null, () => void] {
  const { vault } = useAccount();
  const [accounts, setAccounts] = useState<readonly Account[] | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void vault.accounts().then((list) => {
      if (live) setAccounts(list);
    });
    return () => {
      live = false;
    };
  }, [vault, version]);
  return [accounts, useCallback(() => setVersion((v) => v + 1), [])];
}

/**
 * 设置 → 账户: who may sign in on this device. An admin adds colleagues, re-enrols a forgotten passphrase, changes
 * roles and removes accounts (each behind a confirmation); everyone sees their own account and changes their own
 * passphrase. There is no other way back into a forgotten passphrase, and the card says so.
 */
export function AccountsCard() {
  const t = useT();
  const { account: me } = useAccount();
  const admin = me.role === 'admin';
  const [accounts, reload] = useAccounts();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [changingRole, setChangingRole] = useState<Account | null>(null);
  const [removing, setRemoving] = useState<Account | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const listed = admin ? (accounts ?? []) : (accounts ?? []).filter((account) => account.id === me.id);

  return (
    <Card withBorder aria-labelledby="settings-accounts">
      <Title order={3} size="h4" mb="sm" id="settings-accounts">
        {t('account.settings.title')}
      </Title>
      <Stack gap="md">
        <Text size="sm" data-testid="account-current">
          {t('account.settings.current', { name: me.name, role: t(ROLE_LABELS[me.role]) })}
        </Text>
        <Alert color="yellow" title={t('account.noRecovery.title')} role="note">
          {admin ? t('account.settings.noRecoveryAdmin') : t('account.settings.noRecoveryUser')}
        </Alert>
        {notice !== null && (
          <Alert
            color="teal"
            role="status"
            withCloseButton
            onClose={() => setNotice(null)}
            closeButtonLabel={t('account.close')}
          >
            {notice}
          </Alert>
        )}
        {accounts === null ? (
          <Text c="dimmed">{t('settings.loading')}</Text>
        ) : (
          <Table data-testid="account-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('account.field.name')}</Table.Th>
                <Table.Th>{t('account.field.role')}</Table.Th>
                <Table.Th>{t('account.field.source')}</Table.Th>
                {admin && <Table.Th>{t('account.field.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {listed.map((account) => (
                <Table.Tr key={account.id} data-testid="account-row">
                  <Table.Td>
                    {account.name}
                    {account.id === me.id && (
                      <Badge ml="xs" size="sm" variant="light">
                        {t('account.settings.you')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(ROLE_LABELS[account.role])}</Table.Td>
                  <Table.Td>{t(account.source === 'token' ? 'account.source.token' : 'account.source.local')}</Table.Td>
                  {admin && (
                    <Table.Td>
                      {account.id === me.id ? (
                        <Text size="xs" c="dimmed">
                          {t('account.settings.notYourself')}
                        </Text>
                      ) : (
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="compact-xs"
                            variant="light"
                            onClick={() => setResetting(account)}
                            aria-label={t('account.reset.for', { name: account.name })}
                          >
                            {t('account.reset.submit')}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="light"
                            onClick={() => setChangingRole(account)}
                            aria-label={t('account.role.for', { name: account.name })}
                          >
                            {t('account.role.submit')}
                          </Button>
                          <Button
                            size="compact-xs"
                            variant="light"
                            color="red"
                            onClick={() => setRemoving(account)}
                            aria-label={t('account.remove.for', { name: account.name })}
                          >
                            {t('account.remove.submit')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {admin && (
          <Group>
            <Button variant="light" onClick={() => setAdding(true)}>
              {t('account.add.title')}
            </Button>
          </Group>
        )}
        <ChangeOwnPassphrase />
      </Stack>
      {admin && (
        <>
          <AddAccountModal
            opened={adding}
            onClose={() => setAdding(false)}
            onAdded={(account) => {
              setNotice(t('account.add.done', { name: account.name }));
              reload();
            }}
          />
          <ResetPassphraseModal
            target={resetting}
            onClose={() => setResetting(null)}
            onDone={(account) => {
              setNotice(t('account.reset.done', { name: account.name }));
              reload();
            }}
          />
          <RoleModal
            target={changingRole}
            onClose={() => setChangingRole(null)}
            onDone={(account) => {
              setNotice(t('account.role.done', { name: account.name, role: t(ROLE_LABELS[account.role]) }));
              reload();
            }}
          />
          <RemoveModal
            target={removing}
            onClose={() => setRemoving(null)}
            onDone={(account) => {
              setNotice(t('account.remove.done', { name: account.name }));
              reload();
            }}
          />
        </>
      )}
    </Card>
  );
}
