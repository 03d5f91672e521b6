/**
 * Names of the synced Yjs documents. Every document name in the app, the sync server and the tests is built and
 * parsed here and nowhere else (docs/conventions.md, habit 9): `<community>/registry`, `<community>/cases/<year>`,
 * `<community>/meetings/<year>`, `<community>/tasks/<year>`.
 */

/** A community id: lower-case ASCII letters, digits and dashes, 2-40 characters, e.g. `shunqing-xihe`. */
export type CommunityId = string & { readonly __brand: 'CommunityId' };

/** Collections held in one document per community. */
export const WHOLE_COLLECTIONS = ['registry'] as const;
/** Collections split into one document per community and year, so that none grows without bound. */
export const YEARLY_COLLECTIONS = ['cases', 'meetings', 'tasks'] as const;

export type WholeCollection = (typeof WHOLE_COLLECTIONS)[number];
export type YearlyCollection = (typeof YEARLY_COLLECTIONS)[number];
export type Collection = WholeCollection | YearlyCollection;

export type DocRef =
  | { readonly community: CommunityId; readonly collection: WholeCollection }
  | { readonly community: CommunityId; readonly collection: YearlyCollection; readonly year: number };

const COMMUNITY_ID = /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/;
const YEAR = /^(19|20|21)\d\d$/;

export function isCommunityId(value: string): value is CommunityId {
  return COMMUNITY_ID.test(value);
}

export function toCommunityId(value: string): CommunityId {
  if (!isCommunityId(value)) {
    throw new RangeError(
      `Invalid community id "${value}": use 2-40 lower-case letters, digits and dashes, starting and ending with a letter or digit`,
    );
  }
  return value;
}

function isWhole(collection: string): collection is WholeCollection {
  return (WHOLE_COLLECTIONS as readonly string[]).includes(collection);
}

function isYearly(collection: string): collection is YearlyCollection {
  return (YEARLY_COLLECTIONS as readonly string[]).includes(collection);
}

/** Builds the document name for a reference. Throws on an invalid community id or year. */
export function docName(ref: DocRef): string {
  toCommunityId(ref.community);
  if ('year' in ref) {
    if (!YEAR.test(String(ref.year))) throw new RangeError(`Invalid year ${ref.year}`);
    return `${ref.community}/${ref.collection}/${ref.year}`;
  }
  return `${ref.community}/${ref.collection}`;
}

/** Parses a document name; returns `null` for anything that is not a well-formed name (never throws). */
export function parseDocName(name: string): DocRef | null {
  const parts = name.split('/');
  const [community, collection, year] = parts;
  if (community === undefined || collection === undefined || !isCommunityId(community)) return null;
  if (parts.length === 2 && isWhole(collection)) return { community, collection };
  if (parts.length === 3 && isYearly(collection) && year !== undefined && YEAR.test(year)) {
    return { community, collection, year: Number(year) };
  }
  return null;
}

/** Whether a name is a community's registry document (`<community>/registry`). */
export function isRegistryDocName(name: string): boolean {
  return parseDocName(name)?.collection === 'registry';
}

/** All document names of one community for the given years (registry plus each yearly collection). */
export function communityDocNames(community: CommunityId, years: readonly number[]): string[] {
  const names = WHOLE_COLLECTIONS.map((collection) => docName({ community, collection }));
  for (const year of years) {
    for (const collection of YEARLY_COLLECTIONS) names.push(docName({ community, collection, year }));
  }
  return names;
}
