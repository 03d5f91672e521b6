/** The readers' shape check of an entry of a synced document (any device may append anything). */
import type { z } from 'zod';

/** Checks an entry read from the document once per stored object (Yjs hands back the same object on every read). */
export function checker<T>(
  schema: z.ZodType,
  extra: (value: T) => boolean = () => true,
): (value: unknown) => value is T {
  const seen = new WeakMap<object, boolean>();
  return (value: unknown): value is T => {
    if (typeof value !== 'object' || value === null) return false;
    let fits = seen.get(value);
    if (fits === undefined) {
      fits = schema.safeParse(value).success && extra(value as T);
      seen.set(value, fits);
    }
    return fits;
  };
}
