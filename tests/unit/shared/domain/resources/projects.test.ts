import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addProjectLedger,
  approveProject,
  averageRating,
  closeProject,
  commentProject,
  contractProject,
  projectActions,
  projectBalance,
  projectEntries,
  projectStageAsOf,
  publishProject,
  rateProject,
  refuseProject,
  voteProject,
  voteTally,
} from '@shared/domain/resources/projects';
import { RULE } from '@shared/domain/resources/rules';
import { readAudit, readRecord } from '@shared/ydoc/registry';
import { admin, editor, errorOf, registryWithResidents, unwrap, viewer } from './fixtures';

const need = { title: '社区老年食堂', need: '独居老人午餐难，希望在活动中心开设助餐点。', publishedOn: '2026-03-01' };
const contract = {
  provider: '幸福餐饮服务有限公司',
  from: '2026-05-01',
  to: '2027-04-30',
  rent: 1_200_000,
  fee: 'low-cost' as const,
  commitments: ['每周一至周五供应午餐', '80岁以上老人每餐优惠3元'],
  signedOn: '2026-04-20',
};

function published(doc: Y.Doc): string {
  return unwrap(publishProject(doc, editor(), need));
}

const entries = (doc: Y.Doc, id: string) => projectEntries(readRecord(doc, 'projects', id) ?? {});

