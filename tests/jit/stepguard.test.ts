/**
 * Guarded steps and sums (lib/jit/codegen.ts, `guardedSteps`, `guardedSums`): in
 * `while j < n { ... j += i }` the step, and in a loop of few rounds a sum of 32-bit Int elements
 * or a count, has no overflow check of its own once a guard where control enters the loop (or a
 * door into it) holds. The scans on compiled bytecode; programs whose guards hold and fail, at the
 * ends of the Int range, with the JIT off and on; and the recompile without guards after one
 * failed.
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { agrees } from "./_agree.ts";
import { instructions, scanInput } from "./_scan.ts";
import { guardedSteps, guardedSums } from "../../lib/jit/codegen.ts";
import { Op } from "../../lib/opcodes.ts";
import { run } from "../../mod.ts";

const MAX = "9223372036854775807";

/**
 * The steps of function `f` in `src` that `guardedSteps` takes, as "j+=step<bound" with slots
 * (`sN`) or constants. The header states it needs are `height` slots high at every loop.
 */
function found(src: string, height: number): string[] {
  const { code, consts, isInstr, states, handlers } = scanInput(src, loopHeaders(height));
  const show = (x: { slot: number } | { k: bigint }) => ("slot" in x ? `s${x.slot}` : `${x.k}`);
  return [...guardedSteps(code, consts, isInstr, states, handlers).values()]
    .map((g) => `s${g.slot}+=${show(g.step)}<${show(g.bound)}`);
}

/** States `height` slots high at the header of every loop (a LOOP's target). */
function loopHeaders(height: number) {
  return (code: Int32Array) =>
    new Map(instructions(code, Op.LOOP).map((ip) => [code[ip + 1], height] as [number, number]));
}

/**
 * `src` agrees with the VM, and compiled after 5 calls or back-edges it discards one unit for a
 * failed guard and none for bailing out again and again (the function is compiled checked next).
 */
async function guardFailsOnce(src: string, expected: string): Promise<void> {
  await agrees(src, expected);
  const r = await run(src, { jit: { threshold: 5, stats: true } });
  assertEquals(r.output, expected);
  // (The guard's own exit may show as its caller's: a restartable callee leaves no record.)
  const discarded = /(\d+) {2}discarded: a guard of unchecked steps or sums failed/.exec(
    r.errorText,
  );
  assertEquals(discarded?.[1], "1", r.errorText);
  assertEquals(r.errorText.includes("keeps bailing out"), false, r.errorText);
}

Deno.test("guarded steps: which steps the scan takes", () => {
  // f(n, i): slot 1 n, 2 i, 3 j, 4 c.
  const loop = (body: string, test = "j < n", extra = "") =>
    `func f(n, i) {
    j := 0
    c := 0
    ${extra}
    while ${test} {
        ${body.split("\n").join("\n        ")}
    }
    return j
}`;
  assertEquals(found(loop("j += i"), 5), ["s3+=s2<s1"]);
  assertEquals(found(loop("c += 1\nj = j + i"), 5), ["s3+=s2<s1"]);
  assertEquals(found(loop("j += i", "j < 1000"), 5), ["s3+=s2<1000"]);
  assertEquals(found(loop("j += 3"), 5), ["s3+=3<s1"]);
  assertEquals(found(loop("j += 7", "j < 1000"), 5), ["s3+=7<1000"]);
  // A step of 1 is boundedIncrements'; computed steps, and `i + j`, are not taken.
  assertEquals(found(loop("j += 1"), 5), []);
  assertEquals(found(loop("j += i * 2"), 5), []);
  assertEquals(found(loop("j = i + j"), 5), []);
  // Another test: `<=`, a Float bound, a test of another local.
  assertEquals(found(loop("j += i", "j <= n"), 5), []);
  assertEquals(found(loop("j += i", "j < 1000.5"), 5), []);
  assertEquals(found(loop("j += i\nc += 1", "c < n"), 5), []);
  // The step or the bound written in the loop, j written twice, a step in a nested loop.
  assertEquals(found(loop("i += 1\nj += i"), 5), []);
  assertEquals(found(loop("n -= 1\nj += i"), 5), []);
  assertEquals(found(loop("j += i\nj += i"), 5), []);
  assertEquals(found(loop("for x in 2 { j += i }"), 5), []);
  // A step declared in the loop (above the header's height), and a closure in the function.
  assertEquals(found(loop("s := i\nj += s"), 5), []);
  assertEquals(found(loop("j += i", "j < n", "g := func() { return i }"), 6), []);
  // Locals above the height of the header (as if they were made in the loop).
  assertEquals(found(loop("j += i"), 3), []);
});

