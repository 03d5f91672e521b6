/**
 * A compact JSON form of plain JSON values, for the figure rows kept on disk (docs/dashboard-model.md, "figure
 * rows"): tens of thousands of records share a few object shapes, many strings (days, categories, names, grid ids)
 * and many whole values (who reported, the assignee, a state's earlier fields: `{status: 'assigned', closed: null}`),
 * so the keys of each shape, each repeated string and each repeated object or array are written once.
 * `unpack(pack(v))` equals `v` for every JSON value (what `JSON.parse(JSON.stringify(v))` gives).
 *
 * - an object is `[shape, ...values]`, its keys in `shapes[shape]`; an array is `[-1, ...items]`;
 * - an object or array (not empty) met at least twice is `[-2, n]`, `values[n]` being its form: unpacking makes it
 *   once and gives the same object wherever it stood, frozen (the rows are never changed once made; a reader that
 *   tried would throw rather than change every record sharing it);
 * - a string of at least 4 characters met at least twice is `"~<n>"`, `strings[n]` being the string; any other
 *   string starting with `~` is written with a second `~` in front;
 * - numbers, booleans and null are themselves.
 *
 * Rows packed before `values` existed have none and unpack as they did.
 */

export interface Packed {
  readonly shapes: readonly (readonly string[])[];
  readonly strings: readonly string[];
  /** The forms of the objects and arrays met more than once (`[-2, n]`); absent in rows packed before them. */
  readonly values?: readonly unknown[];
  readonly value: unknown;
}

const REF = '~';
const REF_CODE = 126; // '~'
const ARRAY = -1;
const SHARED = -2;

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

  // First every object and array is interned by its form, its own objects and arrays standing as `[-2, node]`: the
  // same content is the same node, and `uses` counts where each stands in the whole value.
  const nodes: unknown[][] = [];
  const nodeAt = new Map<string, number>();
  const uses: number[] = [];
  const intern = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const at = stringAt.get(v);
      if (at !== undefined) return `${REF}${at}`;
      return v.startsWith(REF) ? `${REF}${v}` : v;
    }
    if (v === null || typeof v !== 'object') return v;
    let form: unknown[];
    if (Array.isArray(v)) {
      form = [ARRAY, ...v.map((item: unknown) => (item === undefined ? null : intern(item)))];
    } else {
      const entries = Object.entries(v).filter(([, item]) => item !== undefined);
      const keys = entries.map(([key]) => key);
      const id = keys.join('\u0000');
      let shape = shapeAt.get(id);
      if (shape === undefined) {
        shape = shapes.length;
        shapeAt.set(id, shape);
        shapes.push(keys);
      }
      form = [shape, ...entries.map(([, item]) => intern(item))];
    }
    const key = JSON.stringify(form);
    let node = nodeAt.get(key);
    if (node === undefined) {
      node = nodes.length;
      nodeAt.set(key, node);
      nodes.push(form);
      uses.push(0);
    }
    uses[node] = (uses[node] ?? 0) + 1;
    return [SHARED, node];
  };

  // Then written out: a node standing more than once (and not empty) once in `values`, every other in place.
  const values: unknown[] = [];
  const valueAt = new Map<number, number>();
  const isNode = (v: unknown): v is [number, number] => Array.isArray(v) && v[0] === SHARED;
  const write = (v: unknown): unknown => {
    if (!isNode(v)) return v;
    const node = v[1];
    const form = nodes[node] as unknown[];
    if ((uses[node] ?? 0) < 2 || form.length < 2) return written(form);
    let at = valueAt.get(node);
    if (at === undefined) {
      at = values.length;
      valueAt.set(node, at);
      values.push(null);
      values[at] = written(form);
    }
    return [SHARED, at];
  };
  const written = (form: readonly unknown[]): unknown[] => [form[0], ...form.slice(1).map(write)];
  const top = write(intern(value));
  return values.length === 0 ? { shapes, strings, value: top } : { shapes, strings, values, value: top };
}

export function unpack(packed: Packed): unknown {
  const { shapes, strings } = packed;
  const values = packed.values ?? [];
  const made: unknown[] = new Array<unknown>(values.length);
  const decode = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.charCodeAt(0) !== REF_CODE) return v;
      if (v.charCodeAt(1) === REF_CODE) return v.slice(1);
      return strings[+v.slice(1)];
    }
    if (!Array.isArray(v)) return v;
    const head = v[0] as number;
    if (head === ARRAY) {
      const out: unknown[] = new Array<unknown>(v.length - 1);
      for (let i = 1; i < v.length; i++) out[i - 1] = decode(v[i]);
      return out;
    }
    if (head === SHARED) {
      const at = v[1] as number;
      let shared = made[at];
      if (shared === undefined) made[at] = shared = Object.freeze(decode(values[at]));
      return shared;
    }
    const keys = shapes[head] as readonly string[];
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i] as string] = decode(v[i + 1]);
    return out;
  };
  return decode(packed.value);
}
