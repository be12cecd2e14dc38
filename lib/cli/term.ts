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

/** Writes to stdout. */
export function out(text: string): void {
  writeAll(Deno.stdout, text);
}

/** Writes to stderr. */
export function err(text: string): void {
  writeAll(Deno.stderr, text);
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
