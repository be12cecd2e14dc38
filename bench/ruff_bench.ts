/**
 * Whole-process benchmarks of the Ruff CLI: `deno bench -A bench/` (or `deno task bench`).
 *
 * Each benchmark runs `deno run -A cli.ts bench/programs/NAME.ruff` as a subprocess and checks its
 * stdout against `bench/programs/NAME.out`, so the figures include Deno start-up (~50 ms).
 * For cross-language comparisons use `deno run -A bench/compare.ts`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The programs, fastest first; every one has `.ruff`, `.py`, `.lua`, `.mjs` and `.out` files. */
export const PROGRAMS: readonly string[] = [
  "fib25",
  "fib_iter",
  "nested_loops",
  "string_build",
  "dict_count",
  "mandelbrot",
  "array_sum",
  "sieve",
  "fib30",
];

for (const name of PROGRAMS) {
  const expected = Deno.readTextFileSync(`${ROOT}bench/programs/${name}.out`);
  Deno.bench({
    name,
    group: "ruff",
    n: 5,
    warmup: 1,
    async fn() {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "cli.ts", `bench/programs/${name}.ruff`],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      if (!out.success || stdout !== expected) {
        throw new Error(
          `${name}: exit ${out.code}, stdout ${JSON.stringify(stdout)} (expected ${
            JSON.stringify(expected)
          })\n${new TextDecoder().decode(out.stderr)}`,
        );
      }
    },
  });
}
