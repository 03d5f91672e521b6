// jsdom lacks a few browser APIs that Mantine uses; give it minimal, behaviour-free stand-ins.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
// fake-indexeddb answers with typed arrays of this realm, as a browser's IndexedDB does.
import './sameRealmClone';

// waitFor and findBy* wait up to 5 s instead of 1 s: on a loaded 2-core CI machine a screen on the real store
// (fake-indexeddb, a Yjs transaction, a projection) can take over a second to answer, and a 1 s wait failed there
// while the screen was right. A wrong screen still fails, after 5 s.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});

if (typeof window.matchMedia !== 'function') {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string): MediaQueryList =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as unknown as MediaQueryList,
  });
}

if (typeof window.ResizeObserver !== 'function') {
  class ResizeObserverStub {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserverStub });
}
