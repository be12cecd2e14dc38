import assert from "node:assert/strict";
import { parse } from "../../lib/parser.ts";
import { RuffSyntaxError } from "../../lib/errors.ts";
import { SAMPLE_PROGRAMS } from "./_samples.ts";

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [
  ..."let mut const func return enum match case default if else loop while for in break continue try except import export from struct impl self null spawn test test_setup test_teardown test_group yield async await true false throw Ok Err Some None int string"
    .split(" "),
  ...":= = += -= *= /= %= == != <= >= < > + - * / % ! && || ?? ?. ? |> -> ... :: : . , ; ( ) [ ] { } { } ( )"
    .split(" "),
  "x",
  "y",
  "Point",
  "_",
  "f",
  "0",
  "42",
  "1.5",
  '"s"',
  '"a${x}b"',
  '"${ {"k": 1}["k"] }"',
  "'",
  "é",
  "1e5",
  '"unterminated',
  "/*",
  "*/",
  "#",
  "\\",
  "$",
  "9223372036854775808",
];
const SEPS = [" ", " ", " ", "\n", "", "\t", "\r\n", ";"];
const NOISE = [
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  '"',
  "$",
  "{",
  ":",
  "=",
  "\n",
  "-",
  ".",
  "?",
  "*",
  "\0",
];

/** Parses; must either succeed or throw RuffSyntaxError with at least one positioned issue. */
function check(src: string): void {
  const t0 = performance.now();
  try {
    parse(src);
  } catch (e) {
    if (!(e instanceof RuffSyntaxError)) {
      throw new Error(`non-syntax error ${e} for source ${JSON.stringify(src)}`);
    }
    assert.ok(e.issues.length > 0);
    for (const i of e.issues) {
      assert.ok(i.line >= 1 && i.col >= 1 && typeof i.message === "string", JSON.stringify(src));
    }
    // Issues are in source order.
    for (let k = 1; k < e.issues.length; k++) {
      const a = e.issues[k - 1], b = e.issues[k];
      assert.ok(a.line < b.line || (a.line === b.line && a.col <= b.col));
    }
  }
  const dt = performance.now() - t0;
  assert.ok(dt < 500, `parse took ${dt.toFixed(0)}ms for ${JSON.stringify(src.slice(0, 200))}`);
}

Deno.test("fuzz: random token soups", () => {
  const r = rng(12345);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  for (let n = 0; n < 3000; n++) {
    const len = 1 + Math.floor(r() * 40);
    let src = "";
    for (let i = 0; i < len; i++) src += pick(VOCAB) + pick(SEPS);
    check(src);
  }
});

Deno.test("fuzz: mutations of valid programs", () => {
  const r = rng(777);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  for (let n = 0; n < 3000; n++) {
    let src = pick(SAMPLE_PROGRAMS);
    const edits = 1 + Math.floor(r() * 4);
    for (let k = 0; k < edits; k++) {
      const i = Math.floor(r() * (src.length + 1));
      const j = Math.min(src.length, i + 1 + Math.floor(r() * 8));
      switch (Math.floor(r() * 5)) {
        case 0: // delete a span
          src = src.slice(0, i) + src.slice(j);
          break;
        case 1: // duplicate a span
          src = src.slice(0, j) + src.slice(i, j) + src.slice(j);
          break;
        case 2: { // swap two characters
          const a = src[i] ?? "", b = src[i + 1] ?? "";
          src = src.slice(0, i) + b + a + src.slice(i + 2);
          break;
        }
        case 3: // insert noise
          src = src.slice(0, i) + pick(NOISE) + src.slice(i);
          break;
        default: // insert a vocabulary token
          src = src.slice(0, i) + " " + pick(VOCAB) + " " + src.slice(i);
      }
    }
    check(src);
  }
});

Deno.test("fuzz: every prefix of the sample programs", () => {
  for (const p of SAMPLE_PROGRAMS) {
    for (let i = 0; i <= p.length; i += 3) check(p.slice(0, i));
  }
});

Deno.test("performance: a 10,000-line program parses quickly", () => {
  let src = "";
  let lines = 0;
  while (lines < 10000) {
    for (const p of SAMPLE_PROGRAMS) {
      src += p + "\n";
      lines += p.split("\n").length;
    }
  }
  parse(src); // warm up
  const t0 = performance.now();
  parse(src);
  const dt = performance.now() - t0;
  assert.ok(dt < 300, `10k lines took ${dt.toFixed(0)}ms`);
});
