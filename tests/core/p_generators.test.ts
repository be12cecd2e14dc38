// Core suite, theme P: generators (C193–C198).

import {
  assert,
  assertIntArray,
  assertStrArray,
  expectInt,
  expectType,
  runOk,
} from "./_helpers.ts";

// C193 (the collected values are LANGUAGE.md §12.3, not asserted upstream)
Deno.test("test_simple_generator", async () => {
  const r = await runOk(`
func* nums() {
    yield 1
    yield 2
    yield 3
}
gen := nums()
values := nums().collect()
`);
  expectType(r, "gen", "generator");
  assertIntArray(r.get("values"), [1, 2, 3], "values");
});

// C194
Deno.test("test_generator_iteration", async () => {
  const r = await runOk(`
func* counter() {
    yield 10
    yield 20
    yield 30
}
sum := 0
for value in counter() {
    sum := sum + value
}
`);
  expectInt(r, "sum", 60);
});

// C195 (a `let` local is reassigned between yields: `let` is mutable, LANGUAGE.md §6.2)
Deno.test("test_generator_with_state", async () => {
  const r = await runOk(`
func* sequence() {
    let x := 5
    yield x
    x := x * 2
    yield x
}
sum := 0
for value in sequence() {
    sum := sum + value
}
`);
  expectInt(r, "sum", 15);
});

// C196
Deno.test("test_generator_with_parameters", async () => {
  const r = await runOk(`
func* echo(msg) {
    yield msg
    yield msg
}
gen := echo("hello")
echoed := echo("hi").collect()
`);
  expectType(r, "gen", "generator");
  assertStrArray(r.get("echoed"), ["hi", "hi"], "echoed");
});

// C197 (upstream: no assertion and prints only 0; LANGUAGE.md §12.2 and §19: 0, 1, 2)
Deno.test("test_generator_break_early", async () => {
  const r = await runOk(`
func* endless() {
    let i := 0
    loop {
        yield i
        i := i + 1
    }
}
count := 0
for value in endless() {
    print(value)
    if count >= 2 {
        break
    }
    count := count + 1
}
`);
  assert.equal(r.output, "0\n1\n2\n");
  expectInt(r, "count", 2);
});

// C198 (the first values are LANGUAGE.md §12.3–§12.4, not asserted upstream)
Deno.test("test_generator_fibonacci", async () => {
  const r = await runOk(`
func* fibonacci() {
    let a := 0
    let b := 1
    loop {
        yield a
        let temp := a + b
        a := b
        b := temp
    }
}
fib := fibonacci()
first_eight := fibonacci().take(8).collect()
`);
  expectType(r, "fib", "generator");
  assertIntArray(r.get("first_eight"), [0, 1, 1, 2, 3, 5, 8, 13], "first_eight");
});
