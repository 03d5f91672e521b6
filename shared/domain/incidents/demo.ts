/**
 * The demo community's grid events (社情民意, docs/incidents-model.md): about forty events at every stage, so the demo
 * shows a live queue: fresh reports and one past its acceptance day, refused, accepted and waiting, handed to a
 * building head, a grid or a unit (green, yellow and red against their handling limits), suspended (挂账), sent back,
 * reported up (one skip-level), waiting for verification, sent back from verification, closed waiting for the call-back,
 * closed by its own reporter, called back satisfied, reopened by a 不满意 call-back, archived, merged as a duplicate.
 * Written through the incident commands with a clock moved back in working days from `today`, so every light and
 * figure is what the commands compute. Deterministic: the same seed, registry and day give the same events.
 */
import * as Y from 'yjs';
import { nationalCalendar } from '../calendar/calendar';
import type { WorkingCalendar } from '../calendar/types';
import { addDays, isWorkday } from '../calendar/workdays';
import type { CommandContext, CommandResult, Permission } from '../kernel';
import { mulberry32 } from '../registry/demo';
import type { HeadRef } from '../registry/types';
import { listRecords, readRecord } from '../../ydoc/registry';
import {
  acceptIncident,
  archiveIncident,
  assignIncident,
  escalateIncident,
  mergeIncident,
  recordHandling,
  recordVisit,
  refuseIncidentClose,
  rejectIncident,
  reportIncident,
  requestIncidentClose,
  resumeIncident,
  sendBackIncident,
  suspendIncident,
  verifyIncident,
  type IncidentsEnv,
} from './commands';
import { DEFAULT_LIMITS } from './limits';
import type { Assignee, IncidentCategory, IncidentFieldsInput, IncidentSource, RequestKind } from './types';

export interface DemoIncidentsOptions {
  readonly community: string;
  /** The demo community's registry: grids, buildings and their heads. */
  readonly registry: Y.Doc;
  /** The demo's "today" (China date); the stages are laid out in working days before it. */
  readonly today: string;
  readonly calendar?: WorkingCalendar;
}

export const DEMO_INCIDENT_STAGES = [
  'reported',
  'accept-overdue',
  'rejected',
  'accepted',
  'assigned-green',
  'assigned-yellow',
  'assigned-red',
  'suspended',
  'sent-back',
  'escalated',
  'closing',
  'verify-refused',
  'closed',
  'self-handled',
  'visited',
  'reopened',
  'archived',
  'merged',
] as const;
export type DemoIncidentStage = (typeof DEMO_INCIDENT_STAGES)[number];

export interface DemoIncidents {
  /** The grid-events documents by year (`<community>/incidents/<year>`: the year each event was reported). */
  readonly docs: ReadonlyMap<number, Y.Doc>;
  /** One event of each stage, with the year of its document. */
  readonly stages: Readonly<Record<DemoIncidentStage, { readonly year: number; readonly id: string }>>;
  readonly count: number;
}

interface Matter {
  readonly title: string;
  readonly content: string;
  readonly category: IncidentCategory;
  readonly subCategory: string;
  readonly kind: RequestKind;
}

