import assert from "node:assert/strict";
import { parse } from "../../lib/parser.ts";
import { body, expr, strip, value } from "./_helpers.ts";

const I = (name: string) => ({ kind: "Ident", name });
const N = (v: number) => ({ kind: "Int", value: v });

Deno.test("literals", () => {
  assert.deepEqual(strip(value("42")), N(42));
  assert.deepEqual(strip(value("007")), N(7));
  assert.deepEqual(strip(value("9007199254740991")), N(9007199254740991));
  assert.deepEqual(strip(value("9007199254740992")), { kind: "Int", value: 9007199254740992n });
  assert.deepEqual(strip(value("9223372036854775807")), {
    kind: "Int",
    value: 9223372036854775807n,
  });
  assert.deepEqual(strip(value("1.5")), { kind: "Float", value: 1.5 });
  assert.deepEqual(strip(value('"a\\n\\t\\r\\\\\\"\\$"')), { kind: "Str", value: 'a\n\t\r\\"$' });
  assert.deepEqual(strip(value('"\\${x}"')), { kind: "Str", value: "${x}" });
  assert.deepEqual(strip(value('"$ and $x"')), { kind: "Str", value: "$ and $x" });
  assert.deepEqual(strip(value("true")), { kind: "Bool", value: true });
  assert.deepEqual(strip(value("null")), { kind: "Null" });
  assert.deepEqual(strip(value('""')), { kind: "Str", value: "" });
});

Deno.test("1. is an Int followed by a member access", () => {
  assert.deepEqual(strip(value("1.abs")), {
    kind: "Member",
    object: N(1),
    name: "abs",
    optional: false,
  });
});

Deno.test("interpolated strings: parts and file positions", () => {
  const v = value('"a ${n + 1} b ${ {"k": "}"}["k"] }"');
  assert.equal(v.kind, "Interp");
  if (v.kind !== "Interp") return;
  assert.equal(v.parts.length, 4);
  assert.equal(v.parts[0], "a ");
  assert.equal(v.parts[2], " b ");
  const e = v.parts[1];
  assert.ok(typeof e !== "string" && e.kind === "Binary");
  if (typeof e !== "string") assert.deepEqual([e.line, e.col], [1, 13]);
  const idx = v.parts[3];
  assert.ok(typeof idx !== "string" && idx.kind === "Index");
  const nested = value('"x${ "in${y}" }z"');
  assert.deepEqual(strip(nested), {
    kind: "Interp",
    parts: ["x", { kind: "Interp", parts: ["in", I("y")] }, "z"],
  });
});

Deno.test("precedence levels 1-10", () => {
  assert.deepEqual(strip(value("a |> b ?? c || d && e == f < g + h * -i")), {
    kind: "Logical",
    op: "|>",
    left: I("a"),
    right: {
      kind: "Logical",
      op: "??",
      left: I("b"),
      right: {
        kind: "Logical",
        op: "||",
        left: I("c"),
        right: {
          kind: "Logical",
          op: "&&",
          left: I("d"),
          right: {
            kind: "Binary",
            op: "==",
            left: I("e"),
            right: {
              kind: "Binary",
              op: "<",
              left: I("f"),
              right: {
                kind: "Binary",
                op: "+",
                left: I("g"),
                right: {
                  kind: "Binary",
                  op: "*",
                  left: I("h"),
                  right: { kind: "Unary", op: "-", operand: I("i") },
                },
              },
            },
          },
        },
      },
    },
  });
});

Deno.test("left associativity and comparison chains", () => {
  assert.deepEqual(strip(value("a - b - c")), {
    kind: "Binary",
    op: "-",
    left: { kind: "Binary", op: "-", left: I("a"), right: I("b") },
    right: I("c"),
  });
  assert.deepEqual(strip(value("a < b < c")), {
    kind: "Binary",
    op: "<",
    left: { kind: "Binary", op: "<", left: I("a"), right: I("b") },
    right: I("c"),
  });
  assert.deepEqual(strip(value("a == b != c")), {
    kind: "Binary",
    op: "!=",
    left: { kind: "Binary", op: "==", left: I("a"), right: I("b") },
    right: I("c"),
  });
});

