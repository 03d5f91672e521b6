/**
 * An office's own time limits (docs/incidents-model.md, "an office's own limits"): versions kept in the registry,
 * set by an admin from a later day, each stage judged by the version in force on the day it started.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import {
  acceptIncident,
  assignIncident,
  recordVisit,
  requestIncidentClose,
  sendBackIncident,
  verifyIncident,
  type IncidentsEnv,
} from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS, limitsOn, type LimitSet } from '@shared/domain/incidents/limits';
import {
  limitsSchedule,
  limitsVersionKey,
  officeLimits,
  readLimitVersions,
  setIncidentLimits,
} from '@shared/domain/incidents/officeLimits';
import { currentClock, handleClock, lightOf } from '@shared/domain/incidents/state';
import { incidentFigures } from '@shared/domain/incidents/stats';
import { readIncident } from '@shared/ydoc/incidents';
import { auditArray, metaMap } from '@shared/ydoc/registry';
import { makeCtx } from '../tasks/fixtures';
import { errorOf, gridWorker, head, headAssignee, office, report, unwrap } from './fixtures';

const admin = (day = '2026-09-28') => makeCtx(['admin'], { userId: 'u-admin', userName: '社区书记' }, day);

/** The defaults with some limits changed. */
function limits(changes: Partial<Omit<LimitSet, 'handle'>> & { handle?: Partial<LimitSet['handle']> } = {}): LimitSet {
  return { ...DEFAULT_LIMITS, ...changes, handle: { ...DEFAULT_LIMITS.handle, ...changes.handle } };
}

function envOf(registry: Y.Doc): IncidentsEnv {
  return { calendar: nationalCalendar(), limits: officeLimits(registry) };
}

function stateOf(events: Y.Doc, registry: Y.Doc, id: string) {
  const state = readIncident(events, id, officeLimits(registry));
  if (state === null) throw new Error(`no incident ${id}`);
  return state;
}

/** An event reported and accepted on `day` (a complaint unless told). */
function accepted(events: Y.Doc, registry: Y.Doc, day: string, kind: 'complaint' | 'consult' = 'complaint') {
  const id = report(events, gridWorker(day), { kind });
  unwrap(acceptIncident(events, office(day), { incidentId: id }, envOf(registry)));
  return id;
}

