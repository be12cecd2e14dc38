/**
 * The JIT's WebAssembly memory, shared by every unit of the process, and the typed array
 * stores that live in it.
 *
 * Layout: the bytes below {@link HEAP_BASE} are the JIT's fixed areas (flags, the OSR entry
 * area, exit records; see `codegen.ts`); above it, blocks handed out by a small allocator
 * (power-of-two size classes with free lists, bump allocation, `memory.grow` when full).
 *
 * A *store* keeps an array's elements as typed data so compiled code reads, writes and pushes
 * them in place instead of calling into JavaScript per element. Its 16-byte header:
 *
 * | offset | field                                                           |
 * | ------ | --------------------------------------------------------------- |
 * | 0      | length (elements, i32)                                          |
 * | 4      | capacity of the data block (bytes, i32)                         |
 * | 8      | address of the data block (i32)                                 |
 * | 12     | element kind: 9 Int (i32), 1 Int (i64), 2 Float (f64), 3 Bool (byte), 0 none yet |
 *
 * Compiled code caches the header address; the data block moves when it grows (the `agrow`
 * import), so code reads its address from the header at each access. An {@link RArray} holds
 * its store until anything needs the elements as JS values ({@link RArray.items}); the store is
 * then released. Stores of arrays that are garbage-collected are released by a finalizer.
 *
 * @module
 */

import { type ArrayStore, normInt, RArray, RFloat, type Value } from "../values.ts";
import { E_INT32, K_BOOL, K_FLOAT, K_INT } from "./kinds.ts";

/** Pages (64 KiB) below the heap: the JIT's fixed areas. */
export const FIXED_PAGES = 96;
/** First byte of the heap. */
export const HEAP_BASE = FIXED_PAGES * 65536;
/** Bytes of a store header. */
export const HDR_BYTES = 16;
/** Largest data block of one store (bytes). */
const MAX_BLOCK = 2 ** 30;
/** End of the heap (bytes). */
const MAX_HEAP = 2 ** 31;
/** Smallest size class (2^4 = 16 bytes). */
const MIN_CLASS = 4;
const MAX_SAFE = 9007199254740991;
const TWO32 = 4294967296;
/**
 * Times an array may be turned into a store. An array that keeps going back and forth between
 * compiled code and JavaScript that needs its elements as values (each way copies every
 * element) stays a JS array, and the compiled code that wanted it leaves to the VM.
 */
const MAX_CONVERSIONS = 8;

/** Views of the memory; replaced whenever it grows. */
export interface Views {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  i32: Int32Array;
  f64: Float64Array;
  i64: BigInt64Array;
}

let memory: WebAssembly.Memory | null = null;
const V: Views = {
  buffer: new ArrayBuffer(0),
  u8: new Uint8Array(0),
  i32: new Int32Array(0),
  f64: new Float64Array(0),
  i64: new BigInt64Array(0),
};
/** Next unallocated byte. */
let bump = HEAP_BASE;
/** Free blocks by size class. */
const free: number[][] = [];
/** Size class of each allocated block, by address. */
const classOf = new Map<number, number>();
const conversions = new WeakMap<RArray, number>();

function refresh(): void {
  const buf = memory!.buffer as ArrayBuffer;
  V.buffer = buf;
  V.u8 = new Uint8Array(buf);
  V.i32 = new Int32Array(buf);
  V.f64 = new Float64Array(buf);
  V.i64 = new BigInt64Array(buf);
}

/** The process's JIT memory (created on first use). */
export function jitMemory(): WebAssembly.Memory {
  if (memory === null) {
    memory = new WebAssembly.Memory({ initial: FIXED_PAGES });
    refresh();
  }
  return memory;
}

/** Current views of the JIT memory (the object stays; its fields change when memory grows). */
export function views(): Views {
  jitMemory();
  return V;
}

/** Size class of a block of `bytes` bytes. */
function sizeClass(bytes: number): number {
  let c = MIN_CLASS;
  while (1 << c < bytes) c++;
  return c;
}

/** Makes the memory reach byte `end`; false when it cannot. */
function reach(end: number): boolean {
  // Addresses stay below 2^31, so JS can shift them as 32-bit integers.
  if (end > MAX_HEAP) return false;
  if (end <= V.buffer.byteLength) return true;
  const have = V.buffer.byteLength / 65536;
  const need = Math.ceil(end / 65536) - have;
  // Grow by at least a quarter of the current size, so that many small growths stay cheap.
  const pages = Math.max(need, Math.min(Math.ceil(have / 4), MAX_HEAP / 65536 - have));
  try {
    memory!.grow(pages);
  } catch {
    try {
      memory!.grow(need);
    } catch {
      return false;
    }
  }
  refresh();
  return true;
}