Deno.test("prefix operators bind looser than postfix; await is prefix", () => {
  assert.deepEqual(strip(value("-p.x")), {
    kind: "Unary",
    op: "-",
    operand: { kind: "Member", object: I("p"), name: "x", optional: false },
  });
  assert.deepEqual(strip(value("!!- -x")), {
    kind: "Unary",
    op: "!",
    operand: {
      kind: "Unary",
      op: "!",
      operand: { kind: "Unary", op: "-", operand: { kind: "Unary", op: "-", operand: I("x") } },
    },
  });
  assert.deepEqual(strip(value("await f() + 1")), {
    kind: "Binary",
    op: "+",
    left: { kind: "Unary", op: "await", operand: { kind: "Call", callee: I("f"), args: [] } },
    right: N(1),
  });
});

Deno.test("postfix: call, index, member, method call, optional member, try", () => {
  assert.deepEqual(strip(value("a.b(1)[2]?.c?")), {
    kind: "TryOp",
    value: {
      kind: "Member",
      optional: true,
      name: "c",
      object: {
        kind: "Index",
        object: { kind: "MethodCall", object: I("a"), name: "b", args: [N(1)] },
        index: N(2),
      },
    },
  });
  assert.deepEqual(strip(value("f(1, 2,)(3)")), {
    kind: "Call",
    callee: { kind: "Call", callee: I("f"), args: [N(1), N(2)] },
    args: [N(3)],
  });
  // Reserved words as member names.
  assert.deepEqual(strip(value("cfg.default.test()")), {
    kind: "MethodCall",
    object: { kind: "Member", object: I("cfg"), name: "default", optional: false },
    name: "test",
    args: [],
  });
});

Deno.test("node positions follow §21.12", () => {
  const b = body("x := a + f(1)[2].m(3).n");
  const s = b[0];
  assert.equal(s.kind, "Assign");
  if (s.kind !== "Assign") return;
  assert.deepEqual([s.line, s.col], [1, 3]);
  const bin = s.value;
  assert.deepEqual([bin.kind, bin.line, bin.col], ["Binary", 1, 8]);
  if (bin.kind !== "Binary") return;
  const mem = bin.right;
  assert.deepEqual([mem.kind, mem.line, mem.col], ["Member", 1, 22]);
  if (mem.kind !== "Member") return;
  const mc = mem.object;
  assert.deepEqual([mc.kind, mc.line, mc.col], ["MethodCall", 1, 17]);
  if (mc.kind !== "MethodCall") return;
  const idx = mc.object;
  assert.deepEqual([idx.kind, idx.line, idx.col], ["Index", 1, 14]);
  if (idx.kind !== "Index") return;
  const call = idx.object;
  assert.deepEqual([call.kind, call.line, call.col], ["Call", 1, 11]);
  // Columns count code points.
  const v = body('s := "héllo😀" + y')[0];
  if (v.kind === "Assign") assert.deepEqual([v.value.line, v.value.col], [1, 15]);
  // CRLF, CR and LF each count as one line break; a BOM is ignored.
  const w = body("\uFEFFa := 1\r\nb := 2\rc := 3\nd := 4");
  assert.deepEqual(w.map((s) => [s.line, s.col]), [[1, 3], [2, 3], [3, 3], [4, 3]]);
});

Deno.test("arrays, dicts, spreads and bare-name keys", () => {
  assert.deepEqual(strip(value("[1, ...xs, 2,]")), {
    kind: "Array",
    items: [
      { spread: false, value: N(1) },
      { spread: true, value: I("xs") },
      { spread: false, value: N(2) },
    ],
  });
  assert.deepEqual(strip(value('{a: 1, default: 2, (k): 3, "s": 4, ...base, true: 5}')), {
    kind: "Dict",
    entries: [
      { spread: false, key: { kind: "Str", value: "a" }, value: N(1) },
      { spread: false, key: { kind: "Str", value: "default" }, value: N(2) },
      { spread: false, key: I("k"), value: N(3) },
      { spread: false, key: { kind: "Str", value: "s" }, value: N(4) },
      { spread: true, value: I("base") },
      { spread: false, key: { kind: "Bool", value: true }, value: N(5) },
    ],
  });
  assert.deepEqual(strip(value("{}")), { kind: "Dict", entries: [] });
});

