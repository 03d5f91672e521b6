import { Button, Menu } from '@mantine/core';
import { useLocation } from 'wouter';
import { isCommunityId } from '@shared/ydoc/docName';
import { useCommunities, useCurrentCommunity, useStore } from '../../data/hooks';
import { useT } from '../../i18n';

/**
 * Switches between the communities held on this device (a street office follows several). Every screen reads the
 * current community from the local database, so a switch shows the other community's data at once, offline too.
 */
export function CommunitySwitcher() {
  const t = useT();
  const store = useStore();
  const communities = useCommunities();
  const { community } = useCurrentCommunity();
  const [, navigate] = useLocation();
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <Button variant="subtle" size="compact-sm" data-testid="community-switcher">
          {t('community.switch')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {(communities ?? []).map((row) => (
          <Menu.Item
            key={row.id}
            onClick={() => {
              if (isCommunityId(row.id)) void store.setCurrentCommunity(row.id);
            }}
            fw={row.id === community?.id ? 700 : undefined}
            aria-current={row.id === community?.id ? 'true' : undefined}
          >
            {row.name}
          </Menu.Item>
        ))}
        {(communities ?? []).length > 0 && <Menu.Divider />}
        <Menu.Item onClick={() => navigate('/community/new')}>{t('community.add')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
