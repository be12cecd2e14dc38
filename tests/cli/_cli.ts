/**
 * Helpers for the command-line tests: run `cli.ts` as a subprocess, find optional tools, make
 * temporary directories.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { ruffCommand } from "../_command.ts";

/** Absolute path of the repository root (with a trailing slash). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** What one run of the CLI produced. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link ruff}. */
export interface RunOpts {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Text for stdin (default: none). */
  stdin?: string;
}

const dec = new TextDecoder();

/** Runs `ruff ARGS…` (tests/_command.ts: `deno run -A cli.ts` or `RUFF_TEST_CLI`); stdout and stderr are pipes (not terminals). */
export async function ruff(args: string[], opts: RunOpts = {}): Promise<Result> {
  const command = ruffCommand();
  const child = new Deno.Command(command.cmd, {
    args: [...command.args, ...args],
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Full path of `tool` on PATH, or null. */
export function which(tool: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!dir) continue;
    try {
      const p = `${dir}/${tool}`;
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Runs a command and returns its result (never throws for a non-zero exit). */
export async function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const made: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const d of made) {
    try {
      Deno.removeSync(d, { recursive: true });
    } catch {
      // already gone
    }
  }
});

/**
 * A fresh temporary directory holding `files` (name → text); returns its path with a slash.
 * It is removed when the test process ends.
 */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = Deno.makeTempDirSync({ prefix: "ruff_cli_test_" }) + "/";
  made.push(dir);
  for (const [name, text] of Object.entries(files)) Deno.writeTextFileSync(dir + name, text);
  return dir;
}

/** True when `text` contains an ANSI escape sequence. */
export function hasAnsi(text: string): boolean {
  return text.includes("\x1b[");
}
