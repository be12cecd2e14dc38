/**
 * The JIT's two wasm emitters on the same small module: `deno bench -A bench/jit_backend_bench.ts`.
 *
 * The module is a mandelbrot-style escape-time loop (38 instructions in the tree, one import)
 * as the JIT would generate it. The `emit` group compares the direct binary encoder (the
 * default backend) with binaryen (build through its JS API, validate, `emitBinary`); the other
 * benches give V8's compile time for the result and the cost of a large function for context.
 * binaryen's one-time load is timed at start-up and printed.
 *
 * @module
 */

import { encodeModule } from "../lib/jit/encode.ts";
import { loadBinaryenBackend, watOf } from "../lib/jit/binaryen_backend.ts";
import type { BinOp, Expr, Module } from "../lib/jit/ir.ts";

const get = (i: number): Expr => ({ k: "local.get", i });
const set = (i: number, v: Expr): Expr => ({ k: "local.set", i, v });
const bin = (op: BinOp, a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });
const f64 = (v: number): Expr => ({ k: "f64.const", v });

/** escape(cr, ci, max): iterations of z = z² + c before |z|-ish exceeds 2, passed to `rt.tick`. */
function escapeModule(): Module {
  const [CR, CI, MAX, ZR, ZI, T, I] = [0, 1, 2, 3, 4, 5, 6];
  const sq = (i: number) => bin("f64.mul", get(i), get(i));
  return {
    imports: [{ module: "rt", name: "tick", params: ["i64"], results: ["i64"] }],
    globals: [],
    funcs: [{
      name: "escape",
      params: ["f64", "f64", "i64"],
      results: ["i64"],
      locals: ["f64", "f64", "f64", "i64"],
      export: "escape",
      body: [
        {
          k: "block",
          label: "out",
          t: "none",
          body: [{
            k: "loop",
            label: "it",
            t: "none",
            body: [
              { k: "br_if", label: "out", cond: bin("i64.ge_s", get(I), get(MAX)) },
              set(T, bin("f64.add", bin("f64.sub", sq(ZR), sq(ZI)), get(CR))),
              set(
                ZI,
                bin("f64.add", bin("f64.mul", bin("f64.mul", f64(2), get(ZR)), get(ZI)), get(CI)),
              ),
              set(ZR, get(T)),
              set(I, bin("i64.add", get(I), { k: "i64.const", v: 1n })),
              {
                k: "br_if",
                label: "it",
                cond: bin("f64.le", bin("f64.add", get(ZR), get(ZI)), f64(4)),
              },
            ],
          }],
        },
        { k: "call", f: 0, args: [get(I)] },
      ],
    }],
  };
}

/** One function of 3,000 `local.set 0 (i64.add (local.get 0) (i64.const k))` statements. */
function largeModule(): Module {
  const body: Expr[] = [];
  for (let k = 0; k < 3000; k++) {
    body.push(set(0, bin("i64.add", get(0), { k: "i64.const", v: BigInt(k) })));
  }
  body.push(get(0));
  return {
    imports: [],
    globals: [],
    funcs: [{
      name: "large",
      params: [],
      results: ["i64"],
      locals: ["i64"],
      body,
      export: "large",
    }],
  };
}

const small = escapeModule();
const large = largeModule();
const smallBytes = encodeModule(small);

const t0 = performance.now();
const binaryen = await loadBinaryenBackend();
console.log(`binaryen first load (import + init): ${(performance.now() - t0).toFixed(0)} ms`);

Deno.bench({
  name: "direct: encode the escape function",
  group: "emit",
  baseline: true,
  fn: () => {
    encodeModule(small);
  },
});

Deno.bench({
  name: "binaryen: build + validate + emit the escape function",
  group: "emit",
  fn: () => {
    binaryen.emit(small);
  },
});

Deno.bench({
  name: "V8: compile the escape module (new WebAssembly.Module)",
  fn: () => {
    new WebAssembly.Module(smallBytes);
  },
});

Deno.bench({
  name: "direct: encode a 3,000-statement function",
  group: "large",
  baseline: true,
  fn: () => {
    encodeModule(large);
  },
});

Deno.bench({
  name: "binaryen: build + validate + emit a 3,000-statement function",
  group: "large",
  fn: () => {
    binaryen.emit(large);
  },
});

Deno.bench({
  name: "binaryen: watOf the escape module (--jit-dump)",
  fn: async () => {
    await watOf(smallBytes);
  },
});
