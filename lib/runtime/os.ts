/**
 * Paths and OS (builtins.md §3.15) and environment, arguments, CLI parsing and process control
 * (§3.16). Paths follow POSIX rules of Rust's `std::path` (separator `/`). Processes run through
 * `Deno.Command` (`--allow-run`); a denied permission raises
 * `Permission denied: <action> needs --allow-<flag>`.
 *
 * @module
 */

import { ExitRequest, RuffError } from "../errors.ts";
import {
  arrayOf,
  dictOf,
  mkFloat,
  type NativeContext,
  NativeFn,
  RArray,
  RDict,
  RFloat,
  RStruct,
  StructDef,
  type Value,
} from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";
import { host, hostError, osReason, pathExists, permissionError } from "./files.ts";
import { rustParseFloat, rustParseInt } from "./formats.ts";

// ───────────────────────────── paths ─────────────────────────────

/** Rust `PathBuf::push` joining: an absolute part replaces what came before. */
export function joinPath(parts: string[]): string {
  let buf = "";
  for (const p of parts) {
    if (p.startsWith("/")) buf = p;
    else if (buf === "") buf = p;
    else buf += (buf.endsWith("/") ? "" : "/") + p;
  }
  return buf;
}

/** Root flag and normal components of a path (`.` dropped except at the start). */
function components(path: string): { root: boolean; segs: string[] } {
  const root = path.startsWith("/");
  const segs = path.split("/").filter((s, i) => s !== "" && (s !== "." || (i === 0 && !root)));
  return { root, segs };
}

/** Parent path (`Path::parent`), or `/` when there is none. */
export function dirname(path: string): string {
  const { root, segs } = components(path);
  if (segs.length === 0) return "/";
  const rest = segs.slice(0, -1).join("/");
  return root ? "/" + rest : rest;
}

/** Final component (`Path::file_name`), or `""` when there is none. */
export function basename(path: string): string {
  const { segs } = components(path);
  const last = segs[segs.length - 1];
  return last === undefined || last === "." || last === ".." ? "" : last;
}

/** Extension of the final component (`Path::extension`), or `""`. */
export function extension(path: string): string {
  const name = basename(path);
  const i = name.lastIndexOf(".");
  return i <= 0 ? "" : name.slice(i + 1);
}

function statOr<T>(path: string, f: (st: Deno.FileInfo) => T, dflt: T): T {
  try {
    return f(Deno.statSync(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw permissionError(e, [path]);
    return dflt;
  }
}

// ───────────────────────────── environment ─────────────────────────────

/** The variable's value, undefined when unset; raises on a permission denial. */
function getEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw permissionError(e);
    return undefined; // invalid names (`=`, NUL) are simply not set
  }
}

function envDict(): RDict {
  let all: Record<string, string>;
  try {
    all = Deno.env.toObject();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw permissionError(e);
    throw e;
  }
  return new RDict(new Map(Object.entries(all)));
}

function envName(name: string, args: Value[]): string {
  const v = args[0];
  if (typeof v !== "string") requires(name, "a string argument (variable name)");
  return v;
}

function envPresent(name: string): string {
  const v = getEnv(name);
  if (v === undefined) throw new RuffError(`Environment variable '${name}' not found`);
  return v;
}

// ───────────────────────────── argument parser ─────────────────────────────

interface ArgDef {
  long: string;
  short: string | null;
  type: string;
  required: boolean;
  help: string;
  dflt: string | null;
}

const ARG_PARSER = new StructDef("ArgParser", [
  "_app_name",
  "_args",
  "_description",
  "add_argument",
  "help",
  "parse",
]);

const keyName = (long: string) => long.replace(/^-+/, "");

