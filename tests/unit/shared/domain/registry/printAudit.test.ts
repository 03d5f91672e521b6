import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isCommandOrigin } from '@shared/domain/kernel';
import { mayPrintUnmasked, recordPrint, type RecordPrintInput } from '@shared/domain/registry/printAudit';
import { AUDIT_ACTIONS } from '@shared/domain/registry/types';
import { readAudit } from '@shared/ydoc/registry';
import { errorOf, makeCtx, unwrap } from './fixtures';

describe('recordPrint', () => {
  it('appends one print entry naming the document, the record, the residents and who printed, in a command transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const { printId } = unwrap(
      recordPrint(doc, makeCtx(), {
        document: 'mediation-agreement',
        docName: 'xihe/cases/2026',
        collection: 'cases',
        recordId: 'case-1',
        residentIds: ['r-1', 'r-2', 'r-1'],
        unmasked: true,
      }),
    );
    expect(readAudit(doc)).toEqual([
      expect.objectContaining({
        id: printId,
        action: 'print',
        collection: 'cases',
        recordId: 'case-1',
        userId: 'u1',
        userName: 'name-u1',
        deviceId: 'dev-u1',
        fields: {
          document: 'mediation-agreement',
          docName: 'xihe/cases/2026',
          unmasked: true,
          residentIds: ['r-1', 'r-2'],
        },
      }),
    ]);
    expect(origins).toHaveLength(1);
    expect(isCommandOrigin(origins[0])).toBe(true);
  });

  it('refuses a print with full phones to a viewer, and records a masked one', () => {
    const doc = new Y.Doc();
    const viewer = makeCtx({ permissions: [] });
    const input: Omit<RecordPrintInput, 'unmasked'> = {
      document: 'meeting-minutes',
      docName: 'xihe/meetings/2026',
      collection: 'meetings',
      recordId: 'm-1',
    };
    expect(errorOf(recordPrint(doc, viewer, { ...input, unmasked: true })).code).toBe('permission-denied');
    expect(readAudit(doc)).toEqual([]);
    unwrap(recordPrint(doc, viewer, { ...input, unmasked: false }));
    expect(readAudit(doc)).toHaveLength(1);
    expect(mayPrintUnmasked(new Set(['cases.edit']), 'mediation-agreement')).toBe(true);
    expect(mayPrintUnmasked(new Set(['registry.edit']), 'mediation-agreement')).toBe(false);
  });

  it('lets a mediator print full numbers on the documents of a case only, not on a resident or a meeting', () => {
    const doc = new Y.Doc();
    const mediator = makeCtx({ permissions: ['cases.edit'] });
    const resident = { docName: 'xihe/registry', collection: 'residents', recordId: 'r-1', unmasked: true } as const;
    expect(errorOf(recordPrint(doc, mediator, { ...resident, document: 'resident' })).code).toBe('permission-denied');
    const minutes = { docName: 'xihe/meetings/2026', collection: 'meetings', recordId: 'm-1', unmasked: true } as const;
    expect(errorOf(recordPrint(doc, mediator, { ...minutes, document: 'meeting-minutes' })).code).toBe(
      'permission-denied',
    );
    expect(readAudit(doc)).toEqual([]);
    const dossier = { docName: 'xihe/cases/2026', collection: 'cases', recordId: 'c-1', unmasked: true } as const;
    unwrap(recordPrint(doc, mediator, { ...dossier, document: 'mediation-dossier' }));
    unwrap(recordPrint(doc, makeCtx({ permissions: ['registry.reveal'] }), { ...resident, document: 'resident' }));
    expect(readAudit(doc).map((e) => e.fields.document)).toEqual(['mediation-dossier', 'resident']);
  });

  it('refuses a document it does not know', () => {
    const doc = new Y.Doc();
    const input = {
      document: 'poster',
      docName: 'x/registry',
      collection: 'residents',
      recordId: 'r',
      unmasked: false,
    };
    // @ts-expect-error 'poster' is no printed document: a compile error at a call site, refused at run time too
    expect(errorOf(recordPrint(doc, makeCtx(), input)).code).toBe('invalid');
  });

  it('is an audit action, added after the others', () => {
    expect(AUDIT_ACTIONS.slice(0, 7)).toEqual(['create', 'update', 'delete', 'move', 'reveal', 'import', 'export']);
    expect(AUDIT_ACTIONS).toContain('print');
  });
});
