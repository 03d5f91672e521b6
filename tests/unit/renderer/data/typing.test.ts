import { describe, expect, it } from 'vitest';
import { TYPING_QUIET_MS, typingPause, type TypingClock } from '../../../../renderer/data/typing';

/** A clock that moves only when slept on, with keys pressed at given times. */
function fakeClock(keys: number[]): TypingClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    lastKeyAt: () => Math.max(Number.NEGATIVE_INFINITY, ...keys.filter((at) => at <= now)),
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('typingPause', () => {
  it('only yields a task when nobody typed lately', async () => {
    const clock = fakeClock([]);
    await typingPause(20_000, clock)();
    expect(clock.slept).toEqual([0]);
    expect(clock.now()).toBe(0);
  });

  it('waits until a second has passed since the last key, following keys pressed meanwhile', async () => {
    // Keys at 0, 300 and 1,200: quiet from 2,200.
    const clock = fakeClock([0, 300, 1_200]);
    await typingPause(20_000, clock)();
    expect(clock.now()).toBe(1_200 + TYPING_QUIET_MS);
  });

  it('stops waiting once its budget is spent, over all its calls', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => i * 500);
    const clock = fakeClock(keys);
    const pause = typingPause(1_500, clock);
    await pause();
    expect(clock.now()).toBe(1_500);
    const before = clock.now();
    await pause();
    // The budget is spent: the second pause only yields, though a key was pressed just now.
    expect(clock.now()).toBe(before);
    expect(clock.lastKeyAt()).toBe(1_500);
  });
});
