/**
 * Differential tests of the WebAssembly JIT against the bytecode VM.
 *
 * Every program runs in process four times — `{ jit: { enabled: false } }` (the reference),
 * `{ jit: { enabled: true, threshold: 1 } }` (compile everything at once),
 * `{ jit: { enabled: true, threshold: 10 } }` (compile mid-loop, on-stack replacement) and the
 * same with `pauseBudget: 1` (compiled loops pause at every outer back-edge) — and the four
 * runs must agree exactly on stdout, on the stderr text (uncaught errors with their
 * location, source excerpt and call stack) and on the exit code.
 *
 * Two parts:
 *
 * 1. a fixed corpus of hand-written edge cases (Int overflow at ±2^63, exactness around ±2^53,
 *    division and remainder by zero and by negatives, NaN, infinities and -0.0, Int/Float mixes,
 *    type changes that force bailouts, arrays, recursion, errors inside hot code, …);
 * 2. a generator of random numeric programs (seeded; always terminating; always syntactically
 *    valid): recursion, for/while/loop with break/continue, if/else chains, mixed arithmetic,
 *    comparisons, boolean logic, boundary values, arrays, functions calling functions, globals
 *    read and written inside functions, try/except and prints.
 *
 * Environment (all optional): `RUFF_FUZZ_SEED` (an integer, or `random`), `RUFF_FUZZ_COUNT`
 * (number of random programs, default 4000), `RUFF_FUZZ_ONLY` (run only the program with this
 * index and print it with its output), `RUFF_FUZZ_BUDGET_MS` (stop starting new programs after
 * this many milliseconds, default 45000, so that a slow JIT cannot make the test run for
 * minutes; the number of programs actually run is logged). A mismatch prints the seed, the
 * index, the command that reproduces it, the program, a line-reduced version and the differing
 * outcomes. The backend is the default one unless `RUFF_JIT_BACKEND` says otherwise (the run
 * options here set only `enabled` and `threshold`).
 *
 * @module
 */

import { check, type JitOptions, RuffSyntaxError, run } from "../../mod.ts";

// ───────────────────────────── running and comparing ─────────────────────────────

/** What one run of a program produced. */
interface Outcome {
  output: string;
  errorText: string;
  exitCode: number;
}

interface Config {
  label: string;
  jit: JitOptions;
}

const REFERENCE: Config = { label: "jit off", jit: { enabled: false } };
const JIT_CONFIGS: Config[] = [
  { label: "jit threshold 1", jit: { enabled: true, threshold: 1 } },
  { label: "jit threshold 10", jit: { enabled: true, threshold: 10 } },
  // Compiled loops pause at every back-edge of their outermost loops (saving their state and
  // entering again): every state a loop can be in crosses a pause.
  {
    label: "jit threshold 10, pause budget 1",
    jit: { enabled: true, threshold: 10, pauseBudget: 1 },
  },
];

async function outcome(source: string, cfg: Config): Promise<Outcome> {
  try {
    const r = await run(source, { jit: { ...cfg.jit } });
    return { output: r.output, errorText: r.errorText, exitCode: r.exitCode };
  } catch (e) {
    const kind = e instanceof RuffSyntaxError ? "RuffSyntaxError" : "exception";
    const msg = e instanceof Error ? e.message : String(e);
    return { output: "", errorText: `<run threw ${kind}: ${msg}>`, exitCode: -1 };
  }
}

/** A difference between the reference run and one JIT run. */
interface Mismatch {
  config: Config;
  reference: Outcome;
  actual: Outcome;
}

/** Runs all configurations; returns the reference outcome and the first mismatch, if any. */
async function compare(source: string): Promise<{ reference: Outcome; mismatch: Mismatch | null }> {
  const reference = await outcome(source, REFERENCE);
  for (const config of JIT_CONFIGS) {
    const actual = await outcome(source, config);
    if (
      actual.output !== reference.output || actual.errorText !== reference.errorText ||
      actual.exitCode !== reference.exitCode
    ) {
      return { reference, mismatch: { config, reference, actual } };
    }
  }
  return { reference, mismatch: null };
}

/** The first line where two texts differ, for reports. */
function firstDifference(a: string, b: string): string {
  const la = a.split("\n"), lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      return `line ${i + 1}: expected ${JSON.stringify(la[i] ?? "<end>")}, got ${
        JSON.stringify(lb[i] ?? "<end>")
      }`;
    }
  }
  return "(no line differs)";
}

function clip(text: string, max = 3000): string {
  return text.length <= max ? text : text.slice(0, max) + `\n… (${text.length - max} more chars)`;
}

function describe(m: Mismatch): string {
  const parts = [`${REFERENCE.label} vs ${m.config.label}:`];
  const { reference: r, actual: a } = m;
  if (r.exitCode !== a.exitCode) parts.push(`  exit code: ${r.exitCode} vs ${a.exitCode}`);
  if (r.output !== a.output) {
    parts.push(`  stdout differs at ${firstDifference(r.output, a.output)}`);
    parts.push(`  --- stdout (${REFERENCE.label}) ---\n${clip(r.output)}`);
    parts.push(`  --- stdout (${m.config.label}) ---\n${clip(a.output)}`);
  }
  if (r.errorText !== a.errorText) {
    parts.push(`  --- stderr (${REFERENCE.label}) ---\n${clip(r.errorText)}`);
    parts.push(`  --- stderr (${m.config.label}) ---\n${clip(a.errorText)}`);
  }
  return parts.join("\n");
}

/** Signature of a mismatch, so that reduction keeps the same kind of failure. */
function mismatchKind(m: Mismatch): string {
  const { reference: r, actual: a } = m;
  return [
    m.config.label,
    r.exitCode !== a.exitCode ? "exit" : "",
    r.output !== a.output ? "out" : "",
    r.errorText !== a.errorText ? "err" : "",
  ].join("/");
}

/**
 * Whether a chunk of lines may go: every `# keep` line in it must lie inside a construct that
 * starts in the chunk too (so a loop goes with its counter, never the counter alone).
 */
function removable(chunk: string[]): boolean {
  let depth = 0;
  for (const line of chunk) {
    if (line.endsWith(KEEP) && depth <= 0) return false;
    depth += braceBalance(line);
  }
  return true;
}

/** Net count of `{` minus `}` on a line. */
function braceBalance(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === "{") n++;
    else if (ch === "}") n--;
  }
  return n;
}

/** The index of the line that closes the construct opened on line `i`, or -1. */
function constructEnd(lines: string[], i: number): number {
  if (!lines[i].trimEnd().endsWith("{")) return -1;
  let depth = 0;
  for (let j = i; j < lines.length; j++) {
    depth += braceBalance(lines[j]);
    if (depth <= 0) return j;
  }
  return -1;
}

/**
 * Greedy reduction: removes whole constructs (a loop, an if chain, a function…), then chunks of
 * lines, while the program still parses and still shows a mismatch of the same kind. Lines
 * marked `# keep` (what makes loops and recursion end) stay unless their whole loop or function
 * goes. Bounded by `maxAttempts` candidate runs and by `maxMs`.
 */
async function reduce(
  source: string,
  kind: string,
  maxAttempts = 800,
  maxMs = 30_000,
): Promise<string> {
  let lines = source.split("\n");
  let attempts = 0;
  const t0 = performance.now();
  const budgetLeft = () => attempts < maxAttempts && performance.now() - t0 < maxMs;
  /** Tries without lines [from, to); keeps the removal when the mismatch persists. */
  const attempt = async (from: number, to: number): Promise<boolean> => {
    const removed = lines.slice(from, to);
    const candidate = [...lines.slice(0, from), ...lines.slice(to)];
    const text = candidate.join("\n");
    if (!removable(removed) || check(text).length !== 0) return false;
    attempts++;
    const { mismatch } = await compare(text);
    if (mismatch && mismatchKind(mismatch) === kind) {
      lines = candidate;
      return true;
    }
    return false;
  };
  let progress = true;
  while (progress && budgetLeft()) {
    progress = false;
    for (let i = 0; i < lines.length && budgetLeft(); i++) {
      const j = constructEnd(lines, i);
      if (j > i && await attempt(i, j + 1)) {
        progress = true;
        i--;
      }
    }
    for (const size of [4, 2, 1]) {
      for (let i = 0; i < lines.length && budgetLeft(); i++) {
        if (await attempt(i, i + size)) {
          progress = true;
          i--;
        }
      }
    }
  }
  return lines.join("\n");
}

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

// ───────────────────────────── seeded PRNG ─────────────────────────────

