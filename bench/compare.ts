/**
 * Cross-language comparison. Runs every benchmark program as a whole process in Ruff with the JIT
 * (`deno run -A cli.ts run FILE`), Ruff without it (the same with `RUFF_JIT=0`), python3, node
 * and luajit (each only when installed), `--runs N` times (default 3, interleaved), checks stdout
 * against `bench/programs/NAME.out`, and prints two tables of medians with ratios against python3:
 *
 * 1. whole-process wall-clock time, measured here around the child process;
 * 2. in-program time of the main work, as reported by the program itself in an
 *    `elapsed_ms: X` line (on stderr; Ruff, which has no stderr-printing native, prints it as an
 *    extra last stdout line when `RUFF_BENCH_ELAPSED=1`, and that line is removed before the
 *    output check).
 *
 * Then it checks the performance targets of the JIT issue against the figures.
 *
 *     deno run -A bench/compare.ts [--runs N] [--warmup N] [--runtimes a,b] [--json FILE]
 *                                  [--ruff CMD] [NAME…]
 *
 * `--ruff CMD` measures an installed `ruff` command (`deno task install`: the plain-JavaScript
 * build) in the two Ruff columns instead of `deno run -A cli.ts`.
 *
 * (`deno task bench:compare` runs it.)
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { PROGRAMS } from "./ruff_bench.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TIMEOUT_MS = 600_000;

interface Runtime {
  /** Column title. */
  name: string;
  /** Program file extension. */
  ext: string;
  /** Command and leading arguments; the program path (relative to the root) is appended. */
  cmd: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Command that prints the version (used to detect the runtime; it also warms caches). */
  probe: string[];
  /**
   * Command that prints the path of the real executable, which then replaces `cmd[0]`: a
   * version-manager shim (pyenv's `python3` is a shell script) would otherwise add its own
   * start-up time (about 55 ms per run on the 2-core test machine) to every whole-process figure.
   */
  resolve?: string[];
}

const deno = Deno.execPath();

const RUNTIMES: Runtime[] = [
  {
    name: "ruff",
    ext: "ruff",
    cmd: [deno, "run", "-A", "cli.ts", "run"],
    env: { RUFF_JIT: "1", RUFF_BENCH_ELAPSED: "1" },
    probe: [deno, "run", "-A", "cli.ts", "--version"],
  },
  {
    name: "ruff-nojit",
    ext: "ruff",
    cmd: [deno, "run", "-A", "cli.ts", "run"],
    env: { RUFF_JIT: "0", RUFF_BENCH_ELAPSED: "1" },
    probe: [deno, "run", "-A", "cli.ts", "--version"],
  },
  {
    name: "python3",
    ext: "py",
    cmd: ["python3"],
    probe: ["python3", "--version"],
    resolve: ["python3", "-c", "import sys; print(sys.executable)"],
  },
  { name: "node", ext: "mjs", cmd: ["node"], probe: ["node", "--version"] },
  { name: "luajit", ext: "lua", cmd: ["luajit"], probe: ["luajit", "-v"] },
];

const BASELINE = "python3";

/** One measured run. */
interface Sample {
  /** Whole-process wall-clock time (ms). */
  wall: number;
  /** The program's own `elapsed_ms` figure, when it printed one. */
  inner: number | null;
}

/** The medians of one program on one runtime, or why there are none. */
type Outcome = { wall: number; inner: number | null } | { error: string };

const dec = new TextDecoder();

