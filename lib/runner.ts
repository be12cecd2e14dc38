/**
 * The embedding entry points: check, compile and run Ruff source text. Also drives the VM
 * (suspension on promises, the task queue at the end of the program) and loads modules.
 *
 * @module
 */

import { disassemble, type FuncProto } from "./bytecode.ts";
import { compileProgram, compileTests, GlobalTable } from "./compiler.ts";
import {
  ExitRequest,
  formatDiagnostic,
  RuffError,
  RuffSyntaxError,
  type SyntaxIssue,
} from "./errors.ts";
import { Fiber, Frame, Globals, type Task } from "./handles.ts";
import { parse } from "./parser.ts";
import { constants } from "./runtime/math.ts";
import { concurrency } from "./runtime/concurrency.ts";
import { toNativeFn } from "./runtime/registry.ts";
import { isNativeName, nativesNamed } from "./runtime/loader.ts";
import { MAX_DEPTH, RuffThrow, SUSPENDED, VM, type VMHost, WB_MARK } from "./vm.ts";
import { Closure, display, NativeFn, RArray, RDict, type RError, type Value } from "./values.ts";
import { dirname, join, resolve } from "./paths.ts";
import { ownUrl } from "./own.ts";
import { jitEnvDefaults, type JitOptions } from "./jit/options.ts";

/** Options for {@link run}. */
export interface RunOptions {
  /** File name for diagnostics and module resolution (default `<string>`, resolved from cwd). */
  file?: string;
  /** Strings returned by `args()`. */
  args?: string[];
  /** When given, stdout text is streamed here as it is produced instead of being captured. */
  stdout?: (text: string) => void;
  /** When given, diagnostics (errors of spawned tasks) are streamed here. */
  stderr?: (text: string) => void;
  /**
   * Extra natives callable from Ruff, by name. They receive Ruff values and return one (or a
   * promise of one); a function that returns `undefined` gives `null`.
   */
  natives?: Record<string, (...args: Value[]) => Value | Promise<Value>>;
  /** Use colours in diagnostics. */
  color?: boolean;
  /** WebAssembly JIT settings (defaults: on, threshold from `RUFF_JIT_THRESHOLD` or 50). */
  jit?: JitOptions;
}

/** What a run leaves behind (LANGUAGE.md §18). */
export interface RunResult {
  /** Captured stdout (empty when `stdout` was given). */
  output: string;
  /** The uncaught error of the main program, or null. */
  error: RError | null;
  /** Text written to stderr by the run (uncaught errors of tasks and of the program). */
  errorText: string;
  /** 0 normally, 1 after an uncaught error, n after `exit(n)`. */
  exitCode: number;
  /** Reads a global of the program (not a built-in); undefined when unbound. */
  get(name: string): Value | undefined;
  /** True when the program bound the global `name`. */
  has(name: string): boolean;
  /** All globals of the program, by name. */
  globals(): Map<string, Value>;
  /** Calls a Ruff function (a global's name or a function value) with Ruff values. */
  call(fn: string | Value, ...args: Value[]): Promise<Value>;
}

/** A compiled program. */
export interface Compiled {
  /** The top-level prototype. */
  readonly proto: FuncProto;
  /** Human-readable bytecode listing. */
  disassemble(): string;
}

/** Lexes, parses and checks `source`; returns the syntax errors (empty when it is valid). */
export function check(source: string, file = "<string>"): SyntaxIssue[] {
  try {
    parse(source, file);
    return [];
  } catch (e) {
    if (e instanceof RuffSyntaxError) return e.issues;
    throw e;
  }
}

/** Compiles `source` to bytecode; throws {@link RuffSyntaxError} on syntax errors. */
export function compile(source: string, file = "<string>"): Compiled {
  const proto = compileProgram(parse(source, file), { globals: new GlobalTable() });
  return { proto, disassemble: () => disassemble(proto) };
}

interface ModuleRecord {
  name: string;
  state: "loading" | "done";
  globals: Globals;
}

type JitModule = typeof import("./jit/jit.ts");
type EncodeModule = typeof import("./jit/encode.ts");
type BinaryenModule = typeof import("./jit/binaryen_backend.ts");

/**
 * Imports a module of `lib/jit/` when a program first needs the JIT. The URL is computed at run
 * time so that Deno's start-up module graph (read and analysed before any code runs) leaves the
 * JIT out; `typeof import(…)` above keeps the calls typed.
 */