describe('setIncidentLimits (时限设置)', () => {
  it('an old registry without limits reads the Sichuan defaults', () => {
    const registry = new Y.Doc();
    expect(officeLimits(registry)).toBe(DEFAULT_LIMITS);
    expect(limitsOn(officeLimits(registry), '2026-09-28').handle.complaint).toBe(15);
  });

  it('only an admin sets them; the office or a grid worker is refused and nothing is written', () => {
    const registry = new Y.Doc();
    const input = { effectiveFrom: '2026-10-08', limits: limits({ handle: { complaint: 10 } }) };
    expect(errorOf(setIncidentLimits(registry, office('2026-09-28'), input)).code).toBe('permission-denied');
    expect(errorOf(setIncidentLimits(registry, gridWorker('2026-09-28'), input)).code).toBe('permission-denied');
    expect(readLimitVersions(registry)).toEqual([]);
    expect(auditArray(registry).length).toBe(0);
  });

  it('refuses a day that is today or earlier, naming the first day allowed, and limits out of range', () => {
    const registry = new Y.Doc();
    const a = admin('2026-09-28');
    const l = limits({ handle: { complaint: 10 } });
    expect(errorOf(setIncidentLimits(registry, a, { effectiveFrom: '2026-09-28', limits: l }))).toEqual({
      code: 'invalid',
      field: 'effectiveFrom',
      params: { first: '2026-09-29' },
    });
    expect(errorOf(setIncidentLimits(registry, a, { effectiveFrom: '2026-01-01', limits: l })).field).toBe(
      'effectiveFrom',
    );
    expect(errorOf(setIncidentLimits(registry, a, { effectiveFrom: '2101-01-01', limits: l })).code).toBe(
      'date.invalid',
    );
    expect(
      errorOf(setIncidentLimits(registry, a, { effectiveFrom: '2026-09-29', limits: limits({ accept: 0 }) })),
    ).toMatchObject({ code: 'invalid', field: 'limits.accept' });
    expect(
      errorOf(setIncidentLimits(registry, a, { effectiveFrom: '2026-09-29', limits: limits({ warningShare: 1.5 }) })),
    ).toMatchObject({ field: 'limits.warningShare' });
    expect(readLimitVersions(registry)).toEqual([]);
  });

  it('writes one version per edit under its own key, audited with what was in force before', () => {
    const registry = new Y.Doc();
    const a = admin('2026-09-28');
    const first = unwrap(
      setIncidentLimits(registry, a, { effectiveFrom: '2026-10-08', limits: limits({ handle: { complaint: 10 } }) }),
    );
    expect(first.version).toMatchObject({ effectiveFrom: '2026-10-08', revision: 1 });
    const second = unwrap(
      setIncidentLimits(registry, a, { effectiveFrom: '2026-11-02', limits: limits({ handle: { complaint: 12 } }) }),
    );
    expect(second.version?.revision).toBe(2);
    expect(second.key).toMatch(/^incidentLimits:2026-11-02:2:/);
    expect(metaMap(registry).get(second.key ?? '')).toEqual(second.version);

    const schedule = limitsSchedule(registry);
    expect(schedule.versions.map((v) => [v.effectiveFrom, v.limits.handle.complaint])).toEqual([
      ['2026-10-08', 10],
      ['2026-11-02', 12],
    ]);
    const entry = auditArray(registry).toArray().at(-1);
    expect(entry).toMatchObject({ userId: 'u-admin', action: 'update', collection: 'meta', recordId: second.key });
    expect(entry?.fields).toMatchObject({ effectiveFrom: '2026-11-02', revision: 2 });
    expect((entry?.fields.before as LimitSet).handle.complaint).toBe(10);
    expect((entry?.fields.limits as LimitSet).handle.complaint).toBe(12);

    // The limits in force that day already: nothing written, nothing audited.
    const audits = auditArray(registry).length;
    expect(
      unwrap(
        setIncidentLimits(registry, a, { effectiveFrom: '2026-12-01', limits: limits({ handle: { complaint: 12 } }) }),
      ),
    ).toEqual({ version: null, key: null });
    expect(auditArray(registry).length).toBe(audits);
    expect(readLimitVersions(registry)).toHaveLength(2);
  });

  it('a day set again (a future change corrected, or withdrawn with the limits before it) takes the later edit', () => {
    const registry = new Y.Doc();
    const a = admin('2026-09-28');
    unwrap(
      setIncidentLimits(registry, a, { effectiveFrom: '2026-10-08', limits: limits({ handle: { complaint: 10 } }) }),
    );
    unwrap(setIncidentLimits(registry, a, { effectiveFrom: '2026-10-08', limits: DEFAULT_LIMITS }));
    expect(readLimitVersions(registry)).toHaveLength(2);
    expect(limitsSchedule(registry).versions).toHaveLength(1);
    expect(limitsOn(officeLimits(registry), '2026-10-08').handle.complaint).toBe(15);
  });

  it('two devices setting the same day offline end on the same version: the higher revision', () => {
    const one = new Y.Doc();
    const two = new Y.Doc();
    unwrap(setIncidentLimits(one, admin(), { effectiveFrom: '2026-10-08', limits: limits({ verify: 3 }) }));
    unwrap(setIncidentLimits(two, admin(), { effectiveFrom: '2026-10-20', limits: limits({ verify: 5 }) }));
    unwrap(setIncidentLimits(two, admin(), { effectiveFrom: '2026-10-08', limits: limits({ verify: 4 }) }));
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
    for (const doc of [one, two]) {
      expect(limitsOn(officeLimits(doc), '2026-10-08').verify).toBe(4);
      expect(limitsOn(officeLimits(doc), '2026-10-20').verify).toBe(5);
    }
  });

  it('reads a version tolerantly: a limit its writer did not know reads the default, a misfit is left out', () => {
    const registry = new Y.Doc();
    const meta = metaMap(registry);
    // Written by an app that had no fix limit and no 咨询 limit yet.
    const { fixAfterBadRating: _fix, ...older } = limits({ accept: 2 });
    const { consult: _consult, ...olderHandle } = older.handle;
    meta.set('incidentLimits:2026-10-08:1:a', {
      effectiveFrom: '2026-10-08',
      revision: 1,
      limits: { ...older, handle: olderHandle },
    });
    meta.set('incidentLimits:2026-10-09:2:b', { effectiveFrom: '2026-10-09', revision: 2, limits: { accept: 'x' } });
    // Under another version's key.
    meta.set('incidentLimits:2026-10-10:3:c', { effectiveFrom: '2026-10-11', revision: 3, limits: limits() });
    meta.set('incidentLimits:2026-10-12:4:d', 'not a version');
    const versions = readLimitVersions(registry);
    expect(versions).toHaveLength(1);
    expect(versions[0]?.limits).toEqual(limits({ accept: 2 }));
  });

  it('reads the same object while the stored versions do not change', () => {
    const registry = new Y.Doc();
    unwrap(setIncidentLimits(registry, admin(), { effectiveFrom: '2026-10-08', limits: limits({ verify: 3 }) }));
    const first = officeLimits(registry);
    metaMap(registry).set('communityName', '西河社区');
    expect(officeLimits(registry)).toBe(first);
    unwrap(setIncidentLimits(registry, admin(), { effectiveFrom: '2026-10-09', limits: limits({ verify: 4 }) }));
    expect(officeLimits(registry)).not.toBe(first);
  });

  it('the key names the day and the revision', () => {
    expect(limitsVersionKey({ effectiveFrom: '2026-10-08', revision: 3 }, 'x')).toBe('incidentLimits:2026-10-08:3:x');
  });
});

