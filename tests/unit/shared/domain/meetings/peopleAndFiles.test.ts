import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addActionItem,
  attachSignInPhoto,
  createMeeting,
  finishMeeting,
  lockViolations,
  openActionItems,
  signMinutes,
  signOff,
  submitForReview,
  updateMeetingDetails,
} from '@shared/domain/meetings/commands';
import { isOwnedBy, MAX_MEETING_FILE_CHARS, MAX_SIGN_IN_PHOTOS, type PersonRef } from '@shared/domain/meetings/types';
import type { ResidentId, VolunteerId } from '@shared/domain/registry/types';
import { meetingsMap, readMeeting, readMeetingFile, readMeetingsAudit, signInPhotos } from '@shared/ydoc/meetings';
import { emptySnapshot } from '@shared/ydoc/registry';
import { errorOf, makeCtx, MEETING_AT, startedMeeting, unwrap } from './fixtures';

/** A small image as a data URL of `size` characters (the bytes do not matter to the domain). */
function image(size = 200, type = 'image/jpeg'): string {
  const head = `data:${type};base64,`;
  return head + 'A'.repeat(Math.max(0, size - head.length));
}

const resident = (id: string): PersonRef => ({ kind: 'resident', id: id as ResidentId });
const volunteer = (id: string): PersonRef => ({ kind: 'volunteer', id: id as VolunteerId });

function started() {
  const doc = new Y.Doc();
  const ctx = makeCtx();
  const { id, itemId } = startedMeeting(doc, ctx, emptySnapshot(), {
    type: 'residents-representatives',
    scope: { kind: 'list', people: [{ name: '代表1' }, { name: '代表2' }] },
  });
  return { doc, ctx, id, itemId };
}

describe('people of a meeting from the registry', () => {
  it('keeps the registry reference with the name of convener, chair, recorder and owners', () => {
    const doc = new Y.Doc();
    const ctx = makeCtx();
    const id = unwrap(
      createMeeting(
        doc,
        ctx,
        {
          type: 'residents-representatives',
          title: '代表会议',
          scope: { kind: 'list', people: [{ name: '代表1' }] },
          convener: { name: '街道办李科长' },
          chair: { name: '王琳欣', ref: resident('r-1') },
          recorder: { name: '刘片长', ref: volunteer('v-1') },
          startsAt: MEETING_AT,
          place: '议事厅',
        },
        emptySnapshot(),
      ),
    );
    const meeting = readMeeting(doc, id);
    expect(meeting?.convener).toEqual({ name: '街道办李科长', ref: null });
    expect(meeting?.chair).toEqual({ name: '王琳欣', ref: resident('r-1') });
    expect(meeting?.recorder).toEqual({ name: '刘片长', ref: volunteer('v-1') });
    unwrap(updateMeetingDetails(doc, ctx, { id, changes: { chair: { name: '孙梅', ref: resident('r-2') } } }));
    expect(readMeeting(doc, id)?.chair).toEqual({ name: '孙梅', ref: resident('r-2') });
    expect(
      // @ts-expect-error a reference kind the schema does not know is refused at run time too
      errorOf(updateMeetingDetails(doc, ctx, { id, changes: { chair: { name: '孙梅', ref: { kind: 'x' } } } })).field,
    ).toMatch(/^changes\.chair/);
  });

  it('reads a record written before references were kept with ref null, and does not call it a late edit', () => {
    const { doc, ctx, id } = started();
    // An old client wrote people as bare names.
    const map = meetingsMap(doc).get(id);
    map?.set('chair', { name: '主持人' });
    map?.set('recorder', { name: '记录人' });
    map?.set('convener', { name: '社区主任' });
    expect(readMeeting(doc, id)?.chair).toEqual({ name: '主持人', ref: null });
    unwrap(finishMeeting(doc, ctx, { meetingId: id }));
    unwrap(submitForReview(doc, ctx, { meetingId: id }));
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '主持人' }));
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'recorder', name: '记录人' }));
    unwrap(signOff(doc, ctx, { meetingId: id }));
    // A signed copy made by an old client holds bare names too; compared with the live record read with ref null,
    // it is the same content, not an edit after the lock.
    const signed = readMeeting(doc, id)?.versions[0];
    const versions = map?.get('versions') as Y.Array<unknown>;
    versions.push([
      { ...signed, content: { ...signed?.content, chair: { name: '主持人' }, recorder: { name: '记录人' } } },
    ]);
    expect(lockViolations(doc)).toEqual([]);
  });

  it('matches my action items by the linked registry person, by name only when not linked', () => {
    const { doc, ctx, id } = started();
    const add = (title: string, owner: { name: string; ref?: PersonRef }) =>
      unwrap(addActionItem(doc, ctx, { meetingId: id, title, owner, deadline: '2026-04-01' }));
    add('by reference', { name: '王琳欣', ref: resident('r-1') });
    add('same name, not linked', { name: '王琳欣' });
    add('someone else', { name: '孙梅', ref: resident('r-2') });
    const titles = (me: { ref: PersonRef | null; name: string }) =>
      openActionItems(doc, '2026-03-20', me).map((i) => i.actionItem.title);
    expect(titles({ ref: resident('r-1'), name: '王琳欣' })).toEqual(['by reference']);
    // Linked to a volunteer with the same id text: a different person.
    expect(titles({ ref: volunteer('r-1'), name: '王琳欣' })).toEqual([]);
    expect(titles({ ref: null, name: ' 王琳欣 ' })).toEqual(['by reference', 'same name, not linked']);
    expect(titles({ ref: null, name: '' })).toEqual([]);
    expect(isOwnedBy({ name: '孙梅', ref: resident('r-2') }, { ref: resident('r-2'), name: '别的名字' })).toBe(true);
  });
});

