/**
 * Help text generated from the command spec: `ruff --help` and `ruff help COMMAND`
 * (also `ruff COMMAND --help`).
 *
 * @module
 */

import { version } from "../version.ts";
import { COMMANDS, type CommandSpec, flagsOf, type FlagSpec, GLOBAL_FLAGS } from "./spec.ts";
import { Paint } from "./term.ts";

/** `-i, --iterations N` */
function flagLabel(f: FlagSpec): string {
  const long = `--${f.long}${f.value ? ` ${f.value}` : ""}`;
  return f.short ? `-${f.short}, ${long}` : `    ${long}`;
}

/** Two columns; the second is wrapped to keep lines within 100 columns. */
function table(rows: [string, string][], p: Paint, indent = "  "): string {
  const w = Math.max(...rows.map(([a]) => a.length));
  const pad = " ".repeat(indent.length + w + 2);
  return rows.map(([a, b]) =>
    `${indent}${p.cyan(a)}${" ".repeat(w - a.length + 2)}${wrap(b, pad, 100).slice(pad.length)}`
  ).join("\n");
}

/** Wraps `text` to lines of at most `width` columns, each starting with `indent`. */
function wrap(text: string, indent: string, width = 96): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

/** The usage line of a command: `ruff bench [OPTIONS] [PATH]`. */
export function usageLine(cmd: CommandSpec): string {
  const parts = ["ruff", cmd.name];
  if (cmd.flags.length) parts.push("[OPTIONS]");
  for (const p of cmd.positionals) {
    const n = p.rest ? `${p.name}...` : p.name;
    parts.push(p.required ? n : `[${n}]`);
  }
  return parts.join(" ");
}

/** The top-level help (`ruff --help`). */
export function mainHelp(color = false): string {
  const p = new Paint(color);
  const cmds = table(COMMANDS.map((c) => [c.name, c.summary]), p);
  const opts = table(GLOBAL_FLAGS.map((f) => [flagLabel(f), f.help]), p);
  return `ruff ${version} — the Ruff scripting language on Deno

${p.bold("Usage:")}
  ruff [RUN OPTIONS] FILE [ARGS...]   run a program (same as 'ruff run FILE')
  ruff COMMAND [OPTIONS] [ARGS...]

${p.bold("Commands:")}
${cmds}

${p.bold("Options:")}
${opts}

Run 'ruff help COMMAND' for the options of a command.
`;
}

/** The help of one command (`ruff help COMMAND`). */
export function commandHelp(cmd: CommandSpec, color = false): string {
  const p = new Paint(color);
  let s = `ruff ${cmd.name} — ${cmd.summary}\n\n${p.bold("Usage:")}\n  ${usageLine(cmd)}\n`;
  if (cmd.name === "run") s += "  ruff [OPTIONS] FILE [ARGS...]\n";
  if (cmd.details) s += `\n${wrap(cmd.details, "")}\n`;
  if (cmd.positionals.length) {
    const rows: [string, string][] = cmd.positionals.map((a) => [
      a.rest ? `${a.name}...` : a.name,
      a.help,
    ]);
    s += `\n${p.bold("Arguments:")}\n${table(rows, p)}\n`;
  }
  const rows: [string, string][] = flagsOf(cmd).map((f) => [
    flagLabel(f),
    f.choices ? `${f.help} [${f.choices.join(", ")}]` : f.help,
  ]);
  s += `\n${p.bold("Options:")}\n${table(rows, p)}\n`;
  if (cmd.examples?.length) {
    s += `\n${p.bold("Examples:")}\n${cmd.examples.map((e) => `  ${e}`).join("\n")}\n`;
  }
  return s;
}
