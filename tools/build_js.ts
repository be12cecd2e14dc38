/**
 * Builds a plain-JavaScript copy of `cli.ts`, `mod.ts` and `lib/` into a directory, for the
 * installed `ruff` command (`tools/install.ts`). The TypeScript sources stay the only sources:
 * the build is `deno transpile` without source maps, plus `.ts` → `.js` in the import
 * specifiers between our own modules; it is written outside version control.
 *
 * Why: `deno run` of a `.ts` module loads the code Deno emitted for it, and that code carries an
 * inline source map about twice its size. For `ruff run hello.ruff` that made loading the lexer,
 * parser, compiler and VM take 8–9 ms instead of about 3–4 ms (README, Performance).
 *
 * ```sh
 * deno run -A tools/build_js.ts OUT_DIR
 * ```
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Every TypeScript module of the implementation, relative to the repository root. */
export function sourceModules(): string[] {
  const found = ["cli.ts", "mod.ts"];
  const walk = (dir: string) => {
    const entries = [...Deno.readDirSync(ROOT + dir)].sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory) walk(rel);
      else if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) found.push(rel);
    }
  };
  walk("lib");
  return found;
}

/**
 * A relative specifier of one of our modules in an import or export declaration or a literal
 * `import(…)`: `from "../values.ts"`, `import "./x.ts"`, `import("./lib/cli/run.ts")`.
 */
const OWN_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]*?)\.ts\2/g;

/** `code` with the `.ts` specifiers of our own modules turned into `.js` ones. */
export function rewriteSpecifiers(code: string): string {
  return code.replace(OWN_SPECIFIER, (_m, head, q, path) => `${head}${q}${path}.js${q}`);
}

/** Transpiles every module into `outDir` (created or refreshed); returns the files written. */
export async function buildJs(outDir: string): Promise<string[]> {
  const out = outDir.endsWith("/") ? outDir : outDir + "/";
  const modules = sourceModules();
  for (const m of modules) {
    try {
      Deno.removeSync(out + m.replace(/\.ts$/, ".js"));
    } catch { /* not built before */ }
  }
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "transpile",
      "--quiet",
      "--no-check",
      "--source-map",
      "none",
      "--outdir",
      out,
      ...modules,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) {
    throw new Error(`deno transpile failed:\n${new TextDecoder().decode(r.stderr)}`);
  }
  const written: string[] = [];
  for (const m of modules) {
    const file = out + m.replace(/\.ts$/, ".js");
    const code = rewriteSpecifiers(Deno.readTextFileSync(file));
    const left = code.match(/\bfrom\s*["']\.{1,2}\/[^"'\n]*\.ts["']/);
    if (left) throw new Error(`${file}: a TypeScript specifier is left: ${left[0]}`);
    Deno.writeTextFileSync(file, code);
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (dir === undefined || Deno.args.length !== 1) {
    console.error("usage: deno run -A tools/build_js.ts OUT_DIR");
    Deno.exit(2);
  }
  const files = await buildJs(dir);
  console.log(`built ${files.length} modules into ${dir}`);
}
