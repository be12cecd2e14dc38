/**
 * The JIT's wasm emitters: IR modules built by hand, encoded by the direct encoder and by
 * binaryen, validated, instantiated and run with exact results; WAT printing and validation;
 * encode timings (printed; `bench/jit_backend_bench.ts` has the `deno bench` version).
 */

import assert from "node:assert/strict";
import { directBackend, encodeModule } from "../../lib/jit/encode.ts";
import { loadBinaryenBackend, validateWasm, watOf } from "../../lib/jit/binaryen_backend.ts";
import type {
  Backend,
  BinOp,
  BlockType,
  Expr,
  Func,
  Module,
  UnOp,
  ValType,
} from "../../lib/jit/ir.ts";

// ───────────────────────────── IR helpers ─────────────────────────────

const get = (i: number): Expr => ({ k: "local.get", i });
const set = (i: number, v: Expr): Expr => ({ k: "local.set", i, v });
const tee = (i: number, v: Expr): Expr => ({ k: "local.tee", i, v });
const i32 = (v: number): Expr => ({ k: "i32.const", v });
const i64 = (v: bigint): Expr => ({ k: "i64.const", v });
const f64 = (v: number): Expr => ({ k: "f64.const", v });
const bin = (op: BinOp, a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });
const un = (op: UnOp, a: Expr): Expr => ({ k: "un", op, a });
const call = (f: number, ...args: Expr[]): Expr => ({ k: "call", f, args });
const block = (label: string, t: BlockType, ...body: Expr[]): Expr => ({
  k: "block",
  label,
  t,
  body,
});
const loop = (label: string, t: BlockType, ...body: Expr[]): Expr => ({
  k: "loop",
  label,
  t,
  body,
});
const br = (label: string): Expr => ({ k: "br", label });
const brIf = (label: string, cond: Expr): Expr => ({ k: "br_if", label, cond });
const ret = (v?: Expr): Expr => v === undefined ? { k: "return" } : { k: "return", v };

function fn(
  name: string,
  params: ValType[],
  results: ValType[],
  body: Expr[],
  locals: ValType[] = [],
): Func {
  return { name, params, results, locals, body, export: name };
}

function mod(funcs: Func[], rest: Partial<Module> = {}): Module {
  return { imports: [], globals: [], ...rest, funcs };
}

// deno-lint-ignore no-explicit-any
type Exports = Record<string, any>;

// ───────────────────────────── running on both backends ─────────────────────────────

let binaryenLoadMs = -1;
let binaryen: Backend | undefined;

async function getBinaryen(): Promise<Backend> {
  if (binaryen === undefined) {
    const t0 = performance.now();
    binaryen = await loadBinaryenBackend();
    binaryenLoadMs = performance.now() - t0;
  }
  return binaryen;
}

/** Emits `m` with both backends, instantiates each with fresh imports and runs `check`. */
async function both(
  m: Module,
  check: (ex: Exports, backend: string, imports: WebAssembly.Imports) => void,
  makeImports: () => WebAssembly.Imports = () => ({}),
): Promise<void> {
  for (const backend of [directBackend, await getBinaryen()]) {
    const bytes = backend.emit(m);
    assert.ok(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>), `${backend.name}: invalid`);
    const imports = makeImports();
    const inst = new WebAssembly.Instance(
      new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
      imports,
    );
    try {
      check(inst.exports as Exports, backend.name, imports);
    } catch (e) {
      if (e instanceof Error) e.message = `[${backend.name}] ${e.message}`;
      throw e;
    }
  }
}

// ───────────────────────────── every operator against a JS reference ─────────────────────────────

const I32S = [7, -5, 0x7fffffff, -1, 3, 0, -0x80000000, 12345];
const I64S = [
  7n,
  -5n,
  0x7fffffffffffffffn,
  -1n,
  3n,
  -0x8000000000000000n,
  123456789012345n,
  65n,
];
const F64S = [1.5, -0, 0, NaN, Infinity, -Infinity, 1e308, -3.5, 0.1, 2.5, -2.5, 0.5, -0.5];

const w32 = (v: number): number => v | 0;
const w64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const b2i = (v: boolean): number => v ? 1 : 0;

type N = number;
type B = bigint;

