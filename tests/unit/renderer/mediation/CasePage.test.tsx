// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  escalateCase,
  reachCaseAgreement,
  sealCaseAgreement,
  signCaseAgreement,
} from '@shared/domain/mediation/commands';
import type { CaseId } from '@shared/domain/mediation/types';
import { readCase } from '@shared/ydoc/cases';
import { CasePage } from '../../../../renderer/features/mediation/CasePage';
import { AgreementPrint } from '../../../../renderer/features/mediation/PrintViews';
import { LOAD, useTestStore } from '../storeFixture';
import {
  casesName,
  community,
  intake,
  must,
  renderMediation,
  seedCase,
  seedRegistry,
  seedSession,
  YEAR,
  type TestPlatformLog,
} from './mediationFixture';

const getStore = useTestStore();

async function seedAtBuilding() {
  const store = getStore();
  const { registry, building } = await seedRegistry(store);
  const id = await seedCase(
    store,
    intake({
      place: { buildingId: building, householdId: null, address: '北湖老院 3栋' },
      parties: [
        { role: 'applicant', name: '王建国', sex: 'male', age: 61, phone: '13900003333', address: '3栋201' },
        { role: 'respondent', name: '李秀英', sex: 'female', age: 58, address: '3栋301' },
      ],
    }),
    { registry },
  );
  return { store, id };
}

async function seedSealedAgreement() {
  const { store, id } = await seedAtBuilding();
  const doc = await store.document(casesName);
  const ctx = store.commandContext();
  must(escalateCase(doc, ctx, { caseId: id, reason: '需院长' }));
  await seedSession(store, id, { result: undefined, factsChecked: '防水层老化' });
  const agreed = must(
    reachCaseAgreement(doc, ctx, {
      caseId: id,
      kind: 'written',
      terms: '李秀英赔偿维修费800元',
      performanceMethod: '现金',
      performanceDeadline: '2099-12-31',
      mediatorName: '赵调解',
      committeeName: '西河社区人民调解委员会',
    }),
  );
  const agreementId = Object.values(agreed.agreements)[0]!.id;
  for (const party of agreed.parties) {
    must(
      signCaseAgreement(doc, ctx, {
        caseId: id,
        agreementId,
        signer: { role: 'party', partyId: party.id },
        signature: { kind: 'on-screen', image: 'data:image/png;base64,AA==' },
      }),
    );
  }
  must(
    signCaseAgreement(doc, ctx, {
      caseId: id,
      agreementId,
      signer: { role: 'mediator' },
      signature: { kind: 'on-paper', photo: 'file:x' },
    }),
  );
  must(sealCaseAgreement(doc, ctx, { caseId: id, agreementId }));
  return { store, id, agreementId };
}

function renderCase(id: CaseId, log?: TestPlatformLog) {
  return renderMediation(getStore(), <CasePage community={community} year={YEAR} id={id} />, '/', log);
}

async function current(id: CaseId) {
  return readCase(await getStore().document(casesName), id)!;
}