Deno.test("struct literals versus blocks (§2.4)", () => {
  assert.deepEqual(strip(value("Point { x: 1, y: 2 }.norm()")), {
    kind: "MethodCall",
    object: {
      kind: "StructLit",
      name: "Point",
      fields: [{ name: "x", value: N(1) }, { name: "y", value: N(2) }],
    },
    name: "norm",
    args: [],
  });
  assert.deepEqual(strip(value("Empty {}")), { kind: "StructLit", name: "Empty", fields: [] });
  assert.deepEqual(strip(body("if ready {}")), [
    { kind: "If", cond: I("ready"), then: [], else: null },
  ]);
  assert.deepEqual(strip(body("for x in items {}")), [
    { kind: "For", target: { kind: "PName", name: "x" }, iterable: I("items"), body: [] },
  ]);
  assert.equal(body("while p { x := 1 }").length, 1);
  const s = body("if p == (Point { x: 0 }) { }")[0];
  assert.ok(s.kind === "If" && s.cond.kind === "Binary" && s.cond.right.kind === "StructLit");
  // Inside brackets the struct literal is allowed again.
  const t = body("if f(P { a: 1 }) {}")[0];
  assert.ok(t.kind === "If" && t.cond.kind === "Call" && t.cond.args[0].kind === "StructLit");
  assert.deepEqual(strip(body("match x { default: 1 }")[0]), {
    kind: "Match",
    subject: I("x"),
    arms: [{ pattern: null, body: [{ kind: "ExprStmt", expr: N(1) }] }],
  });
  // Reserved words as struct-literal field names.
  assert.deepEqual(strip(value("Cfg { default: 1 }")), {
    kind: "StructLit",
    name: "Cfg",
    fields: [{ name: "default", value: N(1) }],
  });
});

Deno.test("line-start rule (§2.3)", () => {
  assert.deepEqual(strip(body("total := sum(xs)\n[first, second] := pair")), [
    {
      kind: "Assign",
      target: I("total"),
      op: ":=",
      value: { kind: "Call", callee: I("sum"), args: [I("xs")] },
      exported: false,
    },
    {
      kind: "Destructure",
      pattern: {
        kind: "PArray",
        items: [{ kind: "PName", name: "first" }, { kind: "PName", name: "second" }],
        rest: null,
      },
      value: I("pair"),
    },
  ]);
  assert.equal(body("f()\n(g)()").length, 2);
  assert.equal(body("x := a\n[1, 2]").length, 2);
  assert.equal(body("x := P\n{ a: 1 }").length, 2);
  // Other tokens continue the expression.
  const chain = body("evens := nums\n  .filter(f)\n  .map(g)");
  assert.equal(chain.length, 1);
  const sub = body("x := 1\n- 2");
  assert.equal(sub.length, 1);
});

Deno.test("same-line rule for return and yield", () => {
  assert.deepEqual(strip(body("func f() {\n return\n 5\n}")[0]), {
    kind: "FuncDecl",
    fn: {
      name: "f",
      params: [],
      body: [{ kind: "Return", value: null }, { kind: "ExprStmt", expr: N(5) }],
      isAsync: false,
      isGenerator: false,
    },
    exported: false,
  });
  const r = body("func f() { return }; func g() { return; }; return")
    .map((s) => strip(s));
  assert.equal(r.length, 3);
  const g = body("func* g() { yield\n x := yield 1 + 2\n f(yield) }")[0];
  assert.ok(g.kind === "FuncDecl");
  if (g.kind !== "FuncDecl") return;
  assert.deepEqual(strip(g.fn.body), [
    { kind: "ExprStmt", expr: { kind: "Yield", value: null } },
    {
      kind: "Assign",
      target: I("x"),
      op: ":=",
      value: { kind: "Yield", value: { kind: "Binary", op: "+", left: N(1), right: N(2) } },
      exported: false,
    },
    {
      kind: "ExprStmt",
      expr: { kind: "Call", callee: I("f"), args: [{ kind: "Yield", value: null }] },
    },
  ]);
});

