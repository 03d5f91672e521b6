/**
 * The 驻区单位 details the units' Excel import relies on (docs/party-model.md, "Excel"): the 统一社会信用代码 check
 * (GB 32100-2015) and `updateUnit`, which writes only what differs and refuses a wrong code or an unknown unit.
 */
import { describe, expect, it } from 'vitest';
import { registerUnit } from '@shared/domain/party/commands';
import { creditCheckChar, isValidCreditCode, normaliseCreditCode } from '@shared/domain/party/creditCode';
import { updateUnit } from '@shared/domain/party/updateUnit';
import { readAudit, readRecord } from '@shared/ydoc/registry';
import { ctxAt, must, registryDoc } from './fixtures';

describe('the unified social credit code', () => {
  it('accepts codes whose check character is right and refuses one changed character or a letter outside the set', () => {
    // Codes as published by their organisations (a check character of each kind: digit, letter).
    for (const code of ['91350100M000100Y43', '91110000802100433B', '911100001000128855']) {
      expect(isValidCreditCode(code)).toBe(true);
    }
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    // I, O, S, V and Z are not in the code's alphabet.
    expect(creditCheckChar('91350100M000100YO')).toBeNull();
    expect(isValidCreditCode(' ９１３５０１００ｍ０００１００ｙ４３ ')).toBe(true);
    expect(normaliseCreditCode(' 9135 0100m000100y43')).toBe('91350100M000100Y43');
  });
});

describe('updateUnit', () => {
  it('writes only the fields that differ, and nothing (no audit) when none does', () => {
    const doc = registryDoc();
    const ctx = ctxAt('2026-11-18');
    const id = must(registerUnit(doc, ctx, { name: '滨江物业公司', kind: 'private-firm', checkedInOn: '2026-02-01' }));
    expect(
      must(updateUnit(doc, ctx, { unitId: id, contact: '王经理', creditCode: '91350100m000100y43' })).sort(),
    ).toEqual(['contact', 'creditCode']);
    expect(readRecord(doc, 'units', id)).toMatchObject({ contact: '王经理', creditCode: '91350100M000100Y43' });
    const audit = readAudit(doc).length;
    expect(must(updateUnit(doc, ctx, { unitId: id, contact: '王经理' }))).toEqual([]);
    expect(readAudit(doc)).toHaveLength(audit);
  });

  it('refuses a wrong credit code, an unknown unit and a viewer', () => {
    const doc = registryDoc();
    const ctx = ctxAt('2026-11-18');
    const id = must(registerUnit(doc, ctx, { name: '滨江物业公司', kind: 'private-firm', checkedInOn: '2026-02-01' }));
    expect(updateUnit(doc, ctx, { unitId: id, creditCode: '91350100M000100Y44' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'creditCode' },
    });
    expect(
      registerUnit(doc, ctx, { name: 'x', kind: 'agency', checkedInOn: '2026-02-01', creditCode: '123' }),
    ).toMatchObject({
      ok: false,
      error: { field: 'creditCode' },
    });
    expect(updateUnit(doc, ctx, { unitId: 'nope', contact: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', field: 'unitId' },
    });
    expect(updateUnit(doc, ctxAt('2026-11-18', []), { unitId: id, contact: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'permission-denied' },
    });
  });
});
