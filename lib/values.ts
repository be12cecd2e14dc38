/**
 * Run-time values of Ruff and the operations every stage shares on them: type names,
 * truthiness, equality, display and repr forms (LANGUAGE.md §3–§5).
 *
 * Representation:
 * - Int: a JS `number` holding an integer with |v| <= 2^53 - 1, or a `bigint` outside that
 *   range (always normalised: a bigint never holds a safe-range value).
 * - Float: an {@link RFloat} box, so that `2.0` and `2` stay apart.
 * - String: a JS string (positions are counted in code points by the operations).
 * - Bool: a JS boolean; null: `null`.
 * - Arrays, dicts and structs: {@link RArray}, {@link RDict}, {@link RStruct}, with value
 *   semantics by copy-on-write (see {@link share} and {@link unique}).
 * - Everything else: instances of the classes below.
 *
 * @module
 */

import type { FuncProto } from "./bytecode.ts";

/** Any Ruff value. */
export type Value =
  | number
  | bigint
  | string
  | boolean
  | null
  | RFloat
  | RArray
  | RDict
  | RStruct
  | REnum
  | RResult
  | ROption
  | RError
  | StructDef
  | EnumDef
  | Closure
  | NativeFn
  | BoundMethod
  | RSet
  | RQueue
  | RStack
  | RBytes
  | Handle;

/** A boxed Float. */
export class RFloat {
  /** Boxes the JS number `v` as a Float. */
  constructor(readonly v: number) {}
}

/** Builds a Float value. */
export function mkFloat(v: number): RFloat {
  return new RFloat(v);
}

/** True for Int values. */
export function isInt(v: Value): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

/** True for Float values. */
export function isFloat(v: Value): v is RFloat {
  return v instanceof RFloat;
}

/** True for Int or Float. */
export function isNumber(v: Value): v is number | bigint | RFloat {
  return typeof v === "number" || typeof v === "bigint" || v instanceof RFloat;
}

/** Numeric value of an Int or Float as a JS number (bigints rounded). */
export function toJsNumber(v: number | bigint | RFloat): number {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : v.v;
}

export const INT_MAX = 9223372036854775807n;
export const INT_MIN = -9223372036854775808n;

/** Normalises an exact integer: safe-range bigints become numbers. Does not range-check. */
export function normInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** True if the bigint fits in a signed 64-bit integer. */
export function fitsI64(b: bigint): boolean {
  return b >= INT_MIN && b <= INT_MAX;
}

// ───────────────────────────── copy-on-write containers ─────────────────────────────

/**
 * Base of the value-semantics containers. `refs` counts the places (variables, container
 * slots, fields, parameters) that have stored this object; a mutation through a place first
 * calls {@link unique}, which copies the container when anyone else may hold it.
 */
export abstract class Cow {
  /** Number of places that have stored this container. */
  refs = 0;
}

/**
 * Elements of an array kept as typed data (Int as i32 or i64, Float as f64, Bool as a byte)
 * in the JIT's WebAssembly memory, so compiled code reads and writes them in place
 * (`lib/jit/heap.ts`). Only the JIT creates stores; an array leaves this form as soon as
 * anything needs its elements as a JS array (see {@link RArray.items}).
 */
export interface ArrayStore {
  /** Address of the store's header in the JIT's memory. */
  readonly hp: number;
  /** Number of elements. */
  length(): number;
  /** The element at `k` (0 <= k < length()). */
  get(k: number): Value;
  /** Stores `v` at `k` (0 <= k < length()) when it fits the store; false (no change) when not. */
  set(k: number, v: Value): boolean;
  /** Appends `v` when it fits the store; false (no change) when not. */
  push(v: Value): boolean;
  /** Removes and returns the last element (length() > 0). */
  pop(): Value;
  /** The elements as values. */
  values(): Value[];
  /** A new array over an independent copy of the store, or null when memory runs out. */
  copy(): RArray | null;
  /** Gives the memory back; the store is not used again. */
  release(): void;
}

