// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { revealSensitive, type CommandContext } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { recordExport } from '@shared/domain/registry/exportAudit';
import { recordPrint } from '@shared/domain/registry/printAudit';
import type { CommunityId } from '@shared/ydoc/docName';
import { listRecords } from '@shared/ydoc/registry';
import { StoreProvider } from '../../../../../../renderer/data/hooks';
import { keepTokenRole } from '../../../../../../renderer/data/roles';
import type { WorkstationStore } from '../../../../../../renderer/data/store';
import { ResidentDrawer } from '../../../../../../renderer/features/registry/residents/ResidentDrawer';
import { renderUi } from '../../../render';
import { LOAD, useTestStore, value } from '../../../storeFixture';

const getStore = useTestStore();

/** The command context of another person at another device, at a given minute of a day. */
function someone(store: WorkstationStore, community: CommunityId, who: string, minute: number): CommandContext {
  const base = store.commandContext(community);
  return {
    ...base,
    actor: { userId: `acct-${who}`, userName: who, deviceId: `device-${who}-0000` },
    now: () => new Date(Date.UTC(2026, 2, 2, 1, minute)),
  };
}

async function seeded() {
  const store = getStore();
  const { doc } = generateDemoCommunity(7, { residents: 12 });
  const community = await store.addDemoCommunity(Y.encodeStateAsUpdate(doc));
  const [first, second] = listRecords(doc, 'residents');
  const registry = (await store.registry(community)).doc;
  return { store, community, registry, resident: first!, other: second! };
}

function renderDrawer(store: WorkstationStore, community: CommunityId, residentId: string) {
  return renderUi(
    <StoreProvider store={store}>
      <ResidentDrawer community={community} residentId={residentId} onClose={() => undefined} />
    </StoreProvider>,
  );
}

describe('查阅记录 in the resident drawer', () => {
  it('lists who revealed, exported or printed this resident, newest first, with the account, the device and what', async () => {
    const { store, community, registry, resident, other } = await seeded();
    value(
      revealSensitive(registry, someone(store, community, '王明', 1), { residentId: resident.id, field: 'idNumber' }),
    );
    value(
      recordExport(registry, someone(store, community, '李华', 2), {
        kind: 'residents',
        count: 2,
        columns: ['name', 'idNumber', 'phone'],
        unmasked: true,
        residentIds: [resident.id, other.id],
      }),
    );
    value(
      recordPrint(registry, someone(store, community, '赵调解', 3), {
        document: 'mediation-agreement',
        docName: `${community}/cases/2026`,
        collection: 'cases',
        recordId: 'case-1',
        residentIds: [resident.id],
        unmasked: false,
      }),
    );
    // Not about this resident: not listed.
    value(revealSensitive(registry, someone(store, community, '王明', 4), { residentId: other.id, field: 'phone' }));

    renderDrawer(store, community, resident.id);
    const tab = await screen.findByRole('tab', { name: '查阅记录（3）' }, LOAD);
    fireEvent.click(tab);
    const log = await screen.findByTestId('access-log');
    const rows = within(log).getAllByTestId('access-entry');
    expect(rows.map((row) => row.getAttribute('data-action'))).toEqual(['print', 'export', 'reveal']);
    expect(rows[0]!.textContent).toContain('赵调解');
    expect(rows[0]!.textContent).toContain('打印人民调解协议书（掩码）');
    expect(rows[0]!.textContent).toContain('device-赵');
    expect(rows[1]!.textContent).toContain('李华');
    expect(rows[1]!.textContent).toContain('导出名单（完整号码）：共 2 人，列：姓名、身份证号、联系电话');
    expect(rows[2]!.textContent).toContain('王明');
    expect(rows[2]!.textContent).toContain('查看完整身份证号');
  });

  it('says a bulk export was found by its filter, not by name', async () => {
    const { store, community, registry, resident } = await seeded();
    value(
      recordExport(registry, someone(store, community, '李华', 5), {
        kind: 'residents',
        count: 1500,
        columns: ['name'],
        unmasked: false,
        filter: { query: '' },
      }),
    );
    renderDrawer(store, community, resident.id);
    fireEvent.click(await screen.findByRole('tab', { name: '查阅记录（1）' }, LOAD));
    const row = await screen.findByTestId('access-entry');
    expect(row.textContent).toContain('按条件批量导出（掩码）：共 1500 人，未逐人记录；本居民符合条件：全部居民');
  });

  it('is reached with the keyboard and says when nobody accessed the resident', async () => {
    const { store, community, resident } = await seeded();
    renderDrawer(store, community, resident.id);
    const details = await screen.findByRole('tab', { name: '资料与修改记录' }, LOAD);
    details.focus();
    fireEvent.keyDown(details, { key: 'ArrowRight' });
    const access = screen.getByRole('tab', { name: '查阅记录（0）' });
    await waitFor(() => expect(access.getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(access);
    expect(screen.getByTestId('access-log-empty').textContent).toBe('暂无查阅记录。');
  });

  it('records a reveal in the log as the acting account, and refuses it in a viewer’s community', async () => {
    const { store, community, resident } = await seeded();
    renderDrawer(store, community, resident.id);
    const reveal = await screen.findByRole('button', { name: '查看完整身份证号' }, LOAD);
    fireEvent.click(reveal);
    await waitFor(() => expect(screen.getByRole('tab', { name: '查阅记录（1）' })).toBeTruthy());
    fireEvent.click(screen.getByRole('tab', { name: '查阅记录（1）' }));
    expect((await screen.findByTestId('access-entry')).textContent).toContain(store.user.userName || store.user.userId);

    await keepTokenRole(store, [community], 'viewer');
    fireEvent.click(screen.getByRole('tab', { name: '资料与修改记录' }));
    await waitFor(() => expect(screen.getByRole('button', { name: '修改' }).hasAttribute('disabled')).toBe(true));
    expect(screen.getByRole('button', { name: '查看完整联系电话' }).hasAttribute('disabled')).toBe(true);
  });
});
