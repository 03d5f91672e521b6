/**
 * The device's settings (`settings` table), sealed with the device key unless listed in PLAIN_SETTINGS (sealed.ts).
 * `db.sealedSettings` reads and writes them with the shape of the Dexie table (`get`, `put`, `delete`), values
 * opened: every setting about a person goes through it, so that sealing stays in one place.
 */
import type { SettingRow, WorkstationDb } from './db';

/** Attempts at an update whose setting another window changed between its read and its write. */
const UPDATE_ATTEMPTS = 5;

function sameRow(a: SettingRow | undefined, b: SettingRow | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.sealed !== undefined || b.sealed !== undefined) {
    // Every sealing has a fresh IV: the same bytes are the same write.
    const [x, y] = [a.sealed, b.sealed];
    return x !== undefined && y !== undefined && x.length === y.length && x.every((byte, index) => byte === y[index]);
  }
  return JSON.stringify(a.value) === JSON.stringify(b.value);
}

export class SealedSettings {
  constructor(private readonly db: WorkstationDb) {}

  /** The setting with its value opened; `undefined` when it is not set. */
  async get(key: string): Promise<{ key: string; value: unknown } | undefined> {
    const row = await this.db.settings.get(key);
    return row === undefined ? undefined : { key, value: await this.db.rows.openSetting(row) };
  }

  /** Sealed before it is written (not inside a transaction: WebCrypto would let it commit). */
  async put(setting: { key: string; value: unknown }): Promise<void> {
    await this.db.settings.put(await this.db.rows.setting(setting.key, setting.value));
  }

  async delete(key: string): Promise<void> {
    await this.db.settings.delete(key);
  }

  /**
   * Reads a setting, computes its next value and writes it, as one step: the value is opened and the next one
   * sealed outside any transaction, then written in a short one only if the setting is still the one read;
   * otherwise it starts again from the new value.
   */
  async update<T>(key: string, next: (current: unknown) => T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.db.settings.get(key);
      const value = next(read === undefined ? undefined : await this.db.rows.openSetting(read));
      const row = await this.db.rows.setting(key, value);
      const written = await this.db.transaction('rw', this.db.settings, async () => {
        if (!sameRow(await this.db.settings.get(key), read)) return false;
        await this.db.settings.put(row);
        return true;
      });
      if (written) return value;
      if (attempt >= UPDATE_ATTEMPTS) throw new Error(`the setting ${key} kept changing while it was being updated`);
    }
  }
}
