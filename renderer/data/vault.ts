/**
 * The vault: who may sign in on this device, and the keys that open its data (docs/security.md).
 *
 * A database of its own, `community-workstation-vault`, beside the workstation's:
 *
 * | table    | primary key | holds                                                                                   |
 * | -------- | ----------- | --------------------------------------------------------------------------------------- |
 * | accounts | id          | a person who may sign in: name, role, linked registry person, where the account came from, the KDF's salt and iterations, and the device key wrapped by the key derived from their passphrase |
 * | keys     | id          | each community's data key (and the device's settings key, id `\u0000device`), wrapped by the device key |
 * | remembered | accountId | "remember on this computer": the device key wrapped by a random key that the OS keychain sealed (Electron `safeStorage`), so this OS account opens it without the passphrase |
 *
 * The key hierarchy: a person's passphrase (or PIN) → PBKDF2-SHA-256, 600,000 iterations, a random salt per account
 * → their key-encryption key (never stored) → unwraps the **device key** (random AES-256, one per device) → unwraps
 * each **community data key** (random AES-256 per community store), which seals that community's rows
 * (renderer/data/sealed.ts). So every account of the device opens the same data, each with their own passphrase;
 * adding an account or re-enrolling a forgotten passphrase needs someone signed in who holds the device key (an
 * admin). Nothing can read the data without a passphrase (or, for an account remembered on this computer, its OS
 * account: `remember`): there is no recovery key and no backdoor. Removing a community's data forgets its key: what
 * rows are left are noise.
 *
 * All cryptography is WebCrypto (`crypto.subtle`); keys live in memory only while someone is signed in.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { KeyRing } from './keyring';

export const VAULT_DB_NAME = 'community-workstation-vault';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. About 0.15 s per sign-in on an office PC. */
export const PBKDF2_ITERATIONS = 600_000;
/** A PIN of 6 digits is accepted (an office desktop), a passphrase is better: docs/security.md says why. */
export const MIN_PASSPHRASE_LENGTH = 6;

export const ACCOUNT_ROLES = ['admin', 'editor', 'viewer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Where an account came from: made on this device, or from a sync token (its user and role). */
export type AccountSource = 'local' | 'token';

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly role: AccountRole;
  /** The registry person this account is (a resident or volunteer id), when linked. */
  readonly personId: string | null;
  readonly source: AccountSource;
  readonly createdAt: number;
  /** The account that created it (null for the device's first account). */
  readonly createdBy: string | null;
}

interface AccountRow extends Account {
  readonly salt: Uint8Array;
  readonly iterations: number;
  /** The device key wrapped by this account's key-encryption key: IV (12 bytes) then the wrapped key. */
  readonly wrappedDeviceKey: Uint8Array;
}

interface KeyRow {
  readonly id: string;
  /** IV (12 bytes) then the data key wrapped by the device key. */
  readonly wrapped: Uint8Array;
  readonly createdAt: number;
}

/**
 * An account remembered on this computer (docs/security.md, "Remember on this computer"): a random 256-bit key, sealed
 * by the OS keychain for this OS account, wraps the device key. Opening it needs this OS account on this machine, not
 * the passphrase.
 */
interface RememberedRow {
  readonly accountId: string;
  /** The random key, as the OS keychain sealed it (opaque bytes). */
  readonly sealedKey: Uint8Array;
  /** IV (12 bytes) then the device key wrapped by the random key (additional data: `remember:<account id>`). */
  readonly wrappedDeviceKey: Uint8Array;
  readonly createdAt: number;
}

/**
 * The OS keychain as the vault needs it (renderer/platform `OsKeyBridge`, desktop only): seals a key so that only this
 * OS account on this machine opens it. `open` resolves `null` when it cannot (another account or machine, a reset
 * keychain) and rejects when the keychain is not there right now (try again later).
 */
export interface OsKeyring {
  seal(bytes: Uint8Array): Promise<Uint8Array>;
  open(sealed: Uint8Array): Promise<Uint8Array | null>;
}

class VaultDb extends Dexie {
  accounts!: EntityTable<AccountRow, 'id'>;
  keys!: EntityTable<KeyRow, 'id'>;
  remembered!: EntityTable<RememberedRow, 'accountId'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ accounts: 'id', keys: 'id' });
    this.version(2).stores({ accounts: 'id', keys: 'id', remembered: 'accountId' });
  }
}

