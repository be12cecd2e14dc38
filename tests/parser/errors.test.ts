import assert from "node:assert/strict";
import { parse } from "../../lib/parser.ts";
import { RuffSyntaxError } from "../../lib/errors.ts";
import { err, issues, ok } from "./_helpers.ts";

Deno.test("lexical errors (§1)", () => {
  err("x := 1\ny := \u0000", "Invalid character '\\u{0}'", 2, 6);
  err("x := 'a'", "Invalid character '''", 1, 6);
  err("é1 := 2", "Invalid character 'é'", 1, 1);
  err("a := 1 & 2", "Invalid character '&'", 1, 8);
  err("a := 1 | 2", "Invalid character '|'", 1, 8);
  for (const ch of ["^", "~", "@", "`", "\\", "$"]) {
    err(`a := ${ch}`, `Invalid character '${ch}'`, 1, 6);
  }
  err("x := 1 /* never\nclosed", "Unterminated block comment", 1, 8);
  err("x := 9223372036854775808", "Numeric literal overflow: 9223372036854775808", 1, 6);
  err("x := 1" + "0".repeat(400) + ".5", `Numeric literal overflow: 1${"0".repeat(400)}.5`, 1, 6);
  err("x := 1e5", "Malformed numeric literal: 1e5", 1, 6);
  err("x := 0x1F", "Malformed numeric literal: 0x1F", 1, 6);
  err("x := 1_000", "Malformed numeric literal: 1_000", 1, 6);
  err("x := 1.5e3", "Malformed numeric literal: 1.5e3", 1, 6);
  err('x := "a\\qb"', "Invalid escape sequence: \\q", 1, 8);
  err('print(1)\nx := "abc\nprint(2)', "Unterminated string literal", 2, 6);
  err('x := "abc', "Unterminated string literal", 1, 6);
  err('x := "a ${ 1 +\n 2 }"', "Unterminated string literal", 1, 6);
  err('x := "${}"', "Invalid interpolated string expression", 1, 7);
  err('x := "a ${ }"', "Invalid interpolated string expression", 1, 9);
  err('x := "${1 2}"', "Invalid interpolated string expression", 1, 7);
  err('x := "${(}"', "Invalid interpolated string expression", 1, 7);
  err('x := "${ func() { y := } }"', "Invalid interpolated string expression", 1, 7);
  // Columns count code points; a tab is one column.
  err("s := \"😀\"\t; 'x'", "Invalid character '''", 1, 12);
  // CR and CRLF are line breaks.
  err("a := 1\r\nb := 2\rc := '", "Invalid character '''", 3, 6);
  // A BOM is ignored.
  err("\uFEFF'", "Invalid character '''", 1, 1);
});

Deno.test("reserved words (§1.4)", () => {
  err("impl Foo {}", "'impl' is reserved", 1, 1);
  err("x := impl", "'impl' is reserved", 1, 6);
  err("let if := 1", "Expected pattern but found 'if'", 1, 5);
  err("func return() {}", "Expected function name but found 'return'", 1, 6);
  err("Ok := 1", "Expected '(' after 'Ok' but found ':='", 1, 4);
  ok("x := obj.default + obj.test() + obj?.match");
  ok("Result := 1; Option := 2");
});

