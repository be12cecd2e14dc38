/**
 * `ruff bench`: warm-up and measured runs of tiny programs, the table, `--json`, failures and
 * the default directory `examples/benchmarks`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ruff, tempDir } from "./_cli.ts";
import { stats } from "../../lib/cli/bench.ts";

const dir = tempDir({
  "b_loop.ruff": "t := 0\nfor i in range(300) { t += i }\nprint(t)\n",
  "a_fib.ruff": "func fib(n) { if n < 2 { return n }\n return fib(n - 1) + fib(n - 2) }\n" +
    "print(fib(8))\n",
  "notes.txt": "not a benchmark",
});
const failing = tempDir({
  "ok.ruff": 'print("fine")\n',
  "throws.ruff": 'throw("nope")\n',
  "exits.ruff": "exit(4)\n",
  "syntax.ruff": "x := (\n",
});

Deno.test("bench: statistics", () => {
  assert.deepEqual(stats([3, 1, 2]), { mean: 2, median: 2, min: 1, max: 3, stddev: 1 });
  const s = stats([1, 2, 3, 4]);
  assert.equal(s.median, 2.5);
  assert.ok(Math.abs(s.stddev - Math.sqrt(5 / 3)) < 1e-12);
  assert.equal(stats([5]).stddev, 0);
});

Deno.test("bench: --json lists every program in name order with its statistics", async () => {
  const r = await ruff(["bench", dir, "-i", "3", "-w", "1", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const res = JSON.parse(r.stdout);
  assert.ok(Array.isArray(res));
  assert.deepEqual(res.map((x: { name: string }) => x.name), ["a_fib.ruff", "b_loop.ruff"]);
  for (const x of res) {
    assert.equal(x.ok, true);
    assert.equal(x.runs, 3);
    assert.equal(x.warmup, 1);
    assert.equal(x.unit, "ms");
    assert.equal(x.jit, true); // on by default
    assert.equal(x.times.length, 3);
    for (const k of ["mean", "median", "min", "max", "stddev"]) {
      assert.equal(typeof x[k], "number", k);
      assert.ok(x[k] >= 0, k);
    }
    assert.ok(x.min <= x.median && x.median <= x.max && x.min <= x.mean && x.mean <= x.max);
  }
  const off = JSON.parse(
    (await ruff(["bench", `${dir}a_fib.ruff`, "-i1", "-w0", "--json", "--no-jit"])).stdout,
  );
  assert.equal(off.length, 1);
  assert.equal(off[0].jit, false);
  assert.equal(off[0].file, `${dir}a_fib.ruff`);
});

Deno.test("bench: the table (program output suppressed)", async () => {
  const r = await ruff(["bench", dir, "--iterations", "2", "--warmup", "0"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.equal(
    lines[0],
    `ruff bench: 2 programs from ${dir}, 0 warm-up + 2 measured runs each, JIT on; times in ms`,
  );
  assert.match(lines[2], /^benchmark +runs +mean +median +min +max +stddev$/);
  assert.match(lines[3], /^a_fib\.ruff +2( +\d+\.\d\d){5}$/);
  assert.match(lines[4], /^b_loop\.ruff +2( +\d+\.\d\d){5}$/);
  assert.ok(!r.stdout.includes("44850"), "the program's own output is suppressed");
});

Deno.test("bench: failing programs are reported and make the status 1", async () => {
  const r = await ruff(["bench", failing, "-i", "1", "-w", "0", "--json"]);
  assert.equal(r.code, 1);
  const res = JSON.parse(r.stdout) as { name: string; ok: boolean; exitCode?: number }[];
  assert.deepEqual(
    res.map((x) => [x.name, x.ok, x.exitCode]),
    [["exits.ruff", false, 4], ["ok.ruff", true, undefined], ["syntax.ruff", false, 1], [
      "throws.ruff",
      false,
      1,
    ]],
  );
  assert.ok(r.stderr.includes(`Error: benchmark '${failing}throws.ruff' failed (exit status 1)`));
  assert.ok(r.stderr.includes("Runtime Error: nope"), r.stderr);
  assert.ok(r.stderr.includes("Syntax Error: "), r.stderr);
  const t = await ruff(["bench", failing, "-i", "1", "-w", "0"]);
  assert.equal(t.code, 1);
  assert.match(t.stdout, /^throws\.ruff +FAILED$/m);
  assert.ok(t.stdout.endsWith("\n3 of 4 benchmarks failed\n"), t.stdout);
});

Deno.test("bench: missing path is an error; bad counts are usage errors", async () => {
  const r = await ruff(["bench", `${dir}nothing`]);
  assert.deepEqual(r, {
    code: 1,
    stdout: "",
    stderr: `Error: cannot read '${dir}nothing': No such file or directory\n`,
  });
  assert.equal((await ruff(["bench", dir, "-i", "0"])).code, 2);
  assert.equal((await ruff(["bench", dir, "-w", "x"])).code, 2);
});

Deno.test("bench: the default PATH is examples/benchmarks", async () => {
  const r = await ruff(["bench", "-i", "1", "-w", "0", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { file: string; ok: boolean }[];
  assert.ok(res.length >= 2, r.stdout);
  for (const x of res) {
    assert.ok(x.file.startsWith("examples/benchmarks/"), x.file);
    assert.equal(x.ok, true);
  }
});