function jitModule<T>(stem: string): Promise<T> {
  return import(ownUrl(`./jit/${stem}.ts`, import.meta.url));
}

/** Keywords of the constructs the JIT compiles. */
const HOT = /\b(?:func|for|while|loop)\b/;
/** Identifiers (and keywords) in source text. */
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
/** The module path after `import` or `from` (over-approximates; unresolved paths are skipped). */
const IMPORT_PATH = /\b(?:import|from)\s+([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)/g;

/** One program run: the VM, its host hooks and the module cache. */
export class Session implements VMHost {
  readonly vm: VM;
  out = "";
  err = "";
  argv: string[];
  file: string;
  readonly mainDir: string;
  readonly modules = new Map<string, ModuleRecord>();
  readonly loading: string[] = [];
  readonly sources = new Map<string, string>();
  /** Set by {@link prepare} when a source has a function or a loop. */
  private mayGetHot = false;
  /** Module sources read by {@link prepare} before the run, by file. */
  private readonly prefetched = new Map<string, string>();

  constructor(readonly opts: RunOptions = {}) {
    this.argv = opts.args ?? [];
    this.file = opts.file ?? "<string>";
    this.mainDir = opts.file ? dirname(resolve(opts.file)) : Deno.cwd();
    // The library's natives are added by prepare() as the program and its modules name them.
    const table = new Map<string, Value>();
    for (const [k, v] of Object.entries(constants)) table.set(k, v);
    for (const spec of concurrency(() => this.vm).natives) table.set(spec.name, toNativeFn(spec));
    // `Promise.all(ps)` is a method call on the global `Promise` (builtins.md §3.20).
    const all = table.get("promise_all") as NativeFn;
    table.set(
      "Promise",
      new RDict(new Map([["all", new NativeFn("Promise.all", 1, 1, all.impl)]])),
    );
    for (const [name, fn] of Object.entries(opts.natives ?? {})) {
      const hostError = (e: unknown) =>
        e instanceof RuffError ? e : new RuffError(e instanceof Error ? e.message : String(e));
      table.set(
        name,
        new NativeFn(name, 0, Infinity, (args) => {
          try {
            // A JavaScript function without a result gives undefined: that is null in Ruff.
            const r = fn(...args) as Value | Promise<Value> | undefined;
            return r instanceof Promise
              ? r.then((v) => v ?? null, (e) => {
                throw hostError(e);
              })
              : r ?? null;
          } catch (e) {
            throw hostError(e);
          }
        }),
      );
    }
    this.vm = new VM(table, this);
    this.vm.reportTaskError = (e) => {
      this.writeErr(this.formatError(e, "Runtime Error in spawned task") + "\n");
    };
  }

  /**
   * Creates the JIT from the options and the environment (none when disabled). Its modules load
   * only once a prepared source has a function or a loop (nothing else can become hot), or when
   * statistics or a dump are asked for.
   */
  async startJit(): Promise<JitOptions> {
    const jo: JitOptions = { ...jitEnvDefaults(), ...(this.opts.jit ?? {}) };
    if (jo.enabled === false || this.vm.jit !== null) return jo;
    if (!this.mayGetHot && !jo.stats && !jo.dump) return jo;
    const backend = jo.backend === "binaryen"
      ? await (await jitModule<BinaryenModule>("binaryen_backend")).loadBinaryenBackend()
      : (await jitModule<EncodeModule>("encode")).directBackend;
    const { Jit } = await jitModule<JitModule>("jit");
    const jit = new Jit(this.vm, backend, jo, WB_MARK, MAX_DEPTH);
    this.vm.jit = jit;
    this.vm.jitAt = jit.threshold;
    return jo;
  }

  /** Writes `--jit-stats` and `--jit-dump` output to stderr. */
  async finishJit(jo: JitOptions): Promise<void> {
    const jit = this.vm.jit;
    if (jit === null) return;
    if (jo.dump) {
      const { watOf } = await jitModule<BinaryenModule>("binaryen_backend");
      for (const u of jit.compiled) {
        this.writeErr(`;; ${u.name} (${u.bytes.length} bytes, valid)\n${await watOf(u.bytes)}\n`);
      }
    }
    if (jo.stats) this.writeErr(jit.report());
  }

  write(text: string): void {
    if (this.opts.stdout) this.opts.stdout(text);
    else this.out += text;
  }

  writeErr(text: string): void {
    if (this.opts.stderr) this.opts.stderr(text);
    else this.err += text;
  }

  /** The §11.5 report of an uncaught error. */
  formatError(e: RError, kind = "Runtime Error"): string {
    const file = e.file || this.file;
    let s = formatDiagnostic(
      kind,
      e.message,
      file,
      this.sources.get(file) ?? null,
      e.line,
      e.col,
      this.opts.color ?? false,
    );
    if (e.cause !== null) s += `\nCaused by: ${display(e.cause)}`;
    if (e.stack.length) {
      s += "\n\nCall stack:\n" + e.stack.map((n, i) => `  ${i} at ${n}`).join("\n");
    }
    return s;
  }

  /**
   * Makes ready the natives `source` (the text of `file`) names, and those named by the modules
   * it imports, found by following its `import`/`from` statements the way {@link importModule}
   * resolves them. Runs before the source's code does: natives are plain globals afterwards.
   */
  async prepare(source: string, file: string): Promise<void> {
    const names = new Set<string>();
    const seen = new Set<string>();
    const scan = (text: string, from: string) => {
      // Only functions and loops can become hot; the JIT is not loaded for code without them.
      if (!this.mayGetHot) this.mayGetHot = HOT.test(text);
      for (const w of text.match(IDENT) ?? []) {
        names.add(w);
        // `read_file_async` runs `read_file` (concurrency.ts).
        if (w.endsWith("_async")) names.add(w.slice(0, -6));
      }
      for (const m of text.matchAll(IMPORT_PATH)) {
        let found: string | null = null;
        try {
          found = this.findModule(m[1].replace(/\s+/g, ""), from);
        } catch { /* reported when the import runs */ }
        if (found === null || seen.has(found)) continue;
        seen.add(found);
        let moduleSource = this.prefetched.get(found);
        if (moduleSource === undefined) {
          try {
            moduleSource = Deno.readTextFileSync(found);
          } catch {
            continue; // reported when the import runs
          }
          this.prefetched.set(found, moduleSource);
        }
        scan(moduleSource, found);
      }
    };
    scan(source, file);
    const table = this.vm.builtins;
    for (const fn of await nativesNamed(names)) if (!table.has(fn.name)) table.set(fn.name, fn);
  }

  /** Compiles a program or module source into a closure over fresh globals. */
  load(source: string, file: string): { closure: Closure; globals: Globals } {
    this.sources.set(file, source);
    const table = new GlobalTable();
    const proto = compileProgram(parse(source, file), { globals: table });
    const globals = new Globals(table, file, this.mainDir);
    const closure = new Closure(proto, []);
    closure.globals = globals;
    return { closure, globals };
  }

  /**
   * The file of module `path` (`a.b` → `a/b.ruff`) imported from the file `fromFile`: looked
   * up in the importer's directory, its `modules/`, the main program's directory and its
   * `modules/`, in that order (LANGUAGE.md §12). Null when none exists.
   */
  findModule(path: string, fromFile: string): string | null {
    const rel = path.split(".").join("/") + ".ruff";
    const fromDir = fromFile && fromFile !== "<string>" ? dirname(resolve(fromFile)) : Deno.cwd();
    const dirs = [fromDir, join(fromDir, "modules"), this.mainDir, join(this.mainDir, "modules")];
    for (const d of dirs) {
      const p = join(d, rel);
      try {
        if (Deno.statSync(p).isFile) return p;
      } catch (e) {
        if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
          throw new RuffError(`Permission denied: reading '${p}' needs --allow-read`);
        }
      }
    }
    return null;
  }

  importModule(vm: VM, path: string, from: Globals): Globals {
    const found = this.findModule(path, from.file);
    if (!found) throw new RuffError(`Module not found: ${path}`);
    const rec = this.modules.get(found);
    if (rec) {
      if (rec.state === "done") return rec.globals;
      const i = this.loading.indexOf(path);
      const chain = [...this.loading.slice(i < 0 ? 0 : i), path].join(" -> ");
      throw new RuffError(`Circular import detected: ${chain}`);
    }
    let source = this.prefetched.get(found);
    if (source === undefined) {
      try {
        source = Deno.readTextFileSync(found);
      } catch (e) {
        throw new RuffError(`Module not found: ${path} (${(e as Error).message})`);
      }
      // A module prepare() did not see (created while the program ran): natives load before a
      // run, so it may only use the ones already loaded.
      const missing = [...new Set(source.match(IDENT) ?? [])]
        .filter((n) => isNativeName(n) && !vm.builtins.has(n));
      if (missing.length) {
        throw new RuffError(
          `Module '${path}' was created after the program started and uses natives the program ` +
            `does not name: ${missing.join(", ")}`,
        );
      }
    }
    let loaded: { closure: Closure; globals: Globals };
    try {
      loaded = this.load(source, found);
    } catch (e) {
      if (e instanceof RuffSyntaxError) {
        const i = e.issues[0];
        throw new RuffError(`Failed to parse module '${path}': ${i.line}:${i.col}: ${i.message}`);
      }
      throw e;
    }
    const record: ModuleRecord = { name: path, state: "loading", globals: loaded.globals };
    this.modules.set(found, record);
    this.loading.push(path);
    const saved = vm.fiber;
    const fiber = new Fiber();
    vm.fiber = fiber;
    try {
      fiber.stack[fiber.sp++] = loaded.closure;
      const frame = new Frame(loaded.closure, loaded.closure.proto, 0, loaded.globals);
      frame.boundary = true;
      fiber.frames.push(frame);
      vm.execute(fiber, 0);
    } catch (e) {
      this.modules.delete(found);
      if (e instanceof RuffThrow) {
        throw new RuffError(`Failed to evaluate module '${path}': ${e.error.message}`);
      }
      throw e;
    } finally {
      vm.fiber = saved;
      this.loading.pop();
    }
    for (const name of loaded.globals.exports) {
      if (loaded.globals.get(name) === undefined) {
        throw new RuffError(`Exported symbol '${name}' was not defined in module '${path}'`);
      }
    }
    record.state = "done";
    return loaded.globals;
  }

  /** Runs a fiber to completion, awaiting promises when it suspends. */
  async drive(fiber: Fiber): Promise<Value> {
    const vm = this.vm;
    const saved = vm.fiber;
    vm.fiber = fiber;
    try {
      let r = vm.execute(fiber, 0);
      while (r === SUSPENDED) {
        const p = vm.waitingOn!;
        const pushValue = vm.resumeWithValue;
        vm.waitingOn = null;
        vm.resumeWithValue = false;
        await p.settle;
        vm.fiber = fiber;
        if (p.state === "fulfilled") {
          fiber.stack[fiber.sp++] = p.value;
        } else {
          const message = pushValue ? String(p.value) : `Promise rejected: ${display(p.value)}`;
          const f = fiber.frames[fiber.frames.length - 1];
          f.ip = vm.suspendAt;
          const err = vm.makeError(message, fiber);
          if (!vm.unwind(fiber, 0, err)) throw new RuffThrow(err);
        }
        r = vm.execute(fiber, 0);
      }
      return r;
    } finally {
      vm.fiber = saved;
    }
  }

  /** Runs a queued task at the top level (where it may suspend). */
  async runTaskTop(task: Task): Promise<void> {
    const vm = this.vm;
    const fiber = vm.beginTask(task);
    if (!fiber) return;
    try {
      vm.fiber = fiber;
      let r = vm.setupCall(fiber, 0, 0);
      if (r === undefined) {
        fiber.frames[fiber.frames.length - 1].boundary = true;
        r = await this.drive(fiber);
      }
      vm.endTask(task, fiber, { value: r });
    } catch (e) {
      vm.endTask(task, fiber, { error: e });
    }
  }
}

