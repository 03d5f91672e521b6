/**
 * People at the keyboard (PIPL, shared office desktops): local accounts per device, sign-in before the store opens,
 * the idle and OS lock, switching user, and the account settings. See docs/accounts.md.
 */
export { AccountGate, type OpenWorkspace, type Workspace } from './AccountGate';
export { useAccount, useOptionalAccount, type AccountValue, type LockReason } from './AccountContext';
export { AccountMenu } from './AccountMenu';
export { AccountsCard } from './AccountsCard';
export { IdleLockCard } from './IdleLockCard';
export { TokenAccountOffer } from './TokenAccountOffer';
export type { MigrationProgress } from './OpeningScreen';
export { DEFAULT_IDLE_MINUTES, IDLE_MINUTE_CHOICES, startIdleTimer, type IdleTimer } from './idleLock';
