/**
 * `ruff repl`: the interactive session of LANGUAGE.md §17.3.
 *
 * - Banner `Ruff 0.9.0 REPL — type :help for commands`, prompt `ruff> `, continuation prompt
 *   `....> ` while brackets, braces or parentheses are open, a block comment is open or the last
 *   line ends inside a string (decided with the lexer, see {@link isIncomplete}).
 * - Every complete input runs as statements in one persistent global scope ({@link evalChunk});
 *   a lone expression statement with a non-null value is echoed as `=> ` + its quoted form.
 * - Commands `:help`/`:h`, `:quit`/`:q`/`:exit`, `:clear`/`:c`, `:vars`/`:v`, `:reset`/`:r`.
 *   End of input (Ctrl-D) also quits; Ctrl-C discards the input being typed; `exit(n)` ends the
 *   REPL with exit code n.
 * - When stdin is a terminal, lines are edited with `node:readline` and kept in a history file:
 *   `$RUFF_HISTORY` if set (set it to the empty string to keep no history), else
 *   `~/.ruff_history`; the last {@link HISTORY_CAP} lines are loaded at start and each new line is
 *   appended. Prompts go to stdout (to stderr when stdout is not a terminal).
 * - When stdin is not a terminal (piped input) there is no banner, no prompt and no history: the
 *   lines are read and run exactly as typed input would be, so only the program output, the `=> `
 *   echoes and the error reports (on stderr) appear. `input()` reads the following lines.
 *
 * @module
 */

import { createInterface } from "node:readline";
import process from "node:process";
import { ChunkScope, evalChunk, Session } from "../runner.ts";
import { RuffSyntaxError } from "../errors.ts";
import { lex } from "../lexer.ts";
import { readLine } from "../runtime/console.ts";
import { repr } from "../values.ts";
import { version } from "../version.ts";
import { join } from "../paths.ts";

/** The first line of an interactive session. */
export const BANNER = `Ruff ${version} REPL — type :help for commands`;
/** The prompt for a new input. */
export const PROMPT = "ruff> ";
/** The prompt for the following lines of an unfinished input. */
export const CONTINUATION = "....> ";
/** Number of lines the history file keeps. */
export const HISTORY_CAP = 1000;

const HELP = `Commands:
  :help, :h           show this help
  :quit, :q, :exit    leave the REPL (end of input, Ctrl-D, also quits)
  :clear, :c          clear the screen
  :vars, :v           list the global variables and their values
  :reset, :r          start again with a fresh global scope
Anything else runs as Ruff code; a lone expression shows its value after '=> '.
While brackets are open the input goes on at the '${CONTINUATION.trim()}' prompt; Ctrl-C discards it.
`;

/**
 * True when `source` is an unfinished input that more lines can still complete: a bracket,
 * brace or parenthesis is open, a block comment is open, or a string starting on the last line
 * is unterminated (strings cannot span lines, so the next line settles it as an error). Decided
 * with the lexer, so brackets inside strings, comments and `${…}` do not count. An input with
 * any other lexical error, or with a closing bracket that matches nothing, is complete: running
 * it reports the error.
 */
export function isIncomplete(source: string): boolean {
  const { tokens, issues } = lex(source);
  const lastLine = source.split(/\r\n|\r|\n/).length;
  let open = false;
  for (const i of issues) {
    if (i.message === "Unterminated block comment") open = true;
    else if (i.message === "Unterminated string literal" && i.line === lastLine) open = true;
    else return false;
  }
  let depth = 0;
  for (const t of tokens) {
    if (t.k !== "op") continue;
    if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
    else if (t.v === ")" || t.v === "]" || t.v === "}") {
      if (--depth < 0) return false;
    }
  }
  return open || depth > 0;
}

const enc = new TextEncoder();
function writeAll(w: { writeSync(p: Uint8Array): number }, text: string): void {
  const data = enc.encode(text);
  let off = 0;
  while (off < data.length) off += w.writeSync(data.subarray(off));
}
const out = (text: string) => writeAll(Deno.stdout, text);
const err = (text: string) => writeAll(Deno.stderr, text);

/** Where input lines come from. */
interface LineSource {
  /** The next line (without its terminator), or null at end of input. */
  read(prompt: string): Promise<string | null>;
  /** Called before and after running an input (gives the terminal back to `input()`). */
  pause(): void;
  resume(): void;
  close(): void;
}

/** Reads piped stdin with the same buffered reader as `input()`, so both see the same lines. */
function pipedSource(): LineSource {
  return {
    read: () => Promise.resolve(readLine()),
    pause() {},
    resume() {},
    close() {},
  };
}

/** The history file: `$RUFF_HISTORY`, else `~/.ruff_history`; null when disabled. */
function historyPath(): string | null {
  try {
    const env = Deno.env.get("RUFF_HISTORY");
    if (env !== undefined) return env === "" ? null : env;
    const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
    return home ? join(home, ".ruff_history") : null;
  } catch {
    return null; // no --allow-env
  }
}

/** Persistent line history (oldest first in the file, one line per entry). */
class History {
  entries: string[] = [];
  constructor(readonly path: string | null) {
    if (!path) return;
    let text = "";
    try {
      text = Deno.readTextFileSync(path);
    } catch {
      return; // missing or unreadable: start empty
    }
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
    this.entries = lines.slice(-HISTORY_CAP);
    if (lines.length > HISTORY_CAP) this.rewrite();
  }
  /** Records a line typed at a prompt (blank lines and repeats of the last one are skipped). */
  add(line: string): void {
    if (line.trim() === "" || this.entries[this.entries.length - 1] === line) return;
    this.entries.push(line);
    if (this.entries.length > HISTORY_CAP) {
      this.entries.splice(0, this.entries.length - HISTORY_CAP);
      this.rewrite();
    } else this.write(line + "\n", true);
  }
  private rewrite(): void {
    this.write(this.entries.map((l) => l + "\n").join(""), false);
  }
  private write(text: string, append: boolean): void {
    if (!this.path) return;
    try {
      Deno.writeTextFileSync(this.path, text, { append, mode: 0o600 });
    } catch {
      // A history that cannot be written is not worth interrupting the session for.
    }
  }
}

