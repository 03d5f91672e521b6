import { useEffect } from 'react';
import './print.css';

/** The class a printed document's portal root carries: printed, nothing else of the page remains (print.css). */
export const PRINT_ROOT_CLASS = 'cgw-print-root';

/** Marks the body as printing a document while the calling preview is shown (see print.css). */
export function usePrintRoot(): void {
  useEffect(() => {
    document.body.classList.add('cgw-printing');
    return () => document.body.classList.remove('cgw-printing');
  }, []);
}