function parseArgs(defs: ArgDef[], words: string[]): RDict {
  const out = new Map<string, Value>();
  const seen = new Set<ArgDef>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith("-")) {
      positional.push(w);
      continue;
    }
    const def = defs.find((d) => d.long === w || d.short === w);
    if (!def) throw new RuffError(`Unknown argument: ${w}`);
    const key = keyName(def.long);
    seen.add(def);
    if (def.type === "bool") {
      out.set(key, true);
      continue;
    }
    if (!["string", "int", "float"].includes(def.type)) {
      throw new RuffError(`Unknown argument type: ${def.type}`);
    }
    if (i + 1 >= words.length) throw new RuffError(`Argument --${key} requires a value`);
    const v = words[++i];
    if (def.type === "int") {
      const n = rustParseInt(v);
      if (n === null) throw new RuffError(`Argument --${key} requires an integer value, got: ${v}`);
      out.set(key, n);
    } else if (def.type === "float") {
      const x = rustParseFloat(v);
      if (x === null) throw new RuffError(`Argument --${key} requires a float value, got: ${v}`);
      out.set(key, mkFloat(x));
    } else out.set(key, v);
  }
  if (positional.length) out.set("_positional", new RArray(positional));
  for (const def of defs) {
    if (seen.has(def)) continue;
    const key = keyName(def.long);
    if (def.required) throw new RuffError(`Required argument --${key} is missing`);
    if (def.dflt === null) out.set(key, def.type === "bool" ? false : null);
    else if (def.type === "bool") out.set(key, def.dflt === "true");
    else if (def.type === "int") out.set(key, rustParseInt(def.dflt) ?? 0);
    else if (def.type === "float") out.set(key, mkFloat(rustParseFloat(def.dflt) ?? 0));
    else out.set(key, def.dflt);
  }
  return dictOf(out);
}

function argHelp(defs: ArgDef[], app: string, desc: string): string {
  let s = `${app}\n\n${desc}\n\nOptions:\n`;
  for (const d of defs) {
    s += d.short !== null ? `  ${d.short}, ${d.long}` : `      ${d.long}`;
    if (d.type !== "bool") s += ` <${d.type.toUpperCase()}>`;
    if (d.required) s += " (required)";
    if (d.dflt !== null) s += ` [default: ${d.dflt}]`;
    s += "\n";
    if (d.help !== "") s += `        ${d.help}\n`;
  }
  return s;
}

/**
 * An `ArgParser` struct. Its fields `add_argument`, `parse` and `help` hold built-ins bound to
 * this parser, so `p.add_argument(…)`, `p.parse()` and `p.help()` work through the
 * struct-field rule of method calls (LANGUAGE.md §10.1).
 */
export function makeArgParser(defs: ArgDef[], app = "", desc = ""): RStruct {
  const add = new NativeFn("add_argument", 1, Infinity, (args) => {
    const long = args[0];
    if (typeof long !== "string") requires("add_argument", "an argument name string");
    const d: ArgDef = { long, short: null, type: "string", required: false, help: "", dflt: null };
    for (let i = 1; i + 1 < args.length; i += 2) {
      const k = args[i], v = args[i + 1];
      if (k === "short" && typeof v === "string") d.short = v;
      else if (k === "type" && typeof v === "string") d.type = v;
      else if (k === "required" && typeof v === "boolean") d.required = v;
      else if (k === "help" && typeof v === "string") d.help = v;
      else if (k === "default" && typeof v === "string") d.dflt = v;
    }
    return makeArgParser([...defs, d], app, desc);
  }, "Returns a new parser with one more argument definition.");
  const parse = new NativeFn(
    "parse",
    0,
    0,
    (_args, ctx: NativeContext) => parseArgs(defs, ctx.argv),
    "Parses the program arguments into a dict.",
  );
  const help = new NativeFn("help", 0, 0, () => argHelp(defs, app, desc), "The help text.");
  const argList = defs.map((d) =>
    dictOf([
      ["name", d.long],
      ["short", d.short],
      ["type", d.type],
      ["required", d.required],
      ["help", d.help],
      ["default", d.dflt],
    ])
  );
  const fields = new Map<string, Value>([
    ["_app_name", app],
    ["_args", arrayOf(argList)],
    ["_description", desc],
    ["add_argument", add],
    ["help", help],
    ["parse", parse],
  ]);
  return new RStruct(ARG_PARSER, fields);
}

