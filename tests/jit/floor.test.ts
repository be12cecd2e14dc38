/**
 * The hand-written kernels of `bench/floor.ts` (the floor of the JIT's first runs) compute what
 * their Ruff programs print: a floor that did less work would understate it.
 */

import { strictEqual } from "node:assert/strict";
import { assemble, expected, KERNELS } from "../../bench/floor.ts";

for (const name of Object.keys(KERNELS)) {
  Deno.test(`floor kernel ${name} returns what bench/programs/${name}.ruff prints`, async () => {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(await assemble(name)), {});
    const run = inst.exports.run as () => number;
    strictEqual(run(), await expected(name));
    // The steady-state figure calls it again: a second call must give the same.
    strictEqual(run(), await expected(name));
  });
}
