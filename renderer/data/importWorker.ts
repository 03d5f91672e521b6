/**
 * Reads a residents workbook and plans its import off the main thread: 20,000 rows take seconds to parse and check,
 * and the window must stay responsive and show progress meanwhile. The registry arrives as a plain snapshot (Maps of
 * plain records clone fine); the plan goes back whole with the sheet as read, and the main thread applies it with
 * `importResidents`. The work itself is `runImport` (importRun.ts).
 */
import { runImport, type ImportMessage, type ImportRequest } from './importRun';

export type { ImportMessage, ImportRequest, ImportStage } from './importRun';

// The renderer's types are the window's; the few worker members used here are described by hand.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ImportRequest>) => void) | null;
  postMessage(message: ImportMessage): void;
};

scope.onmessage = (event: MessageEvent<ImportRequest>) => {
  runImport(event.data, (progress) => scope.postMessage(progress)).then(
    (message) => scope.postMessage(message),
    (error: unknown) =>
      scope.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
};