/** An array. */
export class RArray extends Cow {
  /** The elements as a JS array, or null while they live in {@link store}. */
  list: Value[] | null;
  /** The elements as typed data in the JIT's memory (set by the JIT), or null. */
  store: ArrayStore | null = null;
  /** Creates an array over `items` (not shared; see {@link arrayOf}). */
  constructor(items: Value[]) {
    super();
    this.list = items;
  }
  /**
   * The elements as a JS array. An array whose elements are in a {@link store} gets them back
   * as values first (the store is released), so callers may read and change the result freely.
   */
  get items(): Value[] {
    const l = this.list;
    return l !== null ? l : this.unstore();
  }
  set items(v: Value[]) {
    this.list = v;
    const st = this.store;
    if (st !== null) {
      this.store = null;
      st.release();
    }
  }
  /** Number of elements (without taking them out of a store). */
  get length(): number {
    const l = this.list;
    return l !== null ? l.length : this.store!.length();
  }
  /** The element at `k` (0 <= k < length), without taking the elements out of a store. */
  at(k: number): Value {
    const l = this.list;
    return l !== null ? l[k] : this.store!.get(k);
  }
  /** Appends `v` (stored in place in a store that can hold it, else in the JS array). */
  push(v: Value): void {
    const st = this.store;
    if (st === null || !st.push(v)) this.items.push(share(v));
  }
  /** Removes and returns the last element (length > 0). */
  pop(): Value {
    const st = this.store;
    return st !== null ? st.pop() : this.list!.pop()!;
  }
  /**
   * The elements, for reading only: the JS array itself, or a copy of a store's elements
   * (which stay in the store, so compiled code keeps using them in place).
   */
  view(): readonly Value[] {
    const l = this.list;
    return l !== null ? l : this.store!.values();
  }
  /** Takes the elements out of the store as a JS array (the store is released). */
  private unstore(): Value[] {
    const st = this.store!;
    const l = st.values();
    this.store = null;
    this.list = l;
    st.release();
    return l;
  }
}

/**
 * The VM's state while iterating over a sequence (`for x in ...`): the elements of a snapshot
 * taken when the loop began, either as a JS array (`items`) or, for an array whose elements are
 * in a store, that array itself (`a`, counted as one more place holding it, so that a change to
 * the original copies it first and the snapshot stays as it was).
 */
export interface ArrayIter {
  k: "arr";
  items: Value[] | null;
  a: RArray | null;
  /** Next position. */
  i: number;
}

/** Iteration state over a copy of `v`'s elements (see {@link ArrayIter}). */
export function arrayIter(v: RArray): ArrayIter {
  if (v.store !== null) {
    v.refs++;
    return { k: "arr", items: null, a: v, i: 0 };
  }
  return { k: "arr", items: v.items.slice(), a: null, i: 0 };
}

/** A dict: string keys; every observable order is sorted by key (LANGUAGE.md §3.7). */
export class RDict extends Cow {
  /** Creates a dict over `map` (values not shared; see {@link dictOf}). */
  constructor(public map: Map<string, Value> = new Map()) {
    super();
  }
  /** Keys in ascending code-point order. */
  sortedKeys(): string[] {
    return [...this.map.keys()].sort(compareCodePoints);
  }
}

/** A struct instance. Fields are exactly the declared ones. */
export class RStruct extends Cow {
  /** Creates an instance of `def` with the given field values. */
  constructor(public def: StructDef, public fields: Map<string, Value>) {
    super();
  }
}

/** Marks `v` as stored in one more place. Call whenever a value is stored into a place. */
export function share<T extends Value>(v: T): T {
  if (v instanceof Cow) v.refs++;
  return v;
}

