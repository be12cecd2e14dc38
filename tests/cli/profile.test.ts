/**
 * `ruff profile` and `lib/profiler.ts`: the hooks in-process (recursion, ignored leaves, folded
 * stacks), the table on stderr, folded-stack and SVG flame-graph files, and (when chromium is
 * installed) a headless rendering of the SVG to PNG.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ruff, sh, tempDir, which } from "./_cli.ts";
import { Profiler } from "../../lib/profiler.ts";
import { flameGraphSvg } from "../../lib/cli/flamegraph.ts";
import type { Frame } from "../../lib/handles.ts";

// ───────────── in-process ─────────────

/** A stand-in for a VM frame: only what the profiler reads. */
function fakeFrame(name: string, line = 1): Frame {
  return {
    proto: { name, file: "t.ruff", lines: [line] },
    closure: { name, owner: null },
  } as unknown as Frame;
}

const protos = new Map<string, Frame>();
/** A new frame object (like a fresh VM frame) sharing the prototype of `name`. */
function frame(name: string): Frame {
  let base = protos.get(name);
  if (!base) protos.set(name, base = fakeFrame(name));
  return { proto: base.proto, closure: base.closure } as unknown as Frame;
}

function spin(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}

Deno.test("profiler: recursion counts total time once; self time adds up", () => {
  const p = new Profiler();
  p.start();
  const a1 = frame("rec"), a2 = frame("rec"), a3 = frame("rec");
  const t0 = performance.now();
  p.enter(a1);
  spin(2);
  p.enter(a2);
  spin(2);
  p.enter(a3);
  spin(2);
  p.leave(a3);
  p.leave(a2);
  p.leave(a1);
  const span = performance.now() - t0;
  p.stop();
  const [rec] = p.functions();
  assert.equal(rec.calls, 3);
  // Counting every activation would give about 6 + 4 + 2 ms; only the outermost one counts.
  assert.ok(rec.totalMs >= 6 && rec.totalMs <= span, `total ${rec.totalMs}, span ${span}`);
  assert.ok(Math.abs(rec.totalMs - rec.selfMs) < 0.5, `self ${rec.selfMs}`);
  assert.ok(rec.totalMs <= p.elapsedMs);
});

Deno.test("profiler: leaves of frames it did not see entered are ignored", () => {
  const p = new Profiler();
  p.start();
  const outer = frame("outer"), inner = frame("inner"), stranger = frame("stranger");
  p.enter(outer);
  p.leave(stranger); // never entered
  p.enter(inner);
  p.leave(outer); // not on top: ignored
  spin(1);
  p.leave(inner);
  p.leave(outer);
  p.stop();
  const fns = p.functions();
  assert.deepEqual(fns.map((f) => [f.name, f.calls]), [["outer", 1], ["inner", 1]]);
  assert.ok(fns[0].totalMs >= fns[1].totalMs);
  assert.equal(p.root.size(), 3);
});

Deno.test("profiler: folded stacks and an SVG with one frame per stack", () => {
  const p = new Profiler();
  p.start();
  const a = frame("a"), b = frame("b"), c = frame("c"), b2 = frame("b");
  p.enter(a);
  p.enter(b);
  spin(1);
  p.leave(b);
  p.leave(a);
  p.enter(c);
  p.enter(b2);
  spin(1);
  p.leave(b2);
  p.leave(c);
  p.stop();
  const stacks = p.folded().trim().split("\n").map((l) => l.split(" ")[0]);
  assert.ok(stacks.includes("main;a;b") && stacks.includes("main;c;b"), p.folded());
  for (const l of p.folded().trim().split("\n")) assert.match(l, /^main(;[a-z]+)* [1-9]\d*$/);
  const svg = flameGraphSvg(p.root, 't <&> "q"');
  assert.equal(frameCount(svg), 5); // main, main;a, main;a;b, main;c, main;c;b
  assert.ok(svg.includes("t &lt;&amp;&gt; &quot;q&quot;"));
});

