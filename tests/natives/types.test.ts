import assert from "node:assert/strict";
import { dictOf, RBytes } from "../../lib/values.ts";
import { types } from "../../lib/runtime/types.ts";
import { A, F, fn1, harness } from "./_helpers.ts";

const { run, eq, fails } = harness(types);

Deno.test("parse_int", () => {
  eq("parse_int", ["42"], 42);
  eq("parse_int", ["  -100  "], -100);
  eq("parse_int", ["+7"], 7);
  eq("parse_int", ["0"], 0);
  eq("parse_int", ["9223372036854775807"], 9223372036854775807n);
  eq("parse_int", ["-9223372036854775808"], -9223372036854775808n);
  fails("parse_int", ["abc"], "Cannot parse 'abc' as integer");
  fails("parse_int", ["not a number"], "Cannot parse 'not a number' as integer");
  fails("parse_int", [" 3.5 "], "Cannot parse ' 3.5 ' as integer");
  fails("parse_int", ["1e3"], "Cannot parse '1e3' as integer");
  fails("parse_int", [""], "Cannot parse '' as integer");
  fails("parse_int", ["9223372036854775808"], "Cannot parse '9223372036854775808' as integer");
  fails("parse_int", [5], "parse_int() requires a string argument");
});

Deno.test("parse_float", () => {
  eq("parse_float", ["3.14"], F(3.14));
  eq("parse_float", ["  -2.5  "], F(-2.5));
  eq("parse_float", ["42"], F(42));
  eq("parse_float", [".5"], F(0.5));
  eq("parse_float", ["5."], F(5));
  eq("parse_float", ["1e-3"], F(0.001));
  eq("parse_float", ["+1"], F(1));
  eq("parse_float", ["inf"], F(Infinity));
  eq("parse_float", ["-Infinity"], F(-Infinity));
  eq("parse_float", ["NaN"], F(NaN));
  fails("parse_float", ["invalid"], "Cannot parse 'invalid' as float");
  fails("parse_float", ["."], "Cannot parse '.' as float");
  fails("parse_float", ["0x10"], "Cannot parse '0x10' as float");
  fails("parse_float", [null], "parse_float() requires a string argument");
});

Deno.test("to_int and to_float", () => {
  eq("to_int", [F(3.14)], 3);
  eq("to_int", [F(-9.99)], -9);
  eq("to_int", [F(NaN)], 0);
  eq("to_int", [F(Infinity)], 9223372036854775807n);
  eq("to_int", [F(-1e300)], -9223372036854775808n);
  eq("to_int", [F(1e18)], 1000000000000000000n);
  eq("to_int", ["  999  "], 999);
  eq("to_int", [true], 1);
  eq("to_int", [false], 0);
  eq("to_int", [42], 42);
  fails("to_int", ["3.14"], "Cannot convert '3.14' to int");
  fails("to_int", [A()], "Cannot convert array to int");
  fails("to_int", [dictOf([])], "Cannot convert dict to int");
  fails("to_int", [null], "Cannot convert null to int");
  eq("to_float", [42], F(42));
  eq("to_float", [F(2.5)], F(2.5));
  eq("to_float", ["  42.0  "], F(42));
  eq("to_float", [true], F(1));
  eq("to_float", [false], F(0));
  fails("to_float", ["x"], "Cannot convert 'x' to float");
  fails("to_float", [null], "Cannot convert null to float");
});

Deno.test("to_string and to_bool", () => {
  eq("to_string", [42], "42");
  eq("to_string", [F(3.14)], "3.14");
  eq("to_string", [F(2)], "2");
  eq("to_string", [true], "true");
  eq("to_string", [A(1, 2, 3)], "[1, 2, 3]");
  eq("to_string", [null], "null");
  eq("to_bool", [0], false);
  eq("to_bool", [-1], true);
  eq("to_bool", [F(0)], false);
  eq("to_bool", [F(-3.14)], true);
  eq("to_bool", [""], false);
  eq("to_bool", ["hello"], true);
  eq("to_bool", ["FALSE"], false);
  eq("to_bool", ["0"], false);
  eq("to_bool", ["no"], true);
  eq("to_bool", [A()], false);
  eq("to_bool", [A(1)], true);
  eq("to_bool", [dictOf([])], false);
  eq("to_bool", [null], false);
});

Deno.test("type and predicates", () => {
  eq("type", [42], "int");
  eq("type", [F(3.14)], "float");
  eq("type", ["s"], "string");
  eq("type", [true], "bool");
  eq("type", [null], "null");
  eq("type", [A()], "array");
  eq("type", [dictOf([])], "dict");
  eq("type", [fn1((x) => x)], "function");
  eq("is_int", [42], true);
  eq("is_int", [F(3)], false);
  eq("is_float", [F(3)], true);
  eq("is_float", [3], false);
  eq("is_string", ["x"], true);
  eq("is_string", [1], false);
  eq("is_array", [A()], true);
  eq("is_array", [dictOf([])], false);
  eq("is_dict", [dictOf([])], true);
  eq("is_bool", [false], true);
  eq("is_bool", [1], false);
  eq("is_null", [null], true);
  eq("is_null", [0], false);
  eq("is_function", [fn1((x) => x)], true);
  eq("is_function", ["len"], false);
});

Deno.test("bytes", () => {
  const b = run("bytes", A(1, 255, 0));
  assert.ok(b instanceof RBytes);
  assert.deepStrictEqual([...b.data], [1, 255, 0]);
  fails("bytes", [A(256)], "bytes() requires integers in range 0-255, got 256");
  fails("bytes", [A("a")], "bytes() requires an array of integers");
  fails("bytes", ["x"], "bytes() requires an array argument");
});