/** Shallow copy of a container with its elements shared; the copy has `refs` 0. */
export function cloneCow<T extends Cow>(v: T): T {
  if (v instanceof RArray) {
    const st = v.store;
    if (st !== null) {
      const c = st.copy();
      if (c !== null) return c as unknown as T;
    }
    const items = v.items.slice();
    for (const x of items) if (x instanceof Cow) x.refs++;
    return new RArray(items) as unknown as T;
  }
  if (v instanceof RDict) {
    const m = new Map(v.map);
    for (const x of m.values()) if (x instanceof Cow) x.refs++;
    return new RDict(m) as unknown as T;
  }
  if (v instanceof RStruct) {
    const m = new Map(v.fields);
    for (const x of m.values()) if (x instanceof Cow) x.refs++;
    return new RStruct(v.def, m) as unknown as T;
  }
  const c = Object.create(Object.getPrototypeOf(v));
  Object.assign(c, v);
  c.refs = 0;
  return c;
}

/**
 * Returns a container safe to mutate in place: `v` itself when at most one place holds it,
 * otherwise a fresh copy (the caller stores the copy back into its place).
 */
export function unique<T extends Cow>(v: T): T {
  if (v.refs <= 1) return v;
  v.refs--;
  const c = cloneCow(v);
  c.refs = 1;
  return c;
}

/** Builds an array from values that may already live elsewhere (each one is shared). */
export function arrayOf(items: Value[]): RArray {
  for (const x of items) if (x instanceof Cow) x.refs++;
  return new RArray(items);
}

/** Builds a dict from entries whose values may already live elsewhere. */
export function dictOf(entries: Iterable<[string, Value]>): RDict {
  const m = new Map<string, Value>();
  for (const [k, x] of entries) {
    if (x instanceof Cow) x.refs++;
    m.set(k, x);
  }
  return new RDict(m);
}

// ───────────────────────────── other values ─────────────────────────────

/** The binding created by a `struct` declaration. */
export class StructDef {
  /** Methods by name: closures made when the declaration ran. */
  methods: Map<string, Closure> = new Map();
  /** Creates a struct definition with its name and declared field names. */
  constructor(readonly name: string, readonly fields: string[]) {}
}

/** The binding created by an `enum` declaration. */
export class EnumDef {
  /** Creates an enum definition with its name and variant names. */
  constructor(readonly name: string, readonly variants: string[]) {}
}

/** An enum value `E::V(payload…)`. Immutable. */
export class REnum {
  /** Creates the enum value `def::variant(payload…)`. */
  constructor(readonly def: EnumDef, readonly variant: string, readonly payload: Value[]) {}
}

/** `Ok(v)` / `Err(v)`. */
export class RResult {
  /** Creates `Ok(value)` when `ok` is true, else `Err(value)`. */
  constructor(readonly ok: boolean, readonly value: Value) {}
}

/** `Some(v)` / `None`. */
export class ROption {
  /** Creates `Some(value)` when `some` is true, else `None`. */
  constructor(readonly some: boolean, readonly value: Value) {}
  /** The shared `None` value. */
  static readonly NONE: ROption = new ROption(false, null);
}

/** An error value (LANGUAGE.md §11.4). */
export class RError {
  /** Creates an error value with its message, call stack, line, cause and location. */
  constructor(
    readonly message: string,
    readonly stack: string[] = [],
    readonly line = 0,
    readonly cause: Value = null,
    /** Column of the failing operation (not a Ruff-visible field). */
    readonly col = 0,
    /** File of the failing operation (not a Ruff-visible field). */
    readonly file = "",
  ) {}
}

/** A captured variable shared between a scope and its closures. */
export interface Upvalue {
  /** When open: the stack array and index of the variable; when closed: null. */
  stack: Value[] | null;
  /** Index of the variable in `stack` while the upvalue is open. */
  index: number;
  /** The value once closed. */
  value: Value;
}