Deno.test("guarded steps: strides whose guard holds", async () => {
  const sieve = (limit: number) =>
    `func count(limit) {
    flags := []
    for k in limit { flags.push(true) }
    i := 2
    while i * i < limit {
        if flags[i] {
            j := i * i
            while j < limit {
                flags[j] := false
                j += i
            }
        }
        i += 1
    }
    n := 0
    for x in flags { if x { n += 1 } }
    return n - 2
}
print(count(${limit}))`;
  await agrees(sieve(1000), "168\n");
  await agrees(sieve(30000), "3245\n");
  // A constant bound, a constant step, and a bound just below the largest Int.
  await agrees(
    `func f(i) {
    j := 0
    t := 0
    while j < 1000 {
        t += j
        j += i
    }
    return t
}
func g(n) {
    j := n - 100
    t := 0
    while j < n {
        t += 1
        j += 9
    }
    return [j, t]
}
for r in 4 { print(f(3 + r), g(${MAX} - 9)) }`,
    "166833 [9223372036854775806, 12]\n" +
      "124500 [9223372036854775806, 12]\n" +
      "99500 [9223372036854775806, 12]\n" +
      "83166 [9223372036854775806, 12]\n",
  );
});

Deno.test("guarded steps: a failed guard leaves, and the VM raises the overflow", async () => {
  // A step that overflows: the error is the VM's, at the step.
  const stride = (start: string, step: string, bound: string) =>
    `func f(j, s, n) {
    c := 0
    while j < n {
        c += 1
        if c > 50 { break }
        j += s
    }
    return [j, c]
}
for r in 3 { print(f(${start}, ${step}, ${bound})) }`;
  await agrees(
    stride("0", "4611686018427387904", MAX),
    "error: Integer overflow: 4611686018427387904 + 4611686018427387904",
  );
  await agrees(
    stride(`${MAX} - 10`, "3", MAX),
    "error: Integer overflow: 9223372036854775806 + 3",
  );
  // The bound the guard refuses, with no overflow after all (the loop stops first).
  await agrees(stride(`${MAX} - 10`, "5", `${MAX} - 3`), "[9223372036854775807, 2]\n".repeat(3));
  // Negative and zero steps: the guard fails (negative) or holds (zero); the loop stops at 50.
  await agrees(stride("0", "(-3)", "10"), "[-150, 51]\n".repeat(3));
  await agrees(stride("5", "0", "10"), "[5, 51]\n".repeat(3));
  // A negative step under a bound so low that MAX - step does not wrap past it.
  await agrees(
    stride(`-${MAX}`, "(-5)", `-${MAX} + 2`),
    "error: Integer overflow: -9223372036854775807 + -5",
  );
  await agrees(
    stride(`-${MAX}`, "(-1000000000000000000)", "0"),
    "error: Integer overflow: -9223372036854775807 + -1000000000000000000",
  );
});

