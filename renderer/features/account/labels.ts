import type { AccountRole, VaultError } from '../../data/vault';
import type { MessageKey } from '../../i18n';

export const ROLE_LABELS: Record<AccountRole, MessageKey> = {
  admin: 'account.role.admin',
  editor: 'account.role.editor',
  viewer: 'account.role.viewer',
};

export const VAULT_ERRORS: Record<VaultError['code'], MessageKey> = {
  'vault.wrong-passphrase': 'account.error.wrong-passphrase',
  'vault.unknown-account': 'account.error.unknown-account',
  'vault.not-admin': 'account.error.not-admin',
  'vault.not-empty': 'account.error.not-empty',
  'vault.passphrase-too-short': 'account.error.passphrase-too-short',
  'vault.name-required': 'account.error.name-required',
  'vault.name-taken': 'account.error.name-taken',
  'vault.last-admin': 'account.error.last-admin',
  'vault.not-remembered': 'account.error.not-remembered',
  'vault.remembered-unreadable': 'account.error.remembered-unreadable',
  'vault.os-keychain-unavailable': 'account.error.os-keychain-unavailable',
};