describe('case page', () => {
  it('escalates from the building head to the courtyard head with a reason, and the timeline shows it', async () => {
    const { id } = await seedAtBuilding();
    renderCase(id);
    expect((await screen.findByTestId('case-holder', {}, LOAD)).textContent).toBe('当前承办：楼栋长 周楼长');
    fireEvent.click(screen.getByRole('button', { name: '上报' }));
    expect(screen.getByTestId('escalate-to').textContent).toBe('上报至：院长 1号院 刘院长');
    const form = screen.getByRole('form', { name: '上报' });
    fireEvent.change(within(form).getByLabelText(/上报理由/), { target: { value: '双方情绪激动' } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getByTestId('case-holder').textContent).toBe('当前承办：院长 刘院长'));
    expect(screen.getByTestId('case-timeline').textContent).toContain('上报：楼栋长 → 院长（双方情绪激动）');
    expect((await current(id)).steps.map((s) => s.level)).toEqual(['building', 'courtyard']);
  });

  it('offers only what the machine allows: no agreement before anyone handled the case, no escalation at the top', async () => {
    const { store, id } = await seedAtBuilding();
    renderCase(id);
    const actions = await screen.findByTestId('case-actions', {}, LOAD);
    await within(actions).findByRole('button', { name: '上报' });
    expect(within(actions).queryByRole('button', { name: '达成协议' })).toBeNull();
    const doc = await store.document(casesName);
    // Empty posts are skipped: building → courtyard → committee → street office.
    for (const reason of ['一', '二', '三']) {
      must(escalateCase(doc, store.commandContext(), { caseId: id, reason }));
    }
    expect(escalateCase(doc, store.commandContext(), { caseId: id, reason: '四' })).toMatchObject({
      ok: false,
      error: { code: 'case.escalation-top' },
    });
    await waitFor(() => expect(screen.getByTestId('case-holder').textContent).toContain('街道综治中心'));
    expect(within(actions).queryByRole('button', { name: '上报' })).toBeNull();
    expect(within(actions).getByRole('button', { name: '达成协议' })).toBeTruthy();
  });

  it('records a session and collects typed signatures; a wrong name is refused; the record locks when complete', async () => {
    const { id } = await seedAtBuilding();
    renderCase(id);
    fireEvent.click(await screen.findByRole('button', { name: '记录调解笔录' }, LOAD));
    const form = screen.getByRole('form', { name: '记录调解笔录' });
    fireEvent.change(within(form).getByLabelText(/调解员/), { target: { value: '赵调解' } });
    fireEvent.change(within(form).getByLabelText(/记录人/), { target: { value: '周楼长' } });
    fireEvent.change(within(form).getByLabelText('王建国陈述'), { target: { value: '天花板泡坏' } });
    fireEvent.change(within(form).getByLabelText('调解结果'), { target: { value: '同意修复' } });
    fireEvent.submit(form);
    const card = await screen.findByTestId('session-card');
    expect(screen.getByTestId('case-status').textContent).toBe('调解中');
    expect(within(card).getByText(/王建国陈述：天花板泡坏/)).toBeTruthy();

    const sign = within(card).getByTestId('signature-form');
    const signAs = (signer: string, typed: string) => {
      fireEvent.change(within(sign).getByLabelText('签名人'), {
        target: {
          value: within(sign)
            .getAllByRole('option')
            .find((o) => o.textContent === signer)!
            .getAttribute('value'),
        },
      });
      fireEvent.change(within(sign).getByLabelText('由签名人本人输入姓名以确认'), { target: { value: typed } });
      fireEvent.submit(sign);
    };
    signAs('王建国', '王建');
    expect((await within(card).findByRole('alert')).textContent).toBe('输入的姓名与签名人不一致');
    expect((await current(id)).sessions).toSatisfy((s: object) =>
      Object.values(s).every((x: { signatures: unknown[] }) => x.signatures.length === 0),
    );
    signAs('王建国', '王建国');
    await waitFor(() => expect(within(card).getByTestId('session-signed').textContent).toContain('王建国'));
    for (const name of ['李秀英', '赵调解', '周楼长']) {
      signAs(name, name);
      await waitFor(() => expect(within(card).getByTestId('session-signed').textContent).toContain(name));
    }
    await waitFor(() => expect(card.getAttribute('data-locked')).toBe('true'));
    const [session] = Object.values((await current(id)).sessions);
    expect(session!.lockedAt).not.toBeNull();
    expect(session!.signatures.every((s) => s.kind === 'on-screen' && s.image.startsWith('data:image/svg+xml'))).toBe(
      true,
    );
    expect(within(card).queryByTestId('signature-form')).toBeNull();
  });

  it("prefills a new session's mediator with the head who holds the case, and a new agreement's terms with the last session's result", async () => {
    const { store, id } = await seedAtBuilding();
    renderCase(id);
    fireEvent.click(await screen.findByRole('button', { name: '记录调解笔录' }, LOAD));
    const form = screen.getByRole('form', { name: '记录调解笔录' });
    // The case sits with the building head of 3栋.
    expect(within(form).getByLabelText<HTMLInputElement>(/调解员/).value).toBe('周楼长');
    // The action buttons toggle their form: closed, then opened afresh after the session below.
    fireEvent.click(screen.getByRole('button', { name: '记录调解笔录' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: '记录调解笔录' })).toBeNull());
    await seedSession(store, id, { mediatorName: '赵调解', result: '楼上住户承担维修费，两周内修复' });
    await waitFor(() => expect(screen.getByTestId('session-card')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: '记录调解笔录' }));
    // Once a session names a mediator, the next one starts from that mediator.
    const next = screen.getByRole('form', { name: '记录调解笔录' });
    expect(within(next).getByLabelText<HTMLInputElement>(/调解员/).value).toBe('赵调解');
    fireEvent.click(screen.getByRole('button', { name: '达成协议' }));
    const agreement = screen.getByRole('form', { name: '达成协议' });
    expect(within(agreement).getByLabelText<HTMLTextAreaElement>(/协议内容/).value).toBe(
      '楼上住户承担维修费，两周内修复',
    );
  });

  it('refuses a written agreement without a named mediator (人民调解法 art. 29)', async () => {
    const { store, id } = await seedAtBuilding();
    must(escalateCase(await store.document(casesName), store.commandContext(), { caseId: id, reason: '需院长' }));
    renderCase(id);
    fireEvent.click(await screen.findByRole('button', { name: '达成协议' }, LOAD));
    const form = screen.getByRole('form', { name: '达成协议' });
    fireEvent.change(within(form).getByLabelText(/协议内容/), { target: { value: '修复防水' } });
    fireEvent.change(within(form).getByLabelText('人民调解员'), { target: { value: '' } });
    fireEvent.submit(form);
    expect((await within(form).findByRole('alert')).textContent).toBe('人民调解协议书须有具名的人民调解员');
    expect(Object.keys((await current(id)).agreements)).toHaveLength(0);
  });

  it('prints the agreement through the platform, with the parties, the terms and the case number', async () => {
    const { store, id, agreementId } = await seedSealedAgreement();
    const log: TestPlatformLog = { printed: [], saved: [] };
    renderMediation(
      store,
      <AgreementPrint community={community} year={YEAR} id={id} agreementId={agreementId} />,
      '/',
      log,
    );
    const document = await screen.findByTestId('agreement-document', {}, LOAD);
    await waitFor(() => expect(document.textContent).toMatch(/\(\d{4}\)顺人调字第 1 号/));
    const text = document.textContent;
    for (const expected of [
      '人民调解协议书',
      '申请人：王建国，男，61 岁，电话 13900003333，住址 3栋201',
      '被申请人：李秀英，女，58 岁',
      '防水层老化',
      '李秀英赔偿维修费800元',
      '现金；于 2099-12-31 前履行完毕。',
      '赵调解：（纸质签名）',
      '西河社区人民调解委员会 （已加盖印章）',
    ]) {
      expect(text).toContain(expected);
    }
    expect(within(document).getAllByRole('img')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: '打印 / 导出 PDF' }));
    await waitFor(() => expect(log.printed).toHaveLength(1));
    const [request] = log.printed as { pageSize: string; defaultName: string }[];
    expect(request!.pageSize).toBe('A4');
    expect(request!.defaultName).toMatch(/顺人调字第 1 号\.pdf$/);
  });

  it('prints typed terms evenly: one indented paragraph per line, no doubled 。； after a method typed with its full stop', async () => {
    const { store, id } = await seedAtBuilding();
    const doc = await store.document(casesName);
    const ctx = store.commandContext();
    must(escalateCase(doc, ctx, { caseId: id, reason: '需院长' }));
    const agreed = must(
      reachCaseAgreement(doc, ctx, {
        caseId: id,
        kind: 'written',
        // Pasted from a word processor: full-width indentation on the first line, plain spaces on the second.
        terms: '\u3000\u3000一、李秀英赔偿维修费800元；\n  二、王建国配合入户维修。\n',
        performanceMethod: '现金。',
        performanceDeadline: '2099-12-31',
        mediatorName: '赵调解',
        committeeName: '西河社区人民调解委员会',
      }),
    );
    const agreementId = Object.values(agreed.agreements)[0]!.id;
    renderMediation(store, <AgreementPrint community={community} year={YEAR} id={id} agreementId={agreementId} />);
    const document = await screen.findByTestId('agreement-document', {}, LOAD);
    const paragraphs = [...document.querySelectorAll('p.cgw-para')].map((p) => p.textContent);
    expect(paragraphs).toContain('一、李秀英赔偿维修费800元；');
    expect(paragraphs).toContain('二、王建国配合入户维修。');
    expect(paragraphs).toContain('现金；于 2099-12-31 前履行完毕。');
    expect(document.textContent).not.toMatch(/。；|。。/);
  });

  it('extends the time limit only with both parties consenting, and the form takes the focus when opened', async () => {
    const { id } = await seedAtBuilding();
    renderCase(id);
    fireEvent.click(await screen.findByRole('button', { name: '延长期限' }, LOAD));
    const form = screen.getByRole('form', { name: '延长期限' });
    expect(document.activeElement).toBe(within(form).getByLabelText('延长天数'));
    fireEvent.change(within(form).getByLabelText(/理由/), { target: { value: '当事人外出' } });
    fireEvent.submit(form);
    expect((await within(form).findByRole('alert')).textContent).toBe('延长期限须经双方当事人同意');
    fireEvent.click(within(form).getByLabelText('双方当事人均已同意延长'));
    fireEvent.submit(form);
    await waitFor(async () => expect((await current(id)).extensions).toHaveLength(1));
    expect((await current(id)).extensions[0]!.days).toBe(15);
  });

  it('corrects a signed session as a new version and keeps the signed one visible', async () => {
    const { store, id } = await seedAtBuilding();
    await seedSession(store, id, { signers: [{ role: 'mediator' }, { role: 'recorder' }] });
    renderCase(id);
    const card = await screen.findByTestId('session-card', {}, LOAD);
    fireEvent.click(within(card).getByRole('button', { name: '更正（生成新版本）' }));
    const form = within(card).getByRole('form', { name: '更正（生成新版本）' });
    fireEvent.change(within(form).getByLabelText('调解结果'), { target: { value: '同意修复并赔偿' } });
    fireEvent.change(within(form).getByLabelText(/更正理由/), { target: { value: '漏记赔偿' } });
    fireEvent.submit(form);
    await waitFor(() => expect(screen.getAllByTestId('session-card')).toHaveLength(2));
    const [old, fresh] = screen.getAllByTestId('session-card');
    expect(old!.textContent).toContain('已被更正版本取代');
    expect(old!.textContent).toContain('调解结果：同意修复');
    expect(fresh!.textContent).toContain('第 2 版');
    expect(fresh!.textContent).toContain('调解结果：同意修复并赔偿');
    expect(within(fresh!).getByTestId('signature-form')).toBeTruthy();
  });

  it('marks a written agreement in force for judicial confirmation within 30 days (人民调解法 art. 33)', async () => {
    const { id, agreementId } = await seedSealedAgreement();
    renderCase(id);
    const card = await screen.findByTestId('agreement-card', {}, LOAD);
    expect(within(card).getByTestId('agreement-effective')).toBeTruthy();
    expect(card.textContent).toMatch(/可于 \d{4}-\d{2}-\d{2} 前共同申请司法确认/);
    fireEvent.click(within(card).getByRole('button', { name: '申请司法确认' }));
    await waitFor(() => expect(card.textContent).toContain('已申请司法确认'));
    expect((await current(id)).agreements[agreementId]!.judicialConfirmation).not.toBeNull();
    expect(within(card).queryByRole('button', { name: '申请司法确认' })).toBeNull();
  });

  it('records a visit, then no agreement only once the parties were told of a route (人民调解法 art. 26)', async () => {
    const { id } = await seedAtBuilding();
    renderCase(id);
    fireEvent.click(await screen.findByRole('button', { name: '记录走访/劝解' }, LOAD));
    const visit = screen.getByRole('form', { name: '记录走访/劝解' });
    fireEvent.change(within(visit).getByLabelText('走访人'), { target: { value: '' } });
    fireEvent.submit(visit);
    expect((await within(visit).findByRole('alert')).textContent).toBe('走访人必须填写');
    fireEvent.change(within(visit).getByLabelText('走访人'), { target: { value: '周楼长' } });
    fireEvent.change(within(visit).getByLabelText('情况'), { target: { value: '双方各执一词' } });
    fireEvent.submit(visit);
    await waitFor(() => expect(screen.getByTestId('case-status').textContent).toBe('劝解中'));
    expect((await current(id)).visits[0]).toMatchObject({ by: '周楼长', note: '双方各执一词', level: 'building' });

    fireEvent.click(screen.getByRole('button', { name: '记录结果（未达成协议）' }));
    const outcome = screen.getByRole('form', { name: '记录结果（未达成协议）' });
    fireEvent.submit(outcome);
    expect(await within(outcome).findByText(/须告知当事人仲裁、行政或诉讼途径/)).toBeTruthy();
    expect((await current(id)).outcome).toBeNull();
    fireEvent.click(within(outcome).getByLabelText('诉讼'));
    fireEvent.submit(outcome);
    await waitFor(() => expect(screen.getByTestId('case-status').textContent).toBe('调解不成'));
    expect((await current(id)).outcome).toMatchObject({ kind: 'no-agreement', routesTold: ['court'] });
  });
});