const BIN_REF: Record<BinOp, (a: never, b: never) => unknown> = {
  "i32.add": (a: N, b: N) => w32(a + b),
  "i32.sub": (a: N, b: N) => w32(a - b),
  "i32.mul": (a: N, b: N) => Math.imul(a, b),
  "i32.and": (a: N, b: N) => a & b,
  "i32.or": (a: N, b: N) => a | b,
  "i32.xor": (a: N, b: N) => a ^ b,
  "i32.shl": (a: N, b: N) => a << b,
  "i32.shr_s": (a: N, b: N) => a >> b,
  "i32.eq": (a: N, b: N) => b2i(a === b),
  "i32.ne": (a: N, b: N) => b2i(a !== b),
  "i32.lt_s": (a: N, b: N) => b2i(a < b),
  "i32.le_s": (a: N, b: N) => b2i(a <= b),
  "i32.gt_s": (a: N, b: N) => b2i(a > b),
  "i32.ge_s": (a: N, b: N) => b2i(a >= b),
  "i32.lt_u": (a: N, b: N) => b2i(a >>> 0 < b >>> 0),
  "i32.ge_u": (a: N, b: N) => b2i(a >>> 0 >= b >>> 0),
  "i64.add": (a: B, b: B) => w64(a + b),
  "i64.sub": (a: B, b: B) => w64(a - b),
  "i64.mul": (a: B, b: B) => w64(a * b),
  "i64.div_s": (a: B, b: B) => w64(a / b),
  "i64.rem_s": (a: B, b: B) => a % b,
  "i64.and": (a: B, b: B) => a & b,
  "i64.or": (a: B, b: B) => a | b,
  "i64.xor": (a: B, b: B) => a ^ b,
  "i64.shl": (a: B, b: B) => w64(a << (b & 63n)),
  "i64.shr_s": (a: B, b: B) => a >> (b & 63n),
  "i64.shr_u": (a: B, b: B) => w64(BigInt.asUintN(64, a) >> (b & 63n)),
  "i64.eq": (a: B, b: B) => b2i(a === b),
  "i64.ne": (a: B, b: B) => b2i(a !== b),
  "i64.lt_s": (a: B, b: B) => b2i(a < b),
  "i64.le_s": (a: B, b: B) => b2i(a <= b),
  "i64.gt_s": (a: B, b: B) => b2i(a > b),
  "i64.ge_s": (a: B, b: B) => b2i(a >= b),
  "i64.lt_u": (a: B, b: B) => b2i(BigInt.asUintN(64, a) < BigInt.asUintN(64, b)),
  "i64.ge_u": (a: B, b: B) => b2i(BigInt.asUintN(64, a) >= BigInt.asUintN(64, b)),
  "f64.add": (a: N, b: N) => a + b,
  "f64.sub": (a: N, b: N) => a - b,
  "f64.mul": (a: N, b: N) => a * b,
  "f64.div": (a: N, b: N) => a / b,
  "f64.min": (a: N, b: N) => Math.min(a, b),
  "f64.max": (a: N, b: N) => Math.max(a, b),
  "f64.copysign": (a: N, b: N) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a)),
  "f64.eq": (a: N, b: N) => b2i(a === b),
  "f64.ne": (a: N, b: N) => b2i(a !== b),
  "f64.lt": (a: N, b: N) => b2i(a < b),
  "f64.le": (a: N, b: N) => b2i(a <= b),
  "f64.gt": (a: N, b: N) => b2i(a > b),
  "f64.ge": (a: N, b: N) => b2i(a >= b),
};

function nearest(x: number): number {
  if (!Number.isFinite(x)) return x;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

function clz64(a: bigint): bigint {
  const u = BigInt.asUintN(64, a);
  const hi = Number(u >> 32n);
  return BigInt(hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(u & 0xffffffffn)));
}

const scratch = new DataView(new ArrayBuffer(8));
const bitsOf = (x: number): bigint => (scratch.setFloat64(0, x), scratch.getBigInt64(0));
const floatOf = (x: bigint): number => (scratch.setBigInt64(0, x), scratch.getFloat64(0));

const I64_MIN = -0x8000000000000000n;
const I64_MAX = 0x7fffffffffffffffn;
const TWO63 = 2 ** 63;

/** Input type, result type, reference. */
const UN_REF: Record<UnOp, [ValType, ValType, (a: never) => unknown]> = {
  "i32.eqz": ["i32", "i32", (a: N) => b2i(a === 0)],
  "i64.eqz": ["i64", "i32", (a: B) => b2i(a === 0n)],
  "i32.clz": ["i32", "i32", (a: N) => Math.clz32(a)],
  "i64.clz": ["i64", "i64", clz64],
  "f64.neg": ["f64", "f64", (a: N) => -a],
  "f64.abs": ["f64", "f64", Math.abs],
  "f64.sqrt": ["f64", "f64", Math.sqrt],
  "f64.floor": ["f64", "f64", Math.floor],
  "f64.ceil": ["f64", "f64", Math.ceil],
  "f64.trunc": ["f64", "f64", Math.trunc],
  "f64.nearest": ["f64", "f64", nearest],
  "f64.convert_i64_s": ["i64", "f64", (a: B) => Number(a)],
  "f64.convert_i32_s": ["i32", "f64", (a: N) => a],
  "i64.trunc_f64_s": ["f64", "i64", (a: N) => BigInt(Math.trunc(a))],
  "i64.trunc_sat_f64_s": [
    "f64",
    "i64",
    (a: N) =>
      Number.isNaN(a) ? 0n : a >= TWO63 ? I64_MAX : a <= -TWO63 ? I64_MIN : BigInt(Math.trunc(a)),
  ],
  "i32.trunc_sat_f64_s": [
    "f64",
    "i32",
    (a: N) =>
      Number.isNaN(a) ? 0 : a >= 2147483647 ? 2147483647 : a <= -2147483648 ? -2147483648 : w32(a),
  ],
  "i32.wrap_i64": ["i64", "i32", (a: B) => Number(BigInt.asIntN(32, a))],
  "i64.extend_i32_s": ["i32", "i64", (a: N) => BigInt(a)],
  "i64.extend_i32_u": ["i32", "i64", (a: N) => BigInt(a >>> 0)],
  "i64.reinterpret_f64": ["f64", "i64", bitsOf],
  "f64.reinterpret_i64": ["i64", "f64", floatOf],
  "ref.is_null": ["externref", "i32", (a: unknown) => b2i(a === null)],
};

