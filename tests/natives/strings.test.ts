import assert from "node:assert/strict";
import { dictOf, type RArray } from "../../lib/values.ts";
import { strings } from "../../lib/runtime/strings.ts";
import { A, F, harness } from "./_helpers.ts";

const { run, eq, fails } = harness(strings);

Deno.test("len counts code points and elements", () => {
  eq("len", ["héllo"], 5);
  eq("len", ["a😀b"], 3);
  eq("len", [""], 0);
  eq("len", [A(1, 2, 3)], 3);
  eq("len", [dictOf([["a", 1]])], 1);
  fails("len", [5], "len() requires a string or collection argument");
  fails("len", [null], "len() requires a string or collection argument");
});

Deno.test("case conversion and trimming", () => {
  eq("to_upper", ["straße"], "STRASSE");
  eq("upper", ["abc"], "ABC");
  eq("to_lower", ["ÀB"], "àb");
  eq("lower", ["ABC"], "abc");
  eq("capitalize", ["HELLO WORLD"], "Hello world");
  eq("capitalize", [""], "");
  eq("trim", ["  \t hi \n"], "hi");
  eq("trim", ["\uFEFFx\uFEFF"], "\uFEFFx\uFEFF");
  eq("trim_start", ["  hi  "], "hi  ");
  eq("trim_end", ["  hi  "], "  hi");
  fails("to_upper", [5], "to_upper() requires a string argument");
  fails("trim", [null], "trim() requires a string argument");
});

Deno.test("char_at, is_empty, count_chars", () => {
  eq("char_at", ["abc", 1], "b");
  eq("char_at", ["abc", 99], "");
  eq("char_at", ["abc", -1], "a");
  eq("char_at", ["abc", F(2.9)], "c");
  eq("char_at", ["😀x", 1], "x");
  fails("char_at", ["abc", "1"], "char_at() requires a numeric index");
  eq("is_empty", [""], true);
  eq("is_empty", ["x"], false);
  eq("is_empty", [A()], true);
  fails("is_empty", [3], "is_empty() requires a string argument");
  eq("count_chars", ["a😀"], 2);
});

Deno.test("contains: Int for strings, Bool for arrays", () => {
  eq("contains", ["hello", "ell"], 1);
  eq("contains", ["hello", "xyz"], 0);
  eq("contains", ["hello", ""], 1);
  eq("contains", [A(1, "a"), "a"], true);
  eq("contains", [A(1, 2), 3], false);
  eq("contains", [A(1, 2), F(1)], true);
  eq("contains", [dictOf([["k", 1]]), "k"], true);
  fails("contains", ["abc", 1], "contains() requires a string to search for in a string");
  fails("contains", [5, 1], "contains() requires a string, array or dict as first argument");
});

Deno.test("substring, replace, starts_with, ends_with", () => {
  eq("substring", ["hello world", 0, 5], "hello");
  eq("substring", ["héllo", 1, 3], "él");
  eq("substring", ["abc", -5, 2], "ab");
  eq("substring", ["abc", 2, 99], "c");
  eq("substring", ["abc", 3, 5], "");
  eq("substring", ["abc", 2, 1], "");
  eq("replace", ["a-b-c", "-", "+"], "a+b+c");
  eq("replace", ["ab", "", "-"], "-a-b-");
  eq("replace", ["aaa", "aa", "b"], "ba");
  eq("replace_str", ["x", "x", "y"], "y");
  fails("replace", ["a", 1, "b"], "replace() requires 3 string arguments");
  eq("starts_with", ["hello world", "hello"], true);
  eq("starts_with", ["hello world", "world"], false);
  eq("starts_with", ["x", ""], true);
  eq("ends_with", ["test.ruff", ".ruff"], true);
  eq("ends_with", ["test.ruff", ".py"], false);
  fails("ends_with", ["x", null], "ends_with() requires 2 string arguments");
});

Deno.test("index_of counts code points", () => {
  eq("index_of", ["hello world", "world"], 6);
  eq("index_of", ["hello", "ll"], 2);
  eq("index_of", ["test", "t"], 0);
  eq("index_of", ["hello", "xyz"], -1);
  eq("index_of", ["héllo", "l"], 2);
  eq("index_of", ["😀😀x", "x"], 2);
  eq("index_of", ["abc", ""], 0);
  eq("index_of", [A(1, 2, 3), 3], 2);
  eq("index_of", [A(1, 2, 3), 9], -1);
  fails("index_of", [1, 1], "index_of() requires a string or array as first argument");
});

