import { Button, Menu } from '@mantine/core';
import { useLocation } from 'wouter';
import { useT } from '../../i18n';
import { useAccount } from './AccountContext';

/**
 * The header's account menu: who is signed in, 锁定, 切换用户 (without closing the app), 锁定并不再记住本机 when the
 * account is remembered on this computer, and the account settings.
 */
export function AccountMenu() {
  const t = useT();
  const { account, lock, switchUser, remembered, forgetAndLock } = useAccount();
  const [, navigate] = useLocation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          data-testid="account-menu"
          aria-label={t('account.menu.label', { name: account.name })}
        >
          {account.name}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('account.menu.signedInAs', { name: account.name })}</Menu.Label>
        <Menu.Item onClick={lock}>{t('account.menu.lock')}</Menu.Item>
        <Menu.Item onClick={switchUser}>{t('account.menu.switch')}</Menu.Item>
        {remembered === true && forgetAndLock !== undefined && (
          <Menu.Item onClick={forgetAndLock} data-testid="account-menu-forget">
            {t('account.menu.lockForget')}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item onClick={() => navigate('/settings')}>{t('account.menu.settings')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
