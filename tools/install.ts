/**
 * Installs the `ruff` command: builds the plain-JavaScript copy of the implementation
 * (`tools/build_js.ts`) and `deno install`s its `cli.js` under the name `ruff`, with V8
 * compiling every function when a module is loaded (`--v8-flags=--no-lazy`), so that Deno's code
 * cache holds them all from the second run on. Both together take `ruff run hello.ruff` from about
 * 2× to about 1.4× the time of `deno run` of a one-line TypeScript file (README, Performance).
 *
 * ```sh
 * deno task install [--root DIR] [--out DIR] [--name NAME]
 * ```
 *
 * - `--root DIR`: installation root, as for `deno install` (default `$DENO_INSTALL_ROOT` or
 *   `~/.deno`); the command goes to `DIR/bin`.
 * - `--out DIR`: where the JavaScript build goes (default `dist/` in the checkout). The command
 *   runs from there: rebuild (run this again) after changing the sources.
 * - `--name NAME`: the command's name (default `ruff`).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { buildJs } from "./build_js.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** What {@link install} did. */
export interface Installed {
  /** The JavaScript build's entry point. */
  entry: string;
  /** `deno install`'s report (the path of the command). */
  report: string;
}

/** Builds into `out` and installs its `cli.js` as `name` under `root` (Deno's default root when absent). */
export async function install(
  opts: { out?: string; root?: string; name?: string } = {},
): Promise<Installed> {
  const out = opts.out ?? `${ROOT}dist`;
  await buildJs(out);
  const entry = `${out.replace(/\/$/, "")}/cli.js`;
  const args = [
    "install",
    "--global",
    "--force",
    "--allow-all",
    "--no-config",
    "--v8-flags=--no-lazy",
  ];
  args.push("--name", opts.name ?? "ruff");
  if (opts.root !== undefined) args.push("--root", opts.root);
  args.push(entry);
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const report = dec.decode(r.stdout) + dec.decode(r.stderr);
  if (r.code !== 0) throw new Error(`deno install failed:\n${report}`);
  return { entry, report };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      root: { type: "string" },
      out: { type: "string" },
      name: { type: "string" },
    },
  });
  try {
    const { entry, report } = await install(values);
    console.log(`built ${entry}`);
    console.log(report.trimEnd());
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    Deno.exit(1);
  }
}
