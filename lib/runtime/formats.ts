/**
 * Data-format natives (builtins.md §3.11): JSON, TOML, YAML, CSV and base64.
 *
 * Common rules: Ints and Floats stay apart in both directions (a JSON/YAML/TOML integer that
 * fits in 64 bits becomes an Int, every other number a Float; a Float is always written with a
 * fraction or an exponent), dict keys are written in ascending code-point order, and values of
 * kinds a format cannot express raise `Cannot convert <Debug> to <FORMAT>`.
 *
 * @module
 */

// deno-lint-ignore no-import-prefix
import type { TomlDate } from "npm:smol-toml@1.9.1";
import { LazyLib } from "./lazy.ts";

// The parsers are loaded only for programs that use them (see lazy.ts): importing them costs
// more start-up time than the whole interpreter.
const yamlLib = new LazyLib(
  "The YAML library",
  // deno-lint-ignore no-import-prefix
  () => import("npm:yaml@2.9.1").then((m) => m.default),
  ["parse_yaml", "to_yaml"],
);
const tomlLib = new LazyLib(
  "The TOML library",
  // deno-lint-ignore no-import-prefix
  () => import("npm:smol-toml@1.9.1"),
  ["parse_toml", "to_toml"],
);
import { RuffError } from "../errors.ts";
import {
  arrayOf,
  dictOf,
  fitsI64,
  formatFloat,
  mkFloat,
  normInt,
  RArray,
  RBytes,
  RDict,
  RFloat,
  type Value,
} from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";
import { debugForm } from "./args.ts";

// ───────────────────────────── number helpers ─────────────────────────────

/** An exact integer as an Int when it fits in 64 bits, else as a Float. */
function intOrFloat(b: bigint): Value {
  return fitsI64(b) ? normInt(b) : mkFloat(Number(b));
}

/**
 * Float text with a fraction or an exponent, as serde_json/ryu writes it: `3.0`, `0.1`,
 * `1e16`, `1.5e-7`, `0.00001`. Non-finite values are the caller's business.
 */
export function floatText(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expS] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const n = digits.length;
  const kk = Number(expS) + 1; // |x| = 0.d1…dn × 10^kk
  let body: string;
  if (kk >= n && kk <= 16) body = digits + "0".repeat(kk - n) + ".0";
  else if (kk > 0 && kk <= 16) body = digits.slice(0, kk) + "." + digits.slice(kk);
  else if (kk > -5 && kk <= 0) body = "0." + "0".repeat(-kk) + digits;
  else if (n === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return (x < 0 ? "-" : "") + body;
}

// ───────────────────────────── JSON ─────────────────────────────

/** Raised by the JSON reader; the message is the serde_json-style detail. */
class JsonSyntax extends Error {}

/** A small JSON reader that keeps Int and Float apart (JSON.parse cannot). */
class JsonReader {
  pos = 0;
  depth = 128;
  constructor(readonly src: string) {}

  fail(msg: string, at = this.pos): never {
    let line = 1, col = 0;
    const end = Math.min(at, this.src.length);
    for (let i = 0; i < end; i++) {
      if (this.src.charCodeAt(i) === 10) {
        line++;
        col = 0;
      } else col++;
    }
    // serde_json points at the offending character; at end of input, at the last one.
    if (at < this.src.length) col++;
    throw new JsonSyntax(`${msg} at line ${line} column ${col}`);
  }

  ws(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  document(): Value {
    this.ws();
    const v = this.value("a value");
    this.ws();
    if (this.pos < this.src.length) this.fail("trailing characters");
    return v;
  }

  value(what: string): Value {
    this.ws();
    const s = this.src;
    if (this.pos >= s.length) this.fail(`EOF while parsing ${what}`);
    const c = s[this.pos];
    switch (c) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.word("true", true);
      case "f":
        return this.word("false", false);
      case "n":
        return this.word("null", null);
    }
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    return this.fail("expected value");
  }

