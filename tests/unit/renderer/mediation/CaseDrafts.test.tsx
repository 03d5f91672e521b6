// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  addCaseAttachment,
  closeCase,
  escalateCase,
  reachCaseAgreement,
  recordCaseOutcome,
  signCaseAgreement,
  signCaseSession,
  storeCaseFile,
} from '@shared/domain/mediation/commands';
import type { CaseId } from '@shared/domain/mediation/types';
import { readCase } from '@shared/ydoc/cases';
import { CasePage } from '../../../../renderer/features/mediation/CasePage';
import { LOAD, useTestStore } from '../storeFixture';
import {
  casesName,
  community,
  INK,
  intake,
  must,
  renderMediation,
  seedCase,
  seedSession,
  YEAR,
  type TestPlatformLog,
} from './mediationFixture';

const getStore = useTestStore();
/** The smallest PNG header: jsdom cannot decode it, so the picker keeps it as it is (an image/png data URL). */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function seedCaseWithSession(options: { signed?: 'none' | 'one' | 'all' } = {}) {
  const store = getStore();
  const id = await seedCase(
    store,
    intake({
      parties: [
        { role: 'applicant', name: '王建国', address: '3栋201' },
        { role: 'respondent', name: '李秀英', address: '3栋301' },
      ],
    }),
  );
  const signers = { none: [], one: [{ role: 'mediator' }], all: [{ role: 'mediator' }, { role: 'recorder' }] } as const;
  const sessionId = await seedSession(store, id, { signers: signers[options.signed ?? 'none'] });
  return { store, id, sessionId };
}

function renderCase(id: CaseId, log?: TestPlatformLog) {
  return renderMediation(getStore(), <CasePage community={community} year={YEAR} id={id} />, '/', log);
}

async function current(id: CaseId) {
  return readCase(await getStore().document(casesName), id)!;
}

describe('editing unsigned drafts on the case page', () => {
  it('edits an unsigned session record in place: the same version, the changed field only', async () => {
    const { id, sessionId } = await seedCaseWithSession();
    renderCase(id);
    const card = await screen.findByTestId('session-card', {}, LOAD);
    fireEvent.click(within(card).getByRole('button', { name: '修改笔录' }));
    const form = within(card).getByRole('form', { name: '修改笔录' });
    expect(within(form).getByLabelText(/调解员/)).toHaveProperty('value', '赵调解');
    // The form takes the keyboard focus on its first field.
    expect(document.activeElement).toBe(within(form).getByLabelText('时间'));
    fireEvent.change(within(form).getByLabelText('调解结果'), { target: { value: '同意修复并赔偿800元' } });
    fireEvent.submit(form);
    await waitFor(() => expect(card.textContent).toContain('调解结果：同意修复并赔偿800元'));
    expect(within(card).queryByRole('form', { name: '修改笔录' })).toBeNull();
    const c = await current(id);
    expect(Object.keys(c.sessions)).toEqual([sessionId]);
    expect(c.sessions[sessionId]).toMatchObject({ version: 1, result: '同意修复并赔偿800元', mediatorName: '赵调解' });
    expect(c.timeline.at(-1)).toMatchObject({ kind: 'updateSession', detail: { fields: 'result' } });
  });

  it('offers no edit once someone has signed, and a signed record offers only a correction', async () => {
    const { id } = await seedCaseWithSession({ signed: 'one' });
    const first = renderCase(id);
    const card = await screen.findByTestId('session-card', {}, LOAD);
    expect(within(card).getByTestId('signature-form')).toBeTruthy();
    expect(within(card).queryByRole('button', { name: '修改笔录' })).toBeNull();

    first.unmount();
    const locked = await seedCaseWithSession({ signed: 'all' });
    renderCase(locked.id);
    const lockedCard = await screen.findByTestId('session-card', {}, LOAD);
    expect(lockedCard.getAttribute('data-locked')).toBe('true');
    expect(within(lockedCard).queryByRole('button', { name: '修改笔录' })).toBeNull();
    expect(within(lockedCard).getByRole('button', { name: '更正（生成新版本）' })).toBeTruthy();
  });

  it('offers no edit of a draft left unsigned once the case is closed (the machine no longer allows it)', async () => {
    const { store, id } = await seedCaseWithSession();
    const doc = await store.document(casesName);
    const ctx = store.commandContext();
    must(recordCaseOutcome(doc, ctx, { caseId: id, outcome: { kind: 'referred', to: 'police' } }));
    must(closeCase(doc, ctx, { caseId: id }));
    renderCase(id);
    const card = await screen.findByTestId('session-card', {}, LOAD);
    expect(card.getAttribute('data-locked')).toBeNull();
    expect(within(card).queryByRole('button', { name: '修改笔录' })).toBeNull();
  });

  it('edits an unsigned written agreement; after the first signature it is no longer offered', async () => {
    const store = getStore();
    const id = await seedCase(store);
    const doc = await store.document(casesName);
    const ctx = store.commandContext();
    must(escalateCase(doc, ctx, { caseId: id, reason: '需院长' }));
    const agreed = must(
      reachCaseAgreement(doc, ctx, {
        caseId: id,
        kind: 'written',
        terms: '修复防水',
        mediatorName: '赵调解',
        committeeName: '西河社区人民调解委员会',
      }),
    );
    const agreementId = Object.values(agreed.agreements)[0]!.id;
    renderCase(id);
    const card = await screen.findByTestId('agreement-card', {}, LOAD);
    fireEvent.click(within(card).getByRole('button', { name: '修改协议' }));
    const form = within(card).getByRole('form', { name: '修改协议' });
    expect(within(form).queryByLabelText('协议形式')).toBeNull();
    fireEvent.change(within(form).getByLabelText(/协议内容/), { target: { value: '修复防水并赔偿800元' } });
    fireEvent.change(within(form).getByLabelText('人民调解员'), { target: { value: '' } });
    fireEvent.submit(form);
    // The machine's rule still holds in the edit: a written agreement needs a named mediator (人民调解法 art. 29).
    expect((await within(form).findByRole('alert')).textContent).toBe('人民调解协议书须有具名的人民调解员');
    fireEvent.change(within(form).getByLabelText('人民调解员'), { target: { value: '钱调解' } });
    fireEvent.submit(form);
    await waitFor(() => expect(card.textContent).toContain('协议内容：修复防水并赔偿800元'));
    expect((await current(id)).agreements[agreementId]).toMatchObject({
      terms: '修复防水并赔偿800元',
      mediatorName: '钱调解',
      version: 1,
    });

    const party = agreed.parties[0]!;
    must(
      signCaseAgreement(doc, ctx, {
        caseId: id,
        agreementId,
        signer: { role: 'party', partyId: party.id },
        signature: INK,
      }),
    );
    await waitFor(() => expect(within(card).queryByRole('button', { name: '修改协议' })).toBeNull());
  });
});

