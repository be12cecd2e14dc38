/**
 * Loads native categories on demand. Before a program (and each module it imports) runs, the
 * runner passes the identifiers of its text to {@link nativesNamed}; the category modules
 * declaring any of them are imported (once per process), then the heavy libraries of
 * `lazy.ts` those names need. The console category (`print`, `input`) is imported with this
 * module; a program that prints a line therefore loads no other, which keeps start-up close to
 * Deno's own.
 *
 * The modules are imported through URLs computed at run time, so Deno's start-up module graph
 * does not read or analyse the categories a program never names.
 *
 * @module
 */

import type { NativeFn } from "../values.ts";
import { CATEGORY_MODULES, CATEGORY_NATIVES } from "./catalog.ts";
import { console_ } from "./console.ts";
import { preload } from "./lazy.ts";
import { ownUrl } from "../own.ts";
import { type NativeCategory, toNativeFn } from "./registry.ts";

/** Native name → index of its category module. */
const home = new Map<string, number>();
for (const [i, names] of CATEGORY_NATIVES) for (const n of names.split(" ")) home.set(n, i);

const loaded = new Map<number, Promise<NativeFn[]>>();

// `print` is in nearly every program: its category comes with the runner's modules instead of
// through a dynamic import (a module-loading round trip of its own, about 0.4 ms at start-up).
loaded.set(
  CATEGORY_MODULES.findIndex(([stem]) => stem === "console"),
  Promise.resolve(console_.natives.map(toNativeFn)),
);

function loadCategory(i: number): Promise<NativeFn[]> {
  let p = loaded.get(i);
  if (p === undefined) {
    const [stem, exported] = CATEGORY_MODULES[i];
    p = import(ownUrl(`./${stem}.ts`, import.meta.url)).then((m) =>
      (m[exported] as NativeCategory).natives.map(toNativeFn)
    );
    loaded.set(i, p);
  }
  return p;
}

/** True when `name` is a built-in native of some category (loaded or not). */
export function isNativeName(name: string): boolean {
  return home.has(name);
}

/**
 * The natives of every category that declares one of `names` (each NativeFn is built once per
 * process and shared), after loading the libraries those names need.
 */
export async function nativesNamed(names: Iterable<string>): Promise<NativeFn[]> {
  const list = [...names];
  const want = new Set<number>();
  for (const n of list) {
    const i = home.get(n);
    if (i !== undefined) want.add(i);
  }
  const lists = await Promise.all([...want].map(loadCategory));
  await preload(list);
  return lists.flat();
}
