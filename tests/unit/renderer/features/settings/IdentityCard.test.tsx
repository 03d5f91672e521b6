// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createVolunteer, createZone } from '@shared/domain/registry/commands';
import { toCommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import { IdentityCard } from '../../../../../renderer/features/settings/IdentityCard';
import { renderUi } from '../../render';
import { LOAD, useTestStore, value } from '../../storeFixture';

const getStore = useTestStore();
const community = toCommunityId('test-me');

async function seed() {
  const store = getStore();
  await store.createCommunity({ id: community, name: '西河社区' });
  await store.setCurrentCommunity(community);
  const ctx = store.commandContext();
  const { doc } = await store.registry(community);
  const liu = value(createVolunteer(doc, ctx, { name: '刘院长', phone: '13900001111' }));
  value(createVolunteer(doc, ctx, { name: '王志愿', phone: '13900002222' }));
  value(createZone(doc, ctx, { level: 'courtyard', name: '1号院', head: { kind: 'volunteer', id: liu } }));
  return liu;
}

function renderCard() {
  return renderUi(
    <StoreProvider store={getStore()}>
      <IdentityCard />
    </StoreProvider>,
  );
}

describe('我的身份 in settings', () => {
  it('links the user to a head of the five-heads tree, shows the link, and unlinks', async () => {
    const liu = await seed();
    renderCard();
    await waitFor(() => expect(screen.getByTestId('settings-person-linked').textContent).toContain('尚未关联'), LOAD);
    // Heads come first with the post they hold, before anything is typed.
    const choices = await screen.findByRole('group', { name: '可选的人' }, LOAD);
    await waitFor(
      () =>
        expect(
          within(choices)
            .getAllByRole('button')
            .map((b) => b.textContent),
        ).toEqual(['刘院长 · 院长 1号院', '王志愿 · 志愿者']),
      LOAD,
    );
    fireEvent.change(screen.getByLabelText(/我在本社区是/), { target: { value: '刘' } });
    await waitFor(() => expect(screen.queryByRole('button', { name: /王志愿/ })).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: '刘院长 · 院长 1号院' }));
    await waitFor(() => expect(screen.getByTestId('settings-person-linked').textContent).toBe('已关联：刘院长'), LOAD);
    expect(await getStore().personIn(community)).toEqual({ kind: 'volunteer', id: liu });

    fireEvent.click(screen.getByRole('button', { name: '取消关联' }));
    await waitFor(() => expect(screen.getByTestId('settings-person-linked').textContent).toContain('尚未关联'));
    expect(await getStore().personIn(community)).toBeNull();
  });

  it('shows every post a head holds, a third one too, from the highest level down', async () => {
    const liu = await seed();
    const store = getStore();
    const ctx = store.commandContext();
    const { doc } = await store.registry(community);
    const head = { kind: 'volunteer' as const, id: liu };
    value(createZone(doc, ctx, { level: 'lane', name: '东巷', head }));
    value(createZone(doc, ctx, { level: 'street', name: '北湖街', head }));
    renderCard();
    const choices = await screen.findByRole('group', { name: '可选的人' }, LOAD);
    await waitFor(
      () =>
        expect(within(choices).getAllByRole('button')[0]?.textContent).toBe(
          '刘院长 · 街长 北湖街，巷长 东巷，院长 1号院',
        ),
      LOAD,
    );
  });

  it('lists the posts of one level in natural order: 院长 2号院 before 院长 10号院', async () => {
    const liu = await seed();
    const store = getStore();
    const ctx = store.commandContext();
    const { doc } = await store.registry(community);
    const head = { kind: 'volunteer' as const, id: liu };
    value(createZone(doc, ctx, { level: 'courtyard', name: '10号院', head }));
    value(createZone(doc, ctx, { level: 'courtyard', name: '2号院', head }));
    renderCard();
    const choices = await screen.findByRole('group', { name: '可选的人' }, LOAD);
    await waitFor(
      () =>
        expect(within(choices).getAllByRole('button')[0]?.textContent).toBe(
          '刘院长 · 院长 1号院，院长 2号院，院长 10号院',
        ),
      LOAD,
    );
  });

  it('shows the signed-in account as the name in records, read-only', async () => {
    await seed();
    getStore().actAs({ id: 'account-li', name: '李四', createdBy: 'account-wang' });
    renderCard();
    expect(screen.getByTestId('settings-user-name').textContent).toBe('记录中的名字：李四');
    expect(screen.queryByRole('button', { name: '保存名字' })).toBeNull();
    expect(screen.queryByLabelText(/我的名字/)).toBeNull();
    expect(getStore().commandContext().actor).toMatchObject({ userId: 'account-li', userName: '李四' });
  });

  it('links each account to its own registry person; the first account keeps the link made before accounts', async () => {
    const liu = await seed();
    const store = getStore();
    // The device's link from before this device had accounts.
    await store.setPersonIn(community, { kind: 'volunteer', id: liu });
    store.actAs({ id: 'account-wang', name: '王芳', createdBy: null });
    expect(await store.personIn(community)).toEqual({ kind: 'volunteer', id: liu });
    store.actAs({ id: 'account-li', name: '李四', createdBy: 'account-wang' });
    expect(await store.personIn(community)).toBeNull();
    renderCard();
    await waitFor(() => expect(screen.getByTestId('settings-person-linked').textContent).toContain('尚未关联'), LOAD);
    // The first account unlinks: it does not fall back to the old link.
    store.actAs({ id: 'account-wang', name: '王芳', createdBy: null });
    await store.setPersonIn(community, null);
    expect(await store.personIn(community)).toBeNull();
  });
});