/** Reads lines from the terminal with `node:readline` (editing, history, Ctrl-C). */
function terminalSource(history: History, onInterrupt: () => boolean): LineSource {
  const output = Deno.stdout.isTerminal() ? process.stdout : process.stderr;
  const rl = createInterface({
    input: process.stdin,
    output,
    terminal: true,
    history: history.entries.slice().reverse(),
    historySize: HISTORY_CAP,
    removeHistoryDuplicates: false,
    prompt: PROMPT,
  });
  const lines: string[] = [];
  let closed = false;
  let waiting: ((line: string | null) => void) | null = null;
  rl.on("line", (line: string) => {
    history.add(line);
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(line);
    } else lines.push(line);
  });
  rl.on("close", () => {
    closed = true;
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(null);
    }
  });
  rl.on("SIGINT", () => {
    const typed = rl.line;
    // Leave the typed text on screen, then clear it from the editor (which redraws the line
    // with the new prompt).
    rl.write(null, { ctrl: true, name: "e" });
    output.write("^C\n");
    const discarded = onInterrupt();
    if (typed === "" && !discarded) output.write("(To exit, press Ctrl-D or type :quit)\n");
    rl.setPrompt(PROMPT);
    rl.write(null, { ctrl: true, name: "u" });
  });
  return {
    read(prompt) {
      if (lines.length) return Promise.resolve(lines.shift()!);
      if (closed) return Promise.resolve(null);
      rl.setPrompt(prompt);
      rl.prompt();
      return new Promise((res) => (waiting = res));
    },
    pause() {
      if (closed) return;
      rl.pause();
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    },
    resume() {
      if (closed) return;
      if (process.stdin.isTTY) process.stdin.setRawMode(true);
      rl.resume();
    },
    close() {
      if (!closed) rl.close();
    },
  };
}

/**
 * Runs the REPL on stdin/stdout/stderr until `:quit` or end of input (exit code 0) or until the
 * code calls `exit(n)` (exit code n). `opts.color` colours the error reports.
 */
export async function runRepl(opts: { color: boolean }): Promise<number> {
  const interactive = Deno.stdin.isTerminal();
  const newSession = () => {
    const session = new Session({ stdout: out, stderr: err, color: opts.color });
    return { session, scope: new ChunkScope(session) };
  };
  let { session, scope } = newSession();
  let buffer: string[] = [];
  const source = interactive
    ? terminalSource(new History(historyPath()), () => {
      const discarded = buffer.length > 0;
      buffer = [];
      return discarded;
    })
    : pipedSource();
  // The banner and prompts go where readline draws: stdout, or stderr when stdout is redirected.
  const ui = Deno.stdout.isTerminal() ? out : err;
  if (interactive) ui(BANNER + "\n");

  /** Runs one complete input; returns an exit code when the REPL must end. */
  const runInput = async (text: string): Promise<number | null> => {
    source.pause();
    try {
      const r = await evalChunk(session, scope, text);
      if (r.exitCode !== null) return r.exitCode;
      if (r.error) err(session.formatError(r.error) + "\n");
      else if (r.expression && r.value !== null) out("=> " + repr(r.value) + "\n");
    } catch (e) {
      if (e instanceof RuffSyntaxError) err(e.format(opts.color) + "\n");
      else err(`Internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    } finally {
      source.resume();
    }
    return null;
  };

  /** Runs a `:command`; returns true when the REPL must end. */
  const command = (line: string): boolean => {
    const name = line.trim().split(/\s+/)[0];
    switch (name) {
      case ":help":
      case ":h":
        out(HELP);
        return false;
      case ":quit":
      case ":q":
      case ":exit":
        return true;
      case ":clear":
      case ":c":
        if (Deno.stdout.isTerminal()) out("\x1b[2J\x1b[3J\x1b[H");
        return false;
      case ":vars":
      case ":v": {
        const vars = scope.bindings();
        if (vars.length === 0) out("(no variables)\n");
        for (const [n, v] of vars) out(`${n} = ${repr(v)}\n`);
        return false;
      }
      case ":reset":
      case ":r":
        ({ session, scope } = newSession());
        out("Global scope reset.\n");
        return false;
    }
    err(`Unknown command '${name}' (type :help for commands)\n`);
    return false;
  };

  try {
    for (;;) {
      const line = await source.read(buffer.length ? CONTINUATION : PROMPT);
      if (line === null) {
        if (interactive) ui("\n");
        // An unfinished input at end of input still runs, which reports what is missing.
        if (buffer.some((l) => l.trim() !== "")) {
          const code = await runInput(buffer.join("\n"));
          if (code !== null) return code;
        }
        return 0;
      }
      if (buffer.length === 0) {
        if (line.trim() === "") continue;
        if (line.trimStart().startsWith(":")) {
          if (command(line)) return 0;
          continue;
        }
      }
      buffer.push(line);
      const text = buffer.join("\n");
      if (isIncomplete(text)) continue;
      buffer = [];
      if (lex(text).tokens.length === 1) continue; // only comments
      const code = await runInput(text);
      if (code !== null) return code;
    }
  } finally {
    source.close();
  }
}
