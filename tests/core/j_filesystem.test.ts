// Core suite, theme J: file-system built-ins (C120–C135).
// Every test works in its own temporary directory, embeds absolute paths in the Ruff source
// (upstream used fixed temp names or CWD-relative names) and removes the directory afterwards.

import {
  assert,
  expectArray,
  expectBool,
  expectErrorValue,
  expectInt,
  expectStr,
  expectUncaught,
  joinPath,
  pathExists,
  ruffStr,
  runOk,
  runRuff,
  withTempDir,
} from "./_helpers.ts";

// C120 (fails upstream at 87e9196 — async file built-ins; LANGUAGE.md §15 rule 7: synchronous)
Deno.test("test_file_write_and_read", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_test_write.txt");
    const r = await runOk(`
path := ${ruffStr(path)}
result := write_file(path, "Hello, Ruff!")
content := read_file(path)
`);
    expectBool(r, "result", true);
    expectStr(r, "content", "Hello, Ruff!");
    assert.equal(await Deno.readTextFile(path), "Hello, Ruff!");
  });
});

// C121 (same upstream bug as C120; append_file's `true` result is asserted per builtins.md)
Deno.test("test_file_append", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_test_append.txt");
    // `\\n` here is the two-character Ruff escape `\n` in the program text.
    const r = await runOk(`
path := ${ruffStr(path)}
write_file(path, "Line 1\\n")
appended1 := append_file(path, "Line 2\\n")
appended2 := append_file(path, "Line 3\\n")
content := read_file(path)
`);
    expectStr(r, "content", "Line 1\nLine 2\nLine 3\n");
    expectBool(r, "appended1", true);
    expectBool(r, "appended2", true);
  });
});

// C122
Deno.test("test_file_exists", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_test_exists.txt");
    await Deno.writeTextFile(path, "test");
    const missing = joinPath(dir, "ruff_no_such_file.txt");
    const r = await runOk(`
exists1 := file_exists(${ruffStr(path)})
exists2 := file_exists(${ruffStr(missing)})
`);
    expectBool(r, "exists1", true);
    expectBool(r, "exists2", false);
  });
});

// C123
Deno.test("test_read_lines", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_test_lines.txt");
    await Deno.writeTextFile(path, "Line 1\nLine 2\nLine 3");
    const r = await runOk(`
lines := read_lines(${ruffStr(path)})
count := len(lines)
first := lines[0]
last := lines[2]
`);
    expectInt(r, "count", 3);
    expectStr(r, "first", "Line 1");
    expectStr(r, "last", "Line 3");
  });
});

// C124 (same upstream bug as C120)
Deno.test("test_create_dir_and_list", async () => {
  await withTempDir(async (tmp) => {
    // The parent does not exist yet: create_dir must create it too.
    const dir = joinPath(joinPath(tmp, "parent"), "ruff_test_dir");
    const r = await runOk(`
dir := ${ruffStr(dir)}
result := create_dir(dir)
write_file(${ruffStr(joinPath(dir, "file1.txt"))}, "content1")
write_file(${ruffStr(joinPath(dir, "file2.txt"))}, "content2")
files := list_dir(dir)
count := len(files)
`);
    expectBool(r, "result", true);
    expectInt(r, "count", 2);
    const names = expectArray(r, "files", 2);
    names.forEach((n, i) => assert.equal(typeof n, "string", `files[${i}]`));
    assert.deepEqual([...names].sort(), ["file1.txt", "file2.txt"]);
  });
});

// C125 (upstream lenient: "no error" allowed; LANGUAGE.md §15 rule 7: read_file raises)
Deno.test("test_file_not_found_error", async () => {
  await withTempDir(async (dir) => {
    const missing = joinPath(dir, "ruff_missing_file.txt");
    const r = await runOk(`
caught := "no error"
try {
    content := read_file(${ruffStr(missing)})
} except err {
    caught := err.message
}
`);
    const caught = r.get("caught");
    assert.equal(typeof caught, "string");
    assert.ok(
      (caught as string).startsWith(`Cannot read file '${missing}': `),
      `caught = ${caught}`,
    );
  });
});

// C126
Deno.test("test_bool_from_file_operations", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_bool_check.txt");
    await Deno.writeTextFile(path, "data");
    const r = await runOk(`
exists := file_exists(${ruffStr(path)})
not_exists := file_exists(${ruffStr(joinPath(dir, "ruff_bool_missing.txt"))})
`);
    expectBool(r, "exists", true);
    expectBool(r, "not_exists", false);
  });
});

// C127
Deno.test("test_file_size", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_size_test.txt");
    await Deno.writeTextFile(path, "Hello, World! This is a test.");
    const r = await runOk(`
size := file_size(${ruffStr(path)})
`);
    expectInt(r, "size", 29);
  });
});

// C128 (the failed assignment binds the error value, LANGUAGE.md §6.8)
Deno.test("test_file_size_nonexistent", async () => {
  await withTempDir(async (dir) => {
    const missing = joinPath(dir, "ruff_size_missing.txt");
    const r = await runRuff(`
result := file_size(${ruffStr(missing)})
`);
    const err = expectErrorValue(r, "result", { includes: "Cannot get file size" });
    assert.ok(err.message.startsWith(`Cannot get file size for '${missing}': `), err.message);
    expectUncaught(r, err.message);
  });
});

