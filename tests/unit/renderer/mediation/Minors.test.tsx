// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '@shared/domain/dates';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { listCases, readCase } from '@shared/ydoc/cases';
import { CasePage } from '../../../../renderer/features/mediation/CasePage';
import { IntakeForm } from '../../../../renderer/features/mediation/IntakeForm';
import { LOAD, useTestStore } from '../storeFixture';
import { casesName, community, intake, renderMediation, seedCase, seedSession, YEAR } from './mediationFixture';

const getStore = useTestStore();

/** A birth date `years` years before today, so the age on the registration day is exactly `years`. */
function bornYearsAgo(years: number): string {
  const today = chinaDate(new Date());
  return `${Number(today.slice(0, 4)) - years}${today.slice(4)}`;
}

describe('minors among the parties (民法典 art. 19-23)', () => {
  it('warns at intake about a minor whose age comes from the ID number, and registers the guardian typed', async () => {
    const store = getStore();
    const { location } = renderMediation(store, <IntakeForm community={community} />);
    const form = screen.getByRole('form', { name: '登记案件' });
    fireEvent.change(within(form).getByLabelText(/^地址/), { target: { value: '北湖路12号' } });
    fireEvent.change(within(form).getByLabelText(/^简要事实/), { target: { value: '打碎玻璃' } });
    fireEvent.change(within(form).getByLabelText('身份'), { target: { value: 'applicant' } });
    fireEvent.change(within(form).getByLabelText('姓名'), { target: { value: '王小明' } });
    const minorId = makeIdNumber('511302', bornYearsAgo(12), seqForSex(3, 'male'));
    fireEvent.change(within(form).getByLabelText('证件号码（可选，用于判断年龄）'), { target: { value: minorId } });
    fireEvent.keyDown(within(form).getByLabelText('姓名'), { key: 'Enter' });
    fireEvent.change(within(form).getByLabelText('身份'), { target: { value: 'respondent' } });
    fireEvent.change(within(form).getByLabelText('姓名'), { target: { value: '李秀英' } });
    fireEvent.change(within(form).getByLabelText('年龄'), { target: { value: '45' } });
    fireEvent.keyDown(within(form).getByLabelText('姓名'), { key: 'Enter' });

    // Only the minor is marked and warned about.
    expect(within(form).getAllByTestId('party-minor')).toHaveLength(1);
    expect(within(form).getByTestId('minor-warning').textContent).toBe(
      '王小明未成年（12岁）：由监护人（法定代理人）代为参加调解和签名，请记录监护人。',
    );
    fireEvent.change(within(form).getByLabelText('监护人姓名'), { target: { value: '王大明' } });
    fireEvent.change(within(form).getByLabelText('与当事人关系'), { target: { value: 'father' } });
    fireEvent.change(within(form).getByLabelText('监护人电话'), { target: { value: '13900001111' } });
    expect(within(form).queryByTestId('minor-warning')).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: '登记' }));

    await waitFor(() => expect(location.history.at(-1)).toMatch(/^\/case\/\d{4}\//), LOAD);
    const [registered] = listCases(await store.document(casesName));
    const minor = registered!.parties.find((p) => p.name === '王小明')!;
    expect(minor).toMatchObject({ age: 12, sex: 'male', birthDate: bornYearsAgo(12) });
    expect(minor.guardian).toEqual({
      name: '王大明',
      relation: 'father',
      idNumber: null,
      phone: '13900001111',
      residentId: null,
    });
    // The party's ID number only told the age: it is not kept in the case.
    expect(JSON.stringify(registered)).not.toContain(minorId);
  });

  it('warns on the case page about a minor without a guardian and records one, shown masked', async () => {
    const store = getStore();
    const id = await seedCase(
      store,
      intake({
        parties: [
          { role: 'applicant', name: '王小明', age: 6 },
          { role: 'respondent', name: '李秀英', age: 45 },
        ],
      }),
    );
    renderMediation(store, <CasePage community={community} year={YEAR} id={id} />);
    const parties = await screen.findByTestId('case-parties', {}, LOAD);
    expect(within(parties).getByTestId('minor-warning').textContent).toBe(
      '王小明不满八周岁，无民事行为能力：由监护人代为参加调解和签名，请记录监护人。',
    );
    fireEvent.click(within(parties).getByRole('button', { name: '记录 王小明 的监护人' }));
    const form = within(parties).getByRole('form', { name: '记录 王小明 的监护人' });
    fireEvent.change(within(form).getByLabelText('监护人姓名'), { target: { value: '王大明' } });
    fireEvent.change(within(form).getByLabelText('与当事人关系'), { target: { value: 'mother' } });
    const guardianId = makeIdNumber('511302', '1985-04-02', seqForSex(5, 'female'));
    fireEvent.change(within(form).getByLabelText('监护人证件号码'), { target: { value: guardianId } });
    fireEvent.click(within(form).getByRole('button', { name: '保存监护人' }));

    const line = await within(parties).findByTestId('party-guardian', {}, LOAD);
    expect(line.textContent).toContain('监护人：王大明（母亲）');
    expect(within(parties).queryByTestId('minor-warning')).toBeNull();
    // On screen in full for a role that may reveal; the print of the page shows it masked.
    expect(within(line).getByTestId('guardian-id').querySelector('.cgw-print-only')?.textContent).not.toContain(
      guardianId.slice(6, 14),
    );
    const saved = readCase(await store.document(casesName), id)!;
    expect(saved.parties[0]!.guardian).toMatchObject({ name: '王大明', relation: 'mother', idNumber: guardianId });
    expect(saved.timeline.at(-1)!.kind).toBe('setGuardian');
  });

  it("offers a minor's guardian and a minor of 8-17 on a session, not a child under 8 nor an unrecorded guardian", async () => {
    const store = getStore();
    const guardian = { name: '王大明', relation: 'father', idNumber: null, phone: null, residentId: null } as const;
    const id = await seedCase(
      store,
      intake({
        parties: [
          { role: 'applicant', name: '王小明', age: 12, guardian },
          { role: 'applicant', name: '李小红', age: 6 },
          { role: 'respondent', name: '李秀英', age: 45 },
        ],
      }),
    );
    const parties = readCase(await store.document(casesName), id)!.parties;
    await seedSession(store, id, { presentPartyIds: parties.map((p) => p.id) });
    renderMediation(store, <CasePage community={community} year={YEAR} id={id} />);
    const card = await screen.findByTestId('session-card', {}, LOAD);
    const sign = within(card).getByTestId('signature-form');
    const options = () =>
      within(sign)
        .getAllByRole('option')
        .map((o) => o.textContent);
    expect(options()).toEqual(['王大明（王小明的监护人）', '李秀英', '赵调解', '周楼长', '王小明']);

    // The guardian types their own name, not the label; once signed they are no longer offered.
    const pick = (label: string) =>
      fireEvent.change(within(sign).getByLabelText('签名人'), {
        target: {
          value: within(sign)
            .getAllByRole('option')
            .find((o) => o.textContent === label)!
            .getAttribute('value'),
        },
      });
    pick('王大明（王小明的监护人）');
    fireEvent.change(within(sign).getByLabelText('由签名人本人输入姓名以确认'), { target: { value: '王大明' } });
    fireEvent.submit(sign);
    await waitFor(() => expect(options()).toEqual(['李秀英', '赵调解', '周楼长', '王小明']), LOAD);
    const [session] = Object.values(readCase(await store.document(casesName), id)!.sessions);
    expect(session!.signatures.map((s) => s.signer)).toEqual([{ role: 'guardian', partyId: parties[0]!.id }]);
    // The session still waits for 李小红's guardian, who is to be recorded first.
    expect(within(card).getByTestId('session-missing').textContent).toContain('李小红的监护人（尚未记录）');
  });
});
