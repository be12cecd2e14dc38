/**
 * The floor of a first run: how fast each JIT benchmark kernel can run, timed inside a fresh
 * process, when it is hand-written WebAssembly that this Deno compiles and runs with nothing
 * else around it: no VM warm-up, no JIT compile, no state to carry in or out.
 *
 * Each kernel below is the algorithm of `bench/programs/NAME.ruff` written as the code a perfect
 * JIT could emit: Ints as i64 with the overflow checks Ruff requires (a failed check traps here,
 * where the JIT would leave to the VM), Floats as f64, arrays as bytes or i32 in linear memory
 * that grows by doubling (from the memory's size: a later call reuses what the first grew). It is a lower bound for the JIT's first runs (`bench/compare.ts`'s
 * "in program" figures), which add the VM's work up to the threshold, the compile and the pauses;
 * the steady figure is the fastest of five more calls in the same process.
 *
 * Each run is a new `deno run` process (as a first run of `ruff` is) that reads the module's
 * bytes, then times `new WebAssembly.Module`, instantiation and the first call together, as the
 * JIT pays all three. python3 runs `bench/programs/NAME.py` for its own in-program time (when
 * installed), and the last column is the speed-up over python3 that the floor allows.
 *
 *     deno run -A bench/floor.ts [--runs N] [NAME…]
 *
 * (`deno task bench:floor` runs it.) The modules are assembled from the text below with binaryen,
 * which this tool imports (`npm:binaryen`, about 0.4 s); `ruff` itself never does unless asked.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A kernel's module text: it exports `run: () => f64`, which returns what the program prints. */
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

