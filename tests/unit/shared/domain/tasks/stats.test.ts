import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import * as c from '@shared/domain/tasks/commands';
import { figuresBy, taskFigures } from '@shared/domain/tasks/stats';
import { listTasks } from '@shared/ydoc/tasks';
import { community, env, street, template, unwrap } from './fixtures';

/**
 * Six tasks, hand-computed (2026 calendar). Published Tue 09-01: claim due 09-03, completion due 09-15.
 * - T1 (a): claimed 09-02 by 李四; asks to close (实质性) 09-10; verified 09-11: on time, 7 working days.
 * - T2 (a): claimed 09-04 (late) by 王五; asks (程序性) 09-16; returned 09-17; asks again 09-18; verified 09-18:
 *   late, 13 working days.
 * - T3 (a): claimed 09-02 by 李四; asks 5 more days 09-14, granted 3 on 09-15 (1 working day paused): due
 *   10 + 3 + 1 = 14 working days = Sun 09-20 (a 调休 working day); red card by hand 09-22; open and overdue on 09-30.
 * - T4 (a): never claimed; 普通 card 09-04, cancelled 09-05; open and overdue on 09-30.
 * - T5 (b): claimed 09-02 by 赵六; asks (实质性) 09-14; verified 09-15: on time, 9 working days.
 * - T6 (b): published Mon 09-21 (due 10-12); claimed 09-22 by 赵六; 黄牌 by hand 09-29; open, not overdue, on 09-30.
 */
function sixTasks(): Y.Doc[] {
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
  const li = { name: '李四', ref: 'acct:li' };
  const [t1, t2, t3, t4] = [1, 2, 3, 4].map(() => publish(a, 'xihe-a', '2026-09-01')) as [
    string,
    string,
    string,
    string,
  ];
  const t5 = publish(b, 'xihe-b', '2026-09-01');
  at('2026-09-02');
  unwrap(c.claimTask(a, cm, { taskId: t1, owner: li }, env));
  unwrap(c.claimTask(a, cm, { taskId: t3, owner: li }, env));
  unwrap(c.claimTask(b, cm, { taskId: t5, owner: { name: '赵六', ref: 'acct:zhao' } }, env));
  at('2026-09-04');
  unwrap(c.claimTask(a, cm, { taskId: t2, owner: { name: '王五', ref: 'acct:wang' } }, env));
  const [card] = unwrap(c.raiseCard(a, st, { taskId: t4, level: 'normal', reason: '请领办' }, env));
  at('2026-09-05');
  unwrap(c.cancelCard(a, st, { taskId: t4, cardId: (card as { cardId: string }).cardId, reason: '已电话联系' }, env));
  at('2026-09-10');
  unwrap(c.requestClose(a, cm, { taskId: t1, closure: 'substantive', reason: '完成' }, env));
  at('2026-09-11');
  unwrap(c.verifyClose(a, st, { taskId: t1 }, env));
  at('2026-09-14');
  unwrap(c.requestExtension(a, cm, { taskId: t3, days: 5, reason: '等资金' }, env));
  unwrap(c.requestClose(b, cm, { taskId: t5, closure: 'substantive', reason: '完成' }, env));
  at('2026-09-15');
  unwrap(c.decideExtension(a, st, { taskId: t3, granted: 3, reason: '同意三天' }, env));
  unwrap(c.verifyClose(b, st, { taskId: t5 }, env));
  at('2026-09-16');
  unwrap(c.requestClose(a, cm, { taskId: t2, closure: 'procedural', reason: '纳入项目库' }, env));
  at('2026-09-17');
  unwrap(c.returnTask(a, st, { taskId: t2, reason: '说明不足' }, env));
  at('2026-09-18');
  unwrap(c.requestClose(a, cm, { taskId: t2, closure: 'procedural', reason: '纳入项目库，附说明' }, env));
  unwrap(c.verifyClose(a, st, { taskId: t2 }, env));
  const t6 = publish(b, 'xihe-b', '2026-09-21');
  at('2026-09-22');
  unwrap(c.raiseCard(a, st, { taskId: t3, level: 'red', reason: '超期' }, env));
  unwrap(c.claimTask(b, cm, { taskId: t6, owner: { name: '赵六', ref: 'acct:zhao' } }, env));
  at('2026-09-29');
  unwrap(c.raiseCard(b, st, { taskId: t6, level: 'yellow', reason: '进度慢' }, env));
  return [a, b];
}

