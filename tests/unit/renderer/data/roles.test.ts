import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { toCommunityId } from '@shared/ydoc/docName';
import { listRecords } from '@shared/ydoc/registry';
import {
  grantRole,
  keepTokenRole,
  keptRoleKey,
  narrower,
  readKeptRole,
  readKeptRoles,
} from '../../../../renderer/data/roles';
import { WorkstationStore } from '../../../../renderer/data/store';
import { keysOf, useTestStore } from '../storeFixture';

const XIHE = toCommunityId('xihe');
const DONGHU = toCommunityId('donghu');

describe('roles kept per community', () => {
  const store = useTestStore();

  it('narrows to the narrower role; none restricts nothing', () => {
    expect(narrower(null, null)).toBeNull();
    expect(narrower(null, 'viewer')).toBe('viewer');
    expect(narrower('admin', 'editor')).toBe('editor');
    expect(narrower('editor', 'viewer')).toBe('viewer');
  });

  it('keeps a viewer community a viewer after leaving sync, and after the app starts again', async () => {
    // Joined with a viewer's token: the live role and the kept role say viewer.
    store().setRole('viewer');
    await keepTokenRole(store(), [XIHE], 'viewer');
    expect(store().permissions(XIHE).size).toBe(0);
    // 退出同步: the live role goes, the kept one stays.
    store().setRole(null);
    expect(store().roleIn(XIHE)).toBe('viewer');
    for (const permission of ['registry.edit', 'registry.reveal', 'admin'] as const) {
      expect(store().permissions(XIHE).has(permission)).toBe(false);
    }
    // A community created on this device is not restricted by it.
    expect(store().permissions(DONGHU).has('registry.edit')).toBe(true);

    const name = store().db.name;
    const keys = keysOf(store());
    await store().flush();
    const again = await WorkstationStore.open(name, { keys });
    try {
      expect(again.roleIn(XIHE)).toBe('viewer');
      expect(again.permissions(XIHE).size).toBe(0);
      expect(again.commandContext(XIHE).permissions.size).toBe(0);
    } finally {
      await again.close();
    }
  });

  it('refuses commands in a viewer community, while the device may still edit its own', async () => {
    const { doc } = generateDemoCommunity(5, { residents: 3 });
    const update = Y.encodeStateAsUpdate(doc);
    const xihe = await store().addDemoCommunity(update, XIHE);
    const donghu = await store().addDemoCommunity(update, DONGHU);
    await keepTokenRole(store(), [xihe], 'viewer');
    const resident = listRecords(doc, 'residents')[0]!;
    const edit = { id: resident.id, changes: { note: '改' } };
    const refused = await store().run(xihe, updateResident, edit);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? null : refused.error.code).toBe('permission-denied');
    expect((await store().run(donghu, updateResident, edit)).ok).toBe(true);
    // Screens ask without naming a community: the one they show (here donghu, added last), then xihe.
    expect(store().permissions().has('registry.edit')).toBe(true);
    await store().setCurrentCommunity(xihe);
    expect(store().permissions().has('registry.edit')).toBe(false);
  });

  it('lifts the kept role when an admin of the device grants more', async () => {
    await keepTokenRole(store(), [XIHE], 'viewer');
    const granted = await grantRole(store(), XIHE, 'editor');
    expect(granted.ok).toBe(true);
    expect(store().roleIn(XIHE)).toBe('editor');
    expect(store().permissions(XIHE).has('registry.edit')).toBe(true);
    expect(store().permissions(XIHE).has('admin')).toBe(false);
    const kept = await readKeptRole(store(), XIHE);
    expect(kept).toMatchObject({ role: 'editor', source: 'grant', by: { userId: store().user.userId } });
  });

  it('keeps the masked copy across a grant, and syncs it fresh when a viewer token comes back after edits on it', async () => {
    const masked = `${XIHE}/registry-masked`;
    const rows = async () => {
      await store().flush();
      return store().db.docUpdates.where('docName').equals(masked).count();
    };
    await keepTokenRole(store(), [XIHE], 'viewer', { registry: 'masked' });
    expect(store().registryName(XIHE)).toBe(masked);
    Y.applyUpdate(
      await store().document(masked),
      Y.encodeStateAsUpdate(generateDemoCommunity(5, { residents: 3 }).doc),
    );
    expect(await rows()).toBeGreaterThan(0);
    // An admin of the device lifts it while not joined: the copy stays (nothing else to read) and may be edited.
    expect((await grantRole(store(), XIHE, 'editor')).ok).toBe(true);
    expect(store().registryName(XIHE)).toBe(masked);
    expect(await rows()).toBeGreaterThan(0);
    // Joined again with a viewer's token: the edited copy goes, and the server's copy comes fresh.
    await keepTokenRole(store(), [XIHE], 'viewer', { registry: 'masked' });
    expect(store().registryName(XIHE)).toBe(masked);
    expect(await rows()).toBe(0);
    expect(await readKeptRole(store(), XIHE)).toMatchObject({ role: 'viewer', source: 'token', registry: 'masked' });
    // A viewer token again on a copy no grant lifted: kept as it is.
    Y.applyUpdate(
      await store().document(masked),
      Y.encodeStateAsUpdate(generateDemoCommunity(5, { residents: 3 }).doc),
    );
    await keepTokenRole(store(), [XIHE], 'viewer', { registry: 'masked' });
    expect(await rows()).toBeGreaterThan(0);
  });

  it('refuses the grant to anyone but an admin of the device', async () => {
    await keepTokenRole(store(), [XIHE], 'viewer');
    store().setAccountRole('editor');
    expect(await grantRole(store(), XIHE, 'admin')).toEqual({ ok: false, error: 'not-admin' });
    store().setAccountRole('admin');
    // Still joined with a viewer's token: nobody at this device is an admin of it now.
    store().setRole('viewer');
    expect(await grantRole(store(), XIHE, 'admin')).toEqual({ ok: false, error: 'not-admin' });
    store().setRole(null);
    expect((await grantRole(store(), XIHE, 'admin')).ok).toBe(true);
  });

  it('makes an editor community a viewer for a viewer account', async () => {
    await keepTokenRole(store(), [XIHE], 'editor');
    expect(store().permissions(XIHE).has('registry.edit')).toBe(true);
    store().setAccountRole('viewer');
    expect(store().roleIn(XIHE)).toBe('viewer');
    expect(store().permissions(XIHE).size).toBe(0);
    expect(store().mayGrantRoles()).toBe(false);
  });

  it('fills in a missing kept role at a start but never overrides a grant; a new token replaces it', async () => {
    await keepTokenRole(store(), [XIHE], 'viewer');
    expect((await grantRole(store(), XIHE, 'editor')).ok).toBe(true);
    await keepTokenRole(store(), [XIHE, DONGHU], 'viewer', { ifMissing: true });
    expect(store().roleIn(XIHE)).toBe('editor');
    expect(store().roleIn(DONGHU)).toBe('viewer');
    await keepTokenRole(store(), [XIHE], 'viewer');
    expect(store().roleIn(XIHE)).toBe('viewer');
  });

  it('reads a kept role it cannot make sense of as a viewer’s (fails closed)', async () => {
    await store().db.sealedSettings.put({ key: keptRoleKey(XIHE), value: { role: 'owner' } });
    expect((await readKeptRoles(store().db)).get(XIHE)?.role).toBe('viewer');
  });

  it('reads a kept role that does not open (altered, sealed with another key) as a viewer’s', async () => {
    await keepTokenRole(store(), [XIHE], 'editor');
    await store().db.settings.put({ key: keptRoleKey(XIHE), sealed: new Uint8Array(48) });
    expect((await readKeptRoles(store().db)).get(XIHE)?.role).toBe('viewer');
  });
});
