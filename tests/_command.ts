/**
 * The `ruff` command the subprocess tests run: `deno run -A cli.ts` from this checkout, or, when
 * `RUFF_TEST_CLI` names an executable (the command `deno task install` made, as `.ci/run`
 * does), that command, so the same tests check the installed JavaScript build.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Executable and leading arguments that stand for `ruff`. */
export function ruffCommand(): { cmd: string; args: string[] } {
  const installed = Deno.env.get("RUFF_TEST_CLI");
  if (installed) return { cmd: installed, args: [] };
  return { cmd: Deno.execPath(), args: ["run", "-A", `${ROOT}cli.ts`] };
}
