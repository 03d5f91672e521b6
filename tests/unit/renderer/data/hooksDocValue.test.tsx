// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/react';
import { useCallback } from 'react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { StoreProvider, useDocValue } from '../../../../renderer/data/hooks';
import { renderUi } from '../render';
import { LOAD, useTestStore } from '../storeFixture';

const getStore = useTestStore();
const NAME = 'test-hooks/cases/2026';

function Count() {
  const reader = useCallback((doc: Y.Doc) => doc.getMap('cases').size, []);
  const count = useDocValue(NAME, reader);
  return <p data-testid="count">{count === undefined ? '…' : String(count)}</p>;
}

describe('useDocValue', () => {
  it("reads again after a local edit and after a server's answer (which update listeners do not hear)", async () => {
    const store = getStore();
    const doc = await store.document(NAME);
    renderUi(
      <StoreProvider store={store}>
        <Count />
      </StoreProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('0'), LOAD);
    doc.getMap('cases').set('c1', 'local');
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('1'), LOAD);

    const server = new Y.Doc();
    server.getMap('cases').set('c2', 'from the server');
    server.getMap('cases').set('c3', 'from the server');
    store.docs.applyReceived(NAME, doc, [Y.encodeStateAsUpdate(server)], 'server');
    await waitFor(() => expect(screen.getByTestId('count').textContent).toBe('3'), LOAD);
  });
});
