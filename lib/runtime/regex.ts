/**
 * Regular-expression natives (builtins.md §3.12). Ruff patterns use the syntax of Rust's
 * `regex` crate; they are translated to a JS `RegExp` with the `u` flag. Rust-only features are
 * emulated (Unicode `\d \w \b`, `\A \z`, inline flags anywhere, `(?x)`, `(?P<n>…)`, POSIX
 * classes) and constructs Rust rejects (look-around, back-references) are treated as invalid.
 * Matching iterates like Rust's `find_iter` (an empty match right after the previous match is
 * skipped), and replacements are expanded with Rust's `$n`/`${name}`/`$$` rules.
 *
 * An invalid or unsupported pattern raises `Invalid regex: <detail>` (LANGUAGE.md §11.1: never a
 * silent fallback; builtins.md §3.12's upstream fallbacks are not kept — docs/decisions.md R9).
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { arrayOf, type Value } from "../values.ts";
import type { NativeCategory } from "./registry.ts";
import { requires } from "./args.ts";

/** Unicode word character as Rust's `\w` defines it. */
const WORD_ITEMS = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";
const WORD = `[${WORD_ITEMS}]`;
const NOT_WORD = `[^${WORD_ITEMS}]`;

/** POSIX class bodies (ASCII only, as in Rust). */
const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/** Characters that JS's `u` mode lets (and Rust's syntax may need) to be escaped. */
const JS_SYNTAX = "^$\\.*+?()[]{}|/";

class Invalid extends Error {}

function fail(detail: string): never {
  throw new Invalid(detail);
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  /** Swap greediness (Rust `U`). */
  U: boolean;
}

