// Core suite, theme A: variables, assignment, scoping and functions (C1–C13).

import { Environment, RFloat } from "../../mod.ts";
import { assert, assertFloat, expectInt, expectUndefined, runOk } from "./_helpers.ts";

// C1
Deno.test("test_variable_assignment_updates", async () => {
  const r = await runOk(`
x := 10
x := 20
`);
  expectInt(r, "x", 20);
});

// C2
Deno.test("test_nested_block_scopes", async () => {
  const r = await runOk(`
x := 10
func update_x() {
    x := 30
}
update_x()
`);
  expectInt(r, "x", 30);
});

// C3
Deno.test("test_for_loop_scoping", async () => {
  const r = await runOk(`
sum := 0
for n in [1, 2, 3] {
    sum := sum + n
}
`);
  expectInt(r, "sum", 6);
});

// C4
Deno.test("test_for_loop_variable_isolation", async () => {
  const r = await runOk(`
for i in 5 {
    x := i * 2
}
`);
  expectUndefined(r, "i");
  expectUndefined(r, "x");
});

// C5
Deno.test("test_variable_shadowing_in_block", async () => {
  const r = await runOk(`
x := 10
result := 0
func shadow() {
    let x := 20
    result := x
}
shadow()
`);
  expectInt(r, "result", 20);
  expectInt(r, "x", 10);
});

// C6
Deno.test("test_function_local_scope", async () => {
  const r = await runOk(`
x := 100
func make_locals() {
    let x := 50
    y := x * 2
}
make_locals()
`);
  expectInt(r, "x", 100);
  expectUndefined(r, "y");
});

// C7
Deno.test("test_function_modifies_outer_variable", async () => {
  const r = await runOk(`
counter := 0
func bump() {
    counter := counter + 1
}
bump()
bump()
bump()
`);
  expectInt(r, "counter", 3);
});

// C8
Deno.test("test_nested_for_loops_scoping", async () => {
  const r = await runOk(`
result := 0
for i in 3 {
    for j in 2 {
        result := result + 1
    }
}
`);
  expectInt(r, "result", 6);
});

// C9
Deno.test("test_scope_chain_lookup", async () => {
  const r = await runOk(`
a := 1
result := 0
func outer() {
    b := 2
    func inner() {
        c := 3
        result := a + b + c
    }
    inner()
}
outer()
`);
  expectInt(r, "result", 6);
  expectUndefined(r, "b");
  expectUndefined(r, "c");
});

// C10
Deno.test("test_try_except_scoping", async () => {
  const r = await runOk(`
x := 10
try {
    y := 20
    x := x + y
} except err {
    // nothing to do: the block holds only this comment
}
`);
  expectInt(r, "x", 30);
  expectUndefined(r, "y");
});

// C11
Deno.test("test_accumulator_pattern", async () => {
  const r = await runOk(`
numbers := [10, 20, 30, 40]
total := 0
for value in numbers {
    total := total + value
}
`);
  expectInt(r, "total", 100);
});

// C12
Deno.test("test_multiple_assignments_in_for_loop", async () => {
  const r = await runOk(`
count := 0
sum := 0
for i in 5 {
    count := count + 1
    sum := sum + i
}
`);
  expectInt(r, "count", 5);
  expectInt(r, "sum", 10);
});

// C13 (engine-level: no Ruff source)
Deno.test("test_environment_set_across_scopes", () => {
  const env = new Environment();
  env.define("x", new RFloat(5.0));
  env.pushScope();
  env.set("x", new RFloat(10.0));
  env.popScope();
  assertFloat(env.get("x"), 10.0, 0.001, "x");

  // The rest of the §18.4 contract.
  env.popScope(); // never removes the global scope
  assertFloat(env.get("x"), 10.0, 0.001, "x after extra pop");
  env.pushScope();
  env.set("fresh", 1); // no binding anywhere: defined in the innermost scope
  env.define("x", 2); // shadows the global x
  assert.equal(env.get("x"), 2);
  assert.equal(env.get("fresh"), 1);
  env.popScope();
  assert.equal(env.get("fresh"), undefined);
  assertFloat(env.get("x"), 10.0, 0.001, "global x after shadowing");
  assert.equal(env.get("missing"), undefined);
});
