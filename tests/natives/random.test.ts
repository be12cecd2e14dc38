import assert from "node:assert/strict";
import { arrayOf, mkFloat, RFloat, type Value } from "../../lib/values.ts";
import { random } from "../../lib/runtime/random.ts";
import { harness, throwsMsg } from "./_helpers.ts";

const { run } = harness(random);
function draws(): Value[] {
  const xs = arrayOf(["a", "b", "c", "d"]);
  const out: Value[] = [];
  for (let i = 0; i < 20; i++) {
    out.push((run("random") as RFloat).v, run("random_int", 1, 100), run("random_choice", xs));
  }
  return out;
}

Deno.test("random is a Float in [0, 1)", () => {
  for (let i = 0; i < 1000; i++) {
    const v = run("random");
    assert.ok(v instanceof RFloat && v.v >= 0 && v.v < 1);
  }
});

Deno.test("set_random_seed makes all three deterministic; clear_random_seed undoes it", () => {
  assert.equal(run("set_random_seed", 42), null);
  const a = draws();
  run("set_random_seed", 42);
  assert.deepEqual(draws(), a);
  run("set_random_seed", mkFloat(42.9)); // truncated to 42
  assert.deepEqual(draws(), a);
  run("set_random_seed", 43);
  assert.notDeepEqual(draws(), a);
  run("set_random_seed", 9223372036854775807n);
  const big = draws();
  run("set_random_seed", 9223372036854775807n);
  assert.deepEqual(draws(), big);
  assert.equal(run("clear_random_seed"), null);
  assert.notDeepEqual(draws(), draws());
  // Seeded values are still well spread.
  run("set_random_seed", 7);
  const xs = Array.from({ length: 2000 }, () => (run("random") as RFloat).v);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean > 0.45 && mean < 0.55, `mean ${mean}`);
  run("clear_random_seed");
});

Deno.test("random_int: inclusive Int range, Floats truncated", () => {
  const seen = new Set<Value>();
  for (let i = 0; i < 2000; i++) {
    const v = run("random_int", 1, 6);
    assert.equal(typeof v, "number");
    assert.ok((v as number) >= 1 && (v as number) <= 6);
    seen.add(v);
  }
  assert.equal(seen.size, 6);
  assert.equal(run("random_int", 5, 5), 5);
  assert.equal(run("random_int", mkFloat(2.9), mkFloat(2.1)), 2);
  assert.equal(run("random_int", -3, -3), -3);
  const wide = run("random_int", -9223372036854775808n, 9223372036854775807n);
  assert.ok(typeof wide === "number" || typeof wide === "bigint");
  throwsMsg(() => run("random_int", "a", 2), "random_int() requires number arguments");
  throwsMsg(() => run("random_int", 5, 1), "random_int() requires min <= max, got 5 and 1");
});

Deno.test("random_choice", () => {
  const xs = arrayOf([10, 20, 30]);
  for (let i = 0; i < 100; i++) {
    assert.ok([10, 20, 30].includes(run("random_choice", xs) as number));
  }
  assert.equal(run("random_choice", arrayOf([])), 0);
  throwsMsg(() => run("random_choice", "abc"), "random_choice() requires an array argument");
  throwsMsg(() => run("set_random_seed", "x"), "set_random_seed() requires a number argument");
});
