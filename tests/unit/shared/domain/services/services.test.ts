import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
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
} from '@shared/domain/services/commands';
import { fixDue, promiseDue } from '@shared/domain/services/state';
import { serviceFigures } from '@shared/domain/services/stats';
import type { ServiceItemInput } from '@shared/domain/services/types';
import { listApplications, readApplication, readServiceAudit } from '@shared/ydoc/services';
import { errorOf, makeCtx, unwrap } from '../tasks/fixtures';

const env: ServicesEnv = { calendar: nationalCalendar() };
const admin = (day: string) => makeCtx(['admin'], { userId: 'u-admin', userName: '社区书记' }, day);
const desk = (day: string) => makeCtx(['services.edit'], { userId: 'u-win', userName: '窗口李明' }, day);
const COMMUNITY = 'shunqing-xihe';

const residencePermit: ServiceItemInput = {
  id: 'item-1',
  name: '居住证办理',
  kind: 'government',
  department: '公安',
  promiseDays: 5,
  materials: ['身份证', '租房合同'],
  handler: { name: '李明', ref: null },
};

function catalogue(): Y.Doc {
  const doc = new Y.Doc();
  unwrap(saveServiceItem(doc, admin('2026-11-01'), residencePermit));
  return doc;
}

function accept(doc: Y.Doc, day: string, name = '刘阿姨') {
  return unwrap(
    acceptApplication(doc, desk(day), {
      community: COMMUNITY,
      itemId: 'item-1',
      applicant: { name, phone: '13800001234' },
      channel: 'window',
    }),
  );
}

