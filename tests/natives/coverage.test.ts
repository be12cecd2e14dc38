/**
 * Every global name of builtins.md's alphabetical index (Appendix A) is bound in the built-in
 * scope, except the network and database natives that come with the networking issue.
 */
import assert from "node:assert/strict";
import { Session } from "../../lib/runner.ts";
import { NativeFn, RDict, RFloat, type Value } from "../../lib/values.ts";

const SPEC = new URL("../../../shared/spec/builtins.md", import.meta.url);

/** The names of the Appendix A table, in order. */
function indexNames(): string[] {
  const text = Deno.readTextFileSync(SPEC);
  const start = text.indexOf("\n## Appendix A.");
  assert.ok(start >= 0, "builtins.md has no Appendix A");
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const names: string[] = [];
  for (const line of section.split("\n")) {
    const m = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

/** Network and database natives: not part of this check. */
const NETWORK = new Set([
  "http_get",
  "http_post",
  "http_put",
  "http_delete",
  "http_get_binary",
  "http_get_stream",
  "http_server",
  "oauth2_get_token",
  "parallel_http",
  "async_http_get",
  "async_http_post",
]);
const NETWORK_PREFIXES = ["tcp_", "udp_", "db_"];

function isNetwork(name: string): boolean {
  return NETWORK.has(name) || NETWORK_PREFIXES.some((p) => name.startsWith(p));
}

const CONSTANTS = new Set(["PI", "E"]);

const names = indexNames();

/** Why `name` is not properly bound in `scope`, or `null` when it is. */
function problem(scope: Map<string, Value>, name: string): string | null {
  const dot = name.indexOf(".");
  if (dot >= 0) {
    const owner = name.slice(0, dot);
    const member = name.slice(dot + 1);
    if (!scope.has(owner)) return `${name}: ${owner} is not bound`;
    const v = scope.get(owner);
    if (!(v instanceof RDict) || !v.map.has(member)) return `${name}: ${owner} has no ${member}`;
    if (!(v.map.get(member) instanceof NativeFn)) return `${name}: not a native function`;
    return null;
  }
  if (!scope.has(name)) return `${name}: not bound`;
  const v = scope.get(name)!;
  if (CONSTANTS.has(name)) {
    return typeof v === "number" || v instanceof RFloat ? null : `${name}: not a number`;
  }
  return v instanceof NativeFn ? null : `${name}: not a native function`;
}

Deno.test("coverage: the index of builtins.md lists 289 distinct names", () => {
  assert.equal(names.length, 289);
  assert.equal(new Set(names).size, names.length);
  for (const n of ["PI", "E", "Promise.all", "print", "zip_create", "db_query", "tcp_listen"]) {
    assert.ok(names.includes(n), n);
  }
});

Deno.test("coverage: every non-network name of the index is bound in the built-in scope", async () => {
  const session = new Session({});
  const wanted = names.filter((n) => !isNetwork(n));
  // A program that names them (categories load when named; see lib/runtime/loader.ts).
  await session.prepare(wanted.join("\n"), "<string>");
  const scope = session.vm.builtins;
  const problems = wanted.map((n) => problem(scope, n)).filter((p): p is string => p !== null);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} of ${wanted.length} names:\n  ` +
      problems.join("\n  "),
  );
});

Deno.test("coverage: PI and E are the Float constants", () => {
  const scope = new Session({}).vm.builtins;
  const pi = scope.get("PI");
  const e = scope.get("E");
  assert.equal(pi instanceof RFloat ? pi.v : pi, Math.PI);
  assert.equal(e instanceof RFloat ? e.v : e, Math.E);
});
