/**
 * The floor of a first run: how fast each JIT benchmark kernel can run, timed inside a fresh
 * process, when it is hand-written WebAssembly that this Deno compiles and runs with nothing
 * else around it: no VM warm-up, no JIT compile, no state to carry in or out.
 *
 * Each kernel below is the algorithm of `bench/programs/NAME.ruff` written as the code a perfect
 * JIT could emit: Ints as i64 with the overflow checks Ruff requires (a failed check traps here,
 * where the JIT would leave to the VM), Floats as f64, arrays as bytes or i32 in linear memory
 * that grows by doubling (from the memory's size: a later call reuses what the first grew).
 *
 * Its loops pause as the JIT's loop units do: V8 runs new code in its baseline tier (Liftoff) and
 * switches a function to its optimised code only when the function is called again, so each loop
 * nest is a phase function that, once it has spent a budget of back-edges, saves its state in
 * globals at the header of its outermost loop and returns; `run` calls it again. Each kernel is
 * also run with a budget it never spends (its loops run in one call each): the "one call" column,
 * which shows what the pauses gain.
 *
 * It is a lower bound for the JIT's first runs (`bench/compare.ts`'s "in program" figures), which
 * add the VM's work up to the threshold, the compile and the JIT's exits; the steady figure is the
 * fastest of five more calls in the same process.
 *
 * Each run is a new `deno run` process (as a first run of `ruff` is) that reads the module's
 * bytes, then times `new WebAssembly.Module`, instantiation and the first call together, as the
 * JIT pays all three. python3 runs `bench/programs/NAME.py` for its own in-program time (when
 * installed), and the last column but one is the speed-up over python3 that the floor allows.
 *
 *     deno run -A bench/floor.ts [--runs N] [--budget B] [NAME…]
 *
 * (`deno task bench:floor` runs it; `--budget` sets the back-edges between pauses, 8192 by
 * default.) The modules are assembled from the text below with binaryen, which this tool imports
 * (`npm:binaryen`, about 0.4 s); `ruff` itself never does unless asked.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * A kernel's module text: it exports `run: (budget: i32) => f64`, which returns what the program
 * prints. Its loops count their back-edges against `budget` and pause (see `pauseAt`).
 */
type Kernel = string;

/** `$a + $b` into `$s` (all i64 locals), trapping on overflow (the sign test of the JIT). */
const checkedAdd = (s: string, a: string, b: string): string =>
  `(local.set ${s} (i64.add (local.get ${a}) (local.get ${b})))
   (if (i64.lt_s (i64.and (i64.xor (local.get ${a}) (local.get ${s}))
                          (i64.xor (local.get ${b}) (local.get ${s}))) (i64.const 0))
     (then (unreachable)))`;

/** `$t += $v` (i64 locals; `$s` is the scratch local), trapping on overflow. */
const addTo = (t: string, v: string): string =>
  `${checkedAdd("$s", t, v)}
   (local.set ${t} (local.get $s))`;

/** Appends byte/i32 `v` to the array at address 0 (`$len` elements, `$cap` capacity). */
const push = (store: string, shift: number, v: string): string =>
  `(if (i32.eq (local.get $len) (local.get $cap))
     (then
       (if (i32.lt_s (memory.grow (i32.shr_u (i32.shl (local.get $cap) (i32.const ${shift}))
                                             (i32.const 16))) (i32.const 0))
         (then (unreachable)))
       (local.set $cap (i32.shl (local.get $cap) (i32.const 1)))))
   (${store} (i32.shl (local.get $len) (i32.const ${shift})) ${v})
   (local.set $len (i32.add (local.get $len) (i32.const 1)))`;

/** A local that a phase keeps in a global while it is paused: `name:type` (`i:i32`, `t:i64`). */
type State = string[];

const split = (v: string): [string, string] => v.split(":") as [string, string];

/**
 * A pause, as the JIT's loop units make them: V8 runs new wasm in its baseline tier and switches
 * a function to its optimised code only at a new call of it, so a loop that ran in one call would
 * never switch. At the header of an outermost loop, once the back-edge budget `$b` is spent, the
 * phase saves its state (each local in the global of the same name with a `g` before it) and
 * returns 1; `run` calls it again, which restores them and goes on.
 */
