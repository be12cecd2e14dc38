/**
 * String natives (builtins.md §3.3) with the overrides of LANGUAGE.md §15: strict argument
 * errors, code-point positions and lengths, Int results for `contains(string, sub)`.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import {
  arrayOf,
  display,
  formatFloat,
  RArray,
  RBytes,
  RDict,
  RFloat,
  RQueue,
  RSet,
  RStack,
  type Value,
  valuesEqual,
} from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import {
  chars,
  cpLen,
  debugForm,
  hasSurrogates,
  intFromNumber,
  isAlnum,
  isSpace,
  isUpper,
  keyOf,
  requires,
  str,
  trim,
  trimEnd,
  trimStart,
  whole,
} from "./args.ts";

/** Longest string (in UTF-16 units) a native will build. */
const MAX_STRING = 1 << 29;

/** Code points `[start, end)` of `s` (bounds already clamped to `0..len`). */
function cpSlice(s: string, start: number, end: number): string {
  if (!hasSurrogates(s)) return s.slice(start, end);
  return chars(s).slice(start, end).join("");
}

/** Code-point index of the UTF-16 offset `unit` in `s`. */
function cpIndex(s: string, unit: number): number {
  return hasSurrogates(s) ? cpLen(s.slice(0, unit)) : unit;
}

function capitalizeWord(w: string): string {
  const cs = chars(w);
  if (cs.length === 0) return "";
  return cs[0].toUpperCase() + cs.slice(1).join("").toLowerCase();
}

function oneString(name: string, doc: string, f: (s: string) => Value): NativeSpec {
  return { name, params: "s", min: 1, doc, impl: (args) => f(str(name, args, 0)) };
}

function strArray(items: string[]): RArray {
  return arrayOf(items);
}

// ───────────────────────────── case conversions ─────────────────────────────

/** `to_snake_case` algorithm of builtins.md §3.3. */
export function snakeCase(s: string): string {
  let out = "";
  let prevUpper = false;
  let i = 0;
  for (const c of s) {
    if (isUpper(c)) {
      if (i > 0 && !prevUpper) out += "_";
      out += c.toLowerCase();
      prevUpper = true;
    } else if (isAlnum(c)) {
      out += c;
      prevUpper = false;
    } else if (isSpace(c) || c === "_" || c === "-") {
      if (i > 0 && !out.endsWith("_")) out += "_";
      prevUpper = false;
    } else {
      prevUpper = false;
    }
    i++;
  }
  return out.replace(/^_+|_+$/g, "");
}

/** `to_camel_case` algorithm of builtins.md §3.3. */
export function camelCase(s: string): string {
  const words: string[] = [];
  let cur = "";
  for (const c of s) {
    if (isAlnum(c)) cur += c;
    else {
      if (cur) words.push(cur);
      cur = "";
    }
  }
  if (cur) words.push(cur);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : capitalizeWord(w))).join("");
}

/** `slugify` algorithm of builtins.md §3.3. */
export function slugify(s: string): string {
  let mapped = "";
  for (const c of s.toLowerCase()) {
    if (isAlnum(c)) mapped += c;
    else if (isSpace(c) || c === "_") mapped += "-";
  }
  return mapped.replaceAll("--", "-").replace(/^-+|-+$/g, "");
}

// ───────────────────────────── format ─────────────────────────────

function formatImpl(args: Value[]): string {
  const tpl = str("format", args, 0, "a string template");
  let out = "";
  let next = 1;
  const take = (c: string): Value => {
    if (next >= args.length) {
      throw new RuffError(`format() missing argument for placeholder %${c}`);
    }
    return args[next++];
  };
  for (let i = 0; i < tpl.length; i++) {
    const ch = tpl[i];
    if (ch !== "%" || i + 1 >= tpl.length) {
      out += ch;
      continue;
    }
    const c = tpl[i + 1];
    if (c === "%") {
      out += "%";
      i++;
    } else if (c === "s") {
      out += display(take(c));
      i++;
    } else if (c === "d") {
      const v = take(c);
      if (typeof v === "number" || typeof v === "bigint") out += String(v);
      else if (v instanceof RFloat) out += String(intFromNumber(v.v));
      else if (typeof v === "boolean") out += v ? "1" : "0";
      else {
        throw new RuffError(`format() %d requires numeric argument, got ${debugForm(v)}`);
      }
      i++;
    } else if (c === "f") {
      const v = take(c);
      if (typeof v === "number" || typeof v === "bigint") out += formatFloat(Number(v));
      else if (v instanceof RFloat) out += formatFloat(v.v);
      else {
        throw new RuffError(`format() %f requires numeric argument, got ${debugForm(v)}`);
      }
      i++;
    } else {
      out += ch; // unknown directive: copied literally, consumes nothing
    }
  }
  return out;
}

