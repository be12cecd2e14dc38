/**
 * `ruff repl` (LANGUAGE.md §17.3): the continuation rule and the incremental evaluation API
 * in-process, piped stdin through a subprocess, and interactive sessions typed into a real
 * pseudo-terminal with tmux (skipped, with a message, when tmux is not installed).
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { CONTINUATION, isIncomplete, PROMPT } from "../../lib/cli/repl.ts";
import { ChunkScope, evalChunk, Session } from "../../lib/runner.ts";
import { RuffSyntaxError } from "../../lib/errors.ts";
import { repr } from "../../lib/values.ts";
import { version } from "../../lib/version.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENO = Deno.execPath();

/** How to start the REPL (run from the repository root). */
const REPL_ARGS = ["run", "-A", "cli.ts", "repl"];

const BANNER = `Ruff ${version} REPL — type :help for commands`;

// ───────────── in-process ─────────────

Deno.test("repl: continuation while brackets are open, decided with the lexer", () => {
  const more = [
    "func f() {",
    "xs := [1,\n2,",
    "print((1 + 2)",
    "/* a block comment",
    'x := "abc', // a string starting on the last line is unterminated
    'if true {\n  print("}")',
  ];
  const done = [
    "",
    "x := 1",
    "func f() { return 1 }",
    'print("{")',
    'print("${[1, 2]}")',
    "# (",
    "// [",
    "/* { */ 5",
    'x := "abc\ndef"', // the string on line 1 can no longer be completed
    ")", // a closer that matches nothing: the parser reports it
    "func f() {\n  y := @\n", // any other lexical error: report it
  ];
  for (const s of more) assert.equal(isIncomplete(s), true, JSON.stringify(s));
  for (const s of done) assert.equal(isIncomplete(s), false, JSON.stringify(s));
  assert.equal(PROMPT, "ruff> ");
  assert.equal(CONTINUATION, "....> ");
});

Deno.test("repl: evalChunk shares one global scope between chunks", async () => {
  let out = "";
  const session = new Session({ stdout: (t) => (out += t), stderr: (t) => (out += t) });
  const scope = new ChunkScope(session);
  const run = async (src: string) => {
    const r = await evalChunk(session, scope, src);
    return r.error ? `error: ${r.error.message}` : r.expression ? repr(r.value) : "(statement)";
  };
  assert.equal(await run('names := ["Ann", "Bo"]'), "(statement)");
  assert.equal(await run("names"), '["Ann", "Bo"]');
  assert.equal(await run("print(1)"), "null");
  assert.equal(out, "1\n");
  await run("func twice(x) { return x * 2 }");
  assert.equal(await run("twice(21)"), "42");
  await run("struct P {\n  x: int\n  func bump(self) { self.x += 1 }\n}");
  await run("p := P { x: 1 }");
  await run("p.bump()");
  assert.equal(await run("p"), "P { x: 2 }");
  // A function assigning a name that a later chunk binds as a global updates that global.
  await run("func set_q() { q := 7 }");
  await run("q := 0");
  await run("set_q()");
  assert.equal(await run("q"), "7");
  await run("async func later(x) { await async_sleep(5); return x + 1 }");
  assert.equal(await run("await later(1)"), "2");
  out = "";
  await run('spawn { print("task") }');
  assert.equal(out, "task\n");
  assert.equal(await run('throw("boom")'), "error: boom");
  assert.equal(await run("const K := 1"), "(statement)");
  assert.equal(await run("K := 2"), "error: Cannot reassign const binding: K");
  await assert.rejects(() => evalChunk(session, scope, "1 +"), RuffSyntaxError);
  assert.equal((await evalChunk(session, scope, "exit(4)")).exitCode, 4);
  assert.deepEqual(scope.bindings().map(([n]) => n), [
    "K",
    "P",
    "later",
    "names",
    "p",
    "q",
    "set_q",
    "twice",
  ]);
});

// ───────────── piped stdin ─────────────

