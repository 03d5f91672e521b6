// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { escalateCase, reachCaseAgreement, recordCaseOutcome } from '@shared/domain/mediation/commands';
import type { CaseId } from '@shared/domain/mediation/types';
import { toCommunityId } from '@shared/ydoc/docName';
import { keepTokenRole } from '../../../../renderer/data/roles';
import { CasePage } from '../../../../renderer/features/mediation/CasePage';
import { LOAD, useTestStore } from '../storeFixture';
import { casesName, community, intake, must, renderMediation, seedCase, YEAR } from './mediationFixture';

const getStore = useTestStore();
const PHONE = '13900003333';
const MASKED = '139****3333';

function renderCase(id: CaseId) {
  return renderMediation(getStore(), <CasePage community={community} year={YEAR} id={id} />);
}

/** A case handled by a head, with a written agreement drafted and nobody's signature or seal yet (status `signing`). */
async function caseWithUnsignedAgreement() {
  const store = getStore();
  const id = await seedCase(
    store,
    intake({
      parties: [
        { role: 'applicant', name: '王建国', phone: PHONE, address: '3栋201' },
        { role: 'respondent', name: '李秀英', address: '3栋301' },
      ],
    }),
  );
  const doc = await store.document(casesName);
  const ctx = store.commandContext();
  must(escalateCase(doc, ctx, { caseId: id, reason: '需院长' }));
  must(
    reachCaseAgreement(doc, ctx, {
      caseId: id,
      kind: 'written',
      terms: '修复防水',
      mediatorName: '赵调解',
      committeeName: '西河社区人民调解委员会',
    }),
  );
  return { store, doc, ctx, id };
}

describe('the case page asks the machine what each record offers', () => {
  it('offers no Seal and no Sign on an unsigned written agreement once the case is referred elsewhere (移交)', async () => {
    const { doc, ctx, id } = await caseWithUnsignedAgreement();
    // While the agreement waits for signatures, both are offered: the test can see them.
    const first = renderCase(id);
    let card = await screen.findByTestId('agreement-card', {}, LOAD);
    expect(within(card).getByRole('button', { name: '加盖调委会印章' })).toBeTruthy();
    expect(within(card).getByRole('form', { name: '签名' })).toBeTruthy();
    first.unmount();

    must(recordCaseOutcome(doc, ctx, { caseId: id, outcome: { kind: 'referred', to: 'court' } }));
    renderCase(id);
    await waitFor(() => expect(screen.getByTestId('case-status').textContent).toBe('已移交'), LOAD);
    card = await screen.findByTestId('agreement-card', {}, LOAD);
    // The draft stays visible (the terms), but the machine refuses sealing and signing a referred case's agreement.
    expect(card.textContent).toContain('修复防水');
    expect(within(card).queryByRole('button', { name: '加盖调委会印章' })).toBeNull();
    expect(within(card).queryByRole('form', { name: '签名' })).toBeNull();
    expect(within(card).queryByRole('button', { name: '确认签名' })).toBeNull();
  });
});

describe('parties’ phones on the case page (PIPL)', () => {
  it('masks the phones for a device that only views the community (no registry.reveal)', async () => {
    const { store, id } = await caseWithUnsignedAgreement();
    await keepTokenRole(store, [community], 'viewer');
    renderCase(id);
    const parties = await screen.findByTestId('case-parties', {}, LOAD);
    expect(parties.textContent).toContain(MASKED);
    expect(document.body.textContent).not.toContain(PHONE);
    expect(screen.getByText('当事人电话已部分隐藏：本设备的角色无权查看完整号码。')).toBeTruthy();
  });

  it('shows them in full on screen where the role may reveal them, masked in a print of the page itself', async () => {
    const { store, id } = await caseWithUnsignedAgreement();
    // A viewer elsewhere does not narrow this community: the page asks for the role held in the case's community.
    await keepTokenRole(store, [toCommunityId('elsewhere')], 'viewer');
    renderCase(id);
    const phone = await screen.findByTestId('party-phone', {}, LOAD);
    const onScreen = phone.querySelector('.cgw-screen-only');
    const inPrint = phone.querySelector('.cgw-print-only');
    expect(onScreen?.textContent).toBe(PHONE);
    // Full numbers are printed only through the dossier and agreement prints, which log the print first.
    expect(inPrint?.textContent).toBe(MASKED);
    expect(screen.queryByText('当事人电话已部分隐藏：本设备的角色无权查看完整号码。')).toBeNull();
  });
});
