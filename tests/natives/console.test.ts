import assert from "node:assert/strict";
import { RuffError } from "../../lib/errors.ts";
import {
  arrayOf,
  dictOf,
  mkFloat,
  type NativeContext,
  NativeFn,
  RArray,
  RDict,
  RFloat,
  RQueue,
  RSet,
  RStack,
  type Value,
} from "../../lib/values.ts";
import { console_, setStdinReader } from "../../lib/runtime/console.ts";

let out = "";
const ctx: NativeContext = {
  call(f, args) {
    if (f instanceof NativeFn) return f.impl(args, ctx) as Value;
    throw new Error("only NativeFn callbacks in these tests");
  },
  write(t) {
    out += t;
  },
  argv: [],
  file: "<test>",
};
function run(name: string, ...args: Value[]): Value {
  const spec = console_.natives.find((n) => n.name === name);
  if (!spec) throw new Error(`no native ${name}`);
  return spec.impl(args, ctx) as Value;
}
/** A comparable plain form (ignores copy-on-write reference counts). */
function plain(v: Value): unknown {
  if (v instanceof RFloat) return { float: v.v };
  if (v instanceof RArray) return v.items.map(plain);
  if (v instanceof RDict) {
    return { dict: Object.fromEntries([...v.map].map(([k, x]) => [k, plain(x)])) };
  }
  if (v instanceof RSet || v instanceof RQueue || v instanceof RStack) {
    return { [v.constructor.name]: v.items.map(plain) };
  }
  return v;
}
function eq(name: string, args: Value[], expected: Value): void {
  assert.deepStrictEqual(plain(run(name, ...args)), plain(expected), `${name}(${args.length})`);
}
function fails(name: string, args: Value[], msg: string): void {
  assert.throws(
    () => run(name, ...args),
    (e: unknown) => e instanceof RuffError && e.message === msg,
    `${name} should raise: ${msg}`,
  );
}
const A = (...xs: Value[]) => arrayOf(xs);
const F = mkFloat;

/** Feeds `text` to `input` in chunks of `size` bytes. */
function feed(text: string, size = 3): void {
  const data = new TextEncoder().encode(text);
  let pos = 0;
  setStdinReader((buf) => {
    if (pos >= data.length) return null;
    const n = Math.min(size, buf.length, data.length - pos);
    buf.set(data.subarray(pos, pos + n));
    pos += n;
    return n;
  });
}

Deno.test("print writes display forms joined by spaces", () => {
  out = "";
  eq("print", [1, F(2), "x", true, null, A(1, "a"), dictOf([["k", F(0.5)]])], null);
  assert.equal(out, '1 2 x true null [1, a] {"k": 0.5}\n');
  out = "";
  run("print");
  assert.equal(out, "\n");
});

Deno.test("input reads lines, strips trailing whitespace, null at EOF", () => {
  feed("first line  \r\nsecond😀\n\nlast");
  out = "";
  eq("input", ["> "], "first line");
  assert.equal(out, "> ");
  eq("input", [], "second😀");
  eq("input", [], "");
  eq("input", [], "last");
  eq("input", [], null);
  eq("input", [], null);
  fails("input", [5], "input() requires a string prompt");
  feed("");
  eq("input", [], null);
});
