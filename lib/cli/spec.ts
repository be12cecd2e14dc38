/**
 * The one declarative description of the `ruff` command line (LANGUAGE.md §17.1). The argument
 * parser ({@link ./args.ts}), the generated help ({@link ./help.ts}) and the shell completion
 * scripts ({@link ./completions.ts}) are all derived from {@link COMMANDS} and
 * {@link GLOBAL_FLAGS}; nothing else lists commands or flags.
 *
 * This module is data only (no imports), so `ruff run` pays nothing for it.
 *
 * @module
 */

/** How a shell completes a value: a Ruff file, a directory, any path, or nothing. */
export type Completion = "ruff-file" | "dir" | "path" | "file" | "command" | "none";

/** How a flag's value is checked. */
export type ValueCheck = "uint" | "posint";

/** One flag of a command. */
export interface FlagSpec {
  /** Long name without the dashes, e.g. `jit-threshold`. */
  readonly long: string;
  /** One-letter alias without the dash, e.g. `i`. */
  readonly short?: string;
  /** Placeholder of the value (`N`, `OUT`); absent for boolean flags. */
  readonly value?: string;
  /** The accepted values, when they are a fixed set. */
  readonly choices?: readonly string[];
  /** Check applied to the value. */
  readonly check?: ValueCheck;
  /** How shells complete the value. */
  readonly complete?: Completion;
  /** One-line description for the help text. */
  readonly help: string;
  /** Pass-through commands only: the flag is also recognised after FILE (`profile --cpu`). */
  readonly trailing?: boolean;
}

/** One positional argument of a command. */
export interface PositionalSpec {
  /** Placeholder shown in usage lines (`FILE`, `DIR`, `ARGS`). */
  readonly name: string;
  /** False when the argument may be left out. */
  readonly required: boolean;
  /** The rest of the command line, passed to the program unparsed (`ARGS...`). */
  readonly rest?: boolean;
  /** The accepted values, when they are a fixed set. */
  readonly choices?: readonly string[];
  /** How shells complete the argument. */
  readonly complete: Completion;
  /** One-line description for the help text. */
  readonly help: string;
}

/** One command. */
export interface CommandSpec {
  /** The command word. */
  readonly name: string;
  /** One-line summary (command list, completion descriptions). */
  readonly summary: string;
  /** Longer text shown by `ruff help COMMAND`, after the usage. */
  readonly details?: string;
  /** Positional arguments in order; a `rest` one must be last. */
  readonly positionals: readonly PositionalSpec[];
  /** The command's flags (`--help` is added to every command). */
  readonly flags: readonly FlagSpec[];
  /**
   * Flags end at the first positional (FILE); everything after it belongs to the program, except
   * flags marked `trailing`. These commands are parsed without loading `node:util`.
   */
  readonly passThrough?: boolean;
  /** Example command lines for the help text. */
  readonly examples?: readonly string[];
}

/** `--help`, accepted by every command. */
export const HELP_FLAG: FlagSpec = { long: "help", short: "h", help: "Show help and exit" };

/** Flags accepted before any command. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  HELP_FLAG,
  { long: "version", short: "V", help: "Print the version (ruff 0.9.0) and exit" },
];

/** The JIT flags shared by `run`, `bench` and `profile`. */
export const JIT_FLAGS: readonly FlagSpec[] = [
  { long: "no-jit", help: "Run on the bytecode interpreter only (env RUFF_JIT=0)" },
  {
    long: "jit-threshold",
    value: "N",
    check: "uint",
    complete: "none",
    help: "Calls or loop iterations before compiling (default 50; env RUFF_JIT_THRESHOLD)",
  },
  {
    long: "jit-backend",
    value: "BACKEND",
    choices: ["direct", "binaryen"],
    help: "WebAssembly emitter (default direct; env RUFF_JIT_BACKEND)",
  },
  { long: "jit-stats", help: "Print JIT statistics to stderr after the run" },
  { long: "jit-dump", help: "Print every compiled unit as WAT to stderr" },
];

const FILE_ARG: PositionalSpec = {
  name: "FILE",
  required: true,
  complete: "ruff-file",
  help: "the Ruff program to read",
};

