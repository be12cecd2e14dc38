/**
 * Array and range natives (builtins.md §3.4). All are pure: they return new arrays and never
 * modify an argument. Callbacks may be any callable; results are tested with truthiness.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import {
  arrayOf,
  dictOf,
  isCallable,
  type NativeContext,
  normInt,
  RArray,
  RDict,
  RFloat,
  truthy,
  typeName,
  type Value,
  valuesEqual,
} from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { addInt, arr, deepEqual, intFromNumber, keyOf, requires, whole } from "./args.ts";

/** Largest array `range` will build. */
const MAX_RANGE = 100_000_000;

function isNum(v: Value): v is number | bigint | RFloat {
  return typeof v === "number" || typeof v === "bigint" || v instanceof RFloat;
}

/** Numeric comparison of Int/Float values (exact for Ints; NaN sorts last). */
function compareNums(a: number | bigint | RFloat, b: number | bigint | RFloat): number {
  const x = a instanceof RFloat ? a.v : a;
  const y = b instanceof RFloat ? b.v : b;
  const nx = typeof x === "number" && Number.isNaN(x),
    ny = typeof y === "number" && Number.isNaN(y);
  if (nx || ny) return nx === ny ? 0 : nx ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders by code points. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Code-point order equals UTF-16 order except around surrogates.
  const ca = Array.from(a), cb = Array.from(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    if (ca[i] !== cb[i]) return ca[i].codePointAt(0)! < cb[i].codePointAt(0)! ? -1 : 1;
  }
  return ca.length - cb.length;
}

/** The sorted copy of `items` used by `sort` (numbers numerically, strings by code point). */
export function sortValues(items: Value[], name = "sort"): Value[] {
  const out = items.slice();
  if (out.length < 2) return out;
  if (out.every(isNum)) {
    return out.sort((a, b) => compareNums(a as number, b as number));
  }
  if (out.every((v) => typeof v === "string")) {
    const fast = !out.some((s) => /[\uD800-\uDFFF]/.test(s as string));
    return out.sort((a, b) => {
      const x = a as string, y = b as string;
      return fast ? (x < y ? -1 : x > y ? 1 : 0) : compareStrings(x, y);
    });
  }
  const kinds = [...new Set(out.map(typeName))].join(", ");
  throw new RuffError(
    `${name}() requires an array of numbers or an array of strings (got ${kinds})`,
  );
}

/**
 * Normalises an index like array indexing does (negative counts from the end) for a position
 * that may equal `len` when `allowEnd`; raises `Index out of bounds: <i>` otherwise.
 */
function position(i: number | bigint, len: number, allowEnd: boolean): number {
  const n = Number(i);
  const p = n < 0 ? n + len : n;
  if (p < 0 || p > len || (!allowEnd && p === len)) {
    throw new RuffError(`Index out of bounds: ${i}`);
  }
  return p;
}

/** A higher-order native `name(array, …, fn)`: checks the array and the callable. */
function hof(
  name: string,
  params: string,
  min: number,
  what: string,
  doc: string,
  body: (items: Value[], f: Value, args: Value[], ctx: NativeContext) => Value,
): NativeSpec {
  return {
    name,
    params,
    min,
    doc,
    impl: (args, ctx) => {
      const a = args[0];
      const f = args[min - 1];
      if (!(a instanceof RArray) || !isCallable(f)) requires(name, what);
      return body(a.view().slice(), f, args, ctx);
    },
  };
}

/** An Int-or-Float argument as an exact bigint (Floats truncated toward zero). */
function rangeArg(v: Value): bigint {
  if (typeof v === "number" || typeof v === "bigint") return BigInt(v);
  if (v instanceof RFloat) return BigInt(intFromNumber(v.v));
  return requires("range", "numeric arguments");
}

function rangeImpl(args: Value[]): Value {
  const ns = args.map(rangeArg);
  let start = 0n, stop: bigint, step = 1n;
  if (ns.length === 1) stop = ns[0];
  else [start, stop] = ns;
  if (ns.length === 3) step = ns[2];
  if (step === 0n) throw new RuffError("range() step cannot be zero");
  let count = 0n;
  if (step > 0n && start < stop) count = (stop - start + step - 1n) / step;
  else if (step < 0n && start > stop) count = (start - stop - step - 1n) / -step;
  if (count > BigInt(MAX_RANGE)) throw new RuffError("range() result is too large");
  const n = Number(count);
  const out: Value[] = new Array(n);
  const safe = start >= -9007199254740991n && start <= 9007199254740991n &&
    stop >= -9007199254740991n && stop <= 9007199254740991n;
  if (safe) {
    const s0 = Number(start), st = Number(step);
    for (let i = 0; i < n; i++) out[i] = s0 + i * st;
  } else {
    for (let i = 0; i < n; i++) out[i] = normInt(start + BigInt(i) * step);
  }
  return arrayOf(out);
}