describe('projects (项目化)', () => {
  it('consult residents: comments, and one vote per resident where the last vote counts', () => {
    const doc = registryWithResidents();
    const id = published(doc);
    unwrap(commentProject(doc, editor(), { id, residentId: 'r-1', text: '希望价格实惠' }));
    unwrap(voteProject(doc, editor(), { id, residentId: 'r-1', choice: 'agree' }));
    unwrap(voteProject(doc, editor(), { id, residentId: 'r-2', choice: 'disagree' }));
    unwrap(voteProject(doc, editor(), { id, residentId: 'r-2', choice: 'agree' }));
    expect(voteTally(entries(doc, id).votes)).toEqual({ agree: 2, disagree: 0, abstain: 0 });
    expect(entries(doc, id).comments).toEqual([expect.objectContaining({ residentId: 'r-1', text: '希望价格实惠' })]);
    // Both votes of r-2 are in the audit.
    expect(readAudit(doc).filter((e) => e.recordId === id && 'vote' in e.fields)).toHaveLength(3);
    // Only residents of the registry vote.
    expect(errorOf(voteProject(doc, editor(), { id, residentId: 'stranger', choice: 'agree' })).params).toMatchObject({
      rule: RULE.notResident,
    });
    expect(errorOf(voteProject(doc, editor(), { id, residentId: 'r-gone', choice: 'agree' })).params).toMatchObject({
      rule: RULE.notResident,
    });
  });

  it('keep one vote per resident when two offline devices record a vote of the same resident', () => {
    const doc = registryWithResidents();
    const id = published(doc);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    unwrap(voteProject(doc, editor('甲'), { id, residentId: 'r-3', choice: 'agree' }));
    unwrap(voteProject(other, editor('乙'), { id, residentId: 'r-3', choice: 'disagree' }));
    unwrap(commentProject(doc, editor('甲'), { id, residentId: 'r-3', text: '同意' }));
    unwrap(commentProject(other, editor('乙'), { id, residentId: 'r-4', text: '担心油烟' }));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(entries(doc, id).votes).toHaveLength(1);
    expect(entries(doc, id).votes).toEqual(entries(other, id).votes);
    expect(entries(doc, id).comments).toHaveLength(2);
  });

  it('refuse a 拒签 without a reason, keep the reason given, and allow nothing after it', () => {
    const doc = registryWithResidents();
    const id = published(doc);
    expect(errorOf(refuseProject(doc, admin(), { id, decidedOn: '2026-03-20', reason: '  ' })).code).toBe('required');
    expect(errorOf(refuseProject(doc, editor(), { id, decidedOn: '2026-03-20', reason: '过度商业化' })).code).toBe(
      'permission-denied',
    );
    unwrap(refuseProject(doc, admin(), { id, decidedOn: '2026-03-20', reason: '过度商业化' }));
    expect(readRecord(doc, 'projects', id)).toMatchObject({ status: 'refused', refusalReason: '过度商业化' });
    expect(projectActions('refused')).toEqual([]);
    expect(errorOf(voteProject(doc, editor(), { id, residentId: 'r-1', choice: 'agree' })).params).toMatchObject({
      rule: RULE.projectStage,
    });
  });

  it('go from need to approval, contract, ledger, ratings and closing, each in its stage', () => {
    const doc = registryWithResidents();
    const id = published(doc);
    expect(errorOf(contractProject(doc, admin(), { id, ...contract })).params).toMatchObject({
      rule: RULE.projectStage,
    });
    unwrap(approveProject(doc, admin(), { id, decidedOn: '2026-03-20' }));
    expect(errorOf(contractProject(doc, admin(), { id, ...contract, commitments: [] })).field).toBe('commitments');
    expect(errorOf(contractProject(doc, admin(), { id, ...contract, to: '2026-01-01' })).field).toBe('to');
    unwrap(contractProject(doc, admin(), { id, ...contract }));
    expect(readRecord(doc, 'projects', id)).toMatchObject({
      status: 'contracted',
      contract: { provider: contract.provider, rent: 1_200_000 },
    });
    unwrap(
      addProjectLedger(doc, editor(), { id, kind: 'income', amount: 600_000, date: '2026-05-01', note: '上半年租金' }),
    );
    unwrap(
      addProjectLedger(doc, editor(), { id, kind: 'spending', amount: 150_000, date: '2026-05-10', note: '灶具维修' }),
    );
    expect(projectBalance(entries(doc, id).ledger)).toEqual({ income: 600_000, spending: 150_000, balance: 450_000 });
    expect(errorOf(rateProject(doc, editor(), { id, residentId: 'r-1', score: 6 })).field).toBe('score');
    unwrap(rateProject(doc, editor(), { id, residentId: 'r-1', score: 3 }));
    unwrap(rateProject(doc, editor(), { id, residentId: 'r-1', score: 5 }));
    unwrap(rateProject(doc, editor(), { id, residentId: 'r-2', score: 4 }));
    expect(averageRating(entries(doc, id).ratings)).toBe(4.5);
    // A closing day before the contract was signed is refused; left out, it is today (China time) and kept.
    expect(errorOf(closeProject(doc, editor(), { id, closedOn: '2026-04-01' })).params).toMatchObject({
      rule: RULE.endBeforeStart,
    });
    unwrap(closeProject(doc, editor(), { id }));
    expect(readRecord(doc, 'projects', id)).toMatchObject({ status: 'closed', closedOn: '2026-05-01' });
  });

  it('read a stage as of a day from the days of its steps, never before a step it follows', () => {
    const days = {
      publishedOn: '2026-09-01',
      decidedOn: '2026-09-10',
      signedOn: '2026-09-20',
      closedOn: '2026-10-05',
      updatedOn: '2026-11-01',
    };
    const closed = { ...days, status: 'closed' };
    expect(
      [
        '2026-08-31',
        '2026-09-01',
        '2026-09-09',
        '2026-09-10',
        '2026-09-19',
        '2026-09-20',
        '2026-10-04',
        '2026-10-05',
      ].map((day) => projectStageAsOf(closed, day)),
    ).toEqual([null, 'published', 'published', 'approved', 'approved', 'contracted', 'contracted', 'closed']);
    expect(projectStageAsOf({ ...days, status: 'refused' }, '2026-09-09')).toBe('published');
    expect(projectStageAsOf({ ...days, status: 'refused' }, '2026-09-10')).toBe('refused');
    expect(projectStageAsOf({ ...days, status: 'approved' }, '2026-12-31')).toBe('approved');
    // A closing day not kept (closed by an earlier version): dated by the last change, never before the signing.
    expect(projectStageAsOf({ ...closed, closedOn: null }, '2026-10-31')).toBe('contracted');
    expect(projectStageAsOf({ ...closed, closedOn: null }, '2026-11-01')).toBe('closed');
    expect(projectStageAsOf({ ...closed, closedOn: null, updatedOn: null }, '2026-09-20')).toBe('closed');
    // A stage this version does not know is left out rather than guessed.
    expect(projectStageAsOf({ ...days, status: 'paused' }, '2026-12-31')).toBeNull();
  });

  it('refuse a viewer everything', () => {
    const doc = registryWithResidents();
    expect(errorOf(publishProject(doc, viewer(), need)).code).toBe('permission-denied');
    const id = published(doc);
    expect(errorOf(commentProject(doc, viewer(), { id, residentId: 'r-1', text: '好' })).code).toBe(
      'permission-denied',
    );
    expect(errorOf(voteProject(doc, viewer(), { id, residentId: 'r-1', choice: 'agree' })).code).toBe(
      'permission-denied',
    );
    expect(errorOf(approveProject(doc, viewer(), { id, decidedOn: '2026-03-20' })).code).toBe('permission-denied');
  });
});
