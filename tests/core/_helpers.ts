/**
 * Shared assertions for the core suite (tests-198.md, C1–C198). Every check keeps Int and
 * Float apart: an Int is a JS number or bigint, a Float an {@link RFloat} box.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  display,
  RArray,
  RDict,
  RError,
  RFloat,
  RStruct,
  run,
  type RunOptions,
  type RunResult,
  typeName,
  type Value,
} from "../../mod.ts";

export { assert };

/** Runs a Ruff program and returns the result, whatever happened. */
export function runRuff(source: string, options?: RunOptions): Promise<RunResult> {
  return run(source, options);
}

/** Runs a Ruff program and fails when it ended with an uncaught error. */
export async function runOk(source: string, options?: RunOptions): Promise<RunResult> {
  const r = await run(source, options);
  if (r.error) {
    assert.fail(
      `unexpected uncaught Ruff error: ${r.error.message} (line ${r.error.line})\n` +
        `stderr: ${r.errorText}\nsource:\n${source}`,
    );
  }
  return r;
}

/**
 * Quotes a host string as a Ruff string literal (for paths embedded in programs): backslashes,
 * double quotes, `$` and line breaks are escaped.
 */
export function ruffStr(s: string): string {
  return '"' +
    s.replace(
      /[\\"$\n\r\t]/g,
      (c) => c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : "\\" + c,
    ) +
    '"';
}

/** Line number (1-based) of the first source line containing `marker`. */
export function lineOf(source: string, marker: string): number {
  const i = source.split("\n").findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, `marker ${marker} not in source`);
  return i + 1;
}

function describe(v: Value | undefined): string {
  if (v === undefined) return "<unbound>";
  try {
    return `${typeName(v)} ${display(v)}`;
  } catch {
    return String(v);
  }
}

/** Reads global `name`, failing when it is unbound. */
export function getVar(r: RunResult, name: string): Value {
  const v = r.get(name);
  assert.ok(v !== undefined, `global '${name}' should be bound`);
  return v;
}

// ───────────────────────────── value-level checks ─────────────────────────────

/** Asserts that `v` is the Int `n` (never a Float). */
export function assertInt(v: Value | undefined, n: number | bigint, label = "value"): void {
  assert.ok(
    typeof v === "number" || typeof v === "bigint",
    `${label}: expected Int ${n}, got ${describe(v)}`,
  );
  assert.ok(v == n, `${label}: expected Int ${n}, got ${describe(v)}`);
}

/** Asserts that `v` is a Float within `tol` of `x`; returns its number. */
export function assertFloat(v: Value | undefined, x: number, tol = 0.001, label = "value"): number {
  assert.ok(v instanceof RFloat, `${label}: expected Float ${x}, got ${describe(v)}`);
  assert.ok(Math.abs(v.v - x) <= tol, `${label}: expected Float ${x} ±${tol}, got ${v.v}`);
  return v.v;
}

/** Asserts that `v` is a Float and returns its number. */
export function assertIsFloat(v: Value | undefined, label = "value"): number {
  assert.ok(v instanceof RFloat, `${label}: expected a Float, got ${describe(v)}`);
  return v.v;
}

/** Asserts that `v` is the String `s`. */
export function assertStr(v: Value | undefined, s: string, label = "value"): void {
  assert.equal(typeof v, "string", `${label}: expected String, got ${describe(v)}`);
  assert.equal(v, s, `${label}`);
}

/** Asserts that `v` is the Bool `b`. */
export function assertBool(v: Value | undefined, b: boolean, label = "value"): void {
  assert.equal(typeof v, "boolean", `${label}: expected Bool ${b}, got ${describe(v)}`);
  assert.equal(v, b, `${label}`);
}

/** Asserts that `v` is an array and returns its items. */
export function assertArray(v: Value | undefined, length?: number, label = "value"): Value[] {
  assert.ok(v instanceof RArray, `${label}: expected an array, got ${describe(v)}`);
  if (length !== undefined) assert.equal(v.items.length, length, `${label}: array length`);
  return v.items;
}

/** Asserts that `v` is an array of exactly these Ints. */
export function assertIntArray(v: Value | undefined, expected: number[], label = "value"): void {
  const items = assertArray(v, expected.length, label);
  expected.forEach((n, i) => assertInt(items[i], n, `${label}[${i}]`));
}