/** A block of at least `bytes` bytes, 16-byte aligned; 0 when memory cannot grow. */
export function alloc(bytes: number): number {
  jitMemory();
  if (bytes > MAX_BLOCK) return 0;
  const c = sizeClass(bytes);
  const list = free[c];
  if (list !== undefined && list.length > 0) {
    const p = list.pop()!;
    classOf.set(p, c);
    return p;
  }
  const end = bump + (1 << c);
  if (end > V.buffer.byteLength) {
    // Memory never shrinks: rather than grow it, take a larger free block.
    const p = takeFree(c + 1);
    if (p !== 0) return p;
  }
  if (!reach(end)) return 0;
  const p = bump;
  bump = end;
  classOf.set(p, c);
  return p;
}

/**
 * Grows block `p` to at least `bytes` bytes where it lies, when it is the last block of the
 * heap (a growing array usually is). False when it is not, or memory runs out.
 */
function extend(p: number, bytes: number): boolean {
  const c = classOf.get(p);
  if (c === undefined || p + (1 << c) !== bump || bytes > MAX_BLOCK) return false;
  const nc = sizeClass(bytes);
  // Memory never shrinks: rather than grow it, move to a free block at least that large (the
  // copy costs less than the memory would: the stores of a program run again and again in one
  // process took new memory on every run).
  if (p + (1 << nc) > V.buffer.byteLength && hasFree(nc)) return false;
  if (!reach(p + (1 << nc))) return false;
  bump = p + (1 << nc);
  classOf.set(p, nc);
  return true;
}

/** The smallest class, `c` or larger, with a free block; -1 if none. */
function freeClass(c: number): number {
  for (let k = c; k < free.length; k++) if ((free[k]?.length ?? 0) > 0) return k;
  return -1;
}

/** True when a free block of class `c` or larger exists. */
function hasFree(c: number): boolean {
  return freeClass(c) >= 0;
}

/** The smallest free block of class `c` or larger, taken off its list (it keeps its class); 0 if none. */
function takeFree(c: number): number {
  const k = freeClass(c);
  if (k < 0) return 0;
  const p = free[k].pop()!;
  classOf.set(p, k);
  return p;
}

/** Returns a block from {@link alloc}. */
export function release(p: number): void {
  const c = classOf.get(p);
  if (c === undefined) return;
  classOf.delete(p);
  (free[c] ??= []).push(p);
}

/** Bytes per element of kind `k`. */
function elemSize(k: number): number {
  return k === K_BOOL ? 1 : k === E_INT32 ? 4 : 8;
}

/** Kind of a value as a store element (Ints: the narrowest; 0: it cannot be one). */
function kindOf(v: Value): number {
  return typeof v === "number"
    ? (v <= 2147483647 && v >= -2147483648 ? E_INT32 : K_INT)
    : typeof v === "bigint"
    ? K_INT
    : v instanceof RFloat
    ? K_FLOAT
    : typeof v === "boolean"
    ? K_BOOL
    : 0;
}

/**
 * Element-kind hint of an array: its store's kind, or for a JS array the kind shared by a
 * sample of its elements ({@link E_INT32} for Ints that fit in 32 bits, also for an empty
 * array; 0 when mixed).
 */
export function elemHint(a: RArray): number {
  if (a.store !== null) return storeKind(a) || E_INT32;
  const items = a.list!;
  const n = items.length;
  if (n === 0) return E_INT32;
  const step = Math.max(1, Math.floor(n / 16));
  let k = 0;
  for (let i = 0; i < n; i += step) {
    const vk = kindOf(items[i]);
    if (vk === 0) return 0;
    if (k === 0 || fits(vk, k)) k = k || vk;
    else if (fits(k, vk)) k = vk;
    else return 0;
  }
  return k;
}

/** True when a value of kind `vk` (from {@link kindOf}) can be an element of a store of `kind`. */
function fits(vk: number, kind: number): boolean {
  return vk === kind || (vk === E_INT32 && kind === K_INT);
}

/** Writes an Int to the 8-byte cell `at8`: two 32-bit halves, BigInt only beyond 2^53. */
export function writeInt(at8: number, v: number | bigint): void {
  if (typeof v === "bigint") {
    V.i64[at8] = v;
    return;
  }
  const hi = Math.floor(v / TWO32);
  V.i32[at8 * 2] = v - hi * TWO32;
  V.i32[at8 * 2 + 1] = hi;
}

