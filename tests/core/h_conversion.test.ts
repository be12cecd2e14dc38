// Core suite, theme H: parsing and type conversion (C83–C104).

import {
  expectBool,
  expectFloat,
  expectInt,
  expectStr,
  expectUndefined,
  runOk,
} from "./_helpers.ts";

// C83
Deno.test("test_parse_int_valid", async () => {
  const r = await runOk(`
a := parse_int("42")
b := parse_int("  -100  ")
c := parse_int("0")
`);
  expectInt(r, "a", 42);
  expectInt(r, "b", -100);
  expectInt(r, "c", 0);
});

// C84 (upstream lenient; LANGUAGE.md §11.1: a failed parse raises a catchable error)
Deno.test("test_parse_int_invalid", async () => {
  const r = await runOk(`
caught := "no error"
try {
    result := parse_int("not a number")
} except err {
    caught := err.message
}
`);
  expectStr(r, "caught", "Cannot parse 'not a number' as integer");
  expectUndefined(r, "result"); // bound (§6.8) only in the try block's scope
});

// C85
Deno.test("test_parse_float_valid", async () => {
  const r = await runOk(`
a := parse_float("3.14")
b := parse_float("  -2.5  ")
c := parse_float("42")
d := parse_float("0.0")
`);
  expectFloat(r, "a", 3.14, 0.01);
  expectFloat(r, "b", -2.5);
  expectFloat(r, "c", 42.0);
  expectFloat(r, "d", 0.0);
});

// C86 (upstream lenient; LANGUAGE.md §11.1: a failed parse raises a catchable error)
Deno.test("test_parse_float_invalid", async () => {
  const r = await runOk(`
caught := "no error"
try {
    result := parse_float("invalid")
} except err {
    caught := err.message
}
`);
  expectStr(r, "caught", "Cannot parse 'invalid' as float");
});

// C87
Deno.test("test_parse_with_arithmetic", async () => {
  const r = await runOk(`
a := parse_int("10")
b := parse_int("20")
sum := a + b
x := parse_float("3.5")
y := parse_float("2.5")
product := x * y
`);
  expectInt(r, "sum", 30);
  expectFloat(r, "product", 8.75);
});

// C88
Deno.test("test_to_int_from_float", async () => {
  const r = await runOk(`
a := to_int(3.14)
b := to_int(9.99)
c := to_int(0.5)
`);
  expectInt(r, "a", 3);
  expectInt(r, "b", 9);
  expectInt(r, "c", 0);
});

// C89
Deno.test("test_to_int_from_string", async () => {
  const r = await runOk(`
a := to_int("42")
b := to_int("123")
c := to_int("  999  ")
`);
  expectInt(r, "a", 42);
  expectInt(r, "b", 123);
  expectInt(r, "c", 999);
});

// C90
Deno.test("test_to_int_from_bool", async () => {
  const r = await runOk(`
a := to_int(true)
b := to_int(false)
`);
  expectInt(r, "a", 1);
  expectInt(r, "b", 0);
});

// C91
Deno.test("test_to_int_from_int", async () => {
  const r = await runOk(`
a := to_int(42)
`);
  expectInt(r, "a", 42);
});

// C92
Deno.test("test_to_float_from_int", async () => {
  const r = await runOk(`
a := to_float(42)
b := to_float(10)
`);
  expectFloat(r, "a", 42.0);
  expectFloat(r, "b", 10.0);
});

// C93
Deno.test("test_to_float_from_string", async () => {
  const r = await runOk(`
a := to_float("3.14")
b := to_float("2.5")
c := to_float("  42.0  ")
`);
  expectFloat(r, "a", 3.14, 0.01);
  expectFloat(r, "b", 2.5);
  expectFloat(r, "c", 42.0);
});

// C94
Deno.test("test_to_float_from_bool", async () => {
  const r = await runOk(`
a := to_float(true)
b := to_float(false)
`);
  expectFloat(r, "a", 1.0);
  expectFloat(r, "b", 0.0);
});

// C95
Deno.test("test_to_string_from_int", async () => {
  const r = await runOk(`
s := to_string(42)
`);
  expectStr(r, "s", "42");
});

// C96
Deno.test("test_to_string_from_float", async () => {
  const r = await runOk(`
s := to_string(3.14)
`);
  expectStr(r, "s", "3.14");
});

// C97
Deno.test("test_to_string_from_bool", async () => {
  const r = await runOk(`
s1 := to_string(true)
s2 := to_string(false)
`);
  expectStr(r, "s1", "true");
  expectStr(r, "s2", "false");
});

// C98
Deno.test("test_to_string_from_array", async () => {
  const r = await runOk(`
s := to_string([1, 2, 3])
`);
  expectStr(r, "s", "[1, 2, 3]");
});

// C99 (the negative Int is built by subtraction, as upstream does)
Deno.test("test_to_bool_from_int", async () => {
  const r = await runOk(`
b1 := to_bool(0)
b2 := to_bool(1)
b3 := to_bool(42)
neg := 0 - 1
b4 := to_bool(neg)
`);
  expectBool(r, "b1", false);
  expectBool(r, "b2", true);
  expectBool(r, "b3", true);
  expectInt(r, "neg", -1);
  expectBool(r, "b4", true);
});

// C100
Deno.test("test_to_bool_from_float", async () => {
  const r = await runOk(`
b1 := to_bool(0.0)
b2 := to_bool(1.5)
neg := 0.0 - 3.14
b3 := to_bool(neg)
`);
  expectBool(r, "b1", false);
  expectBool(r, "b2", true);
  expectFloat(r, "neg", -3.14);
  expectBool(r, "b3", true);
});

// C101
Deno.test("test_to_bool_from_string", async () => {
  const r = await runOk(`
b1 := to_bool("")
b2 := to_bool("hello")
b3 := to_bool("false")
b4 := to_bool("0")
b5 := to_bool("FALSE")
`);
  expectBool(r, "b1", false);
  expectBool(r, "b2", true);
  expectBool(r, "b3", false);
  expectBool(r, "b4", false);
  expectBool(r, "b5", false);
});

// C102
Deno.test("test_to_bool_from_collections", async () => {
  const r = await runOk(`
b1 := to_bool([])
b2 := to_bool([1, 2])
b3 := to_bool({})
`);
  expectBool(r, "b1", false);
  expectBool(r, "b2", true);
  expectBool(r, "b3", false);
});

// C103
Deno.test("test_to_bool_from_null", async () => {
  const r = await runOk(`
b := to_bool(null)
`);
  expectBool(r, "b", false);
});

// C104
Deno.test("test_type_conversion_chaining", async () => {
  const r = await runOk(`
x := to_int(to_float(to_string(42)))
y := to_bool(to_int("1"))
`);
  expectInt(r, "x", 42);
  expectBool(r, "y", true);
});