Deno.test("guarded steps: a function unit checks the guard where it enters the loop", async () => {
  // f is compiled as a function (it returns an Int, its arguments stay below 2^53): its loop is
  // entered from the code before it, with a step and a bound in units of 2^40.
  const src = (calls: string) =>
    `func f(s, m) {
    step := s * 1099511627776
    n := m * 1099511627776
    j := 0
    t := 0
    while j < n {
        t += 1
        if t > 10 { break }
        j += step
    }
    return t
}
total := 0
for r in 30 { total += f(7, 50) }
print(total)
${calls}`;
  await agrees(src(""), "240\n");
  // 2^62 under a bound near 2^63: the second step overflows.
  await agrees(
    src("print(f(4194304, 8388607))"),
    "240\nerror: Integer overflow: 4611686018427387904 + 4611686018427387904",
  );
  // The guard fails (n > MAX - step), but the loop ends before any overflow.
  await agrees(src("print(f(8388000, 5))"), "240\n1\n");
  // A negative step, and a zero one: the loop stops at t > 10.
  await agrees(src("print(f(-3, 5))\nprint(f(0, 5))"), "240\n11\n11\n");
});

Deno.test("guarded steps: function units near the ends of the Int range", async () => {
  // Values computed in compiled code (in units of 2^40) from arguments below 2^53: j starts at
  // m * 2^40, and each function returns how many steps it took (at most 10).
  const fns = `func local_bound(s, m) {
    j := m * 1099511627776
    n := j + 2
    t := 0
    while j < n {
        t += 1
        if t > 10 { break }
        j += s
    }
    return t
}
func const_bound(s, m) {
    j := m * 1099511627776
    t := 0
    while j < 100 {
        t += 1
        if t > 10 { break }
        j += s
    }
    return t
}
func const_step(m) {
    n := m * 1099511627776 + 1099511627775
    j := n - 3
    t := 0
    while j < n {
        t += 1
        if t > 10 { break }
        j += 7
    }
    return t
}
total := 0
for r in 20 { total += local_bound(1, 5) + const_bound(30, 0) + const_step(5) }
print(total)
`;
  await agrees(fns, "140\n");
  // A small negative step under the lowest bounds: MAX - step wraps, only 0 <= i refuses it.
  await agrees(
    fns + "print(local_bound(-5, -8388608))",
    "140\nerror: Integer overflow: -9223372036854775808 + -5",
  );
  // A negative step under a constant bound (an unsigned comparison refuses it).
  await agrees(
    fns + "print(const_bound(-5, -8388608))",
    "140\nerror: Integer overflow: -9223372036854775808 + -5",
  );
  // A constant step under a bound of MAX: n > MAX - 7 refuses it.
  await agrees(
    fns + "print(const_step(8388607))",
    "140\nerror: Integer overflow: 9223372036854775804 + 7",
  );
});

Deno.test("guarded steps: a door inside the guarded loop checks the guard", async () => {
  // The inner `for` gets hot first: the unit is entered at its door, inside the strided loop.
  await agrees(
    `func f(s, n, rounds) {
    j := 0
    t := 0
    r := 0
    while j < n {
        for x in 200 { t += x % 3 }
        r += 1
        if r >= rounds { break }
        j += s
    }
    return [j, t, r]
}
print(f(7, 20, 100))
print(f(${MAX}, ${MAX}, 3))
print(f(4611686018427387904, ${MAX}, 3))`,
    "[21, 597, 3]\n[9223372036854775807, 199, 1]\n" +
      "error: Integer overflow: 4611686018427387904 + 4611686018427387904",
  );
});

Deno.test("guarded steps: after a guard fails, the function's steps are checked", async () => {
  // Strides the guard refuses (s > MAX - n), then small ones: one guard exit, then a unit with
  // checked steps.
  const src = `func f(s, n) {
    j := 0
    t := 0
    while j < n {
        t += 1
        j += s
    }
    return t
}
total := 0
for r in 40 { total += f(${MAX} - 5, 10) }
for r in 200 { total += f(3, 300) }
print(total)`;
  await guardFailsOnce(src, "20040\n");
});

