/**
 * Diagnostics: syntax errors, the error a native raises, and the text shown to users
 * (`Syntax Error: …` / `Runtime Error: …` with `--> file:line:col`, the source line and a caret).
 *
 * @module
 */

/** One syntax error found by the lexer, the parser or the static checks. */
export interface SyntaxIssue {
  /** Description of the error. */
  message: string;
  /** 1-based source line of the error. */
  line: number;
  /** 1-based source column of the error. */
  col: number;
}

/** Thrown by `parse` when the source has one or more syntax errors. Nothing runs. */
export class RuffSyntaxError extends Error {
  /** All errors found, in source order; the first is the primary one. */
  readonly issues: SyntaxIssue[];
  /** The file name used in diagnostics. */
  readonly file: string;
  /** The source text, for excerpts. */
  readonly source: string;
  /** Creates the error from its issues (at least one expected), file name and source text. */
  constructor(issues: SyntaxIssue[], file: string, source: string) {
    super(issues[0]?.message ?? "Syntax error");
    this.name = "RuffSyntaxError";
    this.issues = issues;
    this.file = file;
    this.source = source;
  }
  /** The full diagnostic text, as `ruff run` prints it to stderr. */
  format(color = false): string {
    return this.issues
      .map((i) =>
        formatDiagnostic("Syntax Error", i.message, this.file, this.source, i.line, i.col, color)
      )
      .join("\n");
  }
}

/**
 * Raised (as a JS exception) by natives and runtime helpers to signal a Ruff runtime error.
 * The VM turns it into a Ruff error value located at the failing operation.
 */
export class RuffError extends Error {
  /** Optional cause value (a Ruff value). */
  override readonly cause?: unknown;
  /** Creates a runtime error with a message and an optional Ruff cause value. */
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = "RuffError";
    this.cause = cause;
  }
}

/** Returns the `n`-th (1-based) line of `source`, without its terminator. */
export function sourceLine(source: string, n: number): string | null {
  const lines = source.split(/\r\n|\r|\n/);
  return n >= 1 && n <= lines.length ? lines[n - 1] : null;
}

/** Code points of a source line shown in a diagnostic's excerpt at most (see formatDiagnostic). */
const EXCERPT_WIDTH = 100;

/**
 * Formats a diagnostic:
 * ```
 * <Kind>: <message>
 *   --> <file>:<line>:<col>
 *    |
 *  3 | x := (1 + )
 *    |           ^
 * ```
 * The excerpt is left out when the line is unknown (0) or outside the source.
 */
export function formatDiagnostic(
  kind: string,
  message: string,
  file: string,
  source: string | null,
  line: number,
  col: number,
  color = false,
): string {
  const red = (s: string) => (color ? `\x1b[1;31m${s}\x1b[0m` : s);
  const blue = (s: string) => (color ? `\x1b[1;34m${s}\x1b[0m` : s);
  let out = `${red(kind)}: ${message}\n  ${blue("-->")} ${file}:${line}:${col}`;
  const text = source !== null && line > 0 ? sourceLine(source, line) : null;
  if (text !== null) {
    const num = String(line);
    const pad = " ".repeat(num.length);
    // Columns count code points; tabs are kept so the caret lines up under them. A long line
    // is shown as the stretch of EXCERPT_WIDTH code points around the column, with an ellipsis
    // where it is cut.
    const chars = Array.from(text);
    const caret = Math.max(0, col - 1);
    let from = 0, to = chars.length;
    if (chars.length > EXCERPT_WIDTH) {
      from = Math.max(0, Math.min(caret - EXCERPT_WIDTH / 2, chars.length - EXCERPT_WIDTH));
      to = from + EXCERPT_WIDTH;
    }
    const lead = from > 0 ? "…" : "";
    const shown = lead + chars.slice(from, to).join("") + (to < chars.length ? "…" : "");
    const prefix = (lead ? " " : "") +
      chars.slice(from, caret).map((c) => (c === "\t" ? "\t" : " ")).join("") +
      " ".repeat(Math.max(0, caret - Math.max(from, chars.length)));
    out += `\n ${pad} ${blue("|")}\n ${blue(num)} ${blue("|")} ${shown}\n ${pad} ${blue("|")} ${
      prefix + red("^")
    }`;
  }
  return out;
}

/** Thrown by the `exit(code)` native: ends the program at once with that exit code. */
export class ExitRequest {
  constructor(readonly code: number) {}
}
