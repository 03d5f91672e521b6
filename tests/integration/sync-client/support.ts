/**
 * Devices for the sync-client tests: a WorkstationStore on fake-indexeddb (one database per device, reopened to
 * simulate a reload) and a SyncManager with `ws` as its WebSocket and a switch for the OS's online state.
 */
import 'fake-indexeddb/auto';
import WebSocket from 'ws';
import { MemoryKeyRing } from '../../../renderer/data/keyring';
import { WorkstationStore } from '../../../renderer/data/store';
import { SyncManager, type SecretStore, type SyncEnvironment, type SyncSnapshot } from '../../../renderer/sync/manager';
import { waitFor } from '../sync-server/harness';

export const YEAR = 2026;

/** What a test may set of the device's sync environment (SyncEnvironment), on top of the defaults below. */
export type DeviceEnvironment = Pick<SyncEnvironment, 'firstAnswerWaitMs' | 'fetchImpl' | 'WebSocketImpl'>;

export class Device {
  online = true;
  private readonly onlineListeners = new Set<(online: boolean) => void>();
  readonly secrets = new Map<string, string>();
  /** The device's keys, the same after a reload (as the vault gives them again at sign-in). */
  readonly keys = new MemoryKeyRing();
  store!: WorkstationStore;
  manager!: SyncManager;

  constructor(
    readonly dbName: string,
    private readonly env: DeviceEnvironment = {},
  ) {}

  static async open(name: string, env: DeviceEnvironment = {}): Promise<Device> {
    const device = new Device(`${name}-${Math.random().toString(36).slice(2)}`, env);
    await device.boot();
    return device;
  }

  /** Opens the store and starts syncing, as the app does at start (also after a reload). */
  async boot(): Promise<void> {
    this.store = await WorkstationStore.open(this.dbName, { keys: this.keys });
    const secretStore: SecretStore = {
      storeSecret: (key, value) => {
        this.secrets.set(key, value);
        return Promise.resolve();
      },
      loadSecret: (key) => Promise.resolve(this.secrets.get(key) ?? null),
      deleteSecret: (key) => {
        this.secrets.delete(key);
        return Promise.resolve();
      },
    };
    this.manager = new SyncManager(this.store, secretStore, {
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      backoffBaseMs: 50,
      isOnline: () => this.online,
      onOnlineChange: (listener) => {
        this.onlineListeners.add(listener);
        return () => this.onlineListeners.delete(listener);
      },
      years: () => [YEAR],
      ...this.env,
    });
    await this.manager.start();
  }

  /** Closes the app (the window goes away) without waiting for the network. */
  async shutdown(): Promise<void> {
    await this.manager.stop();
    await this.store.close();
  }

  async reload(): Promise<void> {
    await this.shutdown();
    await this.boot();
  }

  setOnline(online: boolean): void {
    this.online = online;
    for (const listener of this.onlineListeners) listener(online);
  }

  get snapshot(): SyncSnapshot {
    return this.manager.getSnapshot();
  }

  waitFor(predicate: (snapshot: SyncSnapshot) => boolean, what: string, timeoutMs = 15_000): Promise<SyncSnapshot> {
    return waitFor(
      () => {
        const snapshot = this.manager.getSnapshot();
        return predicate(snapshot) ? snapshot : undefined;
      },
      timeoutMs,
      what,
    );
  }
}
