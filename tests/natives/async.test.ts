import assert from "node:assert/strict";
import { run } from "../../mod.ts";

async function out(src: string): Promise<string> {
  const r = await run(src);
  assert.equal(r.error, null, r.errorText);
  return r.output;
}

Deno.test("read_file_async / write_file_async / list_dir_async return promises of the sync results", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = JSON.stringify(`${dir}/a.txt`);
    const d = JSON.stringify(dir);
    assert.equal(
      await out(`w := write_file_async(${p}, "hi")
print(type(w), await w)
print(await read_file_async(${p}))
print(await list_dir_async(${d}))
try { await read_file_async(${JSON.stringify(`${dir}/none`)}) } except e { print(e.message) }`),
      `promise true\nhi\n[a.txt]\nPromise rejected: Cannot read file '${dir}/none': No such file or directory (os error 2)\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Promise.all, promise_all and await_all settle in input order", async () => {
  assert.equal(
    await out(`print(await Promise.all([async_sleep(5), async_sleep(1)]))
a := async func(x) { return x * 2 }
print(await promise_all([a(1), a(2)]), await await_all([]))
try { Promise.all([1]) } except e { print(e.message) }`),
    "[null, null]\n[2, 4] []\nPromise.all() array element 0 is not a Promise\n",
  );
});

Deno.test("async_timeout, spawn_task, await_task and cancel_task", async () => {
  assert.equal(
    await out(`try { await async_timeout(async_sleep(200), 5) } except e { print(e.message) }
print(await async_timeout(async_sleep(1), 100))
h := spawn_task(func() { return 42 })
print(await await_task(h), cancel_task(h))
h2 := spawn_task(func() { print("never") })
print(cancel_task(h2), cancel_task(h2))
try { await await_task(h2) } except e { print(e.message) }`),
    "Promise rejected: Timeout after 5ms\nnull\n42 false\ntrue false\nPromise rejected: Task was cancelled\n",
  );
});
