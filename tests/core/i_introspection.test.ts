// Core suite, theme I: type introspection (C105–C119).

import { expectBool, expectInt, expectStr, runOk } from "./_helpers.ts";

// C105
Deno.test("test_type_function_basic_types", async () => {
  const r = await runOk(`
t1 := type(42)
t2 := type(3.14)
t3 := type("hello")
t4 := type(true)
t5 := type(null)
`);
  expectStr(r, "t1", "int");
  expectStr(r, "t2", "float");
  expectStr(r, "t3", "string");
  expectStr(r, "t4", "bool");
  expectStr(r, "t5", "null");
});

// C106
Deno.test("test_type_function_collections", async () => {
  const r = await runOk(`
t1 := type([1, 2, 3])
t2 := type({"a": 1})
`);
  expectStr(r, "t1", "array");
  expectStr(r, "t2", "dict");
});

// C107
Deno.test("test_type_function_with_function", async () => {
  const r = await runOk(`
func my_func() {
    return 42
}
t1 := type(my_func)
t2 := type(len)
`);
  expectStr(r, "t1", "function");
  expectStr(r, "t2", "function");
});

// C108
Deno.test("test_is_int_predicate", async () => {
  const r = await runOk(`
r1 := is_int(42)
r2 := is_int(3.14)
r3 := is_int("hello")
r4 := is_int(true)
r5 := is_int(null)
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", false);
  expectBool(r, "r4", false);
  expectBool(r, "r5", false);
});

// C109
Deno.test("test_is_float_predicate", async () => {
  const r = await runOk(`
r1 := is_float(3.14)
r2 := is_float(42)
r3 := is_float("3.14")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", false);
});

// C110
Deno.test("test_is_string_predicate", async () => {
  const r = await runOk(`
r1 := is_string("hello")
r2 := is_string(42)
r3 := is_string(true)
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", false);
});

// C111
Deno.test("test_is_array_predicate", async () => {
  const r = await runOk(`
r1 := is_array([1, 2, 3])
r2 := is_array({"a": 1})
r3 := is_array("hello")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", false);
});

// C112
Deno.test("test_is_dict_predicate", async () => {
  const r = await runOk(`
r1 := is_dict({"a": 1})
r2 := is_dict([1, 2, 3])
r3 := is_dict("hello")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", false);
});

// C113
Deno.test("test_is_bool_predicate", async () => {
  const r = await runOk(`
r1 := is_bool(true)
r2 := is_bool(false)
r3 := is_bool(1)
r4 := is_bool("true")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", true);
  expectBool(r, "r3", false);
  expectBool(r, "r4", false);
});

// C114
Deno.test("test_is_null_predicate", async () => {
  const r = await runOk(`
r1 := is_null(null)
r2 := is_null(0)
r3 := is_null(false)
r4 := is_null("")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", false);
  expectBool(r, "r4", false);
});

// C115
Deno.test("test_is_function_predicate", async () => {
  const r = await runOk(`
func helper() {
    return 1
}
r1 := is_function(helper)
r2 := is_function(len)
r3 := is_function(42)
r4 := is_function("hello")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", true);
  expectBool(r, "r3", false);
  expectBool(r, "r4", false);
});

// C116
Deno.test("test_type_introspection_in_conditional", async () => {
  const r = await runOk(`
x := 42
result := ""
if is_int(x) {
    result := "integer"
} else if is_float(x) {
    result := "float"
} else {
    result := "other"
}
`);
  expectStr(r, "result", "integer");
});

// C117
Deno.test("test_type_introspection_defensive_coding", async () => {
  const r = await runOk(`
func process_value(v) {
    if is_int(v) {
        return v * 2
    } else if is_string(v) {
        return len(v)
    }
    return 0
}
r1 := process_value(10)
r2 := process_value("hello")
r3 := process_value(true)
`);
  expectInt(r, "r1", 20);
  expectInt(r, "r2", 5);
  expectInt(r, "r3", 0);
});

// C118
Deno.test("test_type_function_edge_cases", async () => {
  const r = await runOk(`
value := 42
t1 := type(value)
t2 := type(1 + 1)
t3 := type("hello" + " world")
`);
  expectStr(r, "t1", "int");
  expectStr(r, "t2", "int");
  expectStr(r, "t3", "string");
});

// C119
Deno.test("test_combined_type_predicates", async () => {
  const r = await runOk(`
val := 3.14
is_numeric := is_int(val) || is_float(val)
is_collection := is_array(val) || is_dict(val)
`);
  expectBool(r, "is_numeric", true);
  expectBool(r, "is_collection", false);
});