/** The kernels, by the name of their program in `bench/programs`. */
export const KERNELS: Record<string, Kernel> = {
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
 (func (export "run") (result f64)
  (f64.convert_i64_s (call $fib (i32.const 1000) (i64.const 30)))))`,
  nested_loops: `(module
 (func (export "run") (result f64)
  (local $i i64) (local $j i64) (local $t i64) (local $p i64) (local $s i64)
  (block $done (loop $outer
   (br_if $done (i64.ge_s (local.get $i) (i64.const 1000)))
   (local.set $j (i64.const 0))
   (block $idone (loop $inner
    (br_if $idone (i64.ge_s (local.get $j) (i64.const 1000)))
    ;; both factors lie in [0, 1000): the product cannot overflow
    (local.set $p (i64.mul (local.get $i) (local.get $j)))
    ${addTo("$t", "$p")}
    (local.set $j (i64.add (local.get $j) (i64.const 1)))
    (br $inner)))
   (local.set $i (i64.add (local.get $i) (i64.const 1)))
   (br $outer)))
  (f64.convert_i64_s (local.get $t))))`,
  mandelbrot: `(module
 (func (export "run") (result f64)
  (local $py i64) (local $px i64) (local $cy f64) (local $cx f64) (local $x f64) (local $y f64)
  (local $x2 f64) (local $y2 f64) (local $it i64) (local $t i64) (local $s i64)
  (block $done (loop $rows
   (br_if $done (i64.ge_s (local.get $py) (i64.const 200)))
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
     (br $iter)))
    ${addTo("$t", "$it")}
    (local.set $px (i64.add (local.get $px) (i64.const 1)))
    (br $cols)))
   (local.set $py (i64.add (local.get $py) (i64.const 1)))
   (br $rows)))
  (f64.convert_i64_s (local.get $t))))`,
  array_sum: `(module
 (memory 1)
 (func (export "run") (result f64)
  (local $i i32) (local $len i32) (local $cap i32) (local $j i32)
  (local $t i64) (local $v i64) (local $s i64)
  (local.set $cap (i32.shl (memory.size) (i32.const 14)))
  (block $done (loop $fill
   (br_if $done (i32.ge_s (local.get $i) (i32.const 1000000)))
   ${push("i32.store", 2, "(local.get $i)")}
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br $fill)))
  (block $sdone (loop $sum
   (br_if $sdone (i32.ge_s (local.get $j) (local.get $len)))
   (local.set $v (i64.extend_i32_s (i32.load (i32.shl (local.get $j) (i32.const 2)))))
   ${addTo("$t", "$v")}
   (local.set $j (i32.add (local.get $j) (i32.const 1)))
   (br $sum)))
  (f64.convert_i64_s (local.get $t))))`,
  sieve: `(module
 (memory 1)
 (func (export "run") (result f64)
  (local $k i32) (local $len i32) (local $cap i32) (local $i i32) (local $j i32) (local $n i32)
  (local.set $cap (i32.shl (memory.size) (i32.const 16)))
  (block $done (loop $fill
   (br_if $done (i32.ge_s (local.get $k) (i32.const 1000000)))
   ${push("i32.store8", 0, "(i32.const 1)")}
   (local.set $k (i32.add (local.get $k) (i32.const 1)))
   (br $fill)))
  (i32.store8 (i32.const 0) (i32.const 0))
  (i32.store8 (i32.const 1) (i32.const 0))
  (local.set $i (i32.const 2))
  ;; i stays below 1000 here, so i * i and j + i cannot overflow
  (block $pdone (loop $primes
   (br_if $pdone (i32.ge_s (i32.mul (local.get $i) (local.get $i)) (i32.const 1000000)))
   (if (i32.load8_u (local.get $i))
    (then
     (local.set $j (i32.mul (local.get $i) (local.get $i)))
     (block $mdone (loop $mark
      (br_if $mdone (i32.ge_s (local.get $j) (i32.const 1000000)))
      (i32.store8 (local.get $j) (i32.const 0))
      (local.set $j (i32.add (local.get $j) (local.get $i)))
      (br $mark)))))
   (local.set $i (i32.add (local.get $i) (i32.const 1)))
   (br $primes)))
  (local.set $k (i32.const 0))
  (block $cdone (loop $count
   (br_if $cdone (i32.ge_s (local.get $k) (local.get $len)))
   (local.set $n (i32.add (local.get $n) (i32.load8_u (local.get $k))))
   (local.set $k (i32.add (local.get $k) (i32.const 1)))
   (br $count)))
  (f64.convert_i32_s (local.get $n))))`,
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

/** Child: times one module's compile, instantiation and first call, then five more calls. */
function child(path: string): void {
  const bytes = Deno.readFileSync(path);
  const t0 = performance.now();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const run = inst.exports.run as () => number;
  const result = run();
  const first = performance.now() - t0;
  let steady = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    run();
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
    options: { runs: { type: "string", default: "7" }, child: { type: "string" } },
    allowPositionals: true,
  });
  if (values.child !== undefined) return child(values.child);
  const runs = Math.max(1, Number(values.runs));
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
    const got: Record<string, ChildResult[]> = {};
    const py: Record<string, number[]> = {};
    for (let r = 0; r < runs; r++) {
      for (const n of names) {
        const c = await spawn([
          Deno.execPath(),
          "run",
          "-A",
          "bench/floor.ts",
          "--child",
          files[n],
        ]);
        if (c.code !== 0) throw new Error(`kernel ${n} failed:\n${c.err}`);
        const res = JSON.parse(c.out) as ChildResult;
        if (res.result !== want[n]) {
          throw new Error(`kernel ${n} returned ${res.result}, expected ${want[n]}`);
        }
        (got[n] ??= []).push(res);
        const p = await python(n);
        if (p !== null) (py[n] ??= []).push(p);
      }
    }
    console.log(
      `Floor of a first run: hand-written wasm, fresh process each, medians of ${runs} runs (ms)\n`,
    );
    const head = ["kernel", "first run", "steady", "python3", "python3 / first", "target"];
    const rows = names.map((n) => {
      const first = median(got[n].map((g) => g.first));
      const steady = median(got[n].map((g) => g.steady));
      const p = py[n] ? median(py[n]) : null;
      return [
        n,
        first.toFixed(2),
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
