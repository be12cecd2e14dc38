/**
 * Increments a loop test bounds (`while k < n { ... k += 1 }`) run without an overflow check
 * (lib/jit/codegen.ts, `boundedIncrements`). Each program runs with the JIT off and on (every
 * loop compiled at once, and pausing at every chance); output, errors and exit codes must agree,
 * near the largest Int above all. (Each loop breaks after 1000 rounds: a missing check would
 * wrap k around and loop for ever.)
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { agrees } from "./_agree.ts";

import { boundedIncrements } from "../../lib/jit/codegen.ts";
import { OP_OPERANDS } from "../../lib/opcodes.ts";
import { compileProgram, GlobalTable } from "../../lib/compiler.ts";
import { parse } from "../../mod.ts";

const MAX = "9223372036854775807";
const OVERFLOW = `error: Integer overflow: ${MAX} + 1`;

/**
 * A function `f(params)` counting rounds in `t` of a loop `while test { body }` (which breaks
 * after 1000 rounds) and returning `ret`, then a line printing each call in `calls`.
 */
function loop(params: string, test: string, body: string, ret: string, ...calls: string[]) {
  return `
func f(${params}) {
    t := 0
    s := 0
    while ${test} {
        if t > 1000 { break }
${body.trim().split("\n").map((l) => `        ${l.trim()}`).join("\n")}
    }
    return ${ret}
}
${calls.map((c) => `print(f(${c}))`).join("\n")}`;
}

Deno.test("bounded increments: up to the largest Int, and past it when the bound is not an Int", async () => {
  // k < n with n the largest Int: k + 1 reaches it and the loop ends, no error.
  const count = "t += 1\nk += 1";
  await agrees(
    loop("k, n", "k < n", count, "[t, k]", `${MAX} - 20, ${MAX}`, "0, 30"),
    `[20, ${MAX}]\n[30, 30]\n`,
  );
  // A Float bound above every Int: the increment past the largest Int is an error.
  await agrees(
    loop("k, n", "k < n", count, "t", `${MAX} - 20, 10000000000000000000000.0`),
    OVERFLOW,
  );
  // The constant form.
  await agrees(loop("k", `k < ${MAX}`, count, "[t, k]", `${MAX} - 25`), `[25, ${MAX}]\n`);
});

Deno.test("bounded increments: a second write, an inner loop or a later increment keeps the check", async () => {
  // Two increments a round: the second may pass the largest Int.
  await agrees(
    loop("k, n", "k < n", "k += 1\nk += 1\nt += 1", "[t, k]", `${MAX} - 21, ${MAX}`),
    OVERFLOW,
  );
  // The increment in an inner loop runs many times a round.
  await agrees(
    loop(
      "k, n",
      "k < n",
      "j := 0\nwhile j < 10 {\nk += 1\nj += 1\n}\nt += 1",
      "[t, k]",
      `${MAX} - 25, ${MAX}`,
    ),
    OVERFLOW,
  );
  // Another write of k in the loop.
  await agrees(
    loop("k, n", "k < n", `if t == 3 { k = ${MAX} }\nk += 1\nt += 1`, "[t, k]", `0, ${MAX}`),
    OVERFLOW,
  );
  // An increment after the write: k is no longer the k the test bounded.
  await agrees(
    loop("k, n, m", "k < n", "k = m\ns = k + 1\nt += 1", "s", `0, 10, ${MAX}`),
    OVERFLOW,
  );
  // A bound changed in the loop still bounded the test.
  await agrees(
    loop("k, n", "k < n", "n = n - 1\nk += 1\nt += 1", "[t, k, n]", `${MAX} - 40, ${MAX}`),
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