describe('residents-service applications', () => {
  it('keep the catalogue to the admin, ask the agent of a 上门代办 and refuse a withdrawn item', () => {
    const doc = catalogue();
    expect(errorOf(saveServiceItem(doc, desk('2026-11-02'), residencePermit)).code).toBe('permission-denied');
    expect(
      errorOf(saveServiceItem(doc, admin('2026-11-02'), { ...residencePermit, id: 'x', kind: 'third-party' })).field,
    ).toBe('commitment');
    const door = { community: COMMUNITY, itemId: 'item-1', applicant: { name: '王大爷' }, channel: 'door' as const };
    expect(errorOf(acceptApplication(doc, desk('2026-11-02'), door)).field).toBe('agent');
    unwrap(acceptApplication(doc, desk('2026-11-02'), { ...door, agent: { name: '网格员王芳', ref: 'u-grid' } }));
    unwrap(saveServiceItem(doc, admin('2026-11-03'), { ...residencePermit, withdrawn: true }));
    expect(errorOf(acceptApplication(doc, desk('2026-11-03'), { ...door, channel: 'window' })).code).toBe('not-found');
  });

  it('keep the materials checked at the window, and refuse an application short of one, naming every one missing', () => {
    const doc = catalogue();
    const input = { community: COMMUNITY, itemId: 'item-1', applicant: { name: '刘阿姨' }, channel: 'window' as const };
    const short = errorOf(acceptApplication(doc, desk('2026-11-02'), { ...input, materials: [] }));
    expect(short).toMatchObject({ code: 'required', field: 'materials', params: { missing: '身份证、租房合同' } });
    const id = unwrap(
      acceptApplication(doc, desk('2026-11-02'), { ...input, materials: ['租房合同', '身份证', '户口簿'] }),
    );
    // Kept in the item's order, only what the item listed.
    expect(readApplication(doc, id)?.base.materials).toEqual(['身份证', '租房合同']);
    // Accepted without a checklist (an import, an older device): nothing claimed as received.
    expect(readApplication(doc, accept(doc, '2026-11-02'))?.base.materials).toEqual([]);
  });

  it('take a 差评 through its fix and return call, within 15 working days', () => {
    const doc = catalogue();
    const id = accept(doc, '2026-11-02');
    expect(promiseDue(readApplication(doc, id)!, env.calendar).date).toBe('2026-11-09');
    expect(errorOf(rateApplication(doc, desk('2026-11-02'), { applicationId: id, rating: 5 }, env)).field).toBe(
      'action',
    );
    unwrap(completeApplication(doc, desk('2026-11-11'), { applicationId: id, result: '已办结' }, env));
    expect(readApplication(doc, id)?.done).toEqual({ on: '2026-11-11', workdaysTaken: 7 });
    expect(errorOf(rateApplication(doc, desk('2026-11-12'), { applicationId: id, rating: 2 }, env)).field).toBe(
      'comment',
    );
    unwrap(rateApplication(doc, desk('2026-11-12'), { applicationId: id, rating: 2, comment: '跑了三趟' }, env));
    const rectifying = readApplication(doc, id)!;
    expect(rectifying.status).toBe('rectifying');
    expect(fixDue(rectifying, env.calendar)?.date).toBe('2026-12-03');
    // The call back comes after the fix, not before.
    expect(
      errorOf(callBackApplication(doc, desk('2026-11-13'), { applicationId: id, note: '已回访' }, env)).field,
    ).toBe('action');
    unwrap(rectifyApplication(doc, desk('2026-11-13'), { applicationId: id, note: '材料一次告知' }, env));
    unwrap(callBackApplication(doc, desk('2026-11-16'), { applicationId: id, note: '居民表示认可' }, env));
    unwrap(rateApplication(doc, desk('2026-11-16'), { applicationId: id, rating: 4 }, env));
    expect(errorOf(rateApplication(doc, desk('2026-11-17'), { applicationId: id, rating: 5 }, env)).field).toBe(
      'action',
    );
    const state = readApplication(doc, id)!;
    expect(state.status).toBe('done');
    expect(state.fix).toEqual({ ratedOn: '2026-11-12', fixedOn: '2026-11-13', calledBackOn: '2026-11-16' });
    expect(JSON.stringify(readServiceAudit(doc))).not.toContain('13800001234');
  });

  it('give the hand-computed figures of a fixed data set', () => {
    // A done in 4 working days (on time), rated 5; B done in 7 (late), rated 2, fixed and called back; C refused;
    // D transferred; E still open past its 11-09 promise.
    const doc = catalogue();
    const [a, b, c] = ['A', 'B', 'C'].map((n) => accept(doc, '2026-11-02', n)) as [string, string, string];
    const [d, e] = ['D', 'E'].map((n) => accept(doc, '2026-11-03', n)) as [string, string];
    const w = desk;
    unwrap(completeApplication(doc, w('2026-11-06'), { applicationId: a, result: '已办结' }, env));
    unwrap(rateApplication(doc, w('2026-11-06'), { applicationId: a, rating: 5 }, env));
    unwrap(completeApplication(doc, w('2026-11-11'), { applicationId: b, result: '已办结' }, env));
    unwrap(rateApplication(doc, w('2026-11-11'), { applicationId: b, rating: 2, comment: '太慢' }, env));
    unwrap(rectifyApplication(doc, w('2026-11-12'), { applicationId: b, note: '改进' }, env));
    unwrap(callBackApplication(doc, w('2026-11-13'), { applicationId: b, note: '认可' }, env));
    unwrap(refuseApplication(doc, w('2026-11-02'), { applicationId: c, reason: '材料不全' }, env));
    unwrap(
      transferApplication(
        doc,
        w('2026-11-03'),
        { applicationId: d, to: '街道便民服务中心', reason: '非本社区事项' },
        env,
      ),
    );
    expect(readApplication(doc, e)?.status).toBe('accepted');
    const states = listApplications(doc);
    expect(serviceFigures(states, { asOf: '2026-11-20', from: '2026-11-01', calendar: env.calendar })).toEqual({
      accepted: 5,
      refused: 1,
      transferred: 1,
      done: 2,
      doneRate: 0.5,
      doneOnTime: 1,
      onTimeRate: 0.5,
      averageWorkdays: 5.5,
      medianWorkdays: 5.5,
      ratings: [0, 1, 0, 0, 1],
      satisfactionRate: 0.5,
      bad: 1,
      badFixedOnTime: 1,
      badFixRate: 1,
      overdue: 1,
    });
    // As of 11-08, only A is done; B is open, not yet past its promise.
    expect(serviceFigures(states, { asOf: '2026-11-08', calendar: env.calendar })).toMatchObject({
      done: 1,
      overdue: 0,
      bad: 0,
    });
  });

  it('count a service done on its promise day as on time, the first rating, and a fix only once called back in time', () => {
    // Accepted 11-02, promised by 11-09 and done that day; rated 2 on 11-09, so fixed and called back by 11-30 (15
    // working days); fixed 11-10 but called back only 12-01, then rated 5: the 差评 stays, not fixed in time.
    const doc = catalogue();
    const id = accept(doc, '2026-11-02');
    unwrap(completeApplication(doc, desk('2026-11-09'), { applicationId: id, result: '已办结' }, env));
    unwrap(rateApplication(doc, desk('2026-11-09'), { applicationId: id, rating: 2, comment: '态度不好' }, env));
    expect(fixDue(readApplication(doc, id)!, env.calendar)?.date).toBe('2026-11-30');
    unwrap(rectifyApplication(doc, desk('2026-11-10'), { applicationId: id, note: '窗口整改' }, env));
    unwrap(callBackApplication(doc, desk('2026-12-01'), { applicationId: id, note: '已回访' }, env));
    unwrap(rateApplication(doc, desk('2026-12-01'), { applicationId: id, rating: 5 }, env));
    expect(serviceFigures(listApplications(doc), { asOf: '2026-12-02', calendar: env.calendar })).toMatchObject({
      done: 1,
      doneOnTime: 1,
      ratings: [0, 1, 0, 0, 0],
      satisfactionRate: 0,
      bad: 1,
      badFixedOnTime: 0,
      badFixRate: 0,
    });
  });
});
