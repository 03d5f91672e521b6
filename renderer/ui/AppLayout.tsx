import {
  ActionIcon,
  AppShell,
  Burger,
  Group,
  NavLink,
  SegmentedControl,
  Text,
  Title,
  VisuallyHidden,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure, useHotkeys, type HotkeyItem } from '@mantine/hooks';
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { AREAS, areaOf, shortcutDigit, shortcutOf } from '../areas';
import { useI18n } from '../i18n';
import classes from './AppLayout.module.css';

interface Props {
  communityName: string | null;
  /** Shown beside the community's name: the switcher between the communities on this device. */
  communitySwitcher?: ReactNode;
  /** Shown first among the header's controls: the signed-in account, with 锁定 and 切换用户. */
  accountMenu?: ReactNode;
  /**
   * Shown after the account: the sync state at a glance. A slot, like the two above: the layout is a building block
   * of renderer/ui and knows no feature; renderer/App.tsx passes the feature's badge in.
   */
  syncBadge?: ReactNode;
  children: ReactNode;
}

/** The frame around every screen: header (community, sync state, language, theme) and the navigation. */
export function AppLayout({ communityName, communitySwitcher, accountMenu, syncBadge, children }: Props) {
  const { t, language, setLanguage } = useI18n();
  const [location, navigate] = useLocation();
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const mainRef = useRef<HTMLElement>(null);
  const current = areaOf(location);

  // Alt+1 … Alt+9, Alt+0 jump to the first ten areas, in the order of the navigation, and Ctrl+, to 设置 (works
  // from anywhere, also inside inputs).
  useHotkeys(
    [
      ...AREAS.slice(0, 10).map((area, index): HotkeyItem => [
        `alt+${shortcutDigit(index)}`,
        () => navigate(area.path),
      ]),
      ['mod+,', () => navigate('/settings')],
    ],
    [],
  );

  // After moving to another screen, put the keyboard focus on its content so Tab continues there.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
    closeNav();
  }, [location, closeNav]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <a
        className={classes.skipLink}
        href="#main-content"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Title order={1} size="h4">
              {t('app.title')}
            </Title>
            <Text c="dimmed" size="sm" data-testid="community-name" visibleFrom="xs">
              <VisuallyHidden>{t('header.community')}: </VisuallyHidden>
              {communityName ?? t('header.noCommunity')}
            </Text>
            {communitySwitcher}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {accountMenu}
            {syncBadge}
            <SegmentedControl
              size="xs"
              aria-label={t('header.language')}
              value={language}
              onChange={(value) => setLanguage(value)}
              data={[
                { value: 'zh-CN', label: t('settings.language.zh') },
                { value: 'en', label: t('settings.language.en') },
              ]}
            />
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={computed === 'dark' ? t('header.theme.toLight') : t('header.theme.toDark')}
              onClick={() => setColorScheme(computed === 'dark' ? 'light' : 'dark')}
            >
              <span aria-hidden="true">{computed === 'dark' ? '☀' : '☾'}</span>
            </ActionIcon>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {AREAS.map((area, index) => {
          const shortcut = shortcutOf(index);
          return (
            <NavLink
              key={area.path}
              href={`#${area.path}`}
              label={t(area.label)}
              rightSection={
                shortcut === null ? undefined : (
                  <Text size="xs" c="dimmed" aria-hidden="true">
                    {index < 10 ? t('nav.shortcutHint', { n: shortcutDigit(index) }) : shortcut}
                  </Text>
                )
              }
              active={current?.path === area.path}
              aria-current={current?.path === area.path ? 'page' : undefined}
              aria-keyshortcuts={shortcut ?? undefined}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="main-content" ref={mainRef} tabIndex={-1} className={classes.main}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