describe('figures from the events', () => {
  const docs = sixTasks();
  const states = docs.flatMap((d) => listTasks(d));

  it('gives the hand-computed totals on 2026-09-30', () => {
    expect(states.find((s) => s.id.startsWith('tpl-') && s.extensions.length > 0)?.deadlines.completionDue.date).toBe(
      '2026-09-20',
    );
    expect(taskFigures(states, { asOf: '2026-09-30', from: '2026-09-01', to: '2026-09-30' })).toEqual({
      published: 6,
      claimedOnTime: 4,
      claimOnTimeRate: 4 / 6,
      claimedLate: 1,
      open: 3,
      openNormal: 1,
      openOverdue: 2,
      closed: 3,
      closeRate: 0.5,
      due: 5,
      closedOnTime: 2,
      onTimeCloseRate: 0.4,
      substantive: 2,
      procedural: 1,
      averageWorkdays: 29 / 3,
      medianWorkdays: 9,
      cards: { normal: 1, yellow: 1, red: 1 },
      cardsCancelled: 1,
      extensionsRequested: 1,
      extensionsGranted: 1,
      extensionDaysGranted: 3,
      returns: 1,
    });
  });

  it('splits by community and by person', () => {
    const byCommunity = figuresBy(states, 'community', { asOf: '2026-09-30' });
    expect(byCommunity.get('xihe-a')).toMatchObject({
      published: 4,
      closed: 2,
      due: 4,
      closedOnTime: 1,
      onTimeCloseRate: 0.25,
      claimOnTimeRate: 0.5,
    });
    expect(byCommunity.get('xihe-b')).toMatchObject({
      published: 2,
      closed: 1,
      due: 1,
      onTimeCloseRate: 1,
      openNormal: 1,
    });
    const byPerson = figuresBy(states, 'person', { asOf: '2026-09-30' });
    expect([...byPerson.keys()].sort()).toEqual(['', 'acct:li', 'acct:wang', 'acct:zhao']);
    expect(byPerson.get('acct:li')).toMatchObject({ published: 2, closed: 1, openOverdue: 1, cards: { red: 1 } });
    expect(byPerson.get('acct:zhao')).toMatchObject({
      published: 2,
      closed: 1,
      medianWorkdays: 9,
      cards: { yellow: 1 },
    });
    expect(byPerson.get('')).toMatchObject({ published: 1, openOverdue: 1, cardsCancelled: 1 });
  });

  it('reads the past from the events written by then, and filters the period by publishing day', () => {
    // On 09-12: T6 not yet published, T1 closed, nothing overdue, the extension not yet asked.
    expect(taskFigures(states, { asOf: '2026-09-12' })).toMatchObject({
      published: 5,
      closed: 1,
      open: 4,
      openOverdue: 0,
      due: 1,
      closedOnTime: 1,
      extensionsRequested: 0,
      cards: { normal: 1, yellow: 0, red: 0 },
      cardsCancelled: 1,
    });
    expect(taskFigures(states, { asOf: '2026-09-30', from: '2026-09-15' })).toMatchObject({ published: 1, open: 1 });
    expect(taskFigures([], { asOf: '2026-09-30' })).toMatchObject({
      published: 0,
      claimOnTimeRate: null,
      closeRate: null,
      onTimeCloseRate: null,
      averageWorkdays: null,
      medianWorkdays: null,
    });
  });
});
