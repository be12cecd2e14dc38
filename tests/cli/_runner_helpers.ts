/**
 * Helpers for the test-runner tests: run `cli.ts` (`ruff test-run`, `ruff test`, `ruff run`) as a
 * subprocess and mask the timings of the reports.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { ruffCommand } from "../_command.ts";

/** Absolute path of the repository root (with a trailing slash). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** What one subprocess produced. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ruff ARGS…` (`test-run FILE`, `test DIR`, `run FILE`; the command of tests/_command.ts). */
export async function ruff(args: string[], cwd = ROOT): Promise<Outcome> {
  const command = ruffCommand();
  const out = await new Deno.Command(command.cmd, {
    args: [...command.args, ...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Replaces the millisecond figures of reports (`(12ms)`, `Time: 3ms`) with `N`. */
export function maskTimes(text: string): string {
  return text.replace(/\((\d+)ms\)/g, "(Nms)").replace(/^Time: \d+ms$/gm, "Time: Nms");
}