export type VaultError =
  | { readonly code: 'vault.wrong-passphrase' }
  | { readonly code: 'vault.unknown-account' }
  | { readonly code: 'vault.not-admin' }
  | { readonly code: 'vault.not-empty' }
  | { readonly code: 'vault.passphrase-too-short'; readonly min: number }
  | { readonly code: 'vault.name-required' }
  | { readonly code: 'vault.name-taken' }
  | { readonly code: 'vault.last-admin' }
  | { readonly code: 'vault.not-remembered' }
  /** The remembered copy cannot be opened here (another OS account or machine, a reset keychain): it is forgotten. */
  | { readonly code: 'vault.remembered-unreadable' }
  /** The OS keychain is not there right now: nothing is forgotten, the passphrase works. */
  | { readonly code: 'vault.os-keychain-unavailable' };

export type VaultResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: VaultError };

const ok = <T>(value: T): VaultResult<T> => ({ ok: true, value });
const fail = <T>(error: VaultError): VaultResult<T> => ({ ok: false, error });

export const DEVICE_KEY_ID = '\u0000device';
/** Additional data of a remembered device key: not interchangeable with a passphrase's wrap of the same account. */
const rememberId = (accountId: string): string => `remember:${accountId}`;
const IV_BYTES = 12;
const AES = { name: 'AES-GCM', length: 256 } as const;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const randomBytes = (n: number): Uint8Array<ArrayBuffer> => globalThis.crypto.getRandomValues(new Uint8Array(n));

function joinIv(iv: Uint8Array, body: ArrayBuffer): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(iv.length + body.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(body), iv.length);
  return out;
}

async function deriveKek(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle().deriveKey({ name: 'PBKDF2', salt, iterations, hash: 'SHA-256' }, material, AES, false, [
    'wrapKey',
    'unwrapKey',
  ]);
}

/** Wraps `key` with `wrapping` (AES-GCM, fresh IV), the account or key id as additional data. */
async function wrap(key: CryptoKey, wrapping: CryptoKey, id: string): Promise<Uint8Array> {
  const iv = randomBytes(IV_BYTES);
  const body = await subtle().wrapKey('raw', key, wrapping, {
    name: 'AES-GCM',
    iv,
    additionalData: new TextEncoder().encode(id),
  });
  return joinIv(iv, body);
}

async function unwrap(
  wrapped: Uint8Array,
  wrapping: CryptoKey,
  id: string,
  extractable: boolean,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const bytes = Uint8Array.from(wrapped);
  return subtle().unwrapKey(
    'raw',
    bytes.subarray(IV_BYTES),
    wrapping,
    { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: new TextEncoder().encode(id) },
    AES,
    extractable,
    usages,
  );
}

function checkPassphrase(passphrase: string): VaultError | null {
  return passphrase.length < MIN_PASSPHRASE_LENGTH
    ? { code: 'vault.passphrase-too-short', min: MIN_PASSPHRASE_LENGTH }
    : null;
}

function publicAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    personId: row.personId,
    source: row.source,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

/**
 * A signed-in person: their account and the keys, for as long as they stay signed in. `end()` forgets the keys
 * (sign-out, idle lock, switching user); a session that has ended refuses to give keys.
 */
export class Session implements KeyRing {
  private deviceKeyValue: CryptoKey | null;
  private readonly dataKeys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly vault: Vault,
    readonly account: Account,
    deviceKey: CryptoKey,
  ) {
    this.deviceKeyValue = deviceKey;
  }

  get active(): boolean {
    return this.deviceKeyValue !== null;
  }

  /** @internal the device key, for the vault's admin operations. */
  requireDeviceKey(): CryptoKey {
    if (this.deviceKeyValue === null) throw new Error('signed out: the keys are forgotten');
    return this.deviceKeyValue;
  }

  keyFor(community: string): Promise<CryptoKey> {
    let key = this.dataKeys.get(community);
    if (key === undefined) {
      key = this.vault.dataKey(this.requireDeviceKey(), community);
      this.dataKeys.set(community, key);
      // A failure is not remembered: the next call tries again.
      key.catch(() => this.dataKeys.delete(community));
    }
    return key;
  }

  deviceKey(): Promise<CryptoKey> {
    return this.keyFor(DEVICE_KEY_ID);
  }

  async forget(community: string): Promise<void> {
    this.dataKeys.delete(community);
    await this.vault.forgetKey(community);
  }

  end(): void {
    this.deviceKeyValue = null;
    this.dataKeys.clear();
  }
}