Deno.test("repeat, split, join", () => {
  eq("repeat", ["ha", 3], "hahaha");
  eq("repeat", ["hello", 0], "");
  eq("repeat", ["x", -2], "");
  eq("repeat", ["ab", F(2.7)], "abab");
  fails("repeat", ["x", 1e12], "repeat() result is too large");
  fails("repeat", [1, 2], "repeat() requires a string and a count");
  eq("split", ["a,b,c", ","], A("a", "b", "c"));
  eq("split", ["hello::world::test", "::"], A("hello", "world", "test"));
  eq("split", ["a,,b", ","], A("a", "", "b"));
  eq("split", ["", ","], A(""));
  eq("split", ["abc", ""], A("", "a", "b", "c", ""));
  fails("split", ["a", 1], "split() requires 2 string arguments");
  eq("join", [A("a", "b", "c"), ","], "a,b,c");
  eq("join", [A(1, 2, 3), "-"], "1-2-3");
  eq("join", [A(F(1.5), true, null, A(1, 2)), " "], "1.5 true null [1, 2]");
  eq("join", [A(), ","], "");
  fails("join", ["abc", ","], "join() requires an array and a string separator");
});

Deno.test("pad_left, pad_right, truncate", () => {
  eq("pad_left", ["5", 3, "0"], "005");
  eq("pad_left", ["abc", 2, "0"], "abc");
  eq("pad_left", ["x", 3, ""], "  x");
  eq("pad_right", ["ab", 4, "*-"], "ab**");
  eq("pad_right", ["é", 3, "."], "é..");
  eq("pad_left", ["x", -4, "0"], "x");
  fails("pad_left", [5, 3, "0"], "pad_left() requires 3 arguments: string, width, char");
  fails("pad_right", ["a", 3, 0], "pad_right() requires 3 arguments: string, width, char");
  eq("truncate", ["Hello World", 8, "..."], "Hello...");
  eq("truncate", ["Hi", 8, "..."], "Hi");
  eq("truncate", ["Hello", 2, "..."], "...");
  eq("truncate", ["Hello", -1, "..."], "Hello");
  fails("truncate", ["a", 1, 1], "truncate() requires 3 arguments: string, length, suffix");
});

Deno.test("lines, words, str_reverse", () => {
  eq("lines", ["a\nb\r\nc"], A("a", "b", "c"));
  eq("lines", ["a\n"], A("a"));
  eq("lines", ["a\n\nb"], A("a", "", "b"));
  eq("lines", [""], A());
  eq("lines", ["a\rb"], A("a\rb"));
  fails("lines", [1], "lines() requires a string argument");
  eq("words", ["  hello \t world\n"], A("hello", "world"));
  eq("words", [""], A());
  fails("words", [null], "words() requires a string argument");
  eq("str_reverse", ["abc😀"], "😀cba");
  fails("str_reverse", [1], "str_reverse() requires a string argument");
});

Deno.test("slugify and case styles", () => {
  eq("slugify", ["Hello World!"], "hello-world");
  eq("slugify", ["a - b"], "a-b");
  eq("slugify", ["a---b"], "ab");
  eq("slugify", ["a   b"], "a--b");
  eq("slugify", ["__x__"], "x");
  eq("to_camel_case", ["hello_world"], "helloWorld");
  eq("to_camel_case", ["helloWorld"], "helloworld");
  eq("to_camel_case", ["  Foo BAR baz "], "fooBarBaz");
  eq("to_snake_case", ["helloWorld"], "hello_world");
  eq("to_snake_case", ["HTTPServer"], "httpserver");
  eq("to_snake_case", ["Hello World"], "hello__world");
  eq("to_snake_case", ["a-b c!d"], "a_b_cd");
  eq("to_kebab_case", ["helloWorld"], "hello-world");
  eq("to_kebab_case", ["my_var name"], "my-var-name");
  fails("slugify", [1], "slugify() requires a string argument");
  fails("to_camel_case", [1], "to_camel_case() requires a string argument");
  fails("to_snake_case", [1], "to_snake_case() requires a string argument");
  fails("to_kebab_case", [1], "to_kebab_case() requires a string argument");
});

Deno.test("format", () => {
  eq("format", ["%s is %d years", "Ann", 30], "Ann is 30 years");
  eq("format", ["list %s", A(1, 2)], "list [1, 2]");
  eq("format", ["%s %s", null, dictOf([["a", "x"]])], 'null {"a": x}');
  eq("format", ["%d", F(3.9)], "3");
  eq("format", ["%d", F(-3.9)], "-3");
  eq("format", ["%d %d", true, false], "1 0");
  eq("format", ["%f", F(3.14159)], "3.14159");
  eq("format", ["%f", 5], "5");
  eq("format", ["100%%"], "100%");
  eq("format", ["%.2f|%x|%"], "%.2f|%x|%");
  eq("format", ["%s", "a", "extra"], "a");
  eq("format", ["%d", 9223372036854775807n], "9223372036854775807");
  fails("format", ["%d", "x"], 'format() %d requires numeric argument, got Str("x")');
  fails("format", ["%f", A(1)], "format() %f requires numeric argument, got Array[1]");
  fails("format", ["%s and %s", 1], "format() missing argument for placeholder %s");
  fails("format", [1], "format() requires a string template");
});

Deno.test("results are fresh values", () => {
  const src = A("x", "y");
  const r = run("split", "x,y", ",") as RArray;
  assert.equal(r.refs, 0);
  assert.notEqual(r, src);
});