/** What residents raise, as grid workers write it down. */
const MATTERS: readonly Matter[] = [
  {
    title: '楼道堆放杂物',
    content: '单元楼道堆放纸箱和旧家具，堵塞消防通道。',
    category: 'opinion',
    subCategory: '消防隐患',
    kind: 'complaint',
  },
  {
    title: '楼上漏水',
    content: '楼上卫生间漏水，渗到楼下天花板，两家协商不成。',
    category: 'dispute',
    subCategory: '邻里纠纷',
    kind: 'help',
  },
  {
    title: '路灯不亮',
    content: '小区主干道两盏路灯不亮，夜间老人出行不便。',
    category: 'opinion',
    subCategory: '设施维修',
    kind: 'help',
  },
  {
    title: '广场舞噪音',
    content: '晚上九点后广场舞音响声音过大，影响休息。',
    category: 'dispute',
    subCategory: '噪音扰民',
    kind: 'complaint',
  },
  {
    title: '独居老人需要帮扶',
    content: '独居老人行动不便，希望有人定期上门看望。',
    category: 'special-groups',
    subCategory: '独居老人',
    kind: 'help',
  },
  {
    title: '电动车楼道充电',
    content: '有住户把电动车推进楼道充电，存在火灾隐患。',
    category: 'security',
    subCategory: '消防安全',
    kind: 'complaint',
  },
  {
    title: '咨询医保缴费',
    content: '居民咨询城乡居民医保缴费时间和方式。',
    category: 'policy',
    subCategory: '医保政策',
    kind: 'consult',
  },
  {
    title: '建议增设休息座椅',
    content: '建议在小区花园增设几张休息座椅。',
    category: 'opinion',
    subCategory: '环境改善',
    kind: 'suggestion',
  },
  {
    title: '下水道堵塞',
    content: '雨后下水道返水，院坝积水。',
    category: 'emergency',
    subCategory: '排水',
    kind: 'help',
  },
  {
    title: '陌生人上门推销',
    content: '有陌生人挨家挨户推销保健品，老人担心受骗。',
    category: 'security',
    subCategory: '防诈骗',
    kind: 'complaint',
  },
  {
    title: '停车位纠纷',
    content: '两户居民为固定停车位发生争执。',
    category: 'dispute',
    subCategory: '停车',
    kind: 'help',
  },
  {
    title: '垃圾清运不及时',
    content: '垃圾桶满溢两天未清运，有异味。',
    category: 'other',
    subCategory: '环境卫生',
    kind: 'complaint',
  },
];

const WORKERS = ['王芳', '李娜', '赵强', '孙丽'] as const;
const REPORTERS = ['刘阿姨', '陈大爷', '周女士', '吴先生', '郑阿姨', '冯大哥'] as const;
const SOURCES: readonly IncidentSource[] = ['patrol', 'resident', 'hotline', 'volunteer', 'higher'];
const UNITS = ['小区物业', '社区卫生服务站', '市政维修所', '派出所'] as const;