const sym = (op: string): string => op.replace(".", "_");

function opsModule(): Module {
  const funcs: Func[] = [];
  for (const op of Object.keys(BIN_REF) as BinOp[]) {
    const t = op.slice(0, 3) as ValType;
    const cmp = /\.(eq|ne|[lg][te](_[su])?)$/.test(op);
    funcs.push(fn(sym(op), [t, t], [cmp ? "i32" : t], [bin(op, get(0), get(1))]));
  }
  for (const op of Object.keys(UN_REF) as UnOp[]) {
    const [t, r] = UN_REF[op];
    funcs.push(fn(sym(op), [t], [r], [un(op, get(0))]));
  }
  return mod(funcs);
}

function unInputs(op: UnOp): unknown[] {
  const t = UN_REF[op][0];
  if (t === "i32") return I32S;
  if (t === "i64") return [...I64S, 1n << 62n, 12345678901234567n];
  if (t === "externref") return [null, {}, "s", 0, undefined];
  const fs = [...F64S, 1e20, -1e20, 2147483647.9, -2147483648.5, 9.3e18, 123.456, -0.4];
  if (op === "i64.trunc_f64_s") return fs.filter((x) => Number.isFinite(x) && Math.abs(x) < 9e18);
  if (op === "i64.reinterpret_f64") return fs.filter((x) => !Number.isNaN(x));
  return fs;
}

Deno.test("jit encode: every operator matches its JS reference on both backends", async () => {
  await both(opsModule(), (ex) => {
    let checked = 0;
    for (const op of Object.keys(BIN_REF) as BinOp[]) {
      const t = op.slice(0, 3);
      const xs: unknown[] = t === "i32" ? I32S : t === "i64" ? I64S : F64S;
      for (const a of xs) {
        for (const b of xs) {
          if (op === "i64.div_s" || op === "i64.rem_s") {
            if (b === 0n || (a === I64_MIN && b === -1n)) continue;
          }
          const got = ex[sym(op)](a, b);
          const want = (BIN_REF[op] as (a: unknown, b: unknown) => unknown)(a, b);
          assert.ok(Object.is(got, want), `${op}(${a}, ${b}) = ${got}, want ${want}`);
          checked++;
        }
      }
    }
    for (const op of Object.keys(UN_REF) as UnOp[]) {
      for (const a of unInputs(op)) {
        const got = ex[sym(op)](a);
        const want = (UN_REF[op][2] as (a: unknown) => unknown)(a);
        assert.ok(Object.is(got, want), `${op}(${String(a)}) = ${got}, want ${want}`);
        checked++;
      }
    }
    assert.ok(checked > 2000);
    // Trapping conversion and division.
    assert.throws(() => ex.i64_trunc_f64_s(NaN), WebAssembly.RuntimeError);
    assert.throws(() => ex.i64_trunc_f64_s(1e19), WebAssembly.RuntimeError);
    assert.throws(() => ex.i64_div_s(1n, 0n), WebAssembly.RuntimeError);
    assert.throws(() => ex.i64_div_s(I64_MIN, -1n), WebAssembly.RuntimeError);
  });
});

Deno.test("jit encode: the type section holds each signature once", () => {
  const bytes = encodeModule(opsModule());
  assert.equal(bytes[8], 1, "type section first");
  let p = 9;
  while (bytes[p] & 0x80) p++; // section size
  p++;
  // (i32,i32)->i32 (i64,i64)->i64 (i64,i64)->i32 (f64,f64)->f64 (f64,f64)->i32 and the unary
  // ones: i32->i32 i64->i32 i64->i64 f64->f64 i64->f64 i32->f64 f64->i64 f64->i32 i32->i64
  // externref->i32
  assert.equal(bytes[p], 15);
});

// ───────────────────────────── constants ─────────────────────────────

Deno.test("jit encode: i32/i64/f64 constants at LEB128 and bit-pattern edges", async () => {
  const i64s = [
    0n,
    -1n,
    63n,
    64n,
    -64n,
    -65n,
    0x7fffffffn,
    0x80000000n,
    -0x80000001n,
    1n << 53n,
    (1n << 53n) + 1n,
    -(1n << 53n) - 1n,
    I64_MAX,
    I64_MIN,
    (1n << 64n) + 5n,
    0x0123456789abcdefn,
  ];
  const i32s = [0, -1, 63, 64, -64, -65, 0x7fffffff, -0x80000000, 0xffffffff, 0x80000000, 8191];
  const f64s = [0, -0, NaN, Infinity, -Infinity, 1.5e308, 5e-324, -123.456, Math.PI];
  const funcs: Func[] = [
    ...i64s.map((v, i) => fn(`k64_${i}`, [], ["i64"], [i64(v)])),
    ...i32s.map((v, i) => fn(`k32_${i}`, [], ["i32"], [i32(v)])),
    ...f64s.map((v, i) => fn(`kf_${i}`, [], ["f64"], [f64(v)])),
  ];
  await both(mod(funcs), (ex) => {
    i64s.forEach((v, i) => assert.equal(ex[`k64_${i}`](), w64(v), `i64 ${v}`));
    i32s.forEach((v, i) => assert.equal(ex[`k32_${i}`](), w32(v), `i32 ${v}`));
    f64s.forEach((v, i) => assert.ok(Object.is(ex[`kf_${i}`](), v), `f64 ${v}`));
  });
});

