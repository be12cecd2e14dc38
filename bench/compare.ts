/**
 * Cross-language comparison: runs every benchmark program as a whole process in Ruff
 * (`deno run -A cli.ts`), python3, node and luajit (each only when installed), `--runs N` times
 * (default 3), checks the output against `bench/programs/NAME.out`, and prints median wall-clock
 * times and ratios against python3.
 *
 *     deno run -A bench/compare.ts [--runs N] [NAME…]
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
  /** Command and arguments for a program path (relative to the repository root). */
  argv(path: string): string[];
  /** Arguments that make the command print its version (used to detect it). */
  probe: string[];
}

const RUNTIMES: Runtime[] = [
  {
    name: "ruff",
    ext: "ruff",
    argv: (p) => [Deno.execPath(), "run", "-A", "cli.ts", p],
    probe: [Deno.execPath(), "--version"],
  },
  { name: "python3", ext: "py", argv: (p) => ["python3", p], probe: ["python3", "--version"] },
  { name: "node", ext: "mjs", argv: (p) => ["node", p], probe: ["node", "--version"] },
  { name: "luajit", ext: "lua", argv: (p) => ["luajit", p], probe: ["luajit", "-v"] },
];

type Outcome = { ms: number } | { error: string };

async function exec(argv: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  const dec = new TextDecoder();
  return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function available(rt: Runtime): Promise<boolean> {
  try {
    return (await exec(rt.probe)).ok;
  } catch {
    return false;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function measure(rt: Runtime, name: string, runs: number): Promise<Outcome> {
  const path = `bench/programs/${name}.${rt.ext}`;
  let expected: string;
  try {
    Deno.statSync(`${ROOT}${path}`);
    expected = Deno.readTextFileSync(`${ROOT}bench/programs/${name}.out`);
  } catch {
    return { error: "missing" };
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    let res;
    try {
      res = await exec(rt.argv(path));
    } catch (err) {
      return { error: `could not run: ${err}` };
    }
    const ms = performance.now() - t0;
    if (!res.ok) return { error: `failed: ${res.stderr.trim().split("\n")[0] ?? ""}` };
    if (res.stdout !== expected) {
      return { error: `wrong output ${JSON.stringify(res.stdout.slice(0, 60))}` };
    }
    times.push(ms);
  }
  return { ms: median(times) };
}

function parseArgs(args: string[]): { runs: number; names: string[] } {
  let runs = 3;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--runs" || a === "-n") {
      runs = Number(args[++i]);
    } else if (a.startsWith("--runs=")) {
      runs = Number(a.slice("--runs=".length));
    } else if (a === "--help" || a === "-h") {
      console.log("usage: deno run -A bench/compare.ts [--runs N] [NAME…]");
      console.log(`programs: ${PROGRAMS.join(", ")}`);
      Deno.exit(0);
    } else if (a.startsWith("-")) {
      console.error(`unknown option ${a}`);
      Deno.exit(2);
    } else {
      names.push(a.replace(/\.(ruff|py|mjs|lua)$/, ""));
    }
  }
  if (!Number.isInteger(runs) || runs < 1) {
    console.error("--runs needs a positive integer");
    Deno.exit(2);
  }
  for (const n of names) {
    if (!PROGRAMS.includes(n)) {
      console.error(`unknown program ${n} (known: ${PROGRAMS.join(", ")})`);
      Deno.exit(2);
    }
  }
  return { runs, names: names.length ? names : [...PROGRAMS] };
}

function pad(s: string, w: number, left = false): string {
  return left ? s.padEnd(w) : s.padStart(w);
}

async function main(): Promise<void> {
  const { runs, names } = parseArgs(Deno.args);
  const runtimes: Runtime[] = [];
  for (const rt of RUNTIMES) {
    if (await available(rt)) runtimes.push(rt);
    else console.error(`(${rt.name} not found; skipped)`);
  }
  const py = runtimes.find((r) => r.name === "python3");
  console.log(`median wall-clock time of ${runs} run(s), whole process, in ms\n`);

  const header = ["program", ...runtimes.map((r) => r.name)];
  const ratioOf = runtimes.filter((r) => r !== py);
  if (py) header.push(...ratioOf.map((r) => `${r.name}/py`));
  const widths = header.map((h, i) => Math.max(h.length, i === 0 ? 12 : 9));
  console.log(header.map((h, i) => pad(h, widths[i], i === 0)).join("  "));

  const failures: string[] = [];
  let anyFailed = false;
  for (const name of names) {
    const results = new Map<string, Outcome>();
    for (const rt of runtimes) {
      const r = await measure(rt, name, runs);
      results.set(rt.name, r);
      if ("error" in r) {
        failures.push(`${name} [${rt.name}]: ${r.error}`);
        if (r.error !== "missing") anyFailed = true;
      }
    }
    const cells = [name];
    for (const rt of runtimes) {
      const r = results.get(rt.name)!;
      cells.push("ms" in r ? r.ms.toFixed(0) : "ERR");
    }
    if (py) {
      const base = results.get(py.name)!;
      for (const rt of ratioOf) {
        const r = results.get(rt.name)!;
        cells.push("ms" in r && "ms" in base ? `${(r.ms / base.ms).toFixed(2)}x` : "-");
      }
    }
    console.log(cells.map((c, i) => pad(c, widths[i], i === 0)).join("  "));
  }
  if (failures.length) {
    console.log("\nproblems:");
    for (const f of failures) console.log(`  ${f}`);
  }
  if (anyFailed) Deno.exit(1);
}

if (import.meta.main) await main();