/** The sums of function `f` in `src` that `guardedSums` takes, as "sN+=for" or "sN+=a[]<...". */
function sums(src: string, height: number): string[] {
  const { code, consts, isInstr, states, handlers } = scanInput(src, loopHeaders(height));
  return [...guardedSums(code, consts, isInstr, states, handlers).values()]
    .map((g) => {
      const r = g.rounds;
      if ("iter" in r) return `s${g.slot}+=for s${r.iter}`;
      const n = "slot" in r.bound ? `s${r.bound.slot}` : `${r.bound.k}`;
      return `s${g.slot}+=s${r.array}[] s${r.j}<${n}`;
    });
}

Deno.test("guarded sums: which sums the scan takes", () => {
  // f(xs): slot 1 xs, 2 t; in a for loop, 3 the iterator and 4 the element.
  const each = (body: string, extra = "") =>
    `func f(xs) {
    t := 0
    ${extra}
    for x in xs {
        ${body.split("\n").join("\n        ")}
    }
    return t
}`;
  assertEquals(sums(each("t += x"), 4), ["s2+=for s3"]);
  // Counts, plain or in an `if`, up or down, by up to 2^31.
  assertEquals(sums(each("t += 1"), 4), ["s2+=for s3"]);
  assertEquals(sums(each("if x { t += 5 }"), 4), ["s2+=for s3"]);
  assertEquals(sums(each("t -= 2147483648"), 4), ["s2+=for s3"]);
  assertEquals(sums(each("t += 2147483649"), 4), []);
  assertEquals(sums(each("t = t + x"), 4), ["s2+=for s3"]);
  assertEquals(sums(each("if x > 0 { t += x }"), 4), ["s2+=for s3"]);
  assertEquals(sums(each("t += x * 2"), 4), []);
  assertEquals(sums(each("t = x + t"), 4), []);
  assertEquals(sums(each("t += x\nt += x"), 4), []);
  assertEquals(sums(each("x = 1\nt += x"), 4), []);
  assertEquals(sums(each("for y in xs { t += y }"), 4), []);
  assertEquals(sums(each("t += x", "g := func() { return t }"), 5), []);
  // f(xs): slot 1 xs, 2 t, 3 j, 4 n (k: 5, declared in the loop).
  const index = (body: string, test = "j < n") =>
    `func f(xs) {
    t := 0
    j := 0
    n := len(xs)
    while ${test} {
        ${body.split("\n").join("\n        ")}
    }
    return t
}`;
  assertEquals(sums(index("t += xs[j]\nj += 1"), 5), ["s2+=s1[] s3<s4"]);
  assertEquals(sums(index("t += xs[j]\nj += 1", "j < 1000"), 5), ["s2+=s1[] s3<1000"]);
  assertEquals(sums(index("if xs[j] > 0 { t += 3 }\nj += 1"), 5), ["s2+=s-1[] s3<s4"]);
  // (A local declared in the round is dropped after the increment: not taken.)
  assertEquals(sums(index("k := j % 3\nt += xs[k]\nj += 1"), 5), []);
  assertEquals(sums(index("if j > 2 { t += xs[j] }\nj += 1"), 5), ["s2+=s1[] s3<s4"]);
  // A round that may skip the increment, or repeat: continue, an increment not last or not 1.
  assertEquals(sums(index("t += xs[j]\nif t > 9 { continue }\nj += 1"), 5), []);
  assertEquals(sums(index("j += 1\nt += xs[j - 1]"), 5), []);
  assertEquals(sums(index("t += xs[j]\nj += 2"), 5), []);
  assertEquals(sums(index("t += xs[j]\nj += 1\nj += 1"), 5), []);
  // The bound or the array written in the loop, a bound that is not a plain Int constant.
  assertEquals(sums(index("t += xs[j]\nn -= 1\nj += 1"), 5), []);
  assertEquals(sums(index("t += xs[j]\nxs[0] := 1\nj += 1"), 5), []);
  assertEquals(sums(index("t += xs[j]\nj += 1", "j < 10.5"), 5), []);
});

