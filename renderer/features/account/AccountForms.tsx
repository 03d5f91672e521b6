import { Alert, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import {
  ACCOUNT_ROLES,
  MIN_PASSPHRASE_LENGTH,
  type Account,
  type AccountRole,
  type AccountSource,
  type VaultResult,
} from '../../data/vault';
import { useT, type Translate } from '../../i18n';
import { useAccount } from './AccountContext';
import { ROLE_LABELS, VAULT_ERRORS } from './labels';
import { EMPTY_PAIR, PassphrasePair, pairProblem } from './PassphrasePair';

function vaultMessage(t: Translate, result: VaultResult<unknown>): string | null {
  if (result.ok) return null;
  return t(VAULT_ERRORS[result.error.code], { min: MIN_PASSPHRASE_LENGTH });
}

/** Runs a vault operation with a busy flag and its error as text. */
function useVaultAction() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** The value wrapped (`{ value }`, the value may be `null`), or `null` when it failed (the problem is shown). */
  const run = async <T,>(work: () => Promise<VaultResult<T>>): Promise<{ readonly value: T } | null> => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await work();
      if (result.ok) return { value: result.value };
      setProblem(vaultMessage(t, result));
      return null;
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, setProblem, run };
}

function Problem({ text }: { text: string | null }) {
  if (text === null) return null;
  return (
    <Alert color="red" role="alert">
      {text}
    </Alert>
  );
}

export interface AccountPreset {
  readonly name: string;
  readonly role: AccountRole;
  readonly source: AccountSource;
}

/**
 * 添加账户 (admin): a colleague's name, role and a first passphrase, typed twice. The admin tells the colleague the
 * passphrase in person; the colleague changes it after signing in. With a `preset` (a sync token's user), the name and
 * role come from the token and are shown, not typed.
 */
