import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Account, AccountRole } from '../../data/vault';
import { useT } from '../../i18n';
import { useSync } from '../../sync/react';
import { useAccount } from './AccountContext';
import { AddAccountModal } from './AccountForms';
import { ROLE_LABELS } from './labels';

const DISMISSED_KEY = 'cgw.token-account-dismissed';

function dismissedKey(server: string, user: string): string {
  return `${server}\n${user}`;
}

function dismissals(): string[] {
  try {
    const list = JSON.parse(globalThis.localStorage.getItem(DISMISSED_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function isDismissed(server: string, user: string): boolean {
  return dismissals().includes(dismissedKey(server, user));
}

function dismiss(server: string, user: string): void {
  try {
    const next = [...dismissals(), dismissedKey(server, user)].slice(-20);
    globalThis.localStorage.setItem(DISMISSED_KEY, JSON.stringify(next));
  } catch {
    // Storage unavailable: asked again next time.
  }
}

/**
 * After this device joined a sync server, the token's user becomes a local account in two steps (docs/accounts.md):
 * the admin who joined sees "create an account for <user>?", and types a first passphrase for them (the name and role
 * come from the token; the role can be changed later in 设置 → 账户). Nothing is created without the admin, and
 * the admin can say no (remembered on this device for that server and user). Shown only to admins, and only while
 * no account of that name exists.
 */
export function TokenAccountOffer() {
  const t = useT();
  const sync = useSync();
  const { vault, account } = useAccount();
  const [accounts, setAccounts] = useState<readonly Account[] | null>(null);
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  // "No thanks" is kept in localStorage; this re-renders after it.
  const [, setDismissals] = useState(0);
  const admin = account.role === 'admin';
  const user = sync.user?.trim() ?? '';
  const server = sync.server ?? '';
  const declined = isDismissed(server, user);
  /** Whether there is anything to ask at all (before reading the accounts). */
  const askable = admin && sync.joined && user !== '' && !declined;

  useEffect(() => {
    if (!askable) return;
    let live = true;
    void vault.accounts().then((list) => {
      if (live) setAccounts(list);
    });
    return () => {
      live = false;
    };
  }, [vault, askable, version]);

  if (created !== null) {
    return (
      <Alert
        color="teal"
        mb="md"
        role="status"
        withCloseButton
        onClose={() => setCreated(null)}
        closeButtonLabel={t('account.close')}
      >
        {t('account.token.created', { name: created })}
      </Alert>
    );
  }
  if (!askable || accounts === null || accounts.some((a) => a.name === user)) return null;
  const role: AccountRole = sync.role ?? 'editor';
  return (
    <Alert color="blue" mb="md" title={t('account.token.title')} role="region" data-testid="token-account-offer">
      <Text size="sm">{t('account.token.body', { name: user, role: t(ROLE_LABELS[role]) })}</Text>
      <Group mt="sm">
        <Button size="xs" onClick={() => setCreating(true)}>
          {t('account.token.create', { name: user })}
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            dismiss(server, user);
            setDismissals((n) => n + 1);
          }}
        >
          {t('account.token.no')}
        </Button>
      </Group>
      <AddAccountModal
        key={`${server}\n${user}`}
        opened={creating}
        onClose={() => setCreating(false)}
        onAdded={(added) => {
          setCreated(added.name);
          setVersion((v) => v + 1);
        }}
        preset={{ name: user, role, source: 'token' }}
      />
    </Alert>
  );
}
