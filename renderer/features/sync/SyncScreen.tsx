import { Alert, Button, Card, Collapse, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { useCommunities, useCommunityId, useCurrentCommunity } from '../../data/hooks';
import { useT } from '../../i18n';
import { useSync, useSyncManager } from '../../sync/react';
import { isPlainRemote } from '../../sync/token';
import { AwayChanges } from './AwayChanges';
import { JoinForm } from './JoinForm';
import { KeptRolesCard } from './KeptRolesCard';
import { LeavePanel, useRemovedByLastLeave } from './LeavePanel';
import { docCommunity, docLabel, formatTime, REFUSAL_MESSAGES, ROLE_LABELS, STATE_LABELS } from './labels';

/**
 * The sync page: join a server, see what is safe on the server, per kind of data, and what others changed; leave (and
 * remove a community's data from this computer); the role each community has on this device. Communities and data
 * are named as the worker knows them; their ids and document names stay behind 详情, for the district's administrator.
 */
export function SyncScreen() {
  const t = useT();
  const sync = useSync();
  const manager = useSyncManager();
  const community = useCommunityId();
  const open = useCurrentCommunity().community;
  const [changing, setChanging] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const removed = useRemovedByLastLeave();
  const communities = useCommunities();
  const [details, setDetails] = useState(false);
  const detailsId = useId();
  const nameOf = (id: string) => communities?.find((row) => row.id === id)?.name ?? id;

  if (!sync.joined) {
    return (
      <Stack maw={820}>
        <Title order={2}>{t('syncui.title')}</Title>
        {removed.map((name) => (
          <Alert key={name} color="green" role="status" data-testid="sync-removed">
            {t('syncui.remove.done', { name })}
          </Alert>
        ))}
        <JoinForm />
        <KeptRolesCard />
      </Stack>
    );
  }

  return (
    <Stack maw={960}>
      <Title order={2}>{t('syncui.title')}</Title>
      {sync.refusal && (
        <Alert color={sync.refusal.retry ? 'yellow' : 'red'} role="alert" data-testid="sync-refusal">
          {t(REFUSAL_MESSAGES[sync.refusal.kind])}
        </Alert>
      )}
      {sync.server !== null && isPlainRemote(sync.server) && (
        // Joined unencrypted to another computer (confirmed at joining, or joined before the form asked): say so.
        <Alert color="orange" role="status" data-testid="sync-plain">
          {t('syncui.status.plain')}
        </Alert>
      )}
      {open !== null && !sync.communities.includes(open.id) && (
        // The badge says 本社区未同步 for it: say why here, where the person looks next.
        <Alert color="gray" role="status" data-testid="sync-open-unsynced">
          {t('syncPage.badge.unsyncedHint', {
            community: open.name,
            names: sync.communities.map(nameOf).join('、'),
          })}
        </Alert>
      )}
      {changing && <JoinForm initialServer={sync.server ?? ''} onDone={() => setChanging(false)} />}
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          {t('syncui.status.title')}
        </Title>
        <Table variant="vertical" layout="fixed">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={180}>{t('syncui.status.state')}</Table.Th>
              <Table.Td data-testid="sync-state">{t(STATE_LABELS[sync.state])}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th title={t('syncui.status.pendingHint')}>{t('syncui.status.pending')}</Table.Th>
              <Table.Td data-testid="sync-pending-count">{sync.pending}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('syncui.status.lastFullSync')}</Table.Th>
              <Table.Td data-testid="sync-last-full">{formatTime(t, sync.lastFullSync)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('syncui.status.server')}</Table.Th>
              <Table.Td>{sync.server}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('syncui.status.user')}</Table.Th>
              <Table.Td>{sync.user}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('syncui.status.role')}</Table.Th>
              <Table.Td>{sync.role ? t(ROLE_LABELS[sync.role]) : ''}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('syncui.status.communities')}</Table.Th>
              <Table.Td data-testid="sync-communities">{sync.communities.map(nameOf).join('、')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('syncui.status.expires')}</Table.Th>
              <Table.Td>{sync.expiresAt === null ? '' : new Date(sync.expiresAt * 1000).toLocaleDateString()}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Group mt="md">
          <Button variant="light" onClick={() => manager.retry()}>
            {t('syncui.retry')}
          </Button>
          <Button variant="default" onClick={() => setChanging(true)}>
            {t('syncui.change')}
          </Button>
          {!confirmLeave && (
            <Button variant="subtle" color="red" onClick={() => setConfirmLeave(true)}>
              {t('syncui.leave')}
            </Button>
          )}
        </Group>
      </Card>
      {confirmLeave && <LeavePanel onCancel={() => setConfirmLeave(false)} />}
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          {t('syncPage.docs.title')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('syncPage.docs.community')}</Table.Th>
              <Table.Th>{t('syncPage.docs.what')}</Table.Th>
              <Table.Th>{t('syncui.docs.state')}</Table.Th>
              <Table.Th>{t('syncui.docs.pending')}</Table.Th>
              <Table.Th>{t('syncui.docs.lastFullSync')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sync.docs.map((doc) => (
              <Table.Tr key={doc.docName} data-testid="sync-data">
                <Table.Td>{docCommunity(doc.docName, nameOf)}</Table.Td>
                <Table.Td>{docLabel(t, doc.docName)}</Table.Td>
                <Table.Td>{t(STATE_LABELS[doc.connection])}</Table.Td>
                <Table.Td>{doc.pending}</Table.Td>
                <Table.Td>{formatTime(t, doc.lastFullSync)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group mt="md">
          <Button
            variant="subtle"
            size="compact-sm"
            aria-expanded={details}
            aria-controls={detailsId}
            onClick={() => setDetails((open) => !open)}
          >
            {details ? t('syncPage.details.hide') : t('syncPage.details.show')}
          </Button>
        </Group>
        <Collapse expanded={details} id={detailsId} keepMountedMode="display-none" data-testid="sync-details">
          <Stack gap="xs" mt="xs">
            <Text size="sm" c="dimmed">
              {t('syncPage.details.hint')}
            </Text>
            <Text size="sm">
              {t('syncPage.details.communityIds')}
              {t('places.colon')}
              <Text span ff="monospace" size="sm">
                {sync.communities.join(', ')}
              </Text>
            </Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('syncPage.details.docName')}</Table.Th>
                  <Table.Th>{t('syncui.docs.state')}</Table.Th>
                  <Table.Th>{t('syncui.docs.pending')}</Table.Th>
                  <Table.Th>{t('syncui.docs.lastFullSync')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sync.docs.map((doc) => (
                  <Table.Tr key={doc.docName} data-testid="sync-doc">
                    <Table.Td ff="monospace">{doc.docName}</Table.Td>
                    <Table.Td>{t(STATE_LABELS[doc.connection])}</Table.Td>
                    <Table.Td>{doc.pending}</Table.Td>
                    <Table.Td>{formatTime(t, doc.lastFullSync)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Collapse>
      </Card>
      {community && <AwayChanges community={community} />}
      <KeptRolesCard />
    </Stack>
  );
}