/** mulberry32: small, fast, good enough for program generation. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
  /** Picks by weight among `[weight, value]` pairs (weights ≤ 0 are skipped). */
  weighted<T>(pairs: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of pairs) if (w > 0) total += w;
    let x = this.next() * total;
    for (const [w, v] of pairs) {
      if (w <= 0) continue;
      x -= w;
      if (x < 0) return v;
    }
    return pairs.filter(([w]) => w > 0).at(-1)![1];
  }
}

/** The seed of program `index` under the run seed (so that one program reproduces alone). */
function programSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ───────────────────────────── program generator ─────────────────────────────

const SMALL_INTS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];
const MID_INTS = [
  "17",
  "100",
  "255",
  "256",
  "1000",
  "4096",
  "65535",
  "65536",
  "1000000",
  "2147483647",
  "2147483648",
  "4294967295",
  "4294967296",
];
const BIG_INTS = [
  "3037000499", // its square fits in an Int
  "3037000500", // its square does not
  "4503599627370496", // 2^52
  "9007199254740991", // 2^53 - 1
  "9007199254740992", // 2^53
  "9007199254740993", // 2^53 + 1
  "1000000000000000000",
  "4611686018427387904", // 2^62
  "9223372036854775806",
  "9223372036854775807", // 2^63 - 1
];
const FLOATS = [
  "0.0",
  "0.5",
  "1.0",
  "1.5",
  "2.0",
  "2.5",
  "3.25",
  "0.1",
  "0.2",
  "0.3",
  "10.0",
  "100.5",
  "0.001",
  "123.456",
  "1000000.0",
];
const BIG_FLOATS = [
  "4503599627370496.0",
  "9007199254740992.0",
  "9007199254740993.0",
  "9223372036854775807.0",
  "9223372036854775808.0",
  "18446744073709551616.0",
];
/** Special global constants every generated program defines (never assigned). */
const SPECIALS: readonly (readonly [string, string])[] = [
  ["ghuge", "1" + "0".repeat(200) + ".0"], // 1e200
  ["ginf", "ghuge * ghuge"],
  ["gnan", "ginf - ginf"],
  ["gnz", "0.0 * -1.0"], // -0.0
  ["gmax", "9223372036854775807"],
  ["gmin", "-9223372036854775807 - 1"],
];

const ARITH = ["+", "-", "*", "/", "%"] as const;
/**
 * Marks the lines that guarantee termination (loop counters, recursion base cases); the reducer
 * never removes them.
 */
const KEEP = "  # keep";
const COMPARE = ["<", "<=", ">", ">=", "==", "!="] as const;
const COMPOUND = ["+=", "-=", "*=", "/=", "%="] as const;

type ParamKind = "num" | "arr";

interface FnInfo {
  name: string;
  kind: "plain" | "rec" | "fib";
  params: ParamKind[];
  /** Estimated work of one call, in generator units. */
  cost: number;
}

/** What generated code may use at one point. */
interface Ctx {
  nums: string[];
  arrs: string[];
  /** Names that must not be assigned (loop counters, specials). */
  fixed: Set<string>;
  /** Int loop variables in scope (bounded, non-negative). */
  loopVars: string[];
  loopDepth: number;
  inFn: FnInfo | null;
  /** How many times this code runs, as estimated by the generator. */
  mult: number;
  /** Prefix of new local names. */
  prefix: string;
  callable: FnInfo[];
  depth: number;
  /**
   * True inside `try` bodies: operations that usually raise (Bool operands, Float or far
   * out-of-range indexes, `throw`) are generated much more often there.
   */
  risky: boolean;
}

function child(ctx: Ctx, extra: Partial<Ctx> = {}): Ctx {
  return {
    ...ctx,
    nums: [...ctx.nums],
    arrs: [...ctx.arrs],
    fixed: new Set(ctx.fixed),
    loopVars: [...ctx.loopVars],
    depth: ctx.depth + 1,
    ...extra,
  };
}

/** Generates one random, terminating, syntactically valid numeric Ruff program. */
class Generator {
  private out: string[] = [];
  private indent = 0;
  private counter = 0;
  /** Remaining work, in units (one unit ≈ one expression node or statement executed). */
  budget = 0;
  private readonly fns: FnInfo[] = [];

  /**
   * "Kernel" programs (about 40%) keep hot code free of what makes compiled code exit or not
   * compile at all (prints, try, array literals and pushes, Bool arithmetic inside loops), so
   * that the JIT runs long stretches and the type-change bailouts happen inside compiled code.
   */
  private readonly kernel: boolean;

  constructor(private readonly rng: Rng) {
    this.kernel = rng.chance(0.4);
  }

  /** Weight `w`, or `w * f` in hot code of kernel programs. */
  private hot(ctx: Ctx, w: number, f = 0): number {
    return this.kernel && (ctx.mult > 1 || ctx.inFn) ? w * f : w;
  }

