/**
 * The Ruff lexer (LANGUAGE.md §1): turns source text into tokens with 1-based line/column
 * positions (columns count code points). Lexical errors are collected, not thrown; the lexer
 * always produces a token list ending with an `eof` token.
 *
 * @module
 */

import type { SyntaxIssue } from "./errors.ts";

/** Token kinds. `kw` is a reserved word, `op` an operator or punctuation. */
export type TokKind = "int" | "float" | "str" | "istr" | "ident" | "kw" | "op" | "eof";

/** One embedded `${ … }` expression of an interpolated string. */
export interface InterpPart {
  /** The tokens between `${` and the matching `}` (no `eof`). */
  toks: Token[];
  /** Position of the `$`. */
  line: number;
  col: number;
  /** Position of the closing `}`. */
  endLine: number;
  endCol: number;
}

export interface Token {
  k: TokKind;
  /** Spelling for ident/kw/op/int/float tokens; `"` for strings; "" for eof. */
  v: string;
  line: number;
  col: number;
  /** True when this token is the first on its line. */
  nl: boolean;
  /** Value of an int/float literal. */
  num?: number | bigint;
  /** Value of a plain string literal. */
  str?: string;
  /** Literal texts and embedded expressions of an interpolated string. */
  parts?: (string | InterpPart)[];
}

/** The reserved words of LANGUAGE.md §1.4. */
export const RESERVED: ReadonlySet<string> = new Set([
  "let",
  "mut",
  "const",
  "func",
  "return",
  "enum",
  "match",
  "case",
  "default",
  "if",
  "else",
  "loop",
  "while",
  "for",
  "in",
  "break",
  "continue",
  "try",
  "except",
  "int",
  "float",
  "string",
  "bool",
  "import",
  "export",
  "from",
  "struct",
  "impl",
  "self",
  "null",
  "spawn",
  "test",
  "test_setup",
  "test_teardown",
  "test_group",
  "yield",
  "async",
  "await",
  "true",
  "false",
  "throw",
  "Ok",
  "Err",
  "Some",
  "None",
]);

const MAX_INT = 9223372036854775807n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_STRING_NESTING = 200;

/**
 * Patterns over Unicode properties, made on first use: each costs about 0.1 ms to create, which
 * every run would pay at start-up while most sources are ASCII.
 */
let unicode: { letter: RegExp; digit: RegExp; shownEscaped: RegExp } | null = null;
function unicodeRe(): { letter: RegExp; digit: RegExp; shownEscaped: RegExp } {
  return unicode ??= { letter: /\p{L}/u, digit: /\p{Nd}/u, shownEscaped: /[\p{C}\p{Z}]/u };
}

