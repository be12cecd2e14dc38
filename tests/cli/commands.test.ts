/**
 * The `ruff` command tree end to end, as subprocesses: exit codes, exact messages, help,
 * usage errors with suggestions, program arguments, JIT flags, the shared error format, colours
 * (only on a terminal, never with NO_COLOR), and the wiring of `repl`, `test` and `test-run`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { hasAnsi, ROOT, ruff, sh, tempDir, which } from "./_cli.ts";
import { version } from "../../lib/version.ts";
import { ruffCommand } from "../_command.ts";

const dir = tempDir({
  "args.ruff": "print(args())\n",
  "hello.ruff": 'print("hi")\n',
  "bad.ruff": "x := 1\ny := (1 + )\n",
  "boom.ruff": 'func f() {\n    throw("disk full")\n}\nf()\n',
  "exit3.ruff": 'print("bye")\nexit(3)\n',
  "tests.ruff": 'func add(a, b) { return a + b }\ntest "adds" { assert_equal(add(1, 2), 3) }\n',
});

Deno.test("cli: --version and -V", async () => {
  for (const flag of ["--version", "-V"]) {
    const r = await ruff([flag]);
    assert.deepEqual(r, { code: 0, stdout: `ruff ${version}\n`, stderr: "" });
  }
});

Deno.test("cli: --help lists every command; no arguments prints it to stderr with status 2", async () => {
  const r = await ruff(["--help"]);
  assert.equal(r.code, 0);
  for (const c of ["run", "check", "repl", "test", "test-run", "bench", "profile", "completions"]) {
    assert.match(r.stdout, new RegExp(`^  ${c} `, "m"));
  }
  assert.equal((await ruff(["-h"])).stdout, r.stdout);
  assert.equal((await ruff(["help"])).stdout, r.stdout);
  const none = await ruff([]);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, "");
  assert.equal(none.stderr, r.stdout);
});

Deno.test("cli: help COMMAND equals COMMAND --help", async () => {
  for (const c of ["run", "bench", "profile"]) {
    const a = await ruff(["help", c]);
    const b = await ruff([c, "--help"]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
    assert.ok(a.stdout.startsWith(`ruff ${c} — `), a.stdout);
    assert.ok(a.stdout.includes("--jit-threshold N"), a.stdout);
  }
  const r = await ruff(["help", "benhc"]);
  assert.deepEqual(r, {
    code: 2,
    stdout: "",
    stderr:
      "Error: unknown command 'benhc'\n  hint: did you mean 'bench'?\nRun 'ruff --help' for usage.\n",
  });
});

Deno.test("cli: unknown command or flag -> status 2 with a suggestion", async () => {
  assert.deepEqual(await ruff(["bnech"]), {
    code: 2,
    stdout: "",
    stderr:
      "Error: unknown command 'bnech'\n  hint: did you mean 'bench'?\nRun 'ruff --help' for usage.\n",
  });
  assert.deepEqual(await ruff(["run", "--jit-stat", "x.ruff"]), {
    code: 2,
    stdout: "",
    stderr: "Error: unknown option '--jit-stat' for 'run'\n" +
      "  hint: did you mean '--jit-stats'?\nRun 'ruff help run' for usage.\n",
  });
  assert.deepEqual(await ruff(["--verison"]), {
    code: 2,
    stdout: "",
    stderr:
      "Error: unknown option '--verison'\n  hint: did you mean '--version'?\nRun 'ruff --help' for usage.\n",
  });
  const b = await ruff(["bench", "--warmpu", "1"]);
  assert.equal(b.code, 2);
  assert.ok(b.stderr.includes("did you mean '--warmup'?"), b.stderr);
});

Deno.test("cli: missing FILE -> status 2", async () => {
  const cases = [["run"], ["check"], ["test-run"], ["profile"], ["--no-jit"]];
  const results = await Promise.all(cases.map((args) => ruff(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i].join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^Error: missing FILE/);
  });
});

Deno.test("cli: `ruff FILE` runs it; ARGS after FILE are the program's, dashes included", async () => {
  const a = await ruff([`${dir}args.ruff`, "a", "-b", "--no-jit", "--"]);
  assert.deepEqual(a, { code: 0, stdout: "[a, -b, --no-jit, --]\n", stderr: "" });
  const b = await ruff(["run", "--no-jit", `${dir}args.ruff`, "--help"]);
  assert.deepEqual(b, { code: 0, stdout: "[--help]\n", stderr: "" });
  const c = await ruff(["--interpreter", `${dir}hello.ruff`]);
  assert.deepEqual(c, { code: 0, stdout: "hi\n", stderr: "" });
});

Deno.test("cli: JIT flags are accepted on run; bad values are usage errors", async () => {
  const ok = await ruff([
    "run",
    "--no-jit",
    "--jit-threshold",
    "10",
    "--jit-backend=binaryen",
    `${dir}hello.ruff`,
  ]);
  assert.equal(ok.stdout, "hi\n");
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await ruff(["run", "--jit-threshold=abc", `${dir}hello.ruff`]);
  assert.deepEqual(bad, {
    code: 2,
    stdout: "",
    stderr: "Error: invalid value 'abc' for '--jit-threshold': expected a non-negative integer\n" +
      "Run 'ruff help run' for usage.\n",
  });
  const be = await ruff(["run", "--jit-backend", "wasm", `${dir}hello.ruff`]);
  assert.equal(be.code, 2);
  assert.match(be.stderr, /expected direct or binaryen/);
});

Deno.test("cli: check", async () => {
  const ok = await ruff(["check", `${dir}hello.ruff`]);
  assert.deepEqual(ok, { code: 0, stdout: `${dir}hello.ruff: OK\n`, stderr: "" });
  const bad = await ruff(["check", `${dir}bad.ruff`]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "");
  const lines = bad.stderr.split("\n");
  assert.match(lines[0], /^Syntax Error: /);
  assert.equal(lines[1], `  --> ${dir}bad.ruff:2:11`);
  assert.equal(lines[3], " 2 | y := (1 + )");
  assert.equal(lines[4], "   |           ^");
});

Deno.test("cli: errors share one format (location, source line, caret)", async () => {
  const rt = await ruff(["run", `${dir}boom.ruff`]);
  assert.equal(rt.code, 1);
  const lines = rt.stderr.split("\n");
  assert.equal(lines[0], "Runtime Error: disk full");
  assert.match(lines[1], new RegExp(`^  --> ${dir}boom\\.ruff:2:\\d+$`));
  assert.equal(lines[3], ' 2 |     throw("disk full")');
  assert.match(lines[4], /^ {3}\| +\^$/);
  const syn = await ruff(["run", `${dir}bad.ruff`]);
  assert.equal(syn.code, 1);
  assert.equal(syn.stderr, (await ruff(["check", `${dir}bad.ruff`])).stderr);
});

Deno.test("cli: exit(n), unreadable files and hints", async () => {
  assert.deepEqual(await ruff([`${dir}exit3.ruff`]), { code: 3, stdout: "bye\n", stderr: "" });
  assert.deepEqual(await ruff(["run", `${dir}nope.ruff`]), {
    code: 1,
    stdout: "",
    stderr: `Error: cannot read '${dir}nope.ruff': No such file or directory\n`,
  });
  assert.deepEqual(await ruff(["run", `${dir}hello`]), {
    code: 1,
    stdout: "",
    stderr: `Error: cannot read '${dir}hello': No such file or directory\n` +
      `  hint: did you mean '${dir}hello.ruff'?\n`,
  });
});

Deno.test("cli: --dump-bytecode, as a run flag and before FILE", async () => {
  const a = await ruff(["run", "--dump-bytecode", `${dir}hello.ruff`]);
  assert.equal(a.code, 0, a.stderr);
  assert.ok(a.stdout.length > 0 && !a.stdout.includes("hi\n"), a.stdout);
  const b = await ruff(["--dump-bytecode", `${dir}hello.ruff`]);
  assert.equal(b.stdout, a.stdout);
});

Deno.test("cli: no colours on pipes, or with NO_COLOR", async () => {
  const envs: Record<string, string>[] = [{}, { NO_COLOR: "1" }];
  const runs = envs.flatMap((env) =>
    [["bnech"], ["check", `${dir}bad.ruff`], ["run", `${dir}boom.ruff`]].map((args) =>
      ruff(args, { env })
    )
  );
  for (const r of await Promise.all(runs)) {
    assert.ok(r.code !== 0 && r.stderr !== "", JSON.stringify(r));
    assert.ok(!hasAnsi(r.stderr) && !hasAnsi(r.stdout), JSON.stringify(r));
  }
});

const script = which("script");

Deno.test({
  name: "cli: colours on a terminal unless NO_COLOR is set (util-linux script)",
  ignore: script === null,
  async fn() {
    const deno = Deno.execPath();
    const onTty = async (args: string, env: Record<string, string>) =>
      await sh("script", ["-qec", `${deno} run -A ${ROOT}cli.ts ${args}`, "/dev/null"], { env });
    const c = await onTty(`check ${dir}bad.ruff`, { NO_COLOR: "" });
    assert.equal(c.code, 1);
    assert.ok(hasAnsi(c.stdout), JSON.stringify(c.stdout));
    const n = await onTty(`check ${dir}bad.ruff`, { NO_COLOR: "1" });
    assert.equal(n.code, 1);
    assert.ok(n.stdout.includes("Syntax Error: "), n.stdout);
    assert.ok(!hasAnsi(n.stdout), JSON.stringify(n.stdout));
    const u = await onTty("bnech", { NO_COLOR: "" });
    assert.equal(u.code, 2);
    assert.ok(hasAnsi(u.stdout), JSON.stringify(u.stdout));
    const h = await onTty("--help", { NO_COLOR: "1" });
    assert.ok(!hasAnsi(h.stdout), JSON.stringify(h.stdout));
  },
});

Deno.test("cli: test-run, test and repl are wired in", async () => {
  const t = await ruff(["test-run", `${dir}tests.ruff`, "-v"]);
  assert.equal(t.code, 0, t.stdout + t.stderr);
  assert.ok(t.stdout.includes("adds"), t.stdout);
  const snap = tempDir({ "a.ruff": 'print("snap")\n', "a.out": "snap\n" });
  const s = await ruff(["test", snap, "--verbose"]);
  assert.equal(s.code, 0, s.stdout + s.stderr);
  assert.ok(s.stdout.includes("a.ruff"), s.stdout);
  const r = await ruff(["repl"], { stdin: "print(40 + 2)\n" });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes("42"), r.stdout);
  const x = await ruff(["repl", "extra"]);
  assert.equal(x.code, 2);
});

Deno.test("cli: a reader that stops early ends the program quietly with status 141", async () => {
  const d = tempDir({ "many.ruff": "for i in 1000000 { print(i) }\n" });
  const command = ruffCommand();
  const child = new Deno.Command(command.cmd, {
    args: [...command.args, "run", `${d}many.ruff`],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = await reader.read();
  assert.equal(new TextDecoder().decode(first.value).startsWith("0\n"), true);
  await reader.cancel();
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  assert.equal(status.code, 141);
  assert.equal(stderr, "");
});
