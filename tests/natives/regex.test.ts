import { compileRegex, regex } from "../../lib/runtime/regex.ts";
import { A, harness, throwsMsg } from "./_helpers.ts";

const { eq, fails, run } = harness(regex);

Deno.test("regex_match finds a match anywhere", () => {
  eq("regex_match", ["hello world", "wor"], true);
  eq("regex_match", ["hello", "^ell"], false);
  eq("regex_match", ["hello", "^h.*o$"], true);
  eq("regex_match", ["", ""], true);
  eq("regex_match", ["abc", "x*"], true);
  eq("regex_match", ["2024-01-15", "^\\d{4}-\\d{2}-\\d{2}$"], true);
  eq("regex_match", ["a\nb", "a.b"], false);
  eq("regex_match", ["a\nb", "(?s)a.b"], true);
  eq("regex_match", ["a\rb", "a.b"], true);
});

Deno.test("inline flags", () => {
  eq("regex_match", ["HELLO", "(?i)hello"], true);
  eq("regex_match", ["HELLO", "hello"], false);
  eq("regex_match", ["aB", "a(?i)b"], true);
  eq("regex_match", ["AB", "a(?i)b"], false);
  eq("regex_match", ["xC", "a(?i)b|c"], true);
  eq("regex_match", ["aBc", "a(?i:b)c"], true);
  eq("regex_match", ["aBC", "a(?i:b)c"], false);
  eq("regex_match", ["AbC", "(?i)a(?-i:b)c"], true);
  eq("regex_match", ["ABC", "(?i)a(?-i:b)c"], false);
  eq("regex_find_all", ["one\ntwo", "(?m)^\\w+$"], A("one", "two"));
  eq("regex_find_all", ["one\ntwo", "^\\w+$"], A());
  eq("regex_find_all", ["a1 b22", "(?x) [a-z] \\d+ # letters then digits"], A("a1", "b22"));
  eq("regex_find_all", ["aaa", "(?U)a+"], A("a", "a", "a"));
});

Deno.test("Unicode-aware classes and escapes", () => {
  eq("regex_find_all", ["héllo wörld", "\\w+"], A("héllo", "wörld"));
  eq("regex_find_all", ["x١٢y", "\\d+"], A("١٢"));
  eq("regex_find_all", ["été x", "\\bé\\w*"], A("été"));
  eq("regex_find_all", ["αβγ abc", "\\p{Greek}+"], A("αβγ"));
  eq("regex_find_all", ["αβγ abc", "\\pL+"], A("αβγ", "abc"));
  eq("regex_find_all", ["a1-b2", "[[:alpha:]][[:digit:]]"], A("a1", "b2"));
  eq("regex_find_all", ["a😀b", "\\x{1F600}|b"], A("😀", "b"));
  eq("regex_find_all", ["a.b#c", "\\.|\\#"], A(".", "#"));
  eq("regex_find_all", ["a]b}", "]|}"], A("]", "}"));
  eq("regex_match", ["ab", "\\Aab\\z"], true);
});

Deno.test("regex_find_all returns whole matches", () => {
  eq("regex_find_all", ["a1b22c333", "\\d+"], A("1", "22", "333"));
  eq("regex_find_all", ["abc", "\\d"], A());
  eq("regex_find_all", ["key=val", "(\\w+)=(\\w+)"], A("key=val"));
  eq("regex_find_all", ["abc", ""], A("", "", "", ""));
  eq("regex_find_all", ["baaac", "a*"], A("", "aaa", ""));
  eq("regex_find_all", ["😀😀", ""], A("", "", ""));
});

Deno.test("regex_replace replaces all with Rust replacement syntax", () => {
  eq("regex_replace", ["a1b2", "\\d", "#"], "a#b#");
  eq("regex_replace", ["John Smith", "(\\w+) (\\w+)", "$2, $1"], "Smith, John");
  eq("regex_replace", ["John Smith", "(?P<f>\\w+) (?P<l>\\w+)", "$l ${f}"], "Smith John");
  eq("regex_replace", ["John Smith", "(?<f>\\w+) (?<l>\\w+)", "${l}_$f"], "Smith_John");
  eq("regex_replace", ["ab", "(a)", "$1a"], "b");
  eq("regex_replace", ["ab", "(a)", "${1}a"], "aab");
  eq("regex_replace", ["ab", "a", "$$"], "$b");
  eq("regex_replace", ["ab", "a", "$"], "$b");
  eq("regex_replace", ["ab", "a", "${x"], "${xb");
  eq("regex_replace", ["ab", "(a)", "[$9][$nope]"], "[][]b");
  eq("regex_replace", ["ab", "(x)?a", "<$1>"], "<>b");
  eq("regex_replace", ["abc", "", "-"], "-a-b-c-");
  eq("regex_replace", ["abc", "z", "-"], "abc");
});

Deno.test("regex_split keeps empty pieces", () => {
  eq("regex_split", ["a, b,c", ",\\s*"], A("a", "b", "c"));
  eq("regex_split", [",a,,b,", ","], A("", "a", "", "b", ""));
  eq("regex_split", ["", ","], A(""));
  eq("regex_split", ["abc", ""], A("", "a", "b", "c", ""));
  eq("regex_split", ["one  two", " "], A("one", "", "two"));
});

Deno.test("invalid patterns raise Invalid regex (never a silent fallback, LANGUAGE.md §11.1)", () => {
  for (
    const bad of ["(", "[a", "a{2", "*a", "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "(a)\\1", "\\q"]
  ) {
    throwsMsg(() => run("regex_match", "aab", bad), /^Invalid regex: /);
    throwsMsg(() => run("regex_find_all", "aab", bad), /^Invalid regex: /);
    throwsMsg(() => run("regex_replace", "aab", bad, "x"), /^Invalid regex: /);
    throwsMsg(() => run("regex_split", "aab", bad), /^Invalid regex: /);
  }
});

Deno.test("compileRegex raises Invalid regex with a detail", () => {
  throwsMsg(() => compileRegex("(?=a)"), "Invalid regex: look-around is not supported");
  throwsMsg(() => compileRegex("(?<!a)"), "Invalid regex: look-around is not supported");
  throwsMsg(() => compileRegex("(a)\\1"), "Invalid regex: back-references are not supported");
  throwsMsg(() => compileRegex("(?P=n)"), "Invalid regex: back-references are not supported");
  throwsMsg(() => compileRegex("("), "Invalid regex: unclosed group");
  throwsMsg(() => compileRegex(")"), "Invalid regex: unopened group");
  throwsMsg(() => compileRegex("[a"), "Invalid regex: unclosed character class");
  throwsMsg(() => compileRegex("+"), "Invalid regex: repetition operator missing expression");
  throwsMsg(() => compileRegex("\\q"), "Invalid regex: unrecognized escape sequence '\\q'");
  throwsMsg(() => compileRegex("[z-a]"), /^Invalid regex: /);
  compileRegex("(?P<year>\\d{4})");
});

Deno.test("argument type errors", () => {
  const two = "two string arguments (text, pattern)";
  fails("regex_match", [1, "a"], `regex_match() requires ${two}`);
  fails("regex_match", ["a", null], `regex_match() requires ${two}`);
  fails("regex_find_all", ["a", 1], `regex_find_all() requires ${two}`);
  fails("regex_split", [A(), "a"], `regex_split() requires ${two}`);
  fails(
    "regex_replace",
    ["a", "a", 1],
    "regex_replace() requires three string arguments (text, pattern, replacement)",
  );
});