/** Runs a compiled main program inside a session; used by `run` and the CLI. */
export async function runSession(
  session: Session,
  source: string,
): Promise<RunResult> {
  await session.prepare(source, session.file);
  const { closure, globals } = session.load(source, session.file);
  const vm = session.vm;
  const jitOpts = await session.startJit();
  let error: RError | null = null;
  let exitCode = 0;
  const fiber = new Fiber();
  fiber.stack[fiber.sp++] = closure;
  const frame = new Frame(closure, closure.proto, 0, globals);
  frame.boundary = true;
  fiber.frames.push(frame);
  try {
    try {
      await session.drive(fiber);
    } catch (e) {
      if (e instanceof RuffThrow) error = e.error;
      else throw e;
    }
    if (error) {
      exitCode = 1;
      session.writeErr(session.formatError(error) + "\n");
    } else {
      while (vm.tasks.length) await session.runTaskTop(vm.tasks.shift()!);
      if (vm.taskFailed) exitCode = 1;
    }
  } catch (e) {
    if (e instanceof ExitRequest) exitCode = e.code;
    else {
      const msg = e instanceof Error ? e.message : String(e);
      const f = fiber.frames[fiber.frames.length - 1];
      const where = f ? `${f.proto.file}:${f.proto.lines[f.ip] ?? 0}` : session.file;
      session.writeErr(`Internal error: ${msg}\n  --> ${where}\n`);
      exitCode = 70;
    }
  }
  if (vm.jit !== null) await session.finishJit(jitOpts);
  return {
    output: session.out,
    error,
    errorText: session.err,
    exitCode,
    get: (name) => globals.get(name),
    has: (name) => globals.get(name) !== undefined,
    globals: () => {
      const m = new Map<string, Value>();
      globals.table.names.forEach((n, i) => {
        const v = globals.values[i];
        if (v !== undefined) m.set(n, v);
      });
      return m;
    },
    call: async (fn, ...args) => {
      const f = typeof fn === "string" ? globals.get(fn) : fn;
      if (f === undefined) throw new RuffError(`Undefined variable: ${fn}`);
      const fib = new Fiber();
      fib.stack[fib.sp++] = f;
      for (const a of args) fib.stack[fib.sp++] = a;
      vm.fiber = fib;
      const r = vm.setupCall(fib, args.length, 0);
      if (r !== undefined) return r instanceof Promise ? await r : r;
      fib.frames[fib.frames.length - 1].boundary = true;
      try {
        return await session.drive(fib);
      } catch (e) {
        if (e instanceof RuffThrow) throw new RuffError(e.error.message);
        throw e;
      }
    },
  };
}

