/**
 * Every native category, in documentation order. Programs do not load this module: the runner
 * loads categories one by one as programs name their natives (`loader.ts`, from the catalog that
 * `tools/sync_natives.ts` derives from this list). Tests and tools use it to see them all.
 *
 * @module
 */

import type { NativeCategory } from "./registry.ts";
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
