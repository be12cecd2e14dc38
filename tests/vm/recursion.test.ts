/**
 * Deep recursion: 100,000 frames work; going past the VM's MAX_DEPTH raises the catchable Ruff
 * error `Maximum recursion depth exceeded`, never a JS RangeError or an internal error.
 *
 * @module
 */

import assert from "node:assert/strict";
import { RError, run, type RunResult } from "../../mod.ts";
import { MAX_DEPTH } from "../../lib/vm.ts";

const LIMIT_MSG = "Maximum recursion depth exceeded";

async function runOk(src: string): Promise<RunResult> {
  const r = await run(src);
  assert.equal(r.error, null, `unexpected error: ${r.errorText}`);
  assert.equal(r.exitCode, 0);
  return r;
}

Deno.test("MAX_DEPTH is large enough for 100,000-deep recursion", () => {
  assert.ok(MAX_DEPTH > 100_000);
});

Deno.test("recursive sum 100,000 deep returns the right Int", async () => {
  const r = await runOk(
    "func sum(n) {\n  if n == 0 { return 0 }\n  return n + sum(n - 1)\n}\ntotal := sum(100000)\nprint(total)",
  );
  assert.equal(r.output, "5000050000\n");
  assert.equal(Number(r.get("total")), 5000050000);
});

// 20,000 rather than 100,000: capturing a local in every frame is quadratic in the depth today
// (VM.capture scans all open upvalues), see the report.
Deno.test("recursion 20,000 deep with locals, a capturing closure and non-tail position", async () => {
  const r = await runOk(
    [
      "func depth(n, acc) {",
      "  if n == 0 { return len(acc) }",
      "  k := n % 7",
      "  add := func(x) { return x + k }",
      "  return depth(n - 1, acc) + add(0) * 0",
      "}",
      "print(depth(20000, [1, 2, 3]))",
    ].join("\n"),
  );
  assert.equal(r.output, "3\n");
});

Deno.test("mutual recursion 100,000 deep", async () => {
  const r = await runOk(
    [
      "func is_even(n) { if n == 0 { return true } return is_odd(n - 1) }",
      "func is_odd(n) { if n == 0 { return false } return is_even(n - 1) }",
      "print(is_even(100000), is_odd(99999))",
    ].join("\n"),
  );
  assert.equal(r.output, "true true\n");
});

Deno.test("a struct method recursing 100,000 deep", async () => {
  const r = await runOk(
    [
      "struct Walker {",
      "  step: Int",
      "  func walk(self, n) { if n == 0 { return 0 } return self.step + self.walk(n - 1) }",
      "}",
      "w := Walker { step: 2 }",
      "print(w.walk(100000))",
    ].join("\n"),
  );
  assert.equal(r.output, "200000\n");
});

Deno.test("recursion just below MAX_DEPTH still works", async () => {
  const n = MAX_DEPTH - 10;
  const r = await runOk(
    `func f(n) { if n == 0 { return 0 } return 1 + f(n - 1) }\nprint(f(${n}))`,
  );
  assert.equal(r.output, `${n}\n`);
});

function assertNoJsError(r: RunResult) {
  assert.notEqual(r.exitCode, 70, `internal error: ${r.errorText}`);
  assert.ok(!/RangeError|call stack size|Internal error/i.test(r.errorText), r.errorText);
  assert.ok(!/RangeError|call stack size/i.test(r.output), r.output);
}

const catching: [string, string][] = [
  ["plain function", "func f(n) { return f(n + 1) }\ntry { f(0) } except e { print(e.message) }"],
  [
    "non-tail with arithmetic",
    "func f(n) { return 1 + f(n + 1) }\ntry { f(0) } except e { print(e.message) }",
  ],
  [
    "anonymous function in a variable",
    "g := func(n) { return g(n + 1) }\ntry { g(0) } except e { print(e.message) }",
  ],
  [
    "mutual recursion",
    "func a(n) { return b(n) }\nfunc b(n) { return a(n + 1) }\ntry { a(0) } except e { print(e.message) }",
  ],
  [
    "struct method",
    "struct S {\n  v: Int\n  func down(self, n) { return self.down(n + 1) }\n}\ns := S { v: 1 }\ntry { s.down(0) } except e { print(e.message) }",
  ],
  [
    "argument to a native",
    "func f(n) { return to_string(f(n + 1)) }\ntry { f(0) } except e { print(e.message) }",
  ],
  [
    "rethrown through nested try blocks",
    "func f(n) { try { return f(n + 1) } except e { throw(e) } }\ntry { f(0) } except e { print(e.message) }",
  ],
];

for (const [name, src] of catching) {
  Deno.test(`too-deep recursion is a catchable Ruff error: ${name}`, async () => {
    const r = await run(src);
    assertNoJsError(r);
    assert.equal(r.error, null, r.errorText);
    assert.equal(r.exitCode, 0);
    assert.equal(r.output, `${LIMIT_MSG}\n`);
  });
}

Deno.test("the program continues normally after catching the depth error", async () => {
  const r = await run(
    [
      "func f(n) { return f(n + 1) }",
      "caught := false",
      'try { f(0) } except e { caught = e.message == "' + LIMIT_MSG + '" }',
      "func sum(n) { if n == 0 { return 0 } return n + sum(n - 1) }",
      "print(caught, sum(1000))",
    ].join("\n"),
  );
  assertNoJsError(r);
  assert.equal(r.error, null, r.errorText);
  assert.equal(r.output, "true 500500\n");
});

Deno.test("uncaught too-deep recursion: r.error, exit code 1, §11.5 report", async () => {
  const r = await run('print("start")\nfunc f(n) { return f(n + 1) }\nf(0)\nprint("never")');
  assertNoJsError(r);
  assert.ok(r.error instanceof RError);
  assert.equal(r.error.message, LIMIT_MSG);
  assert.equal(r.exitCode, 1);
  assert.equal(r.output, "start\n");
  assert.ok(r.errorText.startsWith(`Runtime Error: ${LIMIT_MSG}\n  --> <string>:2:`), r.errorText);
  assert.ok(r.error.stack.length > 0);
  assert.equal(r.error.stack[0], "f");
});

// Recursion that re-enters the VM through a native calling back into Ruff (map/filter/sort
// callbacks) uses the JS stack; it must still end in the Ruff error, not an internal error.
const viaNative: [string, string][] = [
  [
    "map callback",
    "func f(n) { return map([n], func(x) { return f(x + 1) }) }\ntry { f(0) } except e { print(e.message) }",
  ],
  [
    "filter callback",
    "func f(n) { return filter([n], func(x) { return len(f(x + 1)) > 0 }) }\ntry { f(0) } except e { print(e.message) }",
  ],
];

for (const [name, src] of viaNative) {
  Deno.test(`too-deep recursion through a native ${name} is a Ruff error`, async () => {
    let r: RunResult;
    try {
      r = await run(src);
    } catch (e) {
      assert.fail(`run threw a JS exception: ${e}`);
    }
    assertNoJsError(r);
    assert.equal(r.error, null, r.errorText);
    assert.equal(r.output, `${LIMIT_MSG}\n`);
  });
}
