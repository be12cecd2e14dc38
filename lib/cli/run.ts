/**
 * `ruff run [OPTIONS] FILE [ARGS...]` (LANGUAGE.md §17.2).
 *
 * @module
 */

import { RuffSyntaxError } from "../errors.ts";
import { jitEnvDefaults, type JitOptions } from "../jit/options.ts";
import { compile, runSession, Session } from "../runner.ts";
import { jitFromFlags, type Parsed } from "./args.ts";
import { type CliContext, readSource, reportSyntax } from "./source.ts";
import { err, out } from "./term.ts";

/** The JIT settings of a command: the environment's defaults with the flags on top. */
export function jitOptions(parsed: Parsed): JitOptions {
  return jitFromFlags(parsed.values, jitEnvDefaults());
}

/** `ruff run [OPTIONS] FILE [ARGS...]`. */
export async function cmdRun(parsed: Parsed, ctx: CliContext): Promise<number> {
  const file = parsed.positionals[0];
  const source = readSource(file, ctx.color);
  if (source === null) return 1;
  try {
    if (parsed.values["dump-bytecode"]) {
      out(compile(source, file).disassemble() + "\n");
      return 0;
    }
    const session = new Session({
      file,
      args: parsed.rest,
      stdout: out,
      stderr: err,
      color: ctx.color,
      jit: jitOptions(parsed),
    });
    const r = await runSession(session, source);
    return r.exitCode;
  } catch (e) {
    if (e instanceof RuffSyntaxError) return reportSyntax(e, ctx.color);
    throw e;
  }
}
