/**
 * Math natives (builtins.md §3.2). Every function returns a Float, also for Int input
 * (`abs(-5)` is Float 5, which prints as `5`). `PI` and `E` are constants, not functions.
 *
 * @module
 */

import { mkFloat, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { num } from "./args.ts";

/** The math constants bound in the built-in scope. */
export const constants: Record<string, Value> = {
  PI: mkFloat(Math.PI),
  E: mkFloat(Math.E),
};

/** Rounds half away from zero (Rust's `f64::round`). */
export function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const frac = x - t; // exact for doubles
  if (frac >= 0.5) return t + 1;
  if (frac <= -0.5) return t - 1;
  return t;
}

function unary(name: string, doc: string, f: (x: number) => number): NativeSpec {
  return {
    name,
    params: "x",
    min: 1,
    doc,
    impl: (args) => mkFloat(f(num(name, args, 0, "a numeric argument"))),
  };
}

/** Real power with C/Rust `pow` special cases (`pow(1, NaN)` and `pow(-1, ±inf)` are 1). */
export function powf(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** IEEE minNum / maxNum: a NaN operand yields the other operand. */
export function pick(a: number, b: number, max: boolean): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return max ? Math.max(a, b) : Math.min(a, b);
}

function binary(name: string, doc: string, f: (a: number, b: number) => number): NativeSpec {
  return {
    name,
    params: "a, b",
    min: 2,
    doc,
    impl: (args) => {
      const a = num(name, args, 0, "numeric arguments");
      const b = num(name, args, 1, "numeric arguments");
      return mkFloat(f(a, b));
    },
  };
}

export const math: NativeCategory = {
  name: "math",
  natives: [
    unary("abs", "Absolute value (Float).", Math.abs),
    unary("sqrt", "Square root (Float); NaN for negative input.", Math.sqrt),
    unary("floor", "Largest integral Float not above x.", Math.floor),
    unary("ceil", "Smallest integral Float not below x.", Math.ceil),
    unary("round", "Nearest integral Float, halves away from zero.", roundHalfAway),
    unary("sin", "Sine of an angle in radians.", Math.sin),
    unary("cos", "Cosine of an angle in radians.", Math.cos),
    unary("tan", "Tangent of an angle in radians.", Math.tan),
    unary("log", "Natural logarithm.", Math.log),
    unary("exp", "e raised to the power x.", Math.exp),
    binary("pow", "a raised to the power b (Float).", powf),
    binary("min", "The smaller of two numbers (Float).", (a, b) => pick(a, b, false)),
    binary("max", "The larger of two numbers (Float).", (a, b) => pick(a, b, true)),
  ],
};