describe('attachments after intake and the image viewer', () => {
  it('adds a photo and a file to a registered case; the photo opens in the viewer, the file downloads', async () => {
    const store = getStore();
    const id = await seedCase(store);
    const log: TestPlatformLog = {
      printed: [],
      saved: [],
      toOpen: [
        { name: '现场照片.png', bytes: PNG },
        { name: '报告.txt', bytes: new TextEncoder().encode('漏水报告') },
      ],
    };
    renderCase(id, log);
    fireEvent.click(await screen.findByRole('button', { name: '添加照片/文件' }, LOAD));
    expect((await screen.findByRole('status')).textContent).toBe('已添加“现场照片.png”。');
    fireEvent.click(screen.getByRole('button', { name: '添加照片/文件' }));
    await screen.findByText('已添加“报告.txt”。');
    const c = await current(id);
    expect(c.addedAttachments.map((a) => a.name)).toEqual(['现场照片.png', '报告.txt']);
    expect(screen.getByTestId('case-timeline').textContent).toContain('添加附件：报告.txt');

    const list = screen.getByTestId('case-attachments');
    const download = await within(list).findByRole('link', { name: '下载：报告.txt' });
    expect(download.getAttribute('download')).toBe('报告.txt');
    expect(download.getAttribute('href')).toMatch(/^data:application\/octet-stream;base64,/);
    fireEvent.click(within(list).getByRole('button', { name: '查看图片：现场照片.png' }));
    const viewer = await screen.findByTestId('attachment-viewer');
    expect(within(viewer).getByRole('img', { name: '现场照片.png' }).getAttribute('src')).toMatch(
      /^data:image\/png;base64,/,
    );
    expect(within(viewer).getByTestId('viewer-position').textContent).toBe('第 1 张，共 1 张');
    expect(screen.getByRole('dialog').textContent).toContain('现场照片.png');
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('attachment-viewer')).toBeNull());
  });

  it('shows the photo of a page signed on paper from the session, and steps through the case images with the arrows', async () => {
    const { store, id, sessionId } = await seedCaseWithSession();
    const doc = await store.document(casesName);
    const ctx = store.commandContext();
    const data = 'data:image/jpeg;base64,/9j/AA==';
    const scene = must(storeCaseFile(doc, ctx, { name: '现场.jpg', type: 'image/jpeg', data }));
    must(
      addCaseAttachment(doc, ctx, {
        caseId: id,
        name: '现场.jpg',
        ref: scene,
      }),
    );
    const page = must(storeCaseFile(doc, ctx, { name: 'sign.jpg', type: 'image/jpeg', data: `${data}B` }));
    must(
      signCaseSession(doc, ctx, {
        caseId: id,
        sessionId,
        signer: { role: 'mediator' },
        signature: { kind: 'on-paper', photo: page },
      }),
    );
    renderCase(id);
    const card = await screen.findByTestId('session-card', {}, LOAD);
    fireEvent.click(within(card).getByRole('button', { name: '查看赵调解的签字页照片' }));
    const viewer = await screen.findByTestId('attachment-viewer');
    expect(within(viewer).getByTestId('viewer-position').textContent).toBe('第 2 张，共 2 张');
    expect(within(viewer).getByRole('img').getAttribute('src')).toBe(`${data}B`);
    expect(screen.getByRole('dialog').textContent).toContain('赵调解签字页（调解笔录 第 1 版）');
    expect(within(viewer).getByRole('button', { name: '下一张' })).toHaveProperty('disabled', true);
    fireEvent.keyDown(document, { key: 'ArrowLeft' });
    await waitFor(() => expect(within(viewer).getByTestId('viewer-position').textContent).toBe('第 1 张，共 2 张'));
    expect(within(viewer).getByRole('img', { name: '现场.jpg' }).getAttribute('src')).toBe(data);
    fireEvent.click(within(viewer).getByRole('button', { name: '下一张' }));
    await waitFor(() => expect(within(viewer).getByTestId('viewer-position').textContent).toBe('第 2 张，共 2 张'));
  });
});