/** A user function value: compiled prototype plus captured variables. */
export class Closure {
  /** Name for display and errors, overriding the prototype's (LANGUAGE.md §21.11). */
  name: string | null;
  /** Struct that declares this function as a method, if any. */
  owner: StructDef | null = null;
  /** Module global table the function resolves its free names in. */
  globals: unknown = null;
  /** Creates a closure of `proto` over the captured `upvalues`. */
  constructor(readonly proto: FuncProto, readonly upvalues: Upvalue[]) {
    this.name = proto.name;
  }
}

/** The context handed to natives. Implemented by the VM. */
export interface NativeContext {
  /** Calls any callable value with the arguments and returns its result (may raise). */
  call(fn: Value, args: Value[]): Value;
  /** Writes text to the program's stdout sink. */
  write(text: string): void;
  /** The arguments given after the file name (`args()`). */
  readonly argv: string[];
  /** The running program's file path, or `<string>`. */
  readonly file: string;
}

/** A native function's implementation. Returning a Promise suspends the calling task. */
export type NativeImpl = (args: Value[], ctx: NativeContext) => Value | Promise<Value>;

/** A built-in function value. */
export class NativeFn {
  /** Creates a native function with its name, accepted argument counts, implementation and doc text. */
  constructor(
    readonly name: string,
    /** Minimum number of arguments. */
    readonly minArgs: number,
    /** Maximum number of arguments (Infinity for variadic). */
    readonly maxArgs: number,
    readonly impl: NativeImpl,
    readonly doc = "",
  ) {}
}

/** `obj.method` without a call: calls the method on a copy of `obj` (no write-back). */
export class BoundMethod {
  /** Binds `method` of the struct `structName` to `receiver`. */
  constructor(readonly receiver: Value, readonly method: Closure, readonly structName: string) {}
}

/** An ordered set of unique values (by equality). */
export class RSet {
  /** Creates a set holding `items` (expected to be unique). */
  constructor(public items: Value[] = []) {}
}
/** A FIFO queue. */
export class RQueue {
  /** Creates a queue holding `items`, front first. */
  constructor(public items: Value[] = []) {}
}
/** A LIFO stack; `items` bottom first. */
export class RStack {
  /** Creates a stack holding `items`, bottom first. */
  constructor(public items: Value[] = []) {}
}
/** A byte string. */
export class RBytes {
  /** Wraps the bytes `data`. */
  constructor(public data: Uint8Array) {}
}

/** Base of every handle (reference-semantics) value; `typeName` is what `type()` returns. */
export abstract class Handle {
  /** The name `type()` returns for this handle. */
  abstract readonly typeName: string;
}

/** A generic library resource handle (image, database, server, …). */
export class Resource extends Handle {
  /** Creates a resource with its type name and library-specific payload. */
  constructor(readonly typeName: string, public payload: unknown) {
    super();
  }
}

// ───────────────────────────── type names and truthiness ─────────────────────────────

/** The name `type(v)` returns (LANGUAGE.md §3.1). */
export function typeName(v: Value): string {
  switch (typeof v) {
    case "number":
    case "bigint":
      return "int";
    case "string":
      return "string";
    case "boolean":
      return "bool";
  }
  if (v === null) return "null";
  if (v instanceof RFloat) return "float";
  if (v instanceof RArray) return "array";
  if (v instanceof RDict) return "dict";
  if (v instanceof RStruct) return "struct";
  if (v instanceof REnum) return "enum";
  if (v instanceof RResult) return "result";
  if (v instanceof ROption) return "option";
  if (v instanceof RError) return "error";
  if (v instanceof StructDef) return "structdef";
  if (v instanceof EnumDef) return "enumdef";
  if (v instanceof Closure || v instanceof NativeFn || v instanceof BoundMethod) {
    return "function";
  }
  if (v instanceof RSet) return "set";
  if (v instanceof RQueue) return "queue";
  if (v instanceof RStack) return "stack";
  if (v instanceof RBytes) return "bytes";
  if (v instanceof Handle) return v.typeName;
  return "unknown";
}

