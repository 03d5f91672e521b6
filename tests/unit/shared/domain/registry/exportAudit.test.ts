import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isCommandOrigin, type CommandInput } from '@shared/domain/kernel';
import { auditQuery, EXPORT_LISTED_MAX, recordExport } from '@shared/domain/registry/exportAudit';
import { readAudit } from '@shared/ydoc/registry';
import { errorOf, makeCtx, unwrap } from './fixtures';

const input: CommandInput<typeof recordExport> = {
  kind: 'residents',
  count: 120,
  columns: ['name', 'idNumber', 'phone'],
  unmasked: false,
  filter: { buildingId: 'b-1', query: '' },
};

describe('recordExport', () => {
  it('appends one export entry with who, how many, which columns and filter, in a command transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const { exportId } = unwrap(recordExport(doc, makeCtx(), input));
    const [entry, ...rest] = readAudit(doc);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      id: exportId,
      recordId: exportId,
      action: 'export',
      collection: 'residents',
      userId: 'u1',
      fields: { count: 120, columns: ['name', 'idNumber', 'phone'], unmasked: false, filter: { buildingId: 'b-1' } },
    });
    expect(origins).toHaveLength(1);
    expect(isCommandOrigin(origins[0])).toBe(true);
  });

  it('refuses an unmasked export without registry.reveal and writes nothing', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx({ permissions: ['registry.edit'] });
    expect(errorOf(recordExport(doc, ctx, { ...input, unmasked: true })).code).toBe('permission-denied');
    expect(readAudit(doc)).toEqual([]);
    // A masked export is what the person already sees on screen.
    unwrap(recordExport(doc, ctx, input));
    expect(readAudit(doc)).toHaveLength(1);
  });

  it('records an unmasked export as such for a person holding registry.reveal', () => {
    const doc = new Y.Doc();
    unwrap(recordExport(doc, makeCtx({ permissions: ['registry.reveal'] }), { ...input, unmasked: true }));
    expect(readAudit(doc)[0]?.fields.unmasked).toBe(true);
  });

  it('refuses malformed input', () => {
    const doc = new Y.Doc();
    expect(errorOf(recordExport(doc, makeCtx(), { ...input, count: -1 })).code).toBe('invalid');
    expect(readAudit(doc)).toEqual([]);
  });

  it('refuses a filter key it does not know, which would reach the synced audit unmasked, and writes nothing', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx({ permissions: [] });
    const loose = { ...input, filter: { name: '张三 511302198005171234' } } as unknown as typeof input;
    expect(errorOf(recordExport(doc, ctx, loose))).toMatchObject({ code: 'invalid', field: 'filter' });
    expect(readAudit(doc)).toEqual([]);
  });

  it('keeps only the last 4 digits of an ID number typed into the search', () => {
    expect(auditQuery('511302198005171234')).toBe('**************1234');
    expect(auditQuery('张三 1234')).toBe('张三 1234');
    const doc = new Y.Doc();
    unwrap(recordExport(doc, makeCtx(), { ...input, filter: { query: '51130219800517123X' } }));
    expect(readAudit(doc)[0]?.fields.filter).toEqual({ query: '**************123X' });
  });
});

describe('recordExport keeps who was exported', () => {
  it('lists the residents of an export of up to EXPORT_LISTED_MAX people', () => {
    const doc = new Y.Doc();
    unwrap(recordExport(doc, makeCtx(), { ...input, count: 2, residentIds: ['r-1', 'r-2'] }));
    expect(readAudit(doc)[0]?.fields).toMatchObject({ count: 2, residentIds: ['r-1', 'r-2'] });
  });

  it('keeps only the filter and count of a bigger export, marked as not listed', () => {
    const doc = new Y.Doc();
    const ids = Array.from({ length: EXPORT_LISTED_MAX + 1 }, (_, i) => `r-${i}`);
    unwrap(recordExport(doc, makeCtx(), { ...input, count: ids.length, residentIds: ids }));
    const fields = readAudit(doc)[0]?.fields ?? {};
    expect(fields.residentIds).toBeUndefined();
    expect(fields).toMatchObject({ count: EXPORT_LISTED_MAX + 1, listed: false });
  });

  it('refuses ids that do not add up to the count', () => {
    const doc = new Y.Doc();
    expect(errorOf(recordExport(doc, makeCtx(), { ...input, count: 3, residentIds: ['r-1'] })).code).toBe('invalid');
  });
});
