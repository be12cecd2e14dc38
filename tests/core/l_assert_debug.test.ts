// Core suite, theme L: assert and debug (C154–C163).
// A failed assert raises; when its result is assigned to a single name, that name is bound to
// the error value first (LANGUAGE.md §6.8), which is what upstream's tests read back.

import {
  assert,
  expectBool,
  expectErrorValue,
  expectInt,
  expectNull,
  expectUncaught,
  runOk,
  runRuff,
} from "./_helpers.ts";

// C154
Deno.test("test_assert_success", async () => {
  const r = await runOk(`
r1 := assert(true)
r2 := assert(5 > 3)
r3 := assert(1, "Non-zero is truthy")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", true);
  expectBool(r, "r3", true);
});

// C155
Deno.test("test_assert_failure_with_default_message", async () => {
  const r = await runRuff(`
result := assert(false)
after := 1
`);
  expectErrorValue(r, "result", "Assertion failed");
  expectUncaught(r, "Assertion failed");
  assert.equal(r.has("after"), false, "the run stops at the failed assert");
});

// C156
Deno.test("test_assert_failure_with_custom_message", async () => {
  const r = await runRuff(`
result := assert(5 < 3, "Five must be greater than three")
`);
  expectErrorValue(r, "result", "Five must be greater than three");
  expectUncaught(r, "Five must be greater than three");
});

// C157
Deno.test("test_assert_with_truthy_values", async () => {
  const r = await runOk(`
r1 := assert(1)
r2 := assert(3.14)
r3 := assert("hello")
r4 := assert([1, 2, 3])
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", true);
  expectBool(r, "r3", true);
  expectBool(r, "r4", true);
});

// C158
Deno.test("test_assert_with_falsy_values", async () => {
  const r = await runRuff(`
r1 := assert(0, "Zero is falsy")
`);
  expectErrorValue(r, "r1", "Zero is falsy");
  expectUncaught(r, "Zero is falsy");
});

// C159
Deno.test("test_assert_with_boolean_false", async () => {
  const r = await runRuff(`
result := assert(false, "Boolean false should fail")
`);
  expectErrorValue(r, "result", "Boolean false should fail");
  expectUncaught(r, "Boolean false should fail");
});

// C160 (upstream: `result1` is "a number"; LANGUAGE.md §5.1: Int 10 / Int 2 is the Int 5)
Deno.test("test_assert_in_function", async () => {
  const r = await runRuff(`
func safe_divide(a, b) {
    if b == 0 {
        return assert(false, "Division by zero not allowed")
    }
    return a / b
}
result1 := safe_divide(10, 2)
result2 := safe_divide(10, 0)
`);
  expectInt(r, "result1", 5);
  const err = expectErrorValue(r, "result2", "Division by zero not allowed");
  assert.deepEqual(err.stack, ["safe_divide"]);
  expectUncaught(r, "Division by zero not allowed");
});

// C161 (upstream: no assertion; the text is builtins.md §3.8's debug format, and debug writes
// to the captured stdout, LANGUAGE.md §15 rule 10)
Deno.test("test_debug_simple_values", async () => {
  const r = await runOk(`
debug(42)
debug("hello")
debug(true)
debug(null)
`);
  assert.equal(
    r.output,
    '[DEBUG] Int(42)\n[DEBUG] String("hello")\n[DEBUG] Bool(true)\n[DEBUG] Null\n',
  );
});

// C162 (upstream: no assertion; see C161)
Deno.test("test_debug_complex_values", async () => {
  const r = await runOk(`
debug([1, 2, 3])
debug({"name": "Alice", "age": 25})
debug("User:", 123, "logged in at", 1706140800.0)
`);
  assert.equal(
    r.output,
    "[DEBUG] Array[Int(1), Int(2), Int(3)]\n" +
      '[DEBUG] Dict{age: Int(25), name: String("Alice")}\n' +
      '[DEBUG] String("User:") Int(123) String("logged in at") Float(1706140800)\n',
  );
});

// C163
Deno.test("test_debug_returns_null", async () => {
  const r = await runOk(`
result := debug("test")
`);
  expectNull(r, "result");
  assert.equal(r.output, '[DEBUG] String("test")\n');
});
