// Core suite, theme G: errors and exceptions (C74–C82).

import {
  assert,
  assertStrArray,
  expectBool,
  expectInt,
  expectStr,
  expectUncaught,
  expectUndefined,
  lineOf,
  runOk,
  runRuff,
} from "./_helpers.ts";

// C74
Deno.test("test_error_properties_message", async () => {
  const r = await runOk(`
result := ""
try {
    throw("Test error message")
} except err {
    result := err.message
}
`);
  expectStr(r, "result", "Test error message");
});

// C75 (upstream: Int >= 0; LANGUAGE.md §11.4: [] for a top-level throw, so 0)
Deno.test("test_error_properties_stack", async () => {
  const r = await runOk(`
stack_len := 0
stack_is_array := false
try {
    throw("Error")
} except err {
    stack_len := len(err.stack)
    stack_is_array := type(err.stack) == "array"
}
`);
  expectInt(r, "stack_len", 0);
  expectBool(r, "stack_is_array", true);
});

// C76 (upstream: Int >= 0; LANGUAGE.md §11.4: the line of the `throw` keyword)
Deno.test("test_error_properties_line", async () => {
  const source = `
result := 0
try {
    throw("Error")
} except err {
    result := err.line
}
`;
  const r = await runOk(source);
  expectInt(r, "result", lineOf(source, "throw("));
});

// C77 (upstream: contains "ValidationError" or "Email"; LANGUAGE.md §11.2: the message field)
Deno.test("test_custom_error_struct", async () => {
  const r = await runOk(`
struct ValidationError {
    field: string,
    message: string
}
caught_error := ""
try {
    problem := ValidationError { field: "email", message: "Email is required" }
    throw(problem)
} except err {
    caught_error := err.message
}
`);
  expectStr(r, "caught_error", "Email is required");
});

// C78 (upstream: contains "Failed" or "DatabaseError"; LANGUAGE.md §11.2: message and cause)
Deno.test("test_error_chaining", async () => {
  const r = await runOk(`
struct DatabaseError {
    message: string,
    cause: string
}
caught := ""
caught_cause := ""
try {
    throw(DatabaseError { message: "Failed to connect", cause: "Connection timeout" })
} except err {
    caught := err.message
    caught_cause := err.cause
}
`);
  expectStr(r, "caught", "Failed to connect");
  expectStr(r, "caught_cause", "Connection timeout");
});

// C79 (the stack, not asserted upstream, is defined by LANGUAGE.md §11.4)
Deno.test("test_error_in_function_with_stack_trace", async () => {
  const r = await runOk(`
func inner() {
    throw("Inner error")
}
func outer() {
    inner()
}
result := ""
trace := []
try {
    outer()
} except err {
    result := err.message
    trace := err.stack
}
`);
  expectStr(r, "result", "Inner error");
  assertStrArray(r.get("trace"), ["inner", "outer"], "trace");
});

// C80
Deno.test("test_nested_try_except", async () => {
  const r = await runOk(`
result := ""
try {
    try {
        throw("Inner error")
    } except inner_err {
        result := "caught inner: " + inner_err.message
    }
} except outer_err {
    result := "caught outer"
}
`);
  expectStr(r, "result", "caught inner: Inner error");
});

// C81 (port target: the host sees the uncaught error; LANGUAGE.md §11.5, §18.2)
Deno.test("test_error_without_catch_propagates", async () => {
  const source = `
before := 1
func risky() {
    throw("Unhandled error")
}
risky()
after := 2
`;
  const r = await runRuff(source);
  const err = expectUncaught(r, "Unhandled error");
  assert.deepEqual(err.stack, ["risky"]);
  assert.equal(err.line, lineOf(source, "throw("));
  assert.equal(r.exitCode, 1);
  assert.ok(r.errorText.includes("Runtime Error: Unhandled error"), r.errorText);
  expectInt(r, "before", 1);
  expectUndefined(r, "after");
});

// C82
Deno.test("test_error_recovery_continues_execution", async () => {
  const r = await runOk(`
x := 0
try {
    throw("Error occurred")
} except err {
    x := 1
}
x := x + 1
`);
  expectInt(r, "x", 2);
});
