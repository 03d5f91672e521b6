/**
 * Reading and planning a residents workbook, as one request with progress messages: the body of the import worker
 * (importWorker.ts), also run on the main thread where no worker can be started (jsdom in the unit tests). The same
 * code either way; only the thread differs.
 */
import type { ImportOptions } from '@shared/domain/registry/import';
import type { RegistrySnapshot } from '@shared/ydoc/registry';
import { analyseImport, readSheet, type ImportAnalysis, type SheetContent, type SheetError } from './excel';

export interface ImportRequest {
  /** The workbook's bytes, or the sheet as an earlier request read it (a choice changed on the preview). */
  source: { bytes: Uint8Array } | { content: SheetContent };
  snapshot: RegistrySnapshot;
  today: string;
  options: ImportOptions;
}

export type ImportStage = 'open' | 'rows' | 'check';

export type ImportMessage =
  | { kind: 'progress'; stage: ImportStage; done: number; total: number }
  | { kind: 'done'; analysis: ImportAnalysis; content: SheetContent; ms: number }
  | { kind: 'refused'; error: SheetError }
  | { kind: 'failed'; message: string };

/** Reads (unless the sheet was read before) and plans; progress goes to `post`, the outcome is returned. */
export async function runImport(
  request: ImportRequest,
  post: (message: Extract<ImportMessage, { kind: 'progress' }>) => void,
): Promise<Exclude<ImportMessage, { kind: 'progress' }>> {
  const started = performance.now();
  let content: SheetContent;
  if ('content' in request.source) content = request.source.content;
  else {
    post({ kind: 'progress', stage: 'open', done: 0, total: 1 });
    const sheet = await readSheet(request.source.bytes, (done, total) => {
      post({ kind: 'progress', stage: 'rows', done, total });
    });
    if (!sheet.ok) return { kind: 'refused', error: sheet.error };
    content = sheet.value;
  }
  post({ kind: 'progress', stage: 'check', done: 0, total: content.rows.length });
  const analysis = analyseImport(content, request.snapshot, request.today, request.options);
  return { kind: 'done', analysis, content, ms: Math.round(performance.now() - started) };
}