/** Truthiness (LANGUAGE.md §5.5). */
export function truthy(v: Value): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "number":
      return v !== 0;
    case "bigint":
      return true; // a normalised bigint is never zero
    case "string":
      return v.length > 0;
  }
  if (v === null) return false;
  if (v instanceof RFloat) return v.v !== 0;
  if (v instanceof RArray) return v.length > 0;
  if (v instanceof RDict) return v.map.size > 0;
  return true;
}

/** True for values that can be called. */
export function isCallable(v: Value): boolean {
  return v instanceof Closure || v instanceof NativeFn || v instanceof BoundMethod;
}

// ───────────────────────────── ordering helpers ─────────────────────────────

/** Compares two strings by code points (not UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) {
      // Only surrogates sort differently from code points; handle them exactly.
      if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) {
        const cx = a.codePointAt(i)!, cy = b.codePointAt(i)!;
        return cx < cy ? -1 : cx > cy ? 1 : 0;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

// ───────────────────────────── equality ─────────────────────────────

const EPS = 2.220446049250313e-16;

function floatEq(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) < EPS;
}

/** Structural equality of LANGUAGE.md §5.3 (without operator overloading). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) {
    return !(a instanceof RFloat) || !Number.isNaN(a.v);
  }
  const ta = typeof a, tb = typeof b;
  if (ta === "number" || ta === "bigint") {
    if (tb === "number" || tb === "bigint") return a == b; // normalised: mixed never equal
    if (b instanceof RFloat) return floatEq(Number(a), b.v);
    return false;
  }
  if (a instanceof RFloat) {
    if (b instanceof RFloat) return floatEq(a.v, b.v);
    if (tb === "number" || tb === "bigint") return floatEq(a.v, Number(b));
    return false;
  }
  if (ta !== "object" || tb !== "object" || a === null || b === null) return false;
  if (a instanceof RArray) {
    if (!(b instanceof RArray) || a.length !== b.length) return false;
    for (let i = 0, n = a.length; i < n; i++) {
      if (!valuesEqual(a.at(i), b.at(i))) return false;
    }
    return true;
  }
  if (a instanceof RDict) {
    if (!(b instanceof RDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) {
      if (!b.map.has(k) || !valuesEqual(v, b.map.get(k)!)) return false;
    }
    return true;
  }
  if (a instanceof RStruct) {
    if (!(b instanceof RStruct) || a.def.name !== b.def.name) return false;
    for (const [k, v] of a.fields) {
      if (!valuesEqual(v, b.fields.get(k) ?? null)) return false;
    }
    return a.fields.size === b.fields.size;
  }
  if (a instanceof REnum) {
    return b instanceof REnum && a.def.name === b.def.name && a.variant === b.variant &&
      a.payload.length === b.payload.length &&
      a.payload.every((x, i) => valuesEqual(x, b.payload[i]));
  }
  if (a instanceof RResult) {
    return b instanceof RResult && a.ok === b.ok && valuesEqual(a.value, b.value);
  }
  if (a instanceof ROption) {
    return b instanceof ROption && a.some === b.some && valuesEqual(a.value, b.value);
  }
  if (a instanceof RError) {
    return b instanceof RError && a.message === b.message && a.line === b.line &&
      a.stack.length === b.stack.length && a.stack.every((s, i) => s === b.stack[i]) &&
      valuesEqual(a.cause, b.cause);
  }
  if (a instanceof NativeFn) return b instanceof NativeFn && a.name === b.name;
  if (a instanceof RSet || a instanceof RQueue || a instanceof RStack) {
    return a.constructor === b.constructor &&
      a.items.length === (b as RSet).items.length &&
      a.items.every((x, i) => valuesEqual(x, (b as RSet).items[i]));
  }
  if (a instanceof RBytes) {
    return b instanceof RBytes && a.data.length === b.data.length &&
      a.data.every((x, i) => x === b.data[i]);
  }
  return false;
}

// ───────────────────────────── text forms ─────────────────────────────

/** Float text of LANGUAGE.md §4.3: shortest round-trip digits, never an exponent. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const s = String(x);
  if (!s.includes("e")) return s.endsWith(".0") ? s.slice(0, -2) : s;
  const [mant, expS] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const e = Number(expS) + 1; // |x| = 0.d1…dn × 10^e
  const n = digits.length;
  let body: string;
  if (e <= 0) body = "0." + "0".repeat(-e) + digits;
  else if (e < n) body = digits.slice(0, e) + "." + digits.slice(e);
  else body = digits + "0".repeat(e - n);
  return (x < 0 ? "-" : "") + body;
}

/** Display form (LANGUAGE.md §4.2): what `print`, `to_string` and `${}` produce. */
export function display(v: Value): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
    case "bigint":
      return String(v);
    case "boolean":
      return v ? "true" : "false";
  }
  return textOf(v, false);
}

