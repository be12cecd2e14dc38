import assert from "node:assert/strict";
import { ExitRequest, RuffError } from "../../lib/errors.ts";
import {
  arrayOf,
  mkFloat,
  NativeFn,
  RArray,
  type RDict,
  RFloat,
  RStruct,
  type Value,
} from "../../lib/values.ts";
import { os } from "../../lib/runtime/os.ts";
import { harness, throwsMsg } from "./_helpers.ts";

const { ctx, run } = harness(os, ["--port", "8080", "-v", "input.txt"]);
async function rejectsMsg(p: unknown, msg: string) {
  await assert.rejects(Promise.resolve(p), (e: unknown) => {
    assert.ok(e instanceof RuffError, `expected a RuffError, got ${e}`);
    assert.equal(e.message, msg);
    return true;
  });
}
/** Calls a method held in a field of a struct (LANGUAGE.md §10.1 rule 1). */
function method(s: Value, name: string, args: Value[], c = ctx): Value {
  const f = (s as RStruct).fields.get(name);
  assert.ok(f instanceof NativeFn);
  return f.impl(args, c) as Value;
}
const plainDict = (v: Value) =>
  Object.fromEntries(
    [...(v as RDict).map].map((
      [k, x],
    ) => [k, x instanceof RArray ? x.items : x instanceof RFloat ? { f: x.v } : x]),
  );

Deno.test("join_path / path_join", () => {
  assert.equal(run("join_path", "a", "b", "c.txt"), "a/b/c.txt");
  assert.equal(run("join_path", "a/", "b"), "a/b");
  assert.equal(run("join_path", "a", "/b", "c"), "/b/c");
  assert.equal(run("join_path", "a", ""), "a/");
  assert.equal(run("path_join", "x", 5, "y"), "x/y");
  throwsMsg(() => run("join_path"), "join_path() requires at least one string argument");
  throwsMsg(() => run("path_join", 1), "path_join() requires at least one string argument");
});

Deno.test("dirname, basename, path_extension", () => {
  const dn: [string, string][] = [
    ["/a/b.txt", "/a"],
    ["a/b/", "a"],
    ["file.txt", ""],
    ["/", "/"],
    ["", "/"],
    ["/a", "/"],
    ["a//b", "a"],
  ];
  for (const [p, r] of dn) assert.equal(run("dirname", p), r, p);
  const bn: [string, string][] = [
    ["/a/b.txt", "b.txt"],
    ["/a/b/", "b"],
    ["/", ""],
    ["", ""],
    ["a/..", ""],
    ["name", "name"],
  ];
  for (const [p, r] of bn) assert.equal(run("basename", p), r, p);
  const ext: [string, string][] = [
    ["a.tar.gz", "gz"],
    ["/x/file.txt", "txt"],
    [".bashrc", ""],
    ["name.", ""],
    ["noext", ""],
    ["dir.d/file", ""],
  ];
  for (const [p, r] of ext) assert.equal(run("path_extension", p), r, p);
  throwsMsg(() => run("dirname", 1), "dirname() requires a string argument (path)");
  throwsMsg(() => run("basename", null), "basename() requires a string argument (path)");
});

