/**
 * Closing the window lets the renderer finish first: write out what is pending and, when online with changes in
 * flight, wait a moment for the sync server to store them (renderer/sync `whenSaved`). Offline the renderer answers
 * at once: its changes are safe on disk and go out next time. Main never waits longer than `timeoutMs`, so a hung
 * renderer cannot keep the window open.
 */
export interface CloseGuardOptions {
  /** Asks the renderer to get ready (sends `onCloseRequested`). */
  ask: () => void;
  /** Closes the window for real (the guard lets this close through). */
  close: () => void;
  timeoutMs?: number;
}

export interface CloseGuard {
  /** From the window's `close` event: `true` when the close must be prevented for now. */
  intercept(): boolean;
  /** The renderer is ready (`confirmClose`). */
  confirm(): void;
}

export const CLOSE_TIMEOUT_MS = 5_000;

export function createCloseGuard({ ask, close, timeoutMs = CLOSE_TIMEOUT_MS }: CloseGuardOptions): CloseGuard {
  let allowed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const finish = (): void => {
    if (allowed) return;
    allowed = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    close();
  };
  return {
    intercept() {
      if (allowed) return false;
      if (timer === null) {
        timer = setTimeout(finish, timeoutMs);
        ask();
      }
      return true;
    },
    confirm() {
      // Only a close that was asked for: a page cannot close the window by calling confirmClose on its own.
      if (timer !== null) finish();
    },
  };
}