Deno.test("declarations: let/mut/const with patterns and annotations", () => {
  assert.deepEqual(strip(body("let x: int = 1")[0]), {
    kind: "Let",
    keyword: "let",
    pattern: { kind: "PName", name: "x" },
    value: N(1),
    exported: false,
  });
  assert.deepEqual(strip(body("mut [a, [b, _], ...r] := xs")[0]), {
    kind: "Let",
    keyword: "mut",
    pattern: {
      kind: "PArray",
      items: [
        { kind: "PName", name: "a" },
        { kind: "PArray", items: [{ kind: "PName", name: "b" }, { kind: "PIgnore" }], rest: null },
      ],
      rest: "r",
    },
    value: I("xs"),
    exported: false,
  });
  assert.deepEqual(strip(body("let {name, age, ...extra} := d")[0]), {
    kind: "Let",
    keyword: "let",
    pattern: { kind: "PDict", names: ["name", "age"], rest: "extra" },
    value: I("d"),
    exported: false,
  });
  assert.deepEqual(strip(body("const MAX: Array<Result<int, string>> := 3")[0]), {
    kind: "Let",
    keyword: "const",
    pattern: { kind: "PName", name: "MAX" },
    value: N(3),
    exported: false,
  });
  assert.deepEqual(strip(body("let _ = f()")[0]), {
    kind: "Let",
    keyword: "let",
    pattern: { kind: "PIgnore" },
    value: { kind: "Call", callee: I("f"), args: [] },
    exported: false,
  });
});

Deno.test("assignments: :=, =, compound, typed, places, destructuring", () => {
  const a = (src: string) => strip(body(src)[0]);
  assert.deepEqual(a("x = 1"), {
    kind: "Assign",
    target: I("x"),
    op: ":=",
    value: N(1),
    exported: false,
  });
  assert.deepEqual(a("x: Array<int>= [1]"), {
    kind: "Assign",
    target: I("x"),
    op: ":=",
    value: { kind: "Array", items: [{ spread: false, value: N(1) }] },
    exported: false,
  });
  for (const op of ["+=", "-=", "*=", "/=", "%="]) {
    assert.deepEqual(a(`g.players[0].score ${op} 10`), {
      kind: "Assign",
      target: {
        kind: "Member",
        optional: false,
        name: "score",
        object: {
          kind: "Index",
          index: N(0),
          object: { kind: "Member", optional: false, name: "players", object: I("g") },
        },
      },
      op,
      value: N(10),
      exported: false,
    });
  }
  assert.deepEqual(a("{a, b} = d"), {
    kind: "Destructure",
    pattern: { kind: "PDict", names: ["a", "b"], rest: null },
    value: I("d"),
  });
  // Not followed by `:=`: an expression statement holding a dict/array literal.
  assert.deepEqual(a("[1, 2]"), {
    kind: "ExprStmt",
    expr: {
      kind: "Array",
      items: [{ spread: false, value: N(1) }, { spread: false, value: N(2) }],
    },
  });
  const d = body("[a, b] := [b, a]")[0];
  assert.deepEqual([d.kind, d.line, d.col], ["Destructure", 1, 8]);
});

Deno.test("functions: declarations, expressions, async, generators", () => {
  const f = body("async func load(a: int, b,) -> Result<int, string> { return a }")[0];
  assert.ok(f.kind === "FuncDecl");
  if (f.kind !== "FuncDecl") return;
  assert.deepEqual([f.line, f.col, f.fn.line, f.fn.col], [1, 1, 1, 1]);
  assert.equal(f.fn.isAsync, true);
  assert.deepEqual(f.fn.params.map((p) => [p.name, p.line, p.col]), [["a", 1, 17], ["b", 1, 25]]);
  const g = strip(value("func*(n) { yield n }"));
  assert.deepEqual(g, {
    kind: "Func",
    fn: {
      name: null,
      params: [{ name: "n" }],
      body: [{ kind: "ExprStmt", expr: { kind: "Yield", value: I("n") } }],
      isAsync: false,
      isGenerator: true,
    },
  });
  const h = value("async func() {}");
  assert.ok(h.kind === "Func" && h.fn.isAsync && !h.fn.isGenerator);
  assert.deepEqual(strip(expr("(func(x) { return x })(5)")), {
    kind: "Call",
    callee: {
      kind: "Func",
      fn: {
        name: null,
        params: [{ name: "x" }],
        body: [{ kind: "Return", value: I("x") }],
        isAsync: false,
        isGenerator: false,
      },
    },
    args: [N(5)],
  });
});

