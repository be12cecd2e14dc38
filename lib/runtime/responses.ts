/**
 * HTTP response values (builtins.md §3.19): the pure constructors and header setters. The
 * server that sends them (`http_server`) comes with the networking issue.
 *
 * Response values are handles of type `httpresponse` with no readable fields; every setter
 * returns a changed copy and leaves its argument as it was.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { Handle, isInt, RDict, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { toJson } from "./formats.ts";

/** An HTTP response value: status code, body text and headers (name → value). */
export class HttpResponse extends Handle {
  /** What `type()` returns. */
  readonly typeName = "httpresponse";
  /** Creates a response; `headers` is taken over, not copied. */
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: ReadonlyMap<string, string> = new Map(),
  ) {
    super();
  }

  /** A copy with every `[name, value]` pair of `entries` set (same exact name replaced). */
  withHeaders(entries: Iterable<[string, string]>): HttpResponse {
    const headers = new Map(this.headers);
    for (const [name, value] of entries) headers.set(name, value);
    return new HttpResponse(this.status, this.body, headers);
  }
}

/** The Str-valued entries of a dict (other values are skipped). */
function stringEntries(dict: RDict): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of dict.map) if (typeof v === "string") out.push([k, v]);
  return out;
}

/** A response with `status` (an Int, else raises `message`) and one optional header. */
function make(status: Value, body: string, message: string, contentType?: string): HttpResponse {
  if (!isInt(status)) throw new RuffError(message);
  const headers = new Map<string, string>();
  if (contentType !== undefined) headers.set("Content-Type", contentType);
  return new HttpResponse(Number(status), body, headers);
}

const natives: NativeSpec[] = [
  {
    name: "http_response",
    params: "status, body",
    min: 2,
    doc: "An HTTP response with a status code and a body, no headers.",
    impl([status, body]) {
      const message = "http_response requires status code and body string";
      if (typeof body !== "string") throw new RuffError(message);
      return make(status, body, message);
    },
  },
  {
    name: "json_response",
    params: "status, data",
    min: 2,
    doc: "An HTTP response whose body is to_json(data), with Content-Type application/json.",
    impl([status, data]) {
      const message = "json_response requires status code and data";
      if (!isInt(status)) throw new RuffError(message);
      let body: string;
      try {
        body = toJson(data);
      } catch (e) {
        if (!(e instanceof RuffError)) throw e;
        body = "{}";
      }
      return make(status, body, message, "application/json");
    },
  },
  {
    name: "html_response",
    params: "status, html",
    min: 2,
    doc: "An HTTP response with an HTML body and Content-Type text/html; charset=utf-8.",
    impl([status, html]) {
      const message = "html_response requires status code and HTML string";
      if (typeof html !== "string") throw new RuffError(message);
      return make(status, html, message, "text/html; charset=utf-8");
    },
  },
  {
    name: "redirect_response",
    params: "url, headers?",
    min: 1,
    max: 2,
    doc: "A 302 response to a URL (Location header); Str entries of the dict are added.",
    impl([url, extra]) {
      if (typeof url !== "string") throw new RuffError("redirect_response requires a URL string");
      const res = new HttpResponse(302, `Redirecting to ${url}`, new Map([["Location", url]]));
      return extra instanceof RDict ? res.withHeaders(stringEntries(extra)) : res;
    },
  },
  {
    name: "set_header",
    params: "response, name, value",
    min: 3,
    doc: "A copy of the response with one header set.",
    impl([res, name, value]) {
      if (!(res instanceof HttpResponse)) {
        throw new RuffError("set_header requires an HTTP response as first argument");
      }
      if (typeof name !== "string" || typeof value !== "string") {
        throw new RuffError("set_header requires response, header name, and header value");
      }
      return res.withHeaders([[name, value]]);
    },
  },
  {
    name: "set_headers",
    params: "response, headers",
    min: 2,
    doc: "A copy of the response with every Str-valued entry of the dict set as a header.",
    impl([res, headers]) {
      if (!(res instanceof HttpResponse)) {
        throw new RuffError("set_headers requires an HTTP response as first argument");
      }
      if (!(headers instanceof RDict)) {
        throw new RuffError("set_headers requires response and headers dictionary");
      }
      return res.withHeaders(stringEntries(headers));
    },
  },
];

/** HTTP response natives. */
export const responses: NativeCategory = { name: "responses", natives };
