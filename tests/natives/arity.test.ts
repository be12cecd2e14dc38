import assert from "node:assert/strict";
import { run } from "../../mod.ts";
import { categories } from "../../lib/runtime/index.ts";
import { arityMessage } from "../../lib/runtime/registry.ts";

// Every native's argument count is checked by the VM from its declaration (registry.ts), so one
// generated test per native covers the exact arity error text of the whole library.
for (const cat of categories) {
  Deno.test(`arity errors: ${cat.name}`, async () => {
    for (const spec of cat.natives) {
      const max = spec.max ?? spec.min;
      const counts = [max === Infinity ? -1 : max + 1, spec.min > 0 ? spec.min - 1 : -1]
        .filter((n) => n >= 0);
      for (const n of counts) {
        const args = Array.from({ length: n }, (_, i) => String(i)).join(", ");
        const r = await run(`${spec.name}(${args})`);
        assert.equal(
          r.error?.message,
          arityMessage(spec.name, spec.min, max, n),
          `${spec.name} with ${n} arguments`,
        );
        assert.equal(r.exitCode, 1);
      }
    }
  });
}