async function pipe(input: string, env: Record<string, string> = {}) {
  const child = new Deno.Command(DENO, {
    args: REPL_ARGS,
    cwd: ROOT,
    env: { NO_COLOR: "1", RUFF_HISTORY: "", ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(input));
  await w.close();
  const r = await child.output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

Deno.test("repl: piped stdin runs the lines without banner or prompts", async () => {
  const r = await pipe([
    'names := ["Ann", "Bo"]',
    "names",
    "print(1)",
    "func add(a, b) {",
    "    return a + b",
    "}",
    "add(2, 3)",
    "# a comment alone",
    "",
    "n := input()",
    "Zed",
    "n",
    "1 +",
    'throw("boom")',
    ":vars",
    ":reset",
    ":v",
    ":nope",
    '"tab\\there"',
    "[1, 2",
    "",
  ].join("\n"));
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    [
      '=> ["Ann", "Bo"]',
      "1",
      "=> 5",
      '=> "Zed"',
      "add = <function add>",
      'n = "Zed"',
      'names = ["Ann", "Bo"]',
      "Global scope reset.",
      "(no variables)",
      '=> "tab\\there"',
      "",
    ].join("\n"),
  );
  assert.equal(
    r.stderr,
    [
      "Syntax Error: Expected expression but found end of input",
      "  --> <repl-8>:1:4",
      "   |",
      " 1 | 1 +",
      "   |    ^",
      "Runtime Error: boom",
      "  --> <repl-9>:1:1",
      "   |",
      ' 1 | throw("boom")',
      "   | ^",
      "Unknown command ':nope' (type :help for commands)",
      // The unfinished input at end of input still runs and reports what is missing.
      "Syntax Error: Expected ']' to close array literal but found end of input",
      "  --> <repl-2>:1:6",
      "   |",
      " 1 | [1, 2",
      "   |      ^",
      "",
    ].join("\n"),
  );
});

Deno.test("repl: exit(n) ends a piped session with code n; :quit with 0", async () => {
  const a = await pipe('print("a")\nexit(3)\nprint("b")\n');
  assert.deepEqual([a.code, a.stdout, a.stderr], [3, "a\n", ""]);
  const b = await pipe('print("a")\n:quit\nprint("b")\n');
  assert.deepEqual([b.code, b.stdout, b.stderr], [0, "a\n", ""]);
  const h = await pipe(":help\n");
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Commands:\n/);
  for (const c of [":help, :h", ":quit, :q, :exit", ":clear, :c", ":vars, :v", ":reset, :r"]) {
    assert.ok(h.stdout.includes(c), c);
  }
});

// ───────────── pseudo-terminal (tmux) ─────────────

function hasTmux(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}
const TMUX = hasTmux();
if (!TMUX) {
  console.warn(
    "repl.test.ts: tmux is not installed; the pseudo-terminal REPL tests are skipped " +
      "(install it with: apt-get install -y tmux)",
  );
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** A REPL running in a detached tmux session on a private server socket. */
class Pane {
  private constructor(readonly dir: string, readonly sock: string) {}

  /** Starts the REPL with `env` in a 120×50 terminal; the shell reports its exit code after. */
  static async start(env: Record<string, string>): Promise<Pane> {
    const dir = await Deno.makeTempDir({ prefix: "ruff-repl-tty-" });
    const pane = new Pane(dir, `${dir}/tmux.sock`);
    const vars = Object.entries({ NO_COLOR: "1", ...env }).map(([k, v]) => `${k}=${quote(v)}`);
    const cmd = `cd ${quote(ROOT)} && env ${vars.join(" ")} ${quote(DENO)} ${
      REPL_ARGS.map(quote).join(" ")
    }; echo "[exit $?]"; sleep 600`;
    await pane.tmux("new-session", "-d", "-x", "120", "-y", "50", cmd);
    await pane.waitFor((s) => s.includes(BANNER) && lastLine(s) === "ruff>", "the banner");
    return pane;
  }

  async tmux(...args: string[]): Promise<string> {
    const env = { ...Deno.env.toObject() };
    delete env.TMUX;
    const r = await new Deno.Command("tmux", {
      args: ["-S", this.sock, ...args],
      env,
      clearEnv: true,
    })
      .output();
    const text = new TextDecoder().decode(r.stdout);
    if (!r.success) {
      throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(r.stderr)}`);
    }
    return text;
  }

  /** The whole transcript (scroll-back included), lines right-trimmed, trailing blanks dropped. */
  async screen(): Promise<string> {
    const raw = await this.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "0");
    return raw.split("\n").map((l) => l.trimEnd()).join("\n").trimEnd();
  }

  async waitFor(ok: (screen: string) => boolean, what: string, ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    let s = "";
    while (Date.now() < end) {
      s = await this.screen();
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 40));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
  }

  /** Sends keys (tmux key names such as `Enter`, `Up`, `C-c`). */
  keys(...keys: string[]): Promise<string> {
    return this.tmux("send-keys", "-t", "0", ...keys);
  }

  /** Types `line`, presses Enter and waits for the next prompt. */
  async enter(line: string): Promise<string> {
    const before = promptCount(await this.screen());
    await this.tmux("send-keys", "-t", "0", "-l", line);
    await this.keys("Enter");
    return await this.waitFor(
      (s) => promptCount(s) > before && /^(ruff|\.\.\.\.)>$/.test(lastLine(s)),
      `the prompt after ${JSON.stringify(line)}`,
    );
  }

  async close(): Promise<void> {
    try {
      await this.tmux("kill-server");
    } catch {
      // already gone
    }
    await Deno.remove(this.dir, { recursive: true });
  }
}

const lastLine = (s: string) => s.slice(s.lastIndexOf("\n") + 1);
const promptCount = (s: string) => s.split("\n").filter((l) => /^(ruff|\.\.\.\.)>/.test(l)).length;

Deno.test({
  name: "repl: an interactive session in a terminal",
  ignore: !TMUX,
  async fn() {
    const dir = await Deno.makeTempDir();
    const pane = await Pane.start({ RUFF_HISTORY: `${dir}/history` });
    try {
      for (
        const line of [
          'names := ["Ann", "Bo"]',
          "names",
          "func add(a, b) {",
          "    return a + b",
          "}",
          "add(2, 3)",
          "print(1)",
          "1 +",
          'throw("boom")',
          ":vars",
          ":reset",
          ":v",
          "names",
        ]
      ) await pane.enter(line);
      await pane.tmux("send-keys", "-t", "0", "-l", ":quit");
      await pane.keys("Enter");
      const screen = await pane.waitFor((s) => s.includes("[exit "), "the REPL to end");
      assert.equal(
        screen,
        [
          BANNER,
          'ruff> names := ["Ann", "Bo"]',
          "ruff> names",
          '=> ["Ann", "Bo"]',
          "ruff> func add(a, b) {",
          "....>     return a + b",
          "....> }",
          "ruff> add(2, 3)",
          "=> 5",
          "ruff> print(1)",
          "1",
          "ruff> 1 +",
          "Syntax Error: Expected expression but found end of input",
          "  --> <repl-6>:1:4",
          "   |",
          " 1 | 1 +",
          "   |    ^",
          'ruff> throw("boom")',
          "Runtime Error: boom",
          "  --> <repl-7>:1:1",
          "   |",
          ' 1 | throw("boom")',
          "   | ^",
          "ruff> :vars",
          "add = <function add>",
          'names = ["Ann", "Bo"]',
          "ruff> :reset",
          "Global scope reset.",
          "ruff> :v",
          "(no variables)",
          "ruff> names",
          "Runtime Error: Undefined variable: names",
          "  --> <repl-1>:1:1",
          "   |",
          " 1 | names",
          "   | ^",
          "ruff> :quit",
          "[exit 0]",
        ].join("\n"),
      );
    } finally {
      await pane.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "repl: Ctrl-C discards the input, :clear clears the screen, Ctrl-D quits",
  ignore: !TMUX,
  async fn() {
    const pane = await Pane.start({ RUFF_HISTORY: "" });
    try {
      await pane.enter("func f() {");
      await pane.keys("C-c");
      await pane.waitFor((s) => s.endsWith("....> ^C\nruff>"), "a fresh prompt after Ctrl-C");
      await pane.enter("f");
      assert.match(await pane.screen(), /Undefined variable: f/);
      await pane.enter("async func later() { await async_sleep(50); return 7 }");
      assert.match(await pane.enter("await later()"), /ruff> await later\(\)\n=> 7\nruff>$/);
      await pane.tmux("send-keys", "-t", "0", "-l", ":clear");
      await pane.keys("Enter");
      await pane.waitFor((s) => s === "ruff>", "the screen to clear");
      await pane.enter("40 + 2");
      await pane.keys("C-d");
      const screen = await pane.waitFor((s) => s.includes("[exit "), "the REPL to end");
      assert.match(screen, /ruff> 40 \+ 2\n=> 42\nruff>\n\[exit 0\]$/);
    } finally {
      await pane.close();
    }
  },
});

Deno.test({
  name: "repl: history is loaded from RUFF_HISTORY, appended to and capped",
  ignore: !TMUX,
  async fn() {
    const dir = await Deno.makeTempDir();
    const file = `${dir}/history`;
    const old = Array.from({ length: 1100 }, (_, i) => `v${i} := ${i}`);
    await Deno.writeTextFile(file, old.join("\n") + "\n");
    const pane = await Pane.start({ RUFF_HISTORY: file });
    try {
      await pane.keys("Up");
      await pane.waitFor((s) => lastLine(s) === "ruff> v1099 := 1099", "the newest entry");
      await pane.keys("Up");
      await pane.waitFor((s) => lastLine(s) === "ruff> v1098 := 1098", "the entry before");
      await pane.keys("Down");
      await pane.waitFor((s) => lastLine(s) === "ruff> v1099 := 1099", "the newest again");
      await pane.keys("Enter"); // runs the recalled line (a repeat of the last entry: not stored)
      await pane.waitFor((s) => promptCount(s) === 2 && lastLine(s) === "ruff>", "the prompt");
      assert.match(await pane.enter("v1099"), /=> 1099\nruff>$/);
      await pane.tmux("send-keys", "-t", "0", "-l", ":q");
      await pane.keys("Enter");
      await pane.waitFor((s) => s.includes("[exit 0]"), "the REPL to end");
      const lines = (await Deno.readTextFile(file)).split("\n");
      assert.equal(lines.pop(), "");
      assert.equal(lines.length, 1000);
      assert.deepEqual(lines.slice(-4), ["v1098 := 1098", "v1099 := 1099", "v1099", ":q"]);
      assert.equal(lines[0], "v102 := 102");
    } finally {
      await pane.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