// ───────────────────────────── calls, control flow ─────────────────────────────

/** fib(n) = n < 2 ? n : fib(n-1) + fib(n-2), as function `index`. */
function fibFunc(index: number): Func {
  const n = get(0);
  return fn("fib", ["i64"], ["i64"], [{
    k: "if",
    t: "i64",
    cond: bin("i64.lt_s", n, i64(2n)),
    then: [n],
    else: [
      bin(
        "i64.add",
        call(index, bin("i64.sub", n, i64(1n))),
        call(index, bin("i64.sub", n, i64(2n))),
      ),
    ],
  }]);
}

Deno.test("jit encode: recursive i64 fib (self call, with and without imports)", async () => {
  await both(mod([fibFunc(0)]), (ex) => {
    assert.equal(ex.fib(0n), 0n);
    assert.equal(ex.fib(1n), 1n);
    assert.equal(ex.fib(25n), 75025n);
  });
  // Two imports shift the defined function's index to 2.
  const m = mod([fibFunc(2)], {
    imports: [
      { module: "env", name: "a", params: [], results: [] },
      { module: "env", name: "b", params: ["i64"], results: ["i64"] },
    ],
  });
  await both(m, (ex) => assert.equal(ex.fib(20n), 6765n), () => ({
    env: { a: () => {}, b: (x: bigint) => x },
  }));
});

Deno.test("jit encode: loops with br/br_if out of nested blocks", async () => {
  // sum(n) = 1 + 2 + ... + n with block/loop/br_if/br.
  const sum = fn("sum", ["i64"], ["i64"], [
    set(1, i64(0n)),
    set(2, i64(1n)),
    block(
      "exit",
      "none",
      loop(
        "top",
        "none",
        brIf("exit", bin("i64.gt_s", get(2), get(0))),
        set(1, bin("i64.add", get(1), get(2))),
        set(2, bin("i64.add", get(2), i64(1n))),
        br("top"),
      ),
    ),
    get(1),
  ], ["i64", "i64"]);
  // search(t): first i*100+j (1 <= i, j <= 10) with i*j == t, else -1; breaks out of both
  // loops from inside an if.
  const [T, I, J, FOUND] = [0, 1, 2, 3];
  const search = fn("search", ["i32"], ["i32"], [
    set(I, i32(1)),
    block(
      "done",
      "none",
      loop(
        "outer",
        "none",
        set(J, i32(1)),
        loop(
          "inner",
          "none",
          {
            k: "if",
            t: "none",
            cond: bin("i32.eq", bin("i32.mul", get(I), get(J)), get(T)),
            then: [
              set(FOUND, bin("i32.add", bin("i32.mul", get(I), i32(100)), get(J))),
              br("done"),
            ],
          },
          set(J, bin("i32.add", get(J), i32(1))),
          brIf("inner", bin("i32.le_s", get(J), i32(10))),
        ),
        set(I, bin("i32.add", get(I), i32(1))),
        brIf("outer", bin("i32.le_s", get(I), i32(10))),
      ),
      set(FOUND, i32(-1)),
    ),
    get(FOUND),
  ], ["i32", "i32", "i32"]);
  // Shadowed labels: the inner `L` is the target, so x is still set to 1.
  const shadow = fn("shadow", [], ["i32"], [
    block("L", "none", block("L", "none", br("L"), set(0, i32(7))), set(0, i32(1))),
    // Sibling loops with the same label (binaryen needs unique names: renamed).
    loop(
      "again",
      "none",
      set(1, bin("i32.add", get(1), i32(1))),
      brIf("again", bin("i32.lt_s", get(1), i32(3))),
    ),
    loop(
      "again",
      "none",
      set(1, bin("i32.add", get(1), i32(1))),
      brIf("again", bin("i32.lt_s", get(1), i32(5))),
    ),
    bin("i32.add", bin("i32.mul", get(0), i32(100)), get(1)),
  ], ["i32", "i32"]);
  // A block and a loop with results; early return from inside a loop.
  const typed = fn("typed", ["i64"], ["i64"], [
    loop(
      "spin",
      "none",
      { k: "if", t: "none", cond: bin("i64.ge_s", get(0), i64(100n)), then: [ret(get(0))] },
      set(0, bin("i64.mul", get(0), i64(3n))),
      br("spin"),
    ),
    { k: "unreachable" },
  ]);
  const valued = fn("valued", [], ["f64"], [
    bin("f64.add", block("b", "f64", { k: "nop" }, f64(1.25)), loop("l", "f64", f64(2))),
  ]);
  await both(mod([sum, search, shadow, typed, valued]), (ex) => {
    assert.equal(ex.sum(100n), 5050n);
    assert.equal(ex.sum(0n), 0n);
    assert.equal(ex.search(42), 607);
    assert.equal(ex.search(12), 206);
    assert.equal(ex.search(97), -1);
    assert.equal(ex.shadow(), 105);
    assert.equal(ex.typed(1n), 243n);
    assert.equal(ex.typed(500n), 500n);
    assert.equal(ex.valued(), 3.25);
  });
});