  word(w: string, v: Value): Value {
    for (let i = 0; i < w.length; i++) {
      if (this.pos >= this.src.length) this.fail("EOF while parsing a value");
      if (this.src[this.pos] !== w[i]) this.fail("expected ident");
      this.pos++;
    }
    return v;
  }

  number(): Value {
    const s = this.src;
    const start = this.pos;
    if (s[this.pos] === "-") this.pos++;
    const digit = () => this.pos < s.length && s[this.pos] >= "0" && s[this.pos] <= "9";
    if (!digit()) {
      if (this.pos >= s.length) this.fail("EOF while parsing a value");
      this.fail("invalid number");
    }
    if (s[this.pos] === "0") {
      this.pos++;
      if (digit()) this.fail("invalid number");
    } else while (digit()) this.pos++;
    let integral = true;
    if (s[this.pos] === ".") {
      integral = false;
      this.pos++;
      if (!digit()) {
        if (this.pos >= s.length) this.fail("EOF while parsing a value");
        this.fail("invalid number");
      }
      while (digit()) this.pos++;
    }
    if (s[this.pos] === "e" || s[this.pos] === "E") {
      integral = false;
      this.pos++;
      if (s[this.pos] === "+" || s[this.pos] === "-") this.pos++;
      if (!digit()) {
        if (this.pos >= s.length) this.fail("EOF while parsing a value");
        this.fail("invalid number");
      }
      while (digit()) this.pos++;
    }
    const text = s.slice(start, this.pos);
    if (integral) return intOrFloat(BigInt(text));
    const x = Number(text);
    if (!Number.isFinite(x)) this.fail("number out of range", start);
    return mkFloat(x);
  }

  hex4(): number {
    const s = this.src;
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= s.length) this.fail("EOF while parsing a string");
      const d = parseInt(s[this.pos], 16);
      if (Number.isNaN(d) || !/[0-9a-fA-F]/.test(s[this.pos])) this.fail("invalid escape");
      v = v * 16 + d;
      this.pos++;
    }
    return v;
  }

  string(): string {
    const s = this.src;
    this.pos++; // opening quote
    let out = "";
    let run = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail("EOF while parsing a string");
      const c = s.charCodeAt(this.pos);
      if (c === 34) {
        out += s.slice(run, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        this.fail("control character (\\u0000-\\u001F) found while parsing a string");
      }
      if (c !== 92) {
        this.pos++;
        continue;
      }
      out += s.slice(run, this.pos);
      this.pos++;
      if (this.pos >= s.length) this.fail("EOF while parsing a string");
      const e = s[this.pos++];
      switch (e) {
        case '"':
        case "\\":
        case "/":
          out += e;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "\t";
          break;
        case "u": {
          const hi = this.hex4();
          if (hi >= 0xdc00 && hi <= 0xdfff) this.fail("lone leading surrogate in hex escape");
          if (hi >= 0xd800 && hi <= 0xdbff) {
            if (s[this.pos] !== "\\" || s[this.pos + 1] !== "u") {
              this.fail("unexpected end of hex escape");
            }
            this.pos += 2;
            const lo = this.hex4();
            if (lo < 0xdc00 || lo > 0xdfff) this.fail("lone leading surrogate in hex escape");
            out += String.fromCharCode(hi, lo);
          } else out += String.fromCharCode(hi);
          break;
        }
        default:
          this.fail("invalid escape", this.pos - 1);
      }
      run = this.pos;
    }
  }

  enter(): void {
    if (--this.depth < 0) this.fail("recursion limit exceeded");
  }

  array(): Value {
    this.enter();
    this.pos++;
    const items: Value[] = [];
    this.ws();
    if (this.src[this.pos] === "]") {
      this.pos++;
      this.depth++;
      return new RArray(items);
    }
    for (;;) {
      items.push(this.value("a list"));
      this.ws();
      if (this.pos >= this.src.length) this.fail("EOF while parsing a list");
      const c = this.src[this.pos++];
      if (c === "]") break;
      if (c !== ",") this.fail("expected `,` or `]`", this.pos - 1);
      this.ws();
      if (this.src[this.pos] === "]") this.fail("trailing comma");
    }
    this.depth++;
    return arrayOf(items);
  }

  object(): Value {
    this.enter();
    this.pos++;
    const map = new Map<string, Value>();
    this.ws();
    if (this.src[this.pos] === "}") {
      this.pos++;
      this.depth++;
      return new RDict(map);
    }
    for (;;) {
      this.ws();
      if (this.pos >= this.src.length) this.fail("EOF while parsing an object");
      if (this.src[this.pos] !== '"') this.fail("key must be a string");
      const k = this.string();
      this.ws();
      if (this.pos >= this.src.length) this.fail("EOF while parsing an object");
      if (this.src[this.pos] !== ":") this.fail("expected `:`");
      this.pos++;
      map.set(k, this.value("an object"));
      this.ws();
      if (this.pos >= this.src.length) this.fail("EOF while parsing an object");
      const c = this.src[this.pos++];
      if (c === "}") break;
      if (c !== ",") this.fail("expected `,` or `}`", this.pos - 1);
      this.ws();
      if (this.src[this.pos] === "}") this.fail("trailing comma");
    }
    this.depth++;
    return dictOf(map);
  }
}