Deno.test("structs and enums", () => {
  const s = body(
    "struct P {\n x: int,\n y\n default: string\n func norm(self) -> float { return self.x }\n" +
      " async func load() {}\n func test(self, o: P) {}\n}",
  )[0];
  assert.ok(s.kind === "StructDecl");
  if (s.kind !== "StructDecl") return;
  assert.deepEqual(s.fields, ["x", "y", "default"]);
  assert.deepEqual(s.methods.map((m) => [m.name, m.params.map((p) => p.name), m.isAsync]), [
    ["norm", ["self"], false],
    ["load", [], true],
    ["test", ["self", "o"], false],
  ]);
  assert.deepEqual(strip(body("enum Result { Ok, Err, }")[0]), {
    kind: "EnumDecl",
    name: "Result",
    variants: ["Ok", "Err"],
    exported: false,
  });
  assert.deepEqual(strip(value("Shape::Rect(2, 3)")), {
    kind: "EnumLit",
    enumName: "Shape",
    variant: "Rect",
    args: [N(2), N(3)],
  });
  assert.deepEqual(strip(value("Option::None")), {
    kind: "EnumLit",
    enumName: "Option",
    variant: "None",
    args: null,
  });
});

Deno.test("Ok/Err/Some/None and throw", () => {
  assert.deepEqual(strip(value("Ok(1)")), { kind: "Wrap", tag: "Ok", value: N(1) });
  assert.deepEqual(strip(value("Err(e)?")), {
    kind: "TryOp",
    value: { kind: "Wrap", tag: "Err", value: I("e") },
  });
  assert.deepEqual(strip(value("Some(None)")), {
    kind: "Wrap",
    tag: "Some",
    value: { kind: "Wrap", tag: "None", value: null },
  });
  assert.deepEqual(strip(value('a ?? throw("x")')), {
    kind: "Logical",
    op: "??",
    left: I("a"),
    right: { kind: "Throw", value: { kind: "Str", value: "x" } },
  });
});

Deno.test("control flow statements", () => {
  assert.deepEqual(strip(body("if a { 1 } else if b { 2 } else { 3 }")[0]), {
    kind: "If",
    cond: I("a"),
    then: [{ kind: "ExprStmt", expr: N(1) }],
    else: [{
      kind: "If",
      cond: I("b"),
      then: [{ kind: "ExprStmt", expr: N(2) }],
      else: [{ kind: "ExprStmt", expr: N(3) }],
    }],
  });
  assert.deepEqual(strip(body("while x { break; continue }")[0]), {
    kind: "While",
    cond: I("x"),
    body: [{ kind: "Break" }, { kind: "Continue" }],
  });
  assert.deepEqual(strip(body("loop { break }")[0]), {
    kind: "While",
    cond: null,
    body: [{ kind: "Break" }],
  });
  assert.deepEqual(strip(body("loop while x { }")[0]), { kind: "While", cond: I("x"), body: [] });
  assert.deepEqual(strip(body("for [k, v] in items(d) { }")[0]), {
    kind: "For",
    target: {
      kind: "PArray",
      items: [{ kind: "PName", name: "k" }, { kind: "PName", name: "v" }],
      rest: null,
    },
    iterable: { kind: "Call", callee: I("items"), args: [I("d")] },
    body: [],
  });
  assert.deepEqual(strip(body("try { f() } except e { g(e) }")[0]), {
    kind: "Try",
    body: [{ kind: "ExprStmt", expr: { kind: "Call", callee: I("f"), args: [] } }],
    errName: "e",
    handler: [{ kind: "ExprStmt", expr: { kind: "Call", callee: I("g"), args: [I("e")] } }],
  });
  assert.deepEqual(strip(body("try { } except { }")[0]), {
    kind: "Try",
    body: [],
    errName: null,
    handler: [],
  });
  assert.deepEqual(strip(body("spawn { x := 1 }")[0]), {
    kind: "Spawn",
    body: [{ kind: "Assign", target: I("x"), op: ":=", value: N(1), exported: false }],
  });
});

