import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { err, ok, domainError } from '@shared/domain/result';
import { docName, toCommunityId, type DocRef } from '@shared/ydoc/docName';
import { WorkstationStore } from '../../../../renderer/data/store';
import { keysOf, useTestStore } from '../storeFixture';

const community = toCommunityId('c1');
const cases2026 = docName({ community, collection: 'cases', year: 2026 });
const meetings2026 = docName({ community, collection: 'meetings', year: 2026 });

describe('WorkstationStore documents of every collection', () => {
  const store = useTestStore();

  it('tells a collection opener once per document, also for documents opened before it registered', async () => {
    const seen: string[] = [];
    await store().document(cases2026);
    store().onDocOpen('cases', (_doc: Y.Doc, ref: DocRef) =>
      seen.push(`${ref.collection}:${'year' in ref ? ref.year : ''}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['cases:2026']);
    await store().document(cases2026);
    await store().document(meetings2026);
    await store().document(docName({ community, collection: 'cases', year: 2025 }));
    expect(seen).toEqual(['cases:2026', 'cases:2025']);
  });

  it('refuses a name that is not a document of a community', async () => {
    await expect(store().document('not a name')).rejects.toThrow(/not a document name/);
  });

  it('runs a command on a yearly document with the acting person, and the write reaches the disk', async () => {
    const result = await store().runOn(
      cases2026,
      (doc, ctx, input: { title: string }) => {
        if (!input.title) return err(domainError('required', 'title'));
        doc.getMap('cases').set('k1', { title: input.title, by: ctx.actor.deviceId });
        return ok(input.title);
      },
      { title: '漏水' },
    );
    expect(result).toEqual({ ok: true, value: '漏水' });
    const refused = await store().runOn(
      cases2026,
      (_doc, _ctx, input: { title: string }) => (input.title ? ok(1) : err(domainError('required', 'title'))),
      { title: '' },
    );
    expect(refused.ok).toBe(false);

    const dbName = store().db.name;
    await store().flush();
    const again = await WorkstationStore.open(dbName, { keys: keysOf(store()) });
    try {
      const doc = await again.document(cases2026);
      expect(doc.getMap('cases').get('k1')).toEqual({ title: '漏水', by: store().deviceId });
    } finally {
      await again.close();
    }
  });
});