const pauseAt = (state: State): string =>
  `(if (i32.lt_s (local.get $b) (i32.const 0))
     (then ${state.map(split).map(([n]) => `(global.set $g${n} (local.get $${n}))`).join(" ")}
           (return (i32.const 1))))`;

/** One back-edge spent from the budget. */
const tick = "(local.set $b (i32.sub (local.get $b) (i32.const 1)))";

/** The phase function `name`: its state restored from the globals, `body`, then saved. */
const phase = (name: string, state: State, scratch: string, body: string): string => {
  const vs = state.map(split);
  return `(func $${name} (param $b i32) (result i32) ${scratch}
  ${vs.map(([n, t]) => `(local $${n} ${t})`).join(" ")}
  ${vs.map(([n]) => `(local.set $${n} (global.get $g${n}))`).join(" ")}
  ${body}
  ${vs.map(([n]) => `(global.set $g${n} (local.get $${n}))`).join(" ")}
  (i32.const 0))`;
};

/** The globals holding the phases' state while they are paused. */
const globals = (state: State): string =>
  state.map(split).map(([n, t]) => `(global $g${n} (mut ${t}) (${t}.const 0))`).join("\n ");

/** Sets the globals of `state` to 0, so that `run` can be called again. */
const reset = (state: State): string =>
  state.map(split).map(([n, t]) => `(global.set $g${n} (${t}.const 0))`).join(" ");

/** Calls phase `name` with the budget `run` was given until it has finished. */
const drive = (name: string): string =>
  `(block $${name}_done (loop $${name}_again
    (br_if $${name}_again (call $${name} (local.get $budget)))))`;

/**
 * Phase `$fill`: pushes `v` (with `store`, elements of 2^`shift` bytes) 1e6 times; `state` is its
 * counter, then `len` and `cap`.
 */
const fillPhase = (state: State, store: string, shift: number, v: string): string => {
  const i = `$${split(state[0])[0]}`;
  return phase(
    "fill",
    state,
    "",
    `(block $done (loop $fill
   (br_if $done (i32.ge_s (local.get ${i}) (i32.const 1000000)))
   ${pauseAt(state)}
   ${push(store, shift, v)}
   (local.set ${i} (i32.add (local.get ${i}) (i32.const 1)))
   ${tick}
   (br $fill)))`,
  );
};

/** The state of each phase: what it keeps in globals while it is paused. */
const NESTED = ["i:i32", "t:i64"];
const MANDEL = ["py:i64", "t:i64"];
const SUM_FILL = ["i:i32", "len:i32", "cap:i32"];
const SUM_ADD = ["j:i32", "t:i64"];
const SIEVE_FILL = ["k:i32", "len:i32", "cap:i32"];
const SIEVE_MARK = ["i:i32"];
const SIEVE_COUNT = ["k:i32", "n:i32"];