Deno.test("jit encode: if/else with results, select, tee, drop", async () => {
  const max = fn("max", ["i64", "i64"], ["i64"], [{
    k: "if",
    t: "i64",
    cond: bin("i64.gt_s", get(0), get(1)),
    then: [get(0)],
    else: [get(1)],
  }]);
  // sign(x) as f64: nested ifs as expressions.
  const sign = fn("sign", ["f64"], ["f64"], [{
    k: "if",
    t: "f64",
    cond: bin("f64.lt", get(0), f64(0)),
    then: [f64(-1)],
    else: [{
      k: "if",
      t: "f64",
      cond: bin("f64.gt", get(0), f64(0)),
      then: [f64(1)],
      else: [f64(0)],
    }],
  }]);
  const sel64 = fn("sel64", ["i64", "i64", "i32"], ["i64"], [
    { k: "select", a: get(0), b: get(1), cond: get(2) },
  ]);
  const self = fn("self", ["f64", "f64", "i32"], ["f64"], [
    { k: "select", a: get(0), b: get(1), cond: get(2) },
  ]);
  const sel32 = fn("sel32", ["i32"], ["i32"], [
    { k: "select", a: i32(10), b: i32(20), cond: bin("i32.lt_s", get(0), i32(0)) },
  ]);
  // tee + drop: x = a*2 (kept), the call result of `max` dropped; returns x + x.
  const teeDrop = fn("tee_drop", ["i64"], ["i64"], [
    { k: "drop", v: tee(1, bin("i64.mul", get(0), i64(2n))) },
    { k: "drop", v: call(0, get(1), i64(5n)) },
    bin("i64.add", get(1), get(1)),
  ], ["i64"]);
  await both(mod([max, sign, sel64, self, sel32, teeDrop]), (ex) => {
    assert.equal(ex.max(3n, 9n), 9n);
    assert.equal(ex.max(-3n, -9n), -3n);
    assert.equal(ex.sign(-2.5), -1);
    assert.equal(ex.sign(0.1), 1);
    assert.equal(ex.sign(0), 0);
    assert.equal(ex.sel64(1n, 2n, 1), 1n);
    assert.equal(ex.sel64(1n, 2n, 0), 2n);
    assert.equal(ex.self(1.5, 2.5, 7), 1.5);
    assert.equal(ex.self(1.5, 2.5, 0), 2.5);
    assert.equal(ex.sel32(-4), 10);
    assert.equal(ex.sel32(4), 20);
    assert.equal(ex.tee_drop(21n), 84n);
  });
});

// ───────────────────────────── imports ─────────────────────────────

Deno.test("jit encode: calls to imported JS functions", async () => {
  const m = mod([
    // add3(a, b, c) via the import; logs a*0.5 through `log`.
    fn("go", ["i64", "i64", "i64"], ["i64"], [
      call(1, bin("f64.mul", un("f64.convert_i64_s", get(0)), f64(0.5))),
      call(0, get(0), get(1), get(2)),
    ]),
    fn("twice", ["i32"], ["i32"], [
      bin("i32.add", call(2, get(0)), call(2, get(0))),
    ]),
  ], {
    imports: [
      { module: "env", name: "add3", params: ["i64", "i64", "i64"], results: ["i64"] },
      { module: "env", name: "log", params: ["f64"], results: [] },
      { module: "other", name: "inc", params: ["i32"], results: ["i32"] },
    ],
  });
  let logged: number[] = [];
  let incs = 0;
  await both(m, (ex) => {
    assert.equal(ex.go(1n, 2n, 40n), 43n);
    assert.equal(ex.go(-10n, 0n, 3n), -7n);
    assert.deepEqual(logged, [0.5, -5]);
    assert.equal(ex.twice(5), 12);
    assert.equal(incs, 2);
  }, () => {
    logged = [];
    incs = 0;
    return {
      env: {
        add3: (a: bigint, b: bigint, c: bigint) => a + b + c,
        log: (x: number) => void logged.push(x),
      },
      other: { inc: (x: number) => (incs++, x + 1) },
    };
  });
});

