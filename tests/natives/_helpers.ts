/**
 * Shared helpers for the native-category tests in `tests/natives/*.test.ts`: a fake
 * `NativeContext`, a runner for one category's natives, comparison forms and value builders.
 * @module
 */
import assert from "node:assert/strict";
import { RuffError } from "../../lib/errors.ts";
import {
  arrayOf,
  dictOf,
  mkFloat,
  type NativeContext,
  NativeFn,
  RArray,
  RBytes,
  RDict,
  RFloat,
  RQueue,
  RSet,
  RStack,
  type Value,
} from "../../lib/values.ts";
import type { NativeCategory } from "../../lib/runtime/registry.ts";

/** A `NativeContext` for tests that also records everything written to stdout in `out`. */
export interface FakeContext extends NativeContext {
  /** Everything the natives wrote since it was last reset (tests may assign `""`). */
  out: string;
}

/**
 * Makes a fake context: `NativeFn` callbacks run directly (any other callable throws),
 * writes are appended to `out`, the program file is `<test>` and `args()` is `argv`.
 */
export function fakeContext(argv: string[] = []): FakeContext {
  const ctx: FakeContext = {
    out: "",
    call(f, args) {
      if (f instanceof NativeFn) return f.impl(args, ctx) as Value;
      throw new Error("only NativeFn callbacks in these tests");
    },
    write(t) {
      ctx.out += t;
    },
    argv,
    file: "<test>",
  };
  return ctx;
}

/** What {@linkcode harness} returns for one native category. */
export interface Harness {
  /** The context every native is called with. */
  ctx: FakeContext;
  /** Calls the native `name` of the category (a Promise for suspending natives). */
  run(name: string, ...args: Value[]): Value;
  /** Asserts that `name(...args)` returns a value whose {@linkcode plain} form equals `expected`'s. */
  eq(name: string, args: Value[], expected: Value): void;
  /** Asserts that `name(...args)` raises a `RuffError` with exactly the message `msg`. */
  fails(name: string, args: Value[], msg: string): void;
}

/** Builds a {@linkcode Harness} that runs `category`'s natives with a fresh {@linkcode fakeContext}. */
export function harness(category: NativeCategory, argv: string[] = []): Harness {
  const ctx = fakeContext(argv);
  const run = (name: string, ...args: Value[]): Value => {
    const spec = category.natives.find((n) => n.name === name);
    if (!spec) throw new Error(`no native ${name}`);
    return spec.impl(args, ctx) as Value;
  };
  return {
    ctx,
    run,
    eq(name, args, expected) {
      assert.deepStrictEqual(plain(run(name, ...args)), plain(expected), `${name}(${args.length})`);
    },
    fails(name, args, msg) {
      assert.throws(
        () => run(name, ...args),
        (e: unknown) => e instanceof RuffError && e.message === msg,
        `${name} should raise: ${msg}`,
      );
    },
  };
}

/**
 * A comparable plain form (ignores copy-on-write reference counts).
 * Tagged (default): Floats as `{ float: x }`, dicts as `{ dict: {...} }`, sets, queues and
 * stacks as `{ RSet: [...] }` etc. Loose: Floats as `{ f: x }`, dicts as plain objects and
 * bytes as `{ bytes: [...] }`; other collections are left as they are.
 */
export function plain(v: Value, loose = false): unknown {
  const rec = (x: Value) => plain(x, loose);
  if (v instanceof RFloat) return loose ? { f: v.v } : { float: v.v };
  if (v instanceof RArray) return v.items.map(rec);
  if (v instanceof RDict) {
    const o = Object.fromEntries([...v.map].map(([k, x]) => [k, rec(x)]));
    return loose ? o : { dict: o };
  }
  if (loose) return v instanceof RBytes ? { bytes: [...v.data] } : v;
  if (v instanceof RSet || v instanceof RQueue || v instanceof RStack) {
    return { [v.constructor.name]: v.items.map(rec) };
  }
  return v;
}

/** The loose {@linkcode plain} form: Floats as `{ f: x }`, dicts as objects, bytes as arrays. */
export const plainLoose = (v: Value): unknown => plain(v, true);

/** Asserts that `f` raises a `RuffError` whose message is `msg` (or matches it). */
export function throwsMsg(f: () => unknown, msg: string | RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof RuffError, `expected a RuffError, got ${e}`);
    if (typeof msg === "string") assert.equal(e.message, msg);
    else assert.match(e.message, msg);
    return true;
  });
}

/** An array value of the arguments. */
export const A = (...xs: Value[]): RArray => arrayOf(xs);
/** A Float value. */
export const F: (x: number) => RFloat = mkFloat;
/** A dict value of an object's entries (in order). */
export const d = (o: Record<string, Value>): RDict => dictOf(Object.entries(o));
/** A one-argument `NativeFn` callback. */
export const fn1 = (f: (x: Value) => Value): NativeFn => new NativeFn("cb", 1, 1, (a) => f(a[0]));
