/**
 * Argument helpers shared by the native categories: typed accessors that raise
 * `<name>() requires <what>` (LANGUAGE.md §15.2) when an argument is missing or has the wrong
 * type, code-point string helpers, exact Int helpers and the Debug text used in messages.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import {
  BoundMethod,
  Closure,
  EnumDef,
  fitsI64,
  formatFloat,
  Handle,
  INT_MAX,
  INT_MIN,
  isCallable,
  NativeFn,
  normInt,
  RArray,
  RBytes,
  RDict,
  REnum,
  RError,
  RFloat,
  ROption,
  RQueue,
  RResult,
  RSet,
  RStack,
  RStruct,
  StructDef,
  typeName,
  type Value,
  valuesEqual,
} from "../values.ts";
import { requires } from "./registry.ts";

export { requires };

// ───────────────────────────── typed accessors ─────────────────────────────

/** The `i`-th argument as a string. */
export function str(name: string, args: Value[], i: number, what = "a string argument"): string {
  const v = args[i];
  if (typeof v !== "string") requires(name, what);
  return v;
}

/** The `i`-th argument as an Int (number or bigint). */
export function int(
  name: string,
  args: Value[],
  i: number,
  what = "an integer argument",
): number | bigint {
  const v = args[i];
  if (typeof v !== "number" && typeof v !== "bigint") requires(name, what);
  return v;
}

/** The `i`-th argument (Int or Float) as a JS number. */
export function num(name: string, args: Value[], i: number, what = "a numeric argument"): number {
  const v = args[i];
  if (typeof v === "number") return v;
  if (v instanceof RFloat) return v.v;
  if (typeof v === "bigint") return Number(v);
  return requires(name, what);
}

/**
 * The `i`-th argument as a whole JS number for positions and counts: Int as is (bigints become
 * ±Infinity-free large numbers), Float truncated toward zero, NaN as 0.
 */
export function whole(name: string, args: Value[], i: number, what = "a numeric argument"): number {
  const v = args[i];
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof RFloat) return Number.isNaN(v.v) ? 0 : Math.trunc(v.v);
  return requires(name, what);
}

/** The `i`-th argument as an array. */
export function arr(name: string, args: Value[], i: number, what = "an array argument"): RArray {
  const v = args[i];
  if (!(v instanceof RArray)) requires(name, what);
  return v;
}

/** The `i`-th argument as a dict. */
export function dict(name: string, args: Value[], i: number, what = "a dict argument"): RDict {
  const v = args[i];
  if (!(v instanceof RDict)) requires(name, what);
  return v;
}

/** The `i`-th argument, which must be callable. */
export function fn(name: string, args: Value[], i: number, what = "a function argument"): Value {
  const v = args[i];
  if (v === undefined || !isCallable(v)) requires(name, what);
  return v;
}

/** A dict key: strings as is, Ints as decimal text (LANGUAGE.md §3.7); otherwise null. */
export function keyOf(v: Value | undefined): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return null;
}

/** The `i`-th argument as a dict key. */
export function key(name: string, args: Value[], i: number, what = "a string key"): string {
  const k = keyOf(args[i]);
  if (k === null) requires(name, what);
  return k;
}

// ───────────────────────────── numbers ─────────────────────────────

/** Converts a whole JS number to an Int, saturating at the i64 limits (NaN → 0). */
export function intFromNumber(x: number): number | bigint {
  if (Number.isNaN(x)) return 0;
  const t = Math.trunc(x);
  if (Number.isSafeInteger(t)) return t === 0 ? 0 : t;
  if (t >= 9223372036854775807) return INT_MAX;
  if (t <= -9223372036854775808) return INT_MIN;
  return normInt(BigInt(t));
}

/** Checked Int addition: raises `Integer overflow: a + b`. */
export function addInt(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === "number" && typeof b === "number") {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  if (!fitsI64(r)) throw new RuffError(`Integer overflow: ${a} + ${b}`);
  return normInt(r);
}

// ───────────────────────────── strings ─────────────────────────────

/** True when `s` contains UTF-16 surrogates (so code-point positions differ from units). */
export function hasSurrogates(s: string): boolean {
  return /[\uD800-\uDFFF]/.test(s);
}