/** The kernels, by the name of their program in `bench/programs`. */
export const KERNELS: Record<string, Kernel> = {
  // No loops: every call of $fib is a call, at which V8 switches to optimised code when ready.
  fib30: `(module
 (func $fib (param $d i32) (param $n i64) (result i64)
  (local $a i64) (local $b i64) (local $s i64)
  (if (i64.lt_s (local.get $n) (i64.const 2)) (then (return (local.get $n))))
  (if (i32.eqz (local.get $d)) (then (unreachable)))
  (local.set $a (call $fib (i32.sub (local.get $d) (i32.const 1))
                           (i64.sub (local.get $n) (i64.const 1))))
  (local.set $b (call $fib (i32.sub (local.get $d) (i32.const 1))
                           (i64.sub (local.get $n) (i64.const 2))))
  ${checkedAdd("$s", "$a", "$b")}
  (local.get $s))
 (func (export "run") (param $budget i32) (result f64)
  (f64.convert_i64_s (call $fib (i32.const 1000) (i64.const 30)))))`,
  nested_loops: `(module
 ${globals(NESTED)}
 ${
    phase(
      "loops",
      NESTED,
      "(local $j i64) (local $p i64) (local $s i64) (local $I i64)",
      `(block $done (loop $outer
   (br_if $done (i32.ge_s (local.get $i) (i32.const 1000)))
   ${pauseAt(NESTED)}
   (local.set $I (i64.extend_i32_s (local.get $i)))
   (local.set $j (i64.const 0))
   (block $idone (loop $inner
    (br_if $idone (i64.ge_s (local.get $j) (i64.const 1000)))
    ;; both factors lie in [0, 1000): the product cannot overflow
    (local.set $p (i64.mul (local.get $I) (local.get $j)))
    ${addTo("$t", "$p")}
    (local.set $j (i64.add (local.get $j) (i64.const 1)))
    ${tick}
    (br $inner)))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   ${tick}
   (br $outer)))`,
    )
  }
 (func (export "run") (param $budget i32) (result f64)
  ${reset(NESTED)}
  ${drive("loops")}
  (f64.convert_i64_s (global.get $gt))))`,
  mandelbrot: `(module
 ${globals(MANDEL)}
 ${
    phase(
      "rows",
      MANDEL,
      `(local $px i64) (local $cy f64) (local $cx f64) (local $x f64) (local $y f64)
  (local $x2 f64) (local $y2 f64) (local $it i64) (local $s i64)`,
      `(block $done (loop $rows
   (br_if $done (i64.ge_s (local.get $py) (i64.const 200)))
   ${pauseAt(MANDEL)}
   (local.set $cy (f64.add (f64.const -1.5)
     (f64.div (f64.mul (f64.const 3.0) (f64.convert_i64_s (local.get $py))) (f64.const 200.0))))
   (local.set $px (i64.const 0))
   (block $rdone (loop $cols
    (br_if $rdone (i64.ge_s (local.get $px) (i64.const 200)))
    (local.set $cx (f64.add (f64.const -2.0)
      (f64.div (f64.mul (f64.const 3.0) (f64.convert_i64_s (local.get $px))) (f64.const 200.0))))
    (local.set $x (f64.const 0)) (local.set $y (f64.const 0)) (local.set $it (i64.const 0))
    (block $esc (loop $iter
     (br_if $esc (i64.ge_s (local.get $it) (i64.const 100)))
     (local.set $x2 (f64.mul (local.get $x) (local.get $x)))
     (local.set $y2 (f64.mul (local.get $y) (local.get $y)))
     (br_if $esc (f64.gt (f64.add (local.get $x2) (local.get $y2)) (f64.const 4.0)))
     (local.set $y (f64.add (f64.mul (f64.mul (f64.const 2.0) (local.get $x)) (local.get $y))
                            (local.get $cy)))
     (local.set $x (f64.add (f64.sub (local.get $x2) (local.get $y2)) (local.get $cx)))
     (local.set $it (i64.add (local.get $it) (i64.const 1)))
     ${tick}
     (br $iter)))
    ${addTo("$t", "$it")}
    (local.set $px (i64.add (local.get $px) (i64.const 1)))
    ${tick}
    (br $cols)))
   (local.set $py (i64.add (local.get $py) (i64.const 1)))
   ${tick}
   (br $rows)))`,
    )
  }
 (func (export "run") (param $budget i32) (result f64)
  ${reset(MANDEL)}
  ${drive("rows")}
  (f64.convert_i64_s (global.get $gt))))`,
  array_sum: `(module
 (memory 1)
 ${globals([...SUM_FILL, ...SUM_ADD])}
 ${fillPhase(SUM_FILL, "i32.store", 2, "(local.get $i)")}
 ${
    phase(
      "sum",
      SUM_ADD,
      "(local $v i64) (local $s i64) (local $len i32)",
      `(local.set $len (global.get $glen))
  (block $sdone (loop $sum
   (br_if $sdone (i32.ge_s (local.get $j) (local.get $len)))
   ${pauseAt(SUM_ADD)}
   (local.set $v (i64.extend_i32_s (i32.load (i32.shl (local.get $j) (i32.const 2)))))
   ${addTo("$t", "$v")}
   (local.set $j (i32.add (local.get $j) (i32.const 1)))
   ${tick}
   (br $sum)))`,
    )
  }
 (func (export "run") (param $budget i32) (result f64)
  ${reset([...SUM_FILL, ...SUM_ADD])}
  (global.set $gcap (i32.shl (memory.size) (i32.const 14)))
  ${drive("fill")}
  ${drive("sum")}
  (f64.convert_i64_s (global.get $gt))))`,
  sieve: `(module
 (memory 1)
 ${globals([...SIEVE_FILL, ...SIEVE_MARK, "n:i32"])}
 ${fillPhase(SIEVE_FILL, "i32.store8", 0, "(i32.const 1)")}
 ${
    phase(
      "mark",
      SIEVE_MARK,
      "(local $j i32)",
      `;; i stays below 1000 here, so i * i and j + i cannot overflow
  (block $pdone (loop $primes
   (br_if $pdone (i32.ge_s (i32.mul (local.get $i) (local.get $i)) (i32.const 1000000)))
   ${pauseAt(SIEVE_MARK)}
   (if (i32.load8_u (local.get $i))
    (then
     (local.set $j (i32.mul (local.get $i) (local.get $i)))
     (block $mdone (loop $mark
      (br_if $mdone (i32.ge_s (local.get $j) (i32.const 1000000)))
      (i32.store8 (local.get $j) (i32.const 0))
      (local.set $j (i32.add (local.get $j) (local.get $i)))
      ${tick}
      (br $mark)))))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   ${tick}
   (br $primes)))`,
    )
  }
 ${
    phase(
      "count",
      SIEVE_COUNT,
      "(local $len i32)",
      `(local.set $len (global.get $glen))
  (block $cdone (loop $count
   (br_if $cdone (i32.ge_s (local.get $k) (local.get $len)))
   ${pauseAt(SIEVE_COUNT)}
   (local.set $n (i32.add (local.get $n) (i32.load8_u (local.get $k))))
   (local.set $k (i32.add (local.get $k) (i32.const 1)))
   ${tick}
   (br $count)))`,
    )
  }
 (func (export "run") (param $budget i32) (result f64)
  ${reset([...SIEVE_FILL, ...SIEVE_COUNT])}
  (global.set $gcap (i32.shl (memory.size) (i32.const 16)))
  ${drive("fill")}
  (i32.store8 (i32.const 0) (i32.const 0))
  (i32.store8 (i32.const 1) (i32.const 0))
  (global.set $gi (i32.const 2))
  ${drive("mark")}
  (global.set $gk (i32.const 0))
  ${drive("count")}
  (f64.convert_i32_s (global.get $gn))))`,
};

