/**
 * The demo community's residents' services (便民服务, docs/services-model.md): a catalogue of government services and
 * third-party 一键呼叫 services, and about thirty applications at every stage — open with time left and overdue, done
 * on time and late, refused, transferred, rated 5 to 3, rated bad with the fix pending, fixed but not called back,
 * fixed and called back (then rated again), and a fix past its 15 working days — by window, phone and a grid worker at
 * the door. Written through the services commands with a clock moved back in working days from `today`, so every
 * figure is what the commands and the fold compute. Deterministic: the same seed and day give the same documents.
 * Applicants are residents of the demo registry when one is given.
 */
import * as Y from 'yjs';
import { nationalCalendar } from '../calendar/calendar';
import type { WorkingCalendar } from '../calendar/types';
import { addDays, isWorkday } from '../calendar/workdays';
import type { CommandContext, CommandResult, Permission } from '../kernel';
import { mulberry32 } from '../registry/demo';
import { listRecords } from '../../ydoc/registry';
import {
  acceptApplication,
  callBackApplication,
  completeApplication,
  rateApplication,
  rectifyApplication,
  refuseApplication,
  saveServiceItem,
  transferApplication,
  type ServicesEnv,
} from './commands';
import type { Channel, ServiceItemInput } from './types';

export interface DemoServicesOptions {
  readonly community: string;
  /** The demo's "today" (China date); the stages are laid out in working days before it. */
  readonly today: string;
  /** The demo registry: applicants are its residents (name and id). */
  readonly registry?: Y.Doc;
  readonly calendar?: WorkingCalendar;
}

export interface DemoServices {
  /** One document per year of acceptance (`<community>/services/<year>`), each with the catalogue. */
  readonly docs: ReadonlyMap<number, Y.Doc>;
  readonly applications: number;
}

export const DEMO_SERVICE_ITEMS: readonly ServiceItemInput[] = [
  {
    id: 'svc-residence-permit',
    name: '居住证办理',
    kind: 'government',
    department: '公安派出所',
    promiseDays: 10,
    materials: ['身份证', '租房合同或房产证明', '近期免冠照片'],
    handler: { name: '窗口 赵敏', ref: null },
  },
  {
    id: 'svc-elderly-allowance',
    name: '高龄津贴申领',
    kind: 'government',
    department: '民政',
    promiseDays: 5,
    materials: ['身份证', '户口簿', '银行卡'],
    handler: { name: '窗口 孙丽', ref: null },
  },
  {
    id: 'svc-disability-card',
    name: '残疾人证申办',
    kind: 'government',
    department: '残联',
    promiseDays: 15,
    materials: ['身份证', '户口簿', '二寸照片', '医院诊断证明'],
    handler: { name: '窗口 孙丽', ref: null },
  },
  {
    id: 'svc-medical-insurance',
    name: '城乡居民医保参保登记',
    kind: 'government',
    department: '医保',
    promiseDays: 3,
    materials: ['身份证', '户口簿'],
    handler: { name: '窗口 赵敏', ref: null },
  },
  {
    id: 'svc-employment',
    name: '就业失业登记',
    kind: 'government',
    department: '人社',
    promiseDays: 5,
    materials: ['身份证'],
    handler: { name: '窗口 钱军', ref: null },
  },
  {
    id: 'svc-housekeeping',
    name: '家政保洁（一键呼叫）',
    kind: 'third-party',
    department: '顺心家政服务公司',
    promiseDays: 2,
    materials: [],
    handler: { name: '客服 周婷', ref: null },
    commitment: '接单后2小时内电话联系，次日上门；明码标价，每小时45元。',
  },
  {
    id: 'svc-home-care',
    name: '居家养老助餐助浴（一键呼叫）',
    kind: 'third-party',
    department: '夕阳红居家养老服务中心',
    promiseDays: 3,
    materials: ['老年人身份证'],
    handler: { name: '护理员 吴芳', ref: null },
    commitment: '助餐每日送达，助浴预约后3个工作日内上门；低保、特困老人免费。',
  },
];

const OFFICE = { userId: 'demo-window', userName: '便民服务窗口 赵敏' };
const ADMIN = { userId: 'demo-admin', userName: '社区管理员' };
const GRID_WORKERS = ['王晓红', '李建国', '张丽'] as const;
const FALLBACK_NAMES = ['陈秀英', '刘德明', '杨桂兰', '黄志强', '周玉梅', '吴建华', '徐丽华', '孙国庆'] as const;

