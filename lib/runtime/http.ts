/**
 * HTTP client natives (builtins.md §3.17). Only `parallel_http` so far; the rest of the
 * network library comes with the networking issue.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { arrayOf, dictOf, RArray, RError, type Value } from "../values.ts";
import type { NativeCategory } from "./registry.ts";

async function getOne(url: string): Promise<Value> {
  try {
    const res = await fetch(url);
    const body = await res.text();
    return dictOf([["status", res.status], ["body", body]]);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return new RError(`HTTP GET failed: ${detail}`);
  }
}

/** HTTP client natives. */
export const http: NativeCategory = {
  name: "http",
  natives: [
    {
      name: "parallel_http",
      params: "urls",
      min: 1,
      doc: "GETs every URL concurrently; one {status, body} dict or error value per URL.",
      impl: ([urls]) => {
        if (!(urls instanceof RArray)) {
          throw new RuffError("parallel_http requires an array of URL strings");
        }
        const list = urls.items.filter((u): u is string => typeof u === "string");
        if (list.length === 0) return new RArray([]);
        return Promise.all(list.map(getOne)).then((items) => arrayOf(items));
      },
    },
  ],
};
