/**
 * The residents counted in the rows' JSON as it downloads (renderer/sync/firstRows.ts, `rowsCounter`): the figure the
 * residents list shows while a new device's rows arrive ("正在下载居民名册… 12,000 / 100,000").
 */
import { describe, expect, it } from 'vitest';
import { deleteResident } from '@shared/domain/registry/commands';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { makeRowsSnapshot } from '@shared/sync/rowsSnapshot';
import { listRecords } from '@shared/ydoc/registry';
import { rowsCounter } from '../../../../renderer/sync/firstRows';
import { makeCtx } from '../../shared/domain/registry/fixtures';

/** `text` cut into pieces of pseudo-random lengths from 1 to `longest`. */
function pieces(text: string, longest: number, seed: number): string[] {
  const out: string[] = [];
  let state = seed;
  for (let at = 0; at < text.length;) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const length = 1 + (state % longest);
    out.push(text.slice(at, at + length));
    at += length;
  }
  return out;
}

describe('rowsCounter', () => {
  const { doc } = generateDemoCommunity(51, { residents: 300, buildings: 4 });
  const residents = listRecords(doc, 'residents');
  deleteResident(doc, makeCtx({ user: 'editor', device: 'office' }), { id: residents[5]!.id });
  const rows = makeRowsSnapshot(doc, 'demo/registry', residentSearchKeys);
  const json = JSON.stringify(rows);
  const inBuckets = rows.residentBuckets.flat().length;

  it('counts every resident row once, whatever the chunks, never past the total nor backwards', () => {
    expect(rows.total).toBe(299);
    for (const [longest, seed] of [
      [7, 1],
      [64, 2],
      [4096, 3],
      [json.length, 4],
    ] as const) {
      const count = rowsCounter();
      let last = { residents: 0, total: null as number | null };
      for (const piece of pieces(json, longest, seed)) {
        const next = count(piece);
        expect(next.residents).toBeGreaterThanOrEqual(last.residents);
        last = next;
      }
      expect(last).toEqual({ residents: Math.min(inBuckets, rows.total), total: 299 });
    }
  });

  it('counts no row of the list head (before the buckets), and knows the total once it has arrived', () => {
    const count = rowsCounter();
    const bucketsAt = json.indexOf('"residentBuckets":');
    expect(rows.head.length).toBeGreaterThan(0);
    expect(count(json.slice(0, bucketsAt))).toEqual({ residents: 0, total: 299 });
    expect(count(json.slice(bucketsAt)).residents).toBe(299);
  });
});
