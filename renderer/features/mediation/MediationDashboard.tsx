import { Anchor, Badge, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { chinaDate } from '@shared/domain/dates';
import { openCasesByDeadline } from '@shared/domain/mediation/due';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
import { DEADLINE_COLOR } from './CaseList';
import { partiesLine } from './labels';
import { caseNumberText, useAllCases, useRegistryInfo } from './useCases';

const SHOWN = 5;

/** The mediation card of the dashboard: open cases by deadline colour, overdue ones first. */
export function MediationDashboard() {
  const t = useT();
  const community = useCommunityId();
  const cases = useAllCases(community);
  const info = useRegistryInfo(community);
  const today = chinaDate(new Date());
  const open = useMemo(() => openCasesByDeadline(cases ?? [], today), [cases, today]);
  if (!community) return null;
  const red = open.filter((o) => o.state === 'red').length;
  const yellow = open.filter((o) => o.state === 'yellow').length;
  return (
    <Card withBorder data-testid="mediation-dashboard">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('case.dashboard.title')}
          </Title>
          <Anchor href="#/mediation">{t('case.dashboard.openList')}</Anchor>
        </Group>
        <Group gap="xs">
          <Badge variant="light">{t('case.dashboard.open', { count: open.length })}</Badge>
          <Badge color="yellow" data-testid="dashboard-yellow">
            {t('case.dashboard.yellow', { count: yellow })}
          </Badge>
          <Badge color="red" data-testid="dashboard-red">
            {t('case.dashboard.red', { count: red })}
          </Badge>
        </Group>
        {open.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('case.dashboard.none')}
          </Text>
        ) : (
          <List spacing={4} listStyleType="none">
            {open.slice(0, SHOWN).map(({ case: c, state, due }) => (
              <List.Item key={c.id}>
                <Group gap={6}>
                  <Badge size="sm" color={DEADLINE_COLOR[state]} variant={state === 'ok' ? 'light' : 'filled'}>
                    {t(`case.deadline.${state}`)}
                  </Badge>
                  <Anchor href={`#/mediation/case/${c.year}/${c.id}`} size="sm">
                    {caseNumberText(c, info)}
                  </Anchor>
                  <Text size="sm">{partiesLine(c)}</Text>
                  <Text size="xs" c="dimmed">
                    {due}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Card>
  );
}