/** Translates a Rust `regex` pattern into JS source (for the `u` flag) plus JS flags. */
function translate(pat: string): { source: string; flags: string } {
  const cs = [...pat];
  let p = 0;
  let out = "";
  let flags: Flags = { i: false, m: false, s: false, x: false, U: false };
  let jsI = false;
  // Leading `(?flags)` become the starting flag set; `i` becomes the JS flag.
  {
    const m = /^\(\?([imsxU]+)\)/.exec(pat);
    if (m) {
      flags = applyFlags(flags, m[1]);
      jsI = flags.i;
      p = [...m[0]].length;
    }
  }
  const baseI = jsI;
  /** Per open group: its flags at opening, and how many modifier groups to close with it. */
  const stack: { flags: Flags; extra: number; mods: string[] }[] = [];
  let extra = 0;
  let mods: string[] = [];
  let atomStart = false; // true right after something a quantifier cannot follow

  const peek = (k = 0) => cs[p + k];
  const lazySwap = (q: string): string => {
    if (peek() === "?") {
      p++;
      return flags.U ? q : q + "?";
    }
    return flags.U ? q + "?" : q;
  };
  const modFor = (target: boolean): string => (target === baseI ? "" : target ? "i" : "-i");

  while (p < cs.length) {
    const c = cs[p];
    if (flags.x) {
      if (/\s/u.test(c)) {
        p++;
        continue;
      }
      if (c === "#") {
        while (p < cs.length && cs[p] !== "\n") p++;
        continue;
      }
    }
    switch (c) {
      case "\\": {
        p++;
        out += escape(false);
        atomStart = false;
        break;
      }
      case "[": {
        p++;
        out += klass();
        atomStart = false;
        break;
      }
      case ".":
        p++;
        out += flags.s ? "[^]" : "[^\\n]";
        atomStart = false;
        break;
      case "^":
        p++;
        out += flags.m ? "(?<![^\\n])" : "^";
        atomStart = true;
        break;
      case "$":
        p++;
        out += flags.m ? "(?![^\\n])" : "$";
        atomStart = true;
        break;
      case "(": {
        p++;
        let head = "(";
        const saved = flags;
        if (peek() === "?") {
          p++;
          const rest = cs.slice(p, p + 3).join("");
          if (rest.startsWith("=") || rest.startsWith("!")) fail("look-around is not supported");
          if (rest.startsWith("<=") || rest.startsWith("<!")) {
            fail("look-around is not supported");
          }
          if (rest.startsWith("P=") || rest.startsWith("P>")) {
            fail("back-references are not supported");
          }
          if (rest.startsWith("P<") || rest.startsWith("<")) {
            p += rest.startsWith("P") ? 2 : 1;
            let name = "";
            while (p < cs.length && cs[p] !== ">") name += cs[p++];
            if (p >= cs.length) fail("unclosed group name");
            p++;
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`invalid group name '${name}'`);
            head = `(?<${name}>`;
          } else {
            let spec = "";
            while (p < cs.length && /[imsxU-]/.test(cs[p])) spec += cs[p++];
            if (peek() === ")") {
              // `(?flags)` in mid-pattern: applies to the rest of the enclosing group.
              p++;
              if (spec === "") fail("empty flag group");
              flags = applyFlags(flags, spec);
              const mod = modFor(flags.i);
              if (mod !== "") {
                out += `(?${mod}:`;
                extra++;
                mods.push(mod);
              }
              atomStart = true;
              continue;
            }
            if (peek() !== ":") fail("unrecognized group syntax");
            p++;
            flags = applyFlags(flags, spec);
            const mod = modFor(flags.i);
            head = mod === "" ? "(?:" : `(?${mod}:`;
          }
        }
        stack.push({ flags: saved, extra, mods });
        extra = 0;
        mods = [];
        out += head;
        atomStart = true;
        break;
      }
      case ")": {
        p++;
        const top = stack.pop();
        if (!top) fail("unopened group");
        out += ")".repeat(extra) + ")";
        ({ flags, extra, mods } = top);
        atomStart = false;
        break;
      }
      case "|": {
        p++;
        // Close the modifier groups of this alternative and reopen them for the next one.
        out += ")".repeat(extra) + "|" + mods.map((m) => `(?${m}:`).join("");
        atomStart = true;
        break;
      }
      case "*":
      case "+":
      case "?": {
        p++;
        if (atomStart || out === "") fail("repetition operator missing expression");
        out += lazySwap(c);
        atomStart = true;
        break;
      }
      case "{": {
        const m = /^\{\s*(\d+)\s*(?:(,)\s*(\d*)\s*)?\}/.exec(cs.slice(p, p + 40).join(""));
        if (!m) fail("unclosed counted repetition");
        if (atomStart || out === "") fail("repetition operator missing expression");
        p += m[0].length;
        const lo = Number(m[1]);
        const hi = m[3] === undefined || m[3] === "" ? undefined : Number(m[3]);
        if (hi !== undefined && hi < lo) fail("invalid repetition range");
        out += lazySwap(m[2] ? `{${lo},${hi ?? ""}}` : `{${lo}}`);
        atomStart = true;
        break;
      }
      default:
        p++;
        out += JS_SYNTAX.includes(c) ? "\\" + c : c;
        atomStart = false;
    }
  }
  if (stack.length > 0) fail("unclosed group");
  out += ")".repeat(extra);
  return { source: out, flags: jsI ? "iu" : "u" };

  function applyFlags(f: Flags, spec: string): Flags {
    const r = { ...f };
    let on = true;
    for (const ch of spec) {
      if (ch === "-") {
        if (!on) fail("repeated negation in flags");
        on = false;
      } else r[ch as keyof Flags] = on;
    }
    return r;
  }

  /** Translates the escape after a `\` (p points past it). */
  function escape(inClass: boolean): string {
    if (p >= cs.length) fail("incomplete escape sequence");
    const c = cs[p++];
    switch (c) {
      case "d":
        return "\\p{Nd}";
      case "D":
        return "\\P{Nd}";
      case "w":
        return inClass ? WORD_ITEMS : WORD;
      case "W":
        if (inClass) fail("\\W inside a character class is not supported");
        return NOT_WORD;
      case "s":
      case "S":
        return "\\" + c;
      case "n":
      case "t":
      case "r":
      case "f":
      case "v":
        return "\\" + c;
      case "a":
        return "\\x07";
      case "e":
        return "\\x1B";
      case "x":
      case "u":
      case "U":
        return hexEscape(c);
      case "p":
      case "P":
        return property(c);
    }
    if (!inClass) {
      switch (c) {
        case "A":
          return "^";
        case "z":
          return "$";
        case "b":
          if (peek() === "{") return boundaryKind();
          return `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
        case "B":
          return `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
        case "<":
          return `(?<!${WORD})(?=${WORD})`;
        case ">":
          return `(?<=${WORD})(?!${WORD})`;
      }
    }
    if (/[0-9]/.test(c)) fail("back-references are not supported");
    if (/[A-Za-z]/.test(c) || c.codePointAt(0)! > 0x7f) {
      fail(`unrecognized escape sequence '\\${c}'`);
    }
    if (JS_SYNTAX.includes(c) || (inClass && c === "-")) return "\\" + c;
    return c;
  }

  function boundaryKind(): string {
    let name = "";
    p++;
    while (p < cs.length && cs[p] !== "}") name += cs[p++];
    if (p >= cs.length) fail("unclosed word boundary");
    p++;
    switch (name) {
      case "start":
        return `(?<!${WORD})(?=${WORD})`;
      case "end":
        return `(?<=${WORD})(?!${WORD})`;
      case "start-half":
        return `(?<!${WORD})`;
      case "end-half":
        return `(?!${WORD})`;
    }
    fail(`unrecognized word boundary '${name}'`);
  }

  function hexEscape(kind: string): string {
    let digits = "";
    if (peek() === "{") {
      p++;
      while (p < cs.length && cs[p] !== "}") digits += cs[p++];
      if (p >= cs.length) fail("unclosed hex escape");
      p++;
    } else {
      const n = kind === "x" ? 2 : kind === "u" ? 4 : 8;
      for (let k = 0; k < n && p < cs.length; k++) digits += cs[p++];
      if (digits.length < n) fail("incomplete hex escape");
    }
    if (!/^[0-9A-Fa-f]{1,8}$/.test(digits)) fail(`invalid hex escape '${digits}'`);
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      fail(`invalid Unicode scalar value '${digits}'`);
    }
    return `\\u{${cp.toString(16)}}`;
  }

  function property(kind: string): string {
    let name: string;
    if (peek() === "{") {
      p++;
      name = "";
      while (p < cs.length && cs[p] !== "}") name += cs[p++];
      if (p >= cs.length) fail("unclosed Unicode class");
      p++;
    } else {
      if (p >= cs.length) fail("incomplete Unicode class");
      name = cs[p++];
    }
    let negate = kind === "P";
    if (name.startsWith("^")) {
      negate = !negate;
      name = name.slice(1);
    }
    name = name.replace(/\s+/g, "").replace(":", "=").replace("!=", "=");
    for (const cand of [name, `Script=${name}`]) {
      try {
        new RegExp(`\\p{${cand}}`, "u");
        return `\\${negate ? "P" : "p"}{${cand}}`;
      } catch {
        // try the next spelling
      }
    }
    fail(`unrecognized Unicode class '${name}'`);
  }

  /** Translates a bracket class (p points past the `[`). */
  function klass(): string {
    let body = "";
    if (peek() === "^") {
      p++;
      body += "^";
    }
    let first = true;
    for (;;) {
      if (p >= cs.length) fail("unclosed character class");
      const c = cs[p];
      if (c === "]" && !first) {
        p++;
        break;
      }
      first = false;
      if (flags.x && /\s/u.test(c)) {
        p++;
        continue;
      }
      if (c === "[") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(cs.slice(p, p + 12).join(""));
        if (!m) fail("nested character classes are not supported");
        const posix = POSIX[m[2]];
        if (!posix) fail(`unrecognized POSIX class '${m[2]}'`);
        if (m[1]) fail("negated POSIX classes inside a class are not supported");
        body += posix;
        p += m[0].length;
        continue;
      }
      if ((c === "&" || c === "~") && cs[p + 1] === c) {
        fail("class set operations are not supported");
      }
      if (c === "-" && cs[p + 1] === "-") fail("class set operations are not supported");
      p++;
      if (c === "\\") body += escape(true);
      else body += c === "]" || c === "[" ? "\\" + c : c;
    }
    return `[${body}]`;
  }
}

