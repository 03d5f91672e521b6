// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createHousehold, createResident } from '@shared/domain/registry/commands';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { listCases, readCaseFile } from '@shared/ydoc/cases';
import { IntakeForm } from '../../../../renderer/features/mediation/IntakeForm';
import { LOAD, useTestStore } from '../storeFixture';
import { casesName, community, must, renderMediation, seedRegistry, type TestPlatformLog } from './mediationFixture';

const getStore = useTestStore();
/** The resident search starts from the registry's projection, which takes a while on a loaded machine. */
const SEARCH = { timeout: 20_000 };

function typeParty(form: HTMLElement, role: '申请人' | '被申请人', name: string) {
  fireEvent.change(within(form).getByLabelText('身份'), {
    target: { value: role === '申请人' ? 'applicant' : 'respondent' },
  });
  const nameInput = within(form).getByLabelText('姓名');
  fireEvent.change(nameInput, { target: { value: name } });
  // Enter in the party's fields adds the party, it does not register the case.
  fireEvent.keyDown(nameInput, { key: 'Enter' });
}

describe('intake', () => {
  it('registers at the building head of the chosen building, with typed parties, and opens the case', async () => {
    const store = getStore();
    const { building } = await seedRegistry(store);
    const { location } = renderMediation(store, <IntakeForm community={community} />);
    const form = screen.getByRole('form', { name: '登记案件' });
    const select = await within(form).findByLabelText('楼栋');
    await within(select).findByText('北湖老院 3栋', {}, LOAD);
    fireEvent.change(select, { target: { value: building } });
    expect(await screen.findByTestId('intake-starts-at', {}, LOAD)).toHaveProperty(
      'textContent',
      '案件将由楼栋长周楼长受理',
    );
    expect(screen.getByTestId('intake-chain').textContent).toContain('院长 1号院 刘院长');
    fireEvent.change(within(form).getByLabelText('纠纷类别'), { target: { value: 'water-leak' } });
    typeParty(form, '申请人', '王建国');
    typeParty(form, '被申请人', '李秀英');
    expect(within(form).getAllByTestId('intake-party')).toHaveLength(2);
    expect(listCases(await store.document(casesName))).toHaveLength(0);
    fireEvent.change(within(form).getByLabelText(/^简要事实/), { target: { value: '楼上漏水' } });
    fireEvent.click(within(form).getByRole('button', { name: '登记' }));

    await waitFor(() => expect(location.history.at(-1)).toMatch(/^\/case\/\d{4}\//), LOAD);
    const [registered] = listCases(await store.document(casesName));
    expect(registered).toMatchObject({
      number: 1,
      level: 'building',
      category: 'water-leak',
      facts: '楼上漏水',
      place: { buildingId: building, address: '北湖老院 3栋' },
    });
    expect(registered!.parties.map((p) => [p.role, p.name])).toEqual([
      ['applicant', '王建国'],
      ['respondent', '李秀英'],
    ]);
    expect(registered!.chain.map((link) => link.level)).toEqual(['building', 'courtyard', 'lane', 'street', 'area']);
  });

  it('refuses a case without a respondent and says why, in Chinese', async () => {
    const store = getStore();
    renderMediation(store, <IntakeForm community={community} />);
    const form = screen.getByRole('form', { name: '登记案件' });
    fireEvent.change(within(form).getByLabelText(/^地址/), { target: { value: '北湖路12号' } });
    fireEvent.change(within(form).getByLabelText(/^简要事实/), { target: { value: '楼上漏水' } });
    typeParty(form, '申请人', '王建国');
    fireEvent.submit(form);
    expect((await screen.findByRole('alert', {}, LOAD)).textContent).toBe('还不能登记，请先填写：被申请人');
    expect(screen.getByTestId('intake-parties-missing').textContent).toBe('请添加至少一名申请人和一名被申请人');
    expect(listCases(await store.document(casesName))).toHaveLength(0);
  });

  it('on an empty form says field by field what is missing, and registers nothing', async () => {
    const store = getStore();
    renderMediation(store, <IntakeForm community={community} />);
    const form = screen.getByRole('form', { name: '登记案件' });
    fireEvent.submit(form);
    expect((await screen.findByRole('alert', {}, LOAD)).textContent).toBe(
      '还不能登记，请先填写：纠纷地点（选择楼栋或填写地址）、申请人、被申请人、简要事实',
    );
    expect(within(form).getByText('请选择楼栋或填写地址：登记表要打印纠纷地点')).toBeTruthy();
    expect(within(form).getByText('请写下简要事实：登记表要打印')).toBeTruthy();
    expect(screen.queryByText(/格式不正确/)).toBeNull();
    // Two bare names are still not a case: the place and the facts are missing.
    typeParty(form, '申请人', '王建国');
    typeParty(form, '被申请人', '李秀英');
    fireEvent.submit(form);
    expect((await screen.findByRole('alert', {}, LOAD)).textContent).toBe(
      '还不能登记，请先填写：纠纷地点（选择楼栋或填写地址）、简要事实',
    );
    // Each message goes as its field is filled.
    fireEvent.change(within(form).getByLabelText(/^地址/), { target: { value: '北湖路12号' } });
    expect(within(form).queryByText('请选择楼栋或填写地址：登记表要打印纠纷地点')).toBeNull();
    expect(listCases(await store.document(casesName))).toHaveLength(0);
  });

  it('keeps a small file in the case and refuses one over the limit', async () => {
    const store = getStore();
    const note = new TextEncoder().encode('现场照片说明');
    const log: TestPlatformLog = {
      printed: [],
      saved: [],
      toOpen: [
        { name: 'big.pdf', bytes: new Uint8Array(400 * 1024) },
        { name: 'note.txt', bytes: note },
      ],
    };
    renderMediation(store, <IntakeForm community={community} />, '/', log);
    const form = screen.getByRole('form', { name: '登记案件' });
    fireEvent.click(within(form).getByRole('button', { name: '添加照片/文件' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('big.pdf');
    fireEvent.click(within(form).getByRole('button', { name: '添加照片/文件' }));
    await within(form).findByText('note.txt');
    fireEvent.change(within(form).getByLabelText(/^地址/), { target: { value: '北湖路12号' } });
    fireEvent.change(within(form).getByLabelText(/^简要事实/), { target: { value: '楼道堆物' } });
    typeParty(form, '申请人', '王建国');
    typeParty(form, '被申请人', '李秀英');
    fireEvent.click(within(form).getByRole('button', { name: '登记' }));
    await waitFor(async () => expect(listCases(await store.document(casesName))).toHaveLength(1), LOAD);
    const doc = await store.document(casesName);
    const [registered] = listCases(doc);
    expect(registered!.attachments).toHaveLength(1);
    const file = readCaseFile(doc, registered!.attachments[0]!.ref);
    expect(file?.name).toBe('note.txt');
    const base64 = file!.data.split(',')[1]!;
    expect(new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)))).toBe('现场照片说明');
  });

  it('finds the place by a household and a party among the residents, with their particulars', async () => {
    const store = getStore();
    const { registry, building } = await seedRegistry(store);
    const ctx = store.commandContext();
    const household = must(createHousehold(registry, ctx, { buildingId: building, doorNumber: '301' }));
    must(
      createResident(registry, ctx, {
        name: '李秀英',
        idNumber: makeIdNumber('511302', '1968-04-02', seqForSex(7, 'female')),
        phone: '13700001234',
        householdId: household,
        relation: 'self',
      }),
    );
    renderMediation(store, <IntakeForm community={community} />);
    const form = screen.getByRole('form', { name: '登记案件' });
    fireEvent.change(within(form).getByLabelText('按地址或住户查找'), { target: { value: 'lxy' } });
    fireEvent.click(await within(form).findByRole('button', { name: /^选用 .*301/ }, SEARCH));
    // The chain is read from the registry after the pick: on a loaded machine the empty chain shows first.
    await waitFor(
      () => expect(screen.getByTestId('intake-starts-at').textContent).toBe('案件将由楼栋长周楼长受理'),
      SEARCH,
    );
    fireEvent.change(within(form).getByLabelText('从居民中查找当事人'), { target: { value: '李秀' } });
    fireEvent.click(await within(form).findByRole('button', { name: '李秀英 作为被申请人' }, SEARCH));
    typeParty(form, '申请人', '王建国');
    fireEvent.change(within(form).getByLabelText(/^简要事实/), { target: { value: '楼上漏水' } });
    fireEvent.click(within(form).getByRole('button', { name: '登记' }));
    await waitFor(async () => expect(listCases(await store.document(casesName))).toHaveLength(1), SEARCH);
    const [registered] = listCases(await store.document(casesName));
    expect(registered!.place).toMatchObject({ buildingId: building, householdId: household });
    expect(registered!.place.address).toContain('301');
    const respondent = registered!.parties.find((p) => p.role === 'respondent')!;
    expect(respondent).toMatchObject({ name: '李秀英', sex: 'female', phone: '13700001234' });
    expect(respondent.residentId).not.toBeNull();
    expect(respondent.age).toBeGreaterThanOrEqual(57);
  }, 40_000);
});