/**
 * The stages: days ago it was accepted (working days), the channel, and what followed (each with its working days
 * ago and the rating). `late` finishes after the promise.
 */
type Plan =
  | { readonly kind: 'open'; readonly ago: number }
  | { readonly kind: 'refused' | 'transferred'; readonly ago: number }
  | {
      readonly kind: 'done';
      readonly ago: number;
      /** Working days after acceptance it was done (past the promise: late). */
      readonly took: number;
      readonly rating?: number;
      /** For a bad rating: working days after the rating it was fixed and called back (null: not yet). */
      readonly fixedAfter?: number | null;
      readonly calledAfter?: number | null;
      /** A second rating after the fix. */
      readonly again?: number;
    };

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo services: ${what}: ${JSON.stringify(result.error)}`);
  return result.value;
}

export function generateDemoServices(seed: number, options: DemoServicesOptions): DemoServices {
  const calendar = options.calendar ?? nationalCalendar();
  const env: ServicesEnv = { calendar };
  const rnd = mulberry32(seed ^ 0x5e7c);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const { community, today } = options;
  // The working day k working days before (k > 0) or after (k < 0) `from`.
  const shift = (from: string, k: number) => {
    let day = from;
    let left = Math.abs(k);
    while (left > 0) {
      day = addDays(day, k > 0 ? -1 : 1);
      if (isWorkday(calendar, day)) left--;
    }
    return day;
  };
  const people = options.registry
    ? listRecords(options.registry, 'residents')
        .slice(0, 400)
        .map((r) => {
          const name: unknown = (r as { name?: unknown }).name;
          return { name: typeof name === 'string' ? name : '', ref: r.id };
        })
        .filter((p) => p.name !== '')
    : [];
  const applicant = () => {
    const person: { name: string; ref: string | null } =
      people.length > 0 ? pick(people) : { name: pick(FALLBACK_NAMES), ref: null };
    return { name: person.name, phone: `138${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`, ref: person.ref };
  };

  const docs = new Map<number, Y.Doc>();
  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctxOf = (who: { userId: string; userName: string }, permissions: readonly Permission[]): CommandContext => ({
    actor: { ...who, deviceId: 'demo' },
    now: () => now,
    newId: () => `ds${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(permissions),
  });
  const office = ctxOf(OFFICE, ['services.edit']);
  const admin = ctxOf(ADMIN, ['admin']);
  const on = (day: string) => {
    now = new Date(`${day}T02:00:00.000Z`);
  };
  const docOf = (day: string): Y.Doc => {
    const year = Number(day.slice(0, 4));
    let doc = docs.get(year);
    if (doc === undefined) {
      doc = new Y.Doc();
      docs.set(year, doc);
      on(`${year}-01-01` > shift(today, 70) ? `${year}-01-01` : shift(today, 70));
      for (const item of DEMO_SERVICE_ITEMS) must(saveServiceItem(doc, admin, item), 'catalogue');
    }
    return doc;
  };

  const plans: Plan[] = [
    { kind: 'open', ago: 0 },
    { kind: 'open', ago: 1 },
    { kind: 'open', ago: 2 },
    { kind: 'open', ago: 4 },
    { kind: 'open', ago: 9 },
    { kind: 'open', ago: 18 },
    { kind: 'open', ago: 25 },
    { kind: 'refused', ago: 6 },
    { kind: 'refused', ago: 22 },
    { kind: 'transferred', ago: 12 },
    { kind: 'transferred', ago: 30 },
    { kind: 'done', ago: 3, took: 1 },
    { kind: 'done', ago: 8, took: 2 },
    { kind: 'done', ago: 10, took: 2, rating: 5 },
    { kind: 'done', ago: 14, took: 3, rating: 5 },
    { kind: 'done', ago: 16, took: 1, rating: 4 },
    { kind: 'done', ago: 20, took: 4, rating: 4 },
    { kind: 'done', ago: 24, took: 2, rating: 3 },
    { kind: 'done', ago: 27, took: 20, rating: 4 },
    { kind: 'done', ago: 29, took: 18, rating: 5 },
    { kind: 'done', ago: 33, took: 3, rating: 5 },
    { kind: 'done', ago: 36, took: 2, rating: 4 },
    { kind: 'done', ago: 12, took: 2, rating: 2, fixedAfter: null, calledAfter: null },
    { kind: 'done', ago: 15, took: 3, rating: 1, fixedAfter: 3, calledAfter: null },
    { kind: 'done', ago: 26, took: 2, rating: 2, fixedAfter: 4, calledAfter: 5, again: 4 },
    { kind: 'done', ago: 40, took: 3, rating: 1, fixedAfter: 8, calledAfter: 9 },
    { kind: 'done', ago: 55, took: 2, rating: 2, fixedAfter: null, calledAfter: null },
    { kind: 'done', ago: 60, took: 4, rating: 2, fixedAfter: 17, calledAfter: 18, again: 3 },
    { kind: 'done', ago: 45, took: 2, rating: 5 },
    { kind: 'done', ago: 50, took: 6, rating: 3 },
  ];
  const CHANNEL_ORDER: readonly Channel[] = ['window', 'window', 'phone', 'door'];
  const steps: { day: string; run: () => void }[] = [];
  let index = 0;
  for (const plan of plans) {
    const item = DEMO_SERVICE_ITEMS[index % DEMO_SERVICE_ITEMS.length] as ServiceItemInput;
    const channel = CHANNEL_ORDER[index % CHANNEL_ORDER.length] as Channel;
    index++;
    const acceptedOn = shift(today, plan.ago);
    const doc = docOf(acceptedOn);
    on(acceptedOn);
    const agentName = pick(GRID_WORKERS);
    const id = must(
      acceptApplication(doc, office, {
        community,
        itemId: item.id,
        applicant: applicant(),
        channel,
        agent: channel === 'door' ? { name: agentName, ref: `demo-worker-${GRID_WORKERS.indexOf(agentName)}` } : null,
        note: channel === 'door' ? '行动不便，网格员上门代办' : '',
      }),
      'accept',
    );
    const at = (day: string, run: () => void) => {
      if (day <= today) steps.push({ day, run });
    };
    if (plan.kind === 'refused') {
      at(shift(acceptedOn, -1), () =>
        must(
          refuseApplication(doc, office, { applicationId: id, reason: '不符合申领条件：户籍不在本社区。' }, env),
          'refuse',
        ),
      );
    } else if (plan.kind === 'transferred') {
      at(shift(acceptedOn, -1), () =>
        must(
          transferApplication(
            doc,
            office,
            { applicationId: id, to: '街道便民服务中心', reason: '需街道窗口现场核验。' },
            env,
          ),
          'transfer',
        ),
      );
    } else if (plan.kind === 'done') {
      const doneOn = shift(acceptedOn, -plan.took);
      at(doneOn, () =>
        must(completeApplication(doc, office, { applicationId: id, result: '已办结，告知申请人领取。' }, env), 'done'),
      );
      if (plan.rating !== undefined) {
        const rating = plan.rating;
        const ratedOn = shift(doneOn, -1);
        at(ratedOn, () =>
          must(
            rateApplication(
              doc,
              office,
              { applicationId: id, rating, comment: rating <= 2 ? '等候时间太长，工作人员解释不清楚。' : '' },
              env,
            ),
            'rate',
          ),
        );
        if (plan.fixedAfter != null) {
          at(shift(ratedOn, -plan.fixedAfter), () =>
            must(
              rectifyApplication(doc, office, { applicationId: id, note: '已约谈经办人，上门补充说明并致歉。' }, env),
              'rectify',
            ),
          );
        }
        if (plan.calledAfter != null) {
          const calledOn = shift(ratedOn, -plan.calledAfter);
          at(calledOn, () =>
            must(
              callBackApplication(doc, office, { applicationId: id, note: '电话回访，居民表示理解。' }, env),
              'call',
            ),
          );
          const again = plan.again;
          if (again !== undefined) {
            at(shift(calledOn, -1), () =>
              must(rateApplication(doc, office, { applicationId: id, rating: again, comment: '' }, env), 'rate again'),
            );
          }
        }
      }
    }
  }
  // Later steps of one application come after its earlier ones: a stable sort by day keeps each one's order.
  steps.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (const step of steps) {
    on(step.day);
    step.run();
  }
  return { docs, applications: plans.length };
}
