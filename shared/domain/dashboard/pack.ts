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
  const count = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length >= 4) counts.set(v, (counts.get(v) ?? 0) + 1);
    } else if (Array.isArray(v)) {
      for (const item of v) count(item);
    } else if (v !== null && typeof v === 'object') {
      for (const item of Object.values(v)) if (item !== undefined) count(item);
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
    if (Array.isArray(v)) return [-1, ...v.map((item: unknown) => (item === undefined ? null : encode(item)))];
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, item]) => item !== undefined);
      const keys = entries.map(([key]) => key);
      const id = keys.join('\u0000');
      let shape = shapeAt.get(id);
      if (shape === undefined) {
        shape = shapes.length;
        shapeAt.set(id, shape);
        shapes.push(keys);
      }
      return [shape, ...entries.map(([, item]) => encode(item))];
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
