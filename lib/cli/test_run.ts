/**
 * `ruff test-run FILE [-v]`: runs the `test` blocks of one file (LANGUAGE.md §16).
 *
 * Only the file's top-level declarations are evaluated; each test then runs the last
 * `test_setup`, its body and the last `test_teardown` in a fresh scope below the global scope.
 * The report goes to stdout after the tests (whose own output is streamed as it is produced):
 *
 * ```text
 *
 * ============================================================
 * Test Results
 * ============================================================
 *   ✗ adds (0ms)
 *     Error: Assertion failed: expected 4, got 5
 * Tests: 2 total, 1 passed, 1 failed
 * Time: 3ms
 * ============================================================
 *
 * 1 test(s) failed
 * ```
 *
 * `-v` also lists the passing tests (`  ✓ NAME (Nms)`). Exit status: 0 when every test passed,
 * 1 otherwise, also for a file without tests, a syntax error or an error raised by the
 * declarations; `exit(n)` in a test ends the run at once with status n and no report.
 *
 * @module
 */

import { ExitRequest, RuffSyntaxError } from "../errors.ts";
import { loadTests, Session, type TestFailure } from "../runner.ts";
import { readSource, reportSyntax } from "./source.ts";
import { err, out, Paint } from "./term.ts";

/** Options of {@link runTestBlocks}. */
export interface TestRunOptions {
  /** The Ruff file whose tests to run. */
  file: string;
  /** List passing tests as well as failures. */
  verbose: boolean;
  /** Colour the report (and diagnostics). */
  color: boolean;
}

const RULE = "=".repeat(60);

/** The failure text of a test (LANGUAGE.md §16 step 3). */
function failureMessage(f: TestFailure): string {
  const m = f.error.message;
  return f.phase === "setup"
    ? `Setup failed: ${m}`
    : f.phase === "teardown"
    ? `Teardown failed: ${m}`
    : m;
}

/** Runs `ruff test-run FILE [-v]`; resolves to the exit status. */
export async function runTestBlocks(opts: TestRunOptions): Promise<number> {
  const { file, verbose, color } = opts;
  const source = readSource(file, color);
  if (source === null) return 1;
  const session = new Session({ file, stdout: out, stderr: err, color });
  try {
    let program;
    try {
      program = await loadTests(session, source);
    } catch (e) {
      if (e instanceof RuffSyntaxError) return reportSyntax(e, color);
      throw e;
    }
    if (program.tests.length === 0) {
      out(`No tests found in ${file}\n`);
      return 1;
    }
    const declError = await program.declare();
    if (declError) {
      err(session.formatError(declError) + "\n");
      return 1;
    }
    const p = new Paint(color);
    const lines: string[] = [];
    let passed = 0;
    const started = performance.now();
    for (const test of program.tests) {
      const t0 = performance.now();
      const failure = await test.run();
      const ms = Math.floor(performance.now() - t0);
      if (failure === null) {
        passed++;
        if (verbose) lines.push(`  ${p.green("✓")} ${test.name} (${ms}ms)`);
      } else {
        lines.push(`  ${p.red("✗")} ${test.name} (${ms}ms)`);
        lines.push(`    ${p.red("Error:")} ${failureMessage(failure)}`);
      }
    }
    const total = program.tests.length;
    const failed = total - passed;
    const time = Math.floor(performance.now() - started);
    const report = [
      "",
      RULE,
      p.bold("Test Results"),
      RULE,
      ...lines,
      `Tests: ${total} total, ${p.green(`${passed} passed`)}, ${
        failed ? p.red(`${failed} failed`) : `${failed} failed`
      }`,
      `Time: ${time}ms`,
      RULE,
      "",
      failed === 0 ? p.green("All tests passed! ✨") : p.red(`${failed} test(s) failed`),
    ];
    out(report.join("\n") + "\n");
    return failed === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof ExitRequest) return e.code;
    throw e;
  }
}