Deno.test("match arms and every case pattern", () => {
  const m = body(
    `match v {
      case 0: { a }
      case -5: b
      case -1.5: b
      case "stop": b
      case true: b
      case null: b
      case _: b
      case Ok(x): b
      case Err(_): b
      case None: return "none"
      case Shape::Rect(w, h): b
      case Shape::Empty: b
      case Result::Ok: b
      case label: b
      default: { }
    }`,
  )[0];
  assert.ok(m.kind === "Match");
  if (m.kind !== "Match") return;
  assert.deepEqual(strip(m.arms.map((a) => a.pattern)), [
    { kind: "CLit", value: { kind: "Int", value: 0 } },
    { kind: "CLit", value: { kind: "Int", value: -5 } },
    { kind: "CLit", value: { kind: "Float", value: -1.5 } },
    { kind: "CLit", value: { kind: "Str", value: "stop" } },
    { kind: "CLit", value: { kind: "Bool", value: true } },
    { kind: "CLit", value: { kind: "Null" } },
    { kind: "CWild" },
    { kind: "CWrap", tag: "Ok", bind: "x" },
    { kind: "CWrap", tag: "Err", bind: null },
    { kind: "CWrap", tag: "None", bind: null },
    { kind: "CEnum", enumName: "Shape", variant: "Rect", binds: ["w", "h"] },
    { kind: "CEnum", enumName: "Shape", variant: "Empty", binds: null },
    { kind: "CEnum", enumName: "Result", variant: "Ok", binds: null },
    { kind: "CLabel", name: "label" },
    null,
  ]);
  assert.deepEqual(strip(m.arms[0].body), [{ kind: "ExprStmt", expr: I("a") }]);
  assert.deepEqual(strip(m.arms[9].body), [{
    kind: "Return",
    value: { kind: "Str", value: "none" },
  }]);
  assert.deepEqual([m.arms[1].line, m.arms[1].col], [3, 7]);
});

Deno.test("imports, exports, tests", () => {
  assert.deepEqual(strip(body("import a.b.c")[0]), {
    kind: "Import",
    path: ["a", "b", "c"],
    names: null,
  });
  assert.deepEqual(strip(body("from geo.shapes import area, Point")[0]), {
    kind: "Import",
    path: ["geo", "shapes"],
    names: ["area", "Point"],
  });
  const ex = body(
    "export const T := 1\nexport func f() {}\nexport struct S {}\nexport enum E { A }\n" +
      "export let [a, b] := c\nexport n := 2\nexport async func g() {}",
  );
  assert.deepEqual(ex.map((s) => [s.kind, "exported" in s && s.exported]), [
    ["Let", true],
    ["FuncDecl", true],
    ["StructDecl", true],
    ["EnumDecl", true],
    ["Let", true],
    ["Assign", true],
    ["FuncDecl", true],
  ]);
  assert.deepEqual(
    strip(body(
      'test_group "g" { test "t" { assert(1) }; test_group "h" {} }\n' +
        "test_setup { }\ntest_teardown { }",
    )),
    [
      {
        kind: "Test",
        testKind: "test_group",
        name: "g",
        body: [
          {
            kind: "Test",
            testKind: "test",
            name: "t",
            body: [{ kind: "ExprStmt", expr: { kind: "Call", callee: I("assert"), args: [N(1)] } }],
          },
          { kind: "Test", testKind: "test_group", name: "h", body: [] },
        ],
      },
      { kind: "Test", testKind: "test_setup", name: null, body: [] },
      { kind: "Test", testKind: "test_teardown", name: null, body: [] },
    ],
  );
});

Deno.test("semicolons, comments and empty programs", () => {
  assert.deepEqual(body(""), []);
  assert.deepEqual(body(";;; # c\n// d\n/// e\n/* f\n g */"), []);
  assert.equal(body("a := 1; b := 2;; if a { ; x; ; } ;").length, 3);
  assert.equal(body("a /* inline */ := /* x */ 1 // end").length, 1);
  assert.equal(body('s := "# not a comment // nor this /* */"').length, 1);
  const p = parse("x := 1", "f.ruff");
  assert.deepEqual([p.file, p.source], ["f.ruff", "x := 1"]);
});
