import { Alert, Button, Card, Group, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { useSyncManager } from '../../sync/react';
import { encryptedAddress, isPlainRemote, normaliseServerAddress } from '../../sync/token';
import { REFUSAL_MESSAGES } from './labels';

/**
 * 设置 → 同步: server address and the enrolment token from district IT.
 *
 * An unencrypted address (`ws://`, or typed without a scheme) of another computer is not joined on the first
 * press: the form says what that means and offers the encrypted address or an explicit "join unencrypted anyway"
 * (see `normaliseServerAddress` for why it asks). Nothing, not even the token check, goes out before that.
 */
export function JoinForm({ initialServer = '', onDone }: { initialServer?: string; onDone?: () => void }) {
  const t = useT();
  const manager = useSyncManager();
  const platform = usePlatform();
  const [server, setServer] = useState(initialServer);
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloading, setReloading] = useState(false);
  /** The unencrypted address the person is being asked about; `null` when not asking. */
  const [plainAddress, setPlainAddress] = useState<string | null>(null);
  const warning = useRef<HTMLDivElement>(null);
  const serverInput = useRef<HTMLInputElement>(null);

  // The question takes the focus when it appears: read out at once, and its two buttons are the next Tab stops.
  useEffect(() => {
    if (plainAddress !== null) warning.current?.focus();
  }, [plainAddress]);

  const join = async (address: string, allowPlain: boolean) => {
    setProblem(null);
    setBusy(true);
    try {
      const result = await manager.join(address, token, { allowPlain });
      if (result.ok) {
        setToken('');
        if (result.reload) {
          setReloading(true);
          window.location.reload();
          return;
        }
        onDone?.();
      } else if (result.error === 'plain-address') setPlainAddress(normaliseServerAddress(address));
      else if (result.error === 'refused') setProblem(t(REFUSAL_MESSAGES[result.refusal.kind]));
      else setProblem(t(result.error === 'bad-address' ? 'syncui.join.badAddress' : 'syncui.join.badToken'));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const address = normaliseServerAddress(server);
    if (address !== null && isPlainRemote(address)) {
      setProblem(null);
      setPlainAddress(address);
      warning.current?.focus();
      return;
    }
    void join(server, false);
  };

  /** One of the question's answers: the question goes, the focus returns to the address, and the join starts. */
  const answer = (address: string, allowPlain: boolean) => {
    setPlainAddress(null);
    setServer(address);
    serverInput.current?.focus();
    void join(address, allowPlain);
  };

  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby="join-title">
      <Stack>
        <Title order={3} size="h4" id="join-title">
          {t('syncui.join.title')}
        </Title>
        <Text size="sm">{t('syncui.join.body')}</Text>
        {problem && (
          <Alert color="red" role="alert" data-testid="join-problem">
            {problem}
          </Alert>
        )}
        {reloading && <Alert role="status">{t('syncui.join.reloading')}</Alert>}
        <TextInput
          label={t('syncui.join.server')}
          description={t('syncui.join.serverHint')}
          required
          ref={serverInput}
          value={server}
          onChange={(event) => {
            setServer(event.currentTarget.value);
            setPlainAddress(null);
          }}
        />
        {plainAddress !== null && (
          <Alert
            ref={warning}
            tabIndex={-1}
            color="orange"
            title={t('syncui.join.plainTitle')}
            data-testid="join-plain-warning"
          >
            <Stack gap="sm">
              <Text size="sm">{t('syncui.join.plainBody', { address: plainAddress })}</Text>
              <Group>
                <Button onClick={() => answer(encryptedAddress(plainAddress), false)}>
                  {t('syncui.join.plainUseWss', { address: encryptedAddress(plainAddress) })}
                </Button>
                <Button color="orange" variant="outline" onClick={() => answer(plainAddress, true)}>
                  {t('syncui.join.plainConfirm')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        <Textarea
          label={t('syncui.join.token')}
          description={t('syncui.join.tokenHint')}
          required
          autosize
          minRows={3}
          value={token}
          onChange={(event) => setToken(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <Text size="xs" c="dimmed">
          {platform.secretStorage === 'keychain' ? t('syncui.join.keychain') : t('syncui.join.browserStorage')}
        </Text>
        <Group>
          <Button type="submit" loading={busy}>
            {t('syncui.join.submit')}
          </Button>
          {onDone && (
            <Button variant="default" onClick={onDone}>
              {t('syncui.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
