/**
 * The single table of native functions. Each category file declares its natives once, with
 * name, arity, doc line and implementation; arity errors, `ruff --help` listings and the
 * built-in scope all derive from these declarations.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { NativeFn, type NativeImpl, typeName, type Value } from "../values.ts";

/** Declaration of one native. */
export interface NativeSpec {
  /** Global name. */
  name: string;
  /** Parameter names for docs, e.g. `"s, sep"`; `"...values"` for variadic. */
  params: string;
  /** Minimum argument count. */
  min: number;
  /** Maximum argument count (`Infinity` for variadic). Defaults to `min`. */
  max?: number;
  /** One-line description. */
  doc: string;
  /** Implementation. Arity is already checked when it runs. */
  impl: NativeImpl;
}

/** A category of natives (one file under `lib/runtime/`). */
export interface NativeCategory {
  name: string;
  natives: NativeSpec[];
}

/** Builds the NativeFn value for a declaration. */
export function toNativeFn(spec: NativeSpec): NativeFn {
  return new NativeFn(spec.name, spec.min, spec.max ?? spec.min, spec.impl, spec.doc);
}

/** The arity error text of LANGUAGE.md §7.2 / §15.2. */
export function arityMessage(name: string, min: number, max: number, got: number): string {
  if (min === max) return `${name} expects ${min} arguments, got ${got}`;
  if (max === Infinity) return `${name} expects at least ${min} arguments, got ${got}`;
  return `${name} expects ${min} to ${max} arguments, got ${got}`;
}

/** Raises `<name>() requires <what>` (LANGUAGE.md §15.2). */
export function requires(name: string, what: string): never {
  throw new RuffError(`${name}() requires ${what}`);
}

/** Describes a value's type for messages. */
export function describe(v: Value): string {
  return typeName(v);
}
