/**
 * A fixed data set of the dashboard's tests, written through the domain's commands on a moved clock, with every figure
 * hand-computed on 2026's working-day calendar (today: Wednesday 18 November 2026, the period: November 2026).
 *
 * 西河A社区 (xihe-a), residents' services with a 5 working-day promise:
 * - Mon 11-02 accepted, done Thu 11-05 (3 working days, on time: due 11-09), rated 5;
 * - Tue 11-03 accepted, done Thu 11-12 (7 working days, late: due 11-10), rated 2 (差评);
 * - Wed 11-04 accepted, still open: due 11-11, overdue;
 * - Tue 11-10 accepted, transferred 11-11 (out of the count of what is due).
 * and one grid event: a 咨询 reported, accepted and handed to the building head 张三 on Mon 11-02 (limit 3 working days:
 * due Thu 11-05), still open: nine working days over on the 18th (11-06, 09-13, 16-18).
 * 西河B社区 (xihe-b), a 10 working-day promise: Mon 11-09 accepted, done Tue 11-10 (1 working day, on time), rated 4;
 * Mon 11-16 accepted, refused 11-17.
 *
 * The whole: workload 6 applications + 1 event = 7; due 5 + 1 = 6; done 3 → 办结率 50.0 %; on time 2 → 按期办结率 33.3 %;
 * average (3 + 7 + 1) / 3 = 3.7 working days; ratings 5, 2, 4 → 满意率 66.7 %; overdue 1 application + 1 event = 2.
 * The previous period (2 to 31 October) holds nothing.
 * A: due 4, done 2 (50 %), on time 1 (25 %), satisfied 1 of 2 (50 %): score 30 × 25 % + 35 × 50 % + 35 × 50 % = 42.5, D.
 * B: due 2, done 1 (50 %), on time 1 (50 %), satisfied 1 of 1 (100 %): score 15 + 17.5 + 35 = 67.5, C.
 */
import { nationalCalendar } from '@shared/domain/calendar';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { acceptIncident, assignIncident, reportIncident } from '@shared/domain/incidents/commands';
import type { CommandContext, CommandResult } from '@shared/domain/kernel';
import {
  acceptApplication,
  completeApplication,
  rateApplication,
  refuseApplication,
  saveServiceItem,
  transferApplication,
} from '@shared/domain/services/commands';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import type { WorkstationStore } from '../../../../../renderer/data/store';

export const A = toCommunityId('xihe-a');
export const B = toCommunityId('xihe-b');
const calendar = nationalCalendar();
const env = { calendar };

function must<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let n = 0;
function at(day: string, hour = 2): CommandContext {
  return {
    actor: { userId: 'u-office', userName: '社区干部李明', deviceId: 'dev-office' },
    now: () => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`),
    newId: () => `id-${String(++n).padStart(4, '0')}`,
    permissions: new Set(['admin']),
  };
}

export async function seedDashboard(store: WorkstationStore): Promise<void> {
  await store.createCommunity({ id: A, name: '西河A社区' });
  await store.createCommunity({ id: B, name: '西河B社区' });
  await store.setCurrentCommunity(A);
  const services = async (community: typeof A) =>
    store.document(docName({ community, collection: 'services', year: 2026 }));
  const a = await services(A);
  const b = await services(B);
  for (const [doc, days] of [
    [a, 5],
    [b, 10],
  ] as const) {
    must(
      saveServiceItem(doc, at('2026-11-01'), {
        id: 'svc',
        name: '高龄津贴申领',
        kind: 'government',
        department: '民政',
        promiseDays: days,
        materials: [],
        handler: { name: '孙丽', ref: null },
      }),
    );
  }
  const accept = (doc: typeof a, community: typeof A, day: string) =>
    must(acceptApplication(doc, at(day), { community, itemId: 'svc', applicant: { name: '居民' }, channel: 'window' }));
  const done = (doc: typeof a, id: string, day: string) =>
    must(completeApplication(doc, at(day, 3), { applicationId: id, result: '已办' }, env));
  const rate = (doc: typeof a, id: string, day: string, rating: number) =>
    must(rateApplication(doc, at(day, 4), { applicationId: id, rating, comment: '意见' }, env));

  const a1 = accept(a, A, '2026-11-02');
  done(a, a1, '2026-11-05');
  rate(a, a1, '2026-11-06', 5);
  const a2 = accept(a, A, '2026-11-03');
  done(a, a2, '2026-11-12');
  rate(a, a2, '2026-11-13', 2);
  accept(a, A, '2026-11-04');
  const a4 = accept(a, A, '2026-11-10');
  must(transferApplication(a, at('2026-11-11'), { applicationId: a4, to: '街道', reason: '街道办理' }, env));

  const b1 = accept(b, B, '2026-11-09');
  done(b, b1, '2026-11-10');
  rate(b, b1, '2026-11-11', 4);
  const b2 = accept(b, B, '2026-11-16');
  must(refuseApplication(b, at('2026-11-17'), { applicationId: b2, reason: '不符合条件' }, env));

  const incidents = await store.document(docName({ community: A, collection: 'incidents', year: 2026 }));
  const ienv = { calendar, limits: DEFAULT_LIMITS };
  const id = must(
    reportIncident(incidents, at('2026-11-02', 1), {
      community: A,
      title: '楼道堆放杂物',
      content: '居民反映楼道堆放纸箱',
      occurredAt: '2026-11-02T01:00:00Z',
      place: { grid: 'grid-1', compound: null, building: 'bld-7', household: null, text: '' },
      category: 'opinion',
      kind: 'consult',
      reporter: { name: '王大爷', phone: '', anonymous: false },
      source: 'resident',
    }),
  );
  must(acceptIncident(incidents, at('2026-11-02', 2), { incidentId: id }, ienv));
  must(
    assignIncident(
      incidents,
      at('2026-11-02', 3),
      { incidentId: id, to: { kind: 'head', name: '张三', ref: null } },
      ienv,
    ),
  );
}
