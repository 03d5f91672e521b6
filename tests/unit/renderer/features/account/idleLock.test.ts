import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_IDLE_MINUTES, startIdleTimer } from '../../../../../renderer/features/account/idleLock';
import { readIdleMinutes, writeIdleMinutes } from '../../../../../renderer/features/account/idleSetting';

const MINUTE = 60_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the idle timer', () => {
  it('locks once the idle time has passed without activity, and only once', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ timeoutMs: 10 * MINUTE, onIdle });
    vi.advanceTimersByTime(10 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledOnce();
    expect(timer.fired).toBe(true);
    vi.advanceTimersByTime(60 * MINUTE);
    timer.activity();
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('starts the idle period again with every activity', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ timeoutMs: 10 * MINUTE, onIdle });
    for (let i = 0; i < 6; i++) {
      vi.advanceTimersByTime(9 * MINUTE);
      timer.activity();
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10 * MINUTE);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('keeps one timer however many mouse moves come', () => {
    const timer = startIdleTimer({ timeoutMs: MINUTE, onIdle: () => undefined });
    for (let i = 0; i < 1000; i++) timer.activity();
    expect(vi.getTimerCount()).toBe(1);
    timer.stop();
  });

  it('locks at the first activity after a sleep that outlasted the idle time (the timer never ran)', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ timeoutMs: 10 * MINUTE, onIdle });
    // The machine slept: the clock moved on, no timer ran.
    vi.setSystemTime(Date.now() + 11 * MINUTE);
    timer.activity();
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('applies a new idle time at once, counted from the last activity', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ timeoutMs: 10 * MINUTE, onIdle });
    vi.advanceTimersByTime(3 * MINUTE);
    timer.setTimeoutMs(5 * MINUTE);
    vi.advanceTimersByTime(2 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledOnce();

    // Shorter than the time already idle: locks now.
    const other = vi.fn();
    const second = startIdleTimer({ timeoutMs: 10 * MINUTE, onIdle: other });
    vi.advanceTimersByTime(4 * MINUTE);
    second.setTimeoutMs(MINUTE);
    expect(other).toHaveBeenCalledOnce();
  });

  it('does nothing more once stopped (signed out already)', () => {
    const onIdle = vi.fn();
    const timer = startIdleTimer({ timeoutMs: MINUTE, onIdle });
    timer.stop();
    vi.advanceTimersByTime(10 * MINUTE);
    timer.activity();
    expect(onIdle).not.toHaveBeenCalled();
    expect(timer.fired).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the idle time setting', () => {
  it('is 10 minutes unless one of the offered times was chosen', () => {
    expect(DEFAULT_IDLE_MINUTES).toBe(10);
    expect(readIdleMinutes()).toBe(10);
    writeIdleMinutes(5);
    expect(readIdleMinutes()).toBe(5);
    localStorage.setItem('cgw.idle-lock-minutes', '0');
    expect(readIdleMinutes()).toBe(10);
    localStorage.setItem('cgw.idle-lock-minutes', 'never');
    expect(readIdleMinutes()).toBe(10);
    expect(() => writeIdleMinutes(7)).toThrow();
  });
});
