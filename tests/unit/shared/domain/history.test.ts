import { describe, expect, it } from 'vitest';
import { inTimeOrder, stamped } from '@shared/domain/history';
import { makeCtx } from './tasks/fixtures';

const entry = (id: string, at: string, note: string) => ({ id, at, note });

describe('histories of appended entries', () => {
  it('order the entries by instant then id, a copy counting once and a different entry under one id counting too', () => {
    const a = entry('b', '2026-11-02T02:00:00.000Z', 'first');
    const b = entry('a', '2026-11-02T02:00:00.000Z', 'same instant, smaller id');
    const c = entry('c', '2026-11-01T02:00:00.000Z', 'earlier');
    const forged = entry('b', '2026-11-02T02:00:00.000Z', 'another entry under the same id');
    expect(inTimeOrder([a, b, { ...a }, c, forged, { ...c }])).toEqual([c, b, a, forged]);
    // Entries sharing an instant and an id keep their order in the array (the same on every device after a merge).
    expect(inTimeOrder([forged, c, a, b])).toEqual([c, b, forged, a]);
  });

  it('stamp an entry with a new id, the instant, its China day and the signed-in account', () => {
    const ctx = makeCtx(['tasks.edit'], { userId: 'u-1', userName: '社区干部' }, '2026-11-02');
    ctx.clock.set('2026-11-02');
    const e = stamped(ctx, { type: 'accepted' as const });
    expect(e).toMatchObject({
      type: 'accepted',
      at: '2026-11-02T02:00:00.000Z',
      on: '2026-11-02',
      by: { userId: 'u-1', userName: '社区干部' },
    });
    expect(stamped(ctx, {}).id).not.toBe(e.id);
  });
});
