/**
 * A compact JSON form of plain JSON values, for the figure rows kept on disk (docs/dashboard-model.md, "figure
 * rows"): tens of thousands of records share a few object shapes and many strings (days, categories, names, grid
 * ids), so the keys of each shape and each repeated string are written once. `unpack(pack(v))` equals `v` for every
 * JSON value (what `JSON.parse(JSON.stringify(v))` gives).
 *
 * - an object is `[shape, ...values]`, its keys in `shapes[shape]`; an array is `[-1, ...items]`;
 * - a string of at least 4 characters met at least twice is `"~<n>"`, `strings[n]` being the string; any other
 *   string starting with `~` is written with a second `~` in front;
 * - numbers, booleans and null are themselves.
 */

export interface Packed {
  readonly shapes: readonly (readonly string[])[];
  readonly strings: readonly string[];
  readonly value: unknown;
}

const REF = '~';

export function pack(value: unknown): Packed {
  const counts = new Map<string, number>();
  // Plain loops, no copies: the registry's rows of 100,000 residents took 166 ms to pack with entries/filter/map/join
  // (docs/bench-scale.md, "The figure rows' write after a registry change").
  const count = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length >= 4) counts.set(v, (counts.get(v) ?? 0) + 1);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) count(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const item = record[key];
        if (item !== undefined) count(item);
      }
    }
  };
  count(value);
  const strings: string[] = [];
  const stringAt = new Map<string, number>();
  for (const [s, n] of counts) {
    if (n < 2) continue;
    stringAt.set(s, strings.length);
    strings.push(s);
  }
  const shapes: string[][] = [];
  const shapeAt = new Map<string, number>();
  const encode = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const at = stringAt.get(v);
      if (at !== undefined) return `${REF}${at}`;
      return v.startsWith(REF) ? `${REF}${v}` : v;
    }
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length + 1);
      out[0] = -1;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        out[i + 1] = item === undefined ? null : encode(item);
      }
      return out;
    }
    if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      const keys: string[] = [];
      // Each key with its length in front: no key, whatever characters it holds, can make two shapes one.
      let id = '';
      for (const key in record) {
        if (!Object.hasOwn(record, key) || record[key] === undefined) continue;
        id += `${key.length}:${key}`;
        keys.push(key);
      }
      let shape = shapeAt.get(id);
      if (shape === undefined) {
        shape = shapes.length;
        shapeAt.set(id, shape);
        shapes.push(keys);
      }
      const out = new Array<unknown>(keys.length + 1);
      out[0] = shape;
      for (let i = 0; i < keys.length; i++) out[i + 1] = encode(record[keys[i] as string]);
      return out;
    }
    return v;
  };
  return { shapes, strings, value: encode(value) };
}

export function unpack(packed: Packed): unknown {
  const { shapes, strings } = packed;
  const decode = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.startsWith(REF)) return v;
      if (v.startsWith(REF, 1)) return v.slice(1);
      return strings[Number(v.slice(1))];
    }
    if (!Array.isArray(v)) return v;
    const head = v[0] as number;
    if (head === -1) {
      const out: unknown[] = new Array<unknown>(v.length - 1);
      for (let i = 1; i < v.length; i++) out[i - 1] = decode(v[i]);
      return out;
    }
    const keys = shapes[head] as readonly string[];
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i] as string] = decode(v[i + 1]);
    return out;
  };
  return decode(packed.value);
}