Deno.test("jit encode: throw and try with an imported tag, across recursive frames", async () => {
  // down(n): n == 0 throws; otherwise calls itself inside a try whose handler records n in the
  // global `seen` and rethrows (throw again). safe(n) catches at the top and returns -1.
  const g0: Expr = { k: "global.get", i: 0 };
  const down = fn("down", ["i32"], ["i32"], [
    { k: "if", t: "none", cond: un("i32.eqz", get(0)), then: [{ k: "throw" }] },
    {
      k: "try",
      body: [set(1, call(0, bin("i32.sub", get(0), i32(1))))],
      handler: [
        { k: "global.set", i: 0, v: bin("i32.add", bin("i32.mul", g0, i32(10)), get(0)) },
        { k: "throw" },
      ],
    },
    bin("i32.add", get(1), i32(1)),
  ], ["i32"]);
  const safe = fn("safe", ["i32"], ["i32"], [
    {
      k: "try",
      body: [{ k: "return", v: call(0, get(0)) }],
      handler: [{ k: "return", v: i32(-1) }],
    },
    { k: "unreachable" },
  ]);
  const m = mod([down, safe], {
    globals: [{ t: "i32", mutable: true, import: { module: "env", name: "seen" } }],
    tag: { module: "env", name: "exit" },
  });
  // TypeScript's library does not declare the exception-handling API yet.
  const { Tag, Exception } = WebAssembly as unknown as {
    Tag: new (t: { parameters: string[] }) => WebAssembly.ImportValue;
    Exception: new (...a: unknown[]) => unknown;
  };
  let seen: WebAssembly.Global;
  let tag: WebAssembly.ImportValue;
  await both(m, (ex) => {
    assert.equal(ex.safe(3), -1);
    assert.equal(seen.value, 123);
    seen.value = 0;
    // Thrown out of wasm, the exception reaches JavaScript as a WebAssembly.Exception.
    assert.throws(() => ex.down(2), (e: unknown) => e instanceof Exception);
    assert.equal(seen.value, 12);
  }, () => {
    seen = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
    tag = new Tag({ parameters: [] });
    return { env: { seen, exit: tag } };
  });
});

Deno.test("jit encode: call_indirect through an imported table reaches another module's function", async () => {
  // viaSlot(x) calls table slot 1 with signature (i32 i64) -> i64; the table is filled from JS
  // with a function exported by a second module (as the JIT does for mutual recursion).
  const sig = { params: ["i32", "i64"] as ValType[], results: ["i64"] as ValType[] };
  const m = mod([
    fn("viaSlot", ["i64"], ["i64"], [{
      k: "call_indirect",
      ...sig,
      slot: 1,
      args: [i32(5), get(0)],
    }]),
  ], { table: { module: "env", name: "tab" }, indirect: [sig] });
  const other = new WebAssembly.Instance(
    new WebAssembly.Module(
      directBackend.emit(
        mod([fn("addDepth", sig.params, sig.results, [
          bin("i64.add", un("i64.extend_i32_s", get(0)), bin("i64.mul", get(1), i64(10n))),
        ])]),
      ) as Uint8Array<ArrayBuffer>,
    ),
  );
  await both(m, (ex, _backend, imports) => {
    assert.equal(ex.viaSlot(7n), 75n);
    assert.equal(ex.viaSlot(-3n), -25n);
    // An empty slot traps rather than calling anything.
    const tab = (imports.env as { tab: WebAssembly.Table }).tab;
    tab.set(1, null);
    assert.throws(() => ex.viaSlot(1n), WebAssembly.RuntimeError);
  }, () => {
    const tab = new WebAssembly.Table({ element: "anyfunc", initial: 2 });
    tab.set(1, other.exports.addDepth as never);
    return { env: { tab } };
  });
});

Deno.test("jit encode: imported memory load/store with offsets", async () => {
  const m = mod([
    fn("st64", ["i32", "i64"], [], [{
      k: "store",
      op: "i64.store",
      addr: get(0),
      v: get(1),
      offset: 8,
    }]),
    fn("ld64", ["i32"], ["i64"], [{ k: "load", op: "i64.load", addr: get(0), offset: 8 }]),
    fn("stf", ["i32", "f64"], [], [{
      k: "store",
      op: "f64.store",
      addr: get(0),
      v: get(1),
      offset: 16,
    }]),
    fn("ldf", ["i32"], ["f64"], [{ k: "load", op: "f64.load", addr: get(0), offset: 16 }]),
    fn("st32", ["i32", "i32"], [], [{
      k: "store",
      op: "i32.store",
      addr: get(0),
      v: get(1),
      offset: 0,
    }]),
    fn("ld32", ["i32"], ["i32"], [{ k: "load", op: "i32.load", addr: get(0), offset: 0 }]),
    fn("st8", ["i32", "i32"], [], [{
      k: "store",
      op: "i32.store8",
      addr: get(0),
      v: get(1),
      offset: 1000,
    }]),
    fn("ld8", ["i32"], ["i32"], [{ k: "load", op: "i32.load8_u", addr: get(0), offset: 1000 }]),
  ], { memory: { module: "env", name: "mem", min: 1 } });
  await both(m, (ex, _b, imports) => {
    const mem = (imports.env as { mem: WebAssembly.Memory }).mem;
    const view = new DataView(mem.buffer);
    ex.st64(100, -2n);
    assert.equal(view.getBigInt64(108, true), -2n);
    assert.equal(ex.ld64(100), -2n);
    ex.stf(200, Math.E);
    assert.equal(view.getFloat64(216, true), Math.E);
    assert.equal(ex.ldf(200), Math.E);
    view.setInt32(300, -123456, true);
    assert.equal(ex.ld32(300), -123456);
    ex.st32(304, 0x01020304);
    assert.equal(view.getUint32(304, true), 0x01020304);
    ex.st8(0, 0x1ff);
    assert.equal(view.getUint8(1000), 0xff);
    assert.equal(ex.ld8(0), 255);
    assert.throws(() => ex.ld64(65536), WebAssembly.RuntimeError);
  }, () => ({ env: { mem: new WebAssembly.Memory({ initial: 1 }) } }));
});

