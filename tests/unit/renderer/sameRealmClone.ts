/**
 * fake-indexeddb clones every value it stores and returns with Node's `structuredClone`, whose typed arrays and
 * ArrayBuffers belong to another realm than the test's under vitest's jsdom environment: `bytes instanceof
 * Uint8Array` is false there. A browser's IndexedDB answers in the page's own realm, and code relies on it: Dexie's
 * live-query cache passes typed arrays through only when their constructor is this realm's, and copies any other
 * object prop by prop, which turns a sealed row's bytes (renderer/data/sealed.ts) into an object that is no
 * Uint8Array. Here `structuredClone` gives typed arrays and ArrayBuffers of this realm, as a browser would.
 */
const cloneInNode = globalThis.structuredClone;

type TypedArrayConstructor = new (source: ArrayBufferView) => ArrayBufferView;

function inThisRealm(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (ArrayBuffer.isView(value)) {
    const own = (globalThis as unknown as Record<string, unknown>)[tag];
    if (typeof own !== 'function' || value instanceof own || tag === 'DataView') return value;
    // Copies the elements (a typed array's internal slots are read across realms).
    return new (own as TypedArrayConstructor)(value);
  }
  if (tag === 'ArrayBuffer') {
    return value instanceof ArrayBuffer ? value : new Uint8Array(value as ArrayBuffer).slice().buffer;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = inThisRealm(value[i]);
    return value;
  }
  if (tag === 'Object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = inThisRealm(record[key]);
  }
  return value;
}

globalThis.structuredClone = <T>(value: T, options?: StructuredSerializeOptions): T =>
  inThisRealm(cloneInNode(value, options)) as T;
