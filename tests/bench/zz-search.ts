import { matchPrepared, prepareQuery } from '@shared/domain/registry/search';
import { ResidentSearchIndex } from '@shared/domain/registry/searchIndex';
import { residentGenerator, type GeneratedResident } from '../unit/shared/domain/registry/searchFixture';
const N = 100_000;
const gen = residentGenerator(1);
const rows: GeneratedResident[] = Array.from({ length: N }, () => gen.resident());
const index = new ResidentSearchIndex(rows);
const queries: string[] = [];
for (let i = 0; i < 300; i++) {
  const r = rows[(i * 7919) % N]!;
  if (i % 3 === 0) queries.push(r.keys.idTail4);
  else if (i % 3 === 1) queries.push(['zs', 'lx', 'wy', 'zh', 'lj', 'cz', 'y', 'h'][i % 8]!);
  else queries.push(r.keys.name.slice(0, 1));
}
console.log(queries.slice(0, 12));
for (let run = 0; run < 3; run++) {
  const times: [number, string, number, number][] = [];
  for (const q of queries) {
    const s = performance.now();
    const p = prepareQuery(q);
    const m = index.matches(p);
    const t1 = performance.now();
    let total = 0; const listed: GeneratedResident[] = [];
    for (const row of m) { if (row.deleted) continue; total++; if (listed.length < 200) listed.push(row); }
    for (const row of listed) matchPrepared(row.keys, p);
    times.push([performance.now() - s, q, total, t1 - s]);
  }
  times.sort((a, b) => a[0] - b[0]);
  console.log('p50', times[150]![0].toFixed(2), 'p95', times[285]![0].toFixed(2), 'slowest', times.slice(-12).map(([t, q, n, m]) => `${q}:${t.toFixed(1)}(${m.toFixed(1)}) n=${n}`).join(' '));
}
