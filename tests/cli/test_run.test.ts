/**
 * `ruff test-run FILE [-v]` (LANGUAGE.md §16), end to end through a subprocess, on the programs
 * in `fixtures/test_run/`.
 */

import assert from "node:assert/strict";
import { maskTimes, ruff } from "./_runner_helpers.ts";

const DIR = "tests/cli/fixtures/test_run";
const RULE = "=".repeat(60);

/** The report printed after the tests, with masked timings. */
function report(total: number, passed: number, lines: string[]): string {
  const failed = total - passed;
  return [
    "",
    RULE,
    "Test Results",
    RULE,
    ...lines,
    `Tests: ${total} total, ${passed} passed, ${failed} failed`,
    "Time: Nms",
    RULE,
    "",
    failed === 0 ? "All tests passed! ✨" : `${failed} test(s) failed`,
    "",
  ].join("\n");
}

async function testRun(name: string, verbose = false) {
  const r = await ruff(["test-run", `${DIR}/${name}.ruff`, ...(verbose ? ["-v"] : [])]);
  return { ...r, stdout: maskTimes(r.stdout) };
}

Deno.test("test-run: passing tests see every kind of declaration; quiet report", async () => {
  const r = await testRun("passing");
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "module loaded\ninside a test\n" + report(3, 3, []));
  assert.equal(r.code, 0);
});

Deno.test("test-run: -v lists passing tests", async () => {
  const r = await testRun("passing", true);
  assert.equal(
    r.stdout,
    "module loaded\ninside a test\n" + report(3, 3, [
      "  ✓ functions and constants (Nms)",
      "  ✓ structs and enums (Nms)",
      "  ✓ imported names (Nms)",
    ]),
  );
  assert.equal(r.code, 0);
});

Deno.test("test-run: failing assertions, throws and spawned tasks", async () => {
  const quiet = await testRun("failing");
  const failures = [
    "  ✗ adds wrongly (Nms)",
    "    Error: Assertion failed: expected Int(5), got Int(4)",
    "  ✗ throws (Nms)",
    "    Error: custom failure",
    "  ✗ stops at the first failure (Nms)",
    "    Error: Assertion failed: Array[2] does not contain Int(3)",
    "  ✗ spawned task fails (Nms)",
    "    Error: task failed",
  ];
  assert.equal(quiet.stdout, report(5, 1, failures));
  assert.equal(quiet.stderr, "");
  assert.equal(quiet.code, 1);
  const verbose = await testRun("failing", true);
  assert.equal(verbose.stdout, report(5, 1, ["  ✓ adds (Nms)", ...failures]));
  assert.equal(verbose.code, 1);
});

Deno.test("test-run: a failing setup fails every test; teardown still runs", async () => {
  const r = await testRun("setup_fail");
  const fail = (name: string) => [
    `  ✗ ${name} (Nms)`,
    "    Error: Setup failed: Undefined variable: missing_function",
  ];
  assert.equal(
    r.stdout,
    "setup runs\nsetup runs\n" + report(2, 0, [...fail("first"), ...fail("second")]),
  );
  assert.equal(r.code, 1);
});

Deno.test("test-run: teardown failures, and the body's error wins over the teardown's", async () => {
  const r = await testRun("teardown_fail", true);
  assert.equal(
    r.stdout,
    "teardown sees [setup]\nteardown sees [setup, body]\nteardown sees [setup, body]\n" +
      report(3, 1, [
        "  ✓ clean (Nms)",
        "  ✗ dirty (Nms)",
        "    Error: Teardown failed: log not empty",
        "  ✗ body and teardown both fail (Nms)",
        "    Error: Assertion failed: expected Int(2), got Int(1)",
      ]),
  );
  assert.equal(r.code, 1);
});

Deno.test("test-run: groups are flattened in source order; the last setup applies", async () => {
  const r = await testRun("groups", true);
  assert.equal(
    r.stdout,
    "setup\ntop one\nsetup\nouter one\nsetup\ninner one\nsetup\nouter two\nsetup\n" + report(5, 5, [
      "  ✓ top one (Nms)",
      "  ✓ outer one (Nms)",
      "  ✓ inner one (Nms)",
      "  ✓ outer two (Nms)",
      "  ✓ last (Nms)",
    ]),
  );
  assert.equal(r.code, 0);
});

Deno.test("test-run: other top-level statements do not run; each test has a fresh scope", async () => {
  const r = await testRun("top_level");
  assert.equal(
    r.stdout,
    report(3, 1, [
      "  ✗ top-level variables are not bound (Nms)",
      "    Error: Undefined variable: value",
      "  ✗ fresh scope each time (Nms)",
      "    Error: Undefined variable: value",
    ]),
  );
  assert.equal(r.code, 1);
});

Deno.test("test-run: a file without tests", async () => {
  const r = await testRun("no_tests");
  assert.equal(r.stdout, `No tests found in ${DIR}/no_tests.ruff\n`);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 1);
});

Deno.test("test-run: syntax errors are reported as by `ruff run`", async () => {
  const r = await testRun("syntax_error");
  const run = await ruff(["run", `${DIR}/syntax_error.ruff`]);
  assert.match(r.stderr, /^Syntax Error: /);
  assert.equal(r.stderr, run.stderr);
  assert.equal(r.stdout, "");
  assert.equal(r.code, 1);
  assert.equal(run.code, 1);
});

Deno.test("test-run: an error raised by the declarations is reported as by `ruff run`", async () => {
  const r = await testRun("decl_error");
  const run = await ruff(["run", `${DIR}/decl_error.ruff`]);
  assert.match(r.stderr, /^Runtime Error: Division by zero\n/);
  assert.equal(r.stderr, run.stderr);
  assert.equal(r.stdout, "");
  assert.equal(r.code, 1);
});

Deno.test("test-run: exit(n) inside a test ends the run with that status", async () => {
  const r = await testRun("exit_code");
  assert.equal(r.stdout, "before exit\n");
  assert.equal(r.code, 3);
});

Deno.test("test-run: an unreadable file", async () => {
  const r = await ruff(["test-run", `${DIR}/missing.ruff`]);
  assert.equal(r.stderr, `Error: cannot read '${DIR}/missing.ruff': No such file or directory\n`);
  assert.equal(r.code, 1);
});

Deno.test("run: test blocks are skipped and top-level statements run", async () => {
  const groups = await ruff(["run", `${DIR}/groups.ruff`]);
  assert.equal(groups.stdout, "");
  assert.equal(groups.code, 0);
  const top = await ruff(["run", `${DIR}/top_level.ruff`]);
  assert.equal(top.stdout, "top-level print must not run\n");
  assert.equal(top.code, 0);
});

Deno.test("test-run: return ends only its phase; try, closures and ? inside tests", async () => {
  const r = await testRun("control_flow", true);
  const td = "teardown: early true, late null\n";
  assert.equal(
    r.stdout,
    td + "i = 0\ni = 1\n" + td + td + "caught inner\n" + td + td + report(5, 4, [
      "  ✓ return in the setup skips the rest of it (Nms)",
      "  ✓ return in a loop ends only the body (Nms)",
      "  ✓ closures capture the test's variables (Nms)",
      "  ✓ try and except inside a test (Nms)",
      "  ✗ ? raises inside a test (Nms)",
      "    Error: Unhandled Err: no value",
    ]),
  );
  assert.equal(r.code, 1);
});
