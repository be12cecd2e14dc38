/**
 * Random natives (builtins.md §3.9). One process-wide generator: unseeded it draws from
 * `Math.random`; after `set_random_seed(n)` it is a xoshiro128** generator seeded from `n`, so
 * `random`, `random_int` and `random_choice` repeat the same sequence for the same seed (the
 * sequences differ from upstream's Rust generator). `clear_random_seed()` goes back to
 * unseeded randomness.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { mkFloat, normInt, RArray, RFloat, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";

/** xoshiro128** state, or null when unseeded. */
let state: Uint32Array | null = null;

function next32(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seeds the generator from a 64-bit integer (splitmix32 expands it into the state). */
export function seedRandom(seed: bigint): void {
  let x = Number(BigInt.asUintN(32, seed)) ^
    Math.imul(Number(BigInt.asUintN(32, seed >> 32n)), 0x9e3779b9);
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if (s.every((v) => v === 0)) s[0] = 1;
  state = s;
}

/** Back to unseeded randomness. */
export function clearSeed(): void {
  state = null;
}

/** A uniform Float in [0, 1) with 53 random bits. */
export function randomUnit(): number {
  if (state === null) return Math.random();
  const a = next32(state) >>> 5, b = next32(state) >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

/** 64 random bits. */
function random64(): bigint {
  if (state === null) {
    const buf = new Uint32Array(2);
    crypto.getRandomValues(buf);
    return (BigInt(buf[0]) << 32n) | BigInt(buf[1]);
  }
  const hi = next32(state), lo = next32(state);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** A uniform integer in [lo, hi] (inclusive). */
export function randomBetween(lo: bigint, hi: bigint): number | bigint {
  const span = hi - lo + 1n;
  if (span <= 9007199254740992n) {
    return normInt(lo + BigInt(Math.floor(randomUnit() * Number(span))));
  }
  // Wider than 2^53: combine two 64-bit draws (the bias is below 2^-64).
  const r = (random64() << 64n) | random64();
  return normInt(lo + (r % span));
}

/** Truncates an Int or Float argument to an integer (NaN → 0, saturating at the i64 range). */
function truncInt(v: Value | undefined): bigint | null {
  if (typeof v === "number") return BigInt(v);
  if (typeof v === "bigint") return v;
  if (v instanceof RFloat) {
    const x = v.v;
    if (Number.isNaN(x)) return 0n;
    if (x >= 9223372036854775807) return 9223372036854775807n;
    if (x <= -9223372036854775808) return -9223372036854775808n;
    return BigInt(Math.trunc(x));
  }
  return null;
}

const natives: NativeSpec[] = [
  {
    name: "random",
    params: "",
    min: 0,
    doc: "A uniform Float in [0, 1).",
    impl: () => mkFloat(randomUnit()),
  },
  {
    name: "random_int",
    params: "min, max",
    min: 2,
    doc: "A uniform Int in the inclusive range min..max (Floats are truncated).",
    impl: (args) => {
      const lo = truncInt(args[0]), hi = truncInt(args[1]);
      if (lo === null || hi === null) requires("random_int", "number arguments");
      if (lo > hi) throw new RuffError(`random_int() requires min <= max, got ${lo} and ${hi}`);
      return randomBetween(lo, hi);
    },
  },
  {
    name: "random_choice",
    params: "array",
    min: 1,
    doc: "A uniformly chosen element of the array (Int 0 for an empty array).",
    impl: (args) => {
      const a = args[0];
      if (!(a instanceof RArray)) requires("random_choice", "an array argument");
      if (a.items.length === 0) return 0;
      return a.items[Math.floor(randomUnit() * a.items.length)];
    },
  },
  {
    name: "set_random_seed",
    params: "seed",
    min: 1,
    doc: "Makes random, random_int and random_choice deterministic for this seed.",
    impl: (args) => {
      const s = truncInt(args[0]);
      if (s === null) requires("set_random_seed", "a number argument");
      seedRandom(s);
      return null;
    },
  },
  {
    name: "clear_random_seed",
    params: "",
    min: 0,
    doc: "Returns to non-deterministic randomness.",
    impl: () => {
      clearSeed();
      return null;
    },
  },
];

/** The random category. */
export const random: NativeCategory = { name: "random", natives };
