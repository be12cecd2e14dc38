/**
 * Terminal output for the CLI: synchronous writes to stdout/stderr, and colours that are used
 * only when the stream is a terminal and `NO_COLOR` is not set (https://no-color.org).
 *
 * @module
 */

const enc = new TextEncoder();

/** A stream with synchronous writes, like `Deno.stdout`. */
export interface SyncStream {
  /** Writes some of `p`; returns how many bytes were written. */
  writeSync(p: Uint8Array): number;
  /** True for a terminal. */
  isTerminal(): boolean;
}

/** Writes all of `text` to `stream`. */
export function writeAll(stream: SyncStream, text: string): void {
  const data = enc.encode(text);
  let off = 0;
  while (off < data.length) off += stream.writeSync(data.subarray(off));
}

/**
 * Exit status when the reader of stdout has gone (`ruff run big.ruff | head -1`): 128 + SIGPIPE,
 * what a shell reports for a process that signal ended, as `yes | head -1` does.
 */
export const BROKEN_PIPE_EXIT = 141;

/**
 * Writes to stdout. When nobody reads it any more, the process ends at once, quietly, with
 * {@link BROKEN_PIPE_EXIT}: the rest of the output would go nowhere.
 */
export function out(text: string): void {
  try {
    writeAll(Deno.stdout, text);
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) Deno.exit(BROKEN_PIPE_EXIT);
    throw e;
  }
}

/** Writes to stderr (dropped when nobody reads it any more). */
export function err(text: string): void {
  try {
    writeAll(Deno.stderr, text);
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
}

/** True when `NO_COLOR` is set to a non-empty value. */
export function noColorEnv(): boolean {
  try {
    const v = Deno.env.get("NO_COLOR");
    return v !== undefined && v !== "";
  } catch {
    return false;
  }
}

/** Whether to colour text written to `stream`: a terminal, and no `NO_COLOR`. */
export function useColor(stream: SyncStream): boolean {
  if (noColorEnv()) return false;
  try {
    return stream.isTerminal();
  } catch {
    return false;
  }
}

/** ANSI styling that is a no-op when colours are off. */
export class Paint {
  /** Styles when `on`, else returns text unchanged. */
  constructor(readonly on: boolean) {}
  /** `s` in the SGR style `code`. */
  private wrap(code: string, s: string): string {
    return this.on ? `\x1b[${code}m${s}\x1b[0m` : s;
  }
  /** Bold. */
  bold(s: string): string {
    return this.wrap("1", s);
  }
  /** Dimmed. */
  dim(s: string): string {
    return this.wrap("2", s);
  }
  /** Bold red (errors). */
  red(s: string): string {
    return this.wrap("1;31", s);
  }
  /** Green (success). */
  green(s: string): string {
    return this.wrap("32", s);
  }
  /** Yellow (warnings, hints). */
  yellow(s: string): string {
    return this.wrap("33", s);
  }
  /** Bold blue (locations, headings). */
  blue(s: string): string {
    return this.wrap("1;34", s);
  }
  /** Cyan (commands and flags in help). */
  cyan(s: string): string {
    return this.wrap("36", s);
  }
}
