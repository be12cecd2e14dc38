// Core suite, theme F: string built-ins (C60–C73).

import { assertStrArray, expectBool, expectInt, expectStr, runOk } from "./_helpers.ts";

// C60
Deno.test("test_starts_with_basic", async () => {
  const r = await runOk(`
r1 := starts_with("hello world", "hello")
r2 := starts_with("hello world", "world")
r3 := starts_with("test", "test")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", true);
});

// C61
Deno.test("test_ends_with_basic", async () => {
  const r = await runOk(`
r1 := ends_with("test.ruff", ".ruff")
r2 := ends_with("test.ruff", ".py")
r3 := ends_with("hello", "lo")
`);
  expectBool(r, "r1", true);
  expectBool(r, "r2", false);
  expectBool(r, "r3", true);
});

// C62
Deno.test("test_index_of_found", async () => {
  const r = await runOk(`
r1 := index_of("hello world", "world")
r2 := index_of("hello", "ll")
r3 := index_of("test", "t")
`);
  expectInt(r, "r1", 6);
  expectInt(r, "r2", 2);
  expectInt(r, "r3", 0);
});

// C63
Deno.test("test_index_of_not_found", async () => {
  const r = await runOk(`
r1 := index_of("hello", "xyz")
r2 := index_of("test", "abc")
`);
  expectInt(r, "r1", -1);
  expectInt(r, "r2", -1);
});

// C64
Deno.test("test_repeat_basic", async () => {
  const r = await runOk(`
r1 := repeat("ha", 3)
r2 := repeat("x", 5)
r3 := repeat("abc", 2)
`);
  expectStr(r, "r1", "hahaha");
  expectStr(r, "r2", "xxxxx");
  expectStr(r, "r3", "abcabc");
});

// C65
Deno.test("test_repeat_zero", async () => {
  const r = await runOk(`
empty := repeat("hello", 0)
`);
  expectStr(r, "empty", "");
});

// C66
Deno.test("test_split_basic", async () => {
  const r = await runOk(`
parts := split("a,b,c", ",")
`);
  assertStrArray(r.get("parts"), ["a", "b", "c"], "parts");
});

// C67
Deno.test("test_split_multiple_chars", async () => {
  const r = await runOk(`
parts := split("hello::world::test", "::")
`);
  assertStrArray(r.get("parts"), ["hello", "world", "test"], "parts");
});

// C68
Deno.test("test_split_spaces", async () => {
  const r = await runOk(`
words := split("one two three", " ")
`);
  assertStrArray(r.get("words"), ["one", "two", "three"], "words");
});

// C69
Deno.test("test_join_basic", async () => {
  const r = await runOk(`
joined := join(["a", "b", "c"], ",")
`);
  expectStr(r, "joined", "a,b,c");
});

// C70
Deno.test("test_join_with_spaces", async () => {
  const r = await runOk(`
sentence := join(["hello", "world", "test"], " ")
`);
  expectStr(r, "sentence", "hello world test");
});

// C71
Deno.test("test_join_numbers", async () => {
  const r = await runOk(`
joined := join([1, 2, 3], "-")
`);
  expectStr(r, "joined", "1-2-3");
});

// C72
Deno.test("test_split_join_roundtrip", async () => {
  const r = await runOk(`
original := "apple,banana,cherry"
fruits := split(original, ",")
rejoined := join(fruits, ",")
`);
  assertStrArray(r.get("fruits"), ["apple", "banana", "cherry"], "fruits");
  expectStr(r, "rejoined", "apple,banana,cherry");
});

// C73
Deno.test("test_string_functions_in_condition", async () => {
  const r = await runOk(`
filename := "test.ruff"
is_ruff := ends_with(filename, ".ruff")
result := 0
if is_ruff {
    result := 1
}
`);
  expectBool(r, "is_ruff", true);
  expectInt(r, "result", 1);
});
