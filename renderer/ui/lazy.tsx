import { Center, Loader } from '@mantine/core';
import { createElement, Suspense, use, type ComponentProps, type ComponentType, type ReactNode } from 'react';
import { typingPause } from '../data/typing';

// `any` as in React's own `lazy` signature: the props of the loaded component are whatever it declares.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponent = ComponentType<any>;

export type LazyComponent<C extends AnyComponent> = ((props: ComponentProps<C>) => ReactNode) & {
  /** Starts loading the code now; never rejects (a failure is tried again when the component is shown). */
  preload: () => Promise<void>;
};

const preloads: (() => Promise<void>)[] = [];

/** A promise with the fields React itself sets on promises it has seen settle. */
type Settled<T> = Promise<T> & { status?: string; value?: T };

/**
 * A component whose code loads when first shown, or earlier through `preloadAll` (called after the first paint).
 * Screens that are not on the way to the first list (mediation, meetings, Excel, settings) stay out of the start
 * bundle, whose parsing the window waits for, yet are on hand before the laptop goes offline.
 *
 * Unlike `React.lazy`, a failed load is not remembered: the screen's error boundary offers "retry", and the retry
 * loads again (web mode served from a server that is unreachable for a moment).
 */
export function lazyNamed<K extends string, C extends AnyComponent>(
  load: () => Promise<Record<K, C>>,
  name: K,
): LazyComponent<C> {
  let pending: Promise<C> | null = null;
  const get = (): Promise<C> => {
    if (pending !== null) return pending;
    const loading: Promise<C> = load().then(
      (module) => {
        const component = module[name];
        // React's `use` reads a settled promise's `status` and `value` without suspending (React's thenable
        // protocol): code preloaded before the part is first shown then draws at once, with no spinner.
        const settled: Settled<C> = loading;
        settled.status = 'fulfilled';
        settled.value = component;
        return component;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    pending = loading;
    return loading;
  };
  function Lazy(props: ComponentProps<C>) {
    // `use` on every render, loaded or not (React warns when a component that suspended stops calling it); the
    // loaded component is the same object on every render once its module is in (no remount).
    return createElement(use(get()), props);
  }
  const preload = () =>
    get().then(
      () => undefined,
      () => undefined,
    );
  preloads.push(preload);
  return Object.assign(Lazy, { preload });
}

/** When the screens loaded on first use are fetched after the start (see `preloadDelay`). */
export const PRELOAD_AFTER_MS = 2_000;
/** The longest a sync that is busy (a first sync, or a server that cannot be reached) holds the preloading back. */
export const PRELOAD_LATEST_MS = 30_000;

/**
 * How long from `now` the preloading waits: two seconds; while the sync is connecting or bringing documents in,
 * until half a minute after the start (evaluating the screens' code would hold the main thread a first sync
 * needs; but a laptop must have every screen before it goes offline, even if the server never answers).
 */
export function preloadDelay(syncBusy: boolean, startedAt: number, now: number): number {
  return syncBusy ? Math.max(PRELOAD_AFTER_MS, startedAt + PRELOAD_LATEST_MS - now) : PRELOAD_AFTER_MS;
}

/** Resolves when the browser is idle (or after `timeout` ms), where there is such a thing; at once elsewhere. */
function whenIdle(timeout: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout });
    else resolve();
  });
}

/**
 * Loads the code of every lazily shown part, one after another, so it is all on hand before the network goes away.
 * Each part waits for an idle moment (at most a few seconds): evaluating a screen's code holds the main thread, and
 * a first sync or a list being drawn has it first.
 */
export async function preloadAll(): Promise<void> {
  performance.mark('cgw:preload-start');
  // And while a person types, the next part waits (at most TYPING_WAIT_MAX_MS in all): the spreadsheet library's
  // code, evaluated between two keys, held one of them 300 ms (docs/bench-scale.md, "Keys that waited behind
  // background work").
  const pause = typingPause();
  for (const preload of preloads) {
    await whenIdle(3_000);
    await pause();
    await preload();
  }
  performance.mark('cgw:preload-end');
}

/** Where a lazily loaded part appears: a quiet spinner until its code has arrived. */
export function LazyBoundary({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Center py="lg">
          <Loader size="sm" aria-hidden />
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}
