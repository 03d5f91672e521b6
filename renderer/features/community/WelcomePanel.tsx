import { Alert, Button, Card, Group, Loader, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { useLocation } from 'wouter';
import { isCommunityId } from '@shared/ydoc/docName';
import { loadDemoCommunity } from '../../data/demo';
import { useStore } from '../../data/hooks';
import { useT } from '../../i18n';
import { DomainErrorText } from '../../ui/DomainErrorText';
import type { DomainError } from '@shared/domain/result';

/**
 * First launch on the embedded default: create a community, or load the demo community. Who creates it is the
 * signed-in account (renderer/features/account): no name is typed here.
 */
export function WelcomePanel({ adding = false }: { adding?: boolean }) {
  const t = useT();
  const store = useStore();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [street, setStreet] = useState('');
  const [district, setDistrict] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [domainError, setDomainError] = useState<DomainError | null>(null);
  const [busy, setBusy] = useState<'create' | 'demo' | null>(null);
  const [, navigate] = useLocation();

  const idInvalid = id !== '' && !isCommunityId(id.trim());

  const create = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(null);
    setDomainError(null);
    if (!isCommunityId(id.trim())) {
      setProblem(t('community.create.badId'));
      return;
    }
    if (await store.db.communities.get(id.trim())) {
      setProblem(t('community.create.exists'));
      return;
    }
    setBusy('create');
    try {
      const result = await store.createCommunity({ id, name, streetName: street, districtName: district });
      if (!result.ok) setDomainError(result.error);
      else navigate('~/registry');
    } finally {
      setBusy(null);
    }
  };

  const loadDemo = async () => {
    setProblem(null);
    setBusy('demo');
    // Loading takes a few seconds and the community's list shows before its last documents are written: someone who
    // went on to another screen meanwhile stays there.
    const clickedAt = window.location.hash;
    try {
      await loadDemoCommunity(store);
      if (window.location.hash === clickedAt) navigate('~/registry');
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack maw={960}>
      <Title order={2}>{adding ? t('community.add') : t('community.welcome.title')}</Title>
      {!adding && <Text>{t('community.welcome.body')}</Text>}
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
      {domainError && (
        <Alert color="red" role="alert">
          <DomainErrorText error={domainError} />
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card
          withBorder
          component="form"
          onSubmit={(event: SyntheticEvent) => void create(event)}
          aria-labelledby="create-title"
        >
          <Stack>
            <Title order={3} size="h4" id="create-title">
              {t('community.create.title')}
            </Title>
            <TextInput
              label={t('community.create.name')}
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <TextInput
              label={t('community.create.id')}
              description={t('community.create.idHint')}
              required
              value={id}
              error={idInvalid ? t('community.create.badId') : undefined}
              onChange={(event) => setId(event.currentTarget.value.toLowerCase())}
            />
            <Group grow>
              <TextInput
                label={t('community.create.street')}
                value={street}
                onChange={(event) => setStreet(event.currentTarget.value)}
              />
              <TextInput
                label={t('community.create.district')}
                value={district}
                onChange={(event) => setDistrict(event.currentTarget.value)}
              />
            </Group>
            <Group>
              <Button type="submit" loading={busy === 'create'} disabled={busy !== null}>
                {t('community.create.submit')}
              </Button>
            </Group>
          </Stack>
        </Card>
        <Card withBorder>
          <Stack>
            <Title order={3} size="h4">
              {t('community.demo.title')}
            </Title>
            <Text size="sm">{t('community.demo.body')}</Text>
            <Group>
              <Button variant="light" onClick={() => void loadDemo()} disabled={busy !== null}>
                {t('community.demo.load')}
              </Button>
              {busy === 'demo' && (
                <Group gap="xs" role="status">
                  <Loader size="sm" />
                  <Text size="sm">{t('community.demo.loading')}</Text>
                </Group>
              )}
            </Group>
          </Stack>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
