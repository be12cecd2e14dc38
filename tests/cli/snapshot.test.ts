/**
 * `ruff test [DIR] [--update] [-v]` (LANGUAGE.md §17.4), end to end through a subprocess, on a
 * copy of `fixtures/snapshots/` (the runner writes `.out` files).
 */

import assert from "node:assert/strict";
import { maskTimes, ROOT, ruff } from "./_runner_helpers.ts";

const FIXTURES = `${ROOT}tests/cli/fixtures/snapshots`;

function copyDir(from: string, to: string) {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

/** A temporary directory holding `snapshots/`, a copy of the fixtures. */
function workspace(): string {
  const tmp = Deno.makeTempDirSync({ prefix: "ruff_snapshots_" });
  copyDir(FIXTURES, `${tmp}/snapshots`);
  return tmp;
}

async function snapshotRun(cwd: string, args: string[]) {
  const r = await ruff(["test", ...args], cwd);
  return { ...r, stdout: maskTimes(r.stdout) };
}

const MISMATCH = [
  "[✗] snapshots/b_math.ruff",
  "Expected:",
  "2",
  "3.5",
  "Got:",
  "2",
  "2",
];

Deno.test("test: match, mismatch, runtime error output, skip marker, new snapshot", async () => {
  const tmp = workspace();
  try {
    const r = await snapshotRun(tmp, ["snapshots"]);
    assert.equal(
      r.stdout,
      [
        "[✓] snapshots/a_hello.ruff (Nms)",
        ...MISMATCH,
        "[✓] snapshots/c_raises.ruff (Nms)",
        "[✓] snapshots/e_fresh.ruff (new snapshot)",
        "[✓] Passed 3/4 tests",
        "",
      ].join("\n"),
    );
    assert.equal(r.stderr, "");
    assert.equal(r.code, 1);
    assert.equal(
      Deno.readTextFileSync(`${tmp}/snapshots/e_fresh.out`),
      "line 0\nline 1\nline 2\n",
    );
    assert.throws(() => Deno.statSync(`${tmp}/snapshots/d_blocks.out`));
    assert.throws(() => Deno.statSync(`${tmp}/snapshots/nested/ignored.out`));

    // The new snapshot now matches.
    const again = await snapshotRun(tmp, ["snapshots"]);
    assert.match(again.stdout, /^\[✓\] snapshots\/e_fresh\.ruff \(Nms\)$/m);
    assert.equal(again.code, 1);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("test: the actual output is what `ruff run` prints (stdout, then stderr)", async () => {
  const tmp = workspace();
  try {
    const run = await ruff(["run", "snapshots/c_raises.ruff"], tmp);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Runtime Error: Index out of bounds: 5\n/);
    const expected = Deno.readTextFileSync(`${tmp}/snapshots/c_raises.out`).trim();
    assert.equal(`${run.stdout.trim()}\n${run.stderr.trim()}`, expected);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("test: -v lists skipped files and the first difference", async () => {
  const tmp = workspace();
  try {
    const r = await snapshotRun(tmp, ["snapshots", "-v"]);
    assert.equal(
      r.stdout,
      [
        "[✓] snapshots/a_hello.ruff (Nms)",
        ...MISMATCH,
        "First difference at line 2:",
        "  expected: 3.5",
        "  got:      2",
        "[✓] snapshots/c_raises.ruff (Nms)",
        "[-] snapshots/d_blocks.ruff (skipped: test-run file)",
        "[✓] snapshots/e_fresh.ruff (new snapshot)",
        "[✓] Passed 3/4 tests",
        "",
      ].join("\n"),
    );
    assert.equal(r.code, 1);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("test: --update rewrites every snapshot", async () => {
  const tmp = workspace();
  try {
    const r = await snapshotRun(tmp, ["snapshots", "--update"]);
    assert.equal(
      r.stdout,
      [
        "[✓] snapshots/a_hello.ruff (updated)",
        "[✓] snapshots/b_math.ruff (updated)",
        "[✓] snapshots/c_raises.ruff (updated)",
        "[✓] snapshots/e_fresh.ruff (new snapshot)",
        "[✓] Passed 4/4 tests",
        "",
      ].join("\n"),
    );
    assert.equal(r.code, 0);
    assert.equal(Deno.readTextFileSync(`${tmp}/snapshots/b_math.out`), "2\n2\n");
    const after = await snapshotRun(tmp, ["snapshots"]);
    assert.equal(
      after.stdout,
      [
        "[✓] snapshots/a_hello.ruff (Nms)",
        "[✓] snapshots/b_math.ruff (Nms)",
        "[✓] snapshots/c_raises.ruff (Nms)",
        "[✓] snapshots/e_fresh.ruff (Nms)",
        "[✓] Passed 4/4 tests",
        "",
      ].join("\n"),
    );
    assert.equal(after.code, 0);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("test: DIR defaults to tests; an empty directory passes", async () => {
  const tmp = Deno.makeTempDirSync({ prefix: "ruff_snapshots_" });
  try {
    Deno.mkdirSync(`${tmp}/tests`);
    const empty = await snapshotRun(tmp, []);
    assert.equal(empty.stdout, "[✓] Passed 0/0 tests\n");
    assert.equal(empty.code, 0);
    Deno.writeTextFileSync(`${tmp}/tests/one.ruff`, 'print("one")\n');
    Deno.writeTextFileSync(`${tmp}/tests/one.out`, "\n  one  \n\n");
    const r = await snapshotRun(tmp, []);
    assert.equal(r.stdout, "[✓] tests/one.ruff (Nms)\n[✓] Passed 1/1 tests\n");
    assert.equal(r.code, 0);
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("test: a missing directory", async () => {
  const r = await snapshotRun(ROOT, ["tests/cli/fixtures/no_such_dir"]);
  assert.equal(
    r.stderr,
    "Error: cannot read directory 'tests/cli/fixtures/no_such_dir': No such file or directory\n",
  );
  assert.equal(r.stdout, "");
  assert.equal(r.code, 1);
});
