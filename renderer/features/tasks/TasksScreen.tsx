import { Alert, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Route, Switch } from 'wouter';
import type { CommunityId } from '@shared/ydoc/docName';
import { isCommunityId } from '@shared/ydoc/docName';
import { hasPermission } from '@shared/domain/kernel';
import { useCommunities, useCurrentCommunity, useStore } from '../../data/hooks';
import { usePermissions, useRolesVersion } from '../sync';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { useCardRules } from './data';
import { TaskFigures } from './figures';
import { TaskImport } from './import';
import { PublishForm } from './PublishForm';
import { TaskList } from './TaskList';
import { TaskPage } from './TaskPage';

interface SubLink {
  readonly path: string;
  readonly label: MessageKey;
  /** Shown only to those who may supervise (the street: publishing and importing). */
  readonly supervise?: boolean;
}

const LINKS: readonly SubLink[] = [
  { path: '/', label: 'task.nav.list' },
  { path: '/mine', label: 'task.nav.mine' },
  { path: '/publish', label: 'task.nav.publish', supervise: true },
  { path: '/figures', label: 'task.nav.figures' },
  { path: '/import', label: 'task.nav.import', supervise: true },
];

/**
 * The communities 任务列表 and 我的任务 span (docs/tasks-model.md, "screens"): with `tasks.supervise` in the open
 * community, every community held on this device where the person supervises too (a street's token names several),
 * the open one first; else the open community alone.
 */
function useListScope(community: CommunityId | null, supervise: boolean): CommunityId[] {
  const store = useStore();
  const held = useCommunities();
  // Drawn again when a role changes, so the permissions below are read again; the list changes only with them.
  useRolesVersion();
  const others = supervise
    ? (held ?? [])
        .map((row) => row.id)
        .filter(isCommunityId)
        .filter((id) => id !== community && hasPermission(store.permissions(id), 'tasks.supervise'))
        .sort()
    : [];
  const key = community === null ? '' : [community, ...others].join('\n');
  return useMemo(() => (key === '' ? [] : (key.split('\n') as CommunityId[])), [key]);
}

function Routes({
  community,
  scope,
  supervise,
}: {
  community: CommunityId;
  scope: readonly CommunityId[];
  supervise: boolean;
}) {
  const t = useT();
  return (
    <Switch>
      <Route path="/mine">
        <TaskList key="mine" community={community} communities={scope} mine />
      </Route>
      {supervise && (
        <Route path="/publish">
          <PublishForm community={community} />
        </Route>
      )}
      <Route path="/figures">
        <TaskFigures communityId={community} />
      </Route>
      {supervise && (
        <Route path="/import">
          <TaskImport communityId={community} />
        </Route>
      )}
      <Route path="/c/:community/t/:year/:id">
        {(params) => {
          const id = decodeURIComponent(params.id);
          const other = decodeURIComponent(params.community);
          // Only a community the list spans opens here (a row of the street's list).
          const target = scope.find((c) => c === other);
          if (target === undefined) return <Text>{t('task.notFound')}</Text>;
          return <TaskPage key={`${target}|${id}`} community={target} year={Number(params.year)} id={id} />;
        }}
      </Route>
      <Route path="/t/:year/:id">
        {(params) => {
          const id = decodeURIComponent(params.id);
          return <TaskPage key={id} community={community} year={Number(params.year)} id={id} />;
        }}
      </Route>
      <Route>
        <TaskList key="all" community={community} communities={scope} />
      </Route>
    </Switch>
  );
}

/** The task-supervision area (任务督办): list, my tasks, publishing, figures, import, a task's page. */
export function TasksScreen() {
  const t = useT();
  const { community: row, loading } = useCurrentCommunity();
  const community = row && isCommunityId(row.id) ? row.id : null;
  const permissions = usePermissions(community);
  const supervise = community !== null && hasPermission(permissions, 'tasks.supervise');
  const scope = useListScope(community, supervise);
  // The card rules run in every community the device supervises (each on its own calendar).
  useCardRules(supervise ? scope : []);
  if (loading) return null;
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('tasks.title')}</Title>
        <Alert color="blue">{t('task.noCommunity')}</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2}>{t('tasks.title')}</Title>
      <SubNav
        label={t('task.nav.label')}
        links={LINKS.filter((link) => supervise || !link.supervise).map((link) => ({ ...link, label: t(link.label) }))}
      />
      <Routes community={community} scope={scope} supervise={supervise} />
    </Stack>
  );
}
