/**
 * The search keys of a resident (see ./search.ts). Kept apart from the matching because of pinyin-pro: 300 kB and a
 * dictionary to build, needed only when residents are projected, so the renderer loads it after the first list.
 */
import { pinyin } from 'pinyin-pro';
import type { ResidentSearchKeys } from './search';
import type { Building, Household, Resident } from './types';

function letters(parts: readonly string[]): string {
  return parts
    .join('')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function readings(name: string, mode: 'surname' | 'normal') {
  // One conversion: the initials are the first letters of the syllables (what `pattern: 'first'` returns, at half
  // the cost of asking pinyin-pro twice; the same for all 20,000 names of the demo and the tricky surnames).
  const syllables = pinyin(name, { toneType: 'none', type: 'array', mode, v: true });
  return { initials: letters(syllables.map((syllable) => syllable.charAt(0))), full: letters(syllables) };
}

interface NameReadings {
  readonly initials: string;
  readonly fullPinyin: string;
  readonly altPinyin: readonly string[];
}

/**
 * Readings already made, by name. pinyin-pro is most of a row's cost when a whole registry is projected, and names
 * repeat (the 100,000 residents of bench:scale carry far fewer distinct names). Bounded: emptied when full, so a
 * device's memory stays flat whatever it reads.
 */
const nameReadings = new Map<string, NameReadings>();
const NAME_READINGS_MAX = 50_000;

function readingsOf(name: string): NameReadings {
  const known = nameReadings.get(name);
  if (known !== undefined) return known;
  const surname = readings(name, 'surname');
  const everyday = readings(name, 'normal');
  const alt = new Set([everyday.initials, everyday.full]);
  alt.delete(surname.initials);
  alt.delete(surname.full);
  alt.delete('');
  const made: NameReadings = { initials: surname.initials, fullPinyin: surname.full, altPinyin: [...alt] };
  if (nameReadings.size >= NAME_READINGS_MAX) nameReadings.clear();
  nameReadings.set(name, made);
  return made;
}

export function residentSearchKeys(
  resident: Pick<Resident, 'name' | 'idNumber' | 'phone'>,
  household?: Pick<Household, 'address'> | null,
  building?: Pick<Building, 'name'> | null,
): ResidentSearchKeys {
  const name = resident.name.normalize('NFKC').replace(/\s+/g, '');
  const read = readingsOf(name);
  const phoneDigits = (resident.phone ?? '').replace(/\D/g, '');
  const address = household?.address ?? '';
  return {
    name,
    initials: read.initials,
    fullPinyin: read.fullPinyin,
    altPinyin: read.altPinyin,
    idTail4: resident.idNumber.slice(-4).toUpperCase(),
    phoneTail4: phoneDigits.length >= 4 ? phoneDigits.slice(-4) : '',
    // The building name is usually part of the address already; add it when it is not, so "3栋" still finds people.
    address:
      building !== null && building !== undefined && !address.includes(building.name)
        ? `${address} ${building.name}`
        : address,
  };
}
