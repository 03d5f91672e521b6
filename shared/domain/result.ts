/**
 * Results and domain errors. Commands and validators never throw for a user mistake: they return a `Result` whose
 * error carries a stable code. The UI translates codes into Chinese and English (renderer/i18n); no human text is
 * produced here, so the same error reads correctly in either language and in logs.
 */
import type { z } from 'zod';

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/**
 * Every error code the domain can return. Both error catalogues of the UI (renderer/i18n/errors.zh.ts and
 * errors.en.ts) are typed as records over this list, and the i18n test checks their placeholders agree, so a code added
 * here without a translation fails the typecheck instead of showing a raw code to a user.
 */
export const ERROR_CODES = [
  // generic field problems
  'required',
  'invalid',
  'too-long',
  'not-found',
  'deleted',
  'permission-denied',
  /** The document was written by a newer app in a layout this one does not know (shared/ydoc/layout.ts). */
  'layout-too-new',
  'date.invalid',
  'date.future',
  'number.invalid',
  // resident identity (GB 11643-1999)
  'id-number.format',
  'id-number.region',
  'id-number.date',
  'id-number.checksum',
  'id-number.duplicate',
  'id-number.sex-mismatch',
  'id-number.birth-mismatch',
  'phone.invalid',
  // structure of the registry
  'tree.cycle',
  'tree.level',
  'party-org.level',
  'party-org.not-member',
  'household.duplicate',
  'household.householder-exists',
  'entrance.duplicate',
  'entrance.wrong-building',
  'name.duplicate',
  'batch.too-large',
  // spreadsheet import
  'import.empty',
  'import.header-missing',
  'import.header-duplicate',
  'import.building-unknown',
  'import.building-ambiguous',
  'import.compound-unknown',
  'import.duplicate-in-file',
  'import.tag-unknown',
  'import.relation-unknown',
  'import.sex-invalid',
  'import.too-many-rows',
  // mediation
  'case.transition',
  'case.escalation-top',
  'case.parties-required',
  'case.party-unknown',
  'record.locked',
  'record.partly-signed',
  'record.not-locked',
  'record.superseded',
  'agreement.mediator-required',
  'agreement.committee-required',
  'signature.unknown-signer',
  'signature.duplicate',
  'judicial.window-closed',
  'judicial.not-written',
  'extension.consent-missing',
  'party.guardian-missing',
  'signature.minor-no-capacity',
  // meetings
  'meeting.transition',
  'meeting.locked',
  'meeting.agenda-empty',
  'meeting.notice-after-start',
  'meeting.not-in-progress',
  'meeting.not-expected',
  'meeting.quorum-not-reached',
  'meeting.vote-not-voting',
  'meeting.vote-exceeds-present',
  'meeting.vote-area-required',
  'meeting.signatures-missing',
  'meeting.resolutions-unpublished',
  'meeting.action-items-open',
  'meeting.action-done',
  'meeting.rule-fixed',
  'meeting.scope-mismatch',
  'meeting.start-early',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainError {
  readonly code: ErrorCode;
  /** The input field the error belongs to (dotted path for nested input, e.g. `workers.0.phone`). */
  readonly field?: string;
  /** Values the message may interpolate, e.g. `{ row: 12 }` or `{ header: '姓名' }`. */
  readonly params?: Readonly<Record<string, string | number>>;
}

export function domainError(
  code: ErrorCode,
  field?: string,
  params?: Readonly<Record<string, string | number>>,
): DomainError {
  const error: { code: ErrorCode; field?: string; params?: Readonly<Record<string, string | number>> } = { code };
  if (field !== undefined) error.field = field;
  if (params !== undefined) error.params = params;
  return error;
}

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Turns the first zod issue into a domain error: a missing value or an empty string is `required`, an over-long one
 * `too-long`, anything else `invalid`. Only the first issue is reported because a form shows one message per submit;
 * field-level forms validate per field themselves.
 */
export function fromZodError(error: z.ZodError, input: unknown): DomainError {
  const issue = error.issues[0];
  if (issue === undefined) return domainError('invalid');
  const field = issue.path.map(String).join('.') || undefined;
  const value = valueAt(input, issue.path);
  if (value === undefined || value === null) return domainError('required', field);
  if (issue.code === 'too_small' && typeof value === 'string') return domainError('required', field);
  if (issue.code === 'too_big') return domainError('too-long', field);
  return domainError('invalid', field);
}

/** Parses input with a schema and maps failure to a domain error. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): Result<T, DomainError> {
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(fromZodError(parsed.error, input));
}