describe('each stage counts with the limits in force on the day it started', () => {
  it('an event accepted before the change keeps its deadline; one accepted on the effective day gets the new one', () => {
    const registry = new Y.Doc();
    const events = new Y.Doc();
    const before = accepted(events, registry, '2026-09-28');
    const dueBefore = handleClock(stateOf(events, registry, before), nationalCalendar(), officeLimits(registry));
    // Set on 09-28: complaints within 10 working days from 09-29 on.
    unwrap(
      setIncidentLimits(registry, admin('2026-09-28'), {
        effectiveFrom: '2026-09-29',
        limits: limits({ handle: { complaint: 10 } }),
      }),
    );
    const after = accepted(events, registry, '2026-09-29');
    const calendar = nationalCalendar();
    const old = handleClock(stateOf(events, registry, before), calendar, officeLimits(registry));
    // 15 working days from 09-28 across National Day (10-01..07 off, Saturday 10-10 worked): 10-23, as before.
    expect(old?.due.date).toBe('2026-10-23');
    expect(old).toEqual(dueBefore);
    const fresh = handleClock(stateOf(events, registry, after), calendar, officeLimits(registry));
    // 10 from 09-29: 09-30, 10-08, 10-09, 10-10, 10-12..16, 10-19.
    expect(fresh?.limit).toBe(10);
    expect(fresh?.due.date).toBe('2026-10-19');
    expect(fresh?.warnFrom.date).toBe('2026-10-14'); // floor(10 × 0.7) = 7 working days
  });

  it('a change effective in the future applies from that day: a report waiting gets it if accepted on or after', () => {
    const registry = new Y.Doc();
    const events = new Y.Doc();
    unwrap(
      setIncidentLimits(registry, admin('2026-09-28'), {
        effectiveFrom: '2026-10-12',
        limits: limits({ handle: { complaint: 5 } }),
      }),
    );
    const calendar = nationalCalendar();
    const early = accepted(events, registry, '2026-10-09');
    const waiting = report(events, gridWorker('2026-10-09'));
    unwrap(acceptIncident(events, office('2026-10-12'), { incidentId: waiting }, envOf(registry)));
    const onDay = accepted(events, registry, '2026-10-12');
    // 15 from 10-09: 10-10, 10-12..16, 10-19..23, 10-26..29.
    expect(handleClock(stateOf(events, registry, early), calendar, officeLimits(registry))?.due.date).toBe(
      '2026-10-29',
    );
    // 5 from 10-12: 10-13..16, 10-19.
    for (const id of [waiting, onDay]) {
      expect(handleClock(stateOf(events, registry, id), calendar, officeLimits(registry))?.due.date).toBe('2026-10-19');
    }
    // On 10-20 the new limit would make the early one red; by its own (yellow from 10-22) it is still green.
    expect(lightOf(stateOf(events, registry, early), calendar, officeLimits(registry), '2026-10-20')).toBe('green');
    expect(lightOf(stateOf(events, registry, onDay), calendar, officeLimits(registry), '2026-10-20')).toBe('red');
  });

  it('the 受理, 核查 and 回退 limits and the fix after a bad rating come from the day their stage started', () => {
    const registry = new Y.Doc();
    const events = new Y.Doc();
    unwrap(
      setIncidentLimits(registry, admin('2026-09-28'), {
        effectiveFrom: '2026-10-12',
        limits: limits({ accept: 3, verify: 4, sendBack: 1, fixAfterBadRating: 10 }),
      }),
    );
    const calendar = nationalCalendar();
    const env = () => envOf(registry);
    // 受理: reported 10-09 (1 day: 10-10), reported 10-12 (3 days: 10-13..15).
    const r1 = report(events, gridWorker('2026-10-09'));
    const r2 = report(events, gridWorker('2026-10-12'));
    expect(currentClock(stateOf(events, registry, r1), calendar, officeLimits(registry))?.due.date).toBe('2026-10-10');
    expect(currentClock(stateOf(events, registry, r2), calendar, officeLimits(registry))?.due.date).toBe('2026-10-15');

    // 回退: assigned 10-09 may be sent back 2 working days on (10-12); assigned 10-12, 1 day only.
    const s1 = accepted(events, registry, '2026-10-09');
    unwrap(assignIncident(events, office('2026-10-09'), { incidentId: s1, to: headAssignee, cc: [] }, env()));
    unwrap(sendBackIncident(events, head('2026-10-12'), { incidentId: s1, reason: '不属本楼栋' }, env()));
    const s2 = accepted(events, registry, '2026-10-12');
    unwrap(assignIncident(events, office('2026-10-12'), { incidentId: s2, to: headAssignee, cc: [] }, env()));
    expect(
      errorOf(sendBackIncident(events, head('2026-10-14'), { incidentId: s2, reason: '不属本楼栋' }, env())),
    ).toEqual({
      code: 'invalid',
      field: 'action',
      params: { limit: 1 },
    });

    // 核查: closure asked 10-09 (2 days: 10-10, 10-12), asked 10-12 (4 days: 10-13..16).
    const v1 = accepted(events, registry, '2026-10-08');
    unwrap(assignIncident(events, office('2026-10-08'), { incidentId: v1, to: headAssignee, cc: [] }, env()));
    unwrap(
      requestIncidentClose(
        events,
        head('2026-10-09'),
        { incidentId: v1, closure: 'substantive', note: '已清理' },
        env(),
      ),
    );
    unwrap(
      requestIncidentClose(
        events,
        head('2026-10-12'),
        { incidentId: s2, closure: 'substantive', note: '已清理' },
        env(),
      ),
    );
    expect(currentClock(stateOf(events, registry, v1), calendar, officeLimits(registry))?.due.date).toBe('2026-10-12');
    expect(currentClock(stateOf(events, registry, s2), calendar, officeLimits(registry))?.due.date).toBe('2026-10-16');

    // 返工: v1 closed and called back 不满意 on 10-13: 10 working days from then (10-14..16, 10-19..23, 10-26..27).
    unwrap(verifyIncident(events, office('2026-10-12'), { incidentId: v1 }, env()));
    unwrap(
      recordVisit(
        events,
        office('2026-10-13'),
        { incidentId: v1, method: 'phone', rating: 1, comment: '没清干净' },
        env(),
      ),
    );
    const reopened = stateOf(events, registry, v1);
    expect(reopened.handleDays).toBe(10);
    expect(handleClock(reopened, calendar, officeLimits(registry))?.due.date).toBe('2026-10-27');
  });

  it('figures of the past stay the same after the office changes its limits', () => {
    const registry = new Y.Doc();
    const events = new Y.Doc();
    const calendar = nationalCalendar();
    const id = accepted(events, registry, '2026-09-28');
    unwrap(assignIncident(events, office('2026-09-28'), { incidentId: id, to: headAssignee, cc: [] }, envOf(registry)));
    const figures = () =>
      incidentFigures([stateOf(events, registry, id)], {
        asOf: '2026-10-26',
        calendar,
        limits: officeLimits(registry),
      });
    // Open past 15 working days (due 10-23): overdue as of 10-26.
    const before = figures();
    expect(before.openOverdue).toBe(1);
    unwrap(
      setIncidentLimits(registry, admin('2026-10-26'), {
        effectiveFrom: '2026-10-27',
        limits: limits({ handle: { complaint: 30 } }),
      }),
    );
    expect(figures()).toEqual(before);
  });
});
