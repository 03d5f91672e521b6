/**
 * A September on the 2026 calendar in two communities, every figure hand-computed (the dates follow
 * tests/unit/shared/domain/tasks/stats.test.ts). Published Tue 09-01: claim due 09-03, completion due 09-15.
 * - xihe-a T1: claimed 09-02 by 李四; asks to close (实质性) 09-10; verified 09-11: on time, 7 working days.
 * - xihe-a T2: claimed 09-04 (late) by 王五; asks (程序性) 09-16; returned 09-17; asks again and verified 09-18:
 *   late, 13 working days.
 * - xihe-a T4: never claimed; 普通 card by hand 09-04, cancelled 09-05; open and overdue on 09-30.
 * - xihe-b T5: claimed 09-02 by 赵六; asks (实质性) 09-14; verified 09-15: on time, 9 working days.
 * - xihe-b T6: published Mon 09-21 (claim due 09-23, completion due 10-12); claimed 09-22 by 赵六; 黄牌 by hand
 *   09-29; open, not overdue, on 09-30.
 * - xihe-b T7: published 10-08, outside September.
 */
import * as Y from 'yjs';
import * as c from '@shared/domain/tasks/commands';
import type { TaskState } from '@shared/domain/tasks/state';
import { listTasks } from '@shared/ydoc/tasks';
import { community, env, street, template, unwrap } from '../../../../shared/domain/tasks/fixtures';

export const SEPTEMBER = { from: '2026-09-01', to: '2026-09-30' };

export function september(): { a: Y.Doc; b: Y.Doc; states: () => TaskState[] } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const st = street();
  const cm = community();
  const at = (day: string) => {
    st.clock.set(day);
    cm.clock.set(day);
  };
  const publish = (doc: Y.Doc, communityId: string, day: string) => {
    at(day);
    const [id] = unwrap(
      c.publishTask(doc, st, { template: template(), community: communityId, periods: ['2026'] }, env),
    );
    return id as string;
  };
  const t1 = publish(a, 'xihe-a', '2026-09-01');
  const t2 = publish(a, 'xihe-a', '2026-09-01');
  const t4 = publish(a, 'xihe-a', '2026-09-01');
  const t5 = publish(b, 'xihe-b', '2026-09-01');
  at('2026-09-02');
  unwrap(c.claimTask(a, cm, { taskId: t1, owner: { name: '李四', ref: 'acct:li' } }, env));
  unwrap(c.claimTask(b, cm, { taskId: t5, owner: { name: '赵六', ref: 'acct:zhao' } }, env));
  at('2026-09-04');
  unwrap(c.claimTask(a, cm, { taskId: t2, owner: { name: '王五', ref: 'acct:wang' } }, env));
  const [card] = unwrap(c.raiseCard(a, st, { taskId: t4, level: 'normal', reason: '请尽快领办' }, env));
  at('2026-09-05');
  unwrap(c.cancelCard(a, st, { taskId: t4, cardId: (card as { cardId: string }).cardId, reason: '已电话联系' }, env));
  at('2026-09-10');
  unwrap(c.requestClose(a, cm, { taskId: t1, closure: 'substantive', reason: '完成' }, env));
  at('2026-09-11');
  unwrap(c.verifyClose(a, st, { taskId: t1 }, env));
  at('2026-09-14');
  unwrap(c.requestClose(b, cm, { taskId: t5, closure: 'substantive', reason: '完成' }, env));
  at('2026-09-15');
  unwrap(c.verifyClose(b, st, { taskId: t5 }, env));
  at('2026-09-16');
  unwrap(c.requestClose(a, cm, { taskId: t2, closure: 'procedural', reason: '已答复' }, env));
  at('2026-09-17');
  unwrap(c.returnTask(a, st, { taskId: t2, reason: '材料不全' }, env));
  at('2026-09-18');
  unwrap(c.requestClose(a, cm, { taskId: t2, closure: 'procedural', reason: '已补充' }, env));
  unwrap(c.verifyClose(a, st, { taskId: t2 }, env));
  const t6 = publish(b, 'xihe-b', '2026-09-21');
  at('2026-09-22');
  unwrap(c.claimTask(b, cm, { taskId: t6, owner: { name: '赵六', ref: 'acct:zhao' } }, env));
  at('2026-09-29');
  unwrap(c.raiseCard(b, st, { taskId: t6, level: 'yellow', reason: '进度滞后' }, env));
  publish(b, 'xihe-b', '2026-10-08');
  return { a, b, states: () => [...listTasks(a), ...listTasks(b)] };
}
