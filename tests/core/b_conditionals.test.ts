// Core suite, theme B: booleans and conditionals (C14–C24).

import {
  assert,
  assertArray,
  assertBool,
  expectBool,
  expectInt,
  expectStr,
  expectStruct,
  runOk,
} from "./_helpers.ts";

// C14 (upstream lenient: Int 0 or 1; LANGUAGE.md §8.1 gives 1)
Deno.test("test_boolean_true_condition", async () => {
  const r = await runOk(`
x := 0
if true {
    x := 1
}
`);
  expectInt(r, "x", 1);
});

// C15 (upstream vacuous for Bools; LANGUAGE.md gives Bool false)
Deno.test("test_boolean_false_condition", async () => {
  const r = await runOk(`
executed := false
if false {
    executed := true
}
`);
  expectBool(r, "executed", false);
});

// C16
Deno.test("test_bool_literals", async () => {
  const r = await runOk(`
t := true
f := false
`);
  expectBool(r, "t", true);
  expectBool(r, "f", false);
});

// C17
Deno.test("test_bool_comparisons", async () => {
  const r = await runOk(`
eq := 5 == 5
neq := 5 == 6
gt := 10 > 5
lt := 3 < 8
gte := 5 >= 5
lte := 4 <= 4
str_eq := "hello" == "hello"
str_neq := "hello" == "world"
`);
  expectBool(r, "eq", true);
  expectBool(r, "neq", false);
  expectBool(r, "gt", true);
  expectBool(r, "lt", true);
  expectBool(r, "gte", true);
  expectBool(r, "lte", true);
  expectBool(r, "str_eq", true);
  expectBool(r, "str_neq", false);
});

// C18
Deno.test("test_bool_in_if_conditions", async () => {
  const r = await runOk(`
result1 := "not set"
result2 := "not set"
if true {
    result1 := "true branch"
}
if false {
    result2 := "then branch"
} else {
    result2 := "else branch"
}
`);
  expectStr(r, "result1", "true branch");
  expectStr(r, "result2", "else branch");
});

// C19
Deno.test("test_bool_comparison_results_in_if", async () => {
  const r = await runOk(`
result := "not set"
x := 10
if x > 5 {
    result := "x is greater than 5"
}
`);
  expectStr(r, "result", "x is greater than 5");
});

// C20
Deno.test("test_bool_equality", async () => {
  const r = await runOk(`
tt := true == true
ff := false == false
tf := true == false
ft := false == true
`);
  expectBool(r, "tt", true);
  expectBool(r, "ff", true);
  expectBool(r, "tf", false);
  expectBool(r, "ft", false);
});

// C21 (printed text is defined by LANGUAGE.md §4.2 and checked too)
Deno.test("test_bool_print", async () => {
  const r = await runOk(`
t := true
f := false
comp := 5 > 3
print(t)
print(f)
print(comp)
`);
  expectBool(r, "t", true);
  expectBool(r, "f", false);
  expectBool(r, "comp", true);
  assert.equal(r.output, "true\nfalse\ntrue\n");
});

// C22
Deno.test("test_bool_in_variables", async () => {
  const r = await runOk(`
is_active := true
result := "not set"
if is_active {
    result := "is active"
}
`);
  expectBool(r, "is_active", true);
  expectStr(r, "result", "is active");
});

// C23
Deno.test("test_bool_struct_fields", async () => {
  const r = await runOk(`
struct Status {
    active: bool,
    verified: bool
}
status := Status { active: true, verified: false }
`);
  const fields = expectStruct(r, "status", "Status");
  assertBool(fields.get("active"), true, "status.active");
  assertBool(fields.get("verified"), false, "status.verified");
});

// C24
Deno.test("test_bool_array_elements", async () => {
  const r = await runOk(`
flags := [true, false, true, 5 > 3]
`);
  const items = assertArray(r.get("flags"), 4, "flags");
  [true, false, true, true].forEach((b, i) => assertBool(items[i], b, `flags[${i}]`));
});