/**
 * Parses JSON text into Ruff values (integers → Int when they fit in 64 bits, other numbers →
 * Float). Raises `JSON parse error: <detail>`.
 */
export function parseJson(text: string): Value {
  try {
    return new JsonReader(text).document();
  } catch (e) {
    if (e instanceof JsonSyntax) throw new RuffError(`JSON parse error: ${e.message}`);
    throw e;
  }
}

/** A JSON string literal with serde_json's escapes (non-ASCII written as is). */
export function jsonString(s: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c === 34) esc = '\\"';
    else if (c === 92) esc = "\\\\";
    else if (c < 0x20) {
      esc = c === 10
        ? "\\n"
        : c === 13
        ? "\\r"
        : c === 9
        ? "\\t"
        : c === 8
        ? "\\b"
        : c === 12
        ? "\\f"
        : "\\u" + c.toString(16).padStart(4, "0");
    }
    if (esc !== null) {
      out += s.slice(run, i) + esc;
      run = i + 1;
    }
  }
  return out + s.slice(run) + '"';
}

/**
 * Compact JSON text of a value (keys sorted). Raises `Cannot convert <Debug> to JSON` for
 * kinds JSON cannot express.
 */
export function toJson(v: Value): string {
  switch (typeof v) {
    case "number":
    case "bigint":
      return String(v);
    case "string":
      return jsonString(v);
    case "boolean":
      return v ? "true" : "false";
  }
  if (v === null) return "null";
  if (v instanceof RFloat) return Number.isFinite(v.v) ? floatText(v.v) : "0";
  if (v instanceof RArray) return "[" + v.items.map(toJson).join(",") + "]";
  if (v instanceof RDict) {
    return "{" + v.sortedKeys().map((k) => jsonString(k) + ":" + toJson(v.map.get(k)!)).join(",") +
      "}";
  }
  throw new RuffError(`Cannot convert ${debugForm(v)} to JSON`);
}

// ───────────────────────────── JS data → Ruff (TOML, YAML) ─────────────────────────────

/** Converts plain JS data from a parser: bigint → Int, number → Float, objects → dicts. */
function fromJs(x: unknown): Value {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case "bigint":
      return intOrFloat(x);
    case "number":
      return mkFloat(x);
    case "string":
    case "boolean":
      return x;
  }
  if (Array.isArray(x)) return arrayOf(x.map(fromJs));
  if (isTomlDate(x)) return tomlDateText(x);
  if (x instanceof Date) return x.toISOString();
  if (x instanceof Uint8Array) return new RBytes(x.slice());
  if (x instanceof Map) {
    return dictOf([...x.entries()].map(([k, v]) => [String(k), fromJs(v)] as [string, Value]));
  }
  if (typeof x === "object") {
    return dictOf(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromJs(v)]));
  }
  return String(x);
}

/** A TOML date-time in TOML text form (`1979-05-27T07:32:00Z`, `1979-05-27`, `07:32:00`). */
function isTomlDate(x: unknown): x is TomlDate {
  return x instanceof Date && x.constructor.name === "TomlDate";
}

