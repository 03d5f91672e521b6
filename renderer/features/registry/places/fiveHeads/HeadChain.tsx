import { Alert, Badge, Group, List, Text } from '@mantine/core';
import { actingHead, type HeadChainLink } from '@shared/domain/registry/fiveHeads';
import { useT } from '../../../../i18n';
import type { People } from '../common/usePeople';

/**
 * The chain of heads above a building (楼栋长 → 院长 → 巷长 → 街长 → 片长), nearest first. When the building's own
 * post is empty, the first head above steps in (五长联动) and is highlighted.
 */
export function HeadChain({ chain, people }: { chain: readonly HeadChainLink[]; people: People }) {
  const t = useT();
  const acting = actingHead(chain);
  const actingPerson = acting ? people.lookup(acting.head) : null;
  return (
    <section aria-label={t('places.chain.title')} data-testid="head-chain">
      <Text fw={600} mb={4}>
        {t('places.chain.title')}
      </Text>
      {acting === null && (
        <Alert color="orange" p="xs" mb="xs" data-testid="acting-head">
          {t('places.chain.nobody')}
        </Alert>
      )}
      {acting?.steppingIn && (
        <Alert color="yellow" p="xs" mb="xs" data-testid="acting-head">
          {t('places.chain.steppingIn', {
            role: t(`places.head.${acting.link.level}`),
            node: acting.link.nodeName,
            name: actingPerson?.name ?? '',
            phone: actingPerson?.phone ?? '',
          })}
        </Alert>
      )}
      <List listStyleType="none" spacing={4} type="ordered">
        {chain.map((link) => {
          const person = people.lookup(link.head);
          const isActing = acting?.link.nodeId === link.nodeId;
          return (
            <List.Item key={link.nodeId} data-acting={isActing || undefined}>
              <Group gap={6}>
                <Badge size="sm" variant={isActing ? 'filled' : 'light'} color={isActing ? 'yellow' : 'gray'}>
                  {t(`places.head.${link.level}`)}
                </Badge>
                <Text size="sm" c="dimmed">
                  {link.nodeName}
                </Text>
                <Text size="sm" fw={isActing ? 700 : 400}>
                  {person ? `${person.name} ${person.phone ?? ''}` : t('places.head.none')}
                </Text>
                {isActing && acting.steppingIn && (
                  <Badge size="sm" color="yellow" variant="outline">
                    {t('places.chain.actingBadge')}
                  </Badge>
                )}
              </Group>
            </List.Item>
          );
        })}
      </List>
    </section>
  );
}
