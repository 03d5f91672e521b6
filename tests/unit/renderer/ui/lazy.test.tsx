import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../../../../renderer/ui/ErrorBoundary';
import {
  LazyBoundary,
  lazyNamed,
  PRELOAD_AFTER_MS,
  PRELOAD_LATEST_MS,
  preloadAll,
  preloadDelay,
} from '../../../../renderer/ui/lazy';
import { TYPING_QUIET_MS } from '../../../../renderer/data/typing';
import { renderUi } from '../render';

/** Renders or fires inside an awaited act: in React's test environment a suspended render resumes only there. */
async function settle(work: () => unknown): Promise<void> {
  await act(async () => {
    work();
    await Promise.resolve();
  });
}

function Greeting({ name }: { name: string }) {
  return <p>hello {name}</p>;
}

describe('lazyNamed', () => {
  it('shows the component once its code has loaded, with its props', async () => {
    const Lazy = lazyNamed(() => Promise.resolve({ Greeting }), 'Greeting');
    await settle(() => {
      renderUi(
        <LazyBoundary>
          <Lazy name="张三" />
        </LazyBoundary>,
      );
    });
    expect(await screen.findByText('hello 张三')).toBeTruthy();
  });

  it('draws a preloaded part at once, without the spinner, and loads its code once', async () => {
    let loads = 0;
    const Lazy = lazyNamed(() => {
      loads += 1;
      return Promise.resolve({ Greeting });
    }, 'Greeting');
    await Lazy.preload();
    await Lazy.preload();
    // No act and no awaiting: the first render already shows the part (a suspended render would show the spinner).
    const { container } = renderUi(
      <LazyBoundary>
        <Lazy name="王五" />
      </LazyBoundary>,
    );
    expect(container.textContent).toContain('hello 王五');
    expect(loads).toBe(1);
  });

  it('does not remember a failed load: the retry of the error boundary loads again', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let online = false;
    let attempts = 0;
    const Lazy = lazyNamed(() => {
      attempts += 1;
      return online ? Promise.resolve({ Greeting }) : Promise.reject(new Error('offline'));
    }, 'Greeting');
    await settle(() => {
      renderUi(
        <ErrorBoundary>
          <LazyBoundary>
            <Lazy name="李四" />
          </LazyBoundary>
        </ErrorBoundary>,
      );
    });
    expect((await screen.findByRole('alert')).textContent).toContain('offline');
    const failed = attempts;
    online = true;
    await settle(() => {
      fireEvent.click(screen.getByRole('button', { name: '重试' }));
    });
    expect(await screen.findByText('hello 李四')).toBeTruthy();
    expect(attempts).toBe(failed + 1);
    quiet.mockRestore();
  });

  it('preloads without showing, and a failed preload never rejects', async () => {
    const load = vi.fn(() => Promise.reject(new Error('offline')));
    const Lazy = lazyNamed(load, 'Greeting');
    await expect(Lazy.preload()).resolves.toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('preloadDelay', () => {
  it('waits two seconds, and while a sync is busy until half a minute after the start, never less', () => {
    const start = 1_000_000;
    expect(preloadDelay(false, start, start)).toBe(PRELOAD_AFTER_MS);
    expect(preloadDelay(true, start, start)).toBe(PRELOAD_LATEST_MS);
    expect(preloadDelay(true, start, start + 10_000)).toBe(PRELOAD_LATEST_MS - 10_000);
    // A server that never answers: the screens still come, two seconds after the half minute.
    expect(preloadDelay(true, start, start + 60_000)).toBe(PRELOAD_AFTER_MS);
    expect(preloadDelay(false, start, start + 60_000)).toBe(PRELOAD_AFTER_MS);
  });
});

describe('preloadAll', () => {
  it('waits while a person types: a part left to load loads a quiet second after the last key', async () => {
    let loadedAt = Number.NaN;
    lazyNamed(() => {
      loadedAt = performance.now();
      return Promise.resolve({ Greeting });
    }, 'Greeting');
    let lastKey = performance.now();
    const key = () => {
      lastKey = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    };
    key();
    const typing = setInterval(key, 150);
    const stop = setTimeout(() => clearInterval(typing), 900);
    try {
      await preloadAll();
    } finally {
      clearInterval(typing);
      clearTimeout(stop);
    }
    // Keys came every 150 ms for 0.9 s: the part waited for a second without one (timers may fire a little early).
    expect(loadedAt - lastKey).toBeGreaterThanOrEqual(TYPING_QUIET_MS - 20);
  });
});
