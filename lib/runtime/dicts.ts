/**
 * Dict natives (builtins.md §3.5). Pure; every order is ascending code-point order of the keys;
 * Int keys are converted to their decimal text.
 *
 * @module
 */

import { arrayOf, dictOf, display, RDict, RFloat, type Value } from "../values.ts";
import type { NativeCategory } from "./registry.ts";
import { dict, key, keyOf, requires } from "./args.ts";

function merged(name: string, args: Value[]): Value {
  const a = dict(name, args, 0, "2 dict arguments");
  const b = dict(name, args, 1, "2 dict arguments");
  const m = new Map(a.map);
  for (const [k, v] of b.map) m.set(k, v);
  return dictOf(m);
}

export const dicts: NativeCategory = {
  name: "dicts",
  natives: [
    {
      name: "keys",
      params: "d",
      min: 1,
      doc: "The keys, sorted.",
      impl: (args) => arrayOf(dict("keys", args, 0).sortedKeys()),
    },
    {
      name: "values",
      params: "d",
      min: 1,
      doc: "The values, in sorted-key order.",
      impl: (args) => {
        const d = dict("values", args, 0);
        return arrayOf(d.sortedKeys().map((k) => d.map.get(k)!));
      },
    },
    {
      name: "items",
      params: "d",
      min: 1,
      doc: "The [key, value] pairs, in sorted-key order.",
      impl: (args) => {
        const d = dict("items", args, 0);
        return arrayOf(d.sortedKeys().map((k) => arrayOf([k, d.map.get(k)!])));
      },
    },
    {
      name: "has_key",
      params: "d, key",
      min: 2,
      doc: "Int 1 when the dict has the key, else 0.",
      impl: (args) => {
        const d = dict("has_key", args, 0, "a dict and a key");
        return d.map.has(key("has_key", args, 1, "a string key")) ? 1 : 0;
      },
    },
    {
      name: "get",
      params: "d, key, default",
      min: 2,
      max: 3,
      doc: "The value for key, else default (null when not given).",
      impl: (args) => {
        const d = dict("get", args, 0, "a dict and a key");
        const k = key("get", args, 1, "a string key");
        return d.map.has(k) ? d.map.get(k)! : args.length > 2 ? args[2] : null;
      },
    },
    {
      name: "merge",
      params: "a, b",
      min: 2,
      doc: "A copy of a with every entry of b written over it.",
      impl: (args) => merged("merge", args),
    },
    {
      name: "update",
      params: "a, b",
      min: 2,
      doc: "Same as merge.",
      impl: (args) => merged("update", args),
    },
    {
      name: "invert",
      params: "d",
      min: 1,
      doc: "Maps each scalar value's text to its key.",
      impl: (args) => {
        const d = dict("invert", args, 0);
        const out: [string, Value][] = [];
        for (const k of d.sortedKeys()) {
          const v = d.map.get(k)!;
          if (
            typeof v === "string" || typeof v === "number" || typeof v === "bigint" ||
            typeof v === "boolean" || v instanceof RFloat
          ) out.push([display(v), k]);
        }
        return dictOf(out);
      },
    },
    {
      name: "get_default",
      params: "d, key, default",
      min: 3,
      doc: "The value for key, else default.",
      impl: (args) => {
        const what = "3 arguments: dict, key, default_value";
        const d = args[0];
        const k = keyOf(args[1]);
        if (!(d instanceof RDict) || k === null) requires("get_default", what);
        return d.map.has(k) ? d.map.get(k)! : args[2];
      },
    },
  ],
};
