import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  fundBalance,
  fundReport,
  fundWarnings,
  listFundEntries,
  recordFundEntry,
  reverseFundEntry,
  storeFundFile,
} from '@shared/domain/resources/funds';
import { RULE } from '@shared/domain/resources/rules';
import { readFundFile } from '@shared/ydoc/resources';
import { readAudit } from '@shared/ydoc/registry';
import { admin, editor, errorOf, registryWithResidents, unwrap, viewer } from './fixtures';

const income = (fund: 'party' | 'development' | 'care', amount: number, date = '2026-01-10') => ({
  fund,
  kind: 'income' as const,
  amount,
  date,
  category: 'allocation',
});
const spend = (fund: 'party' | 'development' | 'care', amount: number, date = '2026-03-01', category = 'activity') => ({
  fund,
  kind: 'spending' as const,
  amount,
  date,
  category,
});

describe('the three funds (三项资金)', () => {
  it('refuse a spending above the balance, per fund', () => {
    const doc = registryWithResidents();
    unwrap(recordFundEntry(doc, editor(), income('party', 500_000)));
    expect(errorOf(recordFundEntry(doc, editor(), spend('party', 500_001)))).toMatchObject({
      field: 'amount',
      params: { rule: RULE.overBalance, balance: 500_000 },
    });
    // The money of another fund does not pay for this one.
    expect(errorOf(recordFundEntry(doc, editor(), spend('development', 1, '2026-03-01', 'task'))).params).toMatchObject(
      { rule: RULE.overBalance, balance: 0 },
    );
    unwrap(recordFundEntry(doc, editor(), spend('party', 500_000)));
    expect(fundBalance(listFundEntries(doc), 'party')).toBe(0);
  });

  it('read each entry as it was created: a key written later under an entry does not shadow its amount or fund', () => {
    const doc = registryWithResidents();
    unwrap(recordFundEntry(doc, editor(), income('party', 500_000)));
    const [entry] = listFundEntries(doc);
    const map = doc.getMap('fundEntries').get(entry?.id ?? '');
    if (!(map instanceof Y.Map)) throw new Error('no entry map');
    // What a hostile or buggy device could write: the server's set-once guard sees a first write of these keys.
    doc.transact(() => {
      map.set('amount', 1);
      map.set('fund', 'care');
    });
    expect(listFundEntries(doc)).toEqual([entry]);
    expect(fundBalance(listFundEntries(doc), 'party')).toBe(500_000);
    expect(errorOf(recordFundEntry(doc, editor(), spend('party', 500_001))).params).toMatchObject({
      balance: 500_000,
    });
  });

  it('refuse a viewer', () => {
    const doc = registryWithResidents();
    expect(errorOf(recordFundEntry(doc, viewer(), income('party', 100))).code).toBe('permission-denied');
    expect(listFundEntries(doc)).toHaveLength(0);
  });

  it('ask a care payment for a party member of the registry and the reason', () => {
    const doc = registryWithResidents();
    unwrap(recordFundEntry(doc, editor(), income('care', 300_000)));
    const care = { ...spend('care', 50_000, '2026-02-01', 'visit') };
    expect(errorOf(recordFundEntry(doc, editor(), { ...care, reason: '春节慰问' })).field).toBe('memberId');
    expect(
      errorOf(recordFundEntry(doc, editor(), { ...care, memberId: 'r-2', reason: '春节慰问' })).params,
    ).toMatchObject({ rule: RULE.notPartyMember });
    expect(
      errorOf(recordFundEntry(doc, editor(), { ...care, memberId: 'r-gone', reason: '春节慰问' })).params,
    ).toMatchObject({ rule: RULE.notResident });
    expect(errorOf(recordFundEntry(doc, editor(), { ...care, memberId: 'r-1' })).field).toBe('reason');
    unwrap(recordFundEntry(doc, editor(), { ...care, memberId: 'r-1', reason: '春节慰问' }));
    expect(fundBalance(listFundEntries(doc), 'care')).toBe(250_000);
  });

  it('correct an entry only by a reversing entry, once, audited; the entry itself stays', () => {
    const doc = registryWithResidents();
    unwrap(recordFundEntry(doc, editor(), income('party', 200_000)));
    const wrong = unwrap(recordFundEntry(doc, editor(), spend('party', 80_000)));
    expect(errorOf(reverseFundEntry(doc, editor(), { id: wrong, date: '2026-03-02', reason: '金额录错' })).code).toBe(
      'permission-denied',
    );
    const reversal = unwrap(reverseFundEntry(doc, admin(), { id: wrong, date: '2026-03-02', reason: '金额录错' }));
    const entries = listFundEntries(doc);
    expect(entries.find((e) => e.id === wrong)).toMatchObject({ kind: 'spending', amount: 80_000 });
    expect(entries.find((e) => e.id === reversal)).toMatchObject({
      kind: 'income',
      amount: 80_000,
      reverses: wrong,
      reason: '金额录错',
    });
    expect(fundBalance(entries, 'party')).toBe(200_000);
    expect(
      errorOf(reverseFundEntry(doc, admin(), { id: wrong, date: '2026-03-03', reason: '再冲' })).params,
    ).toMatchObject({ rule: RULE.alreadyReversed });
    expect(
      errorOf(reverseFundEntry(doc, admin(), { id: reversal, date: '2026-03-03', reason: '再冲' })).params,
    ).toMatchObject({ rule: RULE.reverseReversal });
    expect(readAudit(doc).find((e) => e.recordId === reversal)).toMatchObject({
      action: 'create',
      userName: '社区书记',
      fields: { reverses: wrong },
    });
    // Reversing an income already spent would overdraw: refused.
    const gift = unwrap(recordFundEntry(doc, editor(), income('care', 10_000)));
    unwrap(
      recordFundEntry(doc, editor(), {
        ...spend('care', 10_000, '2026-02-01', 'visit'),
        memberId: 'r-1',
        reason: '住院慰问',
      }),
    );
    expect(
      errorOf(reverseFundEntry(doc, admin(), { id: gift, date: '2026-03-03', reason: '录错' })).params,
    ).toMatchObject({ rule: RULE.overBalance });
  });

  it('warn after sync when two offline spendings together overdraw, and when an entry was reversed twice', () => {
    const doc = registryWithResidents();
    unwrap(recordFundEntry(doc, editor(), income('development', 100_000)));
    const wrong = unwrap(recordFundEntry(doc, editor(), income('party', 5_000)));
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    unwrap(recordFundEntry(doc, editor('甲'), spend('development', 70_000, '2026-04-01', 'task')));
    unwrap(recordFundEntry(other, editor('乙'), spend('development', 60_000, '2026-04-02', 'task')));
    unwrap(reverseFundEntry(doc, admin(), { id: wrong, date: '2026-04-01', reason: '重复录入' }));
    unwrap(reverseFundEntry(other, admin(), { id: wrong, date: '2026-04-01', reason: '重复录入' }));
    expect(fundWarnings(listFundEntries(doc))).toEqual([]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const entries = listFundEntries(doc);
    expect(entries.filter((e) => e.fund === 'development')).toHaveLength(3);
    expect(fundWarnings(entries)).toEqual([
      { kind: 'overdrawn', fund: 'party', balance: -5_000 },
      { kind: 'overdrawn', fund: 'development', balance: -30_000 },
      expect.objectContaining({ kind: 'reversed-twice', entryId: wrong }),
    ]);
    // Further spending stays refused while overdrawn.
    expect(errorOf(recordFundEntry(doc, editor(), spend('development', 1, '2026-04-03', 'task'))).params).toMatchObject(
      { rule: RULE.overBalance, balance: -30_000 },
    );
  });

  it('report a year: opening balance, income, spending by category (reversals off their category), closing', () => {
    const doc = registryWithResidents();
    unwrap(recordFundEntry(doc, editor(), income('party', 300_000, '2025-02-01')));
    unwrap(recordFundEntry(doc, editor(), spend('party', 100_000, '2025-06-01')));
    unwrap(recordFundEntry(doc, editor(), { ...income('party', 50_000, '2026-01-15'), category: 'award' }));
    const wrong = unwrap(recordFundEntry(doc, editor(), spend('party', 30_000, '2026-02-01', 'training')));
    unwrap(recordFundEntry(doc, editor(), spend('party', 20_000, '2026-03-01', 'activity')));
    unwrap(reverseFundEntry(doc, admin(), { id: wrong, date: '2026-02-05', reason: '误记' }));
    unwrap(recordFundEntry(doc, editor(), spend('party', 10_000, '2027-01-05', 'activity')));
    const report = fundReport(listFundEntries(doc), 'party', 2026);
    expect(report.opening).toBe(200_000);
    expect(report.income).toBe(50_000);
    expect(Object.fromEntries(report.incomeByCategory)).toEqual({ award: 50_000 });
    expect(Object.fromEntries(report.spendingByCategory)).toEqual({ training: 0, activity: 20_000 });
    expect(report.spending).toBe(20_000);
    expect(report.closing).toBe(230_000);
    expect(report.entries).toHaveLength(4);
  });

  it('keep a receipt photo in the activities document and name it from the entry', () => {
    const doc = registryWithResidents();
    const activities = new Y.Doc();
    const data = 'data:image/png;base64,iVBORw0KGgo=';
    expect(errorOf(storeFundFile(activities, viewer(), { name: '收据.png', type: 'image/png', data })).code).toBe(
      'permission-denied',
    );
    const ref = unwrap(storeFundFile(activities, editor(), { name: '收据.png', type: 'image/png', data }));
    unwrap(recordFundEntry(doc, editor(), income('party', 1_000)));
    unwrap(recordFundEntry(doc, editor(), { ...spend('party', 1_000), receipts: [ref] }));
    expect(listFundEntries(doc).find((e) => e.kind === 'spending')?.receipts).toEqual([ref]);
    expect(readFundFile(activities, ref)).toMatchObject({ name: '收据.png', data });
  });
});
