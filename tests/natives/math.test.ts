import assert from "node:assert/strict";
import { constants, math, roundHalfAway } from "../../lib/runtime/math.ts";
import { A, F, harness, plain } from "./_helpers.ts";

const { eq, fails } = harness(math);

Deno.test("constants are Floats, not functions", () => {
  assert.deepStrictEqual(plain(constants.PI), { float: 3.141592653589793 });
  assert.deepStrictEqual(plain(constants.E), { float: 2.718281828459045 });
  assert.ok(!math.natives.some((n) => n.name === "PI" || n.name === "E"));
});

Deno.test("one-argument functions always return Float", () => {
  eq("abs", [-5], F(5));
  eq("abs", [F(-2.5)], F(2.5));
  eq("abs", [-9223372036854775808n], F(9223372036854775808));
  eq("sqrt", [16], F(4));
  eq("sqrt", [-1], F(NaN));
  eq("floor", [F(3.7)], F(3));
  eq("floor", [F(-3.2)], F(-4));
  eq("ceil", [F(3.2)], F(4));
  eq("ceil", [7], F(7));
  eq("round", [F(2.5)], F(3));
  eq("round", [F(-2.5)], F(-3));
  eq("round", [F(2.4)], F(2));
  eq("round", [F(0.49999999999999994)], F(0));
  eq("log", [F(Math.E)], F(1));
  eq("log", [0], F(-Infinity));
  eq("exp", [0], F(1));
  eq("sin", [0], F(0));
  eq("cos", [0], F(1));
  eq("tan", [0], F(0));
  fails("abs", ["x"], "abs() requires a numeric argument");
  fails("sqrt", [null], "sqrt() requires a numeric argument");
  fails("round", [true], "round() requires a numeric argument");
});

Deno.test("roundHalfAway", () => {
  assert.equal(roundHalfAway(-0.5), -1);
  assert.equal(roundHalfAway(1.5), 2);
  assert.ok(Object.is(roundHalfAway(-0.2), -0));
  assert.equal(roundHalfAway(Infinity), Infinity);
});

Deno.test("pow, min, max", () => {
  eq("pow", [2, 10], F(1024));
  eq("pow", [2, F(0.5)], F(Math.SQRT2));
  eq("pow", [-8, F(1 / 3)], F(NaN));
  eq("pow", [1, F(NaN)], F(1));
  eq("min", [3, 7], F(3));
  eq("max", [3, 7], F(7));
  eq("max", [F(1.5), 1], F(1.5));
  eq("min", [F(NaN), 2], F(2));
  eq("max", [4, F(NaN)], F(4));
  fails("pow", ["2", 2], "pow() requires numeric arguments");
  fails("max", [1, A()], "max() requires numeric arguments");
});
