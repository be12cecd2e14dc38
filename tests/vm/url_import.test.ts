/**
 * The library works when imported over HTTP: serve the repository on 127.0.0.1, then run a
 * fresh `deno` (empty DENO_DIR, so nothing is cached) on a script importing
 * `http://127.0.0.1:PORT/mod.ts`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dec = new TextDecoder();

const TYPES: Record<string, string> = {
  ".ts": "application/typescript; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ruff": "text/plain; charset=utf-8",
};

function serveRepo(): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    const rel = normalize(path).replace(/^\/+/, "");
    if (rel.startsWith("..")) return new Response("forbidden", { status: 403 });
    try {
      const body = await Deno.readFile(join(ROOT, rel));
      const type = TYPES[extname(rel)] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

Deno.test("mod.ts imported over http:// runs a Ruff program", async () => {
  const server = serveRepo();
  const port = server.addr.port;
  const tmp = await Deno.makeTempDir({ prefix: "ruff_vm_url_" });
  try {
    const script = join(tmp, "main.ts");
    await Deno.writeTextFile(
      script,
      [
        `import { run, version } from "http://127.0.0.1:${port}/mod.ts";`,
        "const src = 'func sq(n) { return n * n }\\nxs := [1, 2, 3]\\n" +
        'print("v${len(xs)}", map(xs, sq), 7 / 2, 1.5 * 2)' +
        '\\ntry { x := [][1] } except e { print("caught") }\';',
        "const r = await run(src);",
        "console.log(JSON.stringify({ out: r.output, code: r.exitCode, version }));",
      ].join("\n"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--reload",
        `--allow-net=127.0.0.1:${port}`,
        "--allow-read",
        "--allow-env",
        "--allow-import=127.0.0.1:" + port,
        "--no-lock",
        "--no-config",
        script,
      ],
      cwd: tmp,
      env: { DENO_DIR: join(tmp, "deno_dir"), NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = dec.decode(out.stdout);
    const stderr = dec.decode(out.stderr);
    assert.equal(out.code, 0, `stderr:\n${stderr}`);
    const res = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.equal(res.out, "v3 [1, 4, 9] 3 3\ncaught\n");
    assert.equal(res.code, 0);
    assert.equal(res.version, "0.9.0");
  } finally {
    await server.shutdown();
    await Deno.remove(tmp, { recursive: true });
  }
});
