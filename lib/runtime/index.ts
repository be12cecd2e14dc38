/**
 * The built-in scope: every native category, gathered into one table.
 *
 * @module
 */

import type { NativeCategory } from "./registry.ts";
import { toNativeFn } from "./registry.ts";
import type { NativeFn } from "../values.ts";
import { console_ } from "./console.ts";
import { math } from "./math.ts";
import { strings } from "./strings.ts";
import { arrays } from "./arrays.ts";
import { dicts } from "./dicts.ts";
import { collections } from "./collections.ts";
import { types } from "./types.ts";
import { assertions } from "./assert.ts";
import { random } from "./random.ts";
import { time } from "./time.ts";
import { formats } from "./formats.ts";
import { files } from "./files.ts";
import { os } from "./os.ts";
import { auth } from "./auth.ts";
import { http } from "./http.ts";
import { regex } from "./regex.ts";
import { crypto } from "./crypto.ts";
import { archive } from "./archive.ts";
import { image } from "./image.ts";
import { responses } from "./responses.ts";

/** All native categories, in documentation order. */
export const categories: NativeCategory[] = [
  console_,
  math,
  strings,
  arrays,
  dicts,
  collections,
  types,
  assertions,
  random,
  time,
  formats,
  files,
  os,
  auth,
  regex,
  crypto,
  archive,
  image,
  responses,
  http,
];

let table: Map<string, NativeFn> | null = null;

/** The built-in functions by name (built once, shared by every interpreter). */
export function builtins(): Map<string, NativeFn> {
  if (table) return table;
  table = new Map();
  for (const cat of categories) {
    for (const spec of cat.natives) table.set(spec.name, toNativeFn(spec));
  }
  return table;
}
