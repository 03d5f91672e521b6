/**
 * The way back's words and address (docs/party-model.md, "links"): what a grid event, case or meeting came from is read
 * from the activities document that holds the link, worded with the record's day and title in either language, and
 * addressed to the record's place in 党建与资源 with its year.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { linkOut, recordConcern, recordLink, recordPatrol } from '@shared/domain/party/commands';
import { translate, type MessageKey, type Params } from '../../../../../renderer/i18n';
import { readSource, sourceHref, sourceText } from '../../../../../renderer/features/party/SourceLink';
import { COMPOUND, ctxAt, MEMBER, must, registryDoc } from '../../../shared/domain/party/fixtures';

const zh = (key: MessageKey, params?: Params) => translate('zh-CN', key, params);
const en = (key: MessageKey, params?: Params) => translate('en', key, params);

describe('the way back', () => {
  it('reads a patrol finding, a concern and a 要事联商 record, worded and addressed with their year', () => {
    const registry = registryDoc();
    const doc = new Y.Doc();
    const env = { registry };
    const at = ctxAt('2026-03-02');
    const patrol = must(
      recordPatrol(
        doc,
        at,
        {
          route: '商业街',
          // 23:30 UTC on 1 March is 2 March in China: the day shown is China's.
          startsAt: '2026-03-01T23:30:00Z',
          endsAt: '2026-03-02T01:00:00Z',
          patrollerIds: [MEMBER],
          findings: [
            { text: '消防通道被堵', place: '' },
            { text: '路灯不亮', place: '' },
          ],
        },
        env,
      ),
    );
    const concern = must(recordConcern(doc, at, { on: '2026-03-02', collectorId: MEMBER, content: '夜市噪音' }, env));
    const record = must(
      recordLink(doc, at, { compoundId: COMPOUND, kind: 'deliberation', on: '2026-03-01', title: '加装电梯' }, env),
    );
    must(linkOut(doc, at, { source: 'patrol', recordId: patrol, item: 1, target: 'incident', ref: '2026/ev-1' }));
    must(linkOut(doc, at, { source: 'concern', recordId: concern, target: 'incident', ref: '2026/ev-2' }));
    must(linkOut(doc, at, { source: 'link-record', recordId: record, target: 'meeting', ref: '2027/m-1' }));

    const fromPatrol = readSource(doc, 2026, 'incident', '2026/ev-1');
    expect(fromPatrol).toMatchObject({ year: 2026, on: '2026-03-02', title: '商业街' });
    if (fromPatrol === null) throw new Error('no source');
    expect(sourceText(zh, fromPatrol)).toBe('红袖标巡查 2026-03-02 商业街 发现 2');
    expect(sourceText(en, fromPatrol)).toBe('Red armband patrol 2026-03-02 商业街, finding 2');
    expect(sourceHref('patrol', fromPatrol.year, patrol)).toBe(`~/party/sanhong/patrols/2026/${patrol}`);

    const fromConcern = readSource(doc, 2026, 'incident', '2026/ev-2');
    if (fromConcern === null) throw new Error('no source');
    expect(sourceText(zh, fromConcern)).toBe('红马褂民情 2026-03-02 夜市噪音');
    expect(sourceHref('concern', 2026, concern)).toBe(`~/party/sanhong/concerns/2026/${concern}`);

    // A meeting set in the next year: its page reads this year's document as "the year before".
    const fromRecord = readSource(doc, 2026, 'meeting', '2027/m-1');
    if (fromRecord === null) throw new Error('no source');
    expect(sourceText(en, fromRecord)).toBe('Matter deliberated 2026-03-01 加装电梯');
    expect(sourceHref('link-record', 2026, record)).toBe(`~/party/platforms/four/2026/${record}`);

    // Nothing for a target made otherwise, or asked as another kind.
    expect(readSource(doc, 2026, 'incident', '2026/ev-9')).toBeNull();
    expect(readSource(doc, 2026, 'case', '2026/ev-1')).toBeNull();
  });
});