function tomlDateText(d: TomlDate): string {
  const iso = d.toISOString();
  // TomlDate keeps the original precision; drop a zero millisecond part it adds.
  return iso.replace(/\.000(?=Z|[+-]\d\d:\d\d|$)/, "");
}

// ───────────────────────────── TOML writer ─────────────────────────────

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : jsonString(k);
}

function tomlInline(v: Value): string {
  switch (typeof v) {
    case "number":
    case "bigint":
      return String(v);
    case "string":
      return jsonString(v);
    case "boolean":
      return v ? "true" : "false";
  }
  if (v === null) return '""';
  if (v instanceof RFloat) {
    const x = v.v;
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    return floatText(x);
  }
  if (v instanceof RArray) {
    return v.items.length ? "[" + v.items.map(tomlInline).join(", ") + "]" : "[]";
  }
  if (v instanceof RDict) {
    const ks = v.sortedKeys();
    if (!ks.length) return "{}";
    return "{ " + ks.map((k) => `${tomlKey(k)} = ${tomlInline(v.map.get(k)!)}`).join(", ") + " }";
  }
  throw new RuffError(`Cannot convert ${debugForm(v)} to TOML`);
}

const isTableArray = (v: Value): v is RArray =>
  v instanceof RArray && v.items.length > 0 && v.items.every((x) => x instanceof RDict);

/** Writes the body of table `d` whose header path is `path` into `out`. */
function tomlTable(d: RDict, path: string[], out: string[], header: "table" | "array" | null) {
  const keys = d.sortedKeys();
  const plain = keys.filter((k) => {
    const x = d.map.get(k)!;
    return !(x instanceof RDict) && !isTableArray(x);
  });
  const name = path.map(tomlKey).join(".");
  const hasSub = keys.length > plain.length;
  if (header === "array") out.push(`[[${name}]]`);
  else if (header === "table" && (plain.length > 0 || !hasSub)) out.push(`[${name}]`);
  for (const k of plain) out.push(`${tomlKey(k)} = ${tomlInline(d.map.get(k)!)}`);
  for (const k of keys) {
    const x = d.map.get(k)!;
    if (x instanceof RDict) {
      if (out.length && out[out.length - 1] !== "") out.push("");
      tomlTable(x, [...path, k], out, "table");
    } else if (isTableArray(x)) {
      for (const item of x.items) {
        if (out.length && out[out.length - 1] !== "") out.push("");
        tomlTable(item as RDict, [...path, k], out, "array");
      }
    }
  }
}

/** TOML document text of a dict (keys sorted; tables after the plain pairs). */
export function toToml(v: Value): string {
  if (!(v instanceof RDict)) {
    if (v instanceof RArray || v === null || typeof v !== "object" || v instanceof RFloat) {
      throw new RuffError("TOML serialization error: the top level must be a dict");
    }
    throw new RuffError(`Cannot convert ${debugForm(v)} to TOML`);
  }
  const out: string[] = [];
  tomlTable(v, [], out, null);
  while (out.length && out[out.length - 1] === "") out.pop();
  return out.length ? out.join("\n") + "\n" : "";
}

// ───────────────────────────── YAML writer ─────────────────────────────

