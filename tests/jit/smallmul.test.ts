/**
 * Products of two `for x in K` elements run without an overflow check (lib/jit/codegen.ts,
 * `smallFactors`): both factors lie in [0, 2^31). The scan on compiled bytecode, and programs
 * where a factor is not such an element (so the check must stay), with the JIT off and on.
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { agrees } from "./_agree.ts";
import { instructions, scanInput } from "./_scan.ts";
import { smallFactors } from "../../lib/jit/codegen.ts";
import { Op } from "../../lib/opcodes.ts";

/**
 * The MULs of function `f` in `src` that `smallFactors` takes, as "GET_LOCAL a * GET_LOCAL b"
 * slot pairs. The stack heights it needs come from the locals each `for` has pushed: `heights`
 * gives the height at each ITER_NEXT, in order.
 */
function found(src: string, heights: number[]): string[] {
  const { code, consts, isInstr, states, handlers } = scanInput(
    src,
    (code) => new Map(instructions(code, Op.ITER_NEXT).map((ip, i) => [ip, heights[i]])),
  );
  return [...smallFactors(code, consts, isInstr, states, handlers)]
    .map((ip) => `${code[ip - 3]}*${code[ip - 1]}`);
}

Deno.test("small factors: which products the scan takes", () => {
  // f(n): slot 1 n, 2 t; the outer for's iterator 3 and element 4, the inner's 5 and 6.
  const nest = (inner: string, bound = "1000", innerBound = "1000") =>
    `func f(n) {
    t := 0
    for i in ${bound} {
        for j in ${innerBound} {
            ${inner}
        }
    }
    return t
}`;
  assertEquals(found(nest("t += i * j"), [4, 6]), ["4*6"]);
  assertEquals(found(nest("t += j * i"), [4, 6]), ["6*4"]);
  assertEquals(found(nest("t += i * j", "2147483648"), [4, 6]), ["4*6"]);
  // A bound above 2^31, a bound that is not an Int constant, a factor that is another local.
  assertEquals(found(nest("t += i * j", "2147483649"), [4, 6]), []);
  assertEquals(found(nest("t += i * j", "n"), [4, 6]), []);
  assertEquals(found(nest("t += i * j", "1000.5"), [4, 6]), []);
  assertEquals(found(nest("t += i * n"), [4, 6]), []);
  // The element written in the loop, or a closure made there.
  assertEquals(found(nest("j += 1\nt += i * j"), [4, 6]), []);
  assertEquals(found(nest("t += i * j\ng := func() { return j }"), [4, 6]), []);
  // A computed factor.
  assertEquals(found(nest("t += (i + 1) * j"), [4, 6]), []);
});

Deno.test("small factors: a factor that is not a plain element keeps its overflow check", async () => {
  const big = "4611686018427387904"; // 2^62: twice it passes the largest Int
  await agrees(
    `func f() {
    t := 0
    for i in 3 {
        for j in 3 {
            j = j + ${big}
            t = i * j
        }
    }
    return t
}
print(f())`,
    "error: Integer overflow: 2 * 4611686018427387904",
  );
  await agrees(
    `func f(m) {
    t := 0
    for i in 4 {
        for j in 3 { t = i * m }
    }
    return t
}
print(f(9223372036854775807))`,
    "error: Integer overflow: 2 * 9223372036854775807",
  );
  // Plain elements: exact products up to the bounds.
  await agrees(
    `func f() {
    t := 0
    for i in 2000 {
        for j in 3 { t += i * j }
    }
    return t
}
print(f())`,
    "5997000\n",
  );
});
