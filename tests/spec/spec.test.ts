/**
 * Spec conformance cases: every `cases/NN_name.ruff` runs as `deno run -A cli.ts CASE.ruff`
 * (cwd = repository root) and must produce exactly `NN_name.out` on stdout, exit with the code in
 * `NN_name.code` (0 when absent) and, when `NN_name.err` exists, write each of its non-empty lines
 * to stderr in order. Modules imported by cases live in `cases/modules/`.
 *
 * Also covers the command-line surface of LANGUAGE.md §17 with fixtures in `cli/`.
 */

import assert from "node:assert/strict";
import { assertRun, assertStderrHas, Prefetcher, readOptional, ROOT, runCli } from "./_helpers.ts";

const CASES_DIR = "tests/spec/cases";

const cases = [...Deno.readDirSync(`${ROOT}${CASES_DIR}`)]
  .filter((e) => e.isFile && e.name.endsWith(".ruff"))
  .map((e) => e.name.slice(0, -".ruff".length))
  .sort();

const runs = new Prefetcher((i) => [`${CASES_DIR}/${cases[i]}.ruff`], cases.length);

cases.forEach((name, i) => {
  Deno.test({
    name: `spec: ${name}`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const base = `${ROOT}${CASES_DIR}/${name}`;
      const expectedOut = readOptional(`${base}.out`);
      assert.ok(expectedOut !== undefined, `missing ${CASES_DIR}/${name}.out`);
      const code = Number((readOptional(`${base}.code`) ?? "0").trim());
      const err = readOptional(`${base}.err`);
      const res = await runs.get(i);
      assertRun(res, expectedOut, code);
      if (err !== undefined) assertStderrHas(res.stderr, err);
    },
  });
});

const CLI = "tests/spec/cli";

function cliTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name: `cli: ${name}`, sanitizeOps: false, sanitizeResources: false, fn });
}

cliTest("--version prints ruff 0.9.0", async () => {
  assertRun(await runCli(["--version"]), "ruff 0.9.0\n", 0);
});

cliTest("--help prints usage and exits 0", async () => {
  const res = await runCli(["--help"]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /run/);
  assert.match(res.stdout, /check/);
});

cliTest("run FILE is the same as FILE", async () => {
  assertRun(
    await runCli(["run", `${CASES_DIR}/02_interpolation.ruff`]),
    readOptional(`${ROOT}${CASES_DIR}/02_interpolation.out`) ?? "",
    0,
  );
});

cliTest("args() returns the arguments after FILE", async () => {
  assertRun(await runCli([`${CLI}/args.ruff`, "a", "-b", "--c"]), "[a, -b, --c]\n", 0);
  assertRun(await runCli(["run", `${CLI}/args.ruff`, "x y"]), "[x y]\n", 0);
});

cliTest("check FILE prints FILE: OK without running it", async () => {
  assertRun(await runCli(["check", `${CLI}/ok.ruff`]), `${CLI}/ok.ruff: OK\n`, 0);
});

cliTest("check reports syntax errors with exit code 1", async () => {
  const res = await runCli(["check", `${CLI}/bad.ruff`]);
  assertRun(res, "", 1);
  assertStderrHas(res.stderr, `Syntax Error: \n${CLI}/bad.ruff:`);
});

cliTest("unreadable file: exit 1", async () => {
  const res = await runCli([`${CLI}/does_not_exist.ruff`]);
  assertRun(res, "", 1);
  assertStderrHas(res.stderr, `Error: cannot read '${CLI}/does_not_exist.ruff'`);
});

cliTest("usage errors: exit 2", async () => {
  const bogus = await runCli(["--bogus-flag"]);
  assert.equal(bogus.code, 2, `--bogus-flag: ${bogus.stderr}`);
  assert.notEqual(bogus.stderr.trim(), "", "a usage error explains itself on stderr");
  const noFile = await runCli(["run"]);
  assert.equal(noFile.code, 2, `run without FILE: ${noFile.stderr}`);
});
