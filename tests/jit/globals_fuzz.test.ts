/**
 * Differential tests of top-level loops over globals: random programs whose loops read and
 * write Int, Float and Bool globals (changing their kinds, overflowing, breaking out, pushing
 * to and writing a global array, calling a function that reads a global) run with the JIT off
 * and in three JIT configurations; output, errors, exit code and the final globals must agree.
 * Loop units keep such globals in locals between their doors, exits and pauses (codegen.ts,
 * `promoted`), so every way out of a unit is exercised.
 *
 * Environment: `RUFF_FUZZ_SEED` (an integer; default 7), `RUFF_GFUZZ_COUNT` (programs, default
 * 400).
 *
 * @module
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { run } from "../../mod.ts";

const SEED = Number(Deno.env.get("RUFF_FUZZ_SEED") ?? 7) || 7;
const COUNT = Number(Deno.env.get("RUFF_GFUZZ_COUNT") ?? 400);
const GLOBALS = ["g0", "g1", "g2", "g3", "fl", "bo"];
const CONFIGS = [{ threshold: 1 }, { threshold: 10 }, { threshold: 10, pauseBudget: 1 }];

/** A small seeded generator (a linear congruential one is enough here). */
class Gen {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s * 1103515245 + 12345) % 2147483648;
    return this.s / 2147483648;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

const NUMERIC = ["g0", "g1", "g2", "g3", "fl"];
const LITERALS = [
  "0",
  "1",
  "3",
  "-5",
  "1000000",
  "9007199254740990",
  "4611686018427387904",
  "2.5",
  "-0.5",
];

/** A numeric expression (it may overflow, or mix Ints and Floats; it divides by constants only). */
function expr(g: Gen, d: number): string {
  if (d <= 0 || g.next() < 0.3) return g.next() < 0.6 ? g.pick(NUMERIC) : g.pick(LITERALS);
  if (g.next() < 0.2) {
    return `(${expr(g, d - 1)} ${g.pick(["/", "%"])} ${g.pick(["3", "-7", "2.5"])})`;
  }
  return `(${expr(g, d - 1)} ${g.pick(["+", "-", "*"])} ${expr(g, d - 1)})`;
}

function cond(g: Gen): string {
  return g.next() < 0.2
    ? g.pick(["bo", "!bo"])
    : `${expr(g, 1)} ${g.pick(["<", ">", "==", "!="])} ${expr(g, 1)}`;
}

function stmt(g: Gen, d: number): string {
  const r = g.next();
  if (r < 0.3) return `${g.pick(NUMERIC)} = ${expr(g, 2)}`;
  if (r < 0.36) return `bo = ${cond(g)}`;
  if (r < 0.55) return `${g.pick(NUMERIC)} ${g.pick(["+=", "-=", "*="])} ${expr(g, 1)}`;
  if (r < 0.62) return `arr.push(${g.pick(["g0", "g1", "1", "k"])})`;
  if (r < 0.68) return `arr[${g.pick(["0", "k % 3", "-1"])}] = ${g.pick(["g0", "2", "k"])}`;
  if (r < 0.74) return `if ${cond(g)} { ${g.pick(["break", "continue"])} }`;
  if (r < 0.78) return "t := peek()";
  if (r < 0.9 && d > 0) {
    return `if ${cond(g)} {\n${block(g, d - 1)}\n} else {\n${block(g, d - 1)}\n}`;
  }
  if (d > 0) {
    // The counter goes up first, so that `continue` cannot skip it.
    return `k${d} := 0\nwhile k${d} < ${g.pick(["3", "20"])} {\nk${d} += 1\n${block(g, d - 1)}\n}`;
  }
  return `${g.pick(NUMERIC)} = ${g.pick(LITERALS)}`;
}

function block(g: Gen, d: number): string {
  const n = 1 + Math.floor(g.next() * 4);
  return Array.from({ length: n }, () => stmt(g, d)).join("\n");
}

function program(g: Gen): string {
  return [
    "g0 := 1",
    "g1 := 2",
    "g2 := 0",
    "g3 := -3",
    "fl := 1.5",
    "bo := true",
    "arr := [1, 2, 3]",
    "func peek() { return g0 }",
    `k := 0\nwhile k < ${g.pick(["60", "300"])} {\nk += 1\n${block(g, 2)}\n}`,
    "print(g0, g1, g2, g3, fl, bo, len(arr), arr[0], arr[-1], k)",
  ].join("\n");
}

Deno.test(`JIT differential: top-level loops over globals (seed ${SEED}, ${COUNT} programs)`, async () => {
  const g = new Gen(SEED);
  for (let i = 0; i < COUNT; i++) {
    const src = program(g);
    const vm = await run(src, { jit: { enabled: false } });
    for (const jit of CONFIGS) {
      const r = await run(src, { jit: { enabled: true, ...jit } });
      const what = `program ${i} of seed ${SEED}, ${JSON.stringify(jit)}:\n${src}`;
      assertEquals(r.output, vm.output, what);
      assertEquals(r.error?.message ?? null, vm.error?.message ?? null, what);
      assertEquals(r.error?.line ?? null, vm.error?.line ?? null, what);
      assertEquals(r.exitCode, vm.exitCode, what);
      for (const name of GLOBALS) assertEquals(r.get(name), vm.get(name), `${name}: ${what}`);
    }
  }
});
