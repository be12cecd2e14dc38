/**
 * Increments a loop test bounds (`while k < n { ... k += 1 }`) run without an overflow check
 * (lib/jit/codegen.ts, `boundedIncrements`). Each program runs with the JIT off and on (every
 * loop compiled at once, and pausing at every chance); output, errors and exit codes must agree,
 * near the largest Int above all. (Each loop breaks after 1000 rounds: a missing check would
 * wrap k around and loop for ever.)
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { run } from "../../mod.ts";
import { boundedIncrements } from "../../lib/jit/codegen.ts";
import { OP_OPERANDS } from "../../lib/opcodes.ts";
import { compileProgram, GlobalTable } from "../../lib/compiler.ts";
import { parse } from "../../mod.ts";

async function same(src: string, expected: string) {
  const vm = await run(src, { jit: { enabled: false } });
  assertEquals(vm.output + (vm.error ? `error: ${vm.error.message}` : ""), expected);
  for (const jit of [{ threshold: 1 }, { threshold: 1, pauseBudget: 1 }, { threshold: 5 }]) {
    const r = await run(src, { jit: { enabled: true, ...jit } });
    assertEquals(r.output, vm.output, JSON.stringify(jit));
    assertEquals(r.error?.message ?? null, vm.error?.message ?? null, JSON.stringify(jit));
    assertEquals(r.exitCode, vm.exitCode);
  }
}

const MAX = "9223372036854775807";

Deno.test("bounded increments: up to the largest Int, and past it when the bound is not an Int", async () => {
  // k < n with n the largest Int: k + 1 reaches it and the loop ends, no error.
  await same(
    `
func f(k, n) {
    t := 0
    while k < n {
        if t > 1000 { break }
        t += 1
        k += 1
    }
    return [t, k]
}
print(f(${MAX} - 20, ${MAX}))
print(f(0, 30))`,
    `[20, ${MAX}]\n[30, 30]\n`,
  );
  // A Float bound above every Int: the increment past the largest Int is an error.
  await same(
    `
func f(k, n) {
    t := 0
    while k < n {
        if t > 1000 { break }
        t += 1
        k += 1
    }
    return t
}
print(f(${MAX} - 20, 10000000000000000000000.0))`,
    `error: Integer overflow: ${MAX} + 1`,
  );
  // The constant form.
  await same(
    `
func f(k) {
    t := 0
    while k < ${MAX} {
        if t > 1000 { break }
        k += 1
        t += 1
    }
    return [t, k]
}
print(f(${MAX} - 25))`,
    `[25, ${MAX}]\n`,
  );
});

Deno.test("bounded increments: a second write, an inner loop or a later increment keeps the check", async () => {
  // Two increments a round: the second may pass the largest Int.
  await same(
    `
func f(k, n) {
    t := 0
    while k < n {
        if t > 1000 { break }
        k += 1
        k += 1
        t += 1
    }
    return [t, k]
}
print(f(${MAX} - 21, ${MAX}))`,
    `error: Integer overflow: ${MAX} + 1`,
  );
  // The increment in an inner loop runs many times a round.
  await same(
    `
func f(k, n) {
    t := 0
    while k < n {
        if t > 1000 { break }
        j := 0
        while j < 10 {
            k += 1
            j += 1
        }
        t += 1
    }
    return [t, k]
}
print(f(${MAX} - 25, ${MAX}))`,
    `error: Integer overflow: ${MAX} + 1`,
  );
  // Another write of k in the loop.
  await same(
    `
func f(k, n) {
    t := 0
    while k < n {
        if t > 1000 { break }
        if t == 3 { k = ${MAX} }
        k += 1
        t += 1
    }
    return [t, k]
}
print(f(0, ${MAX}))`,
    `error: Integer overflow: ${MAX} + 1`,
  );
  // An increment after the write: k is no longer the k the test bounded.
  await same(
    `
func f(k, n, m) {
    t := 0
    s := 0
    while k < n {
        if t > 1000 { break }
        k = m
        s = k + 1
        t += 1
    }
    return s
}
print(f(0, 10, ${MAX}))`,
    `error: Integer overflow: ${MAX} + 1`,
  );
  // A bound changed in the loop still bounded the test.
  await same(
    `
func f(k, n) {
    t := 0
    while k < n {
        if t > 1000 { break }
        n = n - 1
        k += 1
        t += 1
    }
    return [t, k, n]
}
print(f(${MAX} - 40, ${MAX}))`,
    "[20, 9223372036854775787, 9223372036854775787]\n",
  );
});

/** The ADD_LK instructions of function `name` in `src` that `boundedIncrements` finds. */
function found(src: string, name: string): number {
  const top = compileProgram(parse(src, "t.ruff"), { globals: new GlobalTable() });
  const proto = top.consts.find((c) => (c as { name?: string })?.name === name) as {
    code: Int32Array;
    consts: unknown[];
  };
  const isInstr = new Uint8Array(proto.code.length + 1);
  for (let ip = 0; ip < proto.code.length; ip += 1 + OP_OPERANDS[proto.code[ip]]) isInstr[ip] = 1;
  return boundedIncrements(proto.code, proto.consts, isInstr).size;
}

Deno.test("bounded increments: which increments the scan takes", () => {
  assertEquals(found("func f(k, n) { while k < n { k += 1 } }", "f"), 1);
  assertEquals(found("func f(k) { while k < 10 { k += 1 } }", "f"), 1);
  assertEquals(found("func f(k, n) { while k < n { k += 2 } }", "f"), 0);
  assertEquals(found("func f(k, n) { while k <= n { k += 1 } }", "f"), 0);
  assertEquals(found("func f(k, n) { while k < n { k += 1\n k += 1 } }", "f"), 0);
  assertEquals(found("func f(k, n) { while k < n { k = k * 2\n k += 1 } }", "f"), 0);
  assertEquals(found("func f(k, n, m) { while k < n { k = m\n s := k + 1 } }", "f"), 0);
});
