import assert from "node:assert/strict";
import { type RArray, Resource, typeName } from "../../lib/values.ts";
import { archive } from "../../lib/runtime/archive.ts";
import { preload } from "../../lib/runtime/lazy.ts";
import { harness, throwsMsg } from "./_helpers.ts";

// The natives read their library synchronously once loaded (lib/runtime/lazy.ts).
await preload(["zip_create", "unzip"]);

const { run } = harness(archive);
const NOENT = "No such file or directory (os error 2)";

/** Runs `f` with a fresh temporary directory that is removed afterwards. */
async function inTemp(f: (dir: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "ruff_zip_" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs python3 and returns its stdout. */
function python(code: string, ...args: string[]): string {
  const out = new Deno.Command("python3", { args: ["-c", code, ...args] }).outputSync();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("zip_create / zip_add_file / zip_add_dir / zip_close, then unzip", () =>
  inTemp((dir) => {
    Deno.writeTextFileSync(`${dir}/a.txt`, "alpha ".repeat(100));
    Deno.mkdirSync(`${dir}/tree/sub`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/tree/b.txt`, "beta");
    Deno.writeTextFileSync(`${dir}/tree/sub/c.txt`, "gamma");

    const z = run("zip_create", `${dir}/out.zip`);
    assert.ok(z instanceof Resource);
    assert.equal(typeName(z), "ziparchive");
    assert.equal(run("zip_add_file", z, `${dir}/a.txt`), true);
    assert.equal(run("zip_add_dir", z, `${dir}/tree`), true);
    assert.equal(run("zip_close", z), true);
    throwsMsg(() => run("zip_close", z), "Zip archive has already been closed");
    throwsMsg(() => run("zip_add_file", z, `${dir}/a.txt`), "Zip archive has been closed");

    // An independent reader sees the entries, compressed with deflate.
    const listing = python(
      "import sys, zipfile\n" +
        "z = zipfile.ZipFile(sys.argv[1])\n" +
        "for i in z.infolist(): print(repr((i.filename, i.compress_type, len(z.read(i)))))",
      `${dir}/out.zip`,
    );
    assert.deepEqual(listing.trim().split("\n"), [
      "('a.txt', 8, 600)",
      "('b.txt', 8, 4)",
      "('sub/', 0, 0)",
      "('sub/c.txt', 8, 5)",
    ]);

    const files = run("unzip", `${dir}/out.zip`, `${dir}/x/y`) as RArray;
    assert.deepEqual(files.items, [
      `${dir}/x/y/a.txt`,
      `${dir}/x/y/b.txt`,
      `${dir}/x/y/sub/c.txt`,
    ]);
    assert.equal(Deno.readTextFileSync(`${dir}/x/y/sub/c.txt`), "gamma");
    assert.equal(Deno.readTextFileSync(`${dir}/x/y/a.txt`), "alpha ".repeat(100));
  }));

Deno.test("unzip extracts an archive written by Python's zipfile", () =>
  inTemp((dir) => {
    python(
      "import sys, zipfile\n" +
        "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n" +
        "  z.writestr('readme.txt', 'hello from python\\n' * 20)\n" +
        "  z.writestr('docs/', '')\n" +
        "  z.writestr('docs/deep/note.md', '# note')\n" +
        "  z.writestr('stored.bin', bytes(range(256)), compress_type=zipfile.ZIP_STORED)\n",
      `${dir}/py.zip`,
    );
    const files = run("unzip", `${dir}/py.zip`, `${dir}/out/`) as RArray;
    assert.deepEqual(files.items, [
      `${dir}/out/readme.txt`,
      `${dir}/out/docs/deep/note.md`,
      `${dir}/out/stored.bin`,
    ]);
    assert.equal(Deno.readTextFileSync(`${dir}/out/readme.txt`), "hello from python\n".repeat(20));
    assert.equal(Deno.readTextFileSync(`${dir}/out/docs/deep/note.md`), "# note");
    assert.deepEqual([...Deno.readFileSync(`${dir}/out/stored.bin`)], [...Array(256).keys()]);
    assert.ok(Deno.statSync(`${dir}/out/docs`).isDirectory);
  }));

Deno.test("unzip keeps entries inside the output directory", () =>
  inTemp((dir) => {
    python(
      "import sys, zipfile\n" +
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n" +
        "  z.writestr('../evil.txt', 'x')\n" +
        "  z.writestr('/abs.txt', 'y')\n",
      `${dir}/bad.zip`,
    );
    const files = run("unzip", `${dir}/bad.zip`, `${dir}/o`) as RArray;
    assert.deepEqual(files.items, [`${dir}/o/evil.txt`, `${dir}/o/abs.txt`]);
    assert.throws(() => Deno.statSync(`${dir}/evil.txt`));
  }));

Deno.test("zip errors", () =>
  inTemp((dir) => {
    throwsMsg(() => run("zip_create", 1), "zip_create() requires a string path argument");
    throwsMsg(
      () => run("zip_create", `${dir}/no/such/dir.zip`),
      `Failed to create zip file '${dir}/no/such/dir.zip': ${NOENT}`,
    );
    const z = run("zip_create", `${dir}/e.zip`);
    throwsMsg(
      () => run("zip_add_file", z, `${dir}/missing`),
      `Failed to read source file '${dir}/missing': ${NOENT}`,
    );
    throwsMsg(
      () => run("zip_add_file", "z", "p"),
      "zip_add_file() requires (ZipArchive, string_path) arguments",
    );
    throwsMsg(
      () => run("zip_add_dir", z, 1),
      "zip_add_dir() requires (ZipArchive, string_path) arguments",
    );
    throwsMsg(() => run("zip_add_dir", z, `${dir}/missing`), `Failed to read directory: ${NOENT}`);
    throwsMsg(() => run("zip_close", null), "zip_close() requires a ZipArchive argument");
    throwsMsg(
      () => run("unzip", `${dir}/missing.zip`, `${dir}/o`),
      `Failed to open file '${dir}/missing.zip': ${NOENT}`,
    );
    Deno.writeTextFileSync(`${dir}/junk.zip`, "not a zip");
    throwsMsg(
      () => run("unzip", `${dir}/junk.zip`, `${dir}/o`),
      new RegExp(`^Failed to open zip archive '${dir}/junk.zip': `),
    );
    throwsMsg(
      () => run("unzip", 1, "o"),
      "unzip() requires (string_zip_path, string_output_dir) arguments",
    );
    // An empty archive is valid.
    assert.equal(run("zip_close", z), true);
    assert.deepEqual((run("unzip", `${dir}/e.zip`, `${dir}/o2`) as RArray).items, []);
  }));
