/**
 * Shared by the JIT's rule tests: a program run with the JIT off and on must agree.
 *
 * @module
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { run } from "../../mod.ts";

/**
 * Runs `src` with the JIT off and checks its output (then `error: ` and the error's message, if
 * any) against `expected`; then with the JIT on three ways (every unit compiled at once; the
 * same, pausing at every chance; compiled after 5 calls or back-edges), each of which must give
 * the same output, error and exit code.
 */
export async function agrees(src: string, expected: string): Promise<void> {
  const vm = await run(src, { jit: { enabled: false } });
  assertEquals(vm.output + (vm.error ? `error: ${vm.error.message}` : ""), expected);
  for (const jit of [{ threshold: 1 }, { threshold: 1, pauseBudget: 1 }, { threshold: 5 }]) {
    const r = await run(src, { jit: { enabled: true, ...jit } });
    assertEquals(r.output, vm.output, JSON.stringify(jit));
    assertEquals(r.error?.message ?? null, vm.error?.message ?? null, JSON.stringify(jit));
    assertEquals(r.exitCode, vm.exitCode);
  }
}