Deno.test("grammar errors and message shapes (§2.8)", () => {
  err("x := (1 + )", "Expected expression but found ')'", 1, 11);
  err("if x {\n  a := 1\nelse {}", "Expected '}' to close if block but found 'else'", 3, 1);
  err("x := [1, 2", "Expected ']' to close array literal but found end of input", 1, 11);
  err("f(1", "Expected ')' to close call arguments but found end of input", 1, 4);
  err("func f() {", "Expected '}' to close function body but found end of input", 1, 11);
  err("if x print(1)", "Expected '{' to open if block but found 'print'", 1, 6);
  err("for x items {}", "Expected 'in' after for target but found 'items'", 1, 7);
  err("try { } catch { }", "Expected 'except' after try block but found 'catch'", 1, 9);
  err("x := {a 1}", "Expected ':' after dict key but found '1'", 1, 9);
  err("match x { 1: 2 }", "Expected 'case', 'default' or '}' in match block but found '1'", 1, 11);
  err("match x { case 1 2 }", "Expected ':' after case pattern but found '2'", 1, 18);
  err("x := )", "Expected expression but found ')'", 1, 6);
  err(")", "Unexpected ')'", 1, 1);
  err("a..b", "Expected member name after '.' but found '.'", 1, 3);
  err("x := a ? : b", "Unexpected ':'", 1, 10);
  err("func(x) { return x }(5)", "Expected function name but found '('", 1, 5);
  err("x := Ok()", "Ok expects 1 argument, got 0", 1, 6);
  err("x := Some(1, 2)", "Some expects 1 argument, got 2", 1, 6);
  err("x := throw(1, 2)", "throw expects 1 argument, got 2", 1, 6);
  err('throw "x"', "Expected '(' after 'throw' but found string literal", 1, 7);
  err("x := None(1)", "None takes no arguments", 1, 10);
  err("x := 1 := 2", "Chained assignment is not supported", 1, 8);
  err("x := y = 2", "Chained assignment is not supported", 1, 8);
  err("let a = b += 1", "Chained assignment is not supported", 1, 11);
  err("[a] := b := c", "Chained assignment is not supported", 1, 10);
  err("f() := 1", "Invalid assignment target", 1, 1);
  err("a.b() = 1", "Invalid assignment target", 1, 1);
  err("(a) := 1", "Invalid assignment target", 1, 1);
  err("a?.b := 1", "Invalid assignment target", 1, 1);
  err("1 += 2", "Invalid assignment target", 1, 1);
  err("[a, 1] := xs", "Invalid assignment target", 1, 1);
  err("let [...a, b] := xs", "Rest element must be last in a pattern", 1, 6);
  err("[...a, ...b] := xs", "Rest element must be last in a pattern", 1, 2);
  err("let {a, ...r, b} := d", "Rest element must be last in a pattern", 1, 9);
  err("let x", "Expected ':=' or '=' in let declaration but found end of input", 1, 6);
  err("x: 5 := 1", "Expected type name but found '5'", 1, 4);
  err("async x := 1", "Expected 'func' after 'async' but found 'x'", 1, 7);
  err("test x {}", "Expected test name string after 'test' but found 'x'", 1, 6);
  err('match x { case "${y}": 1 }', "Interpolated strings are not allowed in case patterns", 1, 16);
  err("if x {} else", "Expected '{' to open else block but found end of input", 1, 13);
  err("x := P { a: 1, a: 2 }", "Duplicate field: a", 1, 16);
});

