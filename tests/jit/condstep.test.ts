/**
 * Conditional steps (`if c { n += k }`) compiled without a branch (lib/jit/codegen.ts,
 * `conditionalSteps`): n gains k or 0. Each program runs with the JIT off and on (every loop
 * compiled at once, pausing at every chance, and compiled later); output, errors and exit codes
 * must agree, at the ends of the Int range above all.
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { agrees } from "./_agree.ts";
import { parse } from "../../mod.ts";
import { conditionalSteps } from "../../lib/jit/codegen.ts";
import { Op } from "../../lib/opcodes.ts";
import { compileProgram, GlobalTable } from "../../lib/compiler.ts";

const MAX = "9223372036854775807";
const MIN = "(-9223372036854775807 - 1)";

/** `f(xs, n)`: for each x of xs, the `if` lines of `body` (x in scope), then `n` returned. */
function counter(body: string, ...calls: string[]) {
  return `
func f(xs, n) {
    for x in xs {
${body.trim().split("\n").map((l) => `        ${l.trim()}`).join("\n")}
    }
    return n
}
${calls.map((c) => `print(f(${c}))`).join("\n")}`;
}

Deno.test("conditional steps: counts by every kind of condition", async () => {
  const xs = "[0, 1, 2, 3, -1, 0, 7, 2, 0, 5]";
  await agrees(counter("if x > 2 { n += 1 }", `${xs}, 0`), "3\n");
  await agrees(counter("if x { n += 1 }", `${xs}, 0`), "7\n");
  await agrees(counter("if !x { n -= 3 }", `${xs}, 100`), "91\n");
  await agrees(counter("if x == 2 || x < 0 { n += 5 }", `${xs}, 0`), "15\n");
  await agrees(counter("if x > 1 && x < 5 { n -= 1 }", `${xs}, 0`), "-3\n");
  // Bool and Float elements: their truthiness.
  await agrees(counter("if x { n += 2 }", "[true, false, true, true], 0"), "6\n");
  await agrees(counter("if x { n += 1 }", "[0.0, -0.0, 0.5, 2.0], 0"), "2\n");
  // Two steps of one local a round, and a step of a local the loop also reads.
  await agrees(counter("if x > 0 { n += 1 }\nif x > 2 { n += 10 }", `${xs}, 0`), "36\n");
  await agrees(counter("if n < 3 { n += 1 }", `${xs}, 0`), "3\n");
});

Deno.test("conditional steps: the largest and smallest Int", async () => {
  const xs = "[1, 0, 0, 0, 0, 0, 0, 0]";
  // Only the taken step overflows: at the largest Int, untaken steps are no error.
  await agrees(counter("if x == 0 { n += 1 }", `${xs}, ${MAX} - 7`), `${MAX}\n`);
  await agrees(
    counter("if x == 0 { n += 1 }", `${xs}, ${MAX} - 6`),
    `error: Integer overflow: ${MAX} + 1`,
  );
  await agrees(
    counter("if x == 1 { n += 1 }", `${xs}, ${MAX}`),
    `error: Integer overflow: ${MAX} + 1`,
  );
  await agrees(counter("if x == 1 { n += 1 }", `[0, 0, 0], ${MAX}`), `${MAX}\n`);
  await agrees(counter("if x == 0 { n -= 2 }", `${xs}, ${MIN} + 14`), "-9223372036854775808\n");
  await agrees(
    counter("if x == 0 { n -= 2 }", `${xs}, ${MIN} + 13`),
    `error: Integer overflow: -9223372036854775807 - 2`,
  );
  await agrees(counter("if x { n += 1000 }", `[1, 1], ${MAX} - 2000`), `${MAX}\n`);
  await agrees(
    counter("if x { n += 1000 }", `[1, 1], ${MAX} - 1999`),
    `error: Integer overflow: 9223372036854774808 + 1000`,
  );
});

Deno.test("conditional steps: side effects before an overflow, and a handler", async () => {
  // What the loop printed before the overflow stays printed, once.
  const src = `
func f(n) {
    for i in 6 {
        print(i, n)
        if i % 2 == 1 { n += 1 }
    }
    return n
}
try { print(f(${MAX} - 2)) } except e { print("caught", e.message) }`;
  await agrees(
    src,
    `0 ${BigInt(MAX) - 2n}\n1 ${BigInt(MAX) - 2n}\n2 ${BigInt(MAX) - 1n}\n` +
      `3 ${BigInt(MAX) - 1n}\n4 ${MAX}\n5 ${MAX}\n` +
      `caught Integer overflow: ${MAX} + 1\n`,
  );
});

Deno.test("conditional steps: a step bounded by its loop test, and a kind change", async () => {
  // k is the loop's counter: the step cannot overflow while k < n.
  await agrees(
    `func f(k, n) {
    t := 0
    while k < n {
        t += 1
        if t % 3 != 0 { k += 1 }
    }
    return [t, k]
}
print(f(${MAX} - 10, ${MAX}))`,
    `[14, ${MAX}]\n`,
  );
  // n becomes a Float: the paths meet with different kinds, which the VM runs.
  await agrees(
    counter("if x > 0 { n += 1 }\nif n == 3 { n = 0.5 }", "[1, 1, 1, 1, 1], 0"),
    "2.5\n",
  );
});

/** The conditional steps that `conditionalSteps` finds in function `name` of `src`. */
function steps(src: string, name = "f"): string[] {
  const top = compileProgram(parse(src, "t.ruff"), { globals: new GlobalTable() });
  const proto = top.consts.find((c) => (c as { name?: string })?.name === name) as {
    code: Int32Array;
    consts: unknown[];
    handlers: { target: number }[];
  };
  return [...conditionalSteps(proto.code, proto.consts, proto.handlers).values()]
    .map((s) => `${s.slot}:${s.delta}`);
}

Deno.test("conditional steps: which jumps the scan takes", () => {
  assertEquals(steps("func f(c, n) { if c { n += 1 } }"), ["2:1"]);
  assertEquals(steps("func f(c, n) { if c > 1 { n -= 4 } }"), ["2:-4"]);
  assertEquals(steps("func f(c, n) { if c || n { n += 2 } }"), ["2:2"]);
  // Not a single step of one local: an else, two statements, another local, a Float or a
  // computed amount.
  assertEquals(steps("func f(c, n) { if c { n += 1 } else { n += 2 } }"), []);
  assertEquals(steps("func f(c, n, m) { if c { n += 1\n m += 1 } }"), []);
  assertEquals(steps("func f(c, n, m) { if c { n = m + 1 } }"), []);
  assertEquals(steps("func f(c, n) { if c { n += 0.5 } }"), []);
  assertEquals(steps("func f(c, n, m) { if c { n += m } }"), []);
  assertEquals(steps("func f(c, n) { if c { n += 0 } }"), []);
});

Deno.test("conditional steps: a step that another jump reaches is left alone", () => {
  // 0: JUMP_IF_FALSE 7; 2: ADD_LK 0 k0; 5: SET_LOCAL 0; 7: JUMP 2 (a jump into the step).
  const code = [Op.JUMP_IF_FALSE, 7, Op.ADD_LK, 0, 0, Op.SET_LOCAL, 0, Op.JUMP, 2];
  assertEquals(conditionalSteps(code, [1], []).size, 0);
  code[8] = 0;
  assertEquals(conditionalSteps(code, [1], []).size, 1);
  // A handler at the step's SET_LOCAL.
  assertEquals(conditionalSteps(code, [1], [{ target: 5 }]).size, 0);
  // A constant that is not an Int.
  assertEquals(conditionalSteps(code, ["1"], []).size, 0);
});
