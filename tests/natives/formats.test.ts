import assert from "node:assert/strict";
import { arrayOf, mkFloat, RBytes, type RDict, RSet } from "../../lib/values.ts";
import { floatText, formats } from "../../lib/runtime/formats.ts";

import { preload } from "../../lib/runtime/lazy.ts";
import { d, harness, plainLoose, throwsMsg } from "./_helpers.ts";

// The natives read their libraries synchronously once loaded (lib/runtime/lazy.ts).
await preload(["parse_yaml", "parse_toml", "jwt_encode"]);

const { run } = harness(formats);
const F = (x: number) => ({ f: x });

/** Nested data with Ints, Floats, strings, nulls and bools. */
function sample(): RDict {
  return d({
    name: 'Ruff "lang"\n',
    version: 9,
    ratio: mkFloat(0.5),
    whole: mkFloat(2),
    big: 9223372036854775807n,
    neg: -17,
    flags: arrayOf([true, false, null]),
    nested: d({ list: arrayOf([1, mkFloat(2.5), "x"]), empty: d({}), none: arrayOf([]) }),
  });
}

Deno.test("parse_json keeps Int and Float apart", () => {
  const v = run(
    "parse_json",
    '{"a": 1, "b": 2.0, "c": [1e2, -0, 9223372036854775807, 9223372036854775808, -5],' +
      ' "d": {"e": null, "f": true}, "s": "\\u0041\\n\\ud83d\\ude00/", "a": 3}',
  );
  assert.deepEqual(plainLoose(v), {
    a: 3,
    b: F(2),
    c: [F(100), 0, 9223372036854775807n, F(9223372036854775808), -5],
    d: { e: null, f: true },
    s: "A\n😀/",
  });
  assert.equal(run("parse_json", "999999999"), 999999999);
  assert.deepEqual(plainLoose(run("parse_json", " 3.14 ")), F(3.14));
  assert.equal(run("parse_json", '""'), "");
  assert.deepEqual(plainLoose(run("parse_json", "[[], {}, [[[]]]]")), [[], {}, [[[]]]]);
});

Deno.test("parse_json errors", () => {
  throwsMsg(() => run("parse_json", "x"), "JSON parse error: expected value at line 1 column 1");
  throwsMsg(
    () => run("parse_json", "1 x"),
    "JSON parse error: trailing characters at line 1 column 3",
  );
  throwsMsg(() => run("parse_json", '{"a":1'), /^JSON parse error: EOF while parsing an object/);
  throwsMsg(() => run("parse_json", ""), /^JSON parse error: EOF while parsing a value/);
  throwsMsg(() => run("parse_json", "[1,]"), /^JSON parse error: trailing comma/);
  throwsMsg(() => run("parse_json", "{1: 2}"), /^JSON parse error: key must be a string/);
  throwsMsg(() => run("parse_json", '"a\\qb"'), /^JSON parse error: invalid escape/);
  throwsMsg(
    () => run("parse_json", "\n  [1 2]"),
    "JSON parse error: expected `,` or `]` at line 2 column 6",
  );
  throwsMsg(() => run("parse_json", "[".repeat(200)), /recursion limit exceeded/);
  throwsMsg(() => run("parse_json", 5), "parse_json() requires a string argument");
});

Deno.test("to_json: compact, sorted keys, Float text", () => {
  assert.equal(
    run("to_json", sample()),
    '{"big":9223372036854775807,"flags":[true,false,null],"name":"Ruff \\"lang\\"\\n",' +
      '"neg":-17,"nested":{"empty":{},"list":[1,2.5,"x"],"none":[]},"ratio":0.5,"version":9,' +
      '"whole":2.0}',
  );
  const cases: [number, string][] = [
    [3, "3.0"],
    [0.1, "0.1"],
    [-0, "-0.0"],
    [1e16, "1e16"],
    [1.5e-7, "1.5e-7"],
    [1e-5, "0.00001"],
    [1e-6, "1e-6"],
    [123456789.125, "123456789.125"],
    [1.2345e20, "1.2345e20"],
    [1e15, "1000000000000000.0"],
  ];
  for (const [x, s] of cases) {
    assert.equal(floatText(x), s);
    assert.equal(run("to_json", mkFloat(x)), s);
  }
  assert.equal(run("to_json", mkFloat(NaN)), "0");
  assert.equal(run("to_json", "tab\there \u0001 é /"), '"tab\\there \\u0001 é /"');
  assert.equal(run("to_json", null), "null");
  throwsMsg(() => run("to_json", new RSet([1, 2])), "Cannot convert Set{2 items} to JSON");
  throwsMsg(
    () => run("to_json", arrayOf([new RBytes(new Uint8Array(4))])),
    "Cannot convert Bytes(4 bytes) to JSON",
  );
});

Deno.test("JSON round trip of nested data", () => {
  const v = sample();
  assert.deepEqual(plainLoose(run("parse_json", run("to_json", v))), plainLoose(v));
});