/** Asserts that `v` is an array of exactly these Strings. */
export function assertStrArray(v: Value | undefined, expected: string[], label = "value"): void {
  const items = assertArray(v, expected.length, label);
  expected.forEach((s, i) => assertStr(items[i], s, `${label}[${i}]`));
}

/** Asserts that `v` is a dict and returns its map. */
export function assertDict(v: Value | undefined, label = "value"): Map<string, Value> {
  assert.ok(v instanceof RDict, `${label}: expected a dict, got ${describe(v)}`);
  return v.map;
}

/** Asserts that `v` is an instance of struct `structName` and returns its fields. */
export function assertStruct(
  v: Value | undefined,
  structName: string,
  label = "value",
): Map<string, Value> {
  assert.ok(v instanceof RStruct, `${label}: expected a struct, got ${describe(v)}`);
  assert.equal(v.def.name, structName, `${label}: struct name`);
  return v.fields;
}

/** Asserts that `v` is an error value; checks its message exactly or by substring. */
export function assertErrorValue(
  v: Value | undefined,
  message?: string | { includes: string },
  label = "value",
): RError {
  assert.ok(v instanceof RError, `${label}: expected an error value, got ${describe(v)}`);
  if (typeof message === "string") assert.equal(v.message, message, `${label}: message`);
  else if (message) {
    assert.ok(
      v.message.includes(message.includes),
      `${label}: message ${JSON.stringify(v.message)} should contain ${message.includes}`,
    );
  }
  return v;
}

// ───────────────────────────── global-level checks ─────────────────────────────

/** Global `name` is the Int `n`. */
export function expectInt(r: RunResult, name: string, n: number | bigint): void {
  assertInt(r.get(name), n, name);
}

/** Global `name` is a Float within `tol` of `x`; returns its number. */
export function expectFloat(r: RunResult, name: string, x: number, tol = 0.001): number {
  return assertFloat(r.get(name), x, tol, name);
}

/** Global `name` is the String `s`. */
export function expectStr(r: RunResult, name: string, s: string): void {
  assertStr(r.get(name), s, name);
}

/** Global `name` is the Bool `b`. */
export function expectBool(r: RunResult, name: string, b: boolean): void {
  assertBool(r.get(name), b, name);
}

/** Global `name` is bound to `null`. */
export function expectNull(r: RunResult, name: string): void {
  assert.ok(r.has(name), `global '${name}' should be bound`);
  assert.equal(r.get(name), null, `${name} should be null`);
}

/** Global `name` is not bound. */
export function expectUndefined(r: RunResult, name: string): void {
  assert.equal(r.has(name), false, `global '${name}' should be unbound`);
  assert.equal(r.get(name), undefined, `global '${name}' should be unbound`);
}

/** Global `name` is an array (of `length` items when given); returns the items. */
export function expectArray(r: RunResult, name: string, length?: number): Value[] {
  return assertArray(r.get(name), length, name);
}

/** Global `name` is a dict; returns its map. */
export function expectDict(r: RunResult, name: string): Map<string, Value> {
  return assertDict(r.get(name), name);
}

/** Global `name` is an instance of struct `structName`; returns its fields. */
export function expectStruct(r: RunResult, name: string, structName: string): Map<string, Value> {
  return assertStruct(r.get(name), structName, name);
}

/** Global `name` is an error value (message checked exactly or by substring). */
export function expectErrorValue(
  r: RunResult,
  name: string,
  message?: string | { includes: string },
): RError {
  return assertErrorValue(r.get(name), message, name);
}

/** Global `name` holds a value whose `type()` is `type` (e.g. a handle such as a generator). */
export function expectType(r: RunResult, name: string, type: string): void {
  const v = getVar(r, name);
  assert.equal(typeName(v), type, `type of ${name}`);
}

/** The run ended with an uncaught error whose message is `message`; returns it. */
export function expectUncaught(
  r: RunResult,
  message: string | { includes: string },
): RError {
  assert.ok(r.error !== null, "the run should end with an uncaught error");
  return assertErrorValue(r.error, message, "uncaught error");
}

/** Creates a temporary directory, runs `body` with it and removes it afterwards. */
export async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ruff_core_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Joins a directory and a file name with the platform separator. */
export function joinPath(dir: string, name: string): string {
  const sep = Deno.build.os === "windows" ? "\\" : "/";
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** True when `path` exists on disk. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
