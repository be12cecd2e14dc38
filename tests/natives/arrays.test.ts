import assert from "node:assert/strict";
import { RuffError } from "../../lib/errors.ts";
import { dictOf, NativeFn, type RArray } from "../../lib/values.ts";
import { arrays } from "../../lib/runtime/arrays.ts";
import { A, F, fn1, harness, plain } from "./_helpers.ts";

const { run, eq, fails } = harness(arrays);

const gt = (n: number) => fn1((x) => (x as number) > n);

Deno.test("push, append, pop, concat never modify arguments", () => {
  const xs = A(1, 2, 3);
  eq("push", [xs, 4], A(1, 2, 3, 4));
  eq("append", [xs, A()], A(1, 2, 3, A()));
  eq("pop", [xs], A(A(1, 2), 3));
  eq("pop", [A()], A(A(), 0));
  eq("concat", [xs, A(9)], A(1, 2, 3, 9));
  assert.deepStrictEqual(plain(xs), [1, 2, 3]);
  fails("push", ["x", 1], "push() requires an array argument");
  fails("concat", [xs, 1], "concat() requires 2 array arguments");
});

Deno.test("element containers are shared, not aliased", () => {
  const inner = A(1);
  const r = run("push", A(inner), 2) as RArray;
  assert.equal(r.items[0], inner);
  assert.equal(inner.refs, 2); // held by the argument array and by the result
});

Deno.test("slice", () => {
  const xs = A(1, 2, 3, 4);
  eq("slice", [xs, 1, 3], A(2, 3));
  eq("slice", [xs, 0, -1], A(1, 2, 3, 4));
  eq("slice", [xs, -1, 2], A());
  eq("slice", [xs, 3, 1], A());
  eq("slice", [xs, 2], A(3, 4));
  eq("slice", [xs, 1, 99], A(2, 3, 4));
  eq("slice", ["héllo", 1, 3], "él");
  fails("slice", [xs, F(1), 2], "slice() requires an array and integer bounds");
  fails("slice", [5, 1, 2], "slice() requires an array and integer bounds");
});

Deno.test("insert, remove, remove_at, clear", () => {
  const xs = A(1, 2, 3);
  eq("insert", [xs, 1, 9], A(1, 9, 2, 3));
  eq("insert", [xs, 3, 9], A(1, 2, 3, 9));
  eq("insert", [xs, -1, 9], A(1, 2, 9, 3));
  eq("insert", [xs, F(0.9), 9], A(9, 1, 2, 3));
  fails("insert", [xs, 5, 9], "Index out of bounds: 5");
  fails("insert", [xs, -4, 9], "Index out of bounds: -4");
  fails("insert", [xs, "a", 9], "insert() requires an integer index");
  fails("insert", ["x", 0, 9], "insert() requires 3 arguments: array, index, and item");
  eq("remove", [A(1, 2, 1), 1], A(2, 1));
  eq("remove", [xs, 7], A(1, 2, 3));
  const d = dictOf([["a", 1], ["b", 2]]);
  eq("remove", [d, "a"], A(dictOf([["b", 2]]), 1));
  eq("remove", [d, "z"], A(dictOf([["a", 1], ["b", 2]]), 0));
  fails("remove", [5, 1], "remove() requires an array or dict as first argument");
  eq("remove_at", [xs, 0], A(A(2, 3), 1));
  eq("remove_at", [xs, -1], A(A(1, 2), 3));
  fails("remove_at", [xs, 3], "Index out of bounds: 3");
  eq("clear", [xs], A());
  eq("clear", [d], dictOf([]));
  fails("clear", ["s"], "clear() requires an array or dict argument");
  assert.deepStrictEqual(plain(xs), [1, 2, 3]);
  assert.equal(d.map.size, 2);
});

Deno.test("higher-order functions", () => {
  const xs = A(1, 2, 3, 4, 5);
  eq("map", [xs, fn1((x) => (x as number) * 2)], A(2, 4, 6, 8, 10));
  eq("map", [A(), gt(0)], A());
  eq("filter", [xs, gt(3)], A(4, 5));
  eq("filter", [A(0, 1, "", "a", A(), null), fn1((x) => x)], A(1, "a"));
  const add = new NativeFn("add", 2, 2, (a) => (a[0] as number) + (a[1] as number));
  eq("reduce", [xs, 10, add], 25);
  eq("reduce", [A(), "init", add], "init");
  eq("find", [xs, gt(2)], 3);
  eq("find", [xs, gt(9)], 0);
  eq("any", [xs, gt(3)], true);
  eq("any", [xs, gt(10)], false);
  eq("any", [A(), gt(0)], false);
  eq("all", [xs, gt(0)], true);
  eq("all", [xs, gt(3)], false);
  eq("all", [A(), gt(0)], true);
  fails("map", [xs, 5], "map() requires an array and a function");
  fails("filter", ["x", gt(1)], "filter() requires an array and a function");
  fails("reduce", [xs, 0, null], "reduce() requires an array, an initial value, and a function");
  fails("find", [xs, "f"], "find() requires an array and a function");
  fails("any", [xs, 1], "any() requires an array and a function");
  fails("all", [1, gt(1)], "all() requires an array and a function");
});

Deno.test("callback errors propagate", () => {
  const boom = fn1(() => {
    throw new RuffError("boom");
  });
  fails("map", [A(1), boom], "boom");
});

