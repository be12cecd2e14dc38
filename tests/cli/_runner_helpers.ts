/**
 * Helpers for the test-runner tests: run `cli.ts` (`ruff test-run`, `ruff test`, `ruff run`) as a
 * subprocess and mask the timings of the reports.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Absolute path of the repository root (with a trailing slash). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** What one subprocess produced. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno run -A SCRIPT ARGS…` in `cwd` with no stdin and colours off. */
export async function runScript(script: string, args: string[], cwd = ROOT): Promise<Outcome> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs `cli.ts ARGS…` (`test-run FILE`, `test DIR`, `run FILE`). */
export function ruff(args: string[], cwd = ROOT): Promise<Outcome> {
  return runScript(`${ROOT}cli.ts`, args, cwd);
}

/** Replaces the millisecond figures of reports (`(12ms)`, `Time: 3ms`) with `N`. */
export function maskTimes(text: string): string {
  return text.replace(/\((\d+)ms\)/g, "(Nms)").replace(/^Time: \d+ms$/gm, "Time: Nms");
}
