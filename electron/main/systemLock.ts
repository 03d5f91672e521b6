/**
 * The OS locking the screen or putting the machine to sleep locks the workstation too (PIPL: a shared office desktop
 * left locked by Windows must not reopen on someone else's data). Electron's `powerMonitor` tells main; main tells
 * the renderer with the typed `onSystemLock` event, and the renderer ends the session (renderer/features/account).
 *
 * Free of `electron` imports (tested in plain Node): app.ts hands in `powerMonitor` and a sender.
 */
import { SYSTEM_LOCK_REASONS, type SystemLockReason } from '@shared/ipc/channels';

/** The part of `powerMonitor` used here (an EventEmitter). */
export interface PowerMonitorLike {
  on(event: SystemLockReason, listener: () => void): unknown;
  removeListener(event: SystemLockReason, listener: () => void): unknown;
}

/**
 * Forwards 'lock-screen' (Windows, macOS) and 'suspend' (all platforms) to `send`. Returns the function that stops
 * forwarding. Linux desktops do not report 'lock-screen': there the idle lock and 'suspend' remain.
 */
export function forwardSystemLock(monitor: PowerMonitorLike, send: (reason: SystemLockReason) => void): () => void {
  const listeners = SYSTEM_LOCK_REASONS.map((reason) => {
    const listener = (): void => {
      try {
        send(reason);
      } catch (error: unknown) {
        // A window closing at that very moment: nothing left to lock.
        console.warn(`system lock: could not tell the window (${reason})`, error);
      }
    };
    monitor.on(reason, listener);
    return [reason, listener] as const;
  });
  return () => {
    for (const [reason, listener] of listeners) monitor.removeListener(reason, listener);
  };
}
