/**
 * The demo community's tasks (任务督办): a street's tasks handed down to the demo community, at every stage of the flow
 * (docs/tasks-model.md): published, not claimed in time, claimed late, in progress with reports, waiting for
 * verification, returned, closed substantively and procedurally, archived, an extension pending and one granted, and
 * the cards the rules raise (普通, 黄牌, 红牌) plus one by hand, answered. Written through the task commands with a clock
 * moved back in working days from `today`, so every deadline and flag is what the commands compute. Deterministic:
 * the same seed and day give the same tasks and events (ids from a counter, choices from mulberry32).
 */
import * as Y from 'yjs';
import { nationalCalendar } from '../calendar/calendar';
import type { WorkingCalendar } from '../calendar/types';
import { addDays, isWorkday } from '../calendar/workdays';
import type { CommandContext, CommandResult, Permission } from '../kernel';
import { mulberry32 } from '../registry/demo';
import { listTasks } from '../../ydoc/tasks';
import {
  applyCardRules,
  cancelCard,
  claimTask,
  decideExtension,
  publishTask,
  raiseCard,
  replyCard,
  reportProgress,
  requestClose,
  requestExtension,
  returnTask,
  verifyClose,
  archiveTask,
  type TasksEnv,
} from './commands';
import { templateIdOf } from './import';
import { periodOn } from './periods';
import type { TaskState } from './state';
import type { TaskTemplateInput } from './types';

export interface DemoTasksOptions {
  /** The demo community's id. */
  readonly community: string;
  /** The demo's "today" (China date); the stages are laid out in working days before it. */
  readonly today: string;
  readonly calendar?: WorkingCalendar;
}

export interface DemoTasks {
  readonly doc: Y.Doc;
  /** The year of the document (`<community>/tasks/<year>`): the year of the tasks' period. */
  readonly year: number;
  /** Instances by the stage they were made to show. */
  readonly stages: Readonly<Record<DemoStage, string>>;
}

export const DEMO_STAGES = [
  'published',
  'claim-overdue',
  'claimed-late',
  'in-progress',
  'closing',
  'returned',
  'closed-substantive',
  'closed-procedural',
  'archived',
  'extension-pending',
  'extension-granted',
  'yellow',
  'red',
  'standing-closed',
] as const;
export type DemoStage = (typeof DEMO_STAGES)[number];

const WORKERS = ['王晓红', '李建国', '张丽', '刘洋', '陈静'] as const;

const STREET = { userId: 'demo-street', userName: '中城街道督办员' };

