import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES, isErrorCode, parseInput } from '@shared/domain/result';

describe('domain errors', () => {
  it('lists every code once, in the dotted lower-case form the i18n keys use', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)?$/);
    expect(isErrorCode('tree.cycle')).toBe(true);
    expect(isErrorCode('Tree cycle')).toBe(false);
  });

  it('maps zod failures to required / too-long / invalid with the field path', () => {
    const schema = z.object({ name: z.string().trim().min(1).max(3), age: z.number(), tags: z.array(z.enum(['a'])) });
    expect(parseInput(schema, { name: '', age: 1, tags: [] })).toEqual({
      ok: false,
      error: { code: 'required', field: 'name' },
    });
    expect(parseInput(schema, { name: 'abcd', age: 1, tags: [] })).toEqual({
      ok: false,
      error: { code: 'too-long', field: 'name' },
    });
    expect(parseInput(schema, { name: 'a', tags: [] })).toEqual({
      ok: false,
      error: { code: 'required', field: 'age' },
    });
    expect(parseInput(schema, { name: 'a', age: 1, tags: ['b'] })).toEqual({
      ok: false,
      error: { code: 'invalid', field: 'tags.0' },
    });
    expect(parseInput(schema, { name: 'a', age: 1, tags: [] })).toEqual({
      ok: true,
      value: { name: 'a', age: 1, tags: [] },
    });
  });
});