Deno.test("TOML parse and write", () => {
  const v = run(
    "parse_toml",
    'title = "x"\nn = 1\nf = 2.0\nwhen = 1979-05-27T07:32:00Z\nday = 1979-05-27\n' +
      "[server]\nports = [80, 443]\n[[items]]\nid = 1\n[[items]]\nid = 2\n",
  );
  assert.deepEqual(plainLoose(v), {
    title: "x",
    n: 1,
    f: F(2),
    when: "1979-05-27T07:32:00Z",
    day: "1979-05-27",
    server: { ports: [80, 443] },
    items: [{ id: 1 }, { id: 2 }],
  });
  assert.equal(
    run("to_toml", v),
    'day = "1979-05-27"\nf = 2.0\nn = 1\ntitle = "x"\nwhen = "1979-05-27T07:32:00Z"\n\n' +
      "[[items]]\nid = 1\n\n[[items]]\nid = 2\n\n[server]\nports = [80, 443]\n",
  );
  const s = sample();
  // TOML has no null: it becomes "".
  const back = plainLoose(run("parse_toml", run("to_toml", s))) as Record<string, unknown>;
  assert.deepEqual(back.flags, [true, false, ""]);
  assert.deepEqual(back.nested, { list: [1, F(2.5), "x"], empty: {}, none: [] });
  assert.deepEqual(back.whole, F(2));
  assert.equal(back.big, 9223372036854775807n);
  assert.equal(run("to_toml", d({ "a b": d({ c: d({ x: 1 }) }) })), '["a b".c]\nx = 1\n');
  throwsMsg(() => run("parse_toml", "a = "), /^TOML parse error: /);
  throwsMsg(() => run("to_toml", 5), /^TOML serialization error: /);
  throwsMsg(() => run("to_toml", d({ s: new RSet([]) })), "Cannot convert Set{0 items} to TOML");
  throwsMsg(() => run("parse_toml", null), "parse_toml() requires a string argument");
});

Deno.test("YAML parse and write", () => {
  const v = run(
    "parse_yaml",
    "a: 1\nb: 2.0\nc: [x, 3, null, true]\nd:\n  e: .inf\n  'f': '123'\n1: one\n",
  );
  assert.deepEqual(plainLoose(v), {
    a: 1,
    b: F(2),
    c: ["x", 3, null, true],
    d: { e: F(Infinity), f: "123" },
    1: "one",
  });
  const y = run(
    "to_yaml",
    d({ b: arrayOf([1, d({ x: mkFloat(1), y: "true" })]), a: "plain", c: "" }),
  );
  assert.equal(y, 'a: plain\nb:\n- 1\n- x: 1.0\n  y: "true"\nc: ""\n');
  assert.equal(run("to_yaml", arrayOf([])), "[]\n");
  assert.equal(run("to_yaml", d({})), "{}\n");
  const s = sample();
  assert.deepEqual(plainLoose(run("parse_yaml", run("to_yaml", s))), plainLoose(s));
  const tricky = arrayOf([
    "a: b",
    "- x",
    "#c",
    " lead",
    "trail ",
    "null",
    "1.5",
    "multi\nline",
    "é",
  ]);
  assert.deepEqual(plainLoose(run("parse_yaml", run("to_yaml", tricky))), plainLoose(tricky));
  throwsMsg(() => run("parse_yaml", "a: b: c"), /^YAML parse error: /);
  throwsMsg(() => run("to_yaml", new RSet([1])), "Cannot convert Set{1 items} to YAML");
});

Deno.test("CSV parse and write", () => {
  const v = run("parse_csv", 'name,age,score,note\n"Smith, J",42,3.5,"say ""hi"""\nAnn,x,1e3,\n');
  assert.deepEqual(plainLoose(v), [
    { name: "Smith, J", age: 42, score: F(3.5), note: 'say "hi"' },
    { name: "Ann", age: "x", score: F(1000), note: "" },
  ]);
  assert.deepEqual(plainLoose(run("parse_csv", "a,b\r\n1,2\r\n")), [{ a: 1, b: 2 }]);
  assert.deepEqual(plainLoose(run("parse_csv", "a,b\n")), []);
  throwsMsg(
    () => run("parse_csv", "a,b\n1\n"),
    "CSV parse error: found record with 1 fields, but the previous record has 2 fields",
  );
  assert.equal(
    run("to_csv", arrayOf([d({ b: "x,y", a: 1, c: mkFloat(2) }), d({ a: true, b: 'q"' })])),
    'a,b,c\n1,"x,y",2\ntrue,"q""",\n',
  );
  assert.equal(run("to_csv", arrayOf([d({ a: "" })])), 'a\n""\n');
  throwsMsg(() => run("to_csv", arrayOf([])), "CSV requires non-empty array");
  throwsMsg(() => run("to_csv", arrayOf([1])), "CSV requires array of dictionaries");
  throwsMsg(() => run("to_csv", 1), "to_csv() requires an array of dicts");
});

Deno.test("base64", () => {
  assert.equal(run("encode_base64", "Hello"), "SGVsbG8=");
  assert.equal(run("encode_base64", ""), "");
  assert.equal(run("encode_base64", new RBytes(new Uint8Array([0, 255, 254]))), "AP/+");
  assert.deepEqual(plainLoose(run("decode_base64", "SGVsbG8=")), {
    bytes: [72, 101, 108, 108, 111],
  });
  assert.deepEqual(plainLoose(run("decode_base64", "")), { bytes: [] });
  throwsMsg(() => run("decode_base64", "!!!!"), "Base64 decode error: Invalid byte 33, offset 0.");
  throwsMsg(() => run("decode_base64", "SGVsbG8"), "Base64 decode error: Invalid padding");
  throwsMsg(
    () => run("decode_base64", "SGVsbG9="),
    "Base64 decode error: Invalid last symbol 57, offset 6.",
  );
  throwsMsg(
    () => run("decode_base64", "SGVsb"),
    "Base64 decode error: Encoded text cannot have a 6-bit remainder.",
  );
  throwsMsg(() => run("encode_base64", 5), "encode_base64() requires a bytes or string argument");
  throwsMsg(() => run("decode_base64", 5), "decode_base64() requires a string argument");
});
