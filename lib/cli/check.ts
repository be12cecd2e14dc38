/**
 * `ruff check FILE`: lex, parse and apply the static checks without running anything.
 *
 * @module
 */

import { RuffSyntaxError } from "../errors.ts";
import { parse } from "../parser.ts";
import type { Parsed } from "./args.ts";
import { type CliContext, readSource, reportSyntax } from "./source.ts";
import { out } from "./term.ts";

/** `ruff check FILE`: syntax only. */
export function cmdCheck(parsed: Parsed, ctx: CliContext): number {
  const file = parsed.positionals[0];
  const source = readSource(file, ctx.color);
  if (source === null) return 1;
  try {
    parse(source, file);
  } catch (e) {
    if (e instanceof RuffSyntaxError) return reportSyntax(e, ctx.color);
    throw e;
  }
  out(`${file}: OK\n`);
  return 0;
}