Deno.test("jit encode: imported and defined globals (get/set/export)", async () => {
  const m = mod([
    // bump(): counter += 1; returns it.
    fn("bump", [], ["i64"], [
      { k: "global.set", i: 0, v: bin("i64.add", { k: "global.get", i: 0 }, i64(1n)) },
      { k: "global.get", i: 0 },
    ]),
    fn("scaled", ["f64"], ["f64"], [bin("f64.mul", get(0), { k: "global.get", i: 1 })]),
    fn("setAnswer", ["i32"], [], [{ k: "global.set", i: 2, v: get(0) }]),
    fn("answer", [], ["i32"], [{ k: "global.get", i: 2 }]),
    fn("big", [], ["i64"], [{ k: "global.get", i: 3 }]),
    fn("half", [], ["f64"], [{ k: "global.get", i: 4 }]),
    fn("keep", ["externref"], [], [{ k: "global.set", i: 5, v: get(0) }]),
    fn("kept", [], ["externref"], [{ k: "global.get", i: 5 }]),
  ], {
    globals: [
      { t: "i64", mutable: true, import: { module: "env", name: "counter" } },
      { t: "f64", mutable: false, import: { module: "env", name: "scale" } },
      { t: "i32", mutable: true, init: 42, export: "answer_g" },
      { t: "i64", mutable: false, init: -(1n << 60n), export: "big_g" },
      { t: "f64", mutable: false, init: 2.5 },
      { t: "externref", mutable: true },
    ],
  });
  const token = { token: true };
  await both(m, (ex, _b, imports) => {
    const counter = (imports.env as { counter: WebAssembly.Global }).counter;
    assert.equal(ex.bump(), 11n);
    assert.equal(ex.bump(), 12n);
    assert.equal(counter.value, 12n);
    counter.value = 100n;
    assert.equal(ex.bump(), 101n);
    assert.equal(ex.scaled(4), 12);
    assert.equal(ex.answer(), 42);
    assert.equal(ex.answer_g.value, 42);
    ex.setAnswer(-7);
    assert.equal(ex.answer_g.value, -7);
    assert.equal(ex.big(), -(1n << 60n));
    assert.equal(ex.big_g.value, -(1n << 60n));
    assert.equal(ex.half(), 2.5);
    assert.equal(ex.kept(), null);
    ex.keep(token);
    assert.equal(ex.kept(), token);
  }, () => ({
    env: {
      counter: new WebAssembly.Global({ value: "i64", mutable: true }, 10n),
      scale: new WebAssembly.Global({ value: "f64", mutable: false }, 3),
    },
  }));
});

Deno.test("jit encode: imported globals must come first", () => {
  const m = mod([], {
    globals: [
      { t: "i32", mutable: false, init: 1 },
      { t: "i32", mutable: false, import: { module: "env", name: "x" } },
    ],
  });
  assert.throws(() => encodeModule(m), /global 1 is imported after a defined global/);
});

Deno.test("jit encode: externref passed through to an import, ref.null, typed select", async () => {
  const m = mod([
    fn("pass", ["externref"], ["externref"], [call(0, get(0))]),
    fn("pick", ["externref", "externref", "i32"], ["externref"], [
      { k: "select", a: get(0), b: get(1), cond: get(2) },
    ]),
    fn("orNull", ["externref", "i32"], ["externref"], [
      { k: "select", a: { k: "ref.null" }, b: get(0), cond: get(1) },
    ]),
    fn("isNull", ["externref"], ["i32"], [un("ref.is_null", get(0))]),
    fn("none", [], ["externref"], [{ k: "ref.null" }]),
  ], {
    imports: [{ module: "env", name: "wrap", params: ["externref"], results: ["externref"] }],
  });
  const a = { a: 1 };
  const b = ["b"];
  await both(m, (ex) => {
    assert.deepEqual(ex.pass(a), { wrapped: a });
    assert.equal(ex.pick(a, b, 1), a);
    assert.equal(ex.pick(a, b, 0), b);
    assert.equal(ex.orNull(a, 1), null);
    assert.equal(ex.orNull(a, 0), a);
    assert.equal(ex.isNull(null), 1);
    assert.equal(ex.isNull(a), 0);
    assert.equal(ex.none(), null);
  }, () => ({ env: { wrap: (x: unknown) => ({ wrapped: x }) } }));
});

// ───────────────────────────── size edges ─────────────────────────────

Deno.test("jit encode: large bodies (multi-byte section sizes) and many local runs", async () => {
  const body: Expr[] = [];
  for (let k = 0; k < 3000; k++) body.push(set(0, bin("i64.add", get(0), i64(BigInt(k)))));
  body.push(set(3, un("f64.convert_i64_s", get(0))), set(6, f64(0.5)));
  body.push(bin("f64.add", get(3), get(6)));
  const locals: ValType[] = ["i64", "i32", "i32", "f64", "externref", "i64", "f64", "f64"];
  const m = mod([fn("big", [], ["f64"], body, locals)]);
  const bytes = encodeModule(m);
  assert.ok(bytes.length > 20000, `${bytes.length} bytes`);
  await both(m, (ex) => assert.equal(ex.big(), 4498500.5));
});