// ───────────── the command ─────────────

const PROGRAM = `func leaf(n) {
    s := 0
    for i in range(n) { s += i }
    return s
}
func mid(n) { return leaf(n) + leaf(n) }
func top() {
    t := 0
    for k in range(20) { t += mid(300) }
    return t
}
func other() { return leaf(2000) }
func fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}
print(top(), other(), args())
`;
const dir = tempDir({
  "prog.ruff": PROGRAM,
  "fib.ruff": PROGRAM.replace("print(top(), other(), args())", "print(fib(15))"),
  "fails.ruff": 'func f() { throw("bad") }\nf()\n',
});

/** The distinct stacks of prog.ruff. */
const STACKS = [
  "main",
  "main;other",
  "main;other;leaf",
  "main;top",
  "main;top;mid",
  "main;top;mid;leaf",
];

interface Row {
  name: string;
  calls: number;
  total: number;
  self: number;
  location: string;
}

function table(stderr: string): { rows: Row[]; seconds: number } {
  const lines = stderr.split("\n");
  const head = lines.findIndex((l) =>
    /^ {2}Function +Calls +Total \(ms\) +Self \(ms\) +Location$/.test(l)
  );
  assert.ok(head > 0, stderr);
  const rows: Row[] = [];
  for (const l of lines.slice(head + 1)) {
    const m = l.match(/^ {2}(\S+) +(\d+) +(\d+\.\d{3}) +(\d+\.\d{3}) +(\S+)$/);
    if (!m) break;
    rows.push({ name: m[1], calls: +m[2], total: +m[3], self: +m[4], location: m[5] });
  }
  const t = stderr.match(/\nTotal execution time: (\d+\.\d{3})s\n/);
  assert.ok(t, stderr);
  return { rows, seconds: Number(t[1]) };
}

Deno.test("profile: per-function table on stderr, sorted by total time", async () => {
  const r = await ruff(["profile", `${dir}prog.ruff`, "x", "-y"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "1794000 1999000 [x, -y]\n"); // the program runs normally, with its ARGS
  assert.ok(r.stderr.includes("JIT disabled while profiling"), r.stderr);
  const { rows, seconds } = table(r.stderr);
  assert.deepEqual(
    rows.map((x) => [x.name, x.calls]).sort(),
    [["leaf", 41], ["mid", 20], ["other", 1], ["top", 1]],
  );
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].total >= rows[i].total);
  const by = Object.fromEntries(rows.map((x) => [x.name, x]));
  assert.equal(by.leaf.location, `${dir}prog.ruff:2`);
  assert.ok(by.top.total >= by.mid.total && by.mid.total >= by.mid.self);
  assert.ok(Math.abs(by.leaf.total - by.leaf.self) < 0.01); // a leaf's time is all its own
  assert.ok(by.top.total / 1000 <= seconds + 0.001);
  assert.ok(r.stderr.trimEnd().endsWith(`Total execution time: ${seconds.toFixed(3)}s`));
});

Deno.test("profile: recursion does not double count total time", async () => {
  const r = await ruff(["profile", `${dir}fib.ruff`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "610\n");
  const { rows, seconds } = table(r.stderr);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].name, "fib");
  assert.equal(rows[0].calls, 1973);
  assert.ok(rows[0].total / 1000 <= seconds + 0.001, `${rows[0].total} ms > ${seconds} s`);
  assert.ok(rows[0].self <= rows[0].total + 0.01);
});

Deno.test("profile: exit status as for run; --cpu and --memory accepted", async () => {
  const r = await ruff(["profile", "--cpu", `${dir}fails.ruff`, "--memory"]);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.startsWith("Runtime Error: bad"), r.stderr);
  assert.ok(/Memory after the run: heap \d/.test(r.stderr), r.stderr);
  table(r.stderr);
  const s = await ruff(["profile", `${dir}missing.ruff`]);
  assert.equal(s.code, 1);
});