Deno.test("sort, reverse, unique", () => {
  eq("sort", [A(3, 1, 4, 1, 5, 9, 2, 6)], A(1, 1, 2, 3, 4, 5, 6, 9));
  eq("sort", [A(F(3.5), F(1.2), F(4.8), F(2.1))], A(F(1.2), F(2.1), F(3.5), F(4.8)));
  eq("sort", [A(3, F(1.5), 4, F(2.2))], A(F(1.5), F(2.2), 3, 4));
  eq("sort", [A("banana", "apple", "cherry", "date")], A("apple", "banana", "cherry", "date"));
  eq("sort", [A("\u{1F600}", "\uFFFF")], A("\uFFFF", "\u{1F600}"));
  eq(
    "sort",
    [A(9007199254740993n, 9007199254740992, F(1e300))],
    A(
      9007199254740992,
      9007199254740993n,
      F(1e300),
    ),
  );
  eq("sort", [A(true)], A(true));
  eq("sort", [A()], A());
  fails(
    "sort",
    [A(1, "a")],
    "sort() requires an array of numbers or an array of strings (got int, string)",
  );
  fails(
    "sort",
    [A(true, false)],
    "sort() requires an array of numbers or an array of strings (got bool)",
  );
  fails("sort", ["x"], "sort() requires an array argument");
  eq("reverse", [A(1, 2, 3, 4, 5)], A(5, 4, 3, 2, 1));
  fails("reverse", [1], "reverse() requires an array argument");
  eq("unique", [A(3, 1, 4, 1, 5, 9, 2, 6, 5, 3)], A(3, 1, 4, 5, 9, 2, 6));
  eq("unique", [A("apple", "banana", "apple", "cherry")], A("apple", "banana", "cherry"));
  eq("unique", [A(1, F(1), A(1), A(1), A(2))], A(1, F(1), A(1), A(2)));
  fails("unique", [null], "unique() requires an array argument");
});

Deno.test("sum", () => {
  eq("sum", [A(1, 2, 3, 4, 5)], 15);
  eq("sum", [A(F(1.5), F(2.5), F(3))], F(7));
  eq("sum", [A(1, F(2.5), 3, F(4.5))], F(11));
  eq("sum", [A()], 0);
  eq("sum", [A(1, "x", null, 2)], 3);
  eq("sum", [A(9007199254740991, 1)], 9007199254740992n);
  fails(
    "sum",
    [A(9223372036854775807n, 1)],
    "Integer overflow: 9223372036854775807 + 1",
  );
  fails("sum", ["x"], "sum() requires an array argument");
});

Deno.test("chunk, flatten, zip, enumerate", () => {
  const xs = A(1, 2, 3, 4, 5);
  eq("chunk", [xs, 2], A(A(1, 2), A(3, 4), A(5)));
  eq("chunk", [A(), 2], A());
  eq("chunk", [xs, 0], A(xs));
  eq("chunk", [A(), -1], A(A()));
  eq("chunk", [xs, F(2.5)], A(A(1, 2), A(3, 4), A(5)));
  fails("chunk", [xs, "2"], "chunk() requires a numeric size");
  fails("chunk", [1, 2], "chunk() requires 2 arguments: array and size");
  eq("flatten", [A(A(1, 2), 3, A(A(4)))], A(1, 2, 3, A(4)));
  fails("flatten", [1], "flatten() requires an array argument");
  eq("zip", [A(1, 2, 3), A("a", "b")], A(A(1, "a"), A(2, "b")));
  fails("zip", [A(), "ab"], "zip() requires 2 array arguments");
  eq("enumerate", [A("a", "b")], A(A(0, "a"), A(1, "b")));
  fails("enumerate", [1], "enumerate() requires an array argument");
});

Deno.test("take, skip, windows", () => {
  const xs = A(1, 2, 3);
  eq("take", [xs, 2], A(1, 2));
  eq("take", [xs, 0], A());
  eq("take", [xs, -1], A());
  eq("take", [xs, 10], A(1, 2, 3));
  eq("skip", [xs, 1], A(2, 3));
  eq("skip", [xs, -1], A(1, 2, 3));
  eq("skip", [xs, 10], A());
  fails("take", [xs, "1"], "take() requires a numeric count");
  fails("skip", ["x", 1], "skip() requires 2 arguments: array and count");
  eq("windows", [A(1, 2, 3, 4), 2], A(A(1, 2), A(2, 3), A(3, 4)));
  eq("windows", [xs, 4], A());
  eq("windows", [xs, 0], A());
  fails("windows", [xs, null], "windows() requires a numeric size");
});

Deno.test("range", () => {
  eq("range", [5], A(0, 1, 2, 3, 4));
  eq("range", [0], A());
  eq("range", [-3], A());
  eq("range", [1, 6], A(1, 2, 3, 4, 5));
  eq("range", [-3, 3], A(-3, -2, -1, 0, 1, 2));
  eq("range", [5, 1], A());
  eq("range", [10, 0, -2], A(10, 8, 6, 4, 2));
  eq("range", [0, 10, 3], A(0, 3, 6, 9));
  eq("range", [F(3.9)], A(0, 1, 2));
  eq(
    "range",
    [9223372036854775805n, 9223372036854775807n],
    A(
      9223372036854775805n,
      9223372036854775806n,
    ),
  );
  fails("range", [0, 5, 0], "range() step cannot be zero");
  fails("range", ["5"], "range() requires numeric arguments");
  fails("range", [0, 1e12], "range() result is too large");
});
