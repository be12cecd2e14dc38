// Core suite, theme O: concurrency — spawn, channels, parallel_http (C187–C192).
// parallel_http is only given URLs with an unsupported scheme (or none), so no network is used.

import {
  assert,
  assertErrorValue,
  expectArray,
  expectBool,
  expectInt,
  expectStr,
  expectType,
  expectUndefined,
  runOk,
} from "./_helpers.ts";

// C187 (LANGUAGE.md §13.2: the task runs after the main program, on a snapshot of its bindings)
Deno.test("test_spawn_basic", async () => {
  const r = await runOk(`
x := 0
spawn {
    y := 5
    print("spawned y =", y)
}
z := 10
`);
  expectInt(r, "x", 0);
  expectInt(r, "z", 10);
  expectUndefined(r, "y");
  assert.equal(r.output, "spawned y = 5\n");
});

// C188 (per-URL failures are error values inside the result, LANGUAGE.md §11.1)
Deno.test("test_parallel_http_basic", async () => {
  const r = await runOk(`
urls := ["invalid://url1", "invalid://url2"]
results := parallel_http(urls)
is_array := type(results) == "array"
`);
  expectBool(r, "is_array", true);
  const results = expectArray(r, "results", 2);
  results.forEach((v, i) => {
    const err = assertErrorValue(v, undefined, `results[${i}]`);
    assert.ok(err.message.startsWith("HTTP GET failed"), err.message);
  });
});

// C189
Deno.test("test_channel_basic", async () => {
  const r = await runOk(`
chan := channel()
has_channel := type(chan) == "channel"
`);
  expectBool(r, "has_channel", true);
  expectType(r, "chan", "channel");
});

// C190 (the FIFO receive is LANGUAGE.md §13.4, not asserted upstream)
Deno.test("test_channel_multiple_values", async () => {
  const r = await runOk(`
chan := channel()
chan.send("hello")
chan.send("world")
success := true
first := chan.receive()
second := chan.receive()
`);
  expectBool(r, "success", true);
  expectStr(r, "first", "hello");
  expectStr(r, "second", "world");
});

// C191
Deno.test("test_channel_empty", async () => {
  const r = await runOk(`
chan := channel()
is_channel := type(chan) == "channel"
`);
  expectBool(r, "is_channel", true);
});

// C192
Deno.test("test_parallel_http_empty_array", async () => {
  const r = await runOk(`
results := parallel_http([])
count := len(results)
`);
  expectInt(r, "count", 0);
  expectArray(r, "results", 0);
});