function sumImpl(args: Value[]): Value {
  const a = arr("sum", args, 0);
  let ints: number | bigint = 0;
  let float: number | null = null; // set once a Float has been seen
  for (const x of a.view()) {
    if (typeof x === "number" || typeof x === "bigint") {
      if (float === null) ints = addInt(ints, x);
      else float += Number(x);
    } else if (x instanceof RFloat) {
      float = (float === null ? Number(ints) : float) + x.v;
    }
  }
  return float === null ? ints : new RFloat(float);
}

/** Splits into consecutive slices of `size`. */
function chunks(items: Value[], size: number): Value {
  if (size <= 0) return arrayOf([arrayOf(items)]);
  const out: Value[] = [];
  for (let i = 0; i < items.length; i += size) out.push(arrayOf(items.slice(i, i + size)));
  return arrayOf(out);
}

export const arrays: NativeCategory = {
  name: "arrays",
  natives: [
    {
      name: "push",
      params: "arr, item",
      min: 2,
      doc: "A copy of the array with the item appended.",
      impl: (args) => arrayOf([...arr("push", args, 0).view(), args[1]]),
    },
    {
      name: "append",
      params: "arr, item",
      min: 2,
      doc: "Alias of push.",
      impl: (args) => arrayOf([...arr("append", args, 0).view(), args[1]]),
    },
    {
      name: "pop",
      params: "arr",
      min: 1,
      doc: "The pair [array without its last element, that element] (0 when empty).",
      impl: (args) => {
        const items = arr("pop", args, 0).items;
        if (items.length === 0) return arrayOf([arrayOf([]), 0]);
        return arrayOf([arrayOf(items.slice(0, -1)), items[items.length - 1]]);
      },
    },
    {
      name: "slice",
      params: "arr, start, end",
      min: 2,
      max: 3,
      doc: "Elements [start, end) of an array (or code points of a string).",
      impl: (args) => {
        const what = "an array and integer bounds";
        const v = args[0];
        const isStr = typeof v === "string";
        if (!(v instanceof RArray) && !isStr) requires("slice", what);
        const items: Value[] = isStr ? Array.from(v) : (v as RArray).items;
        const len = items.length;
        const bound = (i: number, dflt: number): number => {
          const b = args[i];
          if (b === undefined) return dflt;
          if (typeof b !== "number" && typeof b !== "bigint") requires("slice", what);
          // Negative bounds behave as huge unsigned values (builtins.md §3.4).
          return b < 0 ? len : Math.min(Number(b), len);
        };
        const start = bound(1, 0);
        const end = Math.max(bound(2, len), start);
        const part = items.slice(start, end);
        return isStr ? part.join("") : arrayOf(part);
      },
    },
    {
      name: "concat",
      params: "a, b",
      min: 2,
      doc: "The elements of a followed by those of b.",
      impl: (args) => {
        const a = arr("concat", args, 0, "2 array arguments");
        const b = arr("concat", args, 1, "2 array arguments");
        return arrayOf([...a.view(), ...b.view()]);
      },
    },
    {
      name: "insert",
      params: "arr, index, item",
      min: 3,
      doc: "A copy with item inserted before index (negative counts from the end).",
      impl: (args) => {
        const a = arr("insert", args, 0, "3 arguments: array, index, and item");
        const idx = whole("insert", args, 1, "an integer index");
        const items = a.items.slice();
        items.splice(position(idx, items.length, true), 0, args[2]);
        return arrayOf(items);
      },
    },
    {
      name: "remove",
      params: "collection, x",
      min: 2,
      doc: "Array: copy without the first element equal to x. Dict: [dict without key, value].",
      impl: (args) => {
        const c = args[0];
        if (c instanceof RArray) {
          const items = c.items.slice();
          const i = items.findIndex((v) => valuesEqual(v, args[1]));
          if (i >= 0) items.splice(i, 1);
          return arrayOf(items);
        }
        if (c instanceof RDict) {
          const k = keyOf(args[1]);
          if (k === null) requires("remove", "a string key for a dict");
          const removed = c.map.has(k) ? c.map.get(k)! : 0;
          const d = dictOf([...c.map].filter(([kk]) => kk !== k));
          return arrayOf([d, removed]);
        }
        return requires("remove", "an array or dict as first argument");
      },
    },
    {
      name: "remove_at",
      params: "arr, index",
      min: 2,
      doc: "The pair [array without element index, that element].",
      impl: (args) => {
        const a = arr("remove_at", args, 0, "2 arguments: array and index");
        const idx = whole("remove_at", args, 1, "an integer index");
        const items = a.items.slice();
        const [gone] = items.splice(position(idx, items.length, false), 1);
        return arrayOf([arrayOf(items), gone]);
      },
    },
    {
      name: "clear",
      params: "x",
      min: 1,
      doc: "An empty array (for an array) or an empty dict (for a dict).",
      impl: (args) => {
        if (args[0] instanceof RArray) return arrayOf([]);
        if (args[0] instanceof RDict) return dictOf([]);
        return requires("clear", "an array or dict argument");
      },
    },
    hof(
      "map",
      "arr, fn",
      2,
      "an array and a function",
      "Applies fn to every element.",
      (items, f, _a, ctx) => arrayOf(items.map((x) => ctx.call(f, [x]))),
    ),
    hof(
      "filter",
      "arr, fn",
      2,
      "an array and a function",
      "Keeps the elements for which fn returns a truthy value.",
      (items, f, _a, ctx) => arrayOf(items.filter((x) => truthy(ctx.call(f, [x])))),
    ),
    hof(
      "reduce",
      "arr, initial, fn",
      3,
      "an array, an initial value, and a function",
      "Folds the array: acc := fn(acc, element), starting from initial.",
      (items, f, args, ctx) => {
        let acc = args[1];
        for (const x of items) acc = ctx.call(f, [acc, x]);
        return acc;
      },
    ),
    hof(
      "find",
      "arr, fn",
      2,
      "an array and a function",
      "The first element for which fn is truthy, or 0.",
      (items, f, _a, ctx) => {
        for (const x of items) if (truthy(ctx.call(f, [x]))) return x;
        return 0;
      },
    ),
    hof(
      "any",
      "arr, fn",
      2,
      "an array and a function",
      "True when fn is truthy for some element.",
      (items, f, _a, ctx) => items.some((x) => truthy(ctx.call(f, [x]))),
    ),
    hof(
      "all",
      "arr, fn",
      2,
      "an array and a function",
      "True when fn is truthy for every element.",
      (items, f, _a, ctx) => items.every((x) => truthy(ctx.call(f, [x]))),
    ),
    {
      name: "sort",
      params: "arr",
      min: 1,
      doc: "Sorted copy: numbers numerically, strings by code point (stable).",
      impl: (args) => arrayOf(sortValues(arr("sort", args, 0).view().slice())),
    },
    {
      name: "reverse",
      params: "arr",
      min: 1,
      doc: "Reversed copy.",
      impl: (args) => arrayOf(arr("reverse", args, 0).view().slice().reverse()),
    },
    {
      name: "unique",
      params: "arr",
      min: 1,
      doc: "Copy keeping the first occurrence of each value.",
      impl: (args) => {
        const out: Value[] = [];
        for (const x of arr("unique", args, 0).items) {
          if (!out.some((y) => deepEqual(x, y))) out.push(x);
        }
        return arrayOf(out);
      },
    },
    {
      name: "sum",
      params: "arr",
      min: 1,
      doc: "Sum of the numbers (Int unless a Float is present; other elements ignored).",
      impl: sumImpl,
    },
    {
      name: "chunk",
      params: "arr, size",
      min: 2,
      doc: "Consecutive slices of the given size.",
      impl: (args) => {
        const a = arr("chunk", args, 0, "2 arguments: array and size");
        return chunks(a.items, whole("chunk", args, 1, "a numeric size"));
      },
    },
    {
      name: "flatten",
      params: "arr",
      min: 1,
      doc: "Flattens one level of nested arrays.",
      impl: (args) => {
        const out: Value[] = [];
        for (const x of arr("flatten", args, 0).items) {
          if (x instanceof RArray) out.push(...x.items);
          else out.push(x);
        }
        return arrayOf(out);
      },
    },
    {
      name: "zip",
      params: "a, b",
      min: 2,
      doc: "Pairs [a[i], b[i]] up to the shorter length.",
      impl: (args) => {
        const a = arr("zip", args, 0, "2 array arguments").items;
        const b = arr("zip", args, 1, "2 array arguments").items;
        const n = Math.min(a.length, b.length);
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(arrayOf([a[i], b[i]]));
        return arrayOf(out);
      },
    },
    {
      name: "enumerate",
      params: "arr",
      min: 1,
      doc: "Pairs [index, element].",
      impl: (args) => arrayOf(arr("enumerate", args, 0).view().map((x, i) => arrayOf([i, x]))),
    },
    {
      name: "take",
      params: "arr, n",
      min: 2,
      doc: "The first n elements.",
      impl: (args) => {
        const a = arr("take", args, 0, "2 arguments: array and count");
        const n = whole("take", args, 1, "a numeric count");
        return arrayOf(n <= 0 ? [] : a.items.slice(0, n));
      },
    },
    {
      name: "skip",
      params: "arr, n",
      min: 2,
      doc: "All but the first n elements.",
      impl: (args) => {
        const a = arr("skip", args, 0, "2 arguments: array and count");
        const n = whole("skip", args, 1, "a numeric count");
        return arrayOf(n <= 0 ? a.items.slice() : a.items.slice(n));
      },
    },
    {
      name: "windows",
      params: "arr, size",
      min: 2,
      doc: "All contiguous windows of the given size.",
      impl: (args) => {
        const items = arr("windows", args, 0, "2 arguments: array and size").items;
        const size = whole("windows", args, 1, "a numeric size");
        const out: Value[] = [];
        if (size > 0) {
          for (let i = 0; i + size <= items.length; i++) {
            out.push(arrayOf(items.slice(i, i + size)));
          }
        }
        return arrayOf(out);
      },
    },
    {
      name: "range",
      params: "start, stop, step",
      min: 1,
      max: 3,
      doc: "Array of Ints: range(stop), range(start, stop) or range(start, stop, step).",
      impl: rangeImpl,
    },
  ],
};
