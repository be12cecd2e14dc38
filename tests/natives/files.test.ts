import assert from "node:assert/strict";
import { mkFloat, type RArray, RBytes, type RDict, RFloat, type Value } from "../../lib/values.ts";
import { files } from "../../lib/runtime/files.ts";
import { harness, throwsMsg } from "./_helpers.ts";

const { run } = harness(files);
const bytes = (v: Value) => [...(v as RBytes).data];
const NOENT = "No such file or directory (os error 2)";

/** Runs `f` with a fresh temporary directory that is removed afterwards. */
async function inTemp(f: (dir: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "ruff_files_" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("write_file, read_file, append_file (C120, C121, C125)", () =>
  inTemp((dir) => {
    const p = `${dir}/t.txt`;
    assert.equal(run("write_file", p, "Hello, Ruff!"), true);
    assert.equal(run("read_file", p), "Hello, Ruff!");
    assert.equal(run("write_file", p, "Line 1\n"), true);
    assert.equal(run("append_file", p, "Line 2\n"), true);
    assert.equal(run("append_file", p, "Line 3\n"), true);
    assert.equal(run("read_file", p), "Line 1\nLine 2\nLine 3\n");
    assert.equal(run("append_file", `${dir}/new.txt`, "é"), true);
    assert.equal(run("read_file_sync", `${dir}/new.txt`), "é");
    throwsMsg(
      () => run("read_file", `${dir}/missing.txt`),
      `Cannot read file '${dir}/missing.txt': ${NOENT}`,
    );
    throwsMsg(
      () => run("read_file", dir),
      `Cannot read file '${dir}': Is a directory (os error 21)`,
    );
    throwsMsg(
      () => run("write_file", `${dir}/no/such/f.txt`, "x"),
      `Cannot write file '${dir}/no/such/f.txt': ${NOENT}`,
    );
    Deno.writeFileSync(`${dir}/bad.txt`, new Uint8Array([0x66, 0xff]));
    throwsMsg(
      () => run("read_file", `${dir}/bad.txt`),
      `Cannot read file '${dir}/bad.txt': stream did not contain valid UTF-8`,
    );
    throwsMsg(() => run("read_file", 1), "read_file() requires a string path argument");
    throwsMsg(() => run("write_file", p, 1), "write_file() requires string arguments");
    throwsMsg(() => run("append_file", 1, "x"), "append_file() requires string arguments");
  }));

Deno.test("file_exists, read_lines, list_dir, create_dir (C122–C124, C126)", () =>
  inTemp((dir) => {
    const p = `${dir}/lines.txt`;
    Deno.writeTextFileSync(p, "Line 1\nLine 2\r\nLine 3");
    assert.equal(run("file_exists", p), true);
    assert.equal(run("file_exists", dir), true);
    assert.equal(run("file_exists", `${dir}/nope`), false);
    assert.deepEqual((run("read_lines", p) as RArray).items, ["Line 1", "Line 2", "Line 3"]);
    Deno.writeTextFileSync(p, "a\n\nb\n");
    assert.deepEqual((run("read_lines", p) as RArray).items, ["a", "", "b"]);
    throwsMsg(() => run("read_lines", `${dir}/nope`), `Cannot read file '${dir}/nope': ${NOENT}`);

    const sub = `${dir}/a/b/c`;
    assert.equal(run("create_dir", sub), true);
    assert.equal(run("create_dir", sub), true); // already there
    run("write_file", `${sub}/file2.txt`, "content2");
    run("write_file", `${sub}/file1.txt`, "content1");
    run("create_dir", `${sub}/zdir`);
    assert.deepEqual((run("list_dir", sub) as RArray).items, ["file1.txt", "file2.txt", "zdir"]);
    assert.deepEqual((run("list_dir_sync", `${dir}/a`) as RArray).items, ["b"]);
    throwsMsg(
      () => run("list_dir", `${dir}/nope`),
      `Cannot list directory '${dir}/nope': ${NOENT}`,
    );
    throwsMsg(
      () => run("create_dir", p + "/x"),
      /^Cannot create directory '.*': Not a directory \(os error 20\)$/,
    );
    throwsMsg(() => run("file_exists", null), "file_exists() requires a string path argument");
  }));

Deno.test("file_size, delete_file, rename_file, copy_file (C127–C135)", () =>
  inTemp((dir) => {
    const orig = `${dir}/orig.txt`, moved = `${dir}/moved.txt`, copy = `${dir}/copy.txt`;
    Deno.writeTextFileSync(orig, "Integration test content");
    assert.equal(run("file_size", orig), 24);
    assert.equal(run("rename_file", orig, moved), true);
    assert.equal(run("file_exists", orig), false);
    assert.equal(run("file_size", moved), 24);
    assert.equal(run("copy_file", moved, copy), true);
    assert.equal(run("read_file", copy), "Integration test content");
    assert.equal(run("file_size", copy), 24);
    assert.equal(run("delete_file", moved), true);
    assert.equal(run("delete_file", copy), true);
    assert.deepEqual((run("list_dir", dir) as RArray).items, []);

    const missing = `${dir}/missing.txt`;
    throwsMsg(() => run("file_size", missing), `Cannot get file size for '${missing}': ${NOENT}`);
    throwsMsg(() => run("delete_file", missing), `Cannot delete file '${missing}': ${NOENT}`);
    throwsMsg(
      () => run("delete_file", dir),
      `Cannot delete file '${dir}': Is a directory (os error 21)`,
    );
    throwsMsg(
      () => run("rename_file", missing, copy),
      `Cannot rename file '${missing}' to '${copy}': ${NOENT}`,
    );
    throwsMsg(
      () => run("copy_file", missing, copy),
      `Cannot copy file '${missing}' to '${copy}': ${NOENT}`,
    );
    throwsMsg(() => run("rename_file", 1, 2), "rename_file() requires string arguments");
    throwsMsg(() => run("copy_file", "a", 2), "copy_file() requires string arguments");
  }));

Deno.test("read_binary_file, write_binary_file", () =>
  inTemp((dir) => {
    const p = `${dir}/b.bin`;
    const data = new Uint8Array([0, 1, 2, 255, 128]);
    assert.equal(run("write_binary_file", p, new RBytes(data)), true);
    assert.deepEqual(bytes(run("read_binary_file", p)), [0, 1, 2, 255, 128]);
    throwsMsg(
      () => run("read_binary_file", `${dir}/x`),
      `Cannot read binary file '${dir}/x': ${NOENT}`,
    );
    throwsMsg(
      () => run("write_binary_file", p, "text"),
      "write_binary_file() requires path (string) and bytes arguments",
    );
  }));

Deno.test("io_* binary I/O", () =>
  inTemp((dir) => {
    const p = `${dir}/io.bin`;
    const B = (...xs: number[]) => new RBytes(new Uint8Array(xs));
    assert.equal(run("io_write_bytes", p, B(1, 2, 3, 4, 5)), true);
    assert.deepEqual(bytes(run("io_read_bytes", p, 3)), [1, 2, 3]);
    assert.deepEqual(bytes(run("io_read_bytes", p, mkFloat(99.7))), [1, 2, 3, 4, 5]);
    assert.equal(run("io_append_bytes", p, B(6, 7)), true);
    assert.deepEqual(bytes(run("io_read_at", p, 5, 10)), [6, 7]);
    assert.deepEqual(bytes(run("io_read_at", p, 50, 10)), []);
    assert.equal(run("io_write_at", p, B(9, 9), 1), true);
    assert.deepEqual(bytes(run("io_seek_read", p, 0)), [1, 9, 9, 4, 5, 6, 7]);
    assert.equal(run("io_write_at", p, B(8), 9), true); // past the end: zero-filled gap
    assert.deepEqual(bytes(run("io_seek_read", p, 6)), [7, 0, 0, 8]);
    assert.equal(run("io_truncate", p, 3), true);
    assert.deepEqual(bytes(run("io_read_bytes", p, 100)), [1, 9, 9]);
    assert.equal(run("io_truncate", p, 5), true);
    assert.deepEqual(bytes(run("io_read_bytes", p, 100)), [1, 9, 9, 0, 0]);
    assert.equal(run("io_copy_range", p, `${dir}/part.bin`, 1, 2), true);
    assert.deepEqual(bytes(run("read_binary_file", `${dir}/part.bin`)), [9, 9]);

    const meta = run("io_file_metadata", p) as RDict;
    assert.equal(meta.map.get("size"), 5);
    assert.equal(meta.map.get("is_file"), true);
    assert.equal(meta.map.get("is_dir"), false);
    assert.equal(meta.map.get("readonly"), false);
    assert.equal(typeof meta.map.get("modified"), "number");
    assert.equal((run("io_file_metadata", dir) as RDict).map.get("is_dir"), true);

    const missing = `${dir}/missing`;
    throwsMsg(() => run("io_read_bytes", missing, 1), `Cannot open file '${missing}': ${NOENT}`);
    throwsMsg(
      () => run("io_write_at", missing, B(1), 0),
      `Cannot open file '${missing}': ${NOENT}`,
    );
    throwsMsg(() => run("io_truncate", missing, 0), `Cannot open file '${missing}': ${NOENT}`);
    throwsMsg(
      () => run("io_copy_range", missing, p, 0, 1),
      `Cannot open source file '${missing}': ${NOENT}`,
    );
    throwsMsg(
      () => run("io_file_metadata", missing),
      `Cannot get metadata for '${missing}': ${NOENT}`,
    );
    throwsMsg(() => run("io_read_bytes", p, -1), "io_read_bytes count must be non-negative");
    throwsMsg(() => run("io_read_at", p, -1, 1), "io_read_at offset must be non-negative");
    throwsMsg(
      () => run("io_read_bytes", p, "x"),
      "io_read_bytes() requires path (string) and count (int) arguments",
    );
    assert.ok(run("io_read_bytes", p, mkFloat(1)) instanceof RBytes);
    assert.ok(!(run("file_size", p) instanceof RFloat));
  }));

Deno.test("denied permissions name the flag", async () => {
  await inTemp((dir) => {
    const script = `${dir}/probe.ts`;
    const mod = new URL("../../lib/runtime/files.ts", import.meta.url).href;
    Deno.writeTextFileSync(
      script,
      `import { files } from ${JSON.stringify(mod)};
const f = (n: string) => files.natives.find((x) => x.name === n)!.impl;
for (const [n, args] of [["write_file", ["out.txt", "x"]], ["read_file", ["in.txt"]]] as const) {
  try { f(n)([...args], null as never); console.log("ok"); } catch (e) { console.log((e as Error).message); }
}`,
    );
    const out = new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--quiet", script],
      cwd: dir,
    }).outputSync();
    assert.equal(
      new TextDecoder().decode(out.stdout),
      "Permission denied: writing 'out.txt' needs --allow-write\n" +
        "Permission denied: reading 'in.txt' needs --allow-read\n",
      new TextDecoder().decode(out.stderr),
    );
  });
});
