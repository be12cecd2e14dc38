import assert from "node:assert/strict";
import { run } from "../../mod.ts";
import { runSession, Session } from "../../lib/runner.ts";
import { catalogSource } from "../../tools/sync_natives.ts";
import { categories } from "../../lib/runtime/index.ts";

// Native categories load when a program (or a module it imports) names one of their natives
// (lib/runtime/loader.ts); the JIT loads when a program has a function or a loop.

Deno.test("loading: the catalog matches the category modules", async () => {
  const file = Deno.readTextFileSync(new URL("../../lib/runtime/catalog.ts", import.meta.url));
  assert.equal(await catalogSource(), file, "run tools/sync_natives.ts");
});

Deno.test("loading: the catalog lists every native once", async () => {
  const { CATEGORY_NATIVES } = await import("../../lib/runtime/catalog.ts");
  const listed = CATEGORY_NATIVES.flatMap(([, names]) => names.split(" ")).sort();
  const declared = categories.flatMap((c) => c.natives.map((n) => n.name)).sort();
  assert.deepEqual(listed, declared);
});

Deno.test("loading: only the named categories are bound", async () => {
  const session = new Session({});
  await session.prepare('print("hi")', "<string>");
  const scope = session.vm.builtins;
  assert.ok(scope.has("print"));
  assert.ok(scope.has("input")); // same category
  assert.ok(!scope.has("upper"));
  assert.ok(!scope.has("sha256"));
  assert.ok(scope.has("PI") && scope.has("channel")); // constants and concurrency: always
});

Deno.test("loading: natives named only inside an imported module work", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ruff_loading_" });
  try {
    await Deno.mkdir(`${dir}/modules/deep`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/modules/deep/hashing.ruff`,
      "export func digest(s) { return sha256(s).substring(0, 8) }\nexport func shout(s) { return to_upper(s) }\n",
    );
    await Deno.writeTextFile(
      `${dir}/helper.ruff`,
      'from deep.hashing import digest, shout\nexport func both(s) { return shout(s) + ":" + digest(s) }\n',
    );
    const main = `${dir}/main.ruff`;
    await Deno.writeTextFile(main, 'import helper\nprint(both("abc"))\n');
    const r = await run(await Deno.readTextFile(main), { file: main, jit: { enabled: false } });
    assert.equal(r.errorText, "");
    assert.equal(r.output, "ABC:ba7816bf\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loading: an _async native brings its synchronous twin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ruff_loading_" });
  try {
    const p = `${dir}/a.txt`;
    await Deno.writeTextFile(p, "contents");
    const r = await run(`print(await read_file_async("${p}"))`);
    assert.equal(r.errorText, "");
    assert.equal(r.output, "contents\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loading: a missing module is still reported when the import runs", async () => {
  const r = await run("print(1)\nimport no_such_module\n", { jit: { enabled: false } });
  assert.equal(r.output, "1\n");
  assert.equal(r.error?.message, "Module not found: no_such_module");
});

Deno.test("loading: the JIT is loaded only for code with functions or loops", async () => {
  const plain = new Session({ jit: { threshold: 1 } });
  await runSession(plain, 'x := 1 + 2\nprint("x = ${x}")');
  assert.equal(plain.vm.jit, null);
  const hot = new Session({ jit: { threshold: 1, dump: true } });
  const r = await runSession(hot, "s := 0\nfor i in range(10) { s := s + i }\nprint(s)");
  assert.equal(r.output, "45\n");
  assert.notEqual(hot.vm.jit, null);
  assert.ok(hot.vm.jit!.compiled.length >= 1);
});

Deno.test("loading: a module written while the program runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ruff_loading_" });
  try {
    const main = `${dir}/main.ruff`;
    // The module's text is built at run time, so the main program's text does not name it.
    const program = (head: string, tail: string) =>
      `write_file("${dir}/gen.ruff", "export func f(s) { return ${head}" + "${tail} }")\n` +
      `import gen\nprint(f("ab"))\n`;
    // Natives the main program also names are loaded already.
    let r = await run(program("le", "n(s)") + "print(len([]))\n", { file: main });
    assert.equal(r.errorText, "");
    assert.equal(r.output, "2\n0\n");
    // Others cannot be loaded in the middle of the run: a clear error, not "Undefined variable".
    await Deno.remove(`${dir}/gen.ruff`);
    r = await run(program("to_up", "per(s)"), { file: main });
    assert.equal(
      r.error?.message,
      "Module 'gen' was created after the program started and uses natives the program does " +
        "not name: to_upper",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