// ───────────────────────────── processes ─────────────────────────────

const PROCESS_RESULT = new StructDef("ProcessResult", ["exitcode", "stderr", "stdout", "success"]);
const lossy = new TextDecoder();

function stringArgv(v: Value, name: string): string[] {
  if (!(v instanceof RArray)) requires(name, "an array of command arguments");
  if (v.items.length === 0) requires(name, "a non-empty array of command arguments");
  if (!v.items.every((x) => typeof x === "string")) requires(name, "an array of strings");
  return v.items as string[];
}

async function runPiped(
  argv: string[],
  input: Uint8Array | null,
): Promise<{ code: number; stdout: Uint8Array; stderr: Uint8Array }> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: input === null ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    throw hostError(`Failed to spawn process '${argv[0]}'`, [], e);
  }
  const outP = new Response(child.stdout).arrayBuffer();
  const errP = new Response(child.stderr).arrayBuffer();
  if (input !== null) {
    const w = child.stdin.getWriter();
    try {
      await w.write(input);
      await w.close();
    } catch {
      // The command did not read all of its input.
    }
  }
  const [status, out, err] = await Promise.all([child.status, outP, errP]);
  return {
    code: status.signal !== null ? -1 : status.code,
    stdout: new Uint8Array(out),
    stderr: new Uint8Array(err),
  };
}

