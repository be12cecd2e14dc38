// Core suite, theme M: time and timing (C164–C173).

import { assert, assertIsFloat, expectFloat, expectStr, getVar, runOk } from "./_helpers.ts";
import type { RunResult } from "../../mod.ts";

function intVar(r: RunResult, name: string): number {
  const v = getVar(r, name);
  assert.equal(typeof v, "number", `${name} should be an Int`);
  return v as number;
}

function floatVar(r: RunResult, name: string): number {
  return assertIsFloat(r.get(name), name);
}

// C164
Deno.test("test_current_timestamp", async () => {
  const r = await runOk(`
ts := current_timestamp()
`);
  const ts = intVar(r, "ts");
  assert.ok(ts > 1_700_000_000_000 && ts < 2_000_000_000_000, `ts = ${ts}`);
});

// C165
Deno.test("test_current_timestamp_progression", async () => {
  const r = await runOk(`
ts1 := current_timestamp()
i := 0
while i < 100 {
    i := i + 1
}
ts2 := current_timestamp()
`);
  const ts1 = intVar(r, "ts1");
  const ts2 = intVar(r, "ts2");
  assert.ok(ts2 >= ts1, `${ts2} >= ${ts1}`);
});

// C166
Deno.test("test_performance_now", async () => {
  const r = await runOk(`
perf := performance_now()
`);
  const perf = floatVar(r, "perf");
  assert.ok(perf >= 0 && perf < 10000, `perf = ${perf}`);
});

// C167
Deno.test("test_performance_now_progression", async () => {
  const r = await runOk(`
p1 := performance_now()
i := 0
while i < 1000 {
    i := i + 1
}
p2 := performance_now()
`);
  const p1 = floatVar(r, "p1");
  const p2 = floatVar(r, "p2");
  assert.ok(p2 > p1, `p2 (${p2}) > p1 (${p1})`);
  assert.ok(p2 - p1 < 10000, `p2 - p1 = ${p2 - p1}`);
});

// C168 (`end` is an ordinary identifier)
Deno.test("test_timing_arithmetic", async () => {
  const r = await runOk(`
start := performance_now()
i := 0
while i < 500 {
    i := i + 1
}
end := performance_now()
elapsed := end - start
`);
  const elapsed = floatVar(r, "elapsed");
  assert.ok(elapsed >= 0, `elapsed = ${elapsed}`);
});

// C169
Deno.test("test_time_us", async () => {
  const r = await runOk(`
us := time_us()
`);
  assert.ok(floatVar(r, "us") >= 0);
});

// C170
Deno.test("test_time_ns", async () => {
  const r = await runOk(`
ns := time_ns()
`);
  assert.ok(floatVar(r, "ns") >= 0);
});

// C171 (upstream lenient: checked only when both readings are Float; they are Floats)
Deno.test("test_precision_ordering", async () => {
  const r = await runOk(`
perf1 := performance_now()
us1 := time_us()
ns1 := time_ns()
i := 0
while i < 100 {
    i := i + 1
}
perf2 := performance_now()
us2 := time_us()
ns2 := time_ns()
`);
  for (const [a, b] of [["perf1", "perf2"], ["us1", "us2"], ["ns1", "ns2"]]) {
    const first = floatVar(r, a);
    const second = floatVar(r, b);
    assert.ok(second >= first, `${b} (${second}) >= ${a} (${first})`);
  }
});

// C172 (upstream lenient; the exact strings are builtins.md §3.10's)
Deno.test("test_format_duration", async () => {
  const r = await runOk(`
d1 := format_duration(5000.0)
d2 := format_duration(123.45)
d3 := format_duration(0.567)
d4 := format_duration(0.0001)
`);
  expectStr(r, "d1", "5.00s");
  expectStr(r, "d2", "123.45ms");
  expectStr(r, "d3", "567.00μs");
  expectStr(r, "d4", "100ns");
});

// C173
Deno.test("test_elapsed_function", async () => {
  const r = await runOk(`
diff := elapsed(100.0, 250.5)
`);
  expectFloat(r, "diff", 150.5);
});