/** The binary of kernel `name`, assembled (and validated) by binaryen. */
export async function assemble(name: string): Promise<Uint8Array<ArrayBuffer>> {
  // The same pinned binaryen as the JIT's optional backend (lib/jit/binaryen_backend.ts).
  // deno-lint-ignore no-import-prefix
  const { default: binaryen } = await import("npm:binaryen@132.0.0");
  const m = binaryen.parseText(KERNELS[name]);
  try {
    if (!m.validate()) throw new Error(`kernel ${name}: invalid module`);
    return new Uint8Array(m.emitBinary());
  } finally {
    m.dispose();
  }
}

/** What `bench/programs/NAME.ruff` prints (its `.out` file), which the kernel must return. */
export async function expected(name: string): Promise<number> {
  return Number((await Deno.readTextFile(`${ROOT}bench/programs/${name}.out`)).trim());
}

/** What a child process measured (ms), and the kernel's result. */
interface ChildResult {
  first: number;
  steady: number;
  result: number;
}

/** The back-edge budget of a pause: the JIT's first budget is 4096, doubling up to 16384. */
export const PAUSE_BUDGET = 8192;

/** A budget no kernel spends: the loops run in one call each, as without pauses. */
export const ONE_CALL = 0x7fffffff;

/**
 * Child: times one module's compile, instantiation and first call, then five more calls, all with
 * back-edge budget `budget`.
 */
