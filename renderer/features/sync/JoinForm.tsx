import { Alert, Button, Card, Group, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useT } from '../../i18n';
import { usePlatform } from '../../platform';
import { useSyncManager } from '../../sync/react';
import { REFUSAL_MESSAGES } from './labels';

/** 设置 → 同步: server address and the enrolment token from district IT. */
export function JoinForm({ initialServer = '', onDone }: { initialServer?: string; onDone?: () => void }) {
  const t = useT();
  const manager = useSyncManager();
  const platform = usePlatform();
  const [server, setServer] = useState(initialServer);
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloading, setReloading] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      const result = await manager.join(server, token);
      if (result.ok) {
        setToken('');
        if (result.reload) {
          setReloading(true);
          window.location.reload();
          return;
        }
        onDone?.();
      } else if (result.error === 'refused') setProblem(t(REFUSAL_MESSAGES[result.refusal.kind]));
      else setProblem(t(result.error === 'bad-address' ? 'syncui.join.badAddress' : 'syncui.join.badToken'));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      withBorder
      component="form"
      onSubmit={(event: SyntheticEvent) => void submit(event)}
      aria-labelledby="join-title"
    >
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
          value={server}
          onChange={(event) => setServer(event.currentTarget.value)}
        />
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
