/**
 * The masked twin of a yearly document (shared/ydoc/yearlyMasked.ts): the demo's cases, meetings and tasks derived
 * whole hold no full ID number nor mobile and read like the documents (same records, same lists); edits written in
 * proportion (a party's phone, appended and concurrently inserted entries, keystrokes in a text, a file) leave the twin
 * equal to one derived whole, and no state of its history shows a full value or more of a typed number than its mask.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateDemoCases } from '@shared/domain/mediation/demo';
import { generateDemoMeetings } from '@shared/domain/meetings/demo';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { generateDemoTasks } from '@shared/domain/tasks/demo';
import { CASES_MAP, findLockViolations, listCases } from '@shared/ydoc/cases';
import { listMeetings } from '@shared/ydoc/meetings';
import {
  applyTwinChanges,
  maskTwinValue,
  maskTypedText,
  reconcileTwin,
  TwinChanges,
  WITHHELD_DATA,
} from '@shared/ydoc/yearlyMasked';
import { fullValuesIn } from '../../../integration/sync-server/fullValues';

const ORIGIN = { kind: 'test-twin' };
const TODAY = '2026-06-15';
const NO_FULL = { idNumbers: [], mobiles: [] };

function demo() {
  const { doc: registry } = generateDemoCommunity(11, { residents: 400, today: TODAY });
  const cases = generateDemoCases(5, { registry, today: TODAY });
  const meetings = generateDemoMeetings(3, { registry, today: TODAY, cases: [] });
  const tasks = generateDemoTasks(2, { community: 'shunqing-xihe', today: TODAY });
  return { cases, meetings, tasks };
}

function twinOf(source: Y.Doc): Y.Doc {
  const target = new Y.Doc();
  reconcileTwin(source, target, ORIGIN);
  return target;
}

/** A source whose every transaction is written into a twin, as the server does (collect, then apply). */
function follow(source: Y.Doc) {
  const target = twinOf(source);
  const changes = new TwinChanges();
  const history: Uint8Array[] = [Y.encodeStateAsUpdate(target)];
  target.on('update', (update: Uint8Array) => void history.push(update));
  source.on('afterTransaction', (transaction: Y.Transaction) => changes.collect(transaction));
  const flush = () => {
    applyTwinChanges(source, target, changes, ORIGIN);
    changes.clear();
  };
  return { target, flush, history };
}

const json = (doc: Y.Doc) => {
  const out: Record<string, unknown> = {};
  for (const name of doc.share.keys()) out[name] = doc.get(name).toJSON();
  return out;
};