Deno.test("profile: --flamegraph OUT writes folded stacks (self time in µs)", async () => {
  const out = `${dir}prog.folded`;
  const r = await ruff(["profile", `${dir}prog.ruff`, "--flamegraph", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`Folded stacks (self time in µs) written to ${out}`), r.stderr);
  const lines = Deno.readTextFileSync(out).trimEnd().split("\n");
  for (const l of lines) {
    assert.match(l, /^main(;[a-z]+)* [1-9]\d*$/);
    assert.ok(STACKS.includes(l.split(" ")[0]), l);
  }
  assert.ok(lines.some((l) => l.startsWith("main;top;mid;leaf ")), lines.join("\n"));
});

/** Checks that `xml` is well-formed enough (balanced tags); returns the number of frames. */
function frameCount(xml: string): number {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, "");
  const stack: string[] = [];
  let frames = 0;
  let rectsInFrames = 0;
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    const [, close, name, attrs, self] = m;
    if (close) {
      assert.equal(stack.pop(), name, `unbalanced </${name}>`);
      continue;
    }
    if (name === "g" && /class="frame"/.test(attrs)) frames++;
    if (name === "rect" && stack.at(-1) === "g") rectsInFrames++;
    if (!self) stack.push(name);
  }
  assert.deepEqual(stack, [], "unclosed tags");
  assert.equal(body.match(/</g)!.length, body.match(/>/g)!.length, "stray angle brackets");
  assert.ok(!/&(?!amp;|lt;|gt;|quot;|apos;)/.test(body), "unescaped &");
  assert.equal(rectsInFrames, frames);
  return frames;
}

Deno.test("profile: --flamegraph OUT.svg writes a self-contained SVG flame graph", async () => {
  const out = `${dir}prog.svg`;
  const r = await ruff(["profile", `${dir}prog.ruff`, "--flamegraph", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`Flame graph (SVG) written to ${out}`), r.stderr);
  const svg = Deno.readTextFileSync(out);
  assert.ok(svg.includes('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(!/(href|src)=|@import|url\(|<script/i.test(svg), "no external resources");
  assert.equal(frameCount(svg), STACKS.length);
  const stacks = [...svg.matchAll(/data-stack="([^"]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(stacks, STACKS);
  assert.equal([...svg.matchAll(/<title>/g)].length, STACKS.length);
  // widths: the root spans the graph; children never exceed their parent
  const width = new Map<string, number>();
  for (
    const m of svg.matchAll(
      /data-stack="([^"]+)"><title>[^<]*<\/title><rect [^>]*width="([\d.]+)"/g,
    )
  ) {
    width.set(m[1], Number(m[2]));
  }
  assert.equal(width.get("main"), 1180);
  for (const s of STACKS.slice(1)) {
    const parent = s.slice(0, s.lastIndexOf(";"));
    assert.ok(width.get(s)! <= width.get(parent)! + 0.02, `${s} wider than ${parent}`);
  }
});

const chromium = which("chromium") ?? which("chromium-browser") ?? which("google-chrome");

Deno.test({
  name: "profile: the SVG renders in headless chromium (skipped without chromium)",
  ignore: chromium === null,
  async fn() {
    const svg = `${dir}render.svg`;
    const png = `${dir}render.png`;
    const r = await ruff(["profile", `${dir}prog.ruff`, "--flamegraph", svg]);
    assert.equal(r.code, 0, r.stderr);
    const shot = await sh(chromium!, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--hide-scrollbars",
      `--user-data-dir=${dir}chromium-profile`,
      `--screenshot=${png}`,
      "--window-size=1200,300",
      `file://${svg}`,
    ]);
    assert.equal(shot.code, 0, shot.stderr);
    const bytes = Deno.readFileSync(png);
    assert.ok(bytes.length > 1000, `PNG of ${bytes.length} bytes`);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  },
});