/** Blocks the whole interpreter for `ms` milliseconds. */
function sleepSync(ms: number): void {
  if (!(ms > 0)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ───────────────────────────── natives ─────────────────────────────

function pathArg(name: string, args: Value[]): string {
  const v = args[0];
  if (typeof v !== "string") requires(name, "a string argument (path)");
  return v;
}

function joinSpec(name: string): NativeSpec {
  return {
    name,
    params: "...parts",
    min: 0,
    max: Infinity,
    doc: "Joins path parts with `/`; an absolute part replaces the parts before it.",
    impl: (args) => {
      const parts = args.filter((a): a is string => typeof a === "string");
      if (parts.length === 0) requires(name, "at least one string argument");
      return joinPath(parts);
    },
  };
}

const natives: NativeSpec[] = [
  joinSpec("join_path"),
  joinSpec("path_join"),
  {
    name: "dirname",
    params: "path",
    min: 1,
    doc: 'Parent path: "/a/b.txt" → "/a", "file.txt" → "", "/" → "/".',
    impl: (args) => dirname(pathArg("dirname", args)),
  },
  {
    name: "basename",
    params: "path",
    min: 1,
    doc: 'Final path component: "/a/b.txt" → "b.txt"; "" for "/" or "..".',
    impl: (args) => basename(pathArg("basename", args)),
  },
  {
    name: "path_exists",
    params: "path",
    min: 1,
    doc: "True if a file or directory exists at the path.",
    impl: (args) => pathExists(pathArg("path_exists", args)),
  },
  {
    name: "path_absolute",
    params: "path",
    min: 1,
    doc: "Canonical absolute path (symlinks resolved); the path must exist.",
    impl: (args) => {
      const p = pathArg("path_absolute", args);
      return host(`Cannot get absolute path for '${p}'`, [p], () => Deno.realPathSync(p));
    },
  },
  {
    name: "path_is_dir",
    params: "path",
    min: 1,
    doc: "True if the path is a directory (following symlinks).",
    impl: (args) => {
      const p = pathArg("path_is_dir", args);
      return statOr(p, (st) => st.isDirectory, false);
    },
  },
  {
    name: "path_is_file",
    params: "path",
    min: 1,
    doc: "True if the path is a regular file (following symlinks).",
    impl: (args) => {
      const p = pathArg("path_is_file", args);
      return statOr(p, (st) => st.isFile, false);
    },
  },
  {
    name: "path_extension",
    params: "path",
    min: 1,
    doc: 'Extension without the dot: "a.tar.gz" → "gz"; "" for none or dot-files.',
    impl: (args) => extension(pathArg("path_extension", args)),
  },
  {
    name: "os_getcwd",
    params: "",
    min: 0,
    doc: "The current working directory.",
    impl: () => host("Cannot get current directory", [], () => Deno.cwd()),
  },
  {
    name: "os_chdir",
    params: "path",
    min: 1,
    doc: "Changes the working directory; returns true.",
    impl: (args) => {
      const p = pathArg("os_chdir", args);
      host(`Cannot change directory to '${p}'`, [p], () => Deno.chdir(p));
      return true;
    },
  },
  {
    name: "os_rmdir",
    params: "path",
    min: 1,
    doc: "Removes an empty directory; returns true.",
    impl: (args) => {
      const p = pathArg("os_rmdir", args);
      host(`Cannot remove directory '${p}'`, [p], () => {
        if (!Deno.lstatSync(p).isDirectory) throw new Error("Not a directory (os error 20)");
        Deno.removeSync(p);
      });
      return true;
    },
  },
  {
    name: "os_environ",
    params: "",
    min: 0,
    doc: "All environment variables, as a dict.",
    impl: () => envDict(),
  },
  {
    name: "env",
    params: "name",
    min: 1,
    doc: 'The value of an environment variable, "" if unset.',
    impl: (args) => getEnv(envName("env", args)) ?? "",
  },
  {
    name: "env_or",
    params: "name, default",
    min: 2,
    doc: "The value of an environment variable, or the default if unset.",
    impl: (args) => {
      const [name, dflt] = args;
      if (typeof name !== "string" || typeof dflt !== "string") {
        requires("env_or", "two string arguments (variable name, default value)");
      }
      return getEnv(name) ?? dflt;
    },
  },
  {
    name: "env_int",
    params: "name",
    min: 1,
    doc: "The variable's value parsed as an Int.",
    impl: (args) => {
      const name = envName("env_int", args);
      const v = envPresent(name);
      const n = rustParseInt(v);
      if (n === null) {
        throw new RuffError(`Environment variable '${name}' value '${v}' is not a valid integer`);
      }
      return n;
    },
  },
  {
    name: "env_float",
    params: "name",
    min: 1,
    doc: "The variable's value parsed as a Float.",
    impl: (args) => {
      const name = envName("env_float", args);
      const v = envPresent(name);
      const x = rustParseFloat(v);
      if (x === null) {
        throw new RuffError(`Environment variable '${name}' value '${v}' is not a valid float`);
      }
      return mkFloat(x);
    },
  },
  {
    name: "env_bool",
    params: "name",
    min: 1,
    doc: "True iff the value is true, 1, yes or on (any case).",
    impl: (args) => {
      const v = envPresent(envName("env_bool", args)).toLowerCase();
      return v === "true" || v === "1" || v === "yes" || v === "on";
    },
  },
  {
    name: "env_required",
    params: "name",
    min: 1,
    doc: "The variable's value; raises if it is not set.",
    impl: (args) => {
      const name = envName("env_required", args);
      const v = getEnv(name);
      if (v === undefined) {
        throw new RuffError(`Required environment variable '${name}' is not set`);
      }
      return v;
    },
  },
  {
    name: "env_set",
    params: "name, value",
    min: 2,
    doc: "Sets an environment variable of this process.",
    impl: (args) => {
      const [name, value] = args;
      if (typeof name !== "string" || typeof value !== "string") {
        requires("env_set", "two string arguments (variable name, value)");
      }
      try {
        Deno.env.set(name, value);
      } catch (e) {
        if (e instanceof Deno.errors.NotCapable) throw permissionError(e);
        throw new RuffError(
          `Cannot set environment variable '${name}': ${(e as Error).message}`,
        );
      }
      return null;
    },
  },
  {
    name: "env_list",
    params: "",
    min: 0,
    doc: "All environment variables, as a dict.",
    impl: () => envDict(),
  },
  {
    name: "args",
    params: "",
    min: 0,
    doc: "The program's arguments (the words after the file name).",
    impl: (_args, ctx) => new RArray([...ctx.argv]),
  },
  {
    name: "arg_parser",
    params: "",
    min: 0,
    doc: "A command-line parser: add_argument(name, key, value, …), parse(), help().",
    impl: () => makeArgParser([]),
  },
  {
    name: "exit",
    params: "code",
    min: 0,
    max: 1,
    doc: "Ends the program at once with the exit code (default 0).",
    impl: (args) => {
      const c = args[0];
      throw new ExitRequest(typeof c === "number" ? c : typeof c === "bigint" ? Number(c) : 0);
    },
  },
  {
    name: "sleep",
    params: "ms",
    min: 1,
    doc: "Blocks the whole interpreter for ms milliseconds; returns 0.",
    impl: (args) => {
      const v = args[0];
      const ms = typeof v === "number"
        ? v
        : typeof v === "bigint"
        ? Number(v)
        : v instanceof RFloat
        ? v.v
        : requires("sleep", "a number argument");
      sleepSync(ms);
      return 0;
    },
  },
  {
    name: "execute",
    params: "command",
    min: 1,
    doc: "Runs `sh -c command` and returns its stdout (stderr and exit status ignored).",
    impl: (args) => {
      const cmd = args[0];
      if (typeof cmd !== "string") requires("execute", "a string argument (command)");
      try {
        const out = new Deno.Command("sh", { args: ["-c", cmd], stdin: "null" }).outputSync();
        return lossy.decode(out.stdout);
      } catch (e) {
        if (e instanceof Deno.errors.NotCapable) throw permissionError(e);
        return `Error: ${osReason(e)}`;
      }
    },
  },
  {
    name: "spawn_process",
    params: "argv",
    min: 1,
    doc: "Runs argv[0] with the other elements as arguments; returns a ProcessResult struct.",
    impl: (args) => {
      const argv = stringArgv(args[0], "spawn_process");
      let out: Deno.CommandOutput;
      try {
        out = new Deno.Command(argv[0], { args: argv.slice(1), stdin: "null" }).outputSync();
      } catch (e) {
        throw hostError(`Failed to spawn process '${argv[0]}'`, [], e);
      }
      const code = out.signal !== null ? -1 : out.code;
      return new RStruct(
        PROCESS_RESULT,
        new Map<string, Value>([
          ["exitcode", code],
          ["stderr", lossy.decode(out.stderr)],
          ["stdout", lossy.decode(out.stdout)],
          ["success", out.success],
        ]),
      );
    },
  },
  {
    name: "pipe_commands",
    params: "commands",
    min: 1,
    doc: "Runs argv arrays one after another, each fed the previous stdout; returns the last.",
    impl: async (args) => {
      const cmds = args[0];
      if (!(cmds instanceof RArray)) requires("pipe_commands", "an array of command arrays");
      if (cmds.items.length === 0) requires("pipe_commands", "a non-empty array of commands");
      const argvs: string[][] = [];
      for (const c of cmds.items) {
        if (!(c instanceof RArray)) requires("pipe_commands", "an array of command arrays");
        if (!c.items.every((x) => typeof x === "string")) {
          throw new RuffError("Each command must be an array of strings");
        }
        if (c.items.length === 0) throw new RuffError("Each command array must not be empty");
        argvs.push(c.items as string[]);
      }
      let input: Uint8Array | null = null;
      for (const argv of argvs) {
        const r = await runPiped(argv, input);
        if (r.code !== 0) {
          throw new RuffError(
            `Command '${argv.join(" ")}' failed with exit code ${r.code}: ${
              lossy.decode(r.stderr)
            }`,
          );
        }
        input = r.stdout;
      }
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(input!);
      } catch {
        throw new RuffError("Failed to decode output as UTF-8: invalid utf-8 sequence");
      }
    },
  },
];

/** The paths, OS, environment and process category. */
export const os: NativeCategory = { name: "os", natives };