describe('the masked twin of a yearly document', () => {
  const { cases, meetings, tasks } = demo();
  const casesDoc = [...cases.docs.values()][0]!;
  const meetingsDoc = [...meetings.docs.values()][0]!;

  it('holds every case, meeting and task of the demo, with no full ID number or mobile anywhere', () => {
    for (const source of [...cases.docs.values(), ...meetings.docs.values(), tasks.doc]) {
      const full = Y.encodeStateAsUpdate(source);
      const target = twinOf(source);
      expect(fullValuesIn(Y.encodeStateAsUpdate(target))).toEqual(NO_FULL);
      expect(Object.keys(json(target)).sort()).toEqual(
        Object.keys(json(source))
          .filter((name) => JSON.stringify(json(source)[name]) !== '{}' && JSON.stringify(json(source)[name]) !== '[]')
          .sort(),
      );
      expect(full.byteLength).toBeGreaterThan(0);
    }
    // The demo's cases hold parties' full phones and ID numbers (else this test proves little).
    const full = fullValuesIn(Y.encodeStateAsUpdate(casesDoc));
    expect(full.mobiles.length + full.idNumbers.length).toBeGreaterThan(5);
  });

  it('reads like the document: the same cases and meetings, statuses and lists, parties masked', () => {
    const twin = twinOf(casesDoc);
    const original = listCases(casesDoc);
    const masked = listCases(twin);
    expect(masked.map((c) => [c.id, c.status, c.steps.length])).toEqual(
      original.map((c) => [c.id, c.status, c.steps.length]),
    );
    const withPhone = original.flatMap((c) => c.parties).find((p) => typeof p.phone === 'string' && p.phone !== '');
    expect(withPhone).toBeDefined();
    const maskedParty = masked.flatMap((c) => c.parties).find((p) => p.id === withPhone!.id)!;
    expect(maskedParty.name).toBe(withPhone!.name);
    expect(maskedParty.phone).toMatch(/\*{4}/);
    const meetingsTwin = twinOf(meetingsDoc);
    expect(listMeetings(meetingsTwin).map((m) => [m.id, m.status, m.attendees.length])).toEqual(
      listMeetings(meetingsDoc).map((m) => [m.id, m.status, m.attendees.length]),
    );
  });

  it("keeps a signed record's copy equal to its masked texts, so a viewer's lock guard finds nothing to undo", () => {
    const source = new Y.Doc();
    Y.applyUpdate(source, Y.encodeStateAsUpdate(casesDoc));
    // Every signed session or agreement: numbers typed into its texts and into its signed copy alike.
    let signed = 0;
    source.transact(() => {
      source.getMap<Y.Map<unknown>>(CASES_MAP).forEach((caseMap) => {
        for (const records of ['sessions', 'agreements']) {
          const map = caseMap.get(records);
          if (!(map instanceof Y.Map)) continue;
          (map as Y.Map<Y.Map<unknown>>).forEach((record) => {
            const copy = record.get('signedContent') as Record<string, unknown> | null | undefined;
            if (copy === null || copy === undefined) return;
            for (const [field, value] of record.entries()) {
              if (!(value instanceof Y.Text) || typeof copy[field] !== 'string') continue;
              value.insert(value.length, ' 赔偿12000元，电话13812345678');
              copy[field] = value.toJSON();
            }
            record.set('signedContent', { ...copy });
            signed++;
          });
        }
      });
    });
    expect(signed).toBeGreaterThan(0);
    expect(findLockViolations(source)).toEqual([]);
    expect(findLockViolations(twinOf(source))).toEqual([]);
  });

  it('writes nothing when the twin is in line already', () => {
    const target = twinOf(casesDoc);
    let writes = 0;
    target.on('update', () => writes++);
    reconcileTwin(casesDoc, target, ORIGIN);
    expect(writes).toBe(0);
  });

  it('follows edits in proportion and ends equal to a twin derived whole, never holding a full value', () => {
    const source = new Y.Doc();
    Y.applyUpdate(source, Y.encodeStateAsUpdate(casesDoc));
    const { target, flush, history } = follow(source);
    const [caseId, caseMap] = [...source.getMap<Y.Map<unknown>>(CASES_MAP).entries()].find(
      ([, map]) => map.get('sessions') instanceof Y.Map && map.get('facts') instanceof Y.Text,
    )!;
    // A party's phone changed (a plain field replaced whole).
    const parties = caseMap.get('parties') as { phone: string | null }[] | undefined;
    caseMap.set('parties', [...(parties ?? []).map((p) => ({ ...p, phone: '13712345678' }))]);
    flush();
    // Audit entries appended one by one, and a concurrent one inserted before them (another device's, merged).
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(source));
    for (let i = 0; i < 5; i++) source.getArray('audit').push([{ id: `a${i}`, note: `电话13600000${100 + i}` }]);
    const before = history.length;
    flush();
    // In proportion: the five entries, not the audit nor the case again.
    expect(history.length).toBe(before + 1);
    expect(history.at(-1)!.byteLength).toBeLessThan(400);
    other.getArray('audit').push([{ id: 'concurrent', idNumber: '511302199001011234' }]);
    Y.applyUpdate(source, Y.encodeStateAsUpdate(other));
    flush();
    // A step appended to a nested array, a whole nested map set, a file added.
    (caseMap.get('steps') as Y.Array<unknown>).push([{ id: 's-new', note: '回访 18912345678' }]);
    const sessions = caseMap.get('sessions') as Y.Map<unknown>;
    const session = new Y.Map<unknown>();
    const statements = new Y.Map<unknown>();
    session.set('statements', statements);
    sessions.set('session-new', session);
    flush();
    statements.set('p1', new Y.Text('说 13512345678'));
    source
      .getMap('files')
      .set('f1', { id: 'f1', name: 'id-card.jpg', type: 'image/jpeg', data: 'data:image/jpeg;base64,AAAA' });
    flush();
    // A phone typed into the facts one keystroke at a time, each written separately.
    const facts = caseMap.get('facts') as Y.Text;
    const seen: string[] = [];
    for (const digit of '13812345678') {
      facts.insert(facts.length, digit);
      flush();
      const twinFacts = target.getMap<Y.Map<unknown>>(CASES_MAP).get(caseId)?.get('facts');
      seen.push(twinFacts instanceof Y.Text ? twinFacts.toJSON() : '');
    }
    // Deleting entries and replacing a key.
    source.getArray('audit').delete(0, 1);
    caseMap.delete('parties');
    flush();

    expect(json(target)).toEqual(json(twinOf(source)));
    const twinFile = target.getMap<{ data: string; name: string }>('files').get('f1');
    expect(twinFile).toMatchObject({ name: 'id-card.jpg', data: WITHHELD_DATA });
    for (const update of history) expect(fullValuesIn(update)).toEqual(NO_FULL);
    expect(fullValuesIn(Y.encodeStateAsUpdate(target))).toEqual(NO_FULL);
    // No state of the typed text showed digits 4 to 7 of the number (what its mask hides).
    for (const text of seen) expect(text).not.toContain('1234');
    expect(seen.at(-1)).toContain('138****5678');
  });

  it('masks a typed number at every length it passes through', () => {
    const phone = '13812345678';
    const id = '51130219900101123X';
    for (const full of [phone, id]) {
      for (let length = 1; length <= full.length; length++) {
        const shown = maskTypedText(`电话${full.slice(0, length)}。`).replace(/\D/g, '');
        // Never more than the first 3 digits and, once whole, the mask's last 4.
        expect(shown.length).toBeLessThanOrEqual(length === full.length ? (full === id ? 8 : 7) : 4);
      }
    }
    // Typed in groups: never a digit of the mobile's middle four, at any length.
    for (const full of ['电话 138-1234-5678。', '+86 138 1234 5678', '电话１３８－１２３４－５６７８']) {
      for (let length = 1; length <= full.length; length++) {
        const shown = maskTypedText(full.slice(0, length));
        expect(shown).not.toMatch(/1234|１２３４|[1-4１-４](?=[-－ ]?[5５][6６])/);
      }
      expect(maskTypedText(full)).toMatch(/\*{4}/);
    }
    expect(maskTypedText('2026年3月 1200元 房号1201')).toBe('2026年3月 1200元 房号1201');
    expect(maskTwinValue({ phone: '13812345678', data: 'data:image/png;base64,xx', note: 'x' })).toEqual({
      phone: '138****5678',
      data: WITHHELD_DATA,
      note: 'x',
    });
  });
});