/** Quoted (repr) form (LANGUAGE.md §4.4), used by the REPL echo. */
export function repr(v: Value): string {
  return textOf(v, true);
}

/** Quotes a string with `\n \t \r \\ \"` escaped. */
export function quoteString(s: string): string {
  return '"' +
    s.replace(
      /[\\"\n\t\r]/g,
      (c) => c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : "\\" + c,
    ) +
    '"';
}

function textOf(v: Value, quoted: boolean): string {
  const inner = (x: Value) => (quoted ? textOf(x, true) : display(x));
  switch (typeof v) {
    case "string":
      return quoted ? quoteString(v) : v;
    case "number":
    case "bigint":
      return String(v);
    case "boolean":
      return v ? "true" : "false";
  }
  if (v === null) return "null";
  if (v instanceof RFloat) return formatFloat(v.v);
  if (v instanceof RArray) return "[" + v.view().map(inner).join(", ") + "]";
  if (v instanceof RDict) {
    if (v.map.size === 0) return "{}";
    return "{" + v.sortedKeys().map((k) => `"${k}": ${inner(v.map.get(k)!)}`).join(", ") + "}";
  }
  if (v instanceof RStruct) {
    const names = [...v.fields.keys()].sort(compareCodePoints);
    if (names.length === 0) return `${v.def.name} {}`;
    return `${v.def.name} { ${names.map((n) => `${n}: ${inner(v.fields.get(n)!)}`).join(", ")} }`;
  }
  if (v instanceof REnum) {
    const base = `${v.def.name}::${v.variant}`;
    return v.payload.length ? `${base}(${v.payload.map(inner).join(", ")})` : base;
  }
  if (v instanceof RResult) return `${v.ok ? "Ok" : "Err"}(${inner(v.value)})`;
  if (v instanceof ROption) return v.some ? `Some(${inner(v.value)})` : "None";
  if (v instanceof RError) return `Error: ${v.message}`;
  if (v instanceof Closure) return v.name ? `<function ${v.name}>` : "<function>";
  if (v instanceof NativeFn) return `<native function: ${v.name}>`;
  if (v instanceof BoundMethod) return `<method ${v.structName}.${v.method.proto.name}>`;
  if (v instanceof StructDef) return `<struct ${v.name}>`;
  if (v instanceof EnumDef) return `<enum ${v.name}>`;
  if (v instanceof RSet) return "Set[" + v.items.map(inner).join(", ") + "]";
  if (v instanceof RQueue) return "Queue[" + v.items.map(inner).join(", ") + "]";
  if (v instanceof RStack) return "Stack[" + v.items.map(inner).join(", ") + "]";
  if (v instanceof RBytes) return `<bytes: ${v.data.length}>`;
  if (v instanceof Handle) return `<${v.typeName}>`;
  return "<unknown>";
}
