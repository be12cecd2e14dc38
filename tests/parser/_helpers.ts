/** Shared helpers for the parser tests. */
import assert from "node:assert/strict";
import { parse } from "../../lib/parser.ts";
import { RuffSyntaxError, type SyntaxIssue } from "../../lib/errors.ts";
import type { Expr, Stmt } from "../../lib/ast.ts";

/** Removes `line`/`col` keys recursively, for shape comparisons. */
export function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== "line" && k !== "col") out[k] = strip(x);
    return out;
  }
  return v;
}

/** Parses and returns the statements. */
export function body(src: string): Stmt[] {
  return parse(src).body;
}

/** Parses a single expression statement and returns its expression. */
export function expr(src: string): Expr {
  const b = body(src);
  assert.equal(b.length, 1, `expected one statement in ${JSON.stringify(src)}`);
  const s = b[0];
  assert.equal(s.kind, "ExprStmt");
  return (s as { expr: Expr }).expr;
}

/** The value expression of `x := <src>`. */
export function value(src: string): Expr {
  const b = body(`x := ${src}`);
  assert.equal(b.length, 1);
  const s = b[0];
  assert.equal(s.kind, "Assign");
  return (s as { value: Expr }).value;
}

/** Parses `src`, expecting a syntax error; returns all issues. */
export function issues(src: string): SyntaxIssue[] {
  try {
    parse(src, "t.ruff");
  } catch (e) {
    if (e instanceof RuffSyntaxError) return e.issues;
    throw e;
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(src)}`);
}

/** Asserts that the first issue of `src` is `message` at `line:col`. */
export function err(src: string, message: string, line: number, col: number): void {
  const first = issues(src)[0];
  assert.deepEqual(
    { message: first.message, at: `${first.line}:${first.col}` },
    { message, at: `${line}:${col}` },
    `for source ${JSON.stringify(src)}`,
  );
}

/** Asserts that `src` parses. */
export function ok(src: string): void {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof RuffSyntaxError) {
      assert.fail(`unexpected syntax error in ${JSON.stringify(src)}:\n${e.format()}`);
    }
    throw e;
  }
}
