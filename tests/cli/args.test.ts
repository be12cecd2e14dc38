/**
 * The command-line parser and the generated help, in-process: spec-driven parsing of every
 * command, typo suggestions, JIT flags, and help text derived from the spec.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  closest,
  editDistance,
  jitFromFlags,
  parseCommand,
  scanPassThrough,
  UsageError,
} from "../../lib/cli/args.ts";
import { commandHelp, mainHelp, usageLine } from "../../lib/cli/help.ts";
import { COMMANDS, findCommand, flagsOf, JIT_FLAGS } from "../../lib/cli/spec.ts";

const cmd = (name: string) => findCommand(name)!;

async function usageError(p: Promise<unknown> | (() => unknown)): Promise<UsageError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e;
  }
  assert.fail("expected a UsageError");
}

Deno.test("args: edit distance counts a transposition as one edit", () => {
  assert.equal(editDistance("bench", "bench"), 0);
  assert.equal(editDistance("bnech", "bench"), 1);
  assert.equal(editDistance("--jit-stat", "--jit-stats"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

Deno.test("args: suggestions only for plausible typos", () => {
  assert.equal(closest("--jit-stat", ["--jit-stats", "--jit-dump"]), "--jit-stats");
  assert.equal(closest("--jitstats", ["--jit-stats", "--jit-dump"]), "--jit-stats");
  assert.equal(closest("tset", ["test", "test-run"]), "test");
  assert.equal(closest("completion", ["completions", "check"]), "completions");
  assert.equal(closest("xyzzy", ["run", "check", "bench"]), null);
  assert.equal(closest("prof", ["profile", "run"]), "profile"); // a prefix
});

Deno.test("args: run stops at FILE; everything after it is the program's", () => {
  const p = scanPassThrough(cmd("run"), [
    "--no-jit",
    "--jit-threshold",
    "5",
    "prog.ruff",
    "--no-jit",
    "-v",
    "--",
    "x",
  ]);
  assert.deepEqual(p.positionals, ["prog.ruff"]);
  assert.deepEqual(p.rest, ["--no-jit", "-v", "--", "x"]);
  assert.deepEqual(p.values, { "no-jit": true, "jit-threshold": "5" });
  const q = scanPassThrough(cmd("run"), ["--", "-weird-name.ruff", "a"]);
  assert.deepEqual(q.positionals, ["-weird-name.ruff"]);
  assert.deepEqual(q.rest, ["a"]);
});

Deno.test("args: profile takes its own flags after FILE too, until --", () => {
  const p = scanPassThrough(cmd("profile"), [
    "--cpu",
    "app.ruff",
    "in.txt",
    "--flamegraph",
    "out.svg",
    "--memory",
    "--",
    "--cpu",
  ]);
  assert.deepEqual(p.positionals, ["app.ruff"]);
  assert.deepEqual(p.rest, ["in.txt", "--cpu"]);
  assert.deepEqual(p.values, { cpu: true, flamegraph: "out.svg", memory: true });
  const q = scanPassThrough(cmd("profile"), ["app.ruff", "--flamegraph=f.txt", "--no-jit"]);
  assert.equal(q.values.flamegraph, "f.txt");
  assert.deepEqual(q.rest, ["--no-jit"]); // JIT flags go before FILE
});

Deno.test("args: JIT flag forms and values", async () => {
  const run = cmd("run");
  const p = scanPassThrough(run, [
    "--jit-threshold=0",
    "--jit-backend",
    "binaryen",
    "--jit-stats",
    "--jit-dump",
    "f.ruff",
  ]);
  assert.deepEqual(jitFromFlags(p.values, {}), {
    threshold: 0,
    backend: "binaryen",
    stats: true,
    dump: true,
  });
  const off = scanPassThrough(run, ["--no-jit", "f.ruff"]);
  assert.deepEqual(jitFromFlags(off.values, { threshold: 7, enabled: true }), {
    threshold: 7,
    enabled: false,
  });
  // defaults (the environment's) stay unless a flag overrides them
  assert.deepEqual(jitFromFlags({}, { backend: "binaryen" }), { backend: "binaryen" });
  for (
    const bad of [["--jit-threshold=-1"], ["--jit-threshold", "1.5"], ["--jit-threshold=x"], [
      "--jit-backend=llvm",
    ]]
  ) {
    const e = await usageError(() => scanPassThrough(run, [...bad, "f.ruff"]));
    assert.match(e.message, /^invalid value/);
  }
  const e = await usageError(() => scanPassThrough(run, ["--jit-backend=binaryn", "f.ruff"]));
  assert.equal(e.hint, "did you mean 'binaryen'?");
  // bench accepts the same flags through parseArgs
  const b = await parseCommand(cmd("bench"), ["--no-jit", "--jit-threshold", "3", "dir"]);
  assert.deepEqual(jitFromFlags(b.values, {}), { enabled: false, threshold: 3 });
});

Deno.test("args: unknown flags are usage errors with a suggestion", async () => {
  let e = await usageError(() => scanPassThrough(cmd("run"), ["--jit-stat", "f.ruff"]));
  assert.equal(e.message, "unknown option '--jit-stat' for 'run'");
  assert.equal(e.hint, "did you mean '--jit-stats'?");
  assert.equal(e.command, "run");
  e = await usageError(parseCommand(cmd("bench"), ["--itrations", "3"]));
  assert.equal(e.hint, "did you mean '--iterations'?");
  e = await usageError(parseCommand(cmd("test"), ["-verbose"]));
  assert.equal(e.hint, "did you mean '--verbose'?");
  e = await usageError(parseCommand(cmd("bench"), ["-q"]));
  assert.equal(e.hint, null); // one-letter flags get no guess
  e = await usageError(parseCommand(cmd("bench"), ["--json=yes"]));
  assert.equal(e.message, "option '--json' takes no value");
});

Deno.test("args: positionals are counted and checked", async () => {
  let e = await usageError(() => scanPassThrough(cmd("run"), ["--no-jit"]));
  assert.equal(e.message, "missing FILE for 'run'");
  e = await usageError(parseCommand(cmd("check"), []));
  assert.equal(e.message, "missing FILE for 'check'");
  e = await usageError(parseCommand(cmd("check"), ["a.ruff", "b.ruff"]));
  assert.equal(e.message, "unexpected argument 'b.ruff' for 'check'");
  e = await usageError(parseCommand(cmd("completions"), ["fihs"]));
  assert.equal(e.hint, "did you mean 'fish'?");
  e = await usageError(parseCommand(cmd("repl"), ["x"]));
  assert.equal(e.message, "unexpected argument 'x' for 'repl'");
  const t = await parseCommand(cmd("test"), ["-v", "--update", "snap"]);
  assert.deepEqual(t, { values: { verbose: true, update: true }, positionals: ["snap"], rest: [] });
  const b = await parseCommand(cmd("bench"), ["-i", "3", "-w0", "--json"]);
  assert.deepEqual(b.values, { iterations: "3", warmup: "0", json: true });
  e = await usageError(parseCommand(cmd("bench"), ["-i", "0"]));
  assert.match(e.message, /positive integer/);
  e = await usageError(parseCommand(cmd("bench"), ["-i"]));
  assert.equal(e.message, "option '-i' needs a value N");
});

Deno.test("args: --help is accepted by every command", async () => {
  for (const c of COMMANDS) {
    const p = await parseCommand(c, ["--help"]);
    assert.equal(p.values.help, true, c.name);
  }
});

Deno.test("help: generated from the spec — every command and every flag appears", () => {
  const main = mainHelp();
  for (const c of COMMANDS) {
    assert.ok(main.includes(`  ${c.name} `), `main help lists ${c.name}`);
    const h = commandHelp(c);
    assert.ok(h.includes(usageLine(c)), `${c.name}: usage line`);
    for (const f of flagsOf(c)) assert.ok(h.includes(`--${f.long}`), `${c.name}: --${f.long}`);
  }
  for (const f of JIT_FLAGS) {
    for (const name of ["run", "bench", "profile"]) {
      assert.ok(commandHelp(cmd(name)).includes(`--${f.long}`), `${name} --${f.long}`);
    }
  }
  assert.equal(usageLine(cmd("bench")), "ruff bench [OPTIONS] [PATH]");
  assert.equal(usageLine(cmd("run")), "ruff run [OPTIONS] FILE [ARGS...]");
  assert.equal(usageLine(cmd("repl")), "ruff repl");
  assert.ok(!mainHelp().includes("\x1b["));
  assert.ok(mainHelp(true).includes("\x1b["));
});
