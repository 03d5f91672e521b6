import { createContext, useContext, type ReactNode } from 'react';
import type { Account, Session, Vault } from '../../data/vault';

/** Why the sign-in screen shows (what it says above the form). */
export type LockReason = 'idle' | 'system' | 'manual' | 'switch';

/** The signed-in person, as the screens of the workstation see them. */
export interface AccountValue {
  readonly vault: Vault;
  /** The Session of the signed-in account (the store's KeyRing; the admin operations of the vault take it). */
  readonly session: Session;
  readonly account: Account;
  /** Locks now: writes out what is pending, forgets the keys, shows the sign-in screen with this account chosen. */
  lock: () => void;
  /** 切换用户: locks, and the sign-in screen offers the other accounts of this device. */
  switchUser: () => void;
  /** The account is remembered on this computer ("remember on this computer", desktop only). */
  readonly remembered?: boolean;
  /** Forgets that this computer remembers the account, then locks (the header menu's sign-out choice). */
  forgetAndLock?: () => void;
}

const AccountContext = createContext<AccountValue | null>(null);

export function AccountProvider({ value, children }: { value: AccountValue; children: ReactNode }) {
  return <AccountContext.Provider value={value}>{children}</AccountContext.Provider>;
}

export function useAccount(): AccountValue {
  const value = useContext(AccountContext);
  if (!value) throw new Error('useAccount must be used inside <AccountProvider> (someone signed in)');
  return value;
}

/** The account, or `null` outside a signed-in workstation (screens shown in tests on their own). */
export function useOptionalAccount(): AccountValue | null {
  return useContext(AccountContext);
}