describe('photos of the paper sign-in sheet', () => {
  it('keeps each photo as a file of the meeting, in order, with an audit entry naming it, not its bytes', () => {
    const { doc, ctx, id } = started();
    const first = unwrap(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'page1.jpg', data: image() }));
    ctx.advance(1000);
    const second = unwrap(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'page2.jpg', data: image(300) }));
    expect(first).toMatch(/^file:/);
    const photos = signInPhotos(doc, id);
    expect(photos.map((p) => p.name)).toEqual(['page1.jpg', 'page2.jpg']);
    expect(photos[0]).toMatchObject({ meetingId: id, purpose: 'sign-in-sheet', type: 'image/jpeg' });
    expect(readMeetingFile(doc, second)?.name).toBe('page2.jpg');
    const entry = readMeetingsAudit(doc).at(-1);
    expect(entry?.fields).toMatchObject({ command: 'attachSignInPhoto', signInPhoto: second, size: 300 });
    expect(JSON.stringify(entry)).not.toContain('AAAA');
  });

  it('refuses files that are not images, too big, or beyond the number a sheet needs', () => {
    const { doc, ctx, id } = started();
    expect(
      errorOf(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'x.pdf', data: image(200, 'application/pdf') })).code,
    ).toBe('invalid');
    expect(
      errorOf(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'big.jpg', data: image(MAX_MEETING_FILE_CHARS + 1) }))
        .code,
    ).toBe('too-long');
    for (let i = 0; i < MAX_SIGN_IN_PHOTOS; i++) {
      unwrap(attachSignInPhoto(doc, ctx, { meetingId: id, name: `p${i}.jpg`, data: image() }));
    }
    expect(errorOf(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'one-more.jpg', data: image() }))).toMatchObject({
      code: 'too-long',
      field: 'signInPhotos',
    });
    expect(signInPhotos(doc, id)).toHaveLength(MAX_SIGN_IN_PHOTOS);
  });

  it('is refused once the draft goes to review, and before the meeting starts', () => {
    const { doc, ctx, id } = started();
    unwrap(finishMeeting(doc, ctx, { meetingId: id }));
    unwrap(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'late.jpg', data: image() }));
    unwrap(submitForReview(doc, ctx, { meetingId: id }));
    expect(errorOf(attachSignInPhoto(doc, ctx, { meetingId: id, name: 'x.jpg', data: image() })).code).toBe(
      'meeting.transition',
    );
    const fresh = new Y.Doc();
    const planned = unwrap(
      createMeeting(
        fresh,
        ctx,
        {
          type: 'residents-representatives',
          title: '未开始',
          scope: { kind: 'list', people: [{ name: '代表1' }] },
          convener: { name: '甲' },
          chair: { name: '乙' },
          recorder: { name: '丙' },
          startsAt: MEETING_AT,
          place: '议事厅',
        },
        emptySnapshot(),
      ),
    );
    expect(errorOf(attachSignInPhoto(fresh, ctx, { meetingId: planned, name: 'x.jpg', data: image() })).code).toBe(
      'meeting.transition',
    );
  });
});

describe('signatures with images', () => {
  it('keeps a drawn, typed or paper signature as a file the signature names; a recorded one has none', () => {
    const { doc, ctx, id } = started();
    unwrap(finishMeeting(doc, ctx, { meetingId: id }));
    unwrap(submitForReview(doc, ctx, { meetingId: id }));
    const drawn = image(500, 'image/png');
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '主持人', method: 'drawn', image: drawn }));
    unwrap(
      signMinutes(doc, ctx, {
        meetingId: id,
        role: 'recorder',
        name: '记录人',
        method: 'typed',
        image: 'data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C%2Fsvg%3E',
      }),
    );
    unwrap(signMinutes(doc, ctx, { meetingId: id, role: 'signatory', name: '代表1' }));
    const signatures = readMeeting(doc, id)?.signatures ?? [];
    const host = signatures.find((s) => s.role === 'host');
    expect(host).toMatchObject({ method: 'drawn', image: expect.stringMatching(/^file:/) as unknown });
    expect(readMeetingFile(doc, host?.image)).toMatchObject({ purpose: 'signature', type: 'image/png', data: drawn });
    expect(readMeetingFile(doc, signatures.find((s) => s.role === 'recorder')?.image)?.type).toBe('image/svg+xml');
    expect(signatures.find((s) => s.role === 'signatory')).toMatchObject({ method: 'recorded', image: null });
    // Signature images are not sign-in sheet photos.
    expect(signInPhotos(doc, id)).toEqual([]);
    // The signed version keeps the references, so the printed minutes show the images of what was signed.
    unwrap(signOff(doc, ctx, { meetingId: id }));
    expect(readMeeting(doc, id)?.versions[0]?.signatures.find((s) => s.role === 'host')?.image).toBe(host?.image);
  });

  it('refuses a method without its image, an image without a method, and what is not an image', () => {
    const { doc, ctx, id } = started();
    unwrap(finishMeeting(doc, ctx, { meetingId: id }));
    unwrap(submitForReview(doc, ctx, { meetingId: id }));
    const sign = (extra: object) => signMinutes(doc, ctx, { meetingId: id, role: 'host', name: '主持人', ...extra });
    expect(errorOf(sign({ method: 'drawn' })).field).toBe('image');
    expect(errorOf(sign({ image: image() })).field).toBe('image');
    expect(errorOf(sign({ method: 'paper', image: 'data:text/html,<script>' })).code).toBe('invalid');
    expect(readMeeting(doc, id)?.signatures).toEqual([]);
  });
});
