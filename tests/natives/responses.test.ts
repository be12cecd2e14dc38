import assert from "node:assert/strict";
import { display, mkFloat, NativeFn, type Value } from "../../lib/values.ts";
import { HttpResponse, responses } from "../../lib/runtime/responses.ts";
import { A, d, harness } from "./_helpers.ts";

const { run, fails } = harness(responses);

/** Status, body and headers (sorted by name) of a response value. */
function parts(v: Value): [number, string, [string, string][]] {
  assert.ok(v instanceof HttpResponse, `expected an HttpResponse, got ${display(v)}`);
  const headers = [...v.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [v.status, v.body, headers];
}

Deno.test("http_response: status and body, no headers; type and display", () => {
  const res = run("http_response", 404, "Not here");
  assert.deepEqual(parts(res), [404, "Not here", []]);
  assert.equal(res instanceof HttpResponse && res.typeName, "httpresponse");
  assert.equal(display(res), "<httpresponse>");
  assert.deepEqual(parts(run("http_response", 200n, "")), [200, "", []]);
});

Deno.test("http_response: wrong argument kinds", () => {
  const msg = "http_response requires status code and body string";
  fails("http_response", ["200", "ok"], msg);
  fails("http_response", [mkFloat(200), "ok"], msg);
  fails("http_response", [200, 5], msg);
  fails("http_response", [200, null], msg);
});

Deno.test("json_response: body is to_json(data), Content-Type application/json", () => {
  const data = d({ name: "Ann", tags: A("a", "b"), score: mkFloat(2), id: 7, extra: null });
  assert.deepEqual(parts(run("json_response", 201, data)), [
    201,
    '{"extra":null,"id":7,"name":"Ann","score":2.0,"tags":["a","b"]}',
    [["Content-Type", "application/json"]],
  ]);
  assert.deepEqual(parts(run("json_response", 200, A(1, "x")))[1], '[1,"x"]');
  assert.deepEqual(parts(run("json_response", 200, "hi"))[1], '"hi"');
});

Deno.test("json_response: unconvertible data gives {}; non-Int status raises", () => {
  const fn = new NativeFn("f", 0, 0, () => null);
  assert.deepEqual(parts(run("json_response", 500, fn))[1], "{}");
  assert.deepEqual(parts(run("json_response", 500, d({ f: fn })))[1], "{}");
  fails("json_response", ["200", d({})], "json_response requires status code and data");
});

Deno.test("html_response: Content-Type text/html; charset=utf-8", () => {
  assert.deepEqual(parts(run("html_response", 200, "<h1>Hi</h1>")), [
    200,
    "<h1>Hi</h1>",
    [["Content-Type", "text/html; charset=utf-8"]],
  ]);
  const msg = "html_response requires status code and HTML string";
  fails("html_response", [200, 1], msg);
  fails("html_response", [true, "<p></p>"], msg);
});

Deno.test("redirect_response: 302, Location, body; optional Str headers may override", () => {
  assert.deepEqual(parts(run("redirect_response", "/login")), [
    302,
    "Redirecting to /login",
    [["Location", "/login"]],
  ]);
  const extra = d({ "Cache-Control": "no-store", "X-Num": 5, Location: "/other" });
  assert.deepEqual(parts(run("redirect_response", "https://example.com/", extra)), [
    302,
    "Redirecting to https://example.com/",
    [["Cache-Control", "no-store"], ["Location", "/other"]],
  ]);
  assert.deepEqual(parts(run("redirect_response", "/x", "not a dict")), [
    302,
    "Redirecting to /x",
    [["Location", "/x"]],
  ]);
  fails("redirect_response", [42], "redirect_response requires a URL string");
});

Deno.test("set_header: copy with one header set (exact name replaced)", () => {
  const base = run("json_response", 200, d({}));
  const one = run("set_header", base, "X-Id", "1");
  assert.deepEqual(parts(one)[2], [["Content-Type", "application/json"], ["X-Id", "1"]]);
  const two = run("set_header", one, "Content-Type", "text/plain");
  assert.deepEqual(parts(two)[2], [["Content-Type", "text/plain"], ["X-Id", "1"]]);
  const three = run("set_header", two, "x-id", "2");
  assert.deepEqual(parts(three)[2], [["Content-Type", "text/plain"], ["X-Id", "1"], ["x-id", "2"]]);
  // the arguments are unchanged
  assert.deepEqual(parts(base)[2], [["Content-Type", "application/json"]]);
  assert.deepEqual(parts(one)[2], [["Content-Type", "application/json"], ["X-Id", "1"]]);
  assert.deepEqual(parts(three).slice(0, 2), [200, "{}"]);
});

Deno.test("set_header: errors", () => {
  const res = run("http_response", 200, "ok");
  fails("set_header", [d({}), "A", "b"], "set_header requires an HTTP response as first argument");
  const msg = "set_header requires response, header name, and header value";
  fails("set_header", [res, 1, "b"], msg);
  fails("set_header", [res, "A", 2], msg);
});

Deno.test("set_headers: every Str-valued entry set; copy", () => {
  const base = run("http_response", 201, "made");
  const res = run("set_headers", base, d({ "X-A": "1", "X-B": 2, "X-C": "3" }));
  assert.deepEqual(parts(res), [201, "made", [["X-A", "1"], ["X-C", "3"]]]);
  assert.deepEqual(parts(run("set_headers", res, d({ "X-A": "9" })))[2], [
    ["X-A", "9"],
    ["X-C", "3"],
  ]);
  assert.deepEqual(parts(base)[2], []);
  assert.deepEqual(parts(run("set_headers", base, d({})))[2], []);
});

Deno.test("set_headers: errors", () => {
  const res = run("http_response", 200, "ok");
  fails("set_headers", ["x", d({})], "set_headers requires an HTTP response as first argument");
  fails("set_headers", [res, A()], "set_headers requires response and headers dictionary");
});

Deno.test("arities and docs are declared", () => {
  const arity = Object.fromEntries(
    responses.natives.map((n) => [n.name, [n.min, n.max ?? n.min]]),
  );
  assert.deepEqual(arity, {
    http_response: [2, 2],
    json_response: [2, 2],
    html_response: [2, 2],
    redirect_response: [1, 2],
    set_header: [3, 3],
    set_headers: [2, 2],
  });
  for (const n of responses.natives) assert.ok(n.doc.length > 0);
});