/**
 * The vault of this device. `open` it once at start; `accounts()` lists who may sign in (the sign-in screen);
 * `createFirstAccount` makes the device's first account (an admin) and its device key; `signIn` gives a Session.
 */
export class Vault {
  private readonly creating = new Map<string, Promise<CryptoKey>>();

  private constructor(
    private readonly db: VaultDb,
    private readonly iterations: number,
  ) {}

  /** `iterations` is for tests only (600,000 takes a fraction of a second each; tests make hundreds). */
  static async open(name = VAULT_DB_NAME, options: { iterations?: number } = {}): Promise<Vault> {
    const db = new VaultDb(name);
    await db.open();
    return new Vault(db, options.iterations ?? PBKDF2_ITERATIONS);
  }

  close(): void {
    this.db.close();
  }

  async accounts(): Promise<Account[]> {
    const rows = await this.db.accounts.toArray();
    return rows.map(publicAccount).sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name, 'zh-CN'));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.db.accounts.count()) === 0;
  }

  /** The device's first account: an admin, and a fresh device key. Refused once any account exists. */
  async createFirstAccount(input: {
    readonly name: string;
    readonly passphrase: string;
    readonly personId?: string | null;
    readonly source?: AccountSource;
  }): Promise<VaultResult<Session>> {
    const name = input.name.trim();
    if (name === '') return fail({ code: 'vault.name-required' });
    const weak = checkPassphrase(input.passphrase);
    if (weak !== null) return fail(weak);
    if (!(await this.isEmpty())) return fail({ code: 'vault.not-empty' });
    const deviceKey = await subtle().generateKey(AES, true, ['wrapKey', 'unwrapKey']);
    const account: Account = {
      id: globalThis.crypto.randomUUID(),
      name,
      role: 'admin',
      personId: input.personId ?? null,
      source: input.source ?? 'local',
      createdAt: Date.now(),
      createdBy: null,
    };
    const row = await this.enroll(account, input.passphrase, deviceKey);
    // Two windows creating the first account at once: one wins, the other is told.
    const created = await this.db.transaction('rw', this.db.accounts, async () => {
      if ((await this.db.accounts.count()) > 0) return false;
      await this.db.accounts.add(row);
      return true;
    });
    if (!created) return fail({ code: 'vault.not-empty' });
    return ok(new Session(this, account, deviceKey));
  }

  /** Checks the passphrase by unwrapping the device key with it (AES-GCM fails on a wrong key). */
  async signIn(accountId: string, passphrase: string): Promise<VaultResult<Session>> {
    const row = await this.db.accounts.get(accountId);
    if (row === undefined) return fail({ code: 'vault.unknown-account' });
    const kek = await deriveKek(passphrase, Uint8Array.from(row.salt), row.iterations);
    try {
      const deviceKey = await unwrap(row.wrappedDeviceKey, kek, row.id, true, ['wrapKey', 'unwrapKey']);
      return ok(new Session(this, publicAccount(row), deviceKey));
    } catch {
      return fail({ code: 'vault.wrong-passphrase' });
    }
  }

  /** An admin adds an account to this device (a colleague, or the person a sync token names). */
  async addAccount(
    admin: Session,
    input: {
      readonly name: string;
      readonly passphrase: string;
      readonly role: AccountRole;
      readonly personId?: string | null;
      readonly source?: AccountSource;
    },
  ): Promise<VaultResult<Account>> {
    if (admin.account.role !== 'admin') return fail({ code: 'vault.not-admin' });
    const name = input.name.trim();
    if (name === '') return fail({ code: 'vault.name-required' });
    const weak = checkPassphrase(input.passphrase);
    if (weak !== null) return fail(weak);
    if ((await this.accounts()).some((a) => a.name === name)) return fail({ code: 'vault.name-taken' });
    const account: Account = {
      id: globalThis.crypto.randomUUID(),
      name,
      role: input.role,
      personId: input.personId ?? null,
      source: input.source ?? 'local',
      createdAt: Date.now(),
      createdBy: admin.account.id,
    };
    await this.db.accounts.add(await this.enroll(account, input.passphrase, admin.requireDeviceKey()));
    return ok(account);
  }

  /**
   * A forgotten passphrase: an admin signed in on this device enrols the account again with a new one. The old
   * passphrase stops working; nothing else changes.
   */
  async resetPassphrase(admin: Session, accountId: string, passphrase: string): Promise<VaultResult<Account>> {
    if (admin.account.role !== 'admin') return fail({ code: 'vault.not-admin' });
    const weak = checkPassphrase(passphrase);
    if (weak !== null) return fail(weak);
    const row = await this.db.accounts.get(accountId);
    if (row === undefined) return fail({ code: 'vault.unknown-account' });
    const account = publicAccount(row);
    const enrolled = await this.enroll(account, passphrase, admin.requireDeviceKey());
    await this.replaceEnrolment(enrolled);
    return ok(account);
  }

  /** A person changes their own passphrase (they know the old one: they are signed in). */
  async changePassphrase(session: Session, passphrase: string): Promise<VaultResult<Account>> {
    const weak = checkPassphrase(passphrase);
    if (weak !== null) return fail(weak);
    await this.replaceEnrolment(await this.enroll(session.account, passphrase, session.requireDeviceKey()));
    return ok(session.account);
  }

  /**
   * A new passphrase replaces the old one, and the account is no longer remembered on this computer: a passphrase is
   * changed or reset because someone else may know it, and that someone may sit at this OS account too.
   */
  private async replaceEnrolment(row: AccountRow): Promise<void> {
    await this.db.transaction('rw', this.db.accounts, this.db.remembered, async () => {
      await this.db.accounts.put(row);
      await this.db.remembered.delete(row.id);
    });
  }

  async setRole(admin: Session, accountId: string, role: AccountRole): Promise<VaultResult<Account>> {
    if (admin.account.role !== 'admin') return fail({ code: 'vault.not-admin' });
    const row = await this.db.accounts.get(accountId);
    if (row === undefined) return fail({ code: 'vault.unknown-account' });
    if (row.role === 'admin' && role !== 'admin' && (await this.adminCount()) <= 1) {
      return fail({ code: 'vault.last-admin' });
    }
    await this.db.accounts.update(accountId, { role });
    return ok({ ...publicAccount(row), role });
  }

  async removeAccount(admin: Session, accountId: string): Promise<VaultResult<null>> {
    if (admin.account.role !== 'admin') return fail({ code: 'vault.not-admin' });
    const row = await this.db.accounts.get(accountId);
    if (row === undefined) return fail({ code: 'vault.unknown-account' });
    if (row.role === 'admin' && (await this.adminCount()) <= 1) return fail({ code: 'vault.last-admin' });
    await this.db.transaction('rw', this.db.accounts, this.db.remembered, async () => {
      await this.db.accounts.delete(accountId);
      await this.db.remembered.delete(accountId);
    });
    return ok(null);
  }

  // --- remember on this computer (docs/security.md) ------------------------------------------------------------

  /** The accounts remembered on this computer (the sign-in screen offers them without the passphrase). */
  async rememberedAccounts(): Promise<ReadonlySet<string>> {
    return new Set((await this.db.remembered.toArray()).map((row) => row.accountId));
  }

  /**
   * Remembers the signed-in account on this computer: a random key wraps the device key, and the OS keychain seals
   * that key for this OS account (`os`: Electron `safeStorage`). Until forgotten, `signInRemembered` opens the
   * account without its passphrase for whoever uses this OS account on this machine.
   */
  async remember(session: Session, os: OsKeyring): Promise<VaultResult<null>> {
    const account = session.account;
    if ((await this.db.accounts.get(account.id)) === undefined) return fail({ code: 'vault.unknown-account' });
    const raw = randomBytes(32);
    try {
      const key = await subtle().importKey('raw', raw, AES, false, ['wrapKey', 'unwrapKey']);
      const wrappedDeviceKey = await wrap(session.requireDeviceKey(), key, rememberId(account.id));
      const sealedKey = await os.seal(raw);
      await this.db.remembered.put({ accountId: account.id, sealedKey, wrappedDeviceKey, createdAt: Date.now() });
      return ok(null);
    } finally {
      raw.fill(0);
    }
  }

  /**
   * Signs in a remembered account without its passphrase, if the OS keychain of this OS account opens its key. A copy
   * it cannot open (the profile folder copied to another account or machine, a reset keychain) is forgotten and the
   * passphrase is asked; a keychain that is not there right now forgets nothing.
   */
  async signInRemembered(accountId: string, os: OsKeyring): Promise<VaultResult<Session>> {
    const row = await this.db.remembered.get(accountId);
    if (row === undefined) return fail({ code: 'vault.not-remembered' });
    const account = await this.db.accounts.get(accountId);
    if (account === undefined) {
      await this.db.remembered.delete(accountId);
      return fail({ code: 'vault.unknown-account' });
    }
    let raw: Uint8Array | null;
    try {
      raw = await os.open(Uint8Array.from(row.sealedKey));
    } catch {
      return fail({ code: 'vault.os-keychain-unavailable' });
    }
    if (raw === null || raw.byteLength !== 32) {
      await this.db.remembered.delete(accountId);
      return fail({ code: 'vault.remembered-unreadable' });
    }
    try {
      const key = await subtle().importKey('raw', Uint8Array.from(raw), AES, false, ['wrapKey', 'unwrapKey']);
      const deviceKey = await unwrap(row.wrappedDeviceKey, key, rememberId(accountId), true, ['wrapKey', 'unwrapKey']);
      return ok(new Session(this, publicAccount(account), deviceKey));
    } catch {
      await this.db.remembered.delete(accountId);
      return fail({ code: 'vault.remembered-unreadable' });
    } finally {
      raw.fill(0);
    }
  }

  /** Forgets that an account is remembered here: its passphrase is asked again at every start. */
  async forgetRemembered(accountId: string): Promise<void> {
    await this.db.remembered.delete(accountId);
  }

  private async adminCount(): Promise<number> {
    return (await this.db.accounts.toArray()).filter((a) => a.role === 'admin').length;
  }

  private async enroll(account: Account, passphrase: string, deviceKey: CryptoKey): Promise<AccountRow> {
    const salt = randomBytes(16);
    const kek = await deriveKek(passphrase, salt, this.iterations);
    return {
      ...account,
      salt,
      iterations: this.iterations,
      wrappedDeviceKey: await wrap(deviceKey, kek, account.id),
    };
  }

  /** @internal (Session.keyFor): a community's data key, made and stored on first use. */
  async dataKey(deviceKey: CryptoKey, id: string): Promise<CryptoKey> {
    const stored = await this.db.keys.get(id);
    if (stored !== undefined) return unwrap(stored.wrapped, deviceKey, id, false, ['encrypt', 'decrypt']);
    // Two screens asking at once make one key, not two (the second would seal rows the first cannot open).
    let pending = this.creating.get(id);
    if (pending === undefined) {
      pending = this.createDataKey(deviceKey, id).finally(() => this.creating.delete(id));
      this.creating.set(id, pending);
    }
    return pending;
  }

  private async createDataKey(deviceKey: CryptoKey, id: string): Promise<CryptoKey> {
    const key = await subtle().generateKey(AES, true, ['encrypt', 'decrypt']);
    const row: KeyRow = { id, wrapped: await wrap(key, deviceKey, id), createdAt: Date.now() };
    let winner: KeyRow = row;
    await this.db.transaction('rw', this.db.keys, async () => {
      const existing = await this.db.keys.get(id);
      if (existing !== undefined) winner = existing;
      else await this.db.keys.add(row);
    });
    // Always the stored key, never an extractable copy: another window may have stored one first.
    return unwrap(winner.wrapped, deviceKey, id, false, ['encrypt', 'decrypt']);
  }

  /** @internal (Session.forget): the community's data on this device is being removed; its key goes first. */
  async forgetKey(id: string): Promise<void> {
    await this.db.keys.delete(id);
  }
}
