/**
 * Names of the synced Yjs documents. Every document name in the app, the sync server and the tests is built and
 * parsed here and nowhere else (docs/conventions.md, habit 9): `<community>/registry`, `<community>/cases/<year>`,
 * `<community>/meetings/<year>`, `<community>/tasks/<year>`, `<community>/incidents/<year>`,
 * `<community>/services/<year>`, `<community>/activities/<year>` (party building and venues: docs/party-model.md),
 * and the ones the server derives for viewers,
 * `<community>/registry-masked` and a masked twin of each yearly document, `<community>/<collection>-masked/<year>`
 * (ID numbers and phones masked, files withheld: docs/security.md), and the registry's archived audit,
 * `<community>/audit/<year>`, which only the server writes (docs/registry-model.md, "Where the audit lives").
 */

/** A community id: lower-case ASCII letters, digits and dashes, 2-40 characters, e.g. `shunqing-xihe`. */
export type CommunityId = string & { readonly __brand: 'CommunityId' };

/** Collections held in one document per community. */
export const WHOLE_COLLECTIONS = ['registry'] as const;
/** Collections split into one document per community and year, so that none grows without bound. */
export const YEARLY_COLLECTIONS = ['cases', 'meetings', 'tasks', 'incidents', 'services', 'activities'] as const;

/**
 * Documents the sync server derives from another and nobody edits but through it: `registry-masked`, the registry as
 * a viewer device receives it (shared/ydoc/registryMasked.ts). Not among a community's documents
 * (`communityDocNames`): a device syncs it instead of the registry, never beside it.
 */
export const DERIVED_COLLECTIONS = ['registry-masked'] as const;

/**
 * Documents only the sync server writes, one per community and closed year, that devices open on demand and never
 * sync with the rest: `audit`, the registry's audit entries of a year the server moved out of the registry
 * (shared/ydoc/auditArchive.ts; docs/registry-model.md, "Where the audit lives"). Not among `communityDocNames`.
 */
export const ARCHIVE_COLLECTIONS = ['audit'] as const;

export type WholeCollection = (typeof WHOLE_COLLECTIONS)[number];
export type YearlyCollection = (typeof YEARLY_COLLECTIONS)[number];
export type DerivedCollection = (typeof DERIVED_COLLECTIONS)[number];
export type ArchiveCollection = (typeof ARCHIVE_COLLECTIONS)[number];
export type Collection = WholeCollection | YearlyCollection | DerivedCollection | ArchiveCollection;

export type DocRef =
  | { readonly community: CommunityId; readonly collection: WholeCollection | DerivedCollection }
  | {
      readonly community: CommunityId;
      readonly collection: YearlyCollection;
      readonly year: number;
      /**
       * The document's masked twin for viewers, `<community>/<collection>-masked/<year>` (shared/ydoc/yearlyMasked.ts):
       * same collection and layout, so whatever reads the collection reads it unchanged.
       */
      readonly masked?: true;
    }
  | {
      readonly community: CommunityId;
      readonly collection: ArchiveCollection;
      readonly year: number;
      /** An archive has no masked twin (viewers do not open it: docs/registry-model.md, "Where the audit lives"). */
      readonly masked?: undefined;
    };

/** What a masked document's name adds to its source's collection (`registry-masked`, `cases-masked`). */
export const MASKED_SUFFIX = '-masked';

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

function isDerived(collection: string): collection is DerivedCollection {
  return (DERIVED_COLLECTIONS as readonly string[]).includes(collection);
}

function isYearly(collection: string): collection is YearlyCollection {
  return (YEARLY_COLLECTIONS as readonly string[]).includes(collection);
}

function isArchive(collection: string): collection is ArchiveCollection {
  return (ARCHIVE_COLLECTIONS as readonly string[]).includes(collection);
}

/** Builds the document name for a reference. Throws on an invalid community id or year. */
export function docName(ref: DocRef): string {
  toCommunityId(ref.community);
  if ('year' in ref) {
    if (!YEAR.test(String(ref.year))) throw new RangeError(`Invalid year ${ref.year}`);
    return `${ref.community}/${ref.collection}${ref.masked === true ? MASKED_SUFFIX : ''}/${ref.year}`;
  }
  return `${ref.community}/${ref.collection}`;
}

