import assert from "node:assert/strict";
import { dictOf, RResult, RSet, RStack } from "../../lib/values.ts";
import { assertions } from "../../lib/runtime/assert.ts";
import { A, F, harness } from "./_helpers.ts";

const { ctx, run, eq, fails } = harness(assertions);

Deno.test("assert uses truthiness", () => {
  eq("assert", [true], true);
  eq("assert", [1, "Non-zero is truthy"], true);
  eq("assert", [A(1)], true);
  fails("assert", [false], "Assertion failed");
  fails("assert", [0, "Zero is falsy"], "Zero is falsy");
  fails("assert", [""], "Assertion failed");
  fails("assert", [A()], "Assertion failed");
  fails("assert", [null, 5], "Assertion failed");
});

Deno.test("debug prints debug forms", () => {
  ctx.out = "";
  eq("debug", [42], null);
  run("debug", "hello");
  run("debug", true);
  run("debug", null);
  run("debug", A(1, 2, 3));
  run("debug", dictOf([["name", "Alice"], ["age", 25]]));
  run("debug", "User:", 123, "logged in at", F(1706140800));
  run("debug", new RResult(true, F(1.5)), new RSet([1]), new RStack([]));
  assert.equal(
    ctx.out,
    [
      "[DEBUG] Int(42)",
      '[DEBUG] String("hello")',
      "[DEBUG] Bool(true)",
      "[DEBUG] Null",
      "[DEBUG] Array[Int(1), Int(2), Int(3)]",
      '[DEBUG] Dict{age: Int(25), name: String("Alice")}',
      '[DEBUG] String("User:") Int(123) String("logged in at") Float(1706140800)',
      "[DEBUG] Ok(Float(1.5)) Set{Int(1)} Stack[]",
      "",
    ].join("\n"),
  );
});

Deno.test("assert_equal", () => {
  eq("assert_equal", [5, 5], true);
  eq("assert_equal", [A(1, dictOf([["a", "x"]])), A(1, dictOf([["a", "x"]]))], true);
  eq("assert_equal", [F(0.1 + 0.2), F(0.3)], true);
  fails("assert_equal", [4, 5], "Assertion failed: expected Int(5), got Int(4)");
  fails("assert_equal", ["b", "a"], 'Assertion failed: expected Str("a"), got Str("b")');
  fails("assert_equal", [A(1, 2), A(1, 2, 3)], "Assertion failed: expected Array[3], got Array[2]");
  fails("assert_equal", [F(1), 1], "Assertion failed: expected Int(1), got Float(1)");
});

Deno.test("assert_true, assert_false", () => {
  eq("assert_true", [true], true);
  eq("assert_false", [false], true);
  fails("assert_true", [false], "Assertion failed: expected true, got false");
  fails("assert_false", [true], "Assertion failed: expected false, got true");
  fails("assert_true", [1], "assert_true() requires a boolean argument");
  fails("assert_false", [null], "assert_false() requires a boolean argument");
});

Deno.test("assert_contains", () => {
  eq("assert_contains", [A(1, 2, 3), 2], true);
  eq("assert_contains", ["hello", "ell"], true);
  eq("assert_contains", [dictOf([["k", 1]]), "k"], true);
  fails("assert_contains", [A(1, 2, 3), 5], "Assertion failed: Array[3] does not contain Int(5)");
  fails(
    "assert_contains",
    ["hello", "z"],
    'Assertion failed: Str("hello") does not contain Str("z")',
  );
  fails(
    "assert_contains",
    [dictOf([["k", 1]]), "x"],
    'Assertion failed: Dict{1 keys} does not contain Str("x")',
  );
  fails(
    "assert_contains",
    [5, 5],
    "assert_contains() requires an array, string, or dict as first argument",
  );
});
