/**
 * Starting a worker thread from a module next to the caller, under tsx (tests, `npm run` scripts) and once built.
 * A worker thread does not inherit the TypeScript loader that `--import tsx` registered in the main thread, so under
 * tsx it registers it first (tsx's API, resolved from here), then imports the worker.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const UNDER_TSX = import.meta.url.endsWith('.ts');

/** The worker module `name` (without extension) in the folder of `base` (an `import.meta.url`). */
export function workerUrl(name: string, base: string): URL {
  return new URL(`./${name}${UNDER_TSX ? '.ts' : '.js'}`, base);
}

function workerSource(url: URL): string {
  const target = JSON.stringify(url.href);
  if (!UNDER_TSX) return `import(${target});`;
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${api}).then((tsx) => { tsx.register(); return import(${target}); });`;
}

export function startWorker(url: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  return new Worker(workerSource(url), { ...options, eval: true });
}

/** The nice value of background threads (`lowerThreadPriority`): the lowest priority there is. */
export const BACKGROUND_NICE = 19;

/**
 * Lowers the calling thread's scheduling priority to `nice` (Linux: the nice value is per thread, and
 * `/proc/thread-self` names the thread's id). For worker threads whose work nobody waits for (folding a compaction's
 * stored state, a registry's rows): on a machine whose cores are all busy, the event loops that relay live updates
 * run first (docs/sync-server.md, "Background work at low priority"). A thread can lower its priority but never raise
 * it again without privileges: only threads that do background work and nothing else call this. Returns whether it
 * was lowered (false elsewhere than Linux, or if refused).
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