async function exec(
  argv: string[],
  env?: Record<string, string>,
): Promise<{ ok: boolean; code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  return {
    ok: out.success,
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** The runtime's version line, or null when it is not installed. */
async function probe(rt: Runtime): Promise<string | null> {
  try {
    const r = await exec(rt.probe, rt.env);
    if (!r.ok) return null;
    if (rt.resolve) {
      const p = await exec(rt.resolve, rt.env);
      const path = p.stdout.trim();
      if (p.ok && path && !path.includes("\n")) rt.cmd = [path, ...rt.cmd.slice(1)];
    }
    return (r.stdout.trim() || r.stderr.trim()).split("\n")[0].replace(/ -- .*$/, "");
  } catch {
    return null;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const ELAPSED_LINE = /^elapsed_ms: *([0-9.eE+-]+)\s*$/;

/** Removes `elapsed_ms:` lines from a text; returns the rest and the last figure found. */
export function splitElapsed(text: string): { rest: string; ms: number | null } {
  let ms: number | null = null;
  const kept: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = ELAPSED_LINE.exec(lines[i].replace(/\r$/, ""));
    if (m && Number.isFinite(Number(m[1]))) ms = Number(m[1]);
    else kept.push(lines[i]);
  }
  return { rest: kept.join("\n"), ms };
}

/** Runs one program once; returns a sample or an error text. */
async function runOnce(rt: Runtime, name: string, expected: string): Promise<Sample | string> {
  const argv = [...rt.cmd, `bench/programs/${name}.${rt.ext}`];
  const t0 = performance.now();
  let res;
  try {
    res = await exec(argv, rt.env);
  } catch (err) {
    return `could not run: ${err}`;
  }
  const wall = performance.now() - t0;
  if (!res.ok) {
    return `exit ${res.code}: ${res.stderr.trim().split("\n")[0] ?? ""}`;
  }
  const out = splitElapsed(res.stdout);
  const err = splitElapsed(res.stderr);
  if (out.rest !== expected) {
    return `wrong output ${JSON.stringify(out.rest.slice(0, 60))}`;
  }
  return { wall, inner: err.ms ?? out.ms };
}

interface Args {
  runs: number;
  warmup: number;
  names: string[];
  runtimes: string[] | null;
  json: string | null;
  /** An installed `ruff` command to run instead of `deno run -A cli.ts` (`--ruff CMD`). */
  ruff: string | null;
}

function usage(): never {
  console.log(
    "usage: deno run -A bench/compare.ts [--runs N] [--warmup N] [--runtimes a,b] " +
      "[--json FILE] [--ruff CMD] [NAME…]",
  );
  console.log(`programs: ${PROGRAMS.join(", ")}`);
  console.log(`runtimes: ${RUNTIMES.map((r) => r.name).join(", ")}`);
  Deno.exit(0);
}

function parseArgs(args: string[]): Args {
  const a: Args = { runs: 3, warmup: 0, names: [], runtimes: null, json: null, ruff: null };
  const value = (i: number, flag: string): string => {
    const v = args[i];
    if (v === undefined) {
      console.error(`${flag} needs a value`);
      Deno.exit(2);
    }
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let inline: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const val = (flag: string) => inline ?? value(++i, flag);
    if (arg === "--runs" || arg === "-n") a.runs = Number(val(arg));
    else if (arg === "--warmup") a.warmup = Number(val(arg));
    else if (arg === "--runtimes") a.runtimes = val(arg).split(",").filter((s) => s);
    else if (arg === "--json") a.json = val(arg);
    else if (arg === "--ruff") a.ruff = val(arg);
    else if (arg === "--help" || arg === "-h") usage();
    else if (arg.startsWith("-")) {
      console.error(`unknown option ${arg}`);
      Deno.exit(2);
    } else a.names.push(arg.replace(/^.*\//, "").replace(/\.(ruff|py|mjs|lua|out)$/, ""));
  }
  if (!Number.isInteger(a.runs) || a.runs < 1) {
    console.error("--runs needs a positive integer");
    Deno.exit(2);
  }
  if (!Number.isInteger(a.warmup) || a.warmup < 0) {
    console.error("--warmup needs a non-negative integer");
    Deno.exit(2);
  }
  for (const n of a.names) {
    if (!PROGRAMS.includes(n)) {
      console.error(`unknown program ${n} (known: ${PROGRAMS.join(", ")})`);
      Deno.exit(2);
    }
  }
  for (const r of a.runtimes ?? []) {
    if (!RUNTIMES.some((x) => x.name === r)) {
      console.error(`unknown runtime ${r} (known: ${RUNTIMES.map((x) => x.name).join(", ")})`);
      Deno.exit(2);
    }
  }
  if (!a.names.length) a.names = [...PROGRAMS];
  return a;
}

function pad(s: string, w: number, left = false): string {
  return left ? s.padEnd(w) : s.padStart(w);
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function fmtRatio(r: number): string {
  return r >= 100 ? `${r.toFixed(0)}x` : r >= 10 ? `${r.toFixed(1)}x` : `${r.toFixed(2)}x`;
}

type Results = Map<string, Map<string, Outcome>>;
type Metric = "wall" | "inner";

function valueOf(o: Outcome | undefined, metric: Metric): number | null {
  if (!o || "error" in o) return null;
  return metric === "wall" ? o.wall : o.inner;
}

/** Prints one table: times, `rt/py` ratios and the speed-ups `py/ruff`. */
function printTable(
  title: string,
  metric: Metric,
  names: string[],
  runtimes: Runtime[],
  results: Results,
): void {
  console.log(`\n${title}\n`);
  const py = runtimes.find((r) => r.name === BASELINE);
  const others = runtimes.filter((r) => r !== py);
  const ruffs = runtimes.filter((r) => r.ext === "ruff");
  const header = ["program", ...runtimes.map((r) => r.name)];
  if (py) {
    header.push(...others.map((r) => `${r.name}/py`));
    header.push(...ruffs.map((r) => `py/${r.name}`));
  }
  const widths = header.map((h, i) => Math.max(h.length, i === 0 ? 12 : 7));
  console.log(header.map((h, i) => pad(h, widths[i], i === 0)).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const name of names) {
    const row = results.get(name)!;
    const cells = [name];
    for (const rt of runtimes) {
      const o = row.get(rt.name);
      const v = valueOf(o, metric);
      cells.push(v !== null ? fmtMs(v) : o && "error" in o ? "ERR" : "n/a");
    }
    if (py) {
      const base = valueOf(row.get(py.name), metric);
      for (const rt of others) {
        const v = valueOf(row.get(rt.name), metric);
        cells.push(v !== null && base !== null && base > 0 ? fmtRatio(v / base) : "-");
      }
      for (const rt of ruffs) {
        const v = valueOf(row.get(rt.name), metric);
        cells.push(v !== null && base !== null && v > 0 ? fmtRatio(base / v) : "-");
      }
    }
    console.log(cells.map((c, i) => pad(c, widths[i], i === 0)).join("  "));
  }
}

/** The targets, checked against the measured medians (JIT on, column `ruff`). */
function printTargets(names: string[], results: Results): void {
  const lines: string[] = [];
  const get = (name: string, rt: string, metric: Metric) =>
    names.includes(name) ? valueOf(results.get(name)!.get(rt), metric) : null;
  const check = (label: string, ok: boolean | null, detail: string) => {
    if (ok === null) return;
    lines.push(`  ${ok ? "PASS" : "FAIL"}  ${label}: ${detail}`);
  };
  const ruff = get("fib30", "ruff", "inner");
  const lj = get("fib30", "luajit", "inner");
  const pyFib = get("fib30", BASELINE, "inner");
  if (ruff !== null && lj !== null) {
    check("fib30 in-program <= luajit", ruff <= lj, `${fmtMs(ruff)} ms vs ${fmtMs(lj)} ms`);
  }
  if (ruff !== null && pyFib !== null) {
    const f = pyFib / ruff;
    check("fib30 in-program >= 30x python3", f >= 30, `${fmtRatio(f)}`);
  }
  for (const name of ["nested_loops", "array_sum", "sieve", "mandelbrot"]) {
    const r = get(name, "ruff", "inner");
    const p = get(name, BASELINE, "inner");
    if (r !== null && p !== null) {
      check(`${name} in-program >= 20x python3`, p / r >= 20, fmtRatio(p / r));
    }
  }
  const rw = get("fib30", "ruff", "wall");
  const pw = get("fib30", BASELINE, "wall");
  if (rw !== null && pw !== null) {
    check(
      "fib30 whole process <= 0.5 x python3",
      rw <= pw / 2,
      `${fmtMs(rw)} ms vs ${fmtMs(pw)} ms (${fmtRatio(rw / pw)})`,
    );
  }
  if (lines.length) {
    console.log("\ntargets (JIT issue; column ruff):");
    for (const l of lines) console.log(l);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(Deno.args);
  const runtimes: Runtime[] = [];
  const versions: string[] = [];
  for (const rt of RUNTIMES) {
    if (args.runtimes && !args.runtimes.includes(rt.name)) continue;
    if (args.ruff !== null && rt.ext === "ruff") {
      rt.cmd = [args.ruff, "run"];
      rt.probe = [args.ruff, "--version"];
    }
    const v = await probe(rt);
    if (v === null) {
      console.error(`(${rt.name} not found; skipped)`);
      continue;
    }
    runtimes.push(rt);
    if (rt.name === "ruff-nojit") continue;
    const shown = rt.resolve || (args.ruff !== null && rt.ext === "ruff");
    versions.push(`${rt.name}: ${v}` + (shown ? ` (${rt.cmd[0]})` : ""));
  }
  versions.push(`deno ${Deno.version.deno}`);
  console.log(versions.join("; "));
  console.log(
    `${args.runs} run(s) each` + (args.warmup ? ` after ${args.warmup} warm-up run(s)` : "") +
      "; medians in ms",
  );

  const results: Results = new Map();
  const problems: string[] = [];
  let failed = false;
  for (const name of args.names) {
    const row = new Map<string, Outcome>();
    results.set(name, row);
    const expected = Deno.readTextFileSync(`${ROOT}bench/programs/${name}.out`);
    const active = runtimes.filter((rt) => {
      try {
        Deno.statSync(`${ROOT}bench/programs/${name}.${rt.ext}`);
        return true;
      } catch {
        row.set(rt.name, { error: "missing" });
        problems.push(`${name} [${rt.name}]: missing`);
        return false;
      }
    });
    const samples = new Map<string, Sample[]>(active.map((rt) => [rt.name, []]));
    // Interleave the runtimes so that slow drifts of the machine affect all of them alike.
    for (let i = 0; i < args.warmup + args.runs; i++) {
      for (const rt of active) {
        if (row.has(rt.name)) continue; // already failed
        const s = await runOnce(rt, name, expected);
        if (typeof s === "string") {
          row.set(rt.name, { error: s });
          problems.push(`${name} [${rt.name}]: ${s}`);
          failed = true;
        } else if (i >= args.warmup) samples.get(rt.name)!.push(s);
      }
    }
    for (const rt of active) {
      if (row.has(rt.name)) continue;
      const ss = samples.get(rt.name)!;
      const inner = ss.map((s) => s.inner).filter((x): x is number => x !== null);
      row.set(rt.name, {
        wall: median(ss.map((s) => s.wall)),
        inner: inner.length === ss.length ? median(inner) : null,
      });
    }
    Deno.stderr.writeSync(new TextEncoder().encode(`${name} `)); // progress
  }
  Deno.stderr.writeSync(new TextEncoder().encode("\n"));

  printTable(
    "whole process: wall-clock time of the child process (ms)",
    "wall",
    args.names,
    runtimes,
    results,
  );
  printTable(
    "in program: the program's own elapsed_ms for its main work (ms)",
    "inner",
    args.names,
    runtimes,
    results,
  );
  console.log(
    "\nX/py: time relative to python3 (lower is faster); py/X: speed-up over python3.",
  );
  printTargets(args.names, results);
  if (problems.length) {
    console.log("\nproblems:");
    for (const p of problems) console.log(`  ${p}`);
  }
  if (args.json) {
    const data = {
      runs: args.runs,
      warmup: args.warmup,
      versions,
      results: Object.fromEntries(
        [...results].map(([n, row]) => [n, Object.fromEntries(row)]),
      ),
    };
    Deno.writeTextFileSync(args.json, JSON.stringify(data, null, 2) + "\n");
  }
  if (failed) Deno.exit(1);
}

if (import.meta.main) await main();