Deno.test("jit encode: an empty module and UTF-8 names", async () => {
  const empty = encodeModule(mod([]));
  assert.deepEqual([...empty], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const m = mod([{ ...fn("größe", [], ["i32"], [i32(1)]), export: "größe→" }], {
    imports: [{ module: "ümod", name: "fünc", params: [], results: [] }],
  });
  await both(m, (ex) => assert.equal(ex["größe→"](), 1), () => ({ "ümod": { "fünc": () => {} } }));
});

// ───────────────────────────── errors ─────────────────────────────

Deno.test("jit encode: branches to unknown labels and bad indices throw on both backends", async () => {
  const bad = mod([fn("f", [], [], [block("a", "none", br("b"))])]);
  const badCall = mod([fn("f", [], [], [call(3)])]);
  for (const backend of [directBackend, await getBinaryen()]) {
    assert.throws(() => backend.emit(bad), /unknown label 'b'/, backend.name);
    assert.throws(() => backend.emit(badCall), /unknown function 3/, backend.name);
  }
});

Deno.test("jit encode: type errors: binaryen reports its validation message", async () => {
  const m = mod([fn("f", ["i32"], ["i64"], [bin("i32.add", get(0), i64(1n))])]);
  const bytes = encodeModule(m); // the direct encoder does not type-check
  assert.equal(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>), false);
  const msg = await validateWasm(bytes);
  assert.ok(msg !== null && msg.length > 0);
  await assert.rejects(() => watOf(bytes), Error);
  const backend = await getBinaryen();
  assert.throws(() => backend.emit(m), /binaryen validation failed:[^]*i32 != i64/);
  // binaryen still works after a failed validation.
  assert.equal(await validateWasm(backend.emit(mod([fibFunc(0)]))), null);
  assert.match(await validateWasm(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1])) ?? "", /./);
});

// ───────────────────────────── WAT ─────────────────────────────

Deno.test("jit encode: watOf prints both backends' binaries with the function names", async () => {
  const m = mod([fibFunc(1), fn("helper_fn", [], ["f64"], [f64(1)])], {
    imports: [{ module: "env", name: "printer", params: ["i64"], results: [] }],
  });
  for (const backend of [directBackend, await getBinaryen()]) {
    const bytes = backend.emit(m);
    assert.equal(await validateWasm(bytes), null);
    const wat = await watOf(bytes);
    assert.match(wat, /\(func \$fib /, backend.name);
    assert.match(wat, /\$helper_fn/, backend.name);
    assert.match(wat, /\(import "env" "printer"/, backend.name);
    assert.match(wat, /call \$fib/, backend.name);
  }
});

// ───────────────────────────── timing ─────────────────────────────

/**
 * A mandelbrot-style escape-time function: 38 instructions in the tree (consts, locals,
 * arithmetic, compare, loop, br_if, call to an import).
 */
function sampleModule(): Module {
  const [CR, CI, MAX, ZR, ZI, T, I] = [0, 1, 2, 3, 4, 5, 6];
  return mod([fn("escape", ["f64", "f64", "i64"], ["i64"], [
    block(
      "out",
      "none",
      loop(
        "it",
        "none",
        brIf("out", bin("i64.ge_s", get(I), get(MAX))),
        set(
          T,
          bin(
            "f64.add",
            bin("f64.sub", bin("f64.mul", get(ZR), get(ZR)), bin("f64.mul", get(ZI), get(ZI))),
            get(CR),
          ),
        ),
        set(ZI, bin("f64.add", bin("f64.mul", bin("f64.mul", f64(2), get(ZR)), get(ZI)), get(CI))),
        set(ZR, get(T)),
        set(I, bin("i64.add", get(I), i64(1n))),
        brIf("it", bin("f64.le", bin("f64.add", get(ZR), get(ZI)), f64(4))),
      ),
    ),
    call(0, get(I)),
  ], ["f64", "f64", "f64", "i64"])], {
    imports: [{ module: "rt", name: "tick", params: ["i64"], results: ["i64"] }],
  });
}

function perCall(f: () => void, n: number): number {
  for (let i = 0; i < Math.min(200, n); i++) f(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
}

Deno.test("jit encode: encode time per small function (printed)", async () => {
  const m = sampleModule();
  const backend = await getBinaryen();
  await both(m, (ex) => assert.equal(ex.escape(-0.5, 0, 50n), 50n), () => ({
    rt: { tick: (x: bigint) => x },
  }));
  const direct = perCall(() => encodeModule(m), 10_000);
  const viaBinaryen = perCall(() => backend.emit(m), 2_000);
  const size = encodeModule(m).length;
  console.log(
    `  direct: ${(direct * 1000).toFixed(2)} µs/function (${size} bytes), binaryen: ${
      (viaBinaryen * 1000).toFixed(1)
    } µs/function, first binaryen load: ${binaryenLoadMs.toFixed(0)} ms`,
  );
  assert.ok(direct < viaBinaryen);
});