/** True when `s` has C0/C1 control characters or a BOM. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff) return true;
  }
  return false;
}

const YAML_PLAIN = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^\n\r\t]*$/;

/** A YAML scalar for a string: plain when it reads back as the same string, else quoted. */
function yamlString(s: string): string {
  if (
    YAML_PLAIN.test(s) && !/[:#]\s|\s#|:$|\s$/.test(s) && !/^(- |\? |: )/.test(s) &&
    !hasControl(s)
  ) {
    try {
      if (yamlLib.get().parse(s) === s) return s;
    } catch {
      // fall through to quoting
    }
  }
  if (/^-$|^-[^\s]/.test(s)) {
    try {
      if (yamlLib.get().parse(s) === s) return s;
    } catch {
      // quote
    }
  }
  return jsonString(s);
}

function yamlScalar(v: Value): string | null {
  switch (typeof v) {
    case "number":
    case "bigint":
      return String(v);
    case "string":
      return yamlString(v);
    case "boolean":
      return v ? "true" : "false";
  }
  if (v === null) return "null";
  if (v instanceof RFloat) {
    const x = v.v;
    if (Number.isNaN(x)) return ".nan";
    if (!Number.isFinite(x)) return x > 0 ? ".inf" : "-.inf";
    return floatText(x);
  }
  if (v instanceof RArray && v.items.length === 0) return "[]";
  if (v instanceof RDict && v.map.size === 0) return "{}";
  if (v instanceof RArray || v instanceof RDict) return null;
  throw new RuffError(`Cannot convert ${debugForm(v)} to YAML`);
}

/** Lines of a block collection at indentation `ind`. */
function yamlBlock(v: RArray | RDict, ind: string, out: string[]): void {
  if (v instanceof RArray) {
    for (const x of v.items) {
      const s = yamlScalar(x);
      if (s !== null) {
        out.push(`${ind}- ${s}`);
        continue;
      }
      const sub: string[] = [];
      yamlBlock(x as RArray | RDict, "", sub);
      out.push(`${ind}- ${sub[0]}`);
      for (const line of sub.slice(1)) out.push(`${ind}  ${line}`);
    }
    return;
  }
  for (const k of v.sortedKeys()) {
    const x = v.map.get(k)!;
    const key = yamlString(k);
    const s = yamlScalar(x);
    if (s !== null) out.push(`${ind}${key}: ${s}`);
    else {
      out.push(`${ind}${key}:`);
      // Sequences inside a mapping are not indented (serde_yaml style).
      yamlBlock(x as RArray | RDict, x instanceof RArray ? ind : ind + "  ", out);
    }
  }
}

/** Block-style YAML text (no `---`, keys sorted, ends with a newline). */
export function toYaml(v: Value): string {
  const s = yamlScalar(v);
  if (s !== null) return s + "\n";
  const out: string[] = [];
  yamlBlock(v as RArray | RDict, "", out);
  return out.join("\n") + "\n";
}

// ───────────────────────────── CSV ─────────────────────────────

const RUST_FLOAT = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)$/i;

/** Parses a number the way Rust's `str::parse::<f64>` accepts it; null if it does not. */
export function rustParseFloat(s: string): number | null {
  if (!RUST_FLOAT.test(s)) return null;
  const t = s.toLowerCase().replace(/^\+/, "");
  if (t === "inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t === "nan" || t === "-nan") return NaN;
  return Number(t);
}

/** Parses a number the way Rust's `str::parse::<i64>` accepts it; null if it does not. */
export function rustParseInt(s: string): number | bigint | null {
  if (!/^[+-]?\d+$/.test(s)) return null;
  const b = BigInt(s.replace(/^\+/, ""));
  return fitsI64(b) ? normInt(b) : null;
}

/** RFC-4180 records; blank lines are skipped. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // A blank line is not a record.
    if (text[i] === "\n") {
      i++;
      continue;
    }
    if (text[i] === "\r" && text[i + 1] === "\n") {
      i += 2;
      continue;
    }
    const rec: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) break;
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += text[i++];
        }
        // Characters after the closing quote are kept, as the csv crate does.
        while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      } else {
        while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      }
      rec.push(field);
      if (i < n && text[i] === ",") {
        i++;
        continue;
      }
      if (i < n && text[i] === "\r") i++;
      if (i < n && text[i] === "\n") i++;
      break;
    }
    records.push(rec);
  }
  return records;
}

function csvValue(s: string): Value {
  const i = rustParseInt(s);
  if (i !== null) return i;
  const f = rustParseFloat(s);
  if (f !== null) return mkFloat(f);
  return s;
}

/** Parses CSV with a header line into an array of dicts. */
export function parseCsv(text: string): RArray {
  const recs = csvRecords(text);
  if (recs.length === 0) return new RArray([]);
  const header = recs[0];
  const rows: Value[] = [];
  let prev = header.length;
  for (const rec of recs.slice(1)) {
    if (rec.length !== prev) {
      throw new RuffError(
        `CSV parse error: found record with ${rec.length} fields, but the previous record has ${prev} fields`,
      );
    }
    prev = rec.length;
    rows.push(dictOf(header.map((h, j) => [h, csvValue(rec[j])] as [string, Value])));
  }
  return arrayOf(rows);
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

function csvRecord(fields: string[]): string {
  if (fields.length === 1 && fields[0] === "") return '""\n';
  return fields.map(csvField).join(",") + "\n";
}

function csvText(v: Value | undefined): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof RFloat) return formatFloat(v.v);
  return "";
}

