/**
 * What a case asks of the worker on a day (shared/domain/mediation/due.ts): the follow-up visit once its day has come,
 * and the time limit once it is near or past. The screens (工作台 今天要办, the mediation dashboard card) only show these.
 */
import { describe, expect, it } from 'vitest';
import {
  agreementInForce,
  casesNearDeadline,
  followUpDay,
  followUpsDue,
  openCasesByDeadline,
} from '@shared/domain/mediation/due';
import type { MediationCase } from '@shared/domain/mediation/types';

type Agreements = MediationCase['agreements'];

function agreed(status: string, agreements: Record<string, object>, at = '2026-03-01T02:00:00.000Z') {
  return {
    status,
    outcome: { kind: 'agreement', agreementId: 'a1', at },
    agreements: agreements as Agreements,
  } as Pick<MediationCase, 'status' | 'outcome' | 'agreements'>;
}

function limited(id: string, startDate: string, dueDate: string, status = 'handling') {
  return { id, status, startDate, dueDate, extensions: [], outcome: null } as unknown as Pick<
    MediationCase,
    'id' | 'status' | 'outcome' | 'startDate' | 'dueDate' | 'extensions'
  >;
}

describe('follow-up visits', () => {
  it('follows corrections to the agreement in force, and stops on a broken or looping chain', () => {
    const chain = agreed('performing', {
      a1: { id: 'a1', performanceDeadline: '2026-03-10', supersededBy: 'a2' },
      a2: { id: 'a2', performanceDeadline: '2026-03-20', supersededBy: 'a3' },
      a3: { id: 'a3', performanceDeadline: '2026-03-30', supersededBy: null },
    });
    expect(agreementInForce(chain)?.id).toBe('a3');
    const broken = agreed('performing', { a1: { id: 'a1', performanceDeadline: '2026-03-10', supersededBy: 'gone' } });
    expect(agreementInForce(broken)?.id).toBe('a1');
    const loop = agreed('performing', {
      a1: { id: 'a1', performanceDeadline: '2026-03-10', supersededBy: 'a2' },
      a2: { id: 'a2', performanceDeadline: '2026-03-20', supersededBy: 'a1' },
    });
    expect(['a1', 'a2']).toContain(agreementInForce(loop)?.id);
  });

  it('is due on the performance deadline, or from the China day of the agreement when it sets none', () => {
    expect(
      followUpDay(agreed('agreed', { a1: { id: 'a1', performanceDeadline: '2026-04-01', supersededBy: null } })),
    ).toBe('2026-04-01');
    // 2026-03-01T17:00Z is 2026-03-02 01:00 in China.
    const none = agreed(
      'agreed',
      { a1: { id: 'a1', performanceDeadline: null, supersededBy: null } },
      '2026-03-01T17:00:00.000Z',
    );
    expect(followUpDay(none)).toBe('2026-03-02');
    expect(followUpsDue([none], '2026-03-01')).toEqual([]);
    expect(followUpsDue([none], '2026-03-02')).toEqual([{ case: none, due: '2026-03-02' }]);
  });

  it('awaits none before an agreement or after the first visit, and lists the longest waiting first', () => {
    const a = { a1: { id: 'a1', performanceDeadline: '2026-03-05', supersededBy: null } };
    const b = { a1: { id: 'a1', performanceDeadline: '2026-03-01', supersededBy: null } };
    expect(followUpDay(agreed('followed-up', a))).toBeNull();
    expect(followUpDay({ ...agreed('handling', a), outcome: null })).toBeNull();
    const later = agreed('performing', a);
    const earlier = agreed('agreed', b);
    expect(followUpsDue([later, earlier], '2026-03-10').map((d) => d.due)).toEqual(['2026-03-01', '2026-03-05']);
  });
});

describe('time limits', () => {
  const today = '2026-03-26';
  const cases = [
    limited('near', '2026-03-01', '2026-04-01'),
    limited('ok', '2026-03-25', '2026-04-25'),
    limited('over-late', '2026-02-20', '2026-03-20'),
    limited('over', '2026-02-01', '2026-03-01'),
    limited('done', '2026-01-01', '2026-02-01', 'agreed'),
  ];

  it('orders every open case red, yellow, ok, each by due day, and leaves closed ones out', () => {
    expect(openCasesByDeadline(cases, today).map((d) => [d.case.id, d.state, d.due])).toEqual([
      ['over', 'red', '2026-03-01'],
      ['over-late', 'red', '2026-03-20'],
      ['near', 'yellow', '2026-04-01'],
      ['ok', 'ok', '2026-04-25'],
    ]);
  });

  it('keeps only the red and yellow ones as near their deadline', () => {
    expect(casesNearDeadline(cases, today).map((d) => d.case.id)).toEqual(['over', 'over-late', 'near']);
  });
});