const PROGRAM_ARGS: PositionalSpec = {
  name: "ARGS",
  required: false,
  rest: true,
  complete: "path",
  help: "arguments for the program, returned by args() (may start with '-')",
};

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "run",
    summary: "Run a program",
    details: "`ruff FILE [ARGS...]` is the same as `ruff run FILE [ARGS...]`. Options go before " +
      "FILE; everything after FILE is passed to the program. Exit status: 0, 1 after a syntax or " +
      "uncaught runtime error, n after exit(n).",
    positionals: [FILE_ARG, PROGRAM_ARGS],
    flags: [
      { long: "dump-bytecode", help: "Print the compiled bytecode instead of running" },
      { long: "interpreter", help: "Accepted and ignored (there is one engine)" },
      ...JIT_FLAGS,
    ],
    passThrough: true,
    examples: ["ruff run examples/hello.ruff", "ruff run --no-jit tool.ruff --verbose input.txt"],
  },
  {
    name: "check",
    summary: "Check syntax without running",
    details: "Prints `FILE: OK` and exits 0, or reports the syntax errors and exits 1.",
    positionals: [FILE_ARG],
    flags: [],
  },
  {
    name: "repl",
    summary: "Start an interactive session",
    details: "Type :help inside the REPL for its commands; end of input or :quit leaves.",
    positionals: [],
    flags: [],
  },
  {
    name: "test",
    summary: "Run snapshot tests (each FILE.ruff against FILE.out)",
    positionals: [{
      name: "DIR",
      required: false,
      complete: "dir",
      help: "directory of .ruff files with .out snapshots (default: tests)",
    }],
    flags: [
      { long: "update", help: "Rewrite the .out snapshots with the actual output" },
      { long: "verbose", short: "v", help: "Print more detail" },
    ],
  },
  {
    name: "test-run",
    summary: "Run the test blocks of a file",
    positionals: [FILE_ARG],
    flags: [{ long: "verbose", short: "v", help: "List passing tests too" }],
  },
  {
    name: "bench",
    summary: "Benchmark programs (warm-up and measured runs)",
    details: "PATH is a .ruff file or a directory whose .ruff files run in name order (default: " +
      "examples/benchmarks). Each run uses a fresh interpreter with the program's output " +
      "suppressed. A failing benchmark is reported and makes the exit status 1.",
    positionals: [{
      name: "PATH",
      required: false,
      complete: "path",
      help: "a .ruff file or a directory (default: examples/benchmarks)",
    }],
    flags: [
      {
        long: "iterations",
        short: "i",
        value: "N",
        check: "posint",
        complete: "none",
        help: "Measured runs per program (default 10)",
      },
      {
        long: "warmup",
        short: "w",
        value: "N",
        check: "uint",
        complete: "none",
        help: "Warm-up runs per program (default 2)",
      },
      { long: "json", help: "Print the results as a JSON array" },
      ...JIT_FLAGS,
    ],
    examples: ["ruff bench", "ruff bench -i 20 -w 5 --json examples/benchmarks"],
  },
  {
    name: "profile",
    summary: "Run a program and report time per function",
    details: "Runs FILE as `ruff run` would (with the JIT disabled, so call counts are exact), " +
      "then prints to stderr, per function, the calls, total and self time sorted by total time. " +
      "Profile options may also follow FILE; put `--` before program arguments that look like them.",
    positionals: [FILE_ARG, PROGRAM_ARGS],
    flags: [
      { long: "cpu", trailing: true, help: "Time profile (the default; accepted)" },
      { long: "memory", trailing: true, help: "Also report heap and RSS use after the run" },
      {
        long: "flamegraph",
        value: "OUT",
        complete: "file",
        trailing: true,
        help:
          "Write folded stacks (self time in microseconds) to OUT; an SVG when OUT ends in .svg",
      },
      ...JIT_FLAGS,
    ],
    passThrough: true,
    examples: ["ruff profile app.ruff", "ruff profile app.ruff --flamegraph app.svg"],
  },
  {
    name: "completions",
    summary: "Print a shell completion script",
    details:
      "bash: `source <(ruff completions bash)`; zsh: `ruff completions zsh > ~/.zfunc/_ruff`; " +
      "fish: `ruff completions fish > ~/.config/fish/completions/ruff.fish`.",
    positionals: [{
      name: "SHELL",
      required: true,
      choices: ["bash", "zsh", "fish"],
      complete: "none",
      help: "bash, zsh or fish",
    }],
    flags: [],
  },
  {
    name: "help",
    summary: "Show help for a command",
    positionals: [{
      name: "COMMAND",
      required: false,
      complete: "command",
      help: "the command to describe",
    }],
    flags: [],
  },
];

/** The command named `name`, or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Every flag of `cmd`, `--help` included. */
export function flagsOf(cmd: CommandSpec): readonly FlagSpec[] {
  return [...cmd.flags, HELP_FLAG];
}
