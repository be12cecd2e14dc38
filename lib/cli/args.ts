/**
 * Argument parsing for the `ruff` command tree, driven by {@link ./spec.ts}.
 *
 * Commands whose arguments are all flags and positionals are parsed with `node:util`'s
 * `parseArgs` (imported on first use). Pass-through commands (`run`, `profile`) stop parsing at
 * FILE and hand the rest to the program, which `parseArgs` cannot express, so they use the small
 * scanner below; it reads the same spec and reports errors in the same words, and keeps
 * `node:util` off the start-up path of `ruff run`.
 *
 * @module
 */

import type { JitOptions } from "../jit/options.ts";
import type { CommandSpec, FlagSpec } from "./spec.ts";
import { flagsOf } from "./spec.ts";

/** A command-line usage error: reported on stderr, exit status 2. */
export class UsageError extends Error {
  /**
   * Creates the error.
   * @param message what is wrong
   * @param hint a one-line suggestion (`did you mean '--jit-stats'?`), or null
   * @param command the command whose help to point at, or null for the top level
   */
  constructor(
    message: string,
    readonly hint: string | null = null,
    readonly command: string | null = null,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parsed flags (by long name) and arguments of one command. */
export interface Parsed {
  /** Flag values: `true` for boolean flags, the text for valued ones. */
  values: Record<string, string | boolean>;
  /** Positional arguments (FILE, DIR, …), not including the program's ARGS. */
  positionals: string[];
  /** Pass-through commands: the program's arguments after FILE. */
  rest: string[];
}

/**
 * Edit distance between `a` and `b`: insertions, deletions, substitutions and transpositions of
 * adjacent characters each count 1 (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        d[0][j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2][j - 2] + 1);
      }
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `word` when it is close enough to be a plausible typo (distance at
 * most a third of the word's length, rounded, at least 1 and at most 3), else a candidate that
 * starts with `word` (three characters or more), else null.
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const list = [...candidates];
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of list) {
    const d = editDistance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.round(word.replace(/^-+/, "").length / 3)));
  if (best !== null && bestD <= limit) return best;
  if (word.replace(/^-+/, "").length >= 3) {
    for (const c of list) if (c.startsWith(word)) return c;
  }
  return null;
}

/** `did you mean '…'?` for an unknown flag `raw`, or null (never for one-letter flags). */
function flagHint(raw: string, flags: readonly FlagSpec[]): string | null {
  if (/^-[^-]$/.test(raw)) return null;
  // `-verbose` is taken for `--verbose`.
  const word = raw.startsWith("--") ? raw : `-${raw}`;
  const m = closest(word, flags.map((f) => `--${f.long}`));
  return m ? `did you mean '${m}'?` : null;
}

/** Where a command's errors point: `'run'` or the top level. */
function where(cmd: CommandSpec | null): string {
  return cmd?.name ? ` for '${cmd.name}'` : "";
}

/** Checks one flag value against its spec; returns the value or throws a {@link UsageError}. */
function checkValue(flag: FlagSpec, raw: string, value: string, cmd: CommandSpec | null): string {
  const name = cmd?.name ?? null;
  if (flag.choices && !flag.choices.includes(value)) {
    const m = closest(value, flag.choices);
    throw new UsageError(
      `invalid value '${value}' for '${raw}': expected ${flag.choices.join(" or ")}`,
      m ? `did you mean '${m}'?` : null,
      name,
    );
  }
  if (flag.check === "uint" && !/^\d+$/.test(value)) {
    throw new UsageError(
      `invalid value '${value}' for '${raw}': expected a non-negative integer`,
      null,
      name,
    );
  }
  if (flag.check === "posint" && !/^0*[1-9]\d*$/.test(value)) {
    throw new UsageError(
      `invalid value '${value}' for '${raw}': expected a positive integer`,
      null,
      name,
    );
  }
  return value;
}

function findFlag(flags: readonly FlagSpec[], name: string, short: boolean): FlagSpec | undefined {
  return flags.find((f) => (short ? f.short === name : f.long === name));
}

function unknownFlag(raw: string, flags: readonly FlagSpec[], cmd: CommandSpec | null): never {
  throw new UsageError(`unknown option '${raw}'${where(cmd)}`, flagHint(raw, flags), cmd?.name);
}

/**
 * Reads one flag at `argv[i]` (which starts with `-`) into `values`; returns the index of the
 * last argument it used. Understands `--name`, `--name=value`, `--name value`, `-x`, `-x value`,
 * `-xvalue` and `-x=value`.
 */
function takeFlag(
  argv: readonly string[],
  i: number,
  flags: readonly FlagSpec[],
  cmd: CommandSpec | null,
  values: Record<string, string | boolean>,
): number {
  const a = argv[i];
  let raw: string;
  let inline: string | undefined;
  let flag: FlagSpec | undefined;
  if (a.startsWith("--")) {
    const eq = a.indexOf("=");
    raw = eq < 0 ? a : a.slice(0, eq);
    inline = eq < 0 ? undefined : a.slice(eq + 1);
    flag = findFlag(flags, raw.slice(2), false);
  } else {
    raw = a.slice(0, 2);
    const tail = a.slice(2);
    inline = tail === "" ? undefined : tail.startsWith("=") ? tail.slice(1) : tail;
    flag = findFlag(flags, a[1], true);
    if (!flag || (!flag.value && inline !== undefined)) unknownFlag(a.split("=")[0], flags, cmd);
  }
  if (!flag) unknownFlag(raw, flags, cmd);
  if (!flag.value) {
    if (inline !== undefined) {
      throw new UsageError(`option '${raw}' takes no value`, null, cmd?.name ?? null);
    }
    values[flag.long] = true;
    return i;
  }
  let v = inline;
  if (v === undefined) {
    if (i + 1 >= argv.length) {
      throw new UsageError(
        `option '${raw}' needs a value ${flag.value}`,
        flag.choices ? `one of: ${flag.choices.join(", ")}` : null,
        cmd?.name ?? null,
      );
    }
    v = argv[++i];
  }
  values[flag.long] = checkValue(flag, raw, v, cmd);
  return i;
}

/**
 * Parses a pass-through command (`run`, `profile`): flags up to the first positional (FILE);
 * after FILE, only flags marked `trailing` are taken (until `--`); the rest belongs to the
 * program. No `node:util` is loaded.
 */
export function scanPassThrough(cmd: CommandSpec, argv: readonly string[]): Parsed {
  const flags = flagsOf(cmd);
  const values: Record<string, string | boolean> = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== "-") break;
    i = takeFlag(argv, i, flags, cmd, values);
  }
  if (values.help || values.version) return { values, positionals: [], rest: [] };
  const file = argv[i];
  if (file === undefined) {
    throw new UsageError(`missing FILE${where(cmd)}`, null, cmd.name);
  }
  const rest: string[] = [];
  const trailing = flags.filter((f) => f.trailing);
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j];
    if (trailing.length > 0 && a === "--") {
      rest.push(...argv.slice(j + 1));
      break;
    }
    const name = a.startsWith("--") ? a.slice(2).split("=")[0] : null;
    if (name !== null && trailing.some((f) => f.long === name)) {
      j = takeFlag(argv, j, trailing, cmd, values);
    } else rest.push(a);
  }
  return { values, positionals: [file], rest };
}

