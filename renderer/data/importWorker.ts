/**
 * Reads a residents workbook and plans its import off the main thread: 20,000 rows take seconds to parse and check,
 * and the window must stay responsive and show progress meanwhile. The registry arrives as a plain snapshot (Maps of
 * plain records clone fine); the plan goes back whole, and the main thread applies it with `importResidents`.
 */
import { analyseImport, readSheet, type ImportAnalysis, type SheetError } from './excel';
import type { RegistrySnapshot } from '@shared/ydoc/registry';

export interface ImportRequest {
  bytes: Uint8Array;
  snapshot: RegistrySnapshot;
  today: string;
}

export type ImportStage = 'open' | 'rows' | 'check';

export type ImportMessage =
  | { kind: 'progress'; stage: ImportStage; done: number; total: number }
  | { kind: 'done'; analysis: ImportAnalysis; sheetName: string; ms: number }
  | { kind: 'refused'; error: SheetError }
  | { kind: 'failed'; message: string };

// The renderer's types are the window's; the few worker members used here are described by hand.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ImportRequest>) => void) | null;
  postMessage(message: ImportMessage): void;
};

async function run(request: ImportRequest): Promise<ImportMessage> {
  const started = performance.now();
  scope.postMessage({ kind: 'progress', stage: 'open', done: 0, total: 1 });
  const sheet = await readSheet(request.bytes, (done, total) => {
    scope.postMessage({ kind: 'progress', stage: 'rows', done, total });
  });
  if (!sheet.ok) return { kind: 'refused', error: sheet.error };
  scope.postMessage({ kind: 'progress', stage: 'check', done: 0, total: sheet.value.rows.length });
  const analysis = analyseImport(sheet.value, request.snapshot, request.today);
  return { kind: 'done', analysis, sheetName: sheet.value.sheetName, ms: Math.round(performance.now() - started) };
}

scope.onmessage = (event: MessageEvent<ImportRequest>) => {
  run(event.data).then(
    (message) => scope.postMessage(message),
    (error: unknown) =>
      scope.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
};