/** Parses a document name; returns `null` for anything that is not a well-formed name (never throws). */
export function parseDocName(name: string): DocRef | null {
  const parts = name.split('/');
  const [community, collection, year] = parts;
  if (community === undefined || collection === undefined || !isCommunityId(community)) return null;
  if (parts.length === 2 && (isWhole(collection) || isDerived(collection))) return { community, collection };
  if (parts.length === 3 && year !== undefined && YEAR.test(year)) {
    if (isYearly(collection)) return { community, collection, year: Number(year) };
    if (isArchive(collection)) return { community, collection, year: Number(year) };
    const source = collection.endsWith(MASKED_SUFFIX) ? collection.slice(0, -MASKED_SUFFIX.length) : '';
    if (isYearly(source)) return { community, collection: source, year: Number(year), masked: true };
  }
  return null;
}

/** Whether a name is a community's registry document (`<community>/registry`). */
export function isRegistryDocName(name: string): boolean {
  return parseDocName(name)?.collection === 'registry';
}

/** Whether a name is a community's masked registry (`<community>/registry-masked`), derived by the server. */
export function isMaskedRegistryDocName(name: string): boolean {
  return parseDocName(name)?.collection === 'registry-masked';
}

/** The masked registry of a registry's community and back: `x/registry` <-> `x/registry-masked`; `null` otherwise. */
export function pairedRegistryName(name: string): string | null {
  const ref = parseDocName(name);
  if (ref === null) return null;
  if (ref.collection === 'registry') return docName({ community: ref.community, collection: 'registry-masked' });
  if (ref.collection === 'registry-masked') return docName({ community: ref.community, collection: 'registry' });
  return null;
}

/** Whether a name is a yearly document's masked twin (`<community>/<collection>-masked/<year>`). */
export function isMaskedYearlyDocName(name: string): boolean {
  const ref = parseDocName(name);
  return ref !== null && 'year' in ref && ref.masked === true;
}

/** Whether a name is a masked document, the registry's or a yearly twin. */
export function isMaskedDocName(name: string): boolean {
  return isMaskedRegistryDocName(name) || isMaskedYearlyDocName(name);
}

/**
 * The masked document derived from a document, or the document a masked one is derived from: `x/registry` <->
 * `x/registry-masked`, `x/cases/2026` <-> `x/cases-masked/2026` (every yearly collection); `null` otherwise.
 */
export function pairedMaskedName(name: string): string | null {
  const ref = parseDocName(name);
  if (ref === null) return null;
  if (!('year' in ref)) return pairedRegistryName(name);
  if (ref.collection === 'audit') return null;
  const { community, collection, year } = ref;
  return ref.masked === true
    ? docName({ community, collection, year })
    : docName({ community, collection, year, masked: true });
}

/** A yearly document's name as a device that holds its community masked keeps it: its twin; any other name as it is. */
export function maskedYearlyName(name: string): string {
  const ref = parseDocName(name);
  return ref !== null && 'year' in ref && ref.masked !== true ? (pairedMaskedName(name) ?? name) : name;
}

/** A yearly twin's name as the app reads it: its source's (`x/cases-masked/2026` -> `x/cases/2026`); others as they are. */
export function unmaskedYearlyName(name: string): string {
  return isMaskedYearlyDocName(name) ? (pairedMaskedName(name) ?? name) : name;
}

/** The document of a community's registry audit entries of one closed year, `<community>/audit/<year>`. */
export function auditArchiveName(community: CommunityId, year: number): string {
  return docName({ community, collection: 'audit', year });
}

/** Whether a name is an archive of a registry's audit (`<community>/audit/<year>`), written by the server only. */
export function isAuditArchiveDocName(name: string): boolean {
  return parseDocName(name)?.collection === 'audit';
}

/** All document names of one community for the given years (registry plus each yearly collection). */
export function communityDocNames(community: CommunityId, years: readonly number[]): string[] {
  const names = WHOLE_COLLECTIONS.map((collection) => docName({ community, collection }));
  for (const year of years) {
    for (const collection of YEARLY_COLLECTIONS) names.push(docName({ community, collection, year }));
  }
  return names;
}