function child(path: string, budget: number): void {
  const bytes = Deno.readFileSync(path);
  const t0 = performance.now();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const run = inst.exports.run as (budget: number) => number;
  const result = run(budget);
  const first = performance.now() - t0;
  let steady = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    run(budget);
    steady = Math.min(steady, performance.now() - t);
  }
  console.log(JSON.stringify({ first, steady, result } satisfies ChildResult));
}

async function spawn(cmd: string[], env: Record<string, string> = {}) {
  const r = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** python3's own in-program time of `bench/programs/NAME.py`, or null when not installed. */
async function python(name: string): Promise<number | null> {
  try {
    const r = await spawn(["python3", `bench/programs/${name}.py`]);
    const m = /elapsed_ms: *([0-9.]+)/.exec(r.err);
    return r.code === 0 && m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The speed-up over python3 the JIT issue asks of each kernel's first run. */
const TARGET: Record<string, number> = {
  fib30: 30,
  nested_loops: 20,
  mandelbrot: 20,
  array_sum: 20,
  sieve: 20,
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "7" },
      budget: { type: "string", default: String(PAUSE_BUDGET) },
      child: { type: "string" },
    },
    allowPositionals: true,
  });
  if (values.child !== undefined) return child(values.child, Number(values.budget));
  const runs = Math.max(1, Number(values.runs));
  const budget = Number(values.budget);
  const names = positionals.length > 0 ? positionals : Object.keys(KERNELS);
  for (const n of names) if (!(n in KERNELS)) throw new Error(`no kernel named ${n}`);
  const dir = await Deno.makeTempDir({ prefix: "ruff-floor-" });
  try {
    const files: Record<string, string> = {};
    const want: Record<string, number> = {};
    for (const n of names) {
      files[n] = `${dir}/${n}.wasm`;
      await Deno.writeFile(files[n], await assemble(n));
      want[n] = await expected(n);
    }
    // Each kernel runs in both forms, pausing and in one call, in turn: the same conditions.
    const got: Record<string, { paused: ChildResult[]; oneCall: ChildResult[] }> = {};
    const py: Record<string, number[]> = {};
    const measure = async (n: string, b: number): Promise<ChildResult> => {
      const c = await spawn([
        Deno.execPath(),
        "run",
        "-A",
        "bench/floor.ts",
        "--child",
        files[n],
        "--budget",
        String(b),
      ]);
      if (c.code !== 0) throw new Error(`kernel ${n} failed:\n${c.err}`);
      const res = JSON.parse(c.out) as ChildResult;
      if (res.result !== want[n]) {
        throw new Error(`kernel ${n} returned ${res.result}, expected ${want[n]}`);
      }
      return res;
    };
    for (let r = 0; r < runs; r++) {
      for (const n of names) {
        const g = got[n] ??= { paused: [], oneCall: [] };
        g.paused.push(await measure(n, budget));
        g.oneCall.push(await measure(n, ONE_CALL));
        const p = await python(n);
        if (p !== null) (py[n] ??= []).push(p);
      }
    }
    console.log(
      `Floor of a first run: hand-written wasm, fresh process each, medians of ${runs} runs (ms);\n` +
        `loops pausing every ${budget} back-edges, and in one call\n`,
    );
    const head = [
      "kernel",
      "first run",
      "one call",
      "steady",
      "python3",
      "python3 / first",
      "target",
    ];
    const rows = names.map((n) => {
      const first = median(got[n].paused.map((g) => g.first));
      const one = median(got[n].oneCall.map((g) => g.first));
      const steady = median(got[n].paused.map((g) => g.steady));
      const p = py[n] ? median(py[n]) : null;
      return [
        n,
        first.toFixed(2),
        one.toFixed(2),
        steady.toFixed(2),
        p === null ? "-" : p.toFixed(1),
        p === null ? "-" : `${(p / first).toFixed(1)}x`,
        `${TARGET[n]}x`,
      ];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padStart(widths[i])).join("  ");
    console.log(line(head));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows) console.log(line(r));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
