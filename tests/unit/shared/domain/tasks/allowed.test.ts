/**
 * Property: on random tasks walked through random actions by random people on random days, every action
 * `allowedActions` offers is accepted by its command, and every other action is refused (and writes nothing).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Permission } from '@shared/domain/kernel';
import { addDays } from '@shared/domain/calendar';
import { mulberry32 } from '@shared/domain/registry/demo';
import * as commands from '@shared/domain/tasks/commands';
import { allowedActions, TASK_ACTIONS, type TaskActionKind } from '@shared/domain/tasks/machine';
import { openCards, type TaskState } from '@shared/domain/tasks/state';
import { taskEventsArray } from '@shared/ydoc/tasks';
import { env, makeCtx, publishOne, task } from './fixtures';

const ROLES: readonly (readonly Permission[])[] = [
  ['tasks.edit'],
  ['tasks.supervise'],
  ['tasks.edit', 'tasks.supervise'],
  ['admin'],
  ['cases.edit'],
];

/** A well-formed input for an action on a state (what a screen would send). */
function run(kind: TaskActionKind, doc: Y.Doc, ctx: ReturnType<typeof makeCtx>, s: TaskState, n: number) {
  const taskId = s.id;
  const cardId = openCards(s)[0]?.id ?? s.cards.find((c) => c.cancelled === null)?.id ?? 'none';
  switch (kind) {
    case 'claim':
      return commands.claimTask(doc, ctx, { taskId, owner: { name: `人${n}`, ref: null } }, env);
    case 'report':
      return commands.reportProgress(doc, ctx, { taskId, note: `进展${n}`, progress: n % 101 }, env);
    case 'reassign':
      return commands.reassignTask(doc, ctx, { taskId, to: { name: `接手${n}`, ref: null }, reason: '调整' }, env);
    case 'request-close':
      return commands.requestClose(
        doc,
        ctx,
        { taskId, closure: n % 2 ? 'substantive' : 'procedural', reason: '完成' },
        env,
      );
    case 'verify':
      return commands.verifyClose(doc, ctx, { taskId }, env);
    case 'return':
      return commands.returnTask(doc, ctx, { taskId, reason: '不全' }, env);
    case 'archive':
      return commands.archiveTask(doc, ctx, { taskId }, env);
    case 'request-extension':
      return commands.requestExtension(doc, ctx, { taskId, days: 1 + (n % 5), reason: '延期' }, env);
    case 'decide-extension':
      return commands.decideExtension(
        doc,
        ctx,
        { taskId, granted: n % ((s.pendingExtension?.days ?? 0) + 1), reason: '审批' },
        env,
      );
    case 'raise-card':
      return commands.raiseCard(
        doc,
        ctx,
        { taskId, level: (['normal', 'yellow', 'red'] as const)[n % 3] ?? 'normal', reason: '督办' },
        env,
      );
    case 'reply-card':
      return commands.replyCard(doc, ctx, { taskId, cardId, reply: '已整改' }, env);
    case 'cancel-card':
      return commands.cancelCard(doc, ctx, { taskId, cardId, reason: '撤销' }, env);
  }
}

describe('allowedActions against the commands', () => {
  it('offers exactly what the commands accept, over 60 random walks of 40 steps', () => {
    const seen = new Map<TaskActionKind, { accepted: number; refused: number }>(
      TASK_ACTIONS.map((a) => [a, { accepted: 0, refused: 0 }]),
    );
    for (let seed = 1; seed <= 60; seed++) {
      const rnd = mulberry32(seed);
      const doc = new Y.Doc();
      let day = '2026-09-01';
      const id = publishOne(doc, day, {
        claimLimit: 1 + Math.floor(rnd() * 3),
        completionLimit: 5 + Math.floor(rnd() * 10),
      });
      for (let step = 0; step < 40; step++) {
        day = addDays(day, Math.floor(rnd() * 3));
        const permissions = ROLES[Math.floor(rnd() * ROLES.length)] ?? [];
        const ctx = makeCtx(permissions, { userId: `u${step % 3}`, userName: `用户${step % 3}` }, day);
        const state = task(doc, id);
        const actor = { userId: ctx.actor.userId, userName: ctx.actor.userName, permissions: ctx.permissions };
        const offered = new Set(allowedActions(state, actor, day));
        // Bias towards offered actions so that walks get deep into the flow.
        const pool = rnd() < 0.7 && offered.size > 0 ? [...offered] : [...TASK_ACTIONS];
        const kind = pool[Math.floor(rnd() * pool.length)] as TaskActionKind;
        const before = taskEventsArray(doc).length;
        const result = run(kind, doc, ctx, state, step + seed);
        const tally = seen.get(kind) as { accepted: number; refused: number };
        if (offered.has(kind)) {
          expect(
            result.ok,
            `${kind} offered on ${state.status} (seed ${seed}, step ${step}) but refused: ${JSON.stringify(result.ok ? null : result.error)}`,
          ).toBe(true);
          expect(taskEventsArray(doc).length).toBeGreaterThan(before);
          expect(task(doc, id).ignored).toEqual([]);
          tally.accepted++;
        } else {
          expect(result.ok, `${kind} not offered on ${state.status} (seed ${seed}, step ${step}) but accepted`).toBe(
            false,
          );
          expect(taskEventsArray(doc).length).toBe(before);
          tally.refused++;
        }
      }
    }
    // Every action was both accepted and refused somewhere, so the walk covers the whole machine.
    for (const [kind, tally] of seen) {
      expect(tally.accepted, `${kind} never accepted`).toBeGreaterThan(0);
      expect(tally.refused, `${kind} never refused`).toBeGreaterThan(0);
    }
  });
});
