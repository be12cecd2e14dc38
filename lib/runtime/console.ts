/**
 * Console natives (builtins.md §3.1): `print` and `input`.
 *
 * @module
 */

import { display, type Value } from "../values.ts";
import type { NativeCategory } from "./registry.ts";
import { requires, trimEnd } from "./args.ts";

/** Bytes read from stdin but not yet returned by `input` (past the last line break). */
let pending = new Uint8Array(0);
let stdinEnded = false;

/** Source of stdin bytes; replaceable for tests. Returns null at end of input. */
export let stdinReader: (buf: Uint8Array) => number | null = (buf) => Deno.stdin.readSync(buf);

/** Replaces the stdin reader (tests) and forgets buffered input. */
export function setStdinReader(r: (buf: Uint8Array) => number | null): void {
  stdinReader = r;
  pending = new Uint8Array(0);
  stdinEnded = false;
}

/** Reads one line (without its terminator) synchronously; null at end of input. */
export function readLine(): string | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const nl = pending.indexOf(10);
    if (nl >= 0) {
      parts.push(pending.subarray(0, nl));
      total += nl;
      pending = pending.slice(nl + 1);
      break;
    }
    if (pending.length) {
      parts.push(pending);
      total += pending.length;
      pending = new Uint8Array(0);
    }
    if (stdinEnded) {
      if (total === 0) return null;
      break;
    }
    const buf = new Uint8Array(4096);
    let n: number | null;
    try {
      n = stdinReader(buf);
    } catch {
      n = null;
    }
    if (n === null || n === 0) {
      stdinEnded = true;
      if (total === 0) return null;
      break;
    }
    pending = buf.slice(0, n);
  }
  const all = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  return new TextDecoder().decode(all);
}

export const console_: NativeCategory = {
  name: "console",
  natives: [
    {
      name: "print",
      params: "...values",
      min: 0,
      max: Infinity,
      doc: "Writes the display forms of the values, separated by spaces, and a newline.",
      impl: (args, ctx) => {
        ctx.write(args.map(display).join(" ") + "\n");
        return null;
      },
    },
    {
      name: "input",
      params: "prompt",
      min: 0,
      max: 1,
      doc: "Reads one line from stdin (trailing whitespace removed); null at end of input.",
      impl: (args, ctx) => {
        if (args.length > 0) {
          const p: Value = args[0];
          if (typeof p !== "string") requires("input", "a string prompt");
          if (p) ctx.write(p);
        }
        const line = readLine();
        return line === null ? null : trimEnd(line);
      },
    },
  ],
};