Deno.test("path checks, cwd, chdir, rmdir", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "ruff_os_" }));
  const cwd = Deno.cwd();
  try {
    Deno.writeTextFileSync(`${dir}/f.txt`, "x");
    Deno.mkdirSync(`${dir}/sub`);
    assert.equal(run("path_exists", `${dir}/f.txt`), true);
    assert.equal(run("path_exists", `${dir}/nope`), false);
    assert.equal(run("path_is_dir", `${dir}/sub`), true);
    assert.equal(run("path_is_dir", `${dir}/f.txt`), false);
    assert.equal(run("path_is_file", `${dir}/f.txt`), true);
    assert.equal(run("path_is_file", `${dir}/nope`), false);
    assert.equal(run("path_absolute", `${dir}/sub/../f.txt`), `${dir}/f.txt`);
    throwsMsg(
      () => run("path_absolute", `${dir}/nope`),
      `Cannot get absolute path for '${dir}/nope': No such file or directory (os error 2)`,
    );
    assert.equal(run("os_chdir", dir), true);
    assert.equal(run("os_getcwd"), dir);
    assert.equal(run("path_absolute", "f.txt"), `${dir}/f.txt`);
    throwsMsg(
      () => run("os_chdir", "nope"),
      "Cannot change directory to 'nope': No such file or directory (os error 2)",
    );
    throwsMsg(
      () => run("os_rmdir", dir),
      `Cannot remove directory '${dir}': Directory not empty (os error 39)`,
    );
    throwsMsg(
      () => run("os_rmdir", "f.txt"),
      "Cannot remove directory 'f.txt': Not a directory (os error 20)",
    );
    assert.equal(run("os_rmdir", "sub"), true);
    assert.equal(run("path_exists", `${dir}/sub`), false);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("environment natives", () => {
  assert.equal(run("env_set", "RUFF_T_INT", "42"), null);
  run("env_set", "RUFF_T_FLOAT", "2.5");
  run("env_set", "RUFF_T_BAD", "4x");
  run("env_set", "RUFF_T_BOOL", "Yes");
  assert.equal(run("env", "RUFF_T_INT"), "42");
  assert.equal(run("env", "RUFF_T_UNSET_XYZ"), "");
  assert.equal(run("env_or", "RUFF_T_UNSET_XYZ", "dflt"), "dflt");
  assert.equal(run("env_or", "RUFF_T_INT", "dflt"), "42");
  assert.equal(run("env_int", "RUFF_T_INT"), 42);
  assert.deepEqual(run("env_float", "RUFF_T_FLOAT"), mkFloat(2.5));
  assert.deepEqual(run("env_float", "RUFF_T_INT"), mkFloat(42));
  assert.equal(run("env_bool", "RUFF_T_BOOL"), true);
  assert.equal(run("env_bool", "RUFF_T_FLOAT"), false);
  assert.equal(run("env_required", "RUFF_T_INT"), "42");
  assert.equal((run("env_list") as RDict).map.get("RUFF_T_INT"), "42");
  assert.equal((run("os_environ") as RDict).map.get("RUFF_T_BOOL"), "Yes");
  throwsMsg(
    () => run("env_int", "RUFF_T_BAD"),
    "Environment variable 'RUFF_T_BAD' value '4x' is not a valid integer",
  );
  throwsMsg(
    () => run("env_float", "RUFF_T_BAD"),
    "Environment variable 'RUFF_T_BAD' value '4x' is not a valid float",
  );
  throwsMsg(
    () => run("env_int", "RUFF_T_UNSET_XYZ"),
    "Environment variable 'RUFF_T_UNSET_XYZ' not found",
  );
  throwsMsg(
    () => run("env_bool", "RUFF_T_UNSET_XYZ"),
    "Environment variable 'RUFF_T_UNSET_XYZ' not found",
  );
  throwsMsg(
    () => run("env_required", "RUFF_T_UNSET_XYZ"),
    "Required environment variable 'RUFF_T_UNSET_XYZ' is not set",
  );
  throwsMsg(() => run("env", 1), "env() requires a string argument (variable name)");
  throwsMsg(
    () => run("env_or", "a", 1),
    "env_or() requires two string arguments (variable name, default value)",
  );
  throwsMsg(
    () => run("env_set", "a", 1),
    "env_set() requires two string arguments (variable name, value)",
  );
  for (const k of ["RUFF_T_INT", "RUFF_T_FLOAT", "RUFF_T_BAD", "RUFF_T_BOOL"]) Deno.env.delete(k);
});

Deno.test("args, exit, sleep", () => {
  assert.deepEqual((run("args") as RArray).items, ["--port", "8080", "-v", "input.txt"]);
  assert.throws(() => run("exit", 3), (e: unknown) => e instanceof ExitRequest && e.code === 3);
  assert.throws(() => run("exit"), (e: unknown) => e instanceof ExitRequest && e.code === 0);
  assert.throws(() => run("exit", "x"), (e: unknown) => e instanceof ExitRequest && e.code === 0);
  const t = performance.now();
  assert.equal(run("sleep", 30), 0);
  assert.ok(performance.now() - t >= 29);
  assert.equal(run("sleep", mkFloat(-5)), 0);
  throwsMsg(() => run("sleep", "x"), "sleep() requires a number argument");
});

Deno.test("arg_parser: add_argument, parse, help", () => {
  let p = run("arg_parser");
  assert.ok(p instanceof RStruct && p.def.name === "ArgParser");
  assert.equal(p.fields.get("_app_name"), "");
  p = method(p, "add_argument", [
    "--port",
    "short",
    "-p",
    "type",
    "int",
    "help",
    "Port",
    "default",
    "80",
  ]);
  p = method(p, "add_argument", ["--verbose", "short", "-v", "type", "bool"]);
  p = method(p, "add_argument", ["--rate", "type", "float", "default", "x"]);
  p = method(p, "add_argument", ["--name", "required", false, "bogus", 1, "dangling"]);
  assert.deepEqual(plainDict(method(p, "parse", [])), {
    port: 8080,
    verbose: true,
    rate: { f: 0 },
    name: null,
    _positional: ["input.txt"],
  });
  const c2 = { ...ctx, argv: [] };
  assert.deepEqual(plainDict(method(p, "parse", [], c2)), {
    port: 80,
    verbose: false,
    rate: { f: 0 },
    name: null,
  });
  assert.equal(
    method(p, "help", []),
    "\n\n\n\nOptions:\n  -p, --port <INT> [default: 80]\n        Port\n  -v, --verbose\n" +
      "      --rate <FLOAT> [default: x]\n      --name <STRING>\n",
  );
  const req = method(run("arg_parser"), "add_argument", ["--out", "required", true]);
  throwsMsg(() => method(req, "parse", [], c2), "Required argument --out is missing");
  throwsMsg(() => method(req, "parse", [], { ...ctx, argv: ["--x"] }), "Unknown argument: --x");
  throwsMsg(
    () => method(req, "parse", [], { ...ctx, argv: ["--out"] }),
    "Argument --out requires a value",
  );
  throwsMsg(
    () => method(p, "parse", [], { ...ctx, argv: ["-p", "eighty"] }),
    "Argument --port requires an integer value, got: eighty",
  );
});

Deno.test("execute, spawn_process, pipe_commands", async () => {
  assert.equal(run("execute", "echo hi; echo err >&2; exit 4"), "hi\n");
  const r = run("spawn_process", arrayOf(["sh", "-c", "echo out; echo err >&2; exit 3"]));
  assert.ok(r instanceof RStruct && r.def.name === "ProcessResult");
  assert.equal(r.fields.get("exitcode"), 3);
  assert.equal(r.fields.get("stdout"), "out\n");
  assert.equal(r.fields.get("stderr"), "err\n");
  assert.equal(r.fields.get("success"), false);
  const ok = run("spawn_process", arrayOf(["echo", "a b"])) as RStruct;
  assert.equal(ok.fields.get("success"), true);
  assert.equal(ok.fields.get("stdout"), "a b\n");
  const killed = run("spawn_process", arrayOf(["sh", "-c", "kill -9 $$"])) as RStruct;
  assert.equal(killed.fields.get("exitcode"), -1);
  throwsMsg(
    () => run("spawn_process", arrayOf(["ruff_no_such_program_xyz"])),
    "Failed to spawn process 'ruff_no_such_program_xyz': No such file or directory (os error 2)",
  );
  throwsMsg(
    () => run("spawn_process", arrayOf([])),
    "spawn_process() requires a non-empty array of command arguments",
  );
  throwsMsg(
    () => run("spawn_process", arrayOf(["echo", 1])),
    "spawn_process() requires an array of strings",
  );
  throwsMsg(
    () => run("spawn_process", "echo"),
    "spawn_process() requires an array of command arguments",
  );
  throwsMsg(() => run("execute", 1), "execute() requires a string argument (command)");

  const cmds = arrayOf([
    arrayOf(["echo", "hello world"]),
    arrayOf(["tr", "a-z", "A-Z"]),
    arrayOf(["sed", "s/WORLD/RUFF/"]),
  ]);
  assert.equal(await run("pipe_commands", cmds), "HELLO RUFF\n");
  await rejectsMsg(
    run(
      "pipe_commands",
      arrayOf([arrayOf(["echo", "x"]), arrayOf(["sh", "-c", "echo bad >&2; exit 2"])]),
    ),
    "Command 'sh -c echo bad >&2; exit 2' failed with exit code 2: bad\n",
  );
  await rejectsMsg(
    run("pipe_commands", arrayOf([])),
    "pipe_commands() requires a non-empty array of commands",
  );
  await rejectsMsg(
    run("pipe_commands", arrayOf([arrayOf([])])),
    "Each command array must not be empty",
  );
  await rejectsMsg(
    run("pipe_commands", arrayOf([arrayOf([1])])),
    "Each command must be an array of strings",
  );
});