/** Number of code points in `s`. */
export function cpLen(s: string): number {
  // The regular expression scans natively (at once for a string V8 holds as Latin-1): on the
  // 1.7 MB string of bench/programs/string_build.ruff, 0.1 ms instead of 2-4 ms for the loop.
  if (!hasSurrogates(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The code points of `s` as one-character strings. */
export function chars(s: string): string[] {
  return Array.from(s);
}

/** Unicode White_Space (Rust's `char::is_whitespace`; U+FEFF is not included). */
export const WS_CLASS = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
  "\\u202f\\u205f\\u3000";
const WS_RE = new RegExp(`^[${WS_CLASS}]$`);
/** Patterns over Unicode properties, made on first use (each costs ~0.1 ms to create). */
let alnumRe: RegExp | null = null;
let upperRe: RegExp | null = null;

/** True when the one-code-point string `c` is Unicode whitespace. */
export function isSpace(c: string): boolean {
  return WS_RE.test(c);
}
/** True when `c` is alphabetic or numeric (Rust's `char::is_alphanumeric`). */
export function isAlnum(c: string): boolean {
  return (alnumRe ??= /^[\p{Alphabetic}\p{N}]$/u).test(c);
}
/** True when `c` has the Unicode Uppercase property. */
export function isUpper(c: string): boolean {
  return (upperRe ??= /^\p{Uppercase}$/u).test(c);
}

const TRIM_START = new RegExp(`^[${WS_CLASS}]+`);
const TRIM_END = new RegExp(`[${WS_CLASS}]+$`);
/** Strips Unicode whitespace from the start. */
export function trimStart(s: string): string {
  return s.replace(TRIM_START, "");
}
/** Strips Unicode whitespace from the end. */
export function trimEnd(s: string): string {
  return s.replace(TRIM_END, "");
}
/** Strips Unicode whitespace from both ends. */
export function trim(s: string): string {
  return trimEnd(trimStart(s));
}

// ───────────────────────────── equality ─────────────────────────────

/**
 * Deep equality of builtins.md §0.5 (Set operations, `unique`, `assert_equal`,
 * `assert_contains`): like `==` except that an Int never equals a Float.
 */
export function deepEqual(a: Value, b: Value): boolean {
  const ia = typeof a === "number" || typeof a === "bigint";
  const ib = typeof b === "number" || typeof b === "bigint";
  if (ia !== ib) return false;
  if (a instanceof RArray) {
    if (!(b instanceof RArray) || a.items.length !== b.items.length) return false;
    return a.items.every((x, i) => deepEqual(x, b.items[i]));
  }
  if (a instanceof RDict) {
    if (!(b instanceof RDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) {
      if (!b.map.has(k) || !deepEqual(v, b.map.get(k)!)) return false;
    }
    return true;
  }
  if ((a instanceof RFloat) !== (b instanceof RFloat)) return false;
  return valuesEqual(a, b);
}

// ───────────────────────────── debug text ─────────────────────────────

/** Rust-style escaping of a string inside `Str("…")`. */
export function rustEscape(s: string): string {
  let out = "";
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (cp === 0) out += "\\0";
    else if (cp < 0x20 || cp === 0x7f) out += `\\u{${cp.toString(16)}}`;
    else out += c;
  }
  return out;
}

/**
 * The short Debug form of builtins.md §0.4, used inside error messages (`format`,
 * `assert_equal`, `assert_contains`): `Int(5)`, `Float(2.5)`, `Str("x")`, `Array[3]` (length
 * only), `Dict{2 keys}`, …
 */
export function debugForm(v: Value): string {
  switch (typeof v) {
    case "number":
    case "bigint":
      return `Int(${v})`;
    case "string":
      return `Str("${rustEscape(v)}")`;
    case "boolean":
      return `Bool(${v})`;
  }
  if (v === null) return "Null";
  if (v instanceof RFloat) return `Float(${formatFloat(v.v)})`;
  if (v instanceof RArray) return `Array[${v.items.length}]`;
  if (v instanceof RDict) return `Dict{${v.map.size} keys}`;
  if (v instanceof RSet) return `Set{${v.items.length} items}`;
  if (v instanceof RQueue) return `Queue(${v.items.length} items)`;
  if (v instanceof RStack) return `Stack(${v.items.length} items)`;
  if (v instanceof RBytes) return `Bytes(${v.data.length} bytes)`;
  if (v instanceof NativeFn) return `NativeFunction(${v.name})`;
  if (v instanceof Closure) return v.name ? `Function(${v.name})` : "Function";
  if (v instanceof BoundMethod) return `Function(${v.structName}.${v.method.proto.name})`;
  if (v instanceof RError) return `Error(${v.message})`;
  if (v instanceof RResult) return `${v.ok ? "Ok" : "Err"}(${debugForm(v.value)})`;
  if (v instanceof ROption) return v.some ? `Some(${debugForm(v.value)})` : "None";
  if (v instanceof RStruct) return `Struct(${v.def.name})`;
  if (v instanceof StructDef) return `StructDef(${v.name})`;
  if (v instanceof EnumDef) return `EnumDef(${v.name})`;
  if (v instanceof REnum) {
    const base = `${v.def.name}::${v.variant}`;
    return v.payload.length ? `${base}(${v.payload.map(debugForm).join(", ")})` : base;
  }
  if (v instanceof Handle) return capitalised(v.typeName);
  return capitalised(typeName(v));
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