/** Reads the Int in the 8-byte cell `at8`: a number when it is safe, else a bigint. */
export function readInt(at8: number): number | bigint {
  const hi = V.i32[at8 * 2 + 1];
  if (hi >= -0x200000 && hi < 0x200000) {
    const v = hi * TWO32 + (V.i32[at8 * 2] >>> 0);
    if (v <= MAX_SAFE && v >= -MAX_SAFE) return v;
  }
  return normInt(V.i64[at8]);
}

const finalizer = new FinalizationRegistry<number>((hp) => freeStore(hp));

function freeStore(hp: number): void {
  release(V.i32[(hp >> 2) + 2]);
  release(hp);
}

/**
 * Makes the data block of store `hp` hold at least `bytes` bytes (doubling). False when memory
 * runs out (the store is unchanged).
 */
export function growStore(hp: number, bytes: number): boolean {
  const h = hp >> 2;
  const cap = V.i32[h + 1];
  if (bytes <= cap) return true;
  let want = Math.max(cap * 2, 64);
  while (want < bytes) want *= 2;
  const old = V.i32[h + 2];
  // (A block taken larger than asked for may already be large enough.)
  if (1 << (classOf.get(old) ?? 0) >= want || extend(old, want)) {
    V.i32[h + 1] = want;
    return true;
  }
  const d = alloc(want);
  if (d === 0) return false;
  const used = V.i32[h] * elemSize(V.i32[h + 3]);
  V.u8.copyWithin(d, old, old + used);
  release(old);
  V.i32[h + 1] = want;
  V.i32[h + 2] = d;
  return true;
}

/**
 * Turns the 32-bit Int elements of store `hp` into 64-bit ones (a larger Int is being stored).
 * Only the VM does this, never while compiled code runs (which may hold the layout). False
 * when memory runs out.
 */
function widen(hp: number): boolean {
  const h = hp >> 2;
  const n = V.i32[h];
  const d = alloc(Math.max(64, n * 8));
  if (d === 0) return false;
  const old = V.i32[h + 2];
  const i32 = V.i32;
  for (let k = 0; k < n; k++) {
    const v = i32[(old >> 2) + k];
    i32[(d >> 2) + 2 * k] = v;
    i32[(d >> 2) + 2 * k + 1] = v < 0 ? -1 : 0;
  }
  release(old);
  V.i32[h + 1] = Math.max(64, n * 8);
  V.i32[h + 2] = d;
  V.i32[h + 3] = K_INT;
  return true;
}

/** The typed elements of one array (see the module doc). */
class TypedStore implements ArrayStore {
  constructor(readonly hp: number) {}

  length(): number {
    return V.i32[this.hp >> 2];
  }

  get(k: number): Value {
    const h = this.hp >> 2;
    const d = V.i32[h + 2];
    switch (V.i32[h + 3]) {
      case E_INT32:
        return V.i32[(d >> 2) + k];
      case K_INT:
        return readInt((d >> 3) + k);
      case K_FLOAT:
        return new RFloat(V.f64[(d >> 3) + k]);
      default:
        return V.u8[d + k] !== 0;
    }
  }

  set(k: number, v: Value): boolean {
    const h = this.hp >> 2;
    let kind = V.i32[h + 3];
    const vk = kindOf(v);
    if (!fits(vk, kind)) {
      if (!(vk === K_INT && kind === E_INT32 && widen(this.hp))) return false;
      kind = K_INT;
    }
    const d = V.i32[h + 2];
    if (kind === E_INT32) V.i32[(d >> 2) + k] = v as number;
    else if (kind === K_INT) writeInt((d >> 3) + k, v as number | bigint);
    else if (kind === K_FLOAT) V.f64[(d >> 3) + k] = (v as RFloat).v;
    else V.u8[d + k] = v ? 1 : 0;
    return true;
  }

  push(v: Value): boolean {
    const h = this.hp >> 2;
    const n = V.i32[h];
    const vk = kindOf(v);
    if (vk === 0) return false;
    if (n === 0 && !fits(vk, V.i32[h + 3])) V.i32[h + 3] = vk;
    if (!growStore(this.hp, (n + 1) * elemSize(V.i32[h + 3]))) return false;
    V.i32[h] = n + 1;
    if (this.set(n, v)) return true;
    V.i32[h] = n;
    return false;
  }

  pop(): Value {
    const h = this.hp >> 2;
    const n = V.i32[h] - 1;
    const v = this.get(n);
    V.i32[h] = n;
    return v;
  }

