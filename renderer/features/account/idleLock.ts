/**
 * The idle lock (PIPL: a shared office desktop left alone must not stay open on residents' data): after `timeoutMs`
 * without keyboard, mouse or touch, the workstation locks. Pure logic over an injected clock, so tests run it with
 * fake timers; `useIdleLock` binds it to the page's input events.
 *
 * Time is measured from the last activity, not by counting timer ticks: a laptop that slept, or a background window
 * whose timers the browser slowed down, is judged by the clock when it wakes. An activity that comes after the
 * deadline locks rather than starts a new period (the timer may never have fired while the machine slept).
 */

/** Default idle time before the lock, in minutes (the figure; a setting in 设置 per device). */
export const DEFAULT_IDLE_MINUTES = 10;
/** The times a person may choose (minutes). No "never": a shared desktop always locks in the end. */
export const IDLE_MINUTE_CHOICES = [1, 2, 5, 10, 15, 30, 60] as const;

export interface IdleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Date.now and the global timers, looked up at each call (fake timers in tests replace them). */
export const systemClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export interface IdleTimer {
  /** Keyboard, mouse or touch: the idle period starts again (or, past the deadline, the lock comes now). */
  activity(): void;
  /** A new idle time from the settings; counted from the last activity. */
  setTimeoutMs(ms: number): void;
  /** No more locking (signed out already, or the screen unmounts). */
  stop(): void;
  /** Whether it has called `onIdle` (it does so once). */
  readonly fired: boolean;
}

export function startIdleTimer({
  timeoutMs,
  onIdle,
  clock = systemClock,
}: {
  timeoutMs: number;
  onIdle: () => void;
  clock?: IdleClock;
}): IdleTimer {
  let limit = timeoutMs;
  let last = clock.now();
  let handle: unknown = null;
  /** Stopped or fired: nothing more happens. */
  let done = false;
  let fired = false;

  const clear = (): void => {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  };
  const fire = (): void => {
    if (done) return;
    done = true;
    fired = true;
    clear();
    onIdle();
  };
  const check = (): void => {
    handle = null;
    if (done) return;
    const idle = clock.now() - last;
    if (idle >= limit) fire();
    // Early (activity meanwhile): wait for the rest only. One timer at a time, not one per mouse move.
    else handle = clock.setTimeout(check, limit - idle);
  };

  handle = clock.setTimeout(check, limit);
  return {
    activity() {
      if (done) return;
      if (clock.now() - last >= limit) fire();
      else last = clock.now();
    },
    setTimeoutMs(ms) {
      if (done) return;
      limit = ms;
      clear();
      check();
    },
    stop() {
      done = true;
      clear();
    },
    get fired() {
      return fired;
    },
  };
}
