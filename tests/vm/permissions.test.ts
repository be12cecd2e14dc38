/**
 * Deno permissions: a program that only reads files runs under `--allow-read`; writing without
 * `--allow-write` is a clean Ruff error naming the missing flag.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dec = new TextDecoder();

async function cliReadOnly(file: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "cli.ts", file],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("permissions: read-only program under --allow-read; write needs --allow-write", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "ruff_vm_perm_" });
  try {
    await Deno.writeTextFile(join(dir, "data.txt"), "hello from data\n");

    await t.step("reading a file next to the program works", async () => {
      const prog = join(dir, "reader.ruff");
      await Deno.writeTextFile(
        prog,
        `text := read_file(${
          JSON.stringify(join(dir, "data.txt"))
        })\nprint(trim(text))\nprint(file_exists(${JSON.stringify(join(dir, "data.txt"))}))\n`,
      );
      const r = await cliReadOnly(prog);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.equal(r.stdout, "hello from data\ntrue\n");
    });

    await t.step("write_file without --allow-write: needs --allow-write, exit 1", async () => {
      const prog = join(dir, "writer.ruff");
      const target = join(dir, "out.txt");
      await Deno.writeTextFile(
        prog,
        `print("before")\nwrite_file(${JSON.stringify(target)}, "x")\nprint("after")\n`,
      );
      const r = await cliReadOnly(prog);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "before\n");
      assert.match(r.stderr, /^Runtime Error: .*needs --allow-write/);
      assert.ok(!r.stderr.includes("at file://"), r.stderr);
      assert.ok(!r.stderr.includes("Internal error"), r.stderr);
      await assert.rejects(() => Deno.stat(target));
    });

    await t.step("the permission error is catchable in Ruff", async () => {
      const prog = join(dir, "writer2.ruff");
      await Deno.writeTextFile(
        prog,
        `try { write_file(${
          JSON.stringify(join(dir, "out2.txt"))
        }, "x") } except e { print("caught: \${e.message}") }\n`,
      );
      const r = await cliReadOnly(prog);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^caught: .*needs --allow-write.*\n$/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