const OFFICE = { userId: 'demo-office', userName: '社区干部张敏' };

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo incidents: ${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The day `k` working days before `today`. */
function workdaysAgo(calendar: WorkingCalendar, today: string, k: number): string {
  let day = today;
  let left = k;
  while (left > 0) {
    day = addDays(day, -1);
    if (isWorkday(calendar, day)) left--;
  }
  return day;
}

function nameOf(registry: Y.Doc, head: HeadRef): string | null {
  const record =
    head.kind === 'resident' ? readRecord(registry, 'residents', head.id) : readRecord(registry, 'volunteers', head.id);
  return record !== null && typeof record.name === 'string' ? record.name : null;
}

export function generateDemoIncidents(seed: number, options: DemoIncidentsOptions): DemoIncidents {
  const calendar = options.calendar ?? nationalCalendar();
  const env: IncidentsEnv = { calendar, limits: DEFAULT_LIMITS };
  const { community, registry, today } = options;
  const rnd = mulberry32(seed ^ 0x1c1d);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ago = (k: number) => workdaysAgo(calendar, today, k);

  const grids = listRecords(registry, 'grids');
  const buildings = listRecords(registry, 'buildings');
  const headed = buildings.flatMap((b) => {
    const name = b.head === null ? null : nameOf(registry, b.head);
    return name === null || b.head === null ? [] : [{ building: b, name, ref: `${b.head.kind}:${b.head.id}` }];
  });

  const docs = new Map<number, Y.Doc>();
  const docOf = (day: string): Y.Doc => {
    const year = Number(day.slice(0, 4));
    let doc = docs.get(year);
    if (doc === undefined) {
      doc = new Y.Doc();
      docs.set(year, doc);
    }
    return doc;
  };
  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctxOf = (who: { userId: string; userName: string }, permissions: readonly Permission[]): CommandContext => ({
    actor: { ...who, deviceId: 'demo' },
    now: () => now,
    newId: () => `di${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(permissions),
  });
  const office = ctxOf(OFFICE, ['incidents.edit', 'incidents.dispatch']);
  const workerCtx = (name: string) =>
    ctxOf({ userId: `demo-grid-${WORKERS.indexOf(name as never)}`, userName: `网格员${name}` }, ['incidents.edit']);
  const at = (day: string) => {
    now = new Date(`${day}T02:00:00.000Z`);
  };

  interface Made {
    readonly id: string;
    readonly doc: Y.Doc;
    readonly year: number;
    readonly reporter: CommandContext;
    readonly head: { readonly ctx: CommandContext; readonly assignee: Assignee };
  }

  /** Records an event `k` working days ago, by a grid worker, at a building of a grid when the registry has one. */
  const report = (k: number, overrides: Partial<IncidentFieldsInput> = {}): Made => {
    const day = ago(k);
    at(day);
    const matter = pick(MATTERS);
    const spot = headed.length > 0 ? pick(headed) : null;
    const building = spot?.building ?? (buildings.length > 0 ? pick(buildings) : null);
    const grid = building?.gridId ?? (grids.length > 0 ? pick(grids).id : null);
    const reporter = workerCtx(pick(WORKERS));
    const anonymous = rnd() < 0.15;
    const doc = docOf(day);
    const id = must(
      reportIncident(doc, reporter, {
        community,
        title: matter.title,
        content: matter.content,
        occurredAt: new Date(now.getTime() - Math.floor(rnd() * 20) * 3_600_000).toISOString(),
        place: {
          grid,
          compound: building?.compoundId ?? null,
          building: building?.id ?? null,
          household: null,
          text: building === null && grid === null ? '社区广场' : '',
        },
        category: matter.category,
        subCategory: matter.subCategory,
        kind: matter.kind,
        urgency: 'normal',
        peopleInvolved: 1 + Math.floor(rnd() * 6),
        reporter: {
          name: pick(REPORTERS),
          phone: `139${String(10_000_000 + Math.floor(rnd() * 89_999_999))}`,
          anonymous,
        },
        source: pick(SOURCES),
        attachments: [],
        ...overrides,
      }),
      'report',
    );
    const headName = spot?.name ?? '楼栋长';
    return {
      id,
      doc,
      year: Number(day.slice(0, 4)),
      reporter,
      head: {
        ctx: ctxOf({ userId: `demo-head-${spot?.ref ?? 'none'}`, userName: headName }, ['incidents.edit']),
        assignee: { kind: 'head', name: headName, ref: spot?.ref ?? null },
      },
    };
  };
  const step = <T>(day: string, run: () => CommandResult<T>, what: string): T => {
    at(day);
    return must(run(), what);
  };
  const accept = (m: Made, k: number) =>
    step(ago(k), () => acceptIncident(m.doc, office, { incidentId: m.id }, env), 'accept');
  const assign = (m: Made, k: number, to: Assignee = m.head.assignee, cc: Assignee[] = []) =>
    step(ago(k), () => assignIncident(m.doc, office, { incidentId: m.id, to, cc }, env), 'assign');
  const handle = (m: Made, k: number, note: string) =>
    step(ago(k), () => recordHandling(m.doc, m.head.ctx, { incidentId: m.id, note }, env), 'handle');
  const askClose = (m: Made, k: number, by = m.head.ctx, procedural = false) =>
    step(
      ago(k),
      () =>
        requestIncidentClose(
          m.doc,
          by,
          procedural
            ? { incidentId: m.id, closure: 'procedural', procedural: 'policy-answer', note: '已向居民解释相关政策' }
            : { incidentId: m.id, closure: 'substantive', note: '问题已解决，居民认可' },
          env,
        ),
      'request close',
    );
  const verify = (m: Made, k: number) =>
    step(ago(k), () => verifyIncident(m.doc, office, { incidentId: m.id }, env), 'verify');
  const visit = (m: Made, k: number, rating: number, comment = '') =>
    step(
      ago(k),
      () => recordVisit(m.doc, office, { incidentId: m.id, method: 'phone', rating, comment }, env),
      'visit',
    );
  const unit = (): Assignee => ({ kind: 'unit', name: pick(UNITS), ref: null });
  const gridAssignee = (): Assignee => {
    const g = grids.length > 0 ? pick(grids) : null;
    return { kind: 'grid', name: g?.name ?? '第一网格', ref: g?.id ?? null };
  };

  const stages: Partial<Record<DemoIncidentStage, { year: number; id: string }>> = {};
  const mark = (stage: DemoIncidentStage, m: Made) => {
    stages[stage] ??= { year: m.year, id: m.id };
  };

  // 待受理: today's reports, and one reported three working days ago (its one-day acceptance limit is past).
  for (let i = 0; i < 3; i++) mark('reported', report(0));
  mark('accept-overdue', report(3));
  // 不予受理.
  for (let i = 0; i < 2; i++) {
    const m = report(6 + i);
    step(
      ago(5 + i),
      () =>
        rejectIncident(
          m.doc,
          office,
          { incidentId: m.id, reason: '不属于社区职责范围，已告知居民向相关部门反映' },
          env,
        ),
      'reject',
    );
    mark('rejected', m);
  }
  // 已受理, not handed over yet.
  for (let i = 0; i < 2; i++) {
    const m = report(1);
    accept(m, 0);
    mark('accepted', m);
  }
  // 处置中: green (just handed over), yellow (a help request at 5 of 7 working days), red (past its limit).
  for (let i = 0; i < 4; i++) {
    const m = report(2, { kind: 'complaint' });
    accept(m, 1);
    assign(m, 1, i % 2 === 0 ? m.head.assignee : gridAssignee(), i === 0 ? [unit()] : []);
    if (i === 1) handle(m, 0, '已上门了解情况，正在协调');
    mark('assigned-green', m);
  }
  for (let i = 0; i < 3; i++) {
    const m = report(6, { kind: 'help' });
    accept(m, 5);
    assign(m, 5);
    handle(m, 3, '已联系相关责任人');
    mark('assigned-yellow', m);
  }
  for (let i = 0; i < 3; i++) {
    const m = report(12, { kind: 'help' });
    accept(m, 11);
    assign(m, 11, unit());
    mark('assigned-red', m);
  }
  // 挂账: waiting on something outside the community (the clock stopped), one resumed.
  for (let i = 0; i < 2; i++) {
    const m = report(9, { kind: 'suggestion' });
    accept(m, 8);
    assign(m, 8, unit());
    step(
      ago(6),
      () => suspendIncident(m.doc, office, { incidentId: m.id, reason: '需等待街道统一立项' }, env),
      'suspend',
    );
    if (i === 1) step(ago(1), () => resumeIncident(m.doc, office, { incidentId: m.id }, env), 'resume');
    else mark('suspended', m);
  }
  // 回退: the head was not the right person; back with the office.
  {
    const m = report(4);
    accept(m, 3);
    assign(m, 3);
    step(
      ago(2),
      () => sendBackIncident(m.doc, m.head.ctx, { incidentId: m.id, reason: '不属于本楼栋，应由物业处理' }, env),
      'send back',
    );
    mark('sent-back', m);
  }
  // 上报: one up the chain, one by the skip-level rule (a critical emergency).
  {
    const m = report(3, {
      category: 'emergency',
      urgency: 'critical',
      title: '燃气泄漏气味',
      content: '楼道内有明显燃气气味。',
      kind: 'help',
    });
    accept(m, 3);
    step(
      ago(3),
      () =>
        escalateIncident(
          m.doc,
          office,
          { incidentId: m.id, to: '街道应急办', reason: '涉及燃气安全，需专业处置' },
          env,
        ),
      'escalate',
    );
    assign(m, 3, { kind: 'unit', name: '燃气公司', ref: null });
    mark('escalated', m);
    const n = report(5);
    accept(n, 4);
    step(
      ago(4),
      () => escalateIncident(n.doc, office, { incidentId: n.id, to: '街道城管科', reason: '需多部门联合处置' }, env),
      'escalate',
    );
    assign(n, 4);
  }
  // 待核查, and one sent back from verification and asked again.
  for (let i = 0; i < 3; i++) {
    const m = report(7);
    accept(m, 6);
    assign(m, 6);
    handle(m, 3, '已协调处理');
    askClose(m, 1, m.head.ctx, i === 2);
    mark('closing', m);
  }
  {
    const m = report(10);
    accept(m, 9);
    assign(m, 9);
    askClose(m, 6);
    step(
      ago(5),
      () => refuseIncidentClose(m.doc, office, { incidentId: m.id, reason: '现场核查仍未清理干净' }, env),
      'refuse',
    );
    handle(m, 3, '已再次组织清理');
    askClose(m, 1);
    mark('verify-refused', m);
  }
  // 已结案, waiting for the call-back.
  for (let i = 0; i < 2; i++) {
    const m = report(12);
    accept(m, 11);
    assign(m, 11);
    handle(m, 8, '已处理完毕');
    askClose(m, 4);
    verify(m, 3);
    mark('closed', m);
  }
  // A grid worker's own patrol, handled by the worker: no call-back, archived at once.
  {
    const m = report(8, {
      source: 'patrol',
      kind: 'consult',
      title: '咨询居住证办理',
      content: '居民咨询居住证办理材料。',
      category: 'policy',
    });
    accept(m, 8);
    assign(m, 8, { kind: 'grid', name: m.reporter.actor.userName, ref: null });
    askClose(m, 7, m.reporter, true);
    verify(m, 6);
    mark('self-handled', m);
    const n = report(9, { source: 'patrol' });
    accept(n, 9);
    assign(n, 9, { kind: 'grid', name: n.reporter.actor.userName, ref: null });
    askClose(n, 8, n.reporter);
    verify(n, 7);
    step(ago(6), () => archiveIncident(n.doc, office, { incidentId: n.id }, env), 'archive');
  }
  // 已回访: satisfied (some archived), and reopened by a 不满意 call-back.
  for (let i = 0; i < 4; i++) {
    const m = report(18 + i);
    accept(m, 17 + i);
    assign(m, 17 + i, i % 2 === 0 ? m.head.assignee : unit());
    handle(m, 12, '已处理完毕');
    askClose(m, 10);
    verify(m, 9);
    visit(m, 7, i === 0 ? 4 : 5, i === 0 ? '处理及时' : '');
    if (i >= 2) {
      step(ago(6), () => archiveIncident(m.doc, office, { incidentId: m.id }, env), 'archive');
      mark('archived', m);
    } else mark('visited', m);
  }
  for (let i = 0; i < 2; i++) {
    const m = report(16);
    accept(m, 15);
    assign(m, 15);
    askClose(m, 10);
    verify(m, 9);
    visit(m, 6, i === 0 ? 2 : 1, '问题没有真正解决，又出现了');
    if (i === 1) handle(m, 2, '已重新上门处理');
    mark('reopened', m);
  }
  // 合并为重复: the same matter reported twice.
  {
    const first = report(3, {
      title: '小区大门道闸损坏',
      content: '小区大门道闸损坏，车辆随意进出。',
      category: 'security',
      kind: 'help',
    });
    accept(first, 2);
    const again = report(2, {
      title: '大门道闸坏了',
      content: '道闸坏了好几天了。',
      category: 'security',
      kind: 'help',
    });
    step(
      ago(1),
      () =>
        mergeIncident(again.doc, office, { incidentId: again.id, into: first.id, reason: '与前一件为同一事项' }, env),
      'merge',
    );
    mark('merged', again);
  }

  for (const stage of DEMO_INCIDENT_STAGES) {
    if (stages[stage] === undefined) throw new Error(`demo incidents: no ${stage}`);
  }
  return { docs, stages: stages as Record<DemoIncidentStage, { year: number; id: string }>, count: counterOf(docs) };
}

function counterOf(docs: ReadonlyMap<number, Y.Doc>): number {
  let n = 0;
  for (const doc of docs.values()) n += doc.getMap('incidents').size;
  return n;
}
