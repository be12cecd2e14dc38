/**
 * Shared helpers for the spec and example tests: run `cli.ts` as a subprocess (with a small
 * concurrency limit so that many cases can be in flight at once) and compare results.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ruffCommand } from "../_command.ts";

/** Absolute path of the repository root (the directory holding `cli.ts`). */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** What one CLI run produced. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Wall-clock limit for one CLI run; a hung run is killed and reported as a failure. */
const TIMEOUT_MS = 60_000;

const LIMIT = Math.max(2, Math.min(8, navigator.hardwareConcurrency ?? 4));
let active = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  while (active >= LIMIT) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await fn();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

/**
 * Runs `ruff ARGS…` (`deno run -A cli.ts`, or `RUFF_TEST_CLI`: tests/_command.ts) with cwd = repository root and no stdin. Never rejects: a spawn
 * failure or timeout is reported as exit code -1 with an explanation in `stderr`.
 */
export function runCli(args: string[]): Promise<CliOutcome> {
  return withSlot(async () => {
    try {
      const ruff = ruffCommand();
      const out = await new Deno.Command(ruff.cmd, {
        args: [...ruff.args, ...args],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }).output();
      const dec = new TextDecoder();
      return {
        code: out.signal ? -1 : out.code,
        stdout: dec.decode(out.stdout),
        stderr: dec.decode(out.stderr) + (out.signal ? `\n[killed by ${out.signal}]` : ""),
      };
    } catch (err) {
      return { code: -1, stdout: "", stderr: `[could not run cli.ts: ${err}]` };
    }
  });
}

/**
 * Starts runs ahead of time so that several subprocesses overlap while the (sequential) Deno tests
 * consume their results in order. `get(i)` starts run `i` and the next few, then returns run `i`.
 */
export class Prefetcher {
  #started = new Map<number, Promise<CliOutcome>>();
  constructor(private readonly argsOf: (i: number) => string[], private readonly count: number) {}

  get(i: number): Promise<CliOutcome> {
    for (let j = i; j < Math.min(this.count, i + LIMIT * 2); j++) {
      if (!this.#started.has(j)) this.#started.set(j, runCli(this.argsOf(j)));
    }
    return this.#started.get(i)!;
  }
}

/** Reads a text file, or returns `undefined` when it does not exist. */
export function readOptional(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

function show(label: string, text: string): string {
  return `--- ${label} ---\n${text}${
    text.endsWith("\n") || text === "" ? "" : "\n[no final newline]\n"
  }`;
}

/** Asserts the exit code and the exact stdout; failure messages include stderr. */
export function assertRun(res: CliOutcome, expectedStdout: string, expectedCode: number): void {
  if (res.stdout !== expectedStdout || res.code !== expectedCode) {
    assert.fail(
      [
        `exit code ${res.code} (expected ${expectedCode})` +
        (res.stdout === expectedStdout ? "; stdout matches" : "; stdout differs"),
        show("expected stdout", expectedStdout),
        show("actual stdout", res.stdout),
        show("stderr", res.stderr),
      ].join("\n"),
    );
  }
}

/**
 * Asserts that every non-empty line of `expected` occurs in `stderr`, in order (each line is a
 * substring of the remaining stderr text). A one-line expectation is a plain substring check.
 */
export function assertStderrHas(stderr: string, expected: string): void {
  let pos = 0;
  for (const line of expected.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const at = stderr.indexOf(line, pos);
    if (at < 0) {
      assert.fail(`stderr lacks ${JSON.stringify(line)} (in order)\n${show("stderr", stderr)}`);
    }
    pos = at + line.length;
  }
}
