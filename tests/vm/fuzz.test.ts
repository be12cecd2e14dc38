/**
 * VM fuzzing: thousands of random small Ruff programs from a grammar-based generator, plus
 * mutations of the spec case programs, all run in-process with a seeded PRNG. Each must end with
 * a result or a Ruff error — never another JS exception, never exit code 70 (internal error).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RError, RuffSyntaxError, run, type RunResult } from "../../mod.ts";

const SEED = Number(Deno.env.get("RUFF_FUZZ_SEED") ?? 0x5eed);
const GENERATED = 4000;
const MUTATIONS_PER_CASE = 12;
const PER_PROGRAM_MS = 5000;

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  vars: string[] = [];
  next = 0;
  loopDepth = 0;
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }

  intLit(): string {
    return this.pick([
      "0",
      "1",
      "-1",
      "2",
      "3",
      "7",
      "-13",
      "100",
      "9007199254740991",
      "9007199254740992",
      "9007199254740993",
      "-9007199254740993",
      "9223372036854775807",
      "(-9223372036854775807 - 1)",
      "4611686018427387904",
      "-4611686018427387904",
      "3037000500",
    ]);
  }
  floatLit(): string {
    return this.pick([
      "0.0",
      "1.5",
      "-2.25",
      "0.1",
      "123456789012345680000.0",
      "-0.000001",
      "3.0",
      "9007199254740993.0",
    ]);
  }
  strLit(): string {
    return this.pick(['""', '"a"', '"abc"', '"héllo"', '"x${1 + 1}"', '"0"', '"key"']);
  }
  smallInt(): string {
    return String(this.int(5));
  }

  atom(): string {
    const r = this.int(10);
    if (r < 3 && this.vars.length) return this.pick(this.vars);
    if (r < 5) return this.intLit();
    if (r < 6) return this.floatLit();
    if (r < 7) return this.strLit();
    if (r < 8) return this.pick(["null", "true", "false"]);
    if (r < 9) return "(P { x: 1, y: 2 })";
    return this.pick(["Ok(1)", 'Err("e")', "Some(2)", "None"]);
  }

  expr(depth = 0): string {
    if (depth > 3) return this.atom();
    const r = this.int(20);
    const sub = () => this.expr(depth + 1);
    switch (r) {
      case 0:
      case 1:
      case 2:
      case 3:
        return this.atom();
      case 4:
      case 5:
      case 6:
        return `(${sub()} ${this.pick(["+", "-", "*", "/", "%"])} ${sub()})`;
      case 7:
        return `(${sub()} ${this.pick(["==", "!=", "<", "<=", ">", ">="])} ${sub()})`;
      case 8:
        return `(${sub()} ${this.pick(["&&", "||", "??"])} ${sub()})`;
      case 9:
        return `${this.pick(["-", "!"])}(${sub()})`;
      case 10:
        return `[${Array.from({ length: this.int(4) }, sub).join(", ")}]`;
      case 11:
        return `{"a": ${sub()}, "b": ${sub()}}`;
      case 12:
        return `${this.indexable(depth)}[${
          this.pick([this.smallInt(), "-1", "10", '"a"', sub()])
        }]`;
      case 13:
        return `${this.pick(["f1", "f2", "mk(3)", "len", "to_string", "type"])}(${
          this.pick(["f2", "mk(3)"]).startsWith("f2") && this.chance(0.5)
            ? `${sub()}, ${sub()}`
            : sub()
        })`;
      case 14:
        return `f2(${sub()}, ${sub()})`;
      case 15:
        return `rec(${this.smallInt()})`;
      case 16:
        return `(P { x: ${sub()}, y: ${sub()} }).sum()`;
      case 17:
        return `${this.indexable(depth)}.${this.pick(["x", "y", "a", "len()", "sum()"])}`;
      case 18:
        return `"s${"${"}${sub()}${"}"}"`;
      default:
        return `(${sub()} |> f1)`;
    }
  }

  indexable(depth: number): string {
    if (this.vars.length && this.chance(0.5)) return this.pick(this.vars);
    return this.pick([
      "[1, 2, 3]",
      '{"a": 1}',
      '"abc"',
      "(P { x: 1, y: 2 })",
      this.expr(depth + 1),
    ]);
  }

  newVar(): string {
    const v = `v${this.next++}`;
    return v;
  }

  block(depth: number, n = 1 + this.int(3)): string {
    const saved = this.vars.length;
    const body = Array.from({ length: n }, () => this.stmt(depth + 1)).join("\n");
    this.vars.length = saved;
    return body;
  }

  stmt(depth = 0): string {
    const r = depth > 2 ? this.int(6) : this.int(15);
    switch (r) {
      case 0:
      case 1: {
        const e = this.expr();
        const v = this.newVar();
        this.vars.push(v);
        return `${v} := ${e}`;
      }
      case 2:
        return `print(${this.expr()})`;
      case 3:
        if (this.vars.length) {
          return `${this.pick(this.vars)} ${this.pick(["+=", "-=", "*=", ":="])} ${this.expr()}`;
        }
        return `print(${this.expr()})`;
      case 4:
        if (this.vars.length) {
          const v = this.pick(this.vars);
          return this.pick([
            `${v}[${this.pick(["0", "1", "-1", "5", '"a"'])}] := ${this.expr()}`,
            `${v}.push(${this.expr()})`,
            `${v}.x := ${this.expr()}`,
            `${v}.bump(${this.expr()})`,
          ]);
        }
        return `print(${this.expr()})`;
      case 5:
        return this.loopDepth > 0 && this.chance(0.5) ? "break" : `print(${this.expr()})`;
      case 6:
        return `if ${this.expr()} {\n${this.block(depth)}\n} else {\n${this.block(depth)}\n}`;
      case 7: {
        const i = `i${this.next++}`;
        this.loopDepth++;
        const saved = this.vars.length;
        this.vars.push(i);
        const body = this.block(depth);
        this.vars.length = saved;
        this.loopDepth--;
        return `for ${i} in ${
          this.pick([this.smallInt(), `range(${this.smallInt()})`, "[1, 2]", '"ab"', '{"k": 1}'])
        } {\n${body}\n}`;
      }
      case 8: {
        const c = `c${this.next++}`;
        this.loopDepth++;
        const body = this.block(depth);
        this.loopDepth--;
        return `${c} := 0\nwhile ${c} < ${this.smallInt()} {\n${c} += 1\n${body}\n}`;
      }
      case 9:
        return `try {\n${this.block(depth)}\n} except e {\nprint("caught", e.message, e.line)\n}`;
      case 10:
        return `match ${this.expr()} {\ncase 0: { print("zero") }\ncase "a": print("a")\ncase Ok(q): { print(q) }\ncase None: print("none")\ncase _: {\n${
          this.block(depth, 1)
        }\n}\n}`;
      case 11: {
        const v = this.newVar();
        const k = this.expr();
        this.vars.push(v);
        return `${v} := mk(${k})(${this.expr()})`;
      }
      case 12: {
        const v = this.newVar();
        this.vars.push(v);
        return `${v} := P { x: ${this.expr()}, y: ${this.intLit()} }\n${v}.bump(${this.expr()})\nprint(${v}.sum())`;
      }
      case 13:
        return `throw(${this.expr()})`;
      default: {
        const fn = `g${this.next++}`;
        const saved = this.vars;
        const savedLoop = this.loopDepth;
        this.vars = ["a"];
        this.loopDepth = 0;
        const body = this.block(depth);
        this.vars = saved;
        this.loopDepth = savedLoop;
        return `func ${fn}(a) {\n${body}\nreturn ${
          this.pick(["a", "null", "1"])
        }\n}\nprint(${fn}(${this.expr()}))`;
      }
    }
  }

  program(): string {
    this.vars = [];
    this.next = 0;
    const pre = [
      "struct P {",
      "  x: Int",
      "  y: Int",
      "  func sum(self) { return self.x + self.y }",
      "  func bump(self, d) { self.x += d }",
      "}",
      "func f1(a) { return a + 1 }",
      "func f2(a, b) { return a * b - a }",
      "func mk(n) { return func(x) { return x + n } }",
      "func rec(n) { if n <= 0 { return 0 } return n + rec(n - 1) }",
    ].join("\n");
    const n = 2 + this.int(8);
    // Most top-level statements are guarded so that one failure does not end the program.
    const body = Array.from({ length: n }, () => {
      const saved = this.vars.length;
      const st = this.stmt();
      if (!this.chance(0.7)) return st;
      this.vars.length = saved; // names bound inside the try block are not visible after it
      return `try {\n${st}\n} except e {\nprint("E", e.message)\n}`;
    });
    return pre + "\n" + body.join("\n") + "\n";
  }
}

interface Outcome {
  kind: "ok" | "ruff-error" | "syntax-error";
}

async function runChecked(src: string, label: string): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timeout after ${PER_PROGRAM_MS} ms`)), PER_PROGRAM_MS);
  });
  let r: RunResult;
  const started = performance.now();
  try {
    r = await Promise.race([run(src), timeout]);
  } catch (e) {
    if (e instanceof RuffSyntaxError) return { kind: "syntax-error" };
    assert.fail(
      `${label}: JS exception ${e instanceof Error ? e.stack : e}\n--- program ---\n${src}`,
    );
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - started;
  assert.ok(ms < PER_PROGRAM_MS, `${label}: took ${ms} ms\n--- program ---\n${src}`);
  assert.notEqual(
    r.exitCode,
    70,
    `${label}: internal error\n${r.errorText}\n--- program ---\n${src}`,
  );
  assert.ok(!/Internal error|at file:\/\/|\.ts:\d/.test(r.errorText), `${label}: ${r.errorText}`);
  assert.ok(!/\[object |undefined/.test(r.output), `${label}: JS leak in output ${r.output}`);
  if (r.error !== null) {
    assert.ok(r.error instanceof RError, `${label}: error is not an RError`);
    assert.equal(typeof r.error.message, "string");
    assert.equal(r.exitCode, 1, `${label}: uncaught error but exit ${r.exitCode}`);
    return { kind: "ruff-error" };
  }
  assert.ok(
    r.exitCode === 0 || r.exitCode >= 0 && r.exitCode < 256,
    `${label}: exit ${r.exitCode}`,
  );
  return { kind: "ok" };
}

Deno.test("fuzz: grammar-generated programs", async () => {
  const gen = new Gen(prng(SEED));
  const counts = { "ok": 0, "ruff-error": 0, "syntax-error": 0 };
  const syntaxSamples: string[] = [];
  for (let i = 0; i < GENERATED; i++) {
    const src = gen.program();
    const o = await runChecked(src, `generated #${i} (seed ${SEED})`);
    counts[o.kind]++;
    if (o.kind === "syntax-error" && syntaxSamples.length < 3) syntaxSamples.push(src);
  }
  // The generator only emits valid syntax; a syntax error points at the generator or the parser.
  assert.equal(counts["syntax-error"], 0, `syntax errors in:\n${syntaxSamples.join("\n-----\n")}`);
  assert.ok(counts.ok > GENERATED / 5, JSON.stringify(counts));
  assert.ok(counts["ruff-error"] > 0, JSON.stringify(counts));
});

const CASES_DIR = fileURLToPath(new URL("../spec/cases/", import.meta.url));
// Programs that wait on time, tasks, channels or the outside world are left out: a mutation
// could make them wait forever, which is not a VM bug.
const UNSAFE =
  /sleep|http|spawn|input\(|write_file|exec|remove|delete|env\(|stdin|await|serve|channel|import|while|loop/;

function mutate(src: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const lines = src.split("\n");
  const li = Math.floor(rnd() * lines.length);
  switch (Math.floor(rnd() * 7)) {
    case 0: // delete a line
      lines.splice(li, 1);
      return lines.join("\n");
    case 1: // duplicate a line
      lines.splice(li, 0, lines[li]);
      return lines.join("\n");
    case 2: { // swap two adjacent lines
      if (li + 1 < lines.length) [lines[li], lines[li + 1]] = [lines[li + 1], lines[li]];
      return lines.join("\n");
    }
    case 3: { // replace an Int literal (small values only: loops may count to it)
      const m = [...src.matchAll(/\b\d+\b/g)];
      if (!m.length) return src;
      const t = pick(m);
      const rep = pick(["0", "1", "2", "-1", "5", "9223372036854775807", "9007199254740993"]);
      const safeRep = /for\b/.test(src) && rep.length > 2 ? "3" : rep;
      return src.slice(0, t.index!) + safeRep + src.slice(t.index! + t[0].length);
    }
    case 4: { // swap an operator
      const m = [...src.matchAll(/ (\+|-|\*|\/|%|==|!=|<|>|&&|\|\|) /g)];
      if (!m.length) return src;
      const t = pick(m);
      const rep = pick(["+", "-", "*", "/", "%", "==", "<", "&&", "??"]);
      return src.slice(0, t.index!) + ` ${rep} ` + src.slice(t.index! + t[0].length);
    }
    case 5: { // truncate
      return src.slice(0, Math.floor(rnd() * src.length));
    }
    default: { // replace a value with a surprising one
      const m = [...src.matchAll(/\b(\d+|"[^"\n]*"|true|false|null)/g)];
      if (!m.length) return src;
      const t = pick(m);
      const rep = pick(["null", "[]", "{}", '"s"', "1.5", "[1, [2]]", "None", "Err(1)", "-0.0"]);
      return src.slice(0, t.index!) + rep + src.slice(t.index! + t[0].length);
    }
  }
}

Deno.test("fuzz: mutations of the spec case programs", async () => {
  const rnd = prng(SEED ^ 0xabcdef);
  const files: string[] = [];
  for (const e of Deno.readDirSync(CASES_DIR)) {
    if (e.isFile && e.name.endsWith(".ruff")) files.push(e.name);
  }
  files.sort();
  let runs = 0;
  for (const name of files) {
    let src: string;
    try {
      src = await Deno.readTextFile(join(CASES_DIR, name));
    } catch {
      continue; // e.g. the invalid UTF-8 case
    }
    if (UNSAFE.test(src)) continue;
    await runChecked(src, name);
    for (let k = 0; k < MUTATIONS_PER_CASE; k++) {
      let m = mutate(src, rnd);
      if (rnd() < 0.3) m = mutate(m, rnd);
      await runChecked(m, `${name} mutation ${k} (seed ${SEED})`);
      runs++;
    }
  }
  assert.ok(runs > 100, `only ${runs} mutated programs ran`);
});
