import { Alert, Stack, Title } from '@mantine/core';
import { Route, Switch } from 'wouter';
import type { CommunityId } from '@shared/ydoc/docName';
import { isCommunityId } from '@shared/ydoc/docName';
import { hasPermission } from '@shared/domain/kernel';
import { useCurrentCommunity } from '../../data/hooks';
import { usePermissions } from '../sync';
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

function Routes({ community, supervise }: { community: CommunityId; supervise: boolean }) {
  return (
    <Switch>
      <Route path="/mine">
        <TaskList key="mine" community={community} mine />
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
      <Route path="/t/:year/:id">
        {(params) => {
          const id = decodeURIComponent(params.id);
          return <TaskPage key={id} community={community} year={Number(params.year)} id={id} />;
        }}
      </Route>
      <Route>
        <TaskList key="all" community={community} />
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
  useCardRules(community, supervise);
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
      <Routes community={community} supervise={supervise} />
    </Stack>
  );
}