/** Formats a character for `Invalid character '…'`. */
function showChar(ch: string): string {
  if (ch !== " " && unicodeRe().shownEscaped.test(ch)) {
    return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
  }
  return ch;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Signal from the interpolation scanner: a line break or end of input ended the string. */
const UNTERMINATED = Symbol("unterminated");

class TooDeep extends Error {}

class Lexer {
  src: string;
  i = 0;
  line = 1;
  col = 1;
  /** A line break was crossed since the previous token. */
  sawNl = true;
  issues: SyntaxIssue[] = [];
  strDepth = 0;

  constructor(src: string) {
    this.src = src;
    if (src.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  error(message: string, line: number, col: number): void {
    this.issues.push({ message, line, col });
  }

  /** Code point at the current index and its UTF-16 length. */
  cpAt(i: number): string {
    const c = this.src.codePointAt(i)!;
    return String.fromCodePoint(c);
  }

  /** Is the code point starting at `i` an identifier-continue character? */
  identCont(i: number): number {
    const c = this.src.charCodeAt(i);
    if (isAsciiLetter(c) || isDigit(c) || c === 95) return 1;
    if (c < 128 || Number.isNaN(c)) return 0;
    const ch = this.cpAt(i);
    const re = unicodeRe();
    return re.letter.test(ch) || re.digit.test(ch) ? ch.length : 0;
  }

  /**
   * Skips whitespace and comments. In interpolation mode a line break (or end of input) is
   * reported by returning false without consuming it.
   */
  skipTrivia(interp: boolean): boolean {
    const src = this.src;
    const n = src.length;
    for (;;) {
      if (this.i >= n) return !interp;
      const c = src.charCodeAt(this.i);
      if (c === 32 || c === 9) {
        this.i++;
        this.col++;
      } else if (c === 10 || c === 13) {
        if (interp) return false;
        this.i += c === 13 && src.charCodeAt(this.i + 1) === 10 ? 2 : 1;
        this.line++;
        this.col = 1;
        this.sawNl = true;
      } else if (c === 35 || (c === 47 && src.charCodeAt(this.i + 1) === 47)) {
        // Line comment: up to (not including) the line break.
        while (this.i < n) {
          const d = src.charCodeAt(this.i);
          if (d === 10 || d === 13) break;
          this.advanceChar();
        }
      } else if (c === 47 && src.charCodeAt(this.i + 1) === 42) {
        const sl = this.line, sc = this.col;
        this.i += 2;
        this.col += 2;
        for (;;) {
          if (this.i >= n) {
            this.error("Unterminated block comment", sl, sc);
            return !interp;
          }
          const d = src.charCodeAt(this.i);
          if (d === 42 && src.charCodeAt(this.i + 1) === 47) {
            this.i += 2;
            this.col += 2;
            break;
          }
          if (d === 10 || d === 13) {
            this.i += d === 13 && src.charCodeAt(this.i + 1) === 10 ? 2 : 1;
            this.line++;
            this.col = 1;
            this.sawNl = true;
          } else this.advanceChar();
        }
      } else return true;
    }
  }

  /** Advances over one code point on the current line. */
  advanceChar(): void {
    const c = this.src.charCodeAt(this.i);
    this.i += c >= 0xd800 && c <= 0xdbff && this.i + 1 < this.src.length ? 2 : 1;
    this.col++;
  }

  make(k: TokKind, v: string, line: number, col: number): Token {
    const t: Token = { k, v, line, col, nl: this.sawNl };
    this.sawNl = false;
    return t;
  }

  /**
   * Scans the next token. Returns null at end of input (top mode) and UNTERMINATED when a line
   * break or end of input is met inside an interpolation.
   */
  scan(interp: boolean): Token | null | typeof UNTERMINATED {
    const src = this.src;
    for (;;) {
      if (!this.skipTrivia(interp)) return UNTERMINATED;
      if (this.i >= src.length) return null;
      const line = this.line, col = this.col;
      const c = src.charCodeAt(this.i);
      if (isDigit(c)) return this.number(line, col);
      if (isAsciiLetter(c) || c === 95) {
        const start = this.i;
        this.i++;
        this.col++;
        for (;;) {
          const w = this.identCont(this.i);
          if (w === 0) break;
          this.i += w;
          this.col++;
        }
        const word = src.slice(start, this.i);
        return this.make(RESERVED.has(word) ? "kw" : "ident", word, line, col);
      }
      if (c === 34) return this.string(line, col);
      const op = this.operator(c);
      if (op !== null) {
        this.i += op.length;
        this.col += op.length;
        return this.make("op", op, line, col);
      }
      const ch = this.cpAt(this.i);
      this.error(`Invalid character '${showChar(ch)}'`, line, col);
      this.advanceChar();
    }
  }

  operator(c: number): string | null {
    const d = this.src.charCodeAt(this.i + 1);
    switch (c) {
      case 58: // :
        return d === 61 ? ":=" : d === 58 ? "::" : ":";
      case 61: // =
        return d === 61 ? "==" : "=";
      case 43: // +
        return d === 61 ? "+=" : "+";
      case 45: // -
        return d === 61 ? "-=" : d === 62 ? "->" : "-";
      case 42: // *
        return d === 61 ? "*=" : "*";
      case 47: // /
        return d === 61 ? "/=" : "/";
      case 37: // %
        return d === 61 ? "%=" : "%";
      case 33: // !
        return d === 61 ? "!=" : "!";
      case 60: // <
        return d === 61 ? "<=" : "<";
      case 62: // >
        return d === 61 ? ">=" : ">";
      case 38: // &
        return d === 38 ? "&&" : null;
      case 124: // |
        return d === 124 ? "||" : d === 62 ? "|>" : null;
      case 63: // ?
        return d === 63 ? "??" : d === 46 ? "?." : "?";
      case 46: // .
        return d === 46 && this.src.charCodeAt(this.i + 2) === 46 ? "..." : ".";
      case 44:
        return ",";
      case 59:
        return ";";
      case 40:
        return "(";
      case 41:
        return ")";
      case 91:
        return "[";
      case 93:
        return "]";
      case 123:
        return "{";
      case 125:
        return "}";
    }
    return null;
  }

  number(line: number, col: number): Token {
    const src = this.src;
    const start = this.i;
    while (isDigit(src.charCodeAt(this.i))) this.i++;
    let isFloat = false;
    if (src.charCodeAt(this.i) === 46 && isDigit(src.charCodeAt(this.i + 1))) {
      isFloat = true;
      this.i++;
      while (isDigit(src.charCodeAt(this.i))) this.i++;
    }
    this.col += this.i - start;
    if (this.identCont(this.i) > 0) {
      for (;;) {
        const w = this.identCont(this.i);
        if (w === 0) break;
        this.i += w;
        this.col++;
      }
      const text = src.slice(start, this.i);
      this.error(`Malformed numeric literal: ${text}`, line, col);
      const t = this.make("int", text, line, col);
      t.num = 0;
      return t;
    }
    const text = src.slice(start, this.i);
    if (isFloat) {
      const t = this.make("float", text, line, col);
      const v = Number(text);
      if (!Number.isFinite(v)) {
        this.error(`Numeric literal overflow: ${text}`, line, col);
        t.num = 0;
      } else t.num = v;
      return t;
    }
    const t = this.make("int", text, line, col);
    if (text.length <= 15) {
      t.num = Number(text);
    } else {
      const b = BigInt(text);
      if (b > MAX_INT) {
        this.error(`Numeric literal overflow: ${text}`, line, col);
        t.num = 0;
      } else t.num = b <= SAFE ? Number(b) : b;
    }
    return t;
  }

  string(line: number, col: number): Token {
    const src = this.src;
    const n = src.length;
    const tok = this.make("str", '"', line, col);
    this.i++;
    this.col++;
    let buf = "";
    let parts: (string | InterpPart)[] | null = null;
    for (;;) {
      if (this.i >= n) {
        this.error("Unterminated string literal", line, col);
        break;
      }
      const c = src.charCodeAt(this.i);
      if (c === 34) {
        this.i++;
        this.col++;
        break;
      }
      if (c === 10 || c === 13) {
        this.error("Unterminated string literal", line, col);
        break;
      }
      if (c === 92) {
        const d = src.charCodeAt(this.i + 1);
        let out: string | null = null;
        switch (d) {
          case 110:
            out = "\n";
            break;
          case 116:
            out = "\t";
            break;
          case 114:
            out = "\r";
            break;
          case 92:
            out = "\\";
            break;
          case 34:
            out = '"';
            break;
          case 36:
            out = "$";
            break;
        }
        if (out !== null) {
          buf += out;
          this.i += 2;
          this.col += 2;
          continue;
        }
        if (this.i + 1 >= n || d === 10 || d === 13) {
          // The backslash ends the line: the literal is unterminated.
          this.i++;
          this.col++;
          continue;
        }
        const bad = this.cpAt(this.i + 1);
        this.error(`Invalid escape sequence: \\${bad}`, this.line, this.col);
        this.i++;
        this.col++;
        this.advanceChar();
        continue;
      }
      if (c === 36 && src.charCodeAt(this.i + 1) === 123) {
        if (parts === null) parts = [];
        if (buf !== "") parts.push(buf);
        buf = "";
        const part = this.interpolation();
        if (part === null) {
          this.error("Unterminated string literal", line, col);
          break;
        }
        parts.push(part);
        continue;
      }
      const s = this.i;
      this.advanceChar();
      buf += src.slice(s, this.i);
    }
    if (parts === null) {
      tok.str = buf;
    } else {
      if (buf !== "") parts.push(buf);
      tok.k = "istr";
      tok.parts = parts;
    }
    return tok;
  }

  /** Scans `${ … }`; returns null when a line break or end of input comes first. */
  interpolation(): InterpPart | null {
    const line = this.line, col = this.col;
    this.i += 2;
    this.col += 2;
    if (++this.strDepth > MAX_STRING_NESTING) {
      this.error("Nesting too deep", line, col);
      throw new TooDeep();
    }
    const toks: Token[] = [];
    let depth = 0;
    const savedNl = this.sawNl;
    try {
      for (;;) {
        this.sawNl = false;
        const t = this.scan(true);
        if (t === UNTERMINATED || t === null) return null;
        if (t.k === "op") {
          if (t.v === "{") depth++;
          else if (t.v === "}") {
            if (depth === 0) {
              return { toks, line, col, endLine: t.line, endCol: t.col };
            }
            depth--;
          }
        }
        toks.push(t);
      }
    } finally {
      this.strDepth--;
      this.sawNl = savedNl;
    }
  }
}

/** Result of {@link lex}. */
export interface LexResult {
  tokens: Token[];
  issues: SyntaxIssue[];
}

/** Lexes a whole source text. The token list always ends with an `eof` token. */
export function lex(source: string): LexResult {
  const lx = new Lexer(source);
  const tokens: Token[] = [];
  try {
    for (;;) {
      const t = lx.scan(false);
      if (t === null || t === UNTERMINATED) break;
      tokens.push(t);
    }
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    lx.i = source.length;
  }
  // Place eof at the end of the text.
  tokens.push({ k: "eof", v: "", line: lx.line, col: lx.col, nl: true });
  return { tokens, issues: lx.issues };
}
