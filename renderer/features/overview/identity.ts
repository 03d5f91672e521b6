/**
 * What the dashboard computed, kept by exactly what it was computed from (docs/dashboard-model.md, "drawn again"):
 * the objects it read (figure rows, calendars, the communities' data), each named by a number given once per object,
 * and the plain values it was asked with. The objects are never changed once made (a change of a document makes new
 * rows), so the same key means the same inputs and the same answer: a kept answer is never stale, and anything new
 * (an edit, a sync, a day off, another day asked) is a new key.
 */

const ids = new WeakMap<object, number>();
let next = 0;

/** A number naming this very object for as long as it lives (never given to another object). */
export function identityOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ++next));
  return id;
}

/** A small map of answers by key: past `max` keys, the oldest is let go. */
export class Kept<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => V): V {
    const known = this.values.get(key);
    if (known !== undefined) {
      // Used again: the newest.
      this.values.delete(key);
      this.values.set(key, known);
      return known;
    }
    const value = make();
    this.values.set(key, value);
    if (this.values.size > this.max) {
      const oldest = this.values.keys().next();
      if (oldest.done !== true) this.values.delete(oldest.value);
    }
    return value;
  }
}