// C129
Deno.test("test_delete_file", async () => {
  await withTempDir(async (dir) => {
    const path = joinPath(dir, "ruff_delete_me.txt");
    await Deno.writeTextFile(path, "Delete me");
    const r = await runOk(`
result := delete_file(${ruffStr(path)})
`);
    expectBool(r, "result", true);
    assert.equal(await pathExists(path), false);
  });
});

// C130 (LANGUAGE.md §6.8)
Deno.test("test_delete_file_nonexistent", async () => {
  await withTempDir(async (dir) => {
    const missing = joinPath(dir, "ruff_delete_missing.txt");
    const r = await runRuff(`
result := delete_file(${ruffStr(missing)})
`);
    const err = expectErrorValue(r, "result", { includes: "Cannot delete file" });
    assert.ok(err.message.startsWith(`Cannot delete file '${missing}': `), err.message);
    expectUncaught(r, err.message);
  });
});

// C131
Deno.test("test_rename_file", async () => {
  await withTempDir(async (dir) => {
    const oldPath = joinPath(dir, "ruff_old_name.txt");
    const newPath = joinPath(dir, "ruff_new_name.txt");
    await Deno.writeTextFile(oldPath, "Rename me");
    const r = await runOk(`
result := rename_file(${ruffStr(oldPath)}, ${ruffStr(newPath)})
`);
    expectBool(r, "result", true);
    assert.equal(await pathExists(oldPath), false);
    assert.equal(await Deno.readTextFile(newPath), "Rename me");
  });
});

// C132 (LANGUAGE.md §6.8)
Deno.test("test_rename_file_nonexistent", async () => {
  await withTempDir(async (dir) => {
    const oldPath = joinPath(dir, "ruff_rename_missing.txt");
    const newPath = joinPath(dir, "ruff_rename_target.txt");
    const r = await runRuff(`
result := rename_file(${ruffStr(oldPath)}, ${ruffStr(newPath)})
`);
    const err = expectErrorValue(r, "result", { includes: "Cannot rename file" });
    assert.ok(
      err.message.startsWith(`Cannot rename file '${oldPath}' to '${newPath}': `),
      err.message,
    );
    expectUncaught(r, err.message);
    assert.equal(await pathExists(newPath), false);
  });
});

// C133
Deno.test("test_copy_file", async () => {
  await withTempDir(async (dir) => {
    const src = joinPath(dir, "ruff_copy_src.txt");
    const dst = joinPath(dir, "ruff_copy_dst.txt");
    await Deno.writeTextFile(src, "Copy me");
    const r = await runOk(`
result := copy_file(${ruffStr(src)}, ${ruffStr(dst)})
`);
    expectBool(r, "result", true);
    assert.equal(await Deno.readTextFile(src), "Copy me");
    assert.equal(await Deno.readTextFile(dst), "Copy me");
  });
});

// C134 (LANGUAGE.md §6.8)
Deno.test("test_copy_file_nonexistent", async () => {
  await withTempDir(async (dir) => {
    const src = joinPath(dir, "ruff_copy_missing.txt");
    const dst = joinPath(dir, "ruff_copy_target.txt");
    const r = await runRuff(`
result := copy_file(${ruffStr(src)}, ${ruffStr(dst)})
`);
    const err = expectErrorValue(r, "result", { includes: "Cannot copy file" });
    assert.ok(err.message.startsWith(`Cannot copy file '${src}' to '${dst}': `), err.message);
    expectUncaught(r, err.message);
  });
});

// C135
Deno.test("test_file_operations_integration", async () => {
  await withTempDir(async (dir) => {
    const original = joinPath(dir, "ruff_integration.txt");
    const renamed = joinPath(dir, "ruff_integration_renamed.txt");
    const copied = joinPath(dir, "ruff_integration_copy.txt");
    await Deno.writeTextFile(original, "Integration test content");
    const r = await runOk(`
# size of the original file
size1 := file_size(${ruffStr(original)})

# move it, then measure again
rename_result := rename_file(${ruffStr(original)}, ${ruffStr(renamed)})
size2 := file_size(${ruffStr(renamed)})

# duplicate it
copy_result := copy_file(${ruffStr(renamed)}, ${ruffStr(copied)})
size3 := file_size(${ruffStr(copied)})

# clean up both remaining files
delete1 := delete_file(${ruffStr(renamed)})
delete2 := delete_file(${ruffStr(copied)})
`);
    expectInt(r, "size1", 24);
    expectInt(r, "size2", 24);
    expectInt(r, "size3", 24);
    for (const name of ["rename_result", "copy_result", "delete1", "delete2"]) {
      expectBool(r, name, true);
    }
    for (const p of [original, renamed, copied]) {
      assert.equal(await pathExists(p), false, `${p} should be gone`);
    }
  });
});