Deno.test("guarded sums: sums of 32-bit Ints at the ends of the Int range", async () => {
  // t starts at m * 2^40 (computed in compiled code); xs holds `count` copies of `v`.
  const prog = (calls: string) =>
    `func each(xs, m) {
    t := m * 1099511627776
    for x in xs { t += x }
    return t
}
func index(xs, m) {
    t := m * 1099511627776
    j := 0
    n := len(xs)
    while j < n {
        t += xs[j]
        j += 1
    }
    return t
}
func filled(count, v) {
    xs := []
    for i in count { xs.push(v) }
    return xs
}
small := filled(100, 7)
s := 0
for r in 20 { s += each(small, 0) + index(small, 0) }
print(s)
${calls}`;
  await agrees(prog(""), "28000\n");
  const top = "filled(600, 2147483647)", bottom = "filled(600, -2147483648)";
  // 2^63 - 2^40 plus 600 elements of 2^31 - 1 overflows at the 513th: the guard refuses t.
  await agrees(
    prog(`print(each(${top}, 8388607))`),
    "28000\nerror: Integer overflow: 9223372036854775296 + 2147483647",
  );
  await agrees(
    prog(`print(index(${top}, 8388607))`),
    "28000\nerror: Integer overflow: 9223372036854775296 + 2147483647",
  );
  await agrees(
    prog(`print(each(${bottom}, -8388608))`),
    "28000\nerror: Integer overflow: -9223372036854775808 + -2147483648",
  );
  // t at the edges the guard allows (2^62 - 2^40 and -2^62): no overflow can come.
  await agrees(
    prog(`print(each(${top}, 4194303))\nprint(index(${bottom}, -4194304))`),
    "28000\n4611686207405948328\n-4611687306917576704\n",
  );
  // Elements beyond 32 bits: the store holds 64-bit Ints and every sum keeps its check.
  await agrees(
    prog(`print(each(filled(3, 4611686018427387904), 0))`),
    "28000\nerror: Integer overflow: 4611686018427387904 + 4611686018427387904",
  );
});

Deno.test("guarded sums: an index loop with more than 2^31 rounds left fails the guard", async () => {
  // n - j beyond 2^31 refuses the guard (the loop breaks long before): one failed guard.
  const src = `func f(xs, m) {
    t := 0
    j := 0
    k := 0
    n := m * 1099511627776
    while j < n {
        k = j % 3
        t += xs[k]
        if t > 100 { break }
        j += 1
    }
    return t
}
total := 0
for r in 30 { total += f([1, 2, 3], 1) }
print(total)`;
  await guardFailsOnce(src, "3060\n");
});

Deno.test("guarded sums: counts at the ends of the Int range", async () => {
  // t starts at m * 2^40; a count by c for each true flag, and for each element of an index loop.
  const prog = (calls: string) =>
    `func count(flags, m, c) {
    t := m * 1099511627776
    for f in flags { if f { t += c } }
    return t
}
func down(xs, m) {
    t := m * 1099511627776
    j := 0
    n := len(xs)
    while j < n {
        t -= 7
        j += 1
    }
    return t
}
flags := []
for i in 900 { flags.push(i % 3 != 0) }
s := 0
for r in 20 { s += count(flags, 0, 1) + down(flags, 0) }
print(s)
${calls}`;
  await agrees(prog(""), "-114000\n");
  // Near the largest Int the guard refuses t: the VM raises the overflow at the count.
  await agrees(
    prog("print(count(flags, 8388607, 2147483647))"),
    "-114000\nerror: Integer overflow: 9223372036854775296 + 2147483647",
  );
  await agrees(
    prog("print(down(flags, -8388608))"),
    "-114000\nerror: Integer overflow: -9223372036854775808 - 7",
  );
  // At the edge the guard allows, no overflow comes.
  await agrees(prog("print(count(flags, 4194303, 2147483647))"), "-114000\n4611686207405948328\n");
});
