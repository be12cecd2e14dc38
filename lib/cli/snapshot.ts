/**
 * `ruff test [DIR] [--update] [-v]`: the snapshot runner (LANGUAGE.md §17.4).
 *
 * Every `*.ruff` file directly inside DIR (default `tests`), in file-name order, runs as
 * `ruff run FILE` would: in a child process of this same `ruff` (a fresh interpreter per file,
 * the current directory unchanged, no stdin). Its trimmed stdout, then its trimmed stderr on the
 * next line when there is any, is compared with the trimmed `FILE.out` (line endings
 * normalised to `\n`):
 *
 * ```text
 * [✓] tests/hello.ruff (41ms)
 * [✗] tests/math.ruff
 * Expected:
 * 4
 * Got:
 * 5
 * [✓] tests/fresh.ruff (new snapshot)
 * [✓] Passed 2/3 tests
 * ```
 *
 * A missing `.out` is written from the actual output (`(new snapshot)`); `--update` rewrites every
 * snapshot (`(updated)`, or `(new snapshot)` when there was none). Files whose first three lines
 * contain `Run with: ruff test-run` are skipped. `-v` also lists the skipped files
 * (`[-] PATH (skipped: test-run file)`) and, after a mismatch, the first differing line. The
 * summary keeps its `[✓]` mark whatever the count; the exit status is 0 when nothing failed, else
 * 1. An unreadable DIR is reported on stderr with status 1. See docs/decisions.md R11.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { compareCodePoints } from "../values.ts";
import { ownUrl } from "../own.ts";
import { err, out, Paint } from "./term.ts";

/** Options of {@link runSnapshotTests}. */
export interface SnapshotOptions {
  /** Directory holding the `.ruff` files and their `.out` snapshots. */
  dir: string;
  /** Rewrite every snapshot with the actual output. */
  update: boolean;
  /** List skipped files and show the first differing line of a mismatch. */
  verbose: boolean;
  /** Colour the ✓ and ✗ marks. */
  color: boolean;
}

/** The marker that keeps a file out of the snapshot run (it is meant for `ruff test-run`). */
const SKIP_MARKER = "Run with: ruff test-run";

/** What one `ruff run FILE` child produced. */
interface Outcome {
  stdout: string;
  stderr: string;
}

/** The command line that runs `ruff run FILE` in a child process. */
function runCommand(file: string): { cmd: string; args: string[] } {
  const exe = Deno.execPath();
  const base = exe.split(/[\\/]/).pop()!.toLowerCase();
  const cli = new URL(ownUrl("../../cli.ts", import.meta.url));
  // Under `deno run cli.ts` re-enter the CLI script; in a compiled `ruff` binary, the binary.
  if ((base === "deno" || base === "deno.exe") && cli.protocol === "file:") {
    return { cmd: exe, args: ["run", "-A", fileURLToPath(cli), "run", file] };
  }
  return { cmd: exe, args: ["run", file] };
}

async function runFile(file: string): Promise<Outcome> {
  const { cmd, args } = runCommand(file);
  const r = await new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** Trims and normalises line endings. */
function clean(text: string): string {
  return text.replace(/\r\n/g, "\n").trim();
}

/** The actual output of §17.4 step 2: stdout, then stderr on the next line when not empty. */
export function actualOutput(stdout: string, stderr: string): string {
  return [clean(stdout), clean(stderr)].filter((s) => s !== "").join("\n");
}

/** True when one of the first three lines of `path` holds the test-run marker. */
function isTestRunFile(path: string): boolean {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return false; // the run reports the problem
  }
  return text.split("\n", 3).some((line) => line.includes(SKIP_MARKER));
}

function readOptional(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function reason(e: unknown): string {
  return e instanceof Deno.errors.NotFound
    ? "No such file or directory"
    : e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
    ? "permission denied"
    : e instanceof Error
    ? e.message
    : String(e);
}

/** `-v`: the first line where two texts differ. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (lines: string[]) => (i < lines.length ? lines[i] : "<end of output>");
  return `First difference at line ${i + 1}:\n  expected: ${show(a)}\n  got:      ${show(b)}`;
}

/** Runs `ruff test [DIR] [--update] [-v]`; resolves to the exit status. */
export async function runSnapshotTests(opts: SnapshotOptions): Promise<number> {
  const { dir, update, verbose } = opts;
  const p = new Paint(opts.color);
  const ok = p.green("[✓]");
  const bad = p.red("[✗]");
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)]
      .filter((e) => e.name.endsWith(".ruff") && (e.isFile || e.isSymlink))
      .map((e) => e.name)
      .sort(compareCodePoints);
  } catch (e) {
    err(`Error: cannot read directory '${dir}': ${reason(e)}\n`);
    return 1;
  }
  const prefix = dir.endsWith("/") ? dir : dir + "/";
  let total = 0;
  let passed = 0;
  for (const name of names) {
    const path = prefix + name;
    if (isTestRunFile(path)) {
      if (verbose) out(`[-] ${path} (skipped: test-run file)\n`);
      continue;
    }
    total++;
    const snapshot = path.slice(0, -".ruff".length) + ".out";
    const t0 = performance.now();
    let r: Outcome;
    try {
      r = await runFile(path);
    } catch (e) {
      err(`Error: cannot start 'ruff run ${path}': ${reason(e)}\n`);
      return 1;
    }
    const ms = Math.floor(performance.now() - t0);
    const actual = actualOutput(r.stdout, r.stderr);
    let expectedText: string | null;
    try {
      expectedText = readOptional(snapshot);
    } catch (e) {
      out(`${bad} ${path}\nError: cannot read '${snapshot}': ${reason(e)}\n`);
      continue;
    }
    if (expectedText === null || update) {
      try {
        Deno.writeTextFileSync(snapshot, actual + "\n");
      } catch (e) {
        out(`${bad} ${path}\nError: cannot write '${snapshot}': ${reason(e)}\n`);
        continue;
      }
      passed++;
      out(`${ok} ${path} (${expectedText === null ? "new snapshot" : "updated"})\n`);
      continue;
    }
    const expected = clean(expectedText);
    if (expected === actual) {
      passed++;
      out(`${ok} ${path} (${ms}ms)\n`);
      continue;
    }
    let text = `${bad} ${path}\nExpected:\n${expected}\nGot:\n${actual}\n`;
    if (verbose) text += firstDifference(expected, actual) + "\n";
    out(text);
  }
  const mark = passed === total ? ok : p.red("[✓]");
  out(`${mark} Passed ${passed}/${total} tests\n`);
  return passed === total ? 0 : 1;
}
