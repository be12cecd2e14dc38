/**
 * `ruff bench [PATH] [-i N] [-w N] [--json] [JIT flags]` (LANGUAGE.md §17.1): for each `.ruff`
 * file of PATH (a file, or a directory's files in name order; default `examples/benchmarks`),
 * `-w` warm-up runs and `-i` measured runs, in this process, each with a fresh interpreter
 * (`Session`) and the program's stdout suppressed. Prints mean, median, min, max and sample
 * standard deviation in ms, or with `--json` a JSON array for tools. A failing benchmark (syntax
 * error, uncaught error or non-zero exit) is reported and makes the exit status 1.
 *
 * @module
 */

import { RuffSyntaxError } from "../errors.ts";
import type { JitOptions } from "../jit/options.ts";
import { runSession, Session } from "../runner.ts";
import type { Parsed } from "./args.ts";
import { jitOptions } from "./run.ts";
import { type CliContext, cliError, readSource } from "./source.ts";
import { err, out, Paint } from "./term.ts";

/** Default PATH of `ruff bench`. */
export const DEFAULT_BENCH_PATH = "examples/benchmarks";

/** The statistics of one benchmark's measured runs, in ms. */
export interface BenchStats {
  /** Mean. */
  mean: number;
  /** Median. */
  median: number;
  /** Fastest run. */
  min: number;
  /** Slowest run. */
  max: number;
  /** Sample standard deviation (n - 1); 0 for a single run. */
  stddev: number;
}

/** One entry of the `--json` array. */
export type BenchResult =
  & { name: string; file: string; warmup: number; runs: number; jit: boolean }
  & (
    | ({ ok: true; unit: "ms"; times: number[] } & BenchStats)
    | { ok: false; exitCode: number; error: string }
  );

/** Mean, median, min, max and sample standard deviation of `xs` (non-empty). */
export function stats(xs: readonly number[]): BenchStats {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const variance = n > 1 ? s.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, median, min: s[0], max: s[n - 1], stddev: Math.sqrt(variance) };
}

/** The `.ruff` files of `path` in name order, or an error message. */
function benchFiles(path: string): string[] | string {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (e) {
    return e instanceof Deno.errors.NotFound
      ? `cannot read '${path}': No such file or directory`
      : `cannot read '${path}': ${(e as Error).message}`;
  }
  if (info.isFile) return [path];
  const names: string[] = [];
  for (const entry of Deno.readDirSync(path)) {
    if (entry.isFile && entry.name.endsWith(".ruff")) names.push(entry.name);
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return `no .ruff files in '${path}'`;
  const dir = path.endsWith("/") ? path : `${path}/`;
  return names.map((n) => dir + n);
}

/** Runs `source` once; returns the time in ms, or the failure. */
async function once(
  file: string,
  source: string,
  jit: JitOptions,
  color: boolean,
): Promise<number | { exitCode: number; error: string }> {
  let errText = "";
  const session = new Session({
    file,
    args: [],
    stdout: () => {},
    stderr: (t) => {
      errText += t;
    },
    color,
    jit,
  });
  const t0 = performance.now();
  try {
    const r = await runSession(session, source);
    const ms = performance.now() - t0;
    if (r.exitCode !== 0) {
      return { exitCode: r.exitCode, error: errText || `exit status ${r.exitCode}\n` };
    }
    return ms;
  } catch (e) {
    if (e instanceof RuffSyntaxError) return { exitCode: 1, error: e.format(color) + "\n" };
    throw e;
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `ruff bench`. */
export async function cmdBench(parsed: Parsed, ctx: CliContext): Promise<number> {
  const path = parsed.positionals[0] ?? DEFAULT_BENCH_PATH;
  const runs = Number(parsed.values.iterations ?? 10);
  const warmup = Number(parsed.values.warmup ?? 2);
  const json = parsed.values.json === true;
  const jit = jitOptions(parsed);
  const jitOn = jit.enabled !== false;
  const files = benchFiles(path);
  if (typeof files === "string") {
    err(cliError(files, null, ctx.color));
    return 1;
  }
  const p = new Paint(ctx.colorOut);
  const results: BenchResult[] = [];
  const nameW = Math.max(9, ...files.map((f) => basename(f).length));
  const cols = ["runs", "mean", "median", "min", "max", "stddev"];
  const row = (name: string, cells: string[]) =>
    name.padEnd(nameW) + cells.map((c, i) => c.padStart(i === 0 ? 6 : 10)).join("");
  if (!json) {
    out(
      `ruff bench: ${files.length} program${files.length === 1 ? "" : "s"} from ${path}, ` +
        `${warmup} warm-up + ${runs} measured run${runs === 1 ? "" : "s"} each, JIT ${
          jitOn ? "on" : "off"
        }; times in ms\n\n`,
    );
    out(p.bold(row("benchmark", cols)) + "\n");
  }
  let failed = 0;
  for (const file of files) {
    const name = basename(file);
    const base = { name, file, warmup, runs, jit: jitOn };
    const fail = (exitCode: number, error: string) => {
      failed++;
      results.push({ ...base, ok: false, exitCode, error });
      if (!json) out(row(name, ["", "FAILED"]).replace("FAILED", p.red("FAILED")) + "\n");
      err(cliError(`benchmark '${file}' failed (exit status ${exitCode})`, null, ctx.color));
      err(error);
    };
    const source = readSource(file, ctx.color);
    if (source === null) {
      failed++;
      results.push({ ...base, ok: false, exitCode: 1, error: `cannot read '${file}'` });
      if (!json) out(row(name, ["", "FAILED"]).replace("FAILED", p.red("FAILED")) + "\n");
      continue;
    }
    const times: number[] = [];
    let failure: { exitCode: number; error: string } | null = null;
    for (let i = 0; i < warmup + runs && failure === null; i++) {
      const r = await once(file, source, jit, ctx.color);
      if (typeof r !== "number") failure = r;
      else if (i >= warmup) times.push(r);
    }
    if (failure) {
      fail(failure.exitCode, failure.error);
      continue;
    }
    const s = stats(times);
    results.push({ ...base, ok: true, unit: "ms", times, ...s });
    if (!json) {
      const cells = [s.mean, s.median, s.min, s.max, s.stddev].map((x) => x.toFixed(2));
      out(row(name, [String(times.length), ...cells]) + "\n");
    }
  }
  if (json) out(JSON.stringify(results, null, 2) + "\n");
  else if (failed) out(`\n${failed} of ${files.length} benchmarks failed\n`);
  return failed ? 1 : 0;
}