/**
 * A persistent global scope for incremental evaluation with {@link evalChunk} (the REPL,
 * LANGUAGE.md §17.3): every chunk compiles against the same global table, so functions, structs
 * and variables bound by one chunk are visible to the next.
 */
export class ChunkScope {
  /** The global table shared by every chunk compiled in this scope. */
  readonly table: GlobalTable = new GlobalTable();
  /** The run-time globals (also the importing scope for `import`). */
  readonly globals: Globals;
  /** Number of chunks compiled so far; chunk n is named `<repl-n>` in diagnostics. */
  count = 0;
  constructor(session: Session, name = "<repl>") {
    this.globals = new Globals(this.table, name, session.mainDir);
  }
  /** The bound user globals (not built-ins), sorted by name (code point order). */
  bindings(): [string, Value][] {
    const out: [string, Value][] = [];
    this.table.names.forEach((n, i) => {
      const v = this.globals.values[i];
      if (v !== undefined) out.push([n, v]);
    });
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** What {@link evalChunk} leaves behind. */
export interface ChunkResult {
  /** The chunk's value when it is a single expression statement, else null. */
  value: Value;
  /** True when the chunk is a single expression statement (the REPL echoes a non-null value). */
  expression: boolean;
  /** The uncaught error of the chunk (not reported: format it with `Session.formatError`). */
  error: RError | null;
  /** Set when the chunk called `exit(n)`. */
  exitCode: number | null;
}

/**
 * Compiles `source` against the persistent globals of `scope` and runs it to completion (awaiting
 * promises, then the tasks it queued). Throws {@link RuffSyntaxError} when it does not parse;
 * runtime errors are returned, not written. Errors of spawned tasks go to the session's stderr.
 */
export async function evalChunk(
  session: Session,
  scope: ChunkScope,
  source: string,
): Promise<ChunkResult> {
  const file = `<repl-${++scope.count}>`;
  const prog = parse(source, file);
  session.sources.set(file, source);
  const only = prog.body.length === 1 ? prog.body[0] : null;
  const expression = only !== null && only.kind === "ExprStmt";
  if (only !== null && only.kind === "ExprStmt") {
    // The value of a lone expression statement is the chunk's return value.
    prog.body = [{ kind: "Return", value: only.expr, line: only.line, col: only.col }];
  }
  await session.prepare(source, file);
  await session.startJit();
  const proto = compileProgram(prog, { globals: scope.table, openGlobals: true });
  const closure = new Closure(proto, []);
  closure.globals = scope.globals;
  const vm = session.vm;
  const fiber = new Fiber();
  fiber.stack[fiber.sp++] = closure;
  const frame = new Frame(closure, proto, 0, scope.globals);
  frame.boundary = true;
  fiber.frames.push(frame);
  const result: ChunkResult = { value: null, expression, error: null, exitCode: null };
  try {
    try {
      const v = await session.drive(fiber);
      if (expression) result.value = v;
    } catch (e) {
      if (e instanceof RuffThrow) result.error = e.error;
      else throw e;
    }
    if (result.error) vm.tasks.length = 0;
    while (vm.tasks.length) await session.runTaskTop(vm.tasks.shift()!);
  } catch (e) {
    if (!(e instanceof ExitRequest)) throw e;
    result.exitCode = e.code;
  } finally {
    vm.taskFailed = false;
  }
  return result;
}

/** Why a test failed (LANGUAGE.md §16 step 3). */
export interface TestFailure {
  /** Where the first uncaught error came from (`task`: a task the test spawned). */
  phase: "setup" | "body" | "teardown" | "task";
  /** That error. */
  error: RError;
}

/** One test of a program loaded by {@link loadTests}. */
export interface TestCase {
  /** The test's name. */
  readonly name: string;
  /**
   * Runs the setup, the body and the teardown in a fresh scope below the global scope, then the
   * tasks they queued; resolves to null when the test passed. `exit(n)` throws
   * {@link ExitRequest}.
   */
  run(): Promise<TestFailure | null>;
}

/** A program loaded in test mode by {@link loadTests}. */
export interface TestProgram {
  /** The `test` blocks, groups flattened, in source order. */
  readonly tests: TestCase[];
  /**
   * Evaluates the top-level declarations (then the tasks they queued); resolves to their
   * uncaught error, or null. Call it once, before running tests.
   */
  declare(): Promise<RError | null>;
}

const PHASES = ["setup", "body", "teardown"] as const;

/**
 * Test mode (`ruff test-run`, LANGUAGE.md §16): compiles `source` so that only its top-level
 * `func`, `struct`, `enum`, `const`, `import` and exported declarations run, and returns its
 * tests. Throws {@link RuffSyntaxError} when the source does not parse.
 */
export async function loadTests(session: Session, source: string): Promise<TestProgram> {
  const file = session.file;
  const prog = parse(source, file);
  await session.prepare(source, file);
  session.sources.set(file, source);
  const table = new GlobalTable();
  const { proto, tests } = compileTests(prog, { globals: table });
  const globals = new Globals(table, file, session.mainDir);
  const vm = session.vm;
  const start = (p: FuncProto): Promise<Value> => {
    const closure = new Closure(p, []);
    closure.globals = globals;
    const fiber = new Fiber();
    fiber.stack[fiber.sp++] = closure;
    const frame = new Frame(closure, p, 0, globals);
    frame.boundary = true;
    fiber.frames.push(frame);
    return session.drive(fiber);
  };
  const runTest = async (p: FuncProto): Promise<TestFailure | null> => {
    let failure: TestFailure | null = null;
    let taskError: RError | null = null;
    const report = vm.reportTaskError;
    vm.reportTaskError = (e) => void (taskError ??= e);
    try {
      try {
        const r = await start(p);
        if (r instanceof RArray) {
          failure = { phase: PHASES[r.items[0] as number], error: r.items[1] as RError };
        }
      } catch (e) {
        if (e instanceof RuffThrow) failure = { phase: "body", error: e.error };
        else throw e;
      }
      while (vm.tasks.length) await session.runTaskTop(vm.tasks.shift()!);
    } finally {
      vm.reportTaskError = report;
      vm.taskFailed = false;
    }
    return failure ?? (taskError ? { phase: "task", error: taskError } : null);
  };
  return {
    tests: tests.map((t) => ({ name: t.name, run: () => runTest(t.proto) })),
    declare: async () => {
      try {
        await start(proto);
      } catch (e) {
        if (e instanceof RuffThrow) return e.error;
        throw e;
      }
      while (vm.tasks.length) await session.runTaskTop(vm.tasks.shift()!);
      vm.taskFailed = false;
      return null;
    },
  };
}

/**
 * Runs a whole program. Throws {@link RuffSyntaxError} when the source does not parse; runtime
 * errors never throw: they are reported in {@link RunResult.error}.
 */
export function run(source: string, options: RunOptions = {}): Promise<RunResult> {
  return runSession(new Session(options), source);
}

export { toNativeFn };