/** CSV text of an array of dicts; the header is the sorted keys of the first row. */
export function toCsv(rows: RArray): string {
  if (rows.items.length === 0) throw new RuffError("CSV requires non-empty array");
  const first = rows.items[0];
  if (!(first instanceof RDict)) throw new RuffError("CSV requires array of dictionaries");
  const header = first.sortedKeys();
  let out = csvRecord(header);
  for (const row of rows.items) {
    if (!(row instanceof RDict)) throw new RuffError("CSV requires array of dictionaries");
    out += csvRecord(header.map((h) => csvText(row.map.get(h))));
  }
  return out;
}

// ───────────────────────────── base64 ─────────────────────────────

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Base64 of bytes (standard or URL-safe alphabet; padding optional). */
export function base64Encode(data: Uint8Array, url = false, pad = true): string {
  const abc = url ? B64URL : B64;
  let out = "";
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += abc[n >> 18] + abc[(n >> 12) & 63] + abc[(n >> 6) & 63] + abc[n & 63];
  }
  const rest = data.length - i;
  if (rest === 1) {
    const n = data[i] << 16;
    out += abc[n >> 18] + abc[(n >> 12) & 63] + (pad ? "==" : "");
  } else if (rest === 2) {
    const n = (data[i] << 16) | (data[i + 1] << 8);
    out += abc[n >> 18] + abc[(n >> 12) & 63] + abc[(n >> 6) & 63] + (pad ? "=" : "");
  }
  return out;
}

/**
 * Strict base64 decoding (canonical padding required unless `pad` is false, in which case no
 * padding is allowed). Throws an Error whose message is the detail text of the base64 crate.
 */
