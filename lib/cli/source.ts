/**
 * Helpers the commands share: reading a source file (LANGUAGE.md §17.2) and reporting errors in
 * the one diagnostic format of `lib/errors.ts` (`Kind: message`, `--> FILE:LINE:COL`, the source
 * line and a caret), plus a one-line hint where one helps.
 *
 * @module
 */

import { formatDiagnostic, type RuffSyntaxError } from "../errors.ts";
import { err, Paint } from "./term.ts";

/** What every command gets from `cli.ts`. */
export interface CliContext {
  /** Colour diagnostics on stderr. */
  color: boolean;
  /** Colour text on stdout (help, tables). */
  colorOut: boolean;
}

/** Formats a CLI-level error (not located in a source file) with an optional hint. */
export function cliError(message: string, hint: string | null, color: boolean): string {
  const p = new Paint(color);
  return `${p.red("Error")}: ${message}\n${hint ? `  ${p.yellow("hint")}: ${hint}\n` : ""}`;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Reads a source file as strict UTF-8 (LANGUAGE.md §1.1). On failure writes
 * `Error: cannot read 'PATH': REASON` (with a hint when one helps) to stderr and returns null.
 */
export function readSource(path: string, color: boolean): string | null {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (e) {
    let hint: string | null = null;
    let reason: string;
    if (e instanceof Deno.errors.NotFound) {
      reason = "No such file or directory";
      if (!path.endsWith(".ruff") && exists(`${path}.ruff`)) hint = `did you mean '${path}.ruff'?`;
    } else if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      reason = "permission denied";
      hint = "run deno with --allow-read (or -A)";
    } else if (e instanceof Deno.errors.IsADirectory) {
      reason = "Is a directory";
    } else reason = (e as Error).message;
    err(cliError(`cannot read '${path}': ${reason}`, hint, color));
    return null;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const message = "Cannot decode source file as UTF-8";
    err(formatDiagnostic("Syntax Error", message, path, null, 1, 1, color) + "\n");
    return null;
  }
}

/** Reports a syntax error in the §2.8 format; returns the exit status 1. */
export function reportSyntax(e: RuffSyntaxError, color: boolean): number {
  err(e.format(color) + "\n");
  return 1;
}
