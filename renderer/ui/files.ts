import type { Platform } from '../platform';

/** Longest side of a stored photo: enough to read a signed page or see a leak, small enough to sync. */
const PHOTO_MAX_SIDE = 1280;
/**
 * Non-image files are kept as they are up to this size (see `MAX_CASE_FILE_CHARS` in shared/ydoc/cases.ts): attachments
 * live inside the synced documents, so they are kept small.
 */
export const MAX_PLAIN_FILE_BYTES = 300 * 1024;

export interface PickedFile {
  readonly name: string;
  readonly type: string;
  readonly data: string;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  pdf: 'application/pdf',
};

function typeOf(name: string): string {
  return IMAGE_TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function toDataUrl(bytes: Uint8Array, type: string): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return `data:${type};base64,${btoa(binary)}`;
}

/** Redraws a photo at most PHOTO_MAX_SIDE wide or high as JPEG: a phone photo of 4 MB becomes about 150 kB. */
async function shrinkPhoto(bytes: Uint8Array, type: string): Promise<string> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no canvas');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/jpeg', 0.72);
}

export type PickResult =
  { kind: 'picked'; file: PickedFile } | { kind: 'cancelled' } | { kind: 'too-big'; name: string };

/** Asks for a photo or a file and makes it small enough to keep in a synced document (a case, a meeting). */
export async function pickAttachment(platform: Platform, imagesOnly = false): Promise<PickResult> {
  const picked = await platform.openFile({
    filters: [
      { name: 'images', extensions: ['jpg', 'jpeg', 'png', 'webp'] },
      ...(imagesOnly ? [] : [{ name: 'files', extensions: ['*'] }]),
    ],
    maxBytes: 30 * 1024 * 1024,
  });
  if (picked === null) return { kind: 'cancelled' };
  const type = typeOf(picked.name);
  if (type.startsWith('image/') && type !== 'image/gif') {
    try {
      return {
        kind: 'picked',
        file: { name: picked.name, type: 'image/jpeg', data: await shrinkPhoto(picked.bytes, type) },
      };
    } catch {
      // Not decodable as an image: keep it as a plain file if it is small enough.
    }
  }
  if (picked.bytes.length > MAX_PLAIN_FILE_BYTES) return { kind: 'too-big', name: picked.name };
  return { kind: 'picked', file: { name: picked.name, type, data: toDataUrl(picked.bytes, type) } };
}
