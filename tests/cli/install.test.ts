/**
 * `deno task install`: the plain-JavaScript build of the implementation (tools/build_js.ts) and
 * the `ruff` command installed from it (tools/install.ts). The build must behave exactly like the
 * TypeScript sources; `.ci/run` also runs the subprocess test suites against the installed
 * command (RUFF_TEST_CLI).
 *
 * @module
 */

import assert from "node:assert/strict";
import { buildJs, rewriteSpecifiers, sourceModules } from "../../tools/build_js.ts";
import { install } from "../../tools/install.ts";
import { ROOT, sh, tempDir } from "./_cli.ts";

Deno.test("build: .ts specifiers of our modules become .js; others are left alone", () => {
  const src = [
    'import { a } from "./a.ts";',
    'import{b}from"../lib/b.ts";',
    'export { c } from "./c.ts";',
    'import "./side.ts";',
    'const m = await import("./lib/cli/run.ts");',
    'import { parseArgs } from "node:util";',
    'const y = await import("npm:yaml@2.9.1");',
    'const text = "see ./notes.ts";',
    "const url = ownUrl(`./jit/${stem}.ts`, import.meta.url);",
  ].join("\n");
  assert.equal(
    rewriteSpecifiers(src),
    [
      'import { a } from "./a.js";',
      'import{b}from"../lib/b.js";',
      'export { c } from "./c.js";',
      'import "./side.js";',
      'const m = await import("./lib/cli/run.js");',
      'import { parseArgs } from "node:util";',
      'const y = await import("npm:yaml@2.9.1");',
      'const text = "see ./notes.ts";',
      "const url = ownUrl(`./jit/${stem}.ts`, import.meta.url);",
    ].join("\n"),
  );
});

Deno.test("build: every module of cli.ts, mod.ts and lib/ becomes one .js file, without source maps", async () => {
  const out = tempDir({});
  const written = await buildJs(out);
  const modules = sourceModules();
  assert.equal(written.length, modules.length);
  assert.ok(modules.includes("lib/vm.ts") && modules.includes("lib/jit/codegen.ts"));
  for (const m of modules) {
    const code = Deno.readTextFileSync(`${out}/${m.replace(/\.ts$/, ".js")}`);
    assert.ok(!code.includes("sourceMappingURL"), m);
    assert.doesNotMatch(code, /\bfrom\s*["']\.{1,2}\/[^"'\n]*\.ts["']/, m);
    assert.doesNotMatch(code, /\bimport\s*\(\s*["']\.{1,2}\/[^"'\n]*\.ts["']/, m);
  }
});

/** Programs whose output must not depend on the build: print, the JIT, lazy natives, errors. */
const PROGRAMS: Record<string, string> = {
  "hello.ruff": 'print("Hello, Ruff!")\n',
  // Hot enough for the JIT (its modules load through computed URLs), with an Int overflow.
  "jit.ruff": "func fib(n) { if n < 2 { return n }\n return fib(n - 1) + fib(n - 2) }\n" +
    "print(fib(24))\ntotal := 0\nfor i in 200000 { total += i * i }\nprint(total)\n" +
    "x := 9223372036854775000\nfor i in 10 { x += 100 }\n",
  // Natives of categories loaded on demand, and a library behind them (yaml).
  "lazy.ruff": 'print(to_upper("abc"), sqrt(16.0), join(["a", "b"], "-"))\n' +
    'print(to_yaml({"k": [1, 2]}))\n',
  "bad.ruff": "x := (1 + \n",
};

Deno.test("install: the installed ruff runs programs exactly like cli.ts", async () => {
  const dir = tempDir(PROGRAMS);
  const root = tempDir({}).replace(/\/$/, "");
  const out = `${root}/build`;
  const { entry } = await install({ root, out, name: "ruff" });
  assert.equal(entry, `${out}/cli.js`);
  const shim = Deno.readTextFileSync(`${root}/bin/ruff`);
  assert.match(shim, /--v8-flags=--no-lazy/);
  assert.ok(shim.includes(`${out}/cli.js`), shim);
  const deno = Deno.execPath();
  const cases = [
    ["--version"],
    ["run", "hello.ruff"],
    ["run", "jit.ruff"],
    ["run", "--jit-stats", "jit.ruff"],
    ["run", "lazy.ruff"],
    ["run", "bad.ruff"],
    ["check", "hello.ruff"],
    ["nope"],
  ];
  for (const args of cases) {
    const want = await sh(deno, ["run", "-A", `${ROOT}cli.ts`, ...args], { cwd: dir });
    const got = await sh(`${root}/bin/ruff`, args, { cwd: dir });
    // Timings (and the share of the run they make) differ from run to run.
    const mask = (s: string) =>
      s.replace(/\d+(\.\d+)? ?ms\b/g, "N ms").replace(/\d+% of the run/g, "N% of the run");
    assert.equal(got.code, want.code, args.join(" "));
    assert.equal(mask(got.stdout), mask(want.stdout), args.join(" "));
    assert.equal(mask(got.stderr), mask(want.stderr), args.join(" "));
  }
  const hello = await sh(`${root}/bin/ruff`, ["hello.ruff"], { cwd: dir });
  assert.deepEqual(hello, { code: 0, stdout: "Hello, Ruff!\n", stderr: "" });
  const lazy = await sh(`${root}/bin/ruff`, ["lazy.ruff"], { cwd: dir });
  assert.deepEqual(lazy, { code: 0, stdout: "ABC 4 a-b\nk:\n- 1\n- 2\n\n", stderr: "" });
  const jit = await sh(`${root}/bin/ruff`, ["--jit-stats", "jit.ruff"], { cwd: dir });
  assert.equal(jit.code, 1);
  assert.equal(jit.stdout, "46368\n2666646666700000\n");
  assert.match(jit.stderr, /^Runtime Error: Integer overflow: 9223372036854775800 \+ 100\n/);
  assert.match(jit.stderr, /compiled: 1 function\(s\), [1-9] loop\(s\)/);
});