// ───────────────────────────── the table ─────────────────────────────

function lenImpl(args: Value[]): Value {
  const v = args[0];
  if (typeof v === "string") return cpLen(v);
  if (v instanceof RArray) return v.length;
  if (v instanceof RDict) return v.map.size;
  if (v instanceof RBytes) return v.data.length;
  if (v instanceof RSet || v instanceof RQueue || v instanceof RStack) return v.items.length;
  return requires("len", "a string or collection argument");
}

function padImpl(name: string, left: boolean) {
  const what = "3 arguments: string, width, char";
  return (args: Value[]): Value => {
    const s = str(name, args, 0, what);
    const width = whole(name, args, 1, what);
    const pad = str(name, args, 2, what);
    const p = pad === "" ? " " : chars(pad)[0];
    const n = cpLen(s);
    if (width <= n) return s;
    if ((width - n) * p.length > MAX_STRING) throw new RuffError(`${name}() result is too large`);
    const fill = p.repeat(width - n);
    return left ? fill + s : s + fill;
  };
}

function replaceImpl(name: string) {
  return (args: Value[]): Value => {
    const what = "3 string arguments";
    const s = str(name, args, 0, what);
    const from = str(name, args, 1, what);
    const to = str(name, args, 2, what);
    if (from === "") return chars(s).map((c) => to + c).join("") + to;
    return s.split(from).join(to);
  };
}

