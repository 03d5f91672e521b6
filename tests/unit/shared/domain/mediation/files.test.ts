import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCaseAttachment,
  archiveCase,
  closeCase,
  intakeCase,
  recordCaseOutcome,
  storeCaseFile,
} from '@shared/domain/mediation/commands';
import { caseFileIdOf, casesMap, MAX_CASE_FILE_CHARS, readCase, readCaseAudit, readCaseFile } from '@shared/ydoc/cases';
import { errorOf, intakeInput, makeCtx, sync, unwrap } from './fixtures';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('files kept in the cases document', () => {
  it('stores a small photo and reads it back by its file: reference, on another device too', () => {
    const doc = new Y.Doc();
    const ref = unwrap(storeCaseFile(doc, makeCtx(), { name: '现场.png', type: 'image/png', data: PNG }));
    expect(caseFileIdOf(ref)).not.toBeNull();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(readCaseFile(other, ref)).toMatchObject({ name: '现场.png', type: 'image/png', data: PNG });
    expect(readCaseFile(other, 'sha:abc')).toBeNull();
  });

  it('writes an audit entry with the file (name, type, size, never the bytes) in the same transaction', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const atIntake = unwrap(storeCaseFile(doc, ctx, { name: '现场.png', type: 'image/png', data: PNG }));
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({ kind: 'command', command: 'storeCaseFile', actor: ctx.actor });
    expect(readCaseAudit(doc)).toEqual([
      expect.objectContaining({
        action: 'storeCaseFile',
        caseId: '',
        recordId: atIntake,
        userId: ctx.actor.userId,
        deviceId: ctx.actor.deviceId,
        fields: { name: '现场.png', type: 'image/png', chars: PNG.length },
      }),
    ]);
    const id = unwrap(intakeCase(doc, ctx, intakeInput(), null));
    const later = unwrap(storeCaseFile(doc, ctx, { caseId: id, name: '签字页.png', type: 'image/png', data: PNG }));
    expect(readCaseAudit(doc).at(-1)).toMatchObject({ action: 'storeCaseFile', caseId: id, recordId: later });
    expect(JSON.stringify(readCaseAudit(doc))).not.toContain(PNG);
  });

  it('refuses a file over the limit, anything that is not a data URL, and a viewer', () => {
    const doc = new Y.Doc();
    const big = `data:image/jpeg;base64,${'A'.repeat(MAX_CASE_FILE_CHARS)}`;
    expect(errorOf(storeCaseFile(doc, makeCtx(), { name: 'big.jpg', type: 'image/jpeg', data: big })).field).toBe(
      'data',
    );
    expect(errorOf(storeCaseFile(doc, makeCtx(), { name: 'x', data: 'https://example.com/x.png' })).field).toBe('data');
    expect(
      errorOf(storeCaseFile(doc, makeCtx({ permissions: [] }), { name: 'x', type: 'image/png', data: PNG })).code,
    ).toBe('permission-denied');
    expect(doc.getMap('files').size).toBe(0);
  });
});

describe('files attached after intake', () => {
  it('adds a photo to a registered case with who and when, in the timeline and the audit', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = unwrap(intakeCase(doc, ctx, intakeInput(), null));
    const ref = unwrap(storeCaseFile(doc, ctx, { name: '新照片.png', type: 'image/png', data: PNG }));
    const next = unwrap(addCaseAttachment(doc, ctx, { caseId: id, name: '新照片.png', ref }));
    expect(next.addedAttachments).toHaveLength(1);
    expect(next.addedAttachments[0]).toMatchObject({ name: '新照片.png', ref, addedBy: { userId: ctx.actor.userId } });
    expect(readCase(doc, id)?.addedAttachments).toEqual(next.addedAttachments);
    expect(readCase(doc, id)?.timeline.at(-1)).toMatchObject({ kind: 'addAttachment', detail: { name: '新照片.png' } });
    expect(readCaseAudit(doc).at(-1)).toMatchObject({ action: 'addAttachment', caseId: id });
  });

  it('keeps the photos two offline devices added to the same case (an append-only list)', () => {
    const a = new Y.Doc();
    const ctx = makeCtx();
    const id = unwrap(intakeCase(a, ctx, intakeInput(), null));
    const b = new Y.Doc();
    sync(a, b);
    unwrap(addCaseAttachment(a, makeCtx({ user: 'a' }), { caseId: id, name: '甲.jpg', ref: 'file:a' }));
    unwrap(addCaseAttachment(b, makeCtx({ user: 'b' }), { caseId: id, name: '乙.jpg', ref: 'file:b' }));
    sync(a, b);
    for (const doc of [a, b]) {
      expect(
        readCase(doc, id)
          ?.addedAttachments.map((f) => f.name)
          .sort(),
      ).toEqual(['乙.jpg', '甲.jpg']);
    }
  });

  it('refuses a file on an archived dossier, a missing name, and a viewer', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = unwrap(intakeCase(doc, ctx, intakeInput(), null));
    expect(errorOf(addCaseAttachment(doc, ctx, { caseId: id, name: ' ', ref: 'file:x' })).field).toBe('name');
    expect(
      errorOf(addCaseAttachment(doc, makeCtx({ permissions: [] }), { caseId: id, name: 'x', ref: 'file:x' })).code,
    ).toBe('permission-denied');
    unwrap(recordCaseOutcome(doc, ctx, { caseId: id, outcome: { kind: 'referred', to: 'police' } }));
    unwrap(closeCase(doc, ctx, { caseId: id }));
    unwrap(archiveCase(doc, ctx, { caseId: id }));
    expect(errorOf(addCaseAttachment(doc, ctx, { caseId: id, name: 'x', ref: 'file:x' })).code).toBe('case.transition');
    expect(readCase(doc, id)?.addedAttachments).toEqual([]);
  });

  it('reads a case written before the list existed as having no added files', () => {
    const doc = new Y.Doc();
    const id = unwrap(intakeCase(doc, makeCtx(), intakeInput(), null));
    casesMap(doc).get(id)?.delete('addedAttachments');
    expect(readCase(doc, id)?.addedAttachments).toEqual([]);
    unwrap(addCaseAttachment(doc, makeCtx(), { caseId: id, name: '补.jpg', ref: 'file:c' }));
    expect(readCase(doc, id)?.addedAttachments.map((f) => f.name)).toEqual(['补.jpg']);
  });
});