/** Compiled patterns (a small FIFO cache); a string is the error detail of an invalid pattern. */
const cache = new Map<string, RegExp | string>();
const CACHE_MAX = 64;

function compile(pattern: string): RegExp | string {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let result: RegExp | string;
  try {
    const { source, flags } = translate(pattern);
    result = new RegExp(source, flags + "g");
  } catch (e) {
    if (e instanceof Invalid) result = e.message;
    else if (e instanceof SyntaxError) {
      result = e.message.replace(/^Invalid regular expression: /, "");
    } else throw e;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(pattern, result);
  return result;
}

/**
 * Compiles a Ruff (Rust-syntax) pattern to a global JS `RegExp`, raising
 * `Invalid regex: <detail>` when Rust's `regex` crate (or the translation) rejects it.
 */
export function compileRegex(pattern: string): RegExp {
  const r = compile(pattern);
  if (typeof r === "string") throw new RuffError(`Invalid regex: ${r}`);
  return r;
}

/** The successive non-overlapping matches, with Rust's rule for empty matches. */
function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  let pos = 0;
  let lastEnd = -1;
  while (pos <= text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return;
    const end = m.index + m[0].length;
    if (m[0].length === 0 && end === lastEnd) {
      // An empty match touching the previous match is skipped: retry one code point later.
      const cp = text.codePointAt(end);
      if (cp === undefined) return;
      pos = end + (cp > 0xffff ? 2 : 1);
      continue;
    }
    yield m;
    lastEnd = end;
    pos = end;
  }
}