export const strings: NativeCategory = {
  name: "strings",
  natives: [
    {
      name: "len",
      params: "x",
      min: 1,
      doc: "Length of a string (code points) or a collection (elements).",
      impl: lenImpl,
    },
    oneString("to_upper", "Upper-cased copy of a string.", (s) => s.toUpperCase()),
    oneString("upper", "Alias of to_upper.", (s) => s.toUpperCase()),
    oneString("to_lower", "Lower-cased copy of a string.", (s) => s.toLowerCase()),
    oneString("lower", "Alias of to_lower.", (s) => s.toLowerCase()),
    oneString("capitalize", "First character upper-cased, the rest lower-cased.", capitalizeWord),
    oneString("trim", "Strips whitespace from both ends.", trim),
    oneString("trim_start", "Strips whitespace from the start.", trimStart),
    oneString("trim_end", "Strips whitespace from the end.", trimEnd),
    {
      name: "char_at",
      params: "s, index",
      min: 2,
      doc: 'The character at a code-point position, or "" when out of range.',
      impl: (args) => {
        const s = str("char_at", args, 0);
        let i = whole("char_at", args, 1, "a numeric index");
        if (i < 0) i = 0;
        if (!hasSurrogates(s)) return i < s.length ? s[i] : "";
        return chars(s)[i] ?? "";
      },
    },
    {
      name: "is_empty",
      params: "x",
      min: 1,
      doc: "True for the empty string (or an empty array or dict).",
      impl: (args) => {
        const v = args[0];
        if (typeof v === "string") return v === "";
        if (v instanceof RArray) return v.items.length === 0;
        if (v instanceof RDict) return v.map.size === 0;
        return requires("is_empty", "a string argument");
      },
    },
    oneString("count_chars", "Number of code points in a string.", cpLen),
    {
      name: "contains",
      params: "haystack, needle",
      min: 2,
      doc: "String: Int 1/0 for a substring; array: Bool membership; dict: Bool key test.",
      impl: (args) => {
        const h = args[0], n = args[1];
        if (typeof h === "string") {
          if (typeof n !== "string") requires("contains", "a string to search for in a string");
          return h.includes(n) ? 1 : 0;
        }
        if (h instanceof RArray) return h.items.some((x) => valuesEqual(x, n));
        if (h instanceof RDict) {
          const k = keyOf(n);
          return k !== null && h.map.has(k);
        }
        return requires("contains", "a string, array or dict as first argument");
      },
    },
    {
      name: "substring",
      params: "s, start, end",
      min: 3,
      doc: "Code points [start, end) of a string.",
      impl: (args) => {
        const what = "a string and numeric start and end";
        const s = str("substring", args, 0, what);
        const n = cpLen(s);
        const start = Math.max(0, whole("substring", args, 1, what));
        const end = Math.min(n, Math.max(0, whole("substring", args, 2, what)));
        if (start >= n || start >= end) return "";
        return cpSlice(s, start, end);
      },
    },
    {
      name: "replace",
      params: "s, old, new",
      min: 3,
      doc: "Replaces every occurrence of old by new.",
      impl: replaceImpl("replace"),
    },
    {
      name: "replace_str",
      params: "s, old, new",
      min: 3,
      doc: "Alias of replace.",
      impl: replaceImpl("replace_str"),
    },
    {
      name: "starts_with",
      params: "s, prefix",
      min: 2,
      doc: "True when s starts with prefix.",
      impl: (args) =>
        str("starts_with", args, 0, "2 string arguments").startsWith(
          str("starts_with", args, 1, "2 string arguments"),
        ),
    },
    {
      name: "ends_with",
      params: "s, suffix",
      min: 2,
      doc: "True when s ends with suffix.",
      impl: (args) =>
        str("ends_with", args, 0, "2 string arguments").endsWith(
          str("ends_with", args, 1, "2 string arguments"),
        ),
    },
    {
      name: "index_of",
      params: "haystack, needle",
      min: 2,
      doc: "Code-point position of a substring, or array position of an element; -1 if absent.",
      impl: (args) => {
        const h = args[0], n = args[1];
        if (typeof h === "string") {
          if (typeof n !== "string") requires("index_of", "a string to search for in a string");
          const u = h.indexOf(n);
          return u < 0 ? -1 : cpIndex(h, u);
        }
        if (h instanceof RArray) return h.items.findIndex((x) => valuesEqual(x, n));
        return requires("index_of", "a string or array as first argument");
      },
    },
    {
      name: "repeat",
      params: "s, count",
      min: 2,
      doc: "The string repeated count times.",
      impl: (args) => {
        const s = str("repeat", args, 0, "a string and a count");
        const n = Math.max(0, whole("repeat", args, 1, "a string and a count"));
        if (n === 0 || s === "") return "";
        if (s.length * n > MAX_STRING) throw new RuffError("repeat() result is too large");
        return s.repeat(n);
      },
    },
    {
      name: "split",
      params: "s, delimiter",
      min: 2,
      doc: "Splits at every occurrence of the delimiter (empty pieces kept).",
      impl: (args) => {
        const s = str("split", args, 0, "2 string arguments");
        const d = str("split", args, 1, "2 string arguments");
        if (d === "") return strArray(["", ...chars(s), ""]);
        return strArray(s.split(d));
      },
    },
    {
      name: "join",
      params: "array, separator",
      min: 2,
      doc: "Joins the display forms of the elements with the separator.",
      impl: (args) => {
        const what = "an array and a string separator";
        const a = args[0];
        if (!(a instanceof RArray)) requires("join", what);
        const sep = str("join", args, 1, what);
        return a.items.map(display).join(sep);
      },
    },
    {
      name: "pad_left",
      params: "s, width, pad",
      min: 3,
      doc: "Pads on the left with the first character of pad up to width code points.",
      impl: padImpl("pad_left", true),
    },
    {
      name: "pad_right",
      params: "s, width, pad",
      min: 3,
      doc: "Pads on the right with the first character of pad up to width code points.",
      impl: padImpl("pad_right", false),
    },
    oneString("lines", "Splits a string into lines (\\n or \\r\\n).", (s) => {
      if (s === "") return strArray([]);
      const parts = s.split("\n");
      if (parts[parts.length - 1] === "") parts.pop();
      const last = s.endsWith("\n") ? parts.length : parts.length - 1;
      for (let i = 0; i < last; i++) {
        if (parts[i].endsWith("\r")) parts[i] = parts[i].slice(0, -1);
      }
      return strArray(parts);
    }),
    oneString("words", "Splits a string on runs of whitespace.", (s) => {
      const out: string[] = [];
      let cur = "";
      for (const c of s) {
        if (isSpace(c)) {
          if (cur) out.push(cur);
          cur = "";
        } else cur += c;
      }
      if (cur) out.push(cur);
      return strArray(out);
    }),
    oneString("str_reverse", "Reverses the code points of a string.", (s) => {
      return chars(s).reverse().join("");
    }),
    oneString("slugify", "URL slug: lower-case words joined by '-'.", slugify),
    {
      name: "truncate",
      params: "s, max_len, suffix",
      min: 3,
      doc: "Shortens s to max_len code points, ending with suffix.",
      impl: (args) => {
        const what = "3 arguments: string, length, suffix";
        const s = str("truncate", args, 0, what);
        const max = whole("truncate", args, 1, what);
        const suffix = str("truncate", args, 2, what);
        if (max < 0 || cpLen(s) <= max) return s;
        const keep = Math.max(max - cpLen(suffix), 0);
        return cpSlice(s, 0, keep) + suffix;
      },
    },
    oneString("to_camel_case", "camelCase form of a string.", camelCase),
    oneString("to_snake_case", "snake_case form of a string.", snakeCase),
    oneString("to_kebab_case", "kebab-case form of a string.", (s) => {
      return snakeCase(s).replaceAll("_", "-");
    }),
    {
      name: "format",
      params: "template, ...args",
      min: 1,
      max: Infinity,
      doc: "printf-like formatting with %s, %d, %f and %%.",
      impl: formatImpl,
    },
  ],
};
