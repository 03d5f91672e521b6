// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addCaseAttachment, closeCase, recordCaseOutcome, recordCaseVisit } from '@shared/domain/mediation/commands';
import { refusedChangesArray, type RefusedChange } from '@shared/ydoc/cases';
import { DossierPrint } from '../../../../renderer/features/mediation/PrintViews';
import { RefusedChangesView } from '../../../../renderer/features/mediation/RefusedChangesView';
import { LOAD, useTestStore } from '../storeFixture';
import { casesName, community, intake, must, renderMediation, seedCase, seedSession, YEAR } from './mediationFixture';

const getStore = useTestStore();

describe('dossier and refused changes', () => {
  it('prints the dossier in order: cover, registration, sessions, agreement, follow-up, closing', async () => {
    const store = getStore();
    const doc = await store.document(casesName);
    const ctx = store.commandContext();
    const id = await seedCase(store, intake({ facts: '车位被占' }));
    must(recordCaseVisit(doc, ctx, { caseId: id, kind: 'visit', by: '周楼长' }));
    await seedSession(store, id, { place: '社区议事厅', result: '双方各执己见' });
    must(addCaseAttachment(doc, ctx, { caseId: id, name: '占位照片.jpg', ref: 'file:p1' }));
    must(recordCaseOutcome(doc, ctx, { caseId: id, outcome: { kind: 'no-agreement', routesTold: ['court'] } }));
    must(closeCase(doc, ctx, { caseId: id, summary: '已告知诉讼途径' }));
    const log = { printed: [] as unknown[], saved: [] };
    renderMediation(store, <DossierPrint community={community} year={YEAR} id={id} />, '/', log);
    const dossier = await screen.findByTestId('dossier-document', {}, LOAD);
    const text = dossier.textContent;
    const order = [
      '人民调解卷宗',
      '登记表',
      '车位被占',
      '占位照片.jpg（',
      '调解笔录',
      '双方各执己见',
      '调解协议',
      '回访记录',
      '结案报告',
      '已告知诉讼途径',
    ];
    const positions = order.map((word) => text.indexOf(word));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(within(dossier).getByText('调解不成')).toBeTruthy();
    expect(text).toMatch(new RegExp(`占位照片\\.jpg（\\d{4}-\\d{2}-\\d{2}[^）]* ${ctx.actor.userName} 补充）`));
  });

  it('shows an admin each refused edit of a signed record, with what was kept', async () => {
    const store = getStore();
    const doc = await store.document(casesName);
    const id = await seedCase(store);
    const change: RefusedChange = {
      id: 'r1',
      caseId: id,
      record: 'session',
      recordId: 's1',
      refused: { result: '不同意' },
      kept: { result: '同意修复' },
      edits: [
        {
          id: 'e1',
          at: '2026-03-02T03:00:00.000Z',
          userId: 'old',
          userName: '旧电脑',
          deviceId: 'device-old',
          action: 'updateSession',
          caseId: id,
          recordId: 's1',
          fields: {},
        },
      ],
      detectedAt: '2026-03-02T04:00:00.000Z',
      detectedBy: 'device-office',
    };
    refusedChangesArray(doc).push([change]);
    renderMediation(store, <RefusedChangesView community={community} />);
    const card = await screen.findByTestId('refused-change', {}, LOAD);
    await waitFor(() => expect(card.textContent).toMatch(/调解笔录（\(\d{4}\)人调字第 1 号）/));
    expect(card.textContent).toContain('不同意');
    expect(card.textContent).toContain('同意修复');
    expect(card.textContent).toContain('旧电脑（device-old）修改调解笔录');
    // The field is named as the form labels it, not by its key.
    expect(within(card).getByRole('cell', { name: '调解结果' })).toBeTruthy();
    expect(within(card).queryByRole('cell', { name: 'result' })).toBeNull();
  });

  it('keeps refused changes from anyone who is not an admin', async () => {
    const store = getStore();
    store.setRole('editor');
    renderMediation(store, <RefusedChangesView community={community} />);
    expect(await screen.findByText('只有管理员可以查看被拒绝的修改')).toBeTruthy();
    expect(screen.queryByTestId('refused-none')).toBeNull();
  });
});
