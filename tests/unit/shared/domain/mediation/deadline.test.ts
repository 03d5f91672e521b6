import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { addMonths, deadlineState, effectiveDueDate } from '@shared/domain/mediation/deadline';
import { extendDeadline, recordOutcome, recordVisit } from '@shared/domain/mediation/machine';
import { makeCtx, registered, unwrap } from './fixtures';

describe('deadlines', () => {
  const ctx = makeCtx();
  const c = registered(ctx); // registered 2026-03-01, due 2026-04-01 (31 days)

  it('is one month by default, clamped at month end', () => {
    expect(c.dueDate).toBe('2026-04-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('turns yellow at 70 % of the limit used and red once overdue', () => {
    // 70 % of 31 days is 21.7 days: day 21 is ok, day 22 yellow, the due day itself still yellow, the day after red
    expect(deadlineState(c, addDays(c.startDate, 21))).toBe('ok');
    expect(deadlineState(c, addDays(c.startDate, 22))).toBe('yellow');
    expect(deadlineState(c, '2026-04-01')).toBe('yellow');
    expect(deadlineState(c, '2026-04-02')).toBe('red');
  });

  it('moves with an extension both sides agreed to, and stops at the outcome', () => {
    const handled = unwrap(recordVisit(c, { caseId: c.id, kind: 'talk', by: '王' }, ctx));
    const extended = unwrap(
      extendDeadline(
        handled,
        { caseId: c.id, days: 10, reason: '等待鉴定', consentPartyIds: c.parties.map((p) => p.id) },
        ctx,
      ),
    );
    expect(effectiveDueDate(extended)).toBe('2026-04-11');
    expect(deadlineState(extended, '2026-04-02')).toBe('yellow');
    expect(deadlineState(extended, '2026-04-12')).toBe('red');
    const done = unwrap(recordOutcome(extended, { caseId: c.id, outcome: { kind: 'referred', to: 'court' } }, ctx));
    expect(deadlineState(done, '2026-06-01')).toBe('ok');
  });
});
