/**
 * Printing with the PIPL log (shared/domain/registry/printAudit.ts): every print of a document with personal data
 * writes its `print` audit entry in the community's registry before the page goes to the printer, so the resident
 * drawer's 查阅记录 shows who printed whose data. Used by the print views of mediation and meetings.
 */
import { useCallback, useLayoutEffect, useRef } from 'react';
import { recordPrint, type RecordPrintInput } from '@shared/domain/registry/printAudit';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useStore } from '../../data/hooks';

/** A print the log refused (full numbers without the permission to print them): nothing was printed. */
export class PrintRefusedError extends Error {
  constructor(readonly error: DomainError) {
    super(`print refused: ${error.code}`);
    this.name = 'PrintRefusedError';
  }
}

/** The registry residents named by a list of people references (parties, attendees); others are not in the registry. */
export function residentIdsOf(refs: readonly ({ kind: string; id: string } | null | undefined)[]): string[] {
  return [...new Set(refs.flatMap((ref) => (ref?.kind === 'resident' ? [ref.id] : [])))];
}

/**
 * The print of a preview, logged. Returns `print(send)`: writes the audit entry, then runs `send` (the platform's
 * print); a refused entry throws `PrintRefusedError` and nothing is sent. While the preview is shown, a print the
 * browser starts by itself (Ctrl+P, its menu) is logged too, from its `beforeprint` event. `subject` `null`: a
 * document without personal data (a meeting's notice), printed without an entry.
 */
export function usePrintAudit(
  community: CommunityId,
  subject: RecordPrintInput | null,
): (send: () => Promise<unknown>) => Promise<void> {
  const store = useStore();
  const current = useRef(subject);
  // Before the browser paints the preview (so before any click on its print button), never after.
  useLayoutEffect(() => {
    current.current = subject;
  });
  /** Set while the toolbar's print runs, whose entry is already written (window.print() fires `beforeprint`). */
  const sending = useRef(false);

  const record = useCallback(async () => {
    const input = current.current;
    if (input === null) return;
    const result = await store.run(community, recordPrint, input);
    if (!result.ok) throw new PrintRefusedError(result.error);
  }, [store, community]);

  // Listening from the moment the preview shows (a layout effect runs before the browser paints it).
  useLayoutEffect(() => {
    const beforePrint = () => {
      if (!sending.current) void record().catch((error: unknown) => console.error('print not logged', error));
    };
    window.addEventListener('beforeprint', beforePrint);
    return () => window.removeEventListener('beforeprint', beforePrint);
  }, [record]);

  return useCallback(
    async (send: () => Promise<unknown>) => {
      // Logged before it is printed: a print cancelled in the dialog is logged too, never a print left out.
      await record();
      sending.current = true;
      try {
        await send();
      } finally {
        sending.current = false;
      }
    },
    [record],
  );
}
