// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { escalateCase, intakeCase, recordCaseOutcome } from '@shared/domain/mediation/commands';
import { readRecord } from '@shared/ydoc/registry';
import type { CommandContext } from '@shared/domain/registry/commands';
import { installCaseGuards } from '../../../../renderer/data/cases';
import { CaseList } from '../../../../renderer/features/mediation/CaseList';
import { LOAD, useTestStore } from '../storeFixture';
import { casesName, community, intake, must, renderMediation, seedCase, seedRegistry } from './mediationFixture';

const getStore = useTestStore();
const DAY = 86_400_000;

async function rows() {
  await screen.findAllByTestId('case-row', {}, LOAD);
  return screen.getAllByTestId('case-row');
}

describe('case list', () => {
  it('colours deadlines: red when overdue, yellow past 70 % of the month, none once there is an outcome', async () => {
    const store = getStore();
    await seedCase(store, intake({ facts: '逾期案件' }), { now: new Date(Date.now() - 40 * DAY) });
    await seedCase(store, intake({ facts: '临近期限' }), { now: new Date(Date.now() - 25 * DAY) });
    await seedCase(store, intake({ facts: '新案件' }));
    const settled = await seedCase(store, intake({ facts: '调解不成' }), { now: new Date(Date.now() - 40 * DAY) });
    must(
      recordCaseOutcome(await store.document(casesName), store.commandContext(), {
        caseId: settled,
        outcome: { kind: 'no-agreement', routesTold: ['court'] },
      }),
    );
    renderMediation(store, <CaseList community={community} />);
    const states = (await rows()).map((row) => row.getAttribute('data-deadline'));
    expect(states.sort()).toEqual(['ok', 'ok', 'red', 'yellow']);
    const overdue = (await rows()).find((row) => row.getAttribute('data-deadline') === 'red')!;
    expect(within(overdue).getByText(/已超期/)).toBeTruthy();

    fireEvent.click(screen.getByLabelText('仅看超期'));
    await waitFor(() => expect(screen.getAllByTestId('case-row')).toHaveLength(1));
    expect(screen.getByTestId('case-count').textContent).toBe('共 1 件');
  });

  it('filters by category and finds a case by a party, a number or the facts as you type', async () => {
    const store = getStore();
    await seedCase(store, intake({ category: 'noise', facts: '广场舞噪音' }));
    await seedCase(store, intake({ category: 'parking', facts: '占用车位' }));
    renderMediation(store, <CaseList community={community} />);
    expect(await rows()).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('类别'), { target: { value: 'parking' } });
    await waitFor(() => expect(screen.getAllByTestId('case-row')).toHaveLength(1));
    expect(screen.getByTestId('case-row').textContent).toContain('停车纠纷');
    fireEvent.change(screen.getByLabelText('类别'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('查找案件'), { target: { value: '广场舞' } });
    await waitFor(() => expect(screen.getAllByTestId('case-row')).toHaveLength(1));
    expect(screen.getByTestId('case-row').textContent).toContain('噪音扰民');
    fireEvent.change(screen.getByLabelText('查找案件'), { target: { value: '没有这个人' } });
    await screen.findByText('没有符合条件的案件');
  });

  it('"my cases" matches the linked registry person, not the name, once the user is linked to one', async () => {
    const store = getStore();
    const { registry, building, courtyard } = await seedRegistry(store);
    // The typed name is the building head's, but the user is linked to the courtyard head: the link decides.
    store.actAs({ id: 'account-周楼长', name: '周楼长', createdBy: null });
    const courtyardHead = readRecord(registry, 'zones', courtyard)!.head!;
    await store.setPersonIn(community, courtyardHead);
    const place = { buildingId: building, householdId: null, address: '3栋' };
    await seedCase(store, intake({ place, facts: '仍在楼栋长' }), { registry });
    const escalated = await seedCase(store, intake({ place, facts: '已上报院长' }), { registry });
    must(
      escalateCase(await store.document(casesName), store.commandContext(), { caseId: escalated, reason: '需院长' }),
    );
    renderMediation(store, <CaseList community={community} mine />);
    const hint = await screen.findByTestId('mine-hint', {}, LOAD);
    await waitFor(() => expect(hint.textContent).toContain('按您在本社区的身份（刘院长）'));
    expect(hint.getAttribute('data-match')).toBe('person');
    await waitFor(() => expect(screen.queryAllByTestId('case-row')).toHaveLength(1), LOAD);
    expect(screen.getByTestId('case-row').textContent).toContain('院长 刘院长');

    // Unlinking falls back to the name, and the hint says where to link oneself.
    await store.setPersonIn(community, null);
    await waitFor(() => expect(screen.getByTestId('mine-hint').getAttribute('data-match')).toBe('name'));
    expect(screen.getByTestId('mine-hint').textContent).toContain('设置 → 我的身份');
    await waitFor(() => expect(screen.getByTestId('case-row').textContent).toContain('楼栋长 周楼长'));
    expect(screen.getAllByTestId('case-row')).toHaveLength(1);
  });

  it('"my cases" lists the cases whose current head has the name of the person at the keyboard', async () => {
    const store = getStore();
    const { registry, building } = await seedRegistry(store);
    store.actAs({ id: 'account-周楼长', name: '周楼长', createdBy: null });
    await seedCase(store, intake({ place: { buildingId: building, householdId: null, address: '3栋' } }), { registry });
    await seedCase(store, intake({ facts: '不在登记范围' }));
    renderMediation(store, <CaseList community={community} mine />);
    await screen.findByText(/按您的姓名（周楼长）/, {}, LOAD);
    expect(screen.getByTestId('mine-hint').textContent).toContain('我在本社区是');
    await waitFor(() => expect(screen.queryAllByTestId('case-row')).toHaveLength(1), LOAD);
    expect(screen.getByTestId('case-row').textContent).toContain('楼栋长 周楼长');
    expect(screen.getByTestId('case-row').textContent).toMatch(/\(\d{4}\)顺人调字第 1 号/);
    fireEvent.click(screen.getByLabelText('分给我的'));
    await waitFor(() => expect(screen.getAllByTestId('case-row')).toHaveLength(2));
  });

  it('opens the case page with Enter on a row', async () => {
    const store = getStore();
    const id = await seedCase(store);
    const { location } = renderMediation(store, <CaseList community={community} />);
    const [row] = await rows();
    row!.focus();
    fireEvent.keyDown(row!, { key: 'Enter' });
    expect(location.history.at(-1)).toMatch(new RegExp(`/case/\\d{4}/${id}$`));
  });

  it('tells of a case renumbered after two devices registered at once: above the list and on its row', async () => {
    const store = getStore();
    installCaseGuards(store);
    const doc = await store.document(casesName);
    await seedCase(store, intake({ facts: '本机登记' }));
    const laptop = new Y.Doc();
    const early: CommandContext = {
      ...store.commandContext(),
      actor: { userId: 'laptop', userName: '笔记本', deviceId: 'laptop' },
      now: () => new Date(Date.now() - 3_600_000),
    };
    must(intakeCase(laptop, early, intake({ facts: '笔记本登记' }), null));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(laptop), 'sync');
    renderMediation(store, <CaseList community={community} />);
    const notice = await screen.findByTestId('renumber-notice', {}, LOAD);
    expect(notice.textContent).toContain('原第 1 号，现第 2 号');
    const moved = (await rows()).find((row) => row.textContent.includes('原第 1 号'))!;
    expect(moved.textContent).toMatch(/第 2 号/);
  });
});
