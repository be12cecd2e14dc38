/**
 * `ruff profile FILE [ARGS...] [--cpu] [--memory] [--flamegraph OUT]` (LANGUAGE.md §17.1): runs
 * FILE as `ruff run` does, with {@link Profiler} hooks on the VM and the JIT off (so every call
 * is seen and counted), then prints the per-function table to stderr.
 *
 * @module
 */

import { RuffSyntaxError } from "../errors.ts";
import { Profiler } from "../profiler.ts";
import { runSession, Session } from "../runner.ts";
import type { Parsed } from "./args.ts";
import { flameGraphSvg } from "./flamegraph.ts";
import { jitOptions } from "./run.ts";
import { type CliContext, cliError, readSource, reportSyntax } from "./source.ts";
import { err, out, Paint } from "./term.ts";

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** `ruff profile`. Exit status as for `run`; 1 also when OUT cannot be written. */
export async function cmdProfile(parsed: Parsed, ctx: CliContext): Promise<number> {
  const file = parsed.positionals[0];
  const source = readSource(file, ctx.color);
  if (source === null) return 1;
  const session = new Session({
    file,
    args: parsed.rest,
    stdout: out,
    stderr: err,
    color: ctx.color,
    jit: { ...jitOptions(parsed), enabled: false },
  });
  const profiler = new Profiler();
  session.vm.prof = profiler;
  let code: number;
  profiler.start();
  try {
    code = (await runSession(session, source)).exitCode;
  } catch (e) {
    if (e instanceof RuffSyntaxError) return reportSyntax(e, ctx.color);
    throw e;
  } finally {
    profiler.stop();
    session.vm.prof = null;
  }
  const p = new Paint(ctx.color);
  let report = "\n" + profiler.report({
    title: `${p.bold("Profile of")} ${file} ${
      p.dim("(JIT disabled while profiling, so call counts are exact)")
    }`,
    bold: (s) => p.bold(s),
  });
  if (parsed.values.memory) {
    const m = Deno.memoryUsage();
    report += `Memory after the run: heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, ` +
      `RSS ${mb(m.rss)}\n`;
  }
  err(report);
  const target = parsed.values.flamegraph;
  if (typeof target === "string") {
    const svg = target.toLowerCase().endsWith(".svg");
    const text = svg ? flameGraphSvg(profiler.root, `ruff profile ${file}`) : profiler.folded();
    try {
      Deno.writeTextFileSync(target, text);
    } catch (e) {
      err(cliError(`cannot write '${target}': ${(e as Error).message}`, null, ctx.color));
      return code === 0 ? 1 : code;
    }
    const what = svg ? "Flame graph (SVG)" : "Folded stacks (self time in µs)";
    err(`${what} written to ${target} (${profiler.root.size()} stacks)\n`);
  }
  return code;
}
