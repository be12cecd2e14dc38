/**
 * Arithmetic and comparison on Ruff numbers (LANGUAGE.md §3.3, §5.1, §5.4): checked 64-bit Int
 * arithmetic, Int/Float promotion, division and remainder rules. The VM inlines the common
 * small-Int cases and calls these for everything else.
 *
 * @module
 */

import { RuffError } from "./errors.ts";
import {
  compareCodePoints,
  fitsI64,
  isInt,
  normInt,
  RFloat,
  typeName,
  type Value,
} from "./values.ts";

const MAX_SAFE = 9007199254740991;

function big(v: number | bigint): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

function overflow(a: Value, op: string, b: Value): never {
  throw new RuffError(`Integer overflow: ${String(a)} ${op} ${String(b)}`);
}

/** Exact checked Int result from a bigint computation. */
function checked(r: bigint, a: number | bigint, op: string, b: number | bigint): number | bigint {
  if (!fitsI64(r)) overflow(a, op, b);
  return normInt(r);
}

function badBinary(a: Value, op: string, b: Value): never {
  throw new RuffError(`Invalid binary operation: ${typeName(a)} ${op} ${typeName(b)}`);
}

/** Float value of a number operand, or undefined when it is not a number. */
function fnum(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof RFloat) return v.v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

/** `a + b` */
export function add(a: Value, b: Value): Value {
  if (isInt(a) && isInt(b)) {
    if (typeof a === "number" && typeof b === "number") {
      const r = a + b;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
    }
    return checked(big(a) + big(b), a, "+", b);
  }
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (a instanceof RFloat || b instanceof RFloat) {
    const x = fnum(a), y = fnum(b);
    if (x !== undefined && y !== undefined) return new RFloat(x + y);
  }
  return badBinary(a, "+", b);
}

/** `a - b` */
export function sub(a: Value, b: Value): Value {
  if (isInt(a) && isInt(b)) {
    if (typeof a === "number" && typeof b === "number") {
      const r = a - b;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
    }
    return checked(big(a) - big(b), a, "-", b);
  }
  if (a instanceof RFloat || b instanceof RFloat) {
    const x = fnum(a), y = fnum(b);
    if (x !== undefined && y !== undefined) return new RFloat(x - y);
  }
  return badBinary(a, "-", b);
}

/** `a * b` */
export function mul(a: Value, b: Value): Value {
  if (isInt(a) && isInt(b)) {
    if (typeof a === "number" && typeof b === "number") {
      const r = a * b;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return r + 0;
    }
    return checked(big(a) * big(b), a, "*", b);
  }
  if (a instanceof RFloat || b instanceof RFloat) {
    const x = fnum(a), y = fnum(b);
    if (x !== undefined && y !== undefined) return new RFloat(x * y);
  }
  return badBinary(a, "*", b);
}

/** `a / b`: Int division truncates; a zero divisor raises. */
export function div(a: Value, b: Value): Value {
  if (isInt(a) && isInt(b)) {
    if (b === 0) throw new RuffError("Division by zero");
    if (typeof a === "number" && typeof b === "number" && Math.abs(a) < 4503599627370496) {
      return Math.trunc(a / b) + 0;
    }
    return checked(big(a) / big(b), a, "/", b);
  }
  if (a instanceof RFloat || b instanceof RFloat) {
    const x = fnum(a), y = fnum(b);
    if (x !== undefined && y !== undefined) {
      if (y === 0) throw new RuffError("Division by zero");
      return new RFloat(x / y);
    }
  }
  return badBinary(a, "/", b);
}

/** `a % b`: sign of the dividend; a zero divisor raises. */
export function mod(a: Value, b: Value): Value {
  if (isInt(a) && isInt(b)) {
    if (b === 0) throw new RuffError("Modulo by zero");
    if (typeof a === "number" && typeof b === "number") return (a % b) + 0;
    const bb = big(b);
    if (bb === -1n && big(a) === -9223372036854775808n) overflow(a, "%", b);
    return normInt(big(a) % bb);
  }
  if (a instanceof RFloat || b instanceof RFloat) {
    const x = fnum(a), y = fnum(b);
    if (x !== undefined && y !== undefined) {
      if (y === 0) throw new RuffError("Modulo by zero");
      return new RFloat(x % y);
    }
  }
  return badBinary(a, "%", b);
}

/** Unary `-`. */
export function neg(a: Value): Value {
  if (typeof a === "number") return a === 0 ? 0 : -a;
  if (typeof a === "bigint") {
    const r = -a;
    if (!fitsI64(r)) throw new RuffError(`Integer overflow: -(${a})`);
    return normInt(r);
  }
  if (a instanceof RFloat) return new RFloat(-a.v);
  throw new RuffError(`Invalid unary operation: - ${typeName(a)}`);
}

/** Ordering comparison; `op` is one of `< <= > >=`. */
export function compare(a: Value, b: Value, op: string): boolean {
  let c: number;
  if (isInt(a) && isInt(b)) {
    return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
  } else if (typeof a === "string" && typeof b === "string") {
    c = compareCodePoints(a, b);
  } else {
    const x = fnum(a), y = fnum(b);
    if (x === undefined || y === undefined) return badBinary(a, op, b);
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}
