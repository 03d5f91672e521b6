/**
 * Meeting commands after the meeting (会后有结果): review, signatures, the sign-off that locks the record, amendments,
 * publishing the resolutions and archiving.
 */
import { plan, refuse } from '../kernel';
import {
  AMENDMENTS,
  appendNested,
  clearNested,
  meetingFileRef,
  putMeetingFile,
  REVIEWS,
  setNestedValue,
  signInPhotos,
  SIGNATURES,
  VERSIONS,
} from '../../ydoc/meetings';
import * as machine from './machine';
import { nameKey } from './rules';
import {
  amendSchema,
  attachSignInPhotoSchema,
  MAX_SIGN_IN_PHOTOS,
  meetingRefSchema,
  publishResolutionsSchema,
  reviewSchema,
  signSchema,
  type MeetingFile,
  type SignedVersion,
} from './types';
import { meetingCommand, mimeOf, prepare, statusChange, touch } from './commandKit';

export const submitForReview = meetingCommand({
  name: 'submitForReview',
  input: meetingRefSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const next = machine.submitForReview(loaded.value.meeting);
    return next.ok ? statusChange(loaded.value, next.value) : next;
  },
});

/** Back to drafting: signatures and reviews given on the content so far no longer apply. */
export const returnToDraft = meetingCommand({
  name: 'returnToDraft',
  input: meetingRefSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const next = machine.returnToDraft(meeting);
    if (!next.ok) return next;
    return plan({ warnings: next.value.warnings }, (audit, at) => {
      clearNested(map, SIGNATURES);
      clearNested(map, REVIEWS);
      touch(loaded.value, audit, at, { status: next.value.status }, { status: next.value.status });
    });
  },
});

export const reviewMinutes = meetingCommand({
  name: 'reviewMinutes',
  input: reviewSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const checked = machine.review(meeting, v.key);
    if (!checked.ok) return checked;
    return plan(v.key, (audit, at) => {
      setNestedValue(map, REVIEWS, v.key, { key: v.key, approved: v.approved, comment: v.comment, at });
      audit({ action: 'update', recordId: meeting.id, fields: { reviewer: v.key, approved: v.approved } });
    });
  },
});

/** Adds a signature (host, recorder or signatory) to the current version; returns its slot (`role:key`). */
export const signMinutes = meetingCommand({
  name: 'signMinutes',
  input: signSchema,
  plan: (doc, v, ctx) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const checked = machine.sign(meeting);
    if (!checked.ok) return checked;
    const slot = `${v.role}:${v.key ?? nameKey(v.name)}`;
    const fileId = v.image === null ? null : ctx.newId();
    return plan(slot, (audit, at) => {
      if (fileId !== null && v.image !== null) {
        putMeetingFile(doc, {
          id: fileId,
          meetingId: meeting.id,
          purpose: 'signature',
          name: `${v.role}-${v.name}`,
          type: mimeOf(v.image),
          data: v.image,
          addedAt: at,
          addedBy: ctx.actor.userName,
        });
      }
      const image = fileId === null ? null : meetingFileRef(fileId);
      setNestedValue(map, SIGNATURES, slot, { role: v.role, name: v.name, key: v.key, at, method: v.method, image });
      // The image is in the document's files; the audit names it, not its bytes.
      audit({ action: 'update', recordId: meeting.id, fields: { signature: slot, method: v.method, image } });
    });
  },
});

/**
 * Keeps a photo of the paper sign-in sheet as signed (the office's evidence of who came), one file per page. Allowed
 * from the meeting until the draft goes to review; a sheet runs to a few pages, so at most `MAX_SIGN_IN_PHOTOS`.
 */
export const attachSignInPhoto = meetingCommand({
  name: 'attachSignInPhoto',
  input: attachSignInPhotoSchema,
  plan: (doc, v, ctx) => {
    const loaded = prepare(doc, v.meetingId, 'attach-sign-in-photo');
    if (!loaded.ok) return loaded;
    const { meeting } = loaded.value;
    if (signInPhotos(doc, meeting.id).length >= MAX_SIGN_IN_PHOTOS) {
      return refuse('too-long', 'signInPhotos', { max: MAX_SIGN_IN_PHOTOS });
    }
    const id = ctx.newId();
    return plan(meetingFileRef(id), (audit, at) => {
      const file: MeetingFile = {
        id,
        meetingId: meeting.id,
        purpose: 'sign-in-sheet',
        name: v.name,
        type: mimeOf(v.data),
        data: v.data,
        addedAt: at,
        addedBy: ctx.actor.userName,
      };
      putMeetingFile(doc, file);
      touch(loaded.value, audit, at, { signInPhoto: meetingFileRef(id), name: v.name, size: v.data.length });
    });
  },
});

/**
 * Signs off and locks: host, recorder and the required signatories have signed. The signed content is frozen into
 * `versions` in the same transaction, so what was signed stays visible through amendments and late synced edits.
 */
export const signOff = meetingCommand({
  name: 'signOff',
  input: meetingRefSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const next = machine.signOff(meeting);
    if (!next.ok) return next;
    return plan(meeting.version, (audit, at) => {
      const version: SignedVersion = {
        version: meeting.version,
        signedAt: at,
        signatures: meeting.signatures,
        content: machine.contentOf(meeting),
      };
      appendNested(map, VERSIONS, version);
      touch(
        loaded.value,
        audit,
        at,
        { status: next.value.status, version: meeting.version },
        { status: next.value.status },
      );
    });
  },
});

/**
 * Amends a locked record: opens version n+1 as a draft with the reason recorded; version n stays in `versions` as
 * signed. Signatures and reviews start over for the new version.
 */
export const amendMeeting = meetingCommand({
  name: 'amendMeeting',
  input: amendSchema,
  plan: (doc, v, ctx) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const { map, meeting } = loaded.value;
    const next = machine.amend(meeting);
    if (!next.ok) return next;
    const version = meeting.version + 1;
    return plan(version, (audit, at) => {
      appendNested(map, AMENDMENTS, {
        version,
        reason: v.reason,
        at,
        userId: ctx.actor.userId,
        userName: ctx.actor.userName,
      });
      clearNested(map, SIGNATURES);
      clearNested(map, REVIEWS);
      const stored = { status: next.value.status, version, resolutionsPublishedOn: null };
      touch(loaded.value, audit, at, { status: next.value.status, version, reason: v.reason }, stored);
    });
  },
});

export const publishResolutions = meetingCommand({
  name: 'publishResolutions',
  input: publishResolutionsSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const next = machine.publishResolutions(loaded.value.meeting);
    if (!next.ok) return next;
    return statusChange(loaded.value, next.value, { resolutionsPublishedOn: v.publishedOn });
  },
});

export const archiveMeeting = meetingCommand({
  name: 'archiveMeeting',
  input: meetingRefSchema,
  plan: (doc, v) => {
    const loaded = prepare(doc, v.meetingId, null);
    if (!loaded.ok) return loaded;
    const next = machine.archive(loaded.value.meeting);
    return next.ok ? statusChange(loaded.value, next.value) : next;
  },
});
