import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AUDIT_ARRAYS } from '../../../shared/ydoc/permanent';
import { PARTY_AUDIT_ARRAY } from '../../../shared/ydoc/party';
import { VENUE_AUDIT_ARRAY } from '../../../shared/ydoc/resources';
import { auditEntriesAdded } from '../../../sync-server/guard';

/** What the server sees of one transaction's new audit entries (sync-server/writes.ts compares their authors). */
function entriesAdded(write: (doc: Y.Doc) => void): unknown[] {
  const doc = new Y.Doc();
  const arrays = AUDIT_ARRAYS.map((name) => doc.getArray<unknown>(name));
  let added: unknown[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    added = auditEntriesAdded(transaction, arrays);
  });
  doc.transact(() => write(doc));
  return added;
}

describe('audit entries whose authors the server compares with the token', () => {
  it('include the registry and yearly documents’ audit and the activities document’s party and venue audits', () => {
    const entry = (array: string) => ({ id: array, userId: 'u-other', userName: '冒名者' });
    for (const array of ['audit', PARTY_AUDIT_ARRAY, VENUE_AUDIT_ARRAY]) {
      expect(entriesAdded((doc) => doc.getArray(array).push([entry(array)]))).toEqual([entry(array)]);
    }
  });

  it('leave out other arrays and maps', () => {
    expect(
      entriesAdded((doc) => {
        doc.getArray('steps').push([{ userId: 'x' }]);
        doc.getMap('venues').set('v1', { userId: 'x' });
      }),
    ).toEqual([]);
  });
});
