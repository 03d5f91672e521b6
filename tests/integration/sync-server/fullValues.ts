/**
 * Finds full ID numbers and mobiles in what a device holds or receives: the bytes of Yjs updates and sync messages
 * (digits are ASCII in UTF-8, and Yjs keeps a string's bytes together), or any text. An ID number counts only with a
 * valid check character (a masked one, or 18 digits that happen to stand together, does not); a mobile is 11 digits
 * starting 13-19 standing on their own. Either may be written in its groups with a space or hyphen between them
 * (`138-1234-5678`, `511302 19800517 0011`), as the masks recognise them (shared/ydoc/registryMasked.ts).
 */
import { checkChar } from '@shared/domain/registry/idNumber';

const ID = /(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dX](?![\dA-Za-z])/g;
const MOBILE = /(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g;
const digits = (found: string) => found.replace(/[ -]/g, '');

export interface FullValues {
  readonly idNumbers: string[];
  readonly mobiles: string[];
}

export function fullValuesIn(input: Uint8Array | string): FullValues {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const idNumbers = [...text.matchAll(ID)]
    .map((m) => digits(m[0]))
    .filter((id) => checkChar(id.slice(0, 17)) === id[17]);
  const mobiles = [...text.matchAll(MOBILE)].map((m) => digits(m[0]));
  return { idNumbers, mobiles };
}

/** Whether a text or bytes hold no full ID number and no mobile. */
export function holdsNoFullValue(input: Uint8Array | string): boolean {
  const found = fullValuesIn(input);
  return found.idNumbers.length === 0 && found.mobiles.length === 0;
}
