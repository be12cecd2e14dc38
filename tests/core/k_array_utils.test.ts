// Core suite, theme K: array utility built-ins — sort, reverse, unique, sum, any, all
// (C136–C153). The function forms never modify their argument (LANGUAGE.md §10.2).

import {
  assertArray,
  assertFloat,
  assertInt,
  assertIntArray,
  assertStrArray,
  expectBool,
  expectFloat,
  expectInt,
  runOk,
} from "./_helpers.ts";

// C136
Deno.test("test_sort_integers", async () => {
  const r = await runOk(`
input := [3, 1, 4, 1, 5, 9, 2, 6]
sorted := sort(input)
`);
  assertIntArray(r.get("sorted"), [1, 1, 2, 3, 4, 5, 6, 9], "sorted");
  assertIntArray(r.get("input"), [3, 1, 4, 1, 5, 9, 2, 6], "input");
});

// C137
Deno.test("test_sort_floats", async () => {
  const r = await runOk(`
sorted := sort([3.5, 1.2, 4.8, 2.1])
`);
  const items = assertArray(r.get("sorted"), 4, "sorted");
  [1.2, 2.1, 3.5, 4.8].forEach((x, i) => assertFloat(items[i], x, 0.001, `sorted[${i}]`));
});

// C138 (upstream accepts Int or Float per element; the kinds are kept, builtins.md §3.4)
Deno.test("test_sort_mixed_numbers", async () => {
  const r = await runOk(`
sorted := sort([3, 1.5, 4, 2.2])
`);
  const items = assertArray(r.get("sorted"), 4, "sorted");
  assertFloat(items[0], 1.5, 0.001, "sorted[0]");
  assertFloat(items[1], 2.2, 0.001, "sorted[1]");
  assertInt(items[2], 3, "sorted[2]");
  assertInt(items[3], 4, "sorted[3]");
});

// C139 (upstream does not assert the length; it is 4)
Deno.test("test_sort_strings", async () => {
  const r = await runOk(`
sorted := sort(["banana", "apple", "cherry", "date"])
`);
  assertStrArray(r.get("sorted"), ["apple", "banana", "cherry", "date"], "sorted");
});

// C140 (upstream does not assert the length; it is 5)
Deno.test("test_reverse", async () => {
  const r = await runOk(`
input := [1, 2, 3, 4, 5]
reversed := reverse(input)
`);
  assertIntArray(r.get("reversed"), [5, 4, 3, 2, 1], "reversed");
  assertIntArray(r.get("input"), [1, 2, 3, 4, 5], "input");
});

// C141
Deno.test("test_unique", async () => {
  const r = await runOk(`
input := [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
uniq := unique(input)
`);
  assertIntArray(r.get("uniq"), [3, 1, 4, 5, 9, 2, 6], "uniq");
  assertIntArray(r.get("input"), [3, 1, 4, 1, 5, 9, 2, 6, 5, 3], "input");
});

// C142
Deno.test("test_unique_strings", async () => {
  const r = await runOk(`
uniq := unique(["apple", "banana", "apple", "cherry", "banana"])
`);
  assertStrArray(r.get("uniq"), ["apple", "banana", "cherry"], "uniq");
});

// C143
Deno.test("test_sum_integers", async () => {
  const r = await runOk(`
total := sum([1, 2, 3, 4, 5])
`);
  expectInt(r, "total", 15);
});

// C144
Deno.test("test_sum_floats", async () => {
  const r = await runOk(`
total := sum([1.5, 2.5, 3.0])
`);
  expectFloat(r, "total", 7.0);
});

// C145
Deno.test("test_sum_mixed", async () => {
  const r = await runOk(`
total := sum([1, 2.5, 3, 4.5])
`);
  expectFloat(r, "total", 11.0);
});

// C146
Deno.test("test_sum_empty_array", async () => {
  const r = await runOk(`
total := sum([])
`);
  expectInt(r, "total", 0);
});

// C147
Deno.test("test_any_true", async () => {
  const r = await runOk(`
result := any([1, 2, 3, 4, 5], func(x) { return x > 3 })
`);
  expectBool(r, "result", true);
});

// C148
Deno.test("test_any_false", async () => {
  const r = await runOk(`
result := any([1, 2, 3], func(x) { return x > 10 })
`);
  expectBool(r, "result", false);
});

// C149
Deno.test("test_any_empty_array", async () => {
  const r = await runOk(`
result := any([], func(x) { return x > 0 })
`);
  expectBool(r, "result", false);
});

// C150
Deno.test("test_all_true", async () => {
  const r = await runOk(`
result := all([1, 2, 3, 4, 5], func(x) { return x > 0 })
`);
  expectBool(r, "result", true);
});

// C151
Deno.test("test_all_false", async () => {
  const r = await runOk(`
result := all([1, 2, 3, 4, 5], func(x) { return x > 3 })
`);
  expectBool(r, "result", false);
});

// C152
Deno.test("test_all_empty_array", async () => {
  const r = await runOk(`
result := all([], func(x) { return x > 100 })
`);
  expectBool(r, "result", true);
});

// C153 (upstream checks `total` only if it is an Int; it is the Int 39)
Deno.test("test_array_utilities_chained", async () => {
  const r = await runOk(`
nums := [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
step1 := unique(nums)
step2 := sort(step1)
step3 := reverse(step2)
total := sum(nums)
has_large := any(nums, func(x) { return x > 8 })
all_positive := all(nums, func(x) { return x > 0 })
`);
  assertIntArray(r.get("step3"), [9, 6, 5, 4, 3, 2, 1], "step3");
  assertIntArray(r.get("step1"), [3, 1, 4, 5, 9, 2, 6], "step1");
  expectInt(r, "total", 39);
  expectBool(r, "has_large", true);
  expectBool(r, "all_positive", true);
});
