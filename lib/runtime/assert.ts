/**
 * Assertion and debug natives (builtins.md §3.8), with `assert` using language truthiness
 * (LANGUAGE.md §15 rule 5).
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import {
  BoundMethod,
  Closure,
  EnumDef,
  formatFloat,
  Handle,
  NativeFn,
  RArray,
  RBytes,
  RDict,
  REnum,
  RError,
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
} from "../values.ts";
import type { NativeCategory } from "./registry.ts";
import { debugForm, deepEqual, keyOf, requires } from "./args.ts";

/** The text `debug` prints for one value (builtins.md §3.8 `debug_value`). */
export function debugValue(v: Value): string {
  switch (typeof v) {
    case "number":
    case "bigint":
      return `Int(${v})`;
    case "string":
      return `String("${v}")`;
    case "boolean":
      return `Bool(${v})`;
  }
  if (v === null) return "Null";
  const list = (xs: Value[]) => xs.map(debugValue).join(", ");
  if (v instanceof RFloat) return `Float(${formatFloat(v.v)})`;
  if (v instanceof RArray) return `Array[${list(v.items)}]`;
  if (v instanceof RDict) {
    return `Dict{${v.sortedKeys().map((k) => `${k}: ${debugValue(v.map.get(k)!)}`).join(", ")}}`;
  }
  if (v instanceof RSet) return `Set{${list(v.items)}}`;
  if (v instanceof RQueue) return `Queue[${list(v.items)}]`;
  if (v instanceof RStack) return `Stack[${list(v.items)}]`;
  if (v instanceof RStruct) return `Struct(${v.def.name})`;
  if (v instanceof Closure || v instanceof BoundMethod) return "Function";
  if (v instanceof NativeFn) return `NativeFunction(${v.name})`;
  if (v instanceof RResult) return `${v.ok ? "Ok" : "Err"}(${debugValue(v.value)})`;
  if (v instanceof ROption) return v.some ? `Some(${debugValue(v.value)})` : "None";
  if (v instanceof RBytes) return `Bytes(${v.data.length} bytes)`;
  if (v instanceof RError) return `Error("${v.message}")`;
  if (v instanceof REnum) {
    const base = `${v.def.name}::${v.variant}`;
    return v.payload.length ? `${base}(${list(v.payload)})` : base;
  }
  if (v instanceof StructDef) return `StructDef(${v.name})`;
  if (v instanceof EnumDef) return `EnumDef(${v.name})`;
  const t = v instanceof Handle ? v.typeName : typeName(v);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export const assertions: NativeCategory = {
  name: "assert",
  natives: [
    {
      name: "assert",
      params: "condition, message",
      min: 1,
      max: 2,
      doc: 'Raises message (or "Assertion failed") when the condition is falsy.',
      impl: (args) => {
        if (truthy(args[0])) return true;
        const msg = args[1];
        throw new RuffError(typeof msg === "string" ? msg : "Assertion failed");
      },
    },
    {
      name: "debug",
      params: "...values",
      min: 0,
      max: Infinity,
      doc: "Prints [DEBUG] and the debug forms of the values.",
      impl: (args, ctx) => {
        ctx.write(`[DEBUG] ${args.map(debugValue).join(" ")}\n`);
        return null;
      },
    },
    {
      name: "assert_equal",
      params: "actual, expected",
      min: 2,
      doc: "Raises unless actual deep-equals expected.",
      impl: (args) => {
        const [actual, expected] = args;
        if (deepEqual(actual, expected)) return true;
        throw new RuffError(
          `Assertion failed: expected ${debugForm(expected)}, got ${debugForm(actual)}`,
        );
      },
    },
    {
      name: "assert_true",
      params: "b",
      min: 1,
      doc: "Raises unless the argument is true.",
      impl: (args) => {
        if (typeof args[0] !== "boolean") requires("assert_true", "a boolean argument");
        if (!args[0]) throw new RuffError("Assertion failed: expected true, got false");
        return true;
      },
    },
    {
      name: "assert_false",
      params: "b",
      min: 1,
      doc: "Raises unless the argument is false.",
      impl: (args) => {
        if (typeof args[0] !== "boolean") requires("assert_false", "a boolean argument");
        if (args[0]) throw new RuffError("Assertion failed: expected false, got true");
        return true;
      },
    },
    {
      name: "assert_contains",
      params: "collection, item",
      min: 2,
      doc: "Raises unless the array, string or dict contains the item.",
      impl: (args) => {
        const [c, item] = args;
        let ok: boolean;
        if (c instanceof RArray) ok = c.items.some((x) => deepEqual(x, item));
        else if (typeof c === "string") ok = typeof item === "string" && c.includes(item);
        else if (c instanceof RDict) {
          const k = keyOf(item);
          ok = k !== null && c.map.has(k);
        } else {
          return requires("assert_contains", "an array, string, or dict as first argument");
        }
        if (ok) return true;
        throw new RuffError(
          `Assertion failed: ${debugForm(c)} does not contain ${debugForm(item)}`,
        );
      },
    },
  ],
};
