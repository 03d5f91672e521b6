import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { toCommunityId } from '@shared/ydoc/docName';
import type { ResidentId, VolunteerId } from '@shared/domain/registry/types';
import { personKey } from '../../../../renderer/data/store';
import { useTestStore } from '../storeFixture';

const c1 = toCommunityId('c1');
const c2 = toCommunityId('c2');

describe('WorkstationStore person of the user in each community', () => {
  const store = useTestStore();

  it('keeps one registry person per community, and forgets it when unlinked', async () => {
    expect(await store().personIn(c1)).toBeNull();
    await store().setPersonIn(c1, { kind: 'resident', id: 'r-1' as ResidentId });
    await store().setPersonIn(c2, { kind: 'volunteer', id: 'v-9' as VolunteerId });
    expect(await store().personIn(c1)).toEqual({ kind: 'resident', id: 'r-1' });
    expect(await store().personIn(c2)).toEqual({ kind: 'volunteer', id: 'v-9' });
    await store().setPersonIn(c1, null);
    expect(await store().personIn(c1)).toBeNull();
    expect(await store().personIn(c2)).toEqual({ kind: 'volunteer', id: 'v-9' });
  });

  it('reads a damaged setting as not linked rather than failing', async () => {
    await store().db.sealedSettings.put({ key: personKey(c1), value: { kind: 'nobody', id: 3 } });
    expect(await store().personIn(c1)).toBeNull();
  });
});
