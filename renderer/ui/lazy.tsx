import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';

/**
 * A component loaded when first shown: screens that are not on the way to the first list (mediation, meetings, Excel,
 * settings) stay out of the start bundle, whose parsing the window waits for.
 */
// `any` as in React's own `lazy` signature: the props of the loaded component are whatever it declares.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyNamed<K extends string, C extends ComponentType<any>>(
  load: () => Promise<Record<K, C>>,
  name: K,
): LazyExoticComponent<C> {
  return lazy(async () => ({ default: (await load())[name] }));
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