/** Expands a Rust replacement template for one match. */
function expand(tpl: string, m: RegExpExecArray): string {
  let out = "";
  let i = 0;
  const group = (name: string): string => {
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      return n < m.length ? (m[n] ?? "") : "";
    }
    return m.groups?.[name] ?? "";
  };
  while (i < tpl.length) {
    const j = tpl.indexOf("$", i);
    if (j < 0) {
      out += tpl.slice(i);
      break;
    }
    out += tpl.slice(i, j);
    if (tpl[j + 1] === "$") {
      out += "$";
      i = j + 2;
      continue;
    }
    if (tpl[j + 1] === "{") {
      const close = tpl.indexOf("}", j + 2);
      if (close >= 0) {
        out += group(tpl.slice(j + 2, close));
        i = close + 1;
        continue;
      }
      out += "$";
      i = j + 1;
      continue;
    }
    const run = /^[A-Za-z0-9_]+/.exec(tpl.slice(j + 1));
    if (!run) {
      out += "$";
      i = j + 1;
      continue;
    }
    out += group(run[0]);
    i = j + 1 + run[0].length;
  }
  return out;
}

function strings(name: string, args: Value[], what: string): string[] {
  for (const a of args) if (typeof a !== "string") requires(name, what);
  return args as string[];
}

const TWO = "two string arguments (text, pattern)";

/** Regex natives of builtins.md §3.12. */
export const regex: NativeCategory = {
  name: "regex",
  natives: [
    {
      name: "regex_match",
      params: "text, pattern",
      min: 2,
      doc: "True if the pattern matches anywhere in the text",
      impl: (args) => {
        const [text, pattern] = strings("regex_match", args, TWO);
        const re = compileRegex(pattern);
        re.lastIndex = 0;
        return re.test(text);
      },
    },
    {
      name: "regex_find_all",
      params: "text, pattern",
      min: 2,
      doc: "Texts of all non-overlapping matches",
      impl: (args) => {
        const [text, pattern] = strings("regex_find_all", args, TWO);
        const re = compileRegex(pattern);
        return arrayOf([...matches(re, text)].map((m) => m[0]));
      },
    },
    {
      name: "regex_replace",
      params: "text, pattern, replacement",
      min: 3,
      doc: "Replaces every match ($1, ${name}, $$ in the replacement)",
      impl: (args) => {
        const [text, pattern, tpl] = strings(
          "regex_replace",
          args,
          "three string arguments (text, pattern, replacement)",
        );
        const re = compileRegex(pattern);
        let out = "";
        let last = 0;
        for (const m of matches(re, text)) {
          out += text.slice(last, m.index) + expand(tpl, m);
          last = m.index + m[0].length;
        }
        return out + text.slice(last);
      },
    },
    {
      name: "regex_split",
      params: "text, pattern",
      min: 2,
      doc: "Pieces of the text between matches",
      impl: (args) => {
        const [text, pattern] = strings("regex_split", args, TWO);
        const re = compileRegex(pattern);
        const pieces: Value[] = [];
        let last = 0;
        for (const m of matches(re, text)) {
          pieces.push(text.slice(last, m.index));
          last = m.index + m[0].length;
        }
        pieces.push(text.slice(last));
        return arrayOf(pieces);
      },
    },
  ],
};
