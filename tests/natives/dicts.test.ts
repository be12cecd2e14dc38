import assert from "node:assert/strict";
import { dictOf, type Value } from "../../lib/values.ts";
import { dicts } from "../../lib/runtime/dicts.ts";
import { A, F, harness } from "./_helpers.ts";

const { eq, fails } = harness(dicts);

const D = (...kv: [string, Value][]) => dictOf(kv);

Deno.test("keys, values, items in code-point key order", () => {
  const d = D(["b", 2], ["a", 1], ["😀", 4], ["\uFFFF", 3]);
  eq("keys", [d], A("a", "b", "\uFFFF", "😀"));
  eq("values", [d], A(1, 2, 3, 4));
  eq("items", [D(["y", F(1.5)], ["x", null])], A(A("x", null), A("y", F(1.5))));
  eq("keys", [D()], A());
  fails("keys", [A()], "keys() requires a dict argument");
  fails("values", ["x"], "values() requires a dict argument");
  fails("items", [null], "items() requires a dict argument");
});

Deno.test("has_key returns Int; Int keys become text", () => {
  const d = D(["a", 1], ["7", 2]);
  eq("has_key", [d, "a"], 1);
  eq("has_key", [d, "z"], 0);
  eq("has_key", [d, 7], 1);
  fails("has_key", [d, null], "has_key() requires a string key");
  fails("has_key", [A(), "a"], "has_key() requires a dict and a key");
});

Deno.test("get and get_default", () => {
  const d = D(["a", 1], ["n", null]);
  eq("get", [d, "a"], 1);
  eq("get", [d, "z"], null);
  eq("get", [d, "z", "dflt"], "dflt");
  eq("get", [d, "n", 5], null);
  fails("get", [A(), "a"], "get() requires a dict and a key");
  fails("get", [d, F(1)], "get() requires a string key");
  eq("get_default", [d, "a", 0], 1);
  eq("get_default", [d, "q", 0], 0);
  fails(
    "get_default",
    [d, true, 0],
    "get_default() requires 3 arguments: dict, key, default_value",
  );
  fails(
    "get_default",
    [A(), "a", 0],
    "get_default() requires 3 arguments: dict, key, default_value",
  );
});

Deno.test("merge, update and invert are pure", () => {
  const a = D(["a", 1], ["b", 2]);
  const b = D(["b", 3], ["c", 4]);
  eq("merge", [a, b], D(["a", 1], ["b", 3], ["c", 4]));
  eq("update", [a, b], D(["a", 1], ["b", 3], ["c", 4]));
  assert.equal(a.map.get("b"), 2);
  assert.equal(a.map.size, 2);
  fails("merge", [a, 1], "merge() requires 2 dict arguments");
  fails("update", [1, a], "update() requires 2 dict arguments");
  eq(
    "invert",
    [D(["a", 1], ["b", "x"], ["c", F(2.5)], ["d", true], ["e", A()], ["f", 1])],
    D(["1", "f"], ["x", "b"], ["2.5", "c"], ["true", "d"]),
  );
  fails("invert", [A()], "invert() requires a dict argument");
});
