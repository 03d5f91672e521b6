import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { intakeCase, renumberCases } from '@shared/domain/mediation/commands';
import { nextProvisionalNumber } from '@shared/domain/mediation/caseNumber';
import { nextCaseNumber } from '@shared/domain/mediation/numberIndex';
import type { CaseId } from '@shared/domain/mediation/types';
import { casesMap, listCases } from '@shared/ydoc/cases';
import { intakeInput, makeCtx, sync, unwrap } from './fixtures';

type Ctx = ReturnType<typeof makeCtx>;

function newCase(doc: Y.Doc, ctx: Ctx): CaseId {
  return unwrap(intakeCase(doc, ctx, intakeInput(), null));
}

/** What intake numbered with before the index: every case of the document read. */
function scanned(doc: Y.Doc): number {
  return nextProvisionalNumber(listCases(doc));
}

function numbers(doc: Y.Doc): number[] {
  return listCases(doc)
    .map((c) => c.number)
    .sort((x, y) => x - y);
}

describe('numbering a new case without reading the cases (numberIndex.ts)', () => {
  it('numbers 600 intakes 1…600, each as a scan of every case would', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    for (let i = 1; i <= 600; i++) {
      // The scan reads every case (n² over the loop): compared every 50 intakes.
      if (i % 50 === 1) expect(nextCaseNumber(doc)).toBe(scanned(doc));
      newCase(doc, ctx);
    }
    expect(numbers(doc)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    expect(nextCaseNumber(doc)).toBe(601);
  });

  it('counts the cases a document already held when first asked, and cases arriving by sync', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ctxA = makeCtx({ user: 'a' });
    const ctxB = makeCtx({ user: 'b' });
    for (let i = 0; i < 5; i++) newCase(a, ctxA);
    sync(a, b);
    // b's index is built now, on five cases it never numbered.
    expect(nextCaseNumber(b)).toBe(6);
    for (let i = 0; i < 4; i++) newCase(a, ctxA);
    sync(a, b);
    expect(nextCaseNumber(b)).toBe(10);
    expect(unwrap(intakeCase(b, ctxB, intakeInput(), null))).toBeTruthy();
    expect(numbers(b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('counts a number a renumbering raised (two offline laptops, settled after sync)', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ctxA = makeCtx({ user: 'a', start: '2026-03-01T01:00:00.000Z' });
    const ctxB = makeCtx({ user: 'b', start: '2026-03-01T00:30:00.000Z' });
    newCase(a, ctxA);
    sync(a, b);
    for (let i = 0; i < 3; i++) {
      ctxA.advance(3600_000);
      ctxB.advance(3600_000);
      newCase(a, ctxA);
      newCase(b, ctxB);
    }
    sync(a, b);
    // Provisional numbers 1-4 twice: the highest known is 4 until the settling moves a's three cases to 5-7.
    expect(nextCaseNumber(a)).toBe(5);
    expect(unwrap(renumberCases(a, ctxA))).toHaveLength(3);
    expect(nextCaseNumber(a)).toBe(8);
    expect(nextCaseNumber(b)).toBe(5);
    sync(a, b);
    expect(nextCaseNumber(b)).toBe(8);
    ctxA.advance(3600_000);
    newCase(a, ctxA);
    expect(numbers(a)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives two intakes in one transaction two numbers', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    newCase(doc, ctx);
    expect(nextCaseNumber(doc)).toBe(2);
    doc.transact(() => {
      newCase(doc, ctx);
      newCase(doc, ctx);
      expect(nextCaseNumber(doc)).toBe(4);
    });
    expect(numbers(doc)).toEqual([1, 2, 3]);
  });

  it('counts the cases of a transaction whose observers are still running (an intake made by an observer)', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ctxA = makeCtx({ user: 'a' });
    const ctxB = makeCtx({ user: 'b' });
    newCase(b, ctxB);
    expect(nextCaseNumber(b)).toBe(2);
    let intakes = 0;
    // When cases arrive by sync, b registers one more at once: its observer runs before the sync's
    // `afterTransaction`.
    casesMap(b).observe((event) => {
      if (event.transaction.origin !== 'sync' || intakes > 0) return;
      intakes += 1;
      newCase(b, ctxB);
    });
    for (let i = 0; i < 3; i++) newCase(a, ctxA);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'sync');
    expect(intakes).toBe(1);
    // a's 1-3 and b's own 1, then the case its observer registered: 4, not 2.
    expect(numbers(b)).toEqual([1, 1, 2, 3, 4]);
    expect(nextCaseNumber(b)).toBe(5);
  });

  it('answers as the scan does through removals and edits of numbers (random steps)', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    let seed = 20261203;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const ids: CaseId[] = [];
    for (let step = 0; step < 400; step++) {
      const kind = random(10);
      const id = ids[random(Math.max(1, ids.length))];
      if (kind < 5 || id === undefined) ids.push(newCase(doc, ctx));
      else if (kind < 7) casesMap(doc).delete(id);
      else if (kind < 9)
        casesMap(doc)
          .get(id)
          ?.set('number', 1 + random(ids.length + 5));
      else
        doc.transact(() => {
          casesMap(doc)
            .get(id)
            ?.set('number', 1 + random(3));
          ids.push(newCase(doc, ctx));
        });
      expect(nextCaseNumber(doc)).toBe(scanned(doc));
    }
  });
});