export function base64Decode(text: string, url = false, pad = true): Uint8Array {
  const abc = url ? B64URL : B64;
  const bytes = new TextEncoder().encode(text);
  let p = bytes.indexOf(61); // '='
  if (p < 0) p = bytes.length;
  const val = new Int16Array(p);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (i < p) {
      const k = b < 128 ? abc.indexOf(String.fromCharCode(b)) : -1;
      if (k < 0) throw new Error(`Invalid byte ${b}, offset ${i}.`);
      val[i] = k;
    } else if (b !== 61) throw new Error(`Invalid byte ${b}, offset ${i}.`);
  }
  const padCount = bytes.length - p;
  if (p % 4 === 1) throw new Error("Encoded text cannot have a 6-bit remainder.");
  const want = pad ? (4 - (p % 4)) % 4 : 0;
  if (padCount !== want) {
    if (!pad && padCount > 0) throw new Error(`Invalid byte 61, offset ${p}.`);
    throw new Error("Invalid padding");
  }
  const last = p - 1;
  if (p % 4 === 2 && (val[last] & 15) !== 0) {
    throw new Error(`Invalid last symbol ${bytes[last]}, offset ${last}.`);
  }
  if (p % 4 === 3 && (val[last] & 3) !== 0) {
    throw new Error(`Invalid last symbol ${bytes[last]}, offset ${last}.`);
  }
  const out = new Uint8Array(Math.floor((p * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < p; i += 4) {
    const n = (val[i] << 18) | (val[i + 1] << 12) | (val[i + 2] << 6) | val[i + 3];
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (p - i === 2) out[o++] = ((val[i] << 18) | (val[i + 1] << 12)) >> 16;
  else if (p - i === 3) {
    const n = (val[i] << 18) | (val[i + 1] << 12) | (val[i + 2] << 6);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
  }
  return out;
}

// ───────────────────────────── natives ─────────────────────────────

function strArg(name: string, args: Value[]): string {
  const v = args[0];
  if (typeof v !== "string") requires(name, "a string argument");
  return v;
}

/** First line of a library error message, without a trailing colon. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0].replace(/:\s*$/, "").trim();
}

const natives: NativeSpec[] = [
  {
    name: "parse_json",
    params: "text",
    min: 1,
    doc: "Parses JSON text (integers → Int, other numbers → Float, objects → dicts).",
    impl: (args) => parseJson(strArg("parse_json", args)),
  },
  {
    name: "to_json",
    params: "value",
    min: 1,
    doc: "Compact JSON text of a value, with dict keys sorted.",
    impl: (args) => toJson(args[0]),
  },
  {
    name: "parse_toml",
    params: "text",
    min: 1,
    doc: "Parses a TOML document into a dict (date-times become strings).",
    impl: (args) => {
      const text = strArg("parse_toml", args);
      let data: unknown;
      try {
        data = tomlLib.get().parse(text, { integersAsBigInt: true });
      } catch (e) {
        throw new RuffError(
          `TOML parse error: ${firstLine(e).replace(/^Invalid TOML document: /, "")}`,
        );
      }
      return fromJs(data);
    },
  },
  {
    name: "to_toml",
    params: "value",
    min: 1,
    doc: "TOML document text of a dict (keys sorted, nested dicts as [tables]).",
    impl: (args) => toToml(args[0]),
  },
  {
    name: "parse_yaml",
    params: "text",
    min: 1,
    doc: "Parses a YAML document (integers → Int, other numbers → Float).",
    impl: (args) => {
      const text = strArg("parse_yaml", args);
      let doc;
      try {
        doc = yamlLib.get().parseDocument(text, { intAsBigInt: true });
      } catch (e) {
        throw new RuffError(`YAML parse error: ${firstLine(e)}`);
      }
      if (doc.errors.length) throw new RuffError(`YAML parse error: ${firstLine(doc.errors[0])}`);
      try {
        return fromJs(doc.toJS({ maxAliasCount: 10000 }));
      } catch (e) {
        throw new RuffError(`YAML parse error: ${firstLine(e)}`);
      }
    },
  },
  {
    name: "to_yaml",
    params: "value",
    min: 1,
    doc: "Block-style YAML text (keys sorted, ends with a newline).",
    impl: (args) => toYaml(args[0]),
  },
  {
    name: "parse_csv",
    params: "text",
    min: 1,
    doc: "Parses CSV with a header line into an array of dicts (numeric fields → Int/Float).",
    impl: (args) => parseCsv(strArg("parse_csv", args)),
  },
  {
    name: "to_csv",
    params: "rows",
    min: 1,
    doc: "CSV text of an array of dicts; the header is the sorted keys of the first row.",
    impl: (args) => {
      const rows = args[0];
      if (!(rows instanceof RArray)) requires("to_csv", "an array of dicts");
      return toCsv(rows);
    },
  },
  {
    name: "encode_base64",
    params: "data",
    min: 1,
    doc: "Standard base64 (with padding) of bytes or of a string's UTF-8 bytes.",
    impl: (args) => {
      const v = args[0];
      if (v instanceof RBytes) return base64Encode(v.data);
      if (typeof v === "string") return base64Encode(new TextEncoder().encode(v));
      return requires("encode_base64", "a bytes or string argument");
    },
  },
  {
    name: "decode_base64",
    params: "text",
    min: 1,
    doc: "Decodes strict standard base64 into bytes.",
    impl: (args) => {
      const text = strArg("decode_base64", args);
      try {
        return new RBytes(base64Decode(text));
      } catch (e) {
        throw new RuffError(`Base64 decode error: ${(e as Error).message}`);
      }
    },
  },
];

/** The data-format category. */
export const formats: NativeCategory = { name: "formats", natives };