export function AddAccountModal({
  opened,
  onClose,
  onAdded,
  preset,
}: {
  opened: boolean;
  onClose: () => void;
  onAdded: (account: Account) => void;
  preset?: AccountPreset;
}) {
  const t = useT();
  const { vault, session } = useAccount();
  const [name, setName] = useState(preset?.name ?? '');
  const [role, setRole] = useState<AccountRole>(preset?.role ?? 'editor');
  const [pair, setPair] = useState(EMPTY_PAIR);
  const { busy, problem, setProblem, run } = useVaultAction();

  const close = () => {
    setName(preset?.name ?? '');
    setRole(preset?.role ?? 'editor');
    setPair(EMPTY_PAIR);
    setProblem(null);
    onClose();
  };

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const local = name.trim() === '' ? 'account.error.name-required' : pairProblem(pair);
    if (local !== null) {
      setProblem(t(local, { min: MIN_PASSPHRASE_LENGTH }));
      return;
    }
    const added = await run(() =>
      vault.addAccount(session, { name, role, passphrase: pair.first, source: preset?.source ?? 'local' }),
    );
    if (added !== null) {
      onAdded(added.value);
      close();
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('account.add.title')} centered>
      <form onSubmit={(event) => void submit(event)} aria-label={t('account.add.title')} noValidate>
        <Stack gap="md">
          {preset ? (
            <Text size="sm" data-testid="account-preset">
              {t('account.add.fromToken', { name: preset.name, role: t(ROLE_LABELS[preset.role]) })}
            </Text>
          ) : (
            <>
              <TextInput
                label={t('account.field.name')}
                description={t('account.field.nameHint')}
                required
                data-autofocus
                value={name}
                onChange={(event) => setName(event.currentTarget.value)}
              />
              <NativeSelect
                label={t('account.field.role')}
                description={t('account.field.roleHint')}
                value={role}
                onChange={(event) => setRole(event.currentTarget.value as AccountRole)}
                data={ACCOUNT_ROLES.map((value) => ({ value, label: t(ROLE_LABELS[value]) }))}
              />
            </>
          )}
          <PassphrasePair
            value={pair}
            onChange={setPair}
            disabled={busy}
            labels={{ first: 'account.passphrase.initial', second: 'account.passphrase.again' }}
          />
          <Text size="xs" c="dimmed">
            {t('account.add.tellInPerson')}
          </Text>
          <Problem text={problem} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('account.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('account.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** 重设口令 (admin): the forgotten passphrase of a colleague is replaced; the old one stops working. */
export function ResetPassphraseModal({
  target,
  onClose,
  onDone,
}: {
  target: Account | null;
  onClose: () => void;
  onDone: (account: Account) => void;
}) {
  const t = useT();
  const { vault, session } = useAccount();
  const [pair, setPair] = useState(EMPTY_PAIR);
  const { busy, problem, setProblem, run } = useVaultAction();
  const close = () => {
    setPair(EMPTY_PAIR);
    setProblem(null);
    onClose();
  };
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (target === null) return;
    const local = pairProblem(pair);
    if (local !== null) {
      setProblem(t(local, { min: MIN_PASSPHRASE_LENGTH }));
      return;
    }
    const done = await run(() => vault.resetPassphrase(session, target.id, pair.first));
    if (done !== null) {
      onDone(done.value);
      close();
    }
  };
  return (
    <Modal
      opened={target !== null}
      onClose={close}
      title={t('account.reset.title', { name: target?.name ?? '' })}
      centered
    >
      <form onSubmit={(event) => void submit(event)} aria-label={t('account.reset.submit')} noValidate>
        <Stack gap="md">
          <Text size="sm">{t('account.reset.body', { name: target?.name ?? '' })}</Text>
          <PassphrasePair value={pair} onChange={setPair} disabled={busy} />
          <Problem text={problem} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('account.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={busy}>
              {t('account.reset.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** 更改角色 (admin). The last admin of the device keeps the role (the vault refuses, and says so). */
export function RoleModal({
  target,
  onClose,
  onDone,
}: {
  target: Account | null;
  onClose: () => void;
  onDone: (account: Account) => void;
}) {
  const t = useT();
  const { vault, session } = useAccount();
  const [role, setRole] = useState<AccountRole | null>(null);
  const { busy, problem, setProblem, run } = useVaultAction();
  const chosen = role ?? target?.role ?? 'editor';
  const close = () => {
    setRole(null);
    setProblem(null);
    onClose();
  };
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (target === null) return;
    const done = await run(() => vault.setRole(session, target.id, chosen));
    if (done !== null) {
      onDone(done.value);
      close();
    }
  };
  return (
    <Modal
      opened={target !== null}
      onClose={close}
      title={t('account.role.title', { name: target?.name ?? '' })}
      centered
    >
      <form onSubmit={(event) => void submit(event)} aria-label={t('account.role.submit')} noValidate>
        <Stack gap="md">
          <NativeSelect
            label={t('account.field.role')}
            description={t('account.field.roleHint')}
            data-autofocus
            value={chosen}
            onChange={(event) => setRole(event.currentTarget.value as AccountRole)}
            data={ACCOUNT_ROLES.map((value) => ({ value, label: t(ROLE_LABELS[value]) }))}
          />
          <Problem text={problem} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('account.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={target !== null && chosen === target.role}>
              {t('account.role.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** 删除账户 (admin), after a confirmation that says what it means. */
export function RemoveModal({
  target,
  onClose,
  onDone,
}: {
  target: Account | null;
  onClose: () => void;
  onDone: (account: Account) => void;
}) {
  const t = useT();
  const { vault, session } = useAccount();
  const { busy, problem, setProblem, run } = useVaultAction();
  const close = () => {
    setProblem(null);
    onClose();
  };
  const confirm = async () => {
    if (target === null) return;
    const done = await run(() => vault.removeAccount(session, target.id));
    if (done !== null) {
      onDone(target);
      close();
    }
  };
  return (
    <Modal
      opened={target !== null}
      onClose={close}
      title={t('account.remove.title', { name: target?.name ?? '' })}
      centered
    >
      <Stack gap="md">
        <Text size="sm">{t('account.remove.body', { name: target?.name ?? '' })}</Text>
        <Problem text={problem} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-autofocus>
            {t('account.cancel')}
          </Button>
          <Button color="red" loading={busy} onClick={() => void confirm()}>
            {t('account.remove.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * 修改我的口令: anyone, for their own account. The current passphrase is asked first, so that someone passing an
 * unlocked desk cannot take the account over.
 */
export function ChangeOwnPassphrase() {
  const t = useT();
  const { vault, session, account } = useAccount();
  const [current, setCurrent] = useState('');
  const [pair, setPair] = useState(EMPTY_PAIR);
  const [done, setDone] = useState(false);
  const { busy, problem, setProblem, run } = useVaultAction();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setDone(false);
    const local = pairProblem(pair);
    if (local !== null) {
      setProblem(t(local, { min: MIN_PASSPHRASE_LENGTH }));
      return;
    }
    const changed = await run(async () => {
      const check = await vault.signIn(account.id, current);
      if (!check.ok) return check;
      // Only the check: this second session's keys go at once.
      check.value.end();
      return vault.changePassphrase(session, pair.first);
    });
    if (changed !== null) {
      setCurrent('');
      setPair(EMPTY_PAIR);
      setDone(true);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-label={t('account.own.title')} noValidate>
      <Stack gap="sm">
        <Text fw={500}>{t('account.own.title')}</Text>
        <PasswordInput
          label={t('account.own.current')}
          required
          autoComplete="current-password"
          value={current}
          disabled={busy}
          onChange={(event) => setCurrent(event.currentTarget.value)}
        />
        <PassphrasePair value={pair} onChange={setPair} disabled={busy} />
        <Problem text={problem} />
        {done && (
          <Text size="sm" c="teal" role="status">
            {t('account.own.done')}
          </Text>
        )}
        <Group>
          <Button type="submit" variant="default" loading={busy} disabled={current === ''}>
            {t('account.own.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
