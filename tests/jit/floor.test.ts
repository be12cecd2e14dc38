/**
 * The hand-written kernels of `bench/floor.ts` (the floor of the JIT's first runs) compute what
 * their Ruff programs print, whether their loops pause or not: a floor that did less work would
 * understate it.
 */

import { strictEqual } from "node:assert/strict";
import { assemble, expected, KERNELS, ONE_CALL, PAUSE_BUDGET } from "../../bench/floor.ts";

for (const name of Object.keys(KERNELS)) {
  Deno.test(`floor kernel ${name} returns what bench/programs/${name}.ruff prints`, async () => {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(await assemble(name)), {});
    const run = inst.exports.run as (budget: number) => number;
    const want = await expected(name);
    // Budget 0 pauses at each outermost loop header after the first: every state is restored.
    for (const budget of [PAUSE_BUDGET, ONE_CALL, 0, 1, 100]) {
      strictEqual(run(budget), want, `budget ${budget}`);
      // The steady-state figure calls it again: a second call must give the same.
      strictEqual(run(budget), want, `budget ${budget}, again`);
    }
  });
}
