/**
 * The `ruff` command line (LANGUAGE.md §17): `run`, `check`, `repl`, `test`, `test-run`,
 * `bench`, `profile`, `completions`, `help`, `--version`, `--help`. Commands and flags are
 * declared once in `lib/cli/spec.ts`; help and completion scripts are generated from it.
 *
 * ```sh
 * deno run -A cli.ts examples/hello.ruff
 * deno run -A cli.ts help bench
 * ```
 *
 * Exit status: 0 on success, 1 for errors of the program (or failed tests and benchmarks),
 * 2 for usage errors, `n` after `exit(n)`.
 *
 * @module
 */

import { closest, parseCommand, type Parsed, UsageError } from "./lib/cli/args.ts";
import { COMMANDS, type CommandSpec, findCommand, GLOBAL_FLAGS } from "./lib/cli/spec.ts";
import { type CliContext, cliError } from "./lib/cli/source.ts";
import { err, out, useColor } from "./lib/cli/term.ts";
import { version } from "./lib/version.ts";
import { ownUrl } from "./lib/own.ts";

const RUN = findCommand("run")!;

/** The modules of the commands other than `run`, loaded when used. */
interface Modules {
  check: typeof import("./lib/cli/check.ts");
  repl: typeof import("./lib/cli/repl.ts");
  snapshot: typeof import("./lib/cli/snapshot.ts");
  test_run: typeof import("./lib/cli/test_run.ts");
  bench: typeof import("./lib/cli/bench.ts");
  profile: typeof import("./lib/cli/profile.ts");
  completions: typeof import("./lib/cli/completions.ts");
  help: typeof import("./lib/cli/help.ts");
}

/**
 * Imports `lib/cli/NAME.ts`. The specifier is computed, so these modules stay out of the module
 * graph Deno loads at start-up (which `ruff run` pays for); `typeof import(…)` above keeps them
 * type-checked. `run` itself is imported with a literal specifier.
 */
function load<K extends keyof Modules>(name: K): Promise<Modules[K]> {
  return import(ownUrl(`./lib/cli/${name}.ts`, import.meta.url));
}

/** `ruff [RUN OPTIONS] FILE`: the run flags plus the global ones, reported at the top level. */
const TOP: CommandSpec = {
  ...RUN,
  name: "",
  flags: [...RUN.flags, ...GLOBAL_FLAGS.filter((f) => f.long !== "help")],
};

function context(): CliContext {
  return { color: useColor(Deno.stderr), colorOut: useColor(Deno.stdout) };
}

/** A bare word that is not a command is run as a file when it looks like one. */
function looksLikeFile(word: string): boolean {
  if (/[./\\]/.test(word)) return true;
  try {
    Deno.statSync(word);
    return true;
  } catch {
    return false;
  }
}

async function command(cmd: CommandSpec, p: Parsed, ctx: CliContext): Promise<number> {
  switch (cmd.name) {
    case "run":
      return await (await import("./lib/cli/run.ts")).cmdRun(p, ctx);
    case "check":
      return (await load("check")).cmdCheck(p, ctx);
    case "repl":
      return await (await load("repl")).runRepl({ color: ctx.colorOut });
    case "test": {
      const { runSnapshotTests } = await load("snapshot");
      return await runSnapshotTests({
        dir: p.positionals[0] ?? "tests",
        update: p.values.update === true,
        verbose: p.values.verbose === true,
        color: ctx.colorOut,
      });
    }
    case "test-run": {
      const { runTestBlocks } = await load("test_run");
      return await runTestBlocks({
        file: p.positionals[0],
        verbose: p.values.verbose === true,
        color: ctx.colorOut,
      });
    }
    case "bench":
      return await (await load("bench")).cmdBench(p, ctx);
    case "profile":
      return await (await load("profile")).cmdProfile(p, ctx);
    case "completions": {
      const { completionScript } = await load("completions");
      out(completionScript(p.positionals[0] as "bash" | "zsh" | "fish"));
      return 0;
    }
    case "help": {
      const help = await load("help");
      const name = p.positionals[0];
      if (name === undefined) {
        out(help.mainHelp(ctx.colorOut));
        return 0;
      }
      const target = findCommand(name);
      if (!target) throw unknownCommand(name, "help");
      out(help.commandHelp(target, ctx.colorOut));
      return 0;
    }
  }
  throw new UsageError(`unknown command '${cmd.name}'`);
}

function unknownCommand(word: string, inHelp?: "help"): UsageError {
  const names = COMMANDS.map((c) => c.name);
  const m = closest(word, names);
  const hint = m
    ? `did you mean '${m}'?`
    : inHelp
    ? `commands: ${names.join(", ")}`
    : "to run a file, use 'ruff run FILE'";
  return new UsageError(`unknown command '${word}'`, hint);
}

/** Runs the command line `argv`; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const ctx = context();
  try {
    const first = argv[0];
    if (first === undefined) {
      err((await load("help")).mainHelp(ctx.color));
      return 2;
    }
    if (first === "--version" || first === "-V") {
      if (argv.length > 1) throw new UsageError(`unexpected argument '${argv[1]}'`);
      out(`ruff ${version}\n`);
      return 0;
    }
    if (first === "--help" || first === "-h") {
      out((await load("help")).mainHelp(ctx.colorOut));
      return 0;
    }
    const cmd = findCommand(first);
    let spec: CommandSpec;
    let rest: string[];
    if (cmd) {
      spec = cmd;
      rest = argv.slice(1);
    } else if (first.startsWith("-") && first !== "-") {
      spec = TOP; // `ruff --no-jit FILE`
      rest = argv;
    } else if (looksLikeFile(first)) {
      spec = RUN;
      rest = argv;
    } else throw unknownCommand(first);
    const parsed = await parseCommand(spec, rest);
    if (parsed.values.version) {
      out(`ruff ${version}\n`);
      return 0;
    }
    if (parsed.values.help) {
      const help = await load("help");
      out(spec === TOP ? help.mainHelp(ctx.colorOut) : help.commandHelp(spec, ctx.colorOut));
      return 0;
    }
    return await command(spec === TOP ? RUN : spec, parsed, ctx);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const help = e.command ? `ruff help ${e.command}` : "ruff --help";
    err(cliError(e.message, e.hint, ctx.color) + `Run '${help}' for usage.\n`);
    return 2;
  }
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (e) {
    err(`Internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    code = 70;
  }
  Deno.exit(code);
}