  values(): Value[] {
    const h = this.hp >> 2;
    const n = V.i32[h];
    const d = V.i32[h + 2];
    const out: Value[] = new Array(n);
    switch (V.i32[h + 3]) {
      case E_INT32: {
        const i32 = V.i32;
        for (let k = 0; k < n; k++) out[k] = i32[(d >> 2) + k];
        break;
      }
      case K_INT:
        for (let k = 0; k < n; k++) out[k] = readInt((d >> 3) + k);
        break;
      case K_FLOAT: {
        const f64 = V.f64;
        for (let k = 0; k < n; k++) out[k] = new RFloat(f64[(d >> 3) + k]);
        break;
      }
      default: {
        const u8 = V.u8;
        for (let k = 0; k < n; k++) out[k] = u8[d + k] !== 0;
      }
    }
    return out;
  }

  copy(): RArray | null {
    const h = this.hp >> 2;
    const kind = V.i32[h + 3];
    const bytes = V.i32[h] * elemSize(kind);
    const st = newStore(kind, bytes);
    if (st === null) return null;
    const nh = st.hp >> 2;
    const src = V.i32[h + 2];
    V.u8.copyWithin(V.i32[nh + 2], src, src + bytes);
    V.i32[nh] = V.i32[h];
    return adopt(st);
  }

  release(): void {
    finalizer.unregister(this);
    freeStore(this.hp);
  }
}

/** A new empty store of `kind` with room for `bytes` bytes; null when memory runs out. */
function newStore(kind: number, bytes: number): TypedStore | null {
  const hp = alloc(HDR_BYTES);
  if (hp === 0) return null;
  const cap = Math.max(64, bytes);
  const d = alloc(cap);
  if (d === 0) {
    release(hp);
    return null;
  }
  const h = hp >> 2;
  V.i32[h] = 0;
  V.i32[h + 1] = cap;
  V.i32[h + 2] = d;
  V.i32[h + 3] = kind;
  return new TypedStore(hp);
}

/** A new array over `st` (its finalizer releases the store). */
function adopt(st: TypedStore): RArray {
  const a = new RArray([]);
  a.list = null;
  a.store = st;
  finalizer.register(a, st.hp, st);
  return a;
}

/**
 * The header address of `a`'s store for elements of kind `kind`, for compiled code about to
 * use it with that layout. A JS array whose elements all fit that kind becomes a store first
 * (Ints that do not all fit in 32 bits become a 64-bit store, so that the next compile finds
 * that kind, but this request fails). A store without a kind yet takes `kind`; an existing
 * one is never changed here (compiled code further up may be using its layout). 0 when the
 * kinds differ, memory runs out, or the array has been converted too often.
 */
export function storeOf(a: RArray, kind: number): number {
  const st = a.store;
  if (st !== null) {
    const h = st.hp >> 2;
    const k = V.i32[h + 3];
    if (k === kind) return st.hp;
    if (k !== 0) return 0;
    V.i32[h + 3] = kind;
    return st.hp;
  }
  const items = a.list!;
  const n = items.length;
  let make = kind;
  for (let i = 0; i < n; i++) {
    const vk = kindOf(items[i]);
    if (fits(vk, make)) continue;
    if (make === E_INT32 && vk === K_INT) make = K_INT;
    else return 0;
  }
  const times = conversions.get(a) ?? 0;
  if (times >= MAX_CONVERSIONS) return 0;
  const made = newStore(make, n * elemSize(make));
  if (made === null) return 0;
  conversions.set(a, times + 1);
  const h = made.hp >> 2;
  const d = V.i32[h + 2];
  if (make === E_INT32) {
    const i32 = V.i32;
    for (let i = 0; i < n; i++) i32[(d >> 2) + i] = items[i] as number;
  } else if (make === K_INT) {
    for (let i = 0; i < n; i++) writeInt((d >> 3) + i, items[i] as number | bigint);
  } else if (make === K_FLOAT) {
    const f64 = V.f64;
    for (let i = 0; i < n; i++) f64[(d >> 3) + i] = (items[i] as RFloat).v;
  } else {
    const u8 = V.u8;
    for (let i = 0; i < n; i++) u8[d + i] = items[i] ? 1 : 0;
  }
  V.i32[h] = n;
  a.list = null;
  a.store = made;
  finalizer.register(a, made.hp, made);
  return make === kind ? made.hp : 0;
}

/** Element kind of an array's store (0: none yet or not a store). */
export function storeKind(a: RArray): number {
  const st = a.store;
  return st === null ? 0 : V.i32[(st.hp >> 2) + 3];
}

/** End of the last block ever handed out (for tests). */
export function heapTop(): number {
  return bump;
}

/** Bytes in use by the heap's blocks (for tests). */
export function heapInUse(): number {
  let n = 0;
  for (const c of classOf.values()) n += 1 << c;
  return n;
}
