/**
 * Helpers for the test-runner tests: run `ruff test-run`, `ruff test` and `ruff run` as a
 * subprocess and mask the timings of the reports.
 *
 * @module
 */

import { type Result, ROOT, ruff as runRuff } from "./_cli.ts";

export { ROOT };

/**
 * Runs `ruff ARGS…` (`test-run FILE`, `test DIR`, `run FILE`) in `cwd` with no stdin and colours
 * off (`_cli.ts`'s {@link runRuff}).
 */
export function ruff(args: string[], cwd = ROOT): Promise<Result> {
  return runRuff(args, { cwd, env: { NO_COLOR: "1" } });
}

/** Replaces the millisecond figures of reports (`(12ms)`, `Time: 3ms`) with `N`. */
export function maskTimes(text: string): string {
  return text.replace(/\((\d+)ms\)/g, "(Nms)").replace(/^Time: \d+ms$/gm, "Time: Nms");
}
