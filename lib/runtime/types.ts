/**
 * Type conversion and introspection natives (builtins.md §3.7).
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import {
  display,
  fitsI64,
  isCallable,
  mkFloat,
  normInt,
  RArray,
  RBytes,
  RDict,
  RFloat,
  typeName,
  type Value,
} from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { intFromNumber, requires, str, trim } from "./args.ts";

/** Parses an optionally signed decimal i64 (after trimming); null when invalid. */
export function parseIntText(s: string): number | bigint | null {
  const t = trim(s);
  if (!/^[+-]?[0-9]+$/.test(t)) return null;
  const b = BigInt(t);
  return fitsI64(b) ? normInt(b) : null;
}

/** Parses a decimal float like Rust's `f64::from_str` (after trimming); null when invalid. */
export function parseFloatText(s: string): number | null {
  const t = trim(s);
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (m) {
    if (m[2].toLowerCase() === "nan") return NaN;
    return m[1] === "-" ? -Infinity : Infinity;
  }
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) return null;
  return Number(t);
}

function isKind(name: string, test: (v: Value) => boolean, doc: string): NativeSpec {
  return { name, params: "v", min: 1, doc, impl: (args) => test(args[0]) };
}

export const types: NativeCategory = {
  name: "types",
  natives: [
    {
      name: "parse_int",
      params: "s",
      min: 1,
      doc: "Parses a decimal integer (surrounding whitespace allowed).",
      impl: (args) => {
        const s = str("parse_int", args, 0);
        const n = parseIntText(s);
        if (n === null) throw new RuffError(`Cannot parse '${s}' as integer`);
        return n;
      },
    },
    {
      name: "parse_float",
      params: "s",
      min: 1,
      doc: "Parses a decimal float (also inf, infinity, nan).",
      impl: (args) => {
        const s = str("parse_float", args, 0);
        const x = parseFloatText(s);
        if (x === null) throw new RuffError(`Cannot parse '${s}' as float`);
        return mkFloat(x);
      },
    },
    {
      name: "to_int",
      params: "v",
      min: 1,
      doc: "Converts to Int: Floats truncate, strings parse, bools give 1/0.",
      impl: (args) => {
        const v = args[0];
        if (typeof v === "number" || typeof v === "bigint") return v;
        if (v instanceof RFloat) return intFromNumber(v.v);
        if (typeof v === "boolean") return v ? 1 : 0;
        if (typeof v === "string") {
          const n = parseIntText(v);
          if (n === null) throw new RuffError(`Cannot convert '${v}' to int`);
          return n;
        }
        throw new RuffError(`Cannot convert ${typeName(v)} to int`);
      },
    },
    {
      name: "to_float",
      params: "v",
      min: 1,
      doc: "Converts to Float: Ints widen, strings parse, bools give 1.0/0.0.",
      impl: (args) => {
        const v = args[0];
        if (typeof v === "number" || typeof v === "bigint") return mkFloat(Number(v));
        if (v instanceof RFloat) return v;
        if (typeof v === "boolean") return mkFloat(v ? 1 : 0);
        if (typeof v === "string") {
          const x = parseFloatText(v);
          if (x === null) throw new RuffError(`Cannot convert '${v}' to float`);
          return mkFloat(x);
        }
        throw new RuffError(`Cannot convert ${typeName(v)} to float`);
      },
    },
    {
      name: "to_string",
      params: "v",
      min: 1,
      doc: "The display form of a value.",
      impl: (args) => display(args[0]),
    },
    {
      name: "to_bool",
      params: "v",
      min: 1,
      doc: 'Converts to Bool ("", "false", "0", 0, 0.0, null, [] and {} are false).',
      impl: (args) => {
        const v = args[0];
        if (typeof v === "boolean") return v;
        if (typeof v === "number") return v !== 0;
        if (typeof v === "bigint") return true;
        if (v instanceof RFloat) return v.v !== 0;
        if (typeof v === "string") {
          const l = v.toLowerCase();
          return !(v === "" || l === "false" || l === "0");
        }
        if (v === null) return false;
        if (v instanceof RArray) return v.items.length > 0;
        if (v instanceof RDict) return v.map.size > 0;
        return true;
      },
    },
    {
      name: "bytes",
      params: "array",
      min: 1,
      doc: "Bytes from an array of Ints in 0..255.",
      impl: (args) => {
        const a = args[0];
        if (!(a instanceof RArray)) requires("bytes", "an array argument");
        const data = new Uint8Array(a.items.length);
        a.items.forEach((x, i) => {
          if (typeof x !== "number" && typeof x !== "bigint") {
            requires("bytes", "an array of integers");
          }
          if (x < 0 || x > 255) requires("bytes", `integers in range 0-255, got ${x}`);
          data[i] = Number(x);
        });
        return new RBytes(data);
      },
    },
    {
      name: "type",
      params: "v",
      min: 1,
      doc: "The type name of a value.",
      impl: (args) => typeName(args[0]),
    },
    isKind("is_int", (v) => typeof v === "number" || typeof v === "bigint", "True for an Int."),
    isKind("is_float", (v) => v instanceof RFloat, "True for a Float."),
    isKind("is_string", (v) => typeof v === "string", "True for a String."),
    isKind("is_array", (v) => v instanceof RArray, "True for an Array."),
    isKind("is_dict", (v) => v instanceof RDict, "True for a Dict."),
    isKind("is_bool", (v) => typeof v === "boolean", "True for a Bool."),
    isKind("is_null", (v) => v === null, "True for null."),
    isKind("is_function", isCallable, "True for any callable value."),
  ],
};
