/**
 * Ruff for Deno: the Ruff scripting language (version 0.9.0) in TypeScript.
 *
 * ```ts
 * import { run } from "./mod.ts";
 * const result = await run('x := 6 * 7\nprint("x is ${x}")');
 * console.log(result.output); // "x is 42\n"
 * console.log(result.get("x")); // 42 (an Int)
 * ```
 *
 * @module
 */

export { version } from "./lib/version.ts";
export { parse } from "./lib/parser.ts";
export { check, compile, run, type RunOptions, type RunResult } from "./lib/runner.ts";
export { Environment } from "./lib/environment.ts";
export { RuffError, RuffSyntaxError, type SyntaxIssue } from "./lib/errors.ts";
export type { Program } from "./lib/ast.ts";
export {
  BoundMethod,
  Closure,
  display,
  EnumDef,
  formatFloat,
  Handle,
  isFloat,
  isInt,
  mkFloat,
  type NativeContext,
  NativeFn,
  type NativeImpl,
  RArray,
  RBytes,
  RDict,
  REnum,
  repr,
  RError,
  Resource,
  RFloat,
  ROption,
  RQueue,
  RResult,
  RSet,
  RStack,
  RStruct,
  StructDef,
  truthy,
  typeName,
  type Value,
  valuesEqual,
} from "./lib/values.ts";
