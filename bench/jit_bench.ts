/**
 * The JIT against the bytecode VM, in process: `deno bench -A bench/jit_bench.ts`.
 *
 * Every program of `bench/programs/` (with `fib25` standing in for `fib30`) runs through `run`
 * from `mod.ts` twice per iteration group: with `{ jit: { enabled: false } }` (the baseline) and
 * with `{ jit: { enabled: true } }`, and `deno bench` prints how much faster the JIT is. Each run
 * checks its captured stdout against `bench/programs/NAME.out`. Set `RUFF_JIT_BENCH` to a
 * comma-separated list of program names to bench only those.
 *
 * @module
 */

import { run } from "../mod.ts";

const ROOT = new URL("../", import.meta.url);

/** The programs benched here: those of `ruff_bench.ts` except the slow `fib30`. */
export const JIT_PROGRAMS: readonly string[] = [
  "fib25",
  "fib_iter",
  "nested_loops",
  "string_build",
  "dict_count",
  "mandelbrot",
  "array_sum",
  "sieve",
];

function selected(): readonly string[] {
  let only: string | undefined;
  try {
    only = Deno.env.get("RUFF_JIT_BENCH");
  } catch {
    // no --allow-env: all programs
  }
  if (!only) return JIT_PROGRAMS;
  const names = only.split(",").map((s) => s.trim()).filter((s) => s);
  for (const n of names) {
    if (!JIT_PROGRAMS.includes(n)) {
      throw new Error(`RUFF_JIT_BENCH: unknown program ${n} (known: ${JIT_PROGRAMS.join(", ")})`);
    }
  }
  return names;
}

/** stdout without the `elapsed_ms:` line a program prints when `RUFF_BENCH_ELAPSED=1`. */
function withoutElapsed(out: string): string {
  return out.split("\n").filter((l) => !l.startsWith("elapsed_ms:")).join("\n");
}

const programs = selected().map((name) => {
  const file = `bench/programs/${name}.ruff`;
  return {
    name,
    file,
    source: Deno.readTextFileSync(new URL(file, ROOT)),
    expected: Deno.readTextFileSync(new URL(`bench/programs/${name}.out`, ROOT)),
  };
});

// One untimed pass over every program in both modes first, so that V8 has already optimised the
// VM (and the JIT) when the first measured iteration starts; otherwise whichever bench runs
// first pays for that warm-up and the comparison is biased.
// The time of that pass also sets the number of measured iterations: about 1.5 s per bench,
// between 3 and 30 iterations.
const iterations = new Map<string, number>();
for (const { name, source, file } of programs) {
  const t0 = performance.now();
  for (const enabled of [false, true]) await run(source, { file, jit: { enabled } });
  const each = (performance.now() - t0) / 2;
  iterations.set(name, Math.max(3, Math.min(30, Math.round(1500 / Math.max(each, 1)))));
}

for (const { name, file, source, expected } of programs) {
  const n = iterations.get(name)!;
  for (const jit of [false, true]) {
    Deno.bench({
      name: `${name} jit ${jit ? "on" : "off"}`,
      group: name,
      baseline: !jit,
      n,
      warmup: Math.max(2, Math.round(n / 5)),
      async fn() {
        const r = await run(source, { file, jit: { enabled: jit } });
        const out = withoutElapsed(r.output);
        if (r.exitCode !== 0 || out !== expected) {
          throw new Error(
            `${name} (jit ${jit ? "on" : "off"}): exit ${r.exitCode}, stdout ${
              JSON.stringify(out)
            } (expected ${JSON.stringify(expected)})\n${r.errorText}`,
          );
        }
      },
    });
  }
}
