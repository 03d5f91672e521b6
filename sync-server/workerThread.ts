/**
 * Starting a worker thread from a module next to the caller, under tsx (tests, `npm run` scripts) and once built.
 * A worker thread does not inherit the TypeScript loader that `--import tsx` registered in the main thread, so under
 * tsx it registers it first (tsx's API, resolved from here), then imports the worker.
 */
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
