import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloseGuard } from '../../../../electron/main/closeGuard';

afterEach(() => {
  vi.useRealTimers();
});

describe('close guard', () => {
  it('holds the first close, asks the renderer once, and closes when it confirms', () => {
    const ask = vi.fn();
    const close = vi.fn();
    const guard = createCloseGuard({ ask, close });
    expect(guard.intercept()).toBe(true);
    expect(guard.intercept()).toBe(true);
    expect(ask).toHaveBeenCalledOnce();
    guard.confirm();
    expect(close).toHaveBeenCalledOnce();
    expect(guard.intercept()).toBe(false);
  });

  it('closes anyway after the timeout when the renderer does not answer', () => {
    vi.useFakeTimers();
    const close = vi.fn();
    const guard = createCloseGuard({ ask: vi.fn(), close, timeoutMs: 5_000 });
    guard.intercept();
    vi.advanceTimersByTime(4_999);
    expect(close).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(close).toHaveBeenCalledOnce();
  });

  it('ignores a confirmation nobody asked for (a page cannot close the window by itself)', () => {
    const close = vi.fn();
    createCloseGuard({ ask: vi.fn(), close }).confirm();
    expect(close).not.toHaveBeenCalled();
  });
});