/**
 * Parses a command whose arguments are all flags and positionals, with `node:util` `parseArgs`
 * (tokens mode), then checks names, values and the number of positionals against the spec.
 */
export async function parseCommand(cmd: CommandSpec, argv: readonly string[]): Promise<Parsed> {
  if (cmd.passThrough) return scanPassThrough(cmd, argv);
  const flags = flagsOf(cmd);
  // `-verbose`: parseArgs would read a group of one-letter flags; report the word instead.
  for (const a of argv) {
    if (a === "--") break;
    if (/^-[^-]{2,}/.test(a) && !flags.some((f) => f.value && f.short === a[1])) {
      unknownFlag(a, flags, cmd);
    }
  }
  const { parseArgs } = await import("node:util");
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const f of flags) {
    options[f.long] = { type: f.value ? "string" : "boolean" };
    if (f.short) options[f.long].short = f.short;
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const t of tokens ?? []) {
    if (t.kind === "positional") positionals.push(t.value);
    else if (t.kind === "option") {
      const flag = flags.find((f) => f.long === t.name);
      if (!flag) unknownFlag(t.rawName, flags, cmd);
      if (!flag.value) {
        if (t.value !== undefined) {
          throw new UsageError(`option '${t.rawName}' takes no value`, null, cmd.name);
        }
        values[flag.long] = true;
      } else {
        if (t.value === undefined) {
          throw new UsageError(
            `option '${t.rawName}' needs a value ${flag.value}`,
            flag.choices ? `one of: ${flag.choices.join(", ")}` : null,
            cmd.name,
          );
        }
        values[flag.long] = checkValue(flag, t.rawName, t.value, cmd);
      }
    }
  }
  if (values.help) return { values, positionals, rest: [] };
  const specs = cmd.positionals;
  const required = specs.filter((p) => p.required).length;
  if (positionals.length < required) {
    const missing = specs[positionals.length];
    throw new UsageError(
      `missing ${missing.name}${where(cmd)}`,
      missing.choices ? `one of: ${missing.choices.join(", ")}` : null,
      cmd.name,
    );
  }
  if (positionals.length > specs.length) {
    throw new UsageError(
      `unexpected argument '${positionals[specs.length]}'${where(cmd)}`,
      null,
      cmd.name,
    );
  }
  positionals.forEach((v, k) => {
    const p = specs[k];
    if (p.choices && !p.choices.includes(v)) {
      const m = closest(v, p.choices);
      throw new UsageError(
        `invalid ${p.name} '${v}'${where(cmd)}: expected ${p.choices.join(", ")}`,
        m ? `did you mean '${m}'?` : null,
        cmd.name,
      );
    }
  });
  return { values, positionals, rest: [] };
}

/**
 * The JIT settings from parsed flags (`--no-jit`, `--jit-threshold`, `--jit-backend`,
 * `--jit-stats`, `--jit-dump`) laid over `defaults` (the environment's, see `jitEnvDefaults`).
 * Only flags that were given override a default.
 */
export function jitFromFlags(
  values: Record<string, string | boolean>,
  defaults: JitOptions,
): JitOptions {
  const jit: JitOptions = { ...defaults };
  if (values["no-jit"]) jit.enabled = false;
  if (typeof values["jit-threshold"] === "string") jit.threshold = Number(values["jit-threshold"]);
  if (values["jit-backend"] === "direct" || values["jit-backend"] === "binaryen") {
    jit.backend = values["jit-backend"];
  }
  if (values["jit-stats"]) jit.stats = true;
  if (values["jit-dump"]) jit.dump = true;
  return jit;
}