function must<T>(result: CommandResult<T>, what: string): T {
  if (!result.ok) throw new Error(`demo tasks: ${what}: ${JSON.stringify(result.error)}`);
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

export function generateDemoTasks(seed: number, options: DemoTasksOptions): DemoTasks {
  const calendar = options.calendar ?? nationalCalendar();
  const env: TasksEnv = { calendar };
  const { community, today } = options;
  const rnd = mulberry32(seed ^ 0x7a5c);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ago = (k: number) => workdaysAgo(calendar, today, k);
  // Every instance belongs to the year of the oldest stage's period, so none is pushed to 1 January.
  const year = Number(ago(75).slice(0, 4));
  const doc = new Y.Doc();
  let now = new Date(`${today}T02:00:00.000Z`);
  let counter = 0;
  const ctxOf = (who: { userId: string; userName: string }, permissions: readonly Permission[]): CommandContext => ({
    actor: { ...who, deviceId: 'demo' },
    now: () => now,
    newId: () => `dt${seed.toString(36)}-${(counter++).toString(36)}`,
    permissions: new Set(permissions),
  });
  const street = ctxOf(STREET, ['tasks.supervise']);
  const on = (day: string) => {
    now = new Date(`${day}T02:00:00.000Z`);
  };
  let docNumber = 0;

  const template = (
    title: string,
    category: string,
    limits: { claim: number; completion: number },
    extra: Partial<TaskTemplateInput> = {},
  ): TaskTemplateInput => {
    docNumber++;
    const docNo = `中街督〔${year}〕${docNumber}号`;
    return {
      id: templateIdOf(docNo),
      docNo,
      title,
      category,
      basis: pick(['顺委办〔2026〕3号', '顺府办发〔2026〕12号', '中城街道2026年重点工作清单']),
      kind: rnd() < 0.25 ? 'special' : 'work',
      lead: '西河社区党委',
      coOwners: rnd() < 0.5 ? ['西河社区居委会'] : [],
      responsible: { name: pick(['周书记', '吴主任', '郑副书记']), ref: null },
      claimLimit: limits.claim,
      completionLimit: limits.completion,
      reportFrequency: pick(['weekly', 'monthly', 'milestone'] as const),
      milestones: [
        { id: 'm1', title: '摸底排查', weight: 30, evidence: '台账' },
        { id: 'm2', title: '组织实施', weight: 50, evidence: '照片' },
        { id: 'm3', title: '总结验收', weight: 20, evidence: '总结材料' },
      ],
      fund: rnd() < 0.3 ? { name: '社区发展治理专项保障资金', amount: 5000 * (1 + Math.floor(rnd() * 8)) } : null,
      schedule: { type: 'annual' },
      ...extra,
    };
  };

  const publish = (input: TaskTemplateInput, day: string, periods: readonly string[] = [String(year)]) => {
    on(day);
    const ids = must(publishTask(doc, street, { template: input, community, periods: [...periods] }, env), 'publish');
    return ids;
  };
  const worker = () => {
    const name = pick(WORKERS);
    return { ctx: ctxOf({ userId: `demo-worker-${WORKERS.indexOf(name)}`, userName: name }, ['tasks.edit']), name };
  };
  const claim = (taskId: string, day: string) => {
    const w = worker();
    on(day);
    must(claimTask(doc, w.ctx, { taskId, owner: { name: w.name, ref: w.ctx.actor.userId } }, env), 'claim');
    return w.ctx;
  };
  const report = (ctx: CommandContext, taskId: string, day: string, note: string, progress: number, m: string) => {
    on(day);
    must(reportProgress(doc, ctx, { taskId, note, progress, milestoneId: m }, env), 'report');
  };
  const close = (
    ctx: CommandContext,
    taskId: string,
    day: string,
    closure: 'substantive' | 'procedural',
    reason: string,
  ) => {
    on(day);
    must(requestClose(doc, ctx, { taskId, closure, reason }, env), 'request close');
  };
  const verify = (taskId: string, day: string) => {
    on(day);
    must(verifyClose(doc, street, { taskId }, env), 'verify');
  };
  const lastCardOf = (taskId: string): string => {
    const card = listTasks(doc)
      .find((s) => s.id === taskId)
      ?.cards.at(-1);
    if (card === undefined) throw new Error('demo tasks: no card');
    return card.id;
  };
  const one = (ids: readonly string[]): string => {
    const id = ids[0];
    if (id === undefined) throw new Error('demo tasks: nothing published');
    return id;
  };

  const stages: Partial<Record<DemoStage, string>> = {};

  stages.published = one(publish(template('文明城市创建迎检', '精神文明', { claim: 3, completion: 20 }), ago(1)));

  stages['claim-overdue'] = one(
    publish(template('电动自行车充电设施排查', '安全生产', { claim: 2, completion: 30 }), ago(6)),
  );

  {
    const id = one(publish(template('居民议事会规范化建设', '基层治理', { claim: 2, completion: 40 }), ago(10)));
    const ctx = claim(id, ago(6));
    report(ctx, id, ago(2), '已召开筹备会，议事规则草案已形成', 20, 'm1');
    stages['claimed-late'] = id;
  }

  {
    const id = one(publish(template('独居老人走访慰问', '民生服务', { claim: 3, completion: 40 }), ago(12)));
    const ctx = claim(id, ago(11));
    report(ctx, id, ago(8), '已摸清辖区独居老人86人，建立台账', 30, 'm1');
    report(ctx, id, ago(3), '已走访52户，发放慰问品和联系卡', 60, 'm2');
    on(ago(2));
    must(raiseCard(doc, street, { taskId: id, level: 'normal', reason: '请补充走访照片' }, env), 'card');
    const raised = lastCardOf(id);
    on(ago(1));
    must(replyCard(doc, ctx, { taskId: id, cardId: raised, reply: '照片已随进展补报' }, env), 'reply');
    stages['in-progress'] = id;
  }

  {
    const id = one(publish(template('防汛物资清点', '应急管理', { claim: 3, completion: 40 }), ago(20)));
    const ctx = claim(id, ago(19));
    report(ctx, id, ago(10), '物资已清点造册，补充沙袋200个', 80, 'm2');
    close(ctx, id, ago(1), 'substantive', '物资已清点入库，台账和照片已上传');
    stages.closing = id;
  }

  {
    const id = one(publish(template('背街小巷环境整治', '城市管理', { claim: 3, completion: 40 }), ago(25)));
    const ctx = claim(id, ago(24));
    report(ctx, id, ago(15), '已清理卫生死角14处', 50, 'm2');
    close(ctx, id, ago(10), 'procedural', '已纳入日常保洁，长效管理');
    on(ago(8));
    must(returnTask(doc, street, { taskId: id, reason: '和平街3处乱堆放尚未整改，请整改后再申请' }, env), 'return');
    report(ctx, id, ago(3), '和平街乱堆放已清运2处', 70, 'm2');
    stages.returned = id;
  }

  {
    const id = one(publish(template('老旧小区改造意见征集', '城市更新', { claim: 3, completion: 30 }), ago(60)));
    const ctx = claim(id, ago(59));
    report(ctx, id, ago(45), '已发放征求意见表320份', 50, 'm1');
    close(ctx, id, ago(35), 'substantive', '收回意见表298份，汇总报告已报街道');
    verify(id, ago(33));
    stages['closed-substantive'] = id;
  }

  {
    const id = one(publish(template('困难群众救助台账核对', '民生服务', { claim: 3, completion: 15 }), ago(55)));
    const ctx = claim(id, ago(53));
    close(ctx, id, ago(35), 'procedural', '3户信息待民政系统更新，已转区民政局');
    verify(id, ago(34));
    stages['closed-procedural'] = id;
  }

  {
    const id = one(publish(template('网格员业务培训', '基层治理', { claim: 3, completion: 20 }), ago(70)));
    const ctx = claim(id, ago(69));
    report(ctx, id, ago(60), '已完成两期培训，参训42人次', 100, 'm3');
    close(ctx, id, ago(52), 'substantive', '培训完成，签到表和课件已上传');
    verify(id, ago(50));
    on(ago(45));
    must(archiveTask(doc, street, { taskId: id }, env), 'archive');
    stages.archived = id;
  }

  {
    const id = one(publish(template('便民服务站点建设', '民生服务', { claim: 3, completion: 30 }), ago(10)));
    const ctx = claim(id, ago(9));
    on(ago(2));
    must(
      requestExtension(doc, ctx, { taskId: id, days: 10, reason: '选址需业委会表决，会议定于下周召开' }, env),
      'extension',
    );
    stages['extension-pending'] = id;
  }

  {
    const id = one(publish(template('社区矫正人员帮教', '平安建设', { claim: 3, completion: 20 }), ago(30)));
    const ctx = claim(id, ago(29));
    report(ctx, id, ago(20), '已与帮教对象逐一谈话', 40, 'm1');
    on(ago(15));
    must(
      requestExtension(doc, ctx, { taskId: id, days: 10, reason: '两名帮教对象外出务工，需等返乡' }, env),
      'extension',
    );
    on(ago(13));
    must(decideExtension(doc, street, { taskId: id, granted: 10, reason: '情况属实，同意延期' }, env), 'decide');
    stages['extension-granted'] = id;
  }

  {
    const id = one(publish(template('垃圾分类宣传入户', '生态环境', { claim: 2, completion: 20 }), ago(18)));
    const ctx = claim(id, ago(17));
    report(ctx, id, ago(5), '已入户宣传380户', 45, 'm2');
    stages.yellow = id;
  }

  {
    const id = one(publish(template('消防安全隐患排查', '安全生产', { claim: 2, completion: 15 }), ago(30)));
    const ctx = claim(id, ago(29));
    report(ctx, id, ago(20), '已排查沿街商铺40家，发现隐患9处', 30, 'm1');
    stages.red = id;
  }

  {
    // A standing monthly task: last month's round closed, this month's waiting to be claimed.
    const standing = template(
      '月度安全巡查',
      '安全生产',
      { claim: 3, completion: 10 },
      {
        schedule: { type: 'standing', repeat: 'monthly' },
        milestones: [],
        reportFrequency: 'monthly',
        fund: null,
      },
    );
    // Last month's round closed; this month's (published ahead, from its first day) waits to be claimed, when both
    // months fall in the demo's year.
    const months = [periodOn(standing.schedule, ago(22)), periodOn(standing.schedule, today)];
    const periods = [...new Set(months)].filter((p) => p.startsWith(String(year)));
    const first = one(publish(standing, ago(22), periods.length > 0 ? periods : [`${year}-12`]));
    const ctx = claim(first, ago(21));
    close(ctx, first, ago(14), 'substantive', '巡查完成，问题已整改');
    verify(first, ago(13));
    stages['standing-closed'] = first;
  }

  // The street's device runs the card rules today: 普通 for the unclaimed, 黄牌 at the warning day, 红牌 when late.
  on(today);
  must(applyCardRules(doc, street, {}, env), 'card rules');

  // A hand card cancelled with a reason, on the task waiting for verification.
  on(today);
  must(raiseCard(doc, street, { taskId: stages.closing, level: 'normal', reason: '请补充入库照片' }, env), 'card');
  must(
    cancelCard(
      doc,
      street,
      { taskId: stages.closing, cardId: lastCardOf(stages.closing), reason: '照片已在进展中补报' },
      env,
    ),
    'cancel',
  );

  return { doc, year, stages: stages as Record<DemoStage, string> };
}

/** The states of the demo's instances (for the test and the worker's summary). */
export function demoTaskStates(demo: DemoTasks): TaskState[] {
  return listTasks(demo.doc);
}
