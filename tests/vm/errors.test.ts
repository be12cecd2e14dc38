/**
 * Runtime and syntax error reporting through the `ruff` CLI (cli.ts) as a subprocess
 * (LANGUAGE.md §11.5, §2.8, §17).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dec = new TextDecoder();

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const r = { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  assertNoJsTrace(r);
  return r;
}

function assertNoJsTrace(r: CliResult) {
  for (const text of [r.stderr, r.stdout]) {
    assert.ok(!text.includes("at file://"), `JS stack trace in output:\n${text}`);
    assert.ok(!/\.ts:\d/.test(text), `TS location in output:\n${text}`);
    assert.ok(!text.includes("Internal error"), `internal error:\n${text}`);
  }
  assert.notEqual(r.code, 70, `internal error exit:\n${r.stderr}`);
}

let dir = "";
async function tmpFile(name: string, source: string): Promise<string> {
  if (!dir) dir = await Deno.makeTempDir({ prefix: "ruff_vm_errors_" });
  const p = join(dir, name);
  await Deno.writeTextFile(p, source);
  return p;
}

Deno.test("§11.5 example: uncaught throw inside nested calls", async () => {
  const src = 'func inner() {\n    throw("disk full")\n}\nfunc outer() { inner() }\nouter()\n';
  const file = await tmpFile("app.ruff", src);
  const r = await cli(file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const lines = r.stderr.split("\n");
  assert.equal(lines[0], "Runtime Error: disk full");
  assert.equal(lines[1], `  --> ${file}:2:5`);
  // The source excerpt: the line itself, then a caret under column 5.
  const srcIdx = lines.findIndex((l) => l.endsWith('|     throw("disk full")'));
  assert.ok(srcIdx > 1, r.stderr);
  const caretLine = lines[srcIdx + 1];
  const bar = caretLine.indexOf("|");
  assert.ok(bar >= 0, r.stderr);
  assert.equal(caretLine.slice(bar + 2), "    ^");
  // Then the call stack, innermost first.
  const cs = lines.indexOf("Call stack:");
  assert.ok(cs > srcIdx, r.stderr);
  assert.equal(lines[cs - 1], "");
  assert.equal(lines[cs + 1], "  0 at inner");
  assert.equal(lines[cs + 2], "  1 at outer");
  assert.ok(r.stderr.endsWith("  1 at outer\n"), JSON.stringify(r.stderr));
});

Deno.test("output printed before the error stays on stdout; no call stack at top level", async () => {
  const file = await tmpFile("top.ruff", 'print("before")\nx := 1 / 0\nprint("after")\n');
  const r = await cli(file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "before\n");
  assert.match(r.stderr, /^Runtime Error: .+\n {2}--> .*top\.ruff:2:\d+\n/);
  assert.ok(!r.stderr.includes("Call stack:"), r.stderr);
});

Deno.test("a struct thrown with a cause field gives a Caused by: line", async () => {
  const file = await tmpFile(
    "cause.ruff",
    'struct DbError { message: String, cause: String }\nfunc query() {\n  throw(DbError { message: "query failed", cause: "timeout" })\n}\nquery()\n',
  );
  const r = await cli(file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const lines = r.stderr.split("\n");
  assert.equal(lines[0], "Runtime Error: query failed");
  assert.equal(lines[1], `  --> ${file}:3:3`);
  assert.ok(lines.includes("Caused by: timeout"), r.stderr);
  assert.ok(lines.indexOf("Caused by: timeout") < lines.indexOf("Call stack:"), r.stderr);
  assert.ok(lines.includes("  0 at query"), r.stderr);
});

Deno.test("a caught error does not reach stderr", async () => {
  const file = await tmpFile(
    "caught.ruff",
    'try { throw("x") } except e { print("caught ${e.message}") }\n',
  );
  const r = await cli(file);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "caught x\n");
  assert.equal(r.stderr, "");
});

Deno.test("syntax error: reported with location, exit 1, nothing runs", async () => {
  const file = await tmpFile("syn.ruff", 'print("should not run")\nx := (1 + )\n');
  const r = await cli(file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const lines = r.stderr.split("\n");
  assert.match(lines[0], /^Syntax Error: .+/);
  assert.match(lines[1], new RegExp(`^ {2}--> ${escapeRe(file)}:2:\\d+$`));
  assert.ok(r.stderr.includes("x := (1 + )"), r.stderr);
});

Deno.test("syntax error on a long line: the excerpt is the stretch around the column", async () => {
  // 300 terms, then the error: the line is about 1200 characters long.
  const line = "z := " + "11 + ".repeat(300) + " * 3";
  const file = await tmpFile("long.ruff", `${line}\n`);
  const r = await cli(file);
  assert.equal(r.code, 1);
  const lines = r.stderr.split("\n");
  const col = Number(/:1:(\d+)$/.exec(lines[1])![1]);
  assert.equal(Array.from(line)[col - 1], "*");
  const shown = lines[3].slice(lines[3].indexOf("| ") + 2);
  const caret = lines[4].slice(lines[4].indexOf("| ") + 2);
  assert.ok(shown.startsWith("…") && Array.from(shown).length <= 102, shown);
  // The caret stands under the '*' of the excerpt.
  assert.equal(Array.from(shown)[caret.indexOf("^")], "*", `${shown}\n${caret}`);
});

Deno.test("check on a file with a syntax error: exit 1", async () => {
  const file = await tmpFile("syn2.ruff", "func f( {\n");
  const r = await cli("check", file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Syntax Error: /);
  assert.ok(r.stderr.includes(`--> ${file}:1:`), r.stderr);
});

Deno.test("missing file: exit 1 and Error: cannot read", async () => {
  const r = await cli(join(ROOT, "definitely_missing_file_xyz.ruff"));
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Error: cannot read '.*definitely_missing_file_xyz\.ruff'/);
});

Deno.test("unknown CLI flags: exit 2", async () => {
  const file = await tmpFile("ok.ruff", 'print("ok")\n');
  for (const args of [["--bogus", file], ["run", "--bogus", file]]) {
    const r = await cli(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stdout, "");
    assert.ok(r.stderr.includes("--bogus"), r.stderr);
  }
});

Deno.test("--version prints ruff 0.9.0", async () => {
  const r = await cli("--version");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "ruff 0.9.0\n");
});

Deno.test("check FILE on a valid program: FILE: OK, exit 0, nothing runs", async () => {
  const file = await tmpFile("checked.ruff", 'print("ran")\nthrow("boom")\n');
  const r = await cli("check", file);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${file}: OK\n`);
  assert.equal(r.stderr, "");
});

Deno.test("exit(3) ends the program with exit code 3", async () => {
  const file = await tmpFile("exit.ruff", 'print("a")\nexit(3)\nprint("b")\n');
  const r = await cli(file);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, "a\n");
  assert.equal(r.stderr, "");
});

Deno.test("run FILE ARGS: args() and a clean exit 0", async () => {
  const file = await tmpFile("args.ruff", "print(args())\n");
  const r = await cli("run", file, "one", "two");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "[one, two]\n");
});

Deno.test("various runtime errors never leak JS stack traces", async () => {
  const programs = [
    "x := [1, 2, 3]\nprint(x[10])\n",
    'd := {"a": 1}\nprint(d.nope.deeper)\n',
    "print(undefined_name)\n",
    "func f(a) { return a }\nf(1, 2, 3)\n",
    "x := 9223372036854775807\ny := x + 1\n",
    "print(1 % 0)\n",
    "func f(n) { return f(n + 1) }\nf(0)\n",
    "struct P { x: Int }\np := P { x: 1 }\np.nope()\n",
    "null()\n",
    'read_file("/definitely/not/here.txt")\n',
  ];
  let i = 0;
  for (const src of programs) {
    const file = await tmpFile(`leak${i++}.ruff`, src);
    const r = await cli(file);
    assert.equal(r.code, 1, `${src}\n${r.stderr}`);
    assert.match(r.stderr, /^Runtime Error: /, src);
  }
});

Deno.test({
  name: "cleanup temp dir",
  fn: async () => {
    if (dir) await Deno.remove(dir, { recursive: true });
  },
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