  private emit(line: string): void {
    this.out.push("    ".repeat(this.indent) + line);
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  private spend(ctx: Ctx, units = 1): void {
    this.budget -= ctx.mult * units;
  }

  // ── literals and expressions ──

  private intLit(): string {
    const r = this.rng;
    const s = r.weighted([[70, SMALL_INTS], [20, MID_INTS], [10, BIG_INTS]] as const);
    const v = r.pick(s);
    return r.chance(0.2) && v !== "0" ? `(-${v})` : v;
  }

  private floatLit(): string {
    const r = this.rng;
    const v = r.chance(0.9) ? r.pick(FLOATS) : r.pick(BIG_FLOATS);
    return r.chance(0.2) ? `(-${v})` : v;
  }

  private literal(): string {
    return this.rng.chance(0.65) ? this.intLit() : this.floatLit();
  }

  /** A divisor: often a non-zero small literal (less often in `try` bodies), else anything. */
  private divisor(ctx: Ctx, d: number): string {
    const r = this.rng;
    if (r.chance(ctx.risky ? 0.4 : 0.75)) {
      const v = r.chance(0.7) ? String(r.range(1, 13)) : r.pick(["0.5", "1.5", "2.0", "3.25"]);
      return r.chance(0.3) ? `(-${v})` : v;
    }
    return this.expr(ctx, d);
  }

  private leaf(ctx: Ctx): string {
    const r = this.rng;
    this.spend(ctx);
    return r.weighted([
      [ctx.nums.length ? 50 : 0, () => r.pick(ctx.nums)],
      [30, () => this.literal()],
      [5, () => r.pick(SPECIALS)[0]],
      [ctx.loopVars.length ? 15 : 0, () => r.pick(ctx.loopVars)],
    ])();
  }

  /**
   * An index into `arr` (arrays never have fewer than one element): in range, or in `try`
   * bodies often also negative, past the end or a Float.
   */
  private index(ctx: Ctx, arr: string): string {
    const r = this.rng;
    const risk = ctx.risky ? 1 : 0.1;
    return r.weighted([
      [20, () => r.pick(["0", "(-1)"])],
      [ctx.loopVars.length ? 40 : 0, () => `${r.pick(ctx.loopVars)} % len(${arr})`],
      [10, () => `len(${arr}) - 1`],
      [10 * risk, () => String(r.range(1, 4))],
      [6 * risk, () => `(-${r.range(2, 5)})`],
      [3 * risk, () => `len(${arr})`],
      [3 * risk, () => r.pick(["1.5", "0.0", "(-1.0)", "gnan"])],
      [8 * risk, () => `${this.expr(ctx, 1)} % ${r.range(2, 5)}`],
    ])();
  }

  expr(ctx: Ctx, d: number): string {
    const r = this.rng;
    if (d <= 0 || r.chance(0.3)) return this.leaf(ctx);
    this.spend(ctx);
    const callable = ctx.callable.filter((f) => f.cost * ctx.mult <= Math.max(0, this.budget) / 4);
    return r.weighted([
      [55, () => {
        const op = r.pick(ARITH);
        const a = this.expr(ctx, d - 1);
        const b = op === "/" || op === "%" ? this.divisor(ctx, d - 1) : this.expr(ctx, d - 1);
        return `(${a} ${op} ${b})`;
      }],
      [8, () => (r.chance(0.5) ? `-${this.leaf(ctx)}` : `-(${this.expr(ctx, d - 1)})`)],
      [callable.length ? 14 : 0, () => this.call(ctx, r.pick(callable), d)],
      [ctx.arrs.length ? 12 : 0, () => {
        const a = r.pick(ctx.arrs);
        return `${a}[${this.index(ctx, a)}]`;
      }],
      [ctx.arrs.length ? 4 : 0, () => `len(${r.pick(ctx.arrs)})`],
      // A Bool used as a number: an error (unless only compared with == or !=).
      [this.hot(ctx, ctx.risky ? 3 : 0.3), () => `(${this.cond(ctx, d - 1)})`],
    ])();
  }

  /** A call of `f` with suitable arguments. */
  private call(ctx: Ctx, f: FnInfo, d: number): string {
    const r = this.rng;
    this.budget -= f.cost * ctx.mult;
    const args: string[] = [];
    if (f.kind === "rec" || f.kind === "fib") {
      // The first argument bounds the recursion depth.
      const max = f.kind === "fib" ? 12 : 15;
      args.push(
        r.weighted([
          [50, () => String(r.range(0, max))],
          [10, () => `${r.range(0, max - 1)}.5`],
          [
            ctx.loopVars.length ? 40 : 0,
            () => `(${r.pick(ctx.loopVars)} % ${r.range(2, max)})`,
          ],
        ])(),
      );
      if (f.kind === "rec") args.push(this.expr(ctx, d - 1));
    } else {
      for (const k of f.params) {
        if (k === "arr") {
          args.push(
            ctx.arrs.length && r.chance(0.8)
              ? r.pick(ctx.arrs)
              : `[${this.literal()}, ${this.literal()}]`,
          );
        } else args.push(this.expr(ctx, d - 1));
      }
    }
    return `${f.name}(${args.join(", ")})`;
  }

  cond(ctx: Ctx, d: number): string {
    const r = this.rng;
    this.spend(ctx);
    if (d <= 0) return `${this.leaf(ctx)} ${r.pick(COMPARE)} ${this.leaf(ctx)}`;
    return r.weighted([
      [50, () => `${this.expr(ctx, d - 1)} ${r.pick(COMPARE)} ${this.expr(ctx, d - 1)}`],
      [12, () => `(${this.cond(ctx, d - 1)}) && (${this.cond(ctx, d - 1)})`],
      [12, () => `(${this.cond(ctx, d - 1)}) || (${this.cond(ctx, d - 1)})`],
      [8, () => `!(${this.cond(ctx, d - 1)})`],
      [10, () => this.expr(ctx, d - 1)], // truthiness of a number
      [3, () => r.pick(["true", "false"])],
    ])();
  }

  // ── statements ──

  private block(ctx: Ctx, maxStmts: number): void {
    this.indent++;
    const n = this.rng.range(1, maxStmts);
    for (let i = 0; i < n && this.budget > 0; i++) this.stmt(ctx);
    this.indent--;
  }

  /** The trip count of a new loop at this point, or 0 when the budget does not allow one. */
  private tripCount(ctx: Ctx): number {
    if (ctx.depth > 4) return 0;
    const max = Math.min(60, Math.floor(this.budget / (ctx.mult * 12)));
    if (max < 2) return 0;
    return this.rng.chance(0.15) ? max : this.rng.range(2, max);
  }

  private assignable(ctx: Ctx): string[] {
    return ctx.nums.filter((v) => !ctx.fixed.has(v));
  }

  stmt(ctx: Ctx): void {
    const r = this.rng;
    this.spend(ctx);
    const targets = this.assignable(ctx);
    const canLoop = ctx.depth <= 4 && this.budget / ctx.mult >= 30;
    const action = r.weighted<() => void>([
      [targets.length ? 16 : 0, () => {
        const v = r.pick(targets);
        if (r.chance(0.3)) {
          const op = r.pick(COMPOUND);
          const e = op === "/=" || op === "%=" ? this.divisor(ctx, 2) : this.expr(ctx, 2);
          this.emit(`${v} ${op} ${e}`);
        } else this.emit(`${v} := ${this.expr(ctx, 3)}`);
      }],
      [14, () => {
        const v = this.fresh(ctx.prefix);
        this.emit(`${v} := ${this.expr(ctx, 3)}`);
        ctx.nums.push(v);
      }],
      [ctx.arrs.length ? 8 : 0, () => {
        const a = r.pick(ctx.arrs);
        const op = r.chance(0.75) ? ":=" : r.pick(["+=", "-=", "*="]);
        this.emit(`${a}[${this.index(ctx, a)}] ${op} ${this.expr(ctx, 2)}`);
      }],
      [
        this.hot(ctx, ctx.arrs.length ? 4 : 0),
        () => this.emit(`${r.pick(ctx.arrs)}.push(${this.expr(ctx, 2)})`),
      ],
      // A second name for an array (copy-on-write: the next change of either copies it).
      [this.hot(ctx, ctx.arrs.length ? 2 : 0), () => {
        const v = this.fresh(ctx.prefix);
        this.emit(`${v} := ${r.pick(ctx.arrs)}`);
        ctx.arrs.push(v);
      }],
      [this.hot(ctx, 3), () => {
        const v = this.fresh(ctx.prefix);
        const n = r.range(1, 4);
        const items = Array.from({ length: n }, () => this.expr(ctx, 1));
        this.emit(`${v} := [${items.join(", ")}]`);
        ctx.arrs.push(v);
      }],
      // Fewer prints in loops: a print leaves compiled code, so loops full of prints would keep
      // the JIT from running long stretches.
      [this.hot(ctx, ctx.mult > 1 ? 4 : 12, 0.1), () => this.print(ctx)],
      [10, () => this.ifChain(ctx)],
      // A conditional step by a constant (compiled without a branch: codegen.ts,
      // `conditionalSteps`), now and then by a big one.
      [targets.length ? 4 : 0, () => {
        const k = r.chance(0.8) ? r.pick(SMALL_INTS) : this.intLit();
        this.emit(`if ${this.cond(ctx, 2)} { ${r.pick(targets)} ${r.pick(["+=", "-="])} ${k} }`);
      }],
      [canLoop ? 9 : 0, () => this.forLoop(ctx)],
      [canLoop ? 5 : 0, () => this.whileLoop(ctx)],
      [canLoop ? 2 : 0, () => this.loopBreak(ctx)],
      [canLoop && ctx.mult === 1 && ctx.depth <= 3 ? 4 : 0, () => this.forIn(ctx)],
      [ctx.loopDepth ? 6 : 0, () => {
        this.emit(`if ${this.cond(ctx, 2)} { ${r.chance(0.5) ? "break" : "continue"} }`);
      }],
      [
        ctx.inFn ? 4 : 0,
        () => this.emit(`if ${this.cond(ctx, 2)} { return ${this.expr(ctx, 2)} }`),
      ],
      [this.hot(ctx, 7, 0.1), () => this.tryExcept(ctx)],
      [this.hot(ctx, ctx.risky ? 3 : 0.3), () => {
        const v = ctx.nums.length ? r.pick(ctx.nums) : "0";
        this.emit(`if ${this.cond(ctx, 1)} { throw("boom ${"${"}${v}}") }`);
      }],
      [ctx.callable.length ? 5 : 0, () => {
        const fs = ctx.callable.filter((f) => f.cost * ctx.mult <= this.budget / 3);
        if (fs.length) this.emit(this.call(ctx, r.pick(fs), 2));
        else this.print(ctx);
      }],
      [canLoop ? 6 : 0, () => this.template(ctx)],
    ]);
    action();
  }

  private print(ctx: Ctx): void {
    const r = this.rng;
    const n = r.range(1, 3);
    const items = Array.from({ length: n }, () => this.expr(ctx, 2));
    if (ctx.mult === 1 && ctx.arrs.length && r.chance(0.3)) items.push(r.pick(ctx.arrs));
    if (r.chance(this.kernel ? 0 : 0.2)) this.emit(`print("v=${"${"}${items[0]}}")`);
    else this.emit(`print(${items.join(", ")})`);
  }

  private ifChain(ctx: Ctx): void {
    const r = this.rng;
    this.emit(`if ${this.cond(ctx, 2)} {`);
    this.block(child(ctx), 3);
    const elifs = r.weighted([[50, 0], [30, 1], [20, 2]] as const);
    for (let i = 0; i < elifs; i++) {
      this.emit(`} else if ${this.cond(ctx, 2)} {`);
      this.block(child(ctx), 2);
    }
    if (r.chance(0.5)) {
      this.emit("} else {");
      this.block(child(ctx), 2);
    }
    this.emit("}");
  }

  private forLoop(ctx: Ctx): void {
    const k = this.tripCount(ctx);
    if (!k) return this.print(ctx);
    const i = this.fresh("i");
    const bound = this.rng.chance(0.1) ? `${k}.5` : String(k);
    this.emit(`for ${i} in ${bound} {`);
    const body = child(ctx, { mult: ctx.mult * k, loopDepth: ctx.loopDepth + 1 });
    body.nums.push(i);
    body.loopVars.push(i);
    body.fixed.add(i);
    this.block(body, 4);
    this.emit("}");
  }

  private whileLoop(ctx: Ctx): void {
    const k = this.tripCount(ctx);
    if (!k) return this.print(ctx);
    const w = this.fresh("w");
    this.emit(`${w} := 0`);
    const extra = this.rng.chance(0.3) ? ` && (${this.cond(ctx, 1)})` : "";
    this.emit(`while ${w} < ${k}${extra} {`);
    this.indent++;
    this.emit(`${w} += 1${KEEP}`);
    this.indent--;
    const body = child(ctx, { mult: ctx.mult * k, loopDepth: ctx.loopDepth + 1 });
    body.nums.push(w);
    body.loopVars.push(w);
    body.fixed.add(w);
    this.block(body, 4);
    this.emit("}");
    ctx.nums.push(w);
  }

  private loopBreak(ctx: Ctx): void {
    const k = this.tripCount(ctx);
    if (!k) return this.print(ctx);
    const w = this.fresh("w");
    this.emit(`${w} := 0`);
    this.emit("loop {");
    this.indent++;
    this.emit(`${w} += 1${KEEP}`);
    this.emit(`if ${w} > ${k} { break }${KEEP}`);
    this.indent--;
    const body = child(ctx, { mult: ctx.mult * k, loopDepth: ctx.loopDepth + 1 });
    body.nums.push(w);
    body.loopVars.push(w);
    body.fixed.add(w);
    this.block(body, 4);
    this.emit("}");
    ctx.nums.push(w);
  }

  /**
   * `for x in ARRAY`: over a literal, or (outside functions, where the generator cannot bound
   * how often it runs) over an array variable, which the body may modify — the loop walks a
   * snapshot. No loops nest inside, since an array variable's length is only bounded by the
   * whole program's pushes.
   */
  private forIn(ctx: Ctx): void {
    const r = this.rng;
    const x = this.fresh("x");
    let src: string;
    let trips: number;
    if (!ctx.inFn && ctx.arrs.length && r.chance(0.7)) {
      src = r.pick(ctx.arrs);
      trips = 30;
    } else {
      trips = r.range(1, 6);
      src = `[${Array.from({ length: trips }, () => this.literal()).join(", ")}]`;
    }
    this.emit(`for ${x} in ${src} {`);
    const body = child(ctx, { mult: ctx.mult * trips, loopDepth: ctx.loopDepth + 1, depth: 5 });
    body.nums.push(x);
    this.block(body, 3);
    this.emit("}");
  }

  private tryExcept(ctx: Ctx): void {
    const r = this.rng;
    const e = this.fresh("e");
    this.emit("try {");
    this.block(child(ctx, { risky: true }), 4);
    const what = r.weighted(
      [
        [60, `${e}.message`],
        [20, `${e}.message, ${e}.line`],
        [10, `${e}.message, ${e}.stack`],
        [10, e],
      ] as const,
    );
    this.emit(`} except ${e} {`);
    this.indent++;
    this.emit(`print("caught", ${what})`);
    this.indent--;
    this.emit("}");
  }

  /** Shapes that force type changes (bailouts), boundary crossings and errors in hot loops. */
  private template(ctx: Ctx): void {
    const r = this.rng;
    const k = this.tripCount(ctx);
    if (k < 4) return this.print(ctx);
    const i = this.fresh("i");
    const v = this.fresh(ctx.prefix);
    const flip = r.range(1, k - 1);
    const wrap = r.chance(ctx.risky ? 0.3 : 0.8);
    if (wrap) {
      this.emit("try {");
      this.indent++;
    }
    r.weighted<() => void>([
      [20, () => {
        // A local that is an Int for `flip` iterations, then a Float.
        this.emit(`${v} := ${r.pick(["0", "1", "7", "(-3)"])}`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(`if ${i} == ${flip} { ${v} := ${v} + ${r.pick(["0.5", "0.25", "1.0", "gnz"])} }`);
        this.emit(`${v} := ${v} ${r.pick(["+", "-", "*"])} ${r.pick([i, `(${i} % 3)`, "1", "2"])}`);
        if (r.chance(0.3)) this.emit(`print(${v})`);
        this.indent--;
        this.emit("}");
        this.emit(`print("flip", ${v})`);
      }],
      [15, () => {
        // A function called with Ints many times, then with a Float (or a Bool).
        const fs = ctx.callable.filter((f) => f.kind === "plain" && f.cost * k * ctx.mult < 400);
        if (!fs.length) return this.emit(`print(${this.expr(ctx, 2)})`);
        const f = r.pick(fs);
        this.emit(`${v} := 0`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        const args = f.params.map((p) =>
          p === "arr" ? (ctx.arrs.length ? r.pick(ctx.arrs) : `[${i}, 1]`) : r.pick([i, `${i} - 3`])
        );
        const odd = f.params.map((p) =>
          p === "arr" ? `[1.5, ${i}]` : r.pick([`${i} + 0.5`, "gnz", "gnan", `${i} * 1.0`, "true"])
        );
        this.emit(
          `if ${i} < ${flip} { ${v} := ${f.name}(${args.join(", ")}) } else { ${v} := ${f.name}(${
            odd.join(", ")
          }) }`,
        );
        if (r.chance(0.5)) this.emit(`print(${v})`);
        this.indent--;
        this.emit("}");
        this.emit(`print("call-flip", ${v})`);
        this.budget -= f.cost * k * ctx.mult;
      }],
      [15, () => {
        // Repeated multiplication or addition until past 2^53 or into Int overflow.
        const [start, op, step] = r.pick(
          [
            ["1", "*", "3"],
            ["1", "*", "(-2)"],
            ["9007199254740000", "+", "97"],
            ["(-9007199254740000)", "-", "89"],
            ["4611686018427387000", "+", "4611686018427387"],
            ["3", "*", "7"],
            ["1.0", "*", "1000000.0"],
          ] as const,
        );
        this.emit(`${v} := ${start}`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(`${v} := ${v} ${op} ${step}`);
        if (r.chance(0.4)) this.emit(`print(${i}, ${v})`);
        this.indent--;
        this.emit("}");
        this.emit(`print("grow", ${v})`);
      }],
      [12, () => {
        // A strided loop, `j += s` under `j < n` (compiled unchecked behind a guard on s and n):
        // steps and bounds at the ends of the Int range, negative and zero steps.
        const j = this.fresh("j"), s = this.fresh("s"), n = this.fresh("n"), c = this.fresh("c");
        const [start, step, bound] = [
          r.pick([
            "0",
            String(r.range(0, 9)),
            "(9223372036854775807 - 10)",
            "(-9223372036854775807)",
          ]),
          r.pick(["3", "1000", "4611686018427387904", "(-2)", "0", "9223372036854775807"]),
          r.pick(["100", `${k} * 10`, "9223372036854775807", "(9223372036854775807 - 5)", "(-5)"]),
        ];
        this.emit(`${s} := ${step}`);
        this.emit(`${n} := ${bound}`);
        this.emit(`${v} := 0`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(`${j} := ${start}`);
        this.emit(`${c} := 0`);
        this.emit(`${s} := ${s} + ${i} % 2`);
        this.emit(`while ${j} < ${n} {`);
        this.indent++;
        this.emit(`${v} += ${j} % 7`);
        this.emit(`${c} += 1${KEEP}`);
        this.emit(`if ${c} > 60 { break }${KEEP}`);
        this.emit(`${j} += ${s}`);
        this.indent--;
        this.emit("}");
        this.indent--;
        this.emit("}");
        this.emit(`print("stride", ${v}, ${s})`);
        this.budget -= 60 * k * ctx.mult;
      }],
      [12, () => {
        // A sum of an array's elements (compiled unchecked behind a guard on the sum when they
        // are 32-bit Ints): elements at the ends of 32 bits or beyond, sums near 2^62 and 2^63.
        const a = this.fresh("arr"), x = this.fresh("x"), j = this.fresh("j");
        const elem = r.pick([
          "2147483647",
          "(-2147483648)",
          `${i} * 1000003`,
          `${i} - 5`,
          "4611686018427387904",
        ]);
        const start = r.pick([
          "0",
          "4611686018427387903",
          "4611686018427387904",
          "(-4611686018427387904)",
          "9223372036854775000",
          "(-9223372036854775000)",
        ]);
        this.emit(`${a} := []`);
        this.emit(`for ${i} in ${k} { ${a}.push(${elem}) }`);
        this.emit(`${v} := ${start}`);
        if (r.chance(0.5)) this.emit(`for ${x} in ${a} { ${v} += ${x} }`);
        else {
          const n = this.fresh("n");
          this.emit(`${j} := 0`);
          this.emit(`${n} := len(${a})`);
          this.emit(`while ${j} < ${n} {`);
          this.indent++;
          this.emit(`${v} += ${a}[${j}]`);
          this.emit(`${j} += 1${KEEP}`);
          this.indent--;
          this.emit("}");
        }
        this.emit(`print("sum", ${v})`);
        this.budget -= 3 * k * ctx.mult;
      }],
      [15, () => {
        // Division and remainder whose divisor passes through zero and negatives.
        const c = r.range(0, k - 1);
        const den = r.pick([`(${c} - ${i})`, `(${i} - ${c})`, `(${i} % ${r.range(2, 5)} - 1)`]);
        const num = r.pick([
          `(${i} - ${r.range(0, 9)})`,
          `${i} * 7`,
          "(-17)",
          "9223372036854775807",
        ]);
        const asFloat = r.chance(0.3) ? " * 1.0" : "";
        this.emit(`${v} := 0`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        if (r.chance(0.5)) {
          const e = this.fresh("e");
          this.emit(
            `try { ${v} := ${v} + ${num}${asFloat} / ${den} + ${num} % ${den} } except ${e} { print(${i}, ${e}.message) }`,
          );
        } else this.emit(`${v} := ${v} + ${num}${asFloat} / ${den} - ${num} % ${den}`);
        this.indent--;
        this.emit("}");
        this.emit(`print("divmod", ${v})`);
      }],
      [15, () => {
        // An array whose elements turn from Int to Float, then summed with a while loop.
        const a = this.fresh("arr");
        const s = this.fresh(ctx.prefix);
        const j = this.fresh("w");
        this.emit(`${a} := []`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(`if ${i} < ${flip} { ${a}.push(${i} * 3) } else { ${a}.push(${i} / 2.0) }`);
        this.indent--;
        this.emit("}");
        this.emit(`${s} := 0`);
        this.emit(`${j} := 0`);
        this.emit(`while ${j} < len(${a}) {`);
        this.indent++;
        this.emit(`${s} += ${a}[${j}] ${r.pick(["*", "-", "+"])} ${j}`);
        if (r.chance(0.3)) this.emit(`${a}[${j}] := ${s}`);
        this.emit(`${j} += 1${KEEP}`);
        this.indent--;
        this.emit("}");
        this.emit(`print("arr", ${s}, len(${a}), ${a}[${r.range(0, k - 1)}])`);
      }],
      [10, () => {
        // Small Ints (32-bit elements in a store), then one needing 64 bits: the store widens.
        const a = this.fresh("arr");
        const x = this.fresh("w");
        this.emit(`${a} := []`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(`${a}.push(${i} * 7 - 3)`);
        this.emit(`if ${i} == ${flip} { ${a}.push(${i} * 3000000000) }`);
        this.emit(`if ${i} % 3 == 0 { ${a}[${i} % len(${a})] := ${a}[-1] + ${i} }`);
        this.indent--;
        this.emit("}");
        this.emit(`${v} := 0`);
        this.emit(`for ${x} in ${a} { ${v} += ${x} % 1000 }`);
        this.emit(`print("wide", ${v}, len(${a}), ${a}[0], ${a}[-1])`);
      }],
      [10, () => {
        // Bools in a store: pushes, index writes, iteration, truthiness of the array, pop.
        const b = this.fresh("arr");
        const f = this.fresh("w");
        this.emit(`${b} := []`);
        this.emit(`for ${i} in ${k} { ${b}.push(${i} % 3 == 0) }`);
        this.emit(`for ${i} in ${k} { if ${i} % 5 == 0 { ${b}[${i}] := !${b}[${i}] } }`);
        this.emit(`${v} := 0`);
        this.emit(`for ${f} in ${b} { if ${f} { ${v} += 1 } }`);
        this.emit(`if ${b} { ${v} += 100 }`);
        this.emit(`print("bools", ${v}, len(${b}), ${b}.pop(), len(${b}))`);
      }],
      [8, () => {
        // Iteration walks a snapshot while the loop pushes to and writes the same array.
        const a = this.fresh("arr");
        const x = this.fresh("w");
        this.emit(`${a} := [1.5, 2.5]`);
        this.emit(`for ${i} in ${k} { ${a}.push(${i} * 0.5) }`);
        this.emit(`${v} := 0`);
        this.emit(`for ${x} in ${a} {`);
        this.indent++;
        this.emit(`if ${v} < ${k} { ${a}.push(${x} + 1.0) }`);
        this.emit(`${a}[0] := ${a}[0] * 2.0`);
        this.emit(`${v} += 1`);
        this.indent--;
        this.emit("}");
        this.emit(`print("snap", ${v}, len(${a}), ${a}[0], ${a}[-1])`);
      }],
      [10, () => {
        // Float accumulation and Int/Float comparisons in the loop condition.
        const step = r.pick(["0.1", "0.25", "1.5", "(-0.3)"]);
        const lim = r.pick(["1.0", "2.5", "10", "(-2)"]);
        this.emit(`${v} := 0.0`);
        this.emit(`${i} := 0`);
        this.emit(`while ${v} < ${lim} && ${i} < ${k} {`);
        this.indent++;
        this.emit(`${v} += ${step}`);
        this.emit(`${i} += 1${KEEP}`);
        this.indent--;
        this.emit("}");
        this.emit(`print("acc", ${v}, ${i}, ${v} == ${lim}, ${v} >= ${i})`);
      }],
      [ctx.arrs.length ? 8 : 0, () => {
        // A copy of an array written in a loop while the original is read (copy on write).
        const a = r.pick(ctx.arrs);
        const c = this.fresh("arr");
        this.emit(`${c} := ${a}`);
        this.emit(`${v} := 0`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(
          `${c}[${i} % len(${c})] := ${c}[${i} % len(${c})] ${r.pick(["+", "-", "*"])} ${i}`,
        );
        this.emit(`${v} := ${v} + ${a}[${i} % len(${a})]`);
        if (r.chance(0.3)) this.emit(`${c}.push(${i})`);
        this.indent--;
        this.emit("}");
        this.emit(`print("cow", ${v}, len(${a}), len(${c}), ${a}[0], ${c}[0], ${c}[-1])`);
      }],
      [10, () => {
        // Nested loops with break and continue in the inner one.
        const j = this.fresh("i");
        const k2 = Math.max(2, Math.min(12, Math.floor(this.budget / (ctx.mult * k * 8))));
        this.emit(`${v} := 0`);
        this.emit(`for ${i} in ${k} {`);
        this.indent++;
        this.emit(`for ${j} in ${k2} {`);
        this.indent++;
        this.emit(`if ${j} > ${i} { break }`);
        this.emit(`if (${i} + ${j}) % ${r.range(2, 4)} == 0 { continue }`);
        this.emit(`${v} := ${v} ${r.pick(["+", "-"])} ${i} * ${j}`);
        this.indent--;
        this.emit("}");
        this.emit(
          `if ${v} ${r.pick(["<", ">"])} ${r.range(-50, 50)} { ${r.pick(["break", "continue"])} }`,
        );
        this.indent--;
        this.emit("}");
        this.emit(`print("nest", ${v})`);
        this.budget -= ctx.mult * k * k2 * 4;
      }],
    ])();
    if (wrap) {
      this.indent--;
      const e = this.fresh("e");
      this.emit(`} except ${e} {`);
      this.emit(`    print("caught", ${e}.message)`);
      this.emit("}");
    }
    this.budget -= ctx.mult * k * 8;
  }

  // ── functions and the whole program ──

  private plainFn(globals: Ctx): FnInfo {
    const r = this.rng;
    const name = this.fresh("f");
    const n = r.range(1, 3);
    const params: ParamKind[] = Array.from({ length: n }, () => (r.chance(0.2) ? "arr" : "num"));
    const names = params.map((_, k) => `p${k}`);
    const info: FnInfo = { name, kind: "plain", params, cost: 0 };
    const ctx = child(globals, {
      prefix: "l",
      inFn: info,
      mult: 1,
      loopDepth: 0,
      loopVars: [],
      callable: [...this.fns],
      depth: 1,
    });
    names.forEach((p, k) => (params[k] === "arr" ? ctx.arrs : ctx.nums).push(p));
    const saved = this.budget;
    this.budget = r.range(40, 250);
    const start = this.budget;
    this.emit(`func ${name}(${names.join(", ")}) {`);
    this.block(ctx, 5);
    this.indent++;
    this.emit(`return ${this.expr(ctx, 3)}`);
    this.indent--;
    this.emit("}");
    info.cost = Math.max(1, start - this.budget);
    this.budget = saved;
    return info;
  }

  private recFn(globals: Ctx): FnInfo {
    const r = this.rng;
    const name = this.fresh("rec");
    const info: FnInfo = { name, kind: "rec", params: ["num", "num"], cost: 0 };
    const ctx = child(globals, {
      prefix: "l",
      inFn: info,
      mult: 1,
      loopDepth: 0,
      loopVars: [],
      callable: this.fns.filter((f) => f.kind === "plain"),
      depth: 2,
    });
    ctx.nums.push("p0", "p1");
    ctx.fixed.add("p0");
    const saved = this.budget;
    this.budget = r.range(20, 80);
    const start = this.budget;
    this.emit(`func ${name}(p0, p1) {`);
    this.indent++;
    this.emit(`if p0 <= 0 { return p1 }${KEEP}`);
    this.indent--;
    if (r.chance(0.6)) this.block(ctx, 2);
    this.indent++;
    const next = this.expr(ctx, 2);
    this.emit(
      r.chance(0.5)
        ? `return ${name}(p0 - 1, ${next})`
        : `return ${this.expr(ctx, 1)} ${r.pick(["+", "-", "*"])} ${name}(p0 - 1, ${next})`,
    );
    this.indent--;
    this.emit("}");
    info.cost = 17 * Math.max(1, start - this.budget);
    this.budget = saved;
    return info;
  }

  private fibFn(): FnInfo {
    const r = this.rng;
    const name = this.fresh("fib");
    this.emit(`func ${name}(p0) {`);
    this.emit(`    if p0 < ${r.pick(["2", "2.0", "1.5"])} { return p0 }${KEEP}`);
    this.emit(`    return ${name}(p0 - 1) ${r.pick(["+", "-"])} ${name}(p0 - 2)`);
    this.emit("}");
    return { name, kind: "fib", params: ["num"], cost: 1200 };
  }

  program(seed: number, index: number, budget: number): string {
    const r = this.rng;
    this.emit(`# diff_fuzz seed ${seed} program ${index}`);
    const top: Ctx = {
      nums: [],
      arrs: [],
      fixed: new Set(),
      loopVars: [],
      loopDepth: 0,
      inFn: null,
      mult: 1,
      prefix: "t",
      callable: [],
      depth: 0,
      risky: false,
    };
    for (const [name, init] of SPECIALS) {
      this.emit(`${name} := ${init}`);
      top.fixed.add(name);
    }
    for (let k = r.range(1, 4); k > 0; k--) {
      const g = this.fresh("g");
      this.emit(`${g} := ${this.literal()}`);
      top.nums.push(g);
    }
    for (let k = r.range(0, 2); k > 0; k--) {
      const g = this.fresh("ga");
      const items = Array.from({ length: r.range(1, 5) }, () => this.literal());
      this.emit(`${g} := [${items.join(", ")}]`);
      top.arrs.push(g);
    }
    // Functions see the globals above (and the specials), never the top-level code's variables.
    // Plain functions call the functions declared before them; in random order with the
    // recursive ones, so that some plain functions call recursive ones too.
    const kinds: ("plain" | "rec" | "fib")[] = [];
    for (let k = r.range(0, 4); k > 0; k--) kinds.push("plain");
    if (r.chance(0.45)) kinds.splice(r.range(0, kinds.length), 0, "rec");
    if (r.chance(0.25)) kinds.splice(r.range(0, kinds.length), 0, "fib");
    for (const kind of kinds) {
      this.fns.push(
        kind === "plain" ? this.plainFn(top) : kind === "rec" ? this.recFn(top) : this.fibFn(),
      );
    }
    top.callable = [...this.fns];

    const useMain = r.chance(0.5);
    this.budget = useMain ? budget / 2 : budget;
    if (useMain) {
      this.emit("func main() {");
      this.block(child(top, { prefix: "m", depth: 0 }), 8);
      this.emit("}");
      this.budget += budget / 2;
    }
    for (let k = r.range(2, 6); k > 0 && this.budget > 0; k--) {
      if (r.chance(0.4)) this.tryExcept(top);
      else this.stmt(top);
    }
    if (useMain) this.emit("main()");
    const shown = [...top.nums.filter((v) => v.startsWith("g")), ...top.arrs.slice(0, 2)];
    this.emit(`print("end", ${shown.length ? shown.join(", ") : "0"})`);
    return this.out.join("\n") + "\n";
  }
}

/** Program `index` of the run with seed `seed`. */
export function generateProgram(seed: number, index: number, budget = 4000): string {
  return new Generator(new Rng(programSeed(seed, index))).program(seed, index, budget);
}

// ───────────────────────────── the fixed corpus ─────────────────────────────

const HUGE = "1" + "0".repeat(200) + ".0";

/** Hand-written edge cases: [name, program]. */
export const CORPUS: readonly (readonly [string, string])[] = [
  [
    "Int overflow at ±2^63 (each operator, caught)",
    `cases := []
func try_it(label, f) {
    try { print(label, f()) } except e { print(label, "->", e.message) }
}
try_it("max+1", func() { return 9223372036854775807 + 1 })
try_it("min-1", func() { return -9223372036854775807 - 2 })
try_it("2^62*2", func() { return 4611686018427387904 * 2 })
try_it("-2^62*2", func() { return -4611686018427387904 * 2 })
try_it("min/-1", func() { return (-9223372036854775807 - 1) / -1 })
try_it("min%-1", func() { return (-9223372036854775807 - 1) % -1 })
try_it("-min", func() { m := -9223372036854775807 - 1; return -m })
try_it("sq ok", func() { return 3037000499 * 3037000499 })
try_it("sq over", func() { return 3037000500 * 3037000500 })
try_it("max-max", func() { return 9223372036854775807 - 9223372036854775807 })
try_it("min+max", func() { return (-9223372036854775807 - 1) + 9223372036854775807 })
`,
  ],
  [
    "Int overflow inside a hot loop (uncaught, with call stack)",
    `func step(x, k) { return x * k }
func grow() {
    x := 1
    for i in 100 {
        x := step(x, 3)
        if i % 10 == 0 { print(i, x) }
    }
    return x
}
print(grow())
`,
  ],
  [
    "Exact Ints around 2^53",
    `x := 9007199254740985
for i in 20 {
    x += 1
    print(x, x % 10, x / 3, x * 2, x - 9007199254740992)
}
y := -9007199254740985
for i in 20 { y -= 1 }
print(y, y / 7, y % 7)
print(94906265 * 94906265, 94906267 * 94906267, 2147483647 * 4294967297)
print(9007199254740993 / 2, 9007199254740993 % 2, -9007199254740993 / 2)
`,
  ],
  [
    "Counting into Int overflow in hot loops",
    `x := 9223372036854775000
n := 0
try {
    for i in 1000 { x += 1; n += 1 }
} except e { print(n, x, e.message) }
y := -9223372036854775000
try { while true { y -= 1 } } except e { print(y, e.message) }
z := 1
k := 0
try { loop { z := z * -2; k += 1 } } except e { print(k, z, e.message) }
`,
  ],
  [
    "Float overflow to infinity and back to NaN in a loop",
    `f := 1.0
for i in 400 {
    f := f * 10
    if i % 50 == 0 || i > 305 && i < 310 { print(i, f) }
}
print(f, f - f, f * 0, -f, f > 9223372036854775807, f == f + 1)
g := 1
for i in 70 { g := g * 2.0 }
print(g, g == 1180591620717411303424.0, g > 9223372036854775807)
`,
  ],
  [
    "Division and remainder: truncation, signs, zero divisors",
    `vals := [7, -7, 7.5, -7.5, 0, 9223372036854775807]
divs := [2, -2, 3, -3, 2.0, -0.5, 1, -1]
for a in vals {
    for b in divs {
        print(a, b, a / b, a % b)
    }
}
for a in vals {
    try { print(a / 0) } except e { print("div", a, e.message) }
    try { print(a % 0) } except e { print("mod", a, e.message) }
    try { print(a / 0.0) } except e { print("fdiv", a, e.message) }
    try { print(a % (0.0 * -1.0)) } except e { print("fmod -0", a, e.message) }
}
`,
  ],
  [
    "NaN, infinities and -0.0",
    `huge := ${HUGE}
inf := huge * huge
nan := inf - inf
nz := 0.0 * -1.0
print(inf, -inf, nan, nz, -nz, nz + 0.0, nz - 0.0, nz * nz, -(0.0), -0, 0 * -1, -0.0 * 0)
print(nan == nan, nan != nan, nan < 1, nan > 1, nan <= nan, nan >= 0, 1 == nan)
print(nz == 0, nz == 0.0, nz < 0, inf > 9223372036854775807, -inf < -9223372036854775807)
print(!nan, !nz, !0.0, !0, !inf, nan && true, nz || false)
if nan { print("nan is truthy") }
if nz { print("no") } else { print("-0.0 is falsy") }
print(inf - inf, inf * 0.0, inf + -inf, inf / 2.0, 2.0 / inf, -2.0 / inf)
try { print(1.0 / nz) } except e { print(e.message) }
try { print(1 % nz) } except e { print(e.message) }
try { print(nan / 0) } except e { print(e.message) }
print(nan % 2.0, inf % 2.0, 5.0 % inf, -5.0 % inf)
acc := 0.0
for i in 30 { acc := acc + nz; acc := acc * -1.0 }
print(acc, -acc)
`,
  ],
  [
    "Int/Float mixing and equality with epsilon",
    `print(1 + 0.5, 3 * 1.5, 7 / 2.0, 2 * 3.0, 1 - 1.0, 10 % 3.0, -7 / 2.0)
print(0.1 + 0.2 == 0.3, 0.1 + 0.2, 1 == 1.0, 1 != 1.0, 2 == 2.0000000000000004)
print(9007199254740993 == 9007199254740992.0, 9007199254740993 > 9007199254740992.0)
print(9007199254740993 > 9007199254740992, 9223372036854775807 == 9223372036854775808.0)
print(9223372036854775807 < 9223372036854775808.0, 9223372036854775807 * 1.0)
print(1.0 * 9007199254740993, 9007199254740993 + 0.0, (-9223372036854775807 - 1) * 1.0)
print(0.0000000000000001 == 0.0, 0.0000000000000003 == 0.0, 1000000.0 == 1000000.0000000001)
x := 0
for i in 40 { x := x + 0.1 }
print(x, x == 4, x == 4.0, x < 4, x >= 4)
`,
  ],
  [
    "A local that is an Int for 50 iterations, then a Float",
    `func run_it() {
    v := 0
    s := 0
    for i in 80 {
        if i == 50 { v := v + 0.5 }
        v := v + i * 3
        s := s + v % 7
    }
    return [v, s]
}
print(run_it())
print(run_it())
t := 0
for i in 80 {
    if i == 50 { t := t * 1.0 }
    t := t + i
}
print(t)
`,
  ],
  [
    "A function called with Ints many times, then a Float, then a Bool",
    `func h(a, b) { return a * b - a / (b + 1) + a % (b + 2) }
s := 0
for i in 200 { s := s + h(i, i + 1) }
print(s)
s := s + h(2.5, 3)
print(s)
print(h(9007199254740991, 1), h(-7, 2), h(7.0, -3))
for i in 5 { print(h(i, 1.5)) }
print(h(true, 1))
`,
  ],
  [
    "Type changes inside recursion (bailout mid-stack)",
    `func fib(n) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
}
print(fib(20), fib(20.0), fib(10.5), fib(-3), fib(2.5))
func sum_to(n, acc) {
    if n == 0 { return acc }
    if n == 25 { return sum_to(n - 1, acc + 0.5) }
    return sum_to(n - 1, acc + n)
}
print(sum_to(60, 0), sum_to(10, 0), sum_to(30, 9223372036854775000))
`,
  ],
  [
    "Mutual recursion and functions calling functions",
    `func is_even(n) { if n == 0 { return true } return is_odd(n - 1) }
func is_odd(n) { if n == 0 { return false } return is_even(n - 1) }
func sq(x) { return x * x }
func sum_sq(a, b) { return sq(a) + sq(b) }
func norm(a, b) { return sum_sq(a, b) / (a + b + 1) }
total := 0
for i in 300 {
    if is_even(i % 17) { total += norm(i, i % 5) } else { total -= sq(i % 9) }
}
print(total, is_even(101), is_odd(101))
`,
  ],
  [
    "Globals read and written inside hot functions",
    `count := 0
scale := 3
func bump(x) {
    count := count + 1
    return x * scale
}
acc := 0
for i in 500 {
    acc += bump(i)
    if i == 300 { scale := 2.5 }
}
print(count, scale, acc)
limit := 10
func below(x) { return x < limit }
n := 0
for i in 50 { if below(i) { n += 1 } }
print(n)
`,
  ],
  [
    "Arrays: reads, writes, negative and out-of-range indexes, push, len, copies",
    `xs := [1, 2.5, -3, 9007199254740993]
for i in len(xs) { xs[i] := xs[i] * 2 }
print(xs, len(xs), xs[-1], xs[-4])
try { print(xs[4]) } except e { print(e.message) }
try { print(xs[-5]) } except e { print(e.message) }
try { xs[4] := 1 } except e { print(e.message) }
try { print(xs[1.0]) } except e { print(e.message) }
ys := xs
ys[0] := 100
print(xs[0], ys[0])
func mutate(a) { a[0] := -1; a.push(7); return len(a) }
print(mutate(xs), xs)
zs := []
for i in 100 { zs.push(i * i) }
s := 0
j := 0
while j < len(zs) { s += zs[j]; j += 1 }
print(s, len(zs), zs[99])
for i in 100 { zs[i] += 0.5 }
print(zs[0], zs[99])
for i in 200 { zs[i % 100] := zs[i % 100] - i }
print(zs[0], zs[50])
try {
    for i in 200 { zs[i] := i }
} except e { print("stopped", e.message) }
`,
  ],
  [
    "Nested loops with break and continue",
    `total := 0
for i in 30 {
    if i % 7 == 3 { continue }
    for j in 30 {
        if j > i { break }
        if (i + j) % 4 == 0 { continue }
        total += i * j
    }
    if total > 20000 { break }
}
print(total)
k := 0
n := 0
while k < 100 {
    k += 1
    m := 0
    loop {
        m += 1
        if m > k % 9 { break }
        if m % 2 == 0 { continue }
        n += m
    }
}
print(k, n)
`,
  ],
  [
    "if / else if chains with mixed conditions",
    `func classify(x) {
    if x < -10 { return "very negative" }
    else if x < 0 { return "negative" }
    else if x == 0 { return "zero" }
    else if x < 1 { return "fraction" }
    else if x >= 1000000 && x != 9223372036854775807 { return "big" }
    else if x == 9223372036854775807 || x == -1 { return "max" }
    else { return "normal" }
}
for v in [-20, -5, 0, 0.0, 0.0 * -1.0, 0.5, 5, 2000000, 9223372036854775807, 3.5] {
    print(v, classify(v))
}
c := 0
for i in 100 { if i % 3 == 0 && i % 5 == 0 { c += 15 } else if i % 3 == 0 { c += 3 } else if !(i % 5 != 0) { c += 5 } else { c += 1 } }
print(c)
`,
  ],
  [
    "Boolean logic: short circuit, Bool results, truthiness of numbers",
    `calls := 0
func side(v) { calls := calls + 1; return v }
print(false && side(true), true || side(false), calls)
print(1 && 2, 0 || 0.0, 0.5 && -1, !0, !1, !!3, !-0.0)
n := 0
for i in 60 {
    if (i % 2 == 0 && side(i) > 10) || (i % 3 == 0 && !side(false)) { n += 1 }
}
print(n, calls)
try { print(true < 1) } except e { print(e.message) }
try { print(true + 1) } except e { print(e.message) }
try { print(-true) } except e { print(e.message) }
`,
  ],
  [
    "Errors inside hot code: caught in the loop, caught outside, uncaught",
    `func risky(i) {
    if i % 10 == 9 { return i / 0 }
    return i
}
ok := 0
bad := 0
for i in 100 {
    try {
        v := risky(i)
        ok += v
    } except e { bad += 1 }
}
print(ok, bad)
try {
    for i in 100 {
        v := risky(i)
        ok += v
    }
} except e { print("left loop:", e.message, e.line, e.stack, ok) }
func deep(n) { if n == 0 { return [1][5] } return deep(n - 1) + 1 }
print(deep(3))
`,
  ],
  [
    "The error-binding rule with a failing right-hand side in a loop",
    `x := 5
for i in 20 {
    try { x := 100 / (10 - i) } except e { print(i, e.message) }
}
print(type(x), x)
y := 1
try { y := y * 9223372036854775807 * 2 } except e { }
print(type(y), y)
`,
  ],
  [
    "Unbounded recursion is a catchable error",
    `func down(n) { return down(n + 1) + 1 }
try { down(0) } except e { print(e.message) }
print("after")
`,
  ],
  [
    "throw from hot code with interpolated values",
    `func check(v) {
    if v > 45 { throw("too big: ${"${"}v} (${"${"}v * 1.5})") }
    return v
}
s := 0
try {
    for i in 100 { s += check(i) }
} except e { print(e.message, e.stack) }
print(s)
`,
  ],
  [
    "Loops over Float counts and Float loop conditions",
    `for i in 3.7 { print(i) }
x := 0.0
n := 0
while x < 1.0 { x += 0.1; n += 1 }
print(x, n)
y := 10
while y > 0.5 { y := y / 2 }
print(y)
z := 10.0
while z > 0.5 { z := z / 2 }
print(z)
`,
  ],
  [
    "exit() from inside a hot loop",
    `s := 0
for i in 1000 {
    s += i
    if i == 700 { print(s); exit(3) }
}
print("not reached")
`,
  ],
  [
    "Uncaught error in a deep call chain from a loop",
    `func a(x) { return b(x) * 2 }
func b(x) { return c(x) + 1 }
func c(x) { return 10 % (5 - x) }
t := 0
for i in 10 { t += a(i) }
print(t)
`,
  ],
  [
    "Top-level hot loop on globals with many operators",
    `a := 1
b := 2.5
c := -3
for i in 2000 {
    a := (a * 31 + i) % 1000003
    b := b * 0.999 + i % 7
    c := c - a / 7 + i % 3
}
print(a, b, c)
`,
  ],
  [
    "Unary minus chains and negative zero through Ints and Floats",
    `x := 5
print(-x, - -x, -(-x), -(x - 5), -(x * 0), -(0.0), - -0.0, -(-(0.0 * -1.0)))
s := 0
for i in 50 { s := -s + i }
print(s)
f := 0.0
for i in 50 { f := -f - 0.0 }
print(f, 1.0 / 3 * -0.0 == 0)
`,
  ],
  [
    "Compound assignment on array elements and globals across types",
    `xs := [0, 0, 0]
for i in 90 {
    xs[i % 3] += i
    xs[(i + 1) % 3] *= 1
    if i == 60 { xs[2] /= 4 }
    xs[i % 3] %= 1000
}
print(xs)
g := 10
func f() { g -= 1; g *= 2; g /= 3; g %= 100; return g }
for i in 40 { f() }
print(g)
`,
  ],
  [
    "Closures over loop variables inside hot code",
    `fs := []
for i in 20 { fs.push(func(x) { return x * i }) }
s := 0
for k in 200 { s += fs[k % 20](k) }
print(s)
func make(n) {
    count := n
    return func() { count := count + 1; return count }
}
c := make(9007199254740990)
for i in 5 { print(c()) }
`,
  ],
];

// ───────────────────────────── the tests ─────────────────────────────

interface Coverage {
  sampled: number;
  withCode: number;
  functions: number;
  loops: number;
  /** Pauses within compiled loops at threshold 10 with a pause budget of 1. */
  pauses: number;
}

/**
 * Runs a program once more with JIT statistics and counts what was compiled (for the log only:
 * it shows whether the generated programs reach the JIT at all). Silent when the statistics
 * text has another shape.
 */
async function sampleCoverage(source: string, cov: Coverage): Promise<void> {
  try {
    const r = await run(source, { jit: { enabled: true, threshold: 1, stats: true } });
    const m = /compiled: (\d+) function\(s\), (\d+) loop/.exec(r.errorText);
    if (!m) return;
    cov.sampled++;
    cov.functions += Number(m[1]);
    cov.loops += Number(m[2]);
    if (Number(m[1]) + Number(m[2]) > 0) cov.withCode++;
    const p = await run(source, { jit: { threshold: 10, pauseBudget: 1, stats: true } });
    cov.pauses += Number(/pauses within compiled loops [^:]*: (\d+)/.exec(p.errorText)?.[1] ?? 0);
  } catch {
    // statistics are optional here
  }
}

Deno.test("JIT differential: hand-written edge cases", async (t) => {
  for (const [name, source] of CORPUS) {
    await t.step(name, async () => {
      if (check(source).length) {
        throw new Error(`corpus program does not parse: ${JSON.stringify(check(source))}`);
      }
      const { reference, mismatch } = await compare(source);
      if (reference.exitCode === 70 || reference.exitCode === -1) {
        throw new Error(`reference run failed internally:\n${reference.errorText}`);
      }
      if (mismatch) {
        throw new Error(`${describe(mismatch)}\n--- program ---\n${source}`);
      }
    });
  }
});

Deno.test("JIT differential: random numeric programs", async () => {
  const seedText = envGet("RUFF_FUZZ_SEED");
  const seed = seedText === "random"
    ? Math.floor(Math.random() * 2 ** 31)
    : seedText !== undefined && /^\d+$/.test(seedText)
    ? Number(seedText) >>> 0
    : 20261121;
  const count = Number(envGet("RUFF_FUZZ_COUNT") ?? 4000);
  const only = envGet("RUFF_FUZZ_ONLY");
  const budgetMs = Number(envGet("RUFF_FUZZ_BUDGET_MS") ?? 45_000);
  const indexes = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, i) => i);

  const started = performance.now();
  const stats = { run: 0, exitCodes: new Map<number, number>(), lines: 0 };
  const coverage: Coverage = { sampled: 0, withCode: 0, functions: 0, loops: 0, pauses: 0 };
  const failures: string[] = [];
  for (const index of indexes) {
    if (performance.now() - started > budgetMs) {
      console.log(`time budget of ${budgetMs} ms used up after ${stats.run} programs`);
      break;
    }
    const source = generateProgram(seed, index);
    const issues = check(source);
    if (issues.length) {
      failures.push(
        `generator bug: program ${index} (seed ${seed}) does not parse: ${
          JSON.stringify(issues[0])
        }\n${source}`,
      );
      break;
    }
    const { reference, mismatch } = await compare(source);
    stats.run++;
    if (index % 10 === 0) await sampleCoverage(source, coverage);
    stats.lines += reference.output.split("\n").length - 1;
    stats.exitCodes.set(reference.exitCode, (stats.exitCodes.get(reference.exitCode) ?? 0) + 1);
    if (only !== undefined) {
      console.log(`--- program ${index} (seed ${seed}) ---\n${source}`);
      console.log(`--- stdout ---\n${reference.output}--- stderr ---\n${reference.errorText}`);
      console.log(`--- exit code ${reference.exitCode} ---`);
    }
    if (reference.exitCode === 70 || reference.exitCode === -1) {
      failures.push(
        `reference run failed internally: program ${index} (seed ${seed})\n${reference.errorText}\n${source}`,
      );
    } else if (mismatch) {
      const reduced = await reduce(source, mismatchKind(mismatch));
      const again = (await compare(reduced)).mismatch;
      failures.push(
        [
          `MISMATCH in program ${index}, seed ${seed}`,
          `reproduce: RUFF_FUZZ_SEED=${seed} RUFF_FUZZ_ONLY=${index} deno test -A ${
            new URL(import.meta.url).pathname
          }`,
          describe(mismatch),
          `--- program ---\n${source}`,
          `--- reduced program ---\n${reduced}`,
          again ? describe(again) : "",
        ].join("\n"),
      );
    }
    if (failures.length >= 3) break;
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const codes = [...stats.exitCodes].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}: ${n}`);
  console.log(
    `seed ${seed}: ${stats.run} programs in ${secs} s (exit codes ${codes.join(", ")}; ` +
      `${stats.lines} output lines)`,
  );
  if (coverage.sampled) {
    console.log(
      `JIT coverage (every 10th program, threshold 1, from --jit-stats): ${coverage.withCode} of ` +
        `${coverage.sampled} compiled something; ${coverage.functions} function(s), ` +
        `${coverage.loops} loop(s) in all; ${coverage.pauses} pause(s) of compiled loops at ` +
        `threshold 10 with a pause budget of 1`,
    );
  }
  if (failures.length) throw new Error(failures.join("\n\n"));
});
