/**
 * Typing comes first: background work that holds the main thread in long steps (a big document's load: a step of
 * about a megabyte of Yjs update takes 100-300 ms at 100,000 residents) waits while a person types, so that each key's
 * answer is not queued behind one of those steps. The wait is bounded per piece of work, so that someone who types
 * without pause cannot hold a document's sync back for long (docs/registry-model.md, "Typing comes first").
 */

/** A key pressed less than this long ago means the person is typing: the next step waits. */
export const TYPING_QUIET_MS = 1_000;

/** At most this long, in all, does one piece of background work wait for typing. */
export const TYPING_WAIT_MAX_MS = 20_000;

export interface TypingClock {
  now(): number;
  /** When the last key was pressed (`now()`'s time base), or -Infinity. */
  lastKeyAt(): number;
  sleep(ms: number): Promise<void>;
}

let lastKey = Number.NEGATIVE_INFINITY;

function onKey(): void {
  lastKey = performance.now();
}

// Heard in the capture phase, before any screen's handler: a key counts wherever it lands.
if (typeof window !== 'undefined') window.addEventListener('keydown', onKey, { capture: true, passive: true });

const BROWSER_CLOCK: TypingClock = {
  now: () => performance.now(),
  lastKeyAt: () => lastKey,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A pause to take between the steps of one piece of background work: it always lets the browser handle input and
 * paint (a macrotask), and while a key was pressed within TYPING_QUIET_MS it waits until the typing stops, for at
 * most `budgetMs` over all its calls.
 */
export function typingPause(budgetMs = TYPING_WAIT_MAX_MS, clock: TypingClock = BROWSER_CLOCK): () => Promise<void> {
  let left = budgetMs;
  return async () => {
    await clock.sleep(0);
    while (left > 0) {
      const quietIn = clock.lastKeyAt() + TYPING_QUIET_MS - clock.now();
      if (quietIn <= 0) return;
      const wait = Math.min(quietIn, left);
      left -= wait;
      await clock.sleep(wait);
    }
  };
}
