/**
 * The `ruff` command line: `run`, `check`, `--version`, `--help` (LANGUAGE.md §17).
 *
 * ```sh
 * deno run -A cli.ts examples/hello.ruff
 * ```
 *
 * @module
 */

import { RuffSyntaxError } from "./lib/errors.ts";
import { runSession, Session } from "./lib/runner.ts";
import { version } from "./lib/version.ts";

const HELP = `ruff ${version} — the Ruff scripting language on Deno

Usage:
  ruff FILE [ARGS...]            run a program (same as 'ruff run FILE')
  ruff run FILE [ARGS...]        run a program; ARGS are returned by args()
  ruff check FILE                check syntax without running
  ruff --version                 print the version
  ruff --help                    show this help

Run options (before FILE):
  --dump-bytecode                print the compiled bytecode instead of running
  --interpreter                  accepted and ignored (there is one engine)
`;

const enc = new TextEncoder();
function out(s: string) {
  writeAll(Deno.stdout, enc.encode(s));
}
function err(s: string) {
  writeAll(Deno.stderr, enc.encode(s));
}
function writeAll(w: { writeSync(p: Uint8Array): number }, data: Uint8Array) {
  let off = 0;
  while (off < data.length) off += w.writeSync(data.subarray(off));
}

function usage(message: string): never {
  err(`error: ${message}\n\nRun 'ruff --help' for usage.\n`);
  Deno.exit(2);
}

/** Reads a source file as strict UTF-8 (LANGUAGE.md §1.1). Exits 1 on failure. */
function readSource(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
      ? "permission denied (run with --allow-read)"
      : (e as Error).message;
    err(`Error: cannot read '${path}': ${reason}\n`);
    Deno.exit(1);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    err(`Syntax Error: Cannot decode source file as UTF-8\n  --> ${path}:1:1\n`);
    Deno.exit(1);
  }
}

const color = Deno.stderr.isTerminal() && !Deno.env.get("NO_COLOR");

async function cmdRun(argv: string[]): Promise<number> {
  let dump = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dump-bytecode") dump = true;
    else if (a === "--interpreter") continue;
    else if (a.startsWith("-") && a !== "-") usage(`unknown option '${a}' for 'run'`);
    else break;
  }
  const file = argv[i];
  if (file === undefined) usage("missing FILE");
  const source = readSource(file);
  const session = new Session({
    file,
    args: argv.slice(i + 1),
    stdout: out,
    stderr: err,
    color,
  });
  try {
    if (dump) {
      const { compile } = await import("./lib/runner.ts");
      out(compile(source, file).disassemble() + "\n");
      return 0;
    }
    const r = await runSession(session, source);
    return r.exitCode;
  } catch (e) {
    if (e instanceof RuffSyntaxError) {
      err(e.format(color) + "\n");
      return 1;
    }
    throw e;
  }
}

async function cmdCheck(argv: string[]): Promise<number> {
  const file = argv[0];
  if (file === undefined) usage("missing FILE");
  if (argv.length > 1) usage(`unexpected argument '${argv[1]}'`);
  const source = readSource(file);
  const { parse } = await import("./lib/parser.ts");
  try {
    parse(source, file);
  } catch (e) {
    if (e instanceof RuffSyntaxError) {
      err(e.format(color) + "\n");
      return 1;
    }
    throw e;
  }
  out(`${file}: OK\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    err(HELP);
    return 2;
  }
  if (first === "run") return await cmdRun(argv.slice(1));
  if (first === "check") return await cmdCheck(argv.slice(1));
  if (first.startsWith("-") && !["--dump-bytecode", "--interpreter"].includes(first)) {
    const { parseArgs } = await import("node:util");
    const { values } = (() => {
      try {
        return parseArgs({
          args: [first],
          options: {
            version: { type: "boolean", short: "V" },
            help: { type: "boolean", short: "h" },
          },
          strict: true,
        });
      } catch {
        usage(`unknown option '${first}'`);
      }
    })();
    if (values.version) {
      out(`ruff ${version}\n`);
      return 0;
    }
    out(HELP);
    return 0;
  }
  if (first === "help") {
    out(HELP);
    return 0;
  }
  return await cmdRun(argv);
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (e) {
    err(`Internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    code = 70;
  }
  Deno.exit(code);
}