Deno.test("static rules (§2.7)", () => {
  err("while true { }\nbreak", "break can only be used inside a loop", 2, 1);
  err("for i in 3 { f := func() { continue } }", "continue can only be used inside a loop", 1, 28);
  err("loop { spawn { break } }", "break can only be used inside a loop", 1, 16);
  ok("for i in 3 { match i { case 1: break; default: continue } }");
  ok("while true { if x { break } else { loop { continue } } }");
  err("func f() { yield 1 }", "yield can only be used inside a generator function", 1, 12);
  err(
    "func* g() { h := func() { yield 1 } }",
    "yield can only be used inside a generator function",
    1,
    27,
  );
  err(
    "func* g() { spawn { yield 1 } }",
    "yield can only be used inside a generator function",
    1,
    21,
  );
  ok("func* g() { if x { yield } ; for i in 3 { yield i } }");
  ok("h := func*() { yield 1 }");
  err("print(self)", "'self' is only valid inside struct methods", 1, 7);
  err("func f(self) {}", "'self' is only valid inside struct methods", 1, 8);
  err("struct S { func m(a, self) {} }", "'self' is only valid inside struct methods", 1, 22);
  err("struct S { func m() { return self } }", "'self' is only valid inside struct methods", 1, 30);
  ok("struct S { x\n func m(self) { f := func() { return self.x }; self.x := 1; self = S {} } }");
  err("func f(a, b, a) {}", "Duplicate parameter: a", 1, 14);
  err("h := func(x, x) {}", "Duplicate parameter: x", 1, 14);
  err("struct S { a, b, a }", "Duplicate field: a", 1, 18);
  err("struct S { a\n func a(self) {} }", "Duplicate field: a", 2, 7);
  err("struct S { func m() {}\n func m() {} }", "Duplicate field: m", 2, 7);
  err("enum E { A, B, A }", "Duplicate field: A", 1, 16);
  err("match x { default: 1\n case 1: 2\n default: 3 }", "Duplicate default arm in match", 3, 2);
  err("if x { export y := 1 }", "export is only allowed for top-level declarations", 1, 8);
  err("export print(1)", "export is only allowed for top-level declarations", 1, 1);
  err("export x.y := 1", "export is only allowed for top-level declarations", 1, 1);
  err(
    "func f() { export func g() {} }",
    "export is only allowed for top-level declarations",
    1,
    12,
  );
  err('if x { test "a" {} }', "Invalid test block placement", 1, 8);
  err("func f() { test_setup {} }", "Invalid test block placement", 1, 12);
  err('test_group "g" { x := 1 }', "Invalid test block placement", 1, 18);
  err('test_group "g" { test_setup {} }', "Invalid test block placement", 1, 18);
  err('test "t" { test "u" {} }', "Invalid test block placement", 1, 12);
  ok('test_group "g" { test "a" {} test_group "h" { test "b" { x := 1 } } }');
  err("async func* g() {}", "Async generators are not supported", 1, 1);
  err("x := async func*() {}", "Async generators are not supported", 1, 6);
  err("struct S { func* g() {} }", "Generator methods are not supported", 1, 12);
  err("struct S { async func* g() {} }", "Async generators are not supported", 1, 12);
});

Deno.test("all errors are collected, in source order, with recovery", () => {
  const all = issues("x := (1 + )\ny := 2\nz := ]\nbreak\nw := 'q'");
  assert.deepEqual(all.map((i) => `${i.line}:${i.col} ${i.message}`), [
    "1:11 Expected expression but found ')'",
    "3:6 Expected expression but found ']'",
    "4:1 break can only be used inside a loop",
    "5:6 Invalid character '''",
    "5:8 Invalid character '''",
  ]);
  const e = (() => {
    try {
      parse("a := 1\nb := (", "prog.ruff");
    } catch (x) {
      return x;
    }
  })();
  assert.ok(e instanceof RuffSyntaxError);
  assert.equal(e.file, "prog.ruff");
  assert.equal(e.message, "Expected expression but found end of input");
  assert.equal(
    e.format(),
    "Syntax Error: Expected expression but found end of input\n  --> prog.ruff:2:7\n" +
      "   |\n 2 | b := (\n   |       ^",
  );
});

Deno.test("nesting too deep is a syntax error, not a RangeError", () => {
  const deep = [
    "x := " + "(".repeat(20000) + "1" + ")".repeat(20000),
    "x := " + "[".repeat(20000),
    "if a {".repeat(5000),
    "x := " + "-".repeat(50000) + "1",
    "f" + "()".repeat(50000),
    "x := " + '"${'.repeat(5000),
    "[".repeat(20000) + "a" + "]".repeat(20000) + " := 1",
    "x := " + "func() { return ".repeat(5000),
    "x: " + "A<".repeat(20000) + "int",
    "if a {}" + " else if a {}".repeat(5000),
    "x := " + "{a: ".repeat(20000),
    "x := " + "a.".repeat(50000) + "b",
  ];
  for (const src of deep) {
    const first = issues(src)[0];
    assert.equal(first.message, "Nesting too deep", src.slice(0, 30));
  }
  ok("x := " + "(".repeat(500) + "1" + ")".repeat(500));
  ok("x := 1" + " + 1".repeat(500));
});
