/**
 * The binaryen backend of the JIT, and binaryen-based WAT printing and validation (used by
 * `--jit-dump` for both backends).
 *
 * binaryen is never imported statically: loading it costs about 0.4 s and ~90 MB, so it is only
 * brought in by the async functions below (`await import("npm:binaryen@132.0.0")`, once per
 * process). Only its types are imported here, which costs nothing at run time.
 *
 * binaryen prints validation errors through `console.error` functions it binds when it loads;
 * to report them in thrown Errors, `console.error` / `console.log` are wrapped while it loads
 * and the wrappers forward to the current console unless a validation is collecting them.
 *
 * @module
 */

// deno-lint-ignore no-import-prefix
import type binaryen from "npm:binaryen@132.0.0";
import type {
  Backend,
  BinOp,
  BlockType,
  Expr,
  Func,
  LoadOp,
  Module,
  StoreOp,
  UnOp,
  ValType,
} from "./ir.ts";

type Binaryen = typeof binaryen;
type BModule = binaryen.Module;
type Ref = binaryen.ExpressionRef;

/** The binaryen version this backend is pinned to. */
export const BINARYEN_VERSION = "132.0.0";

// ───────────────────────────── loading ─────────────────────────────

let loading: Promise<Binaryen> | undefined;
let lib: Binaryen | undefined;
/** Features enabled on every module (computed when binaryen is loaded). */
let features = 0;
/** Lines binaryen printed while {@link collect} runs, else null. */
let sink: string[] | null = null;

/** Wraps a console method so binaryen's output can be collected (see the module doc). */
function tap(method: "error" | "log"): () => void {
  const original = console[method];
  const wrapper = (...args: unknown[]): void => {
    if (sink !== null) {
      sink.push(args.map(String).join(" "));
      return;
    }
    const current = console[method];
    (current === wrapper ? original : current).apply(console, args);
  };
  console[method] = wrapper;
  return () => {
    if (console[method] === wrapper) console[method] = original;
  };
}

async function importBinaryen(): Promise<Binaryen> {
  const untapError = tap("error");
  const untapLog = tap("log");
  try {
    // deno-lint-ignore no-import-prefix
    const m = await import("npm:binaryen@132.0.0");
    const b = m.default;
    const F = b.Features;
    features = F.MutableGlobals | F.ReferenceTypes | F.NontrappingFPToInt | F.SignExt |
      F.BulkMemory | F.Multivalue | F.ExceptionHandling;
    // Keep function names in emitted binaries (a name section) and in read ones.
    b.setDebugInfo(true);
    lib = b;
    return b;
  } finally {
    untapLog();
    untapError();
  }
}

/** Loads binaryen once per process (a failed load is retried on the next call). */
function loadBinaryen(): Promise<Binaryen> {
  if (loading === undefined) {
    loading = importBinaryen();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** Runs `f`, returning its result and whatever binaryen printed meanwhile. */
function collect<T>(f: () => T): { value: T; printed: string } {
  const lines: string[] = [];
  const outer = sink;
  sink = lines;
  try {
    return { value: f(), printed: lines.join("\n").trim() };
  } finally {
    sink = outer;
  }
}

/** V8's verdict on a binary: null when it compiles, else the CompileError message. */
function v8Error(bytes: Uint8Array): string | null {
  if (WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return null;
  try {
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    return "invalid wasm module";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// ───────────────────────────── operator tables ─────────────────────────────

type Un = (m: BModule, a: Ref) => Ref;
type Bin = (m: BModule, a: Ref, b: Ref) => Ref;

const UN: Readonly<Record<UnOp, Un>> = {
  "i32.eqz": (m, a) => m.i32.eqz(a),
  "i64.eqz": (m, a) => m.i64.eqz(a),
  "i32.clz": (m, a) => m.i32.clz(a),
  "i64.clz": (m, a) => m.i64.clz(a),
  "f64.neg": (m, a) => m.f64.neg(a),
  "f64.abs": (m, a) => m.f64.abs(a),
  "f64.sqrt": (m, a) => m.f64.sqrt(a),
  "f64.floor": (m, a) => m.f64.floor(a),
  "f64.ceil": (m, a) => m.f64.ceil(a),
  "f64.trunc": (m, a) => m.f64.trunc(a),
  "f64.nearest": (m, a) => m.f64.nearest(a),
  "f64.convert_i64_s": (m, a) => m.f64.convert_s.i64(a),
  "f64.convert_i32_s": (m, a) => m.f64.convert_s.i32(a),
  "i64.trunc_f64_s": (m, a) => m.i64.trunc_s.f64(a),
  "i64.trunc_sat_f64_s": (m, a) => m.i64.trunc_s_sat.f64(a),
  "i32.trunc_sat_f64_s": (m, a) => m.i32.trunc_s_sat.f64(a),
  "i32.wrap_i64": (m, a) => m.i32.wrap(a),
  "i64.extend_i32_s": (m, a) => m.i64.extend_s(a),
  "i64.extend_i32_u": (m, a) => m.i64.extend_u(a),
  "i64.reinterpret_f64": (m, a) => m.i64.reinterpret(a),
  "f64.reinterpret_i64": (m, a) => m.f64.reinterpret(a),
  "ref.is_null": (m, a) => m.ref.is_null(a),
};

const BIN: Readonly<Record<BinOp, Bin>> = {
  "i32.add": (m, a, b) => m.i32.add(a, b),
  "i32.sub": (m, a, b) => m.i32.sub(a, b),
  "i32.mul": (m, a, b) => m.i32.mul(a, b),
  "i32.and": (m, a, b) => m.i32.and(a, b),
  "i32.or": (m, a, b) => m.i32.or(a, b),
  "i32.xor": (m, a, b) => m.i32.xor(a, b),
  "i32.shl": (m, a, b) => m.i32.shl(a, b),
  "i32.shr_s": (m, a, b) => m.i32.shr_s(a, b),
  "i32.eq": (m, a, b) => m.i32.eq(a, b),
  "i32.ne": (m, a, b) => m.i32.ne(a, b),
  "i32.lt_s": (m, a, b) => m.i32.lt_s(a, b),
  "i32.le_s": (m, a, b) => m.i32.le_s(a, b),
  "i32.gt_s": (m, a, b) => m.i32.gt_s(a, b),
  "i32.ge_s": (m, a, b) => m.i32.ge_s(a, b),
  "i32.lt_u": (m, a, b) => m.i32.lt_u(a, b),
  "i32.ge_u": (m, a, b) => m.i32.ge_u(a, b),
  "i64.add": (m, a, b) => m.i64.add(a, b),
  "i64.sub": (m, a, b) => m.i64.sub(a, b),
  "i64.mul": (m, a, b) => m.i64.mul(a, b),
  "i64.div_s": (m, a, b) => m.i64.div_s(a, b),
  "i64.rem_s": (m, a, b) => m.i64.rem_s(a, b),
  "i64.and": (m, a, b) => m.i64.and(a, b),
  "i64.or": (m, a, b) => m.i64.or(a, b),
  "i64.xor": (m, a, b) => m.i64.xor(a, b),
  "i64.shl": (m, a, b) => m.i64.shl(a, b),
  "i64.shr_s": (m, a, b) => m.i64.shr_s(a, b),
  "i64.shr_u": (m, a, b) => m.i64.shr_u(a, b),
  "i64.eq": (m, a, b) => m.i64.eq(a, b),
  "i64.ne": (m, a, b) => m.i64.ne(a, b),
  "i64.lt_s": (m, a, b) => m.i64.lt_s(a, b),
  "i64.le_s": (m, a, b) => m.i64.le_s(a, b),
  "i64.gt_s": (m, a, b) => m.i64.gt_s(a, b),
  "i64.ge_s": (m, a, b) => m.i64.ge_s(a, b),
  "i64.lt_u": (m, a, b) => m.i64.lt_u(a, b),
  "i64.ge_u": (m, a, b) => m.i64.ge_u(a, b),
  "f64.add": (m, a, b) => m.f64.add(a, b),
  "f64.sub": (m, a, b) => m.f64.sub(a, b),
  "f64.mul": (m, a, b) => m.f64.mul(a, b),
  "f64.div": (m, a, b) => m.f64.div(a, b),
  "f64.min": (m, a, b) => m.f64.min(a, b),
  "f64.max": (m, a, b) => m.f64.max(a, b),
  "f64.copysign": (m, a, b) => m.f64.copysign(a, b),
  "f64.eq": (m, a, b) => m.f64.eq(a, b),
  "f64.ne": (m, a, b) => m.f64.ne(a, b),
  "f64.lt": (m, a, b) => m.f64.lt(a, b),
  "f64.le": (m, a, b) => m.f64.le(a, b),
  "f64.gt": (m, a, b) => m.f64.gt(a, b),
  "f64.ge": (m, a, b) => m.f64.ge(a, b),
};

/** Loads: natural alignment in bytes (binaryen's unit). */
const LOAD: Readonly<Record<LoadOp, (m: BModule, offset: number, addr: Ref) => Ref>> = {
  "i32.load": (m, o, p) => m.i32.load(o, 4, p),
  "i64.load": (m, o, p) => m.i64.load(o, 8, p),
  "f64.load": (m, o, p) => m.f64.load(o, 8, p),
  "i32.load8_u": (m, o, p) => m.i32.load8_u(o, 1, p),
};

const STORE: Readonly<Record<StoreOp, (m: BModule, offset: number, addr: Ref, v: Ref) => Ref>> = {
  "i32.store": (m, o, p, v) => m.i32.store(o, 4, p, v),
  "i64.store": (m, o, p, v) => m.i64.store(o, 8, p, v),
  "f64.store": (m, o, p, v) => m.f64.store(o, 8, p, v),
  "i32.store8": (m, o, p, v) => m.i32.store8(o, 1, p, v),
};

// ───────────────────────────── building a module ─────────────────────────────

/** Per-module state of one build. */
interface Ctx {
  b: Binaryen;
  m: BModule;
  mod: Module;
  /** Internal function names, in index order (imports first). */
  funcNames: string[];
  /** Result type of each function, in index order. */
  funcResults: number[];
  globalTypes: number[];
  /** The current function's local types (params then locals). */
  localTypes: number[];
  funcName: string;
  /** Enclosing labels (innermost last) with their unique binaryen names. */
  scope: { label: string; name: string }[];
  /** Label names used so far in the current function (binaryen requires unique names). */
  used: Set<string>;
}

function vt(b: Binaryen, t: ValType): number {
  switch (t) {
    case "i32":
      return b.i32;
    case "i64":
      return b.i64;
    case "f64":
      return b.f64;
    case "externref":
      return b.externref;
    default:
      throw new Error(`binaryen backend: unknown value type '${t}'`);
  }
}

function bt(b: Binaryen, t: BlockType): number {
  return t === "none" ? b.none : vt(b, t);
}

function tuple(b: Binaryen, ts: readonly ValType[]): number {
  if (ts.length === 0) return b.none;
  if (ts.length === 1) return vt(b, ts[0]);
  return b.createType(ts.map((t) => vt(b, t)));
}

/** A name not yet used in `used` (binaryen names must be unique within a module's namespace). */
function fresh(used: Set<string>, base: string): string {
  let name = base;
  for (let n = 1; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

function bind<T>(c: Ctx, label: string, f: (name: string) => T): T {
  const name = fresh(c.used, label);
  c.scope.push({ label, name });
  try {
    return f(name);
  } finally {
    c.scope.pop();
  }
}

function target(c: Ctx, label: string): string {
  for (let i = c.scope.length - 1; i >= 0; i--) {
    if (c.scope[i].label === label) return c.scope[i].name;
  }
  throw new Error(`binaryen backend: ${c.funcName}: branch to unknown label '${label}'`);
}

function seq(c: Ctx, es: readonly Expr[], t: BlockType, label: string | null = null): Ref {
  return c.m.block(label, es.map((e) => expr(c, e)), bt(c.b, t));
}

function expr(c: Ctx, e: Expr): Ref {
  const { m, b } = c;
  switch (e.k) {
    case "i32.const":
      return m.i32.const(e.v | 0);
    case "i64.const":
      return m.i64.const(BigInt.asIntN(64, e.v));
    case "f64.const":
      return m.f64.const(e.v);
    case "ref.null":
      return m.ref.null(b.externref);
    case "local.get": {
      const t = c.localTypes[e.i];
      if (t === undefined) throw new Error(`binaryen backend: ${c.funcName}: no local ${e.i}`);
      return m.local.get(e.i, t);
    }
    case "local.set":
      return m.local.set(e.i, expr(c, e.v));
    case "local.tee": {
      const t = c.localTypes[e.i];
      if (t === undefined) throw new Error(`binaryen backend: ${c.funcName}: no local ${e.i}`);
      return m.local.tee(e.i, expr(c, e.v), t);
    }
    case "global.get": {
      const t = c.globalTypes[e.i];
      if (t === undefined) throw new Error(`binaryen backend: no global ${e.i}`);
      return m.global.get(globalName(e.i), t);
    }
    case "global.set":
      if (c.globalTypes[e.i] === undefined) throw new Error(`binaryen backend: no global ${e.i}`);
      return m.global.set(globalName(e.i), expr(c, e.v));
    case "un": {
      const op = UN[e.op];
      if (op === undefined) throw new Error(`binaryen backend: unknown unary operator '${e.op}'`);
      return op(m, expr(c, e.a));
    }
    case "bin": {
      const op = BIN[e.op];
      if (op === undefined) throw new Error(`binaryen backend: unknown binary operator '${e.op}'`);
      return op(m, expr(c, e.a), expr(c, e.b));
    }
    case "load": {
      const op = LOAD[e.op];
      if (op === undefined) throw new Error(`binaryen backend: unknown load '${e.op}'`);
      return op(m, e.offset, expr(c, e.addr));
    }
    case "store": {
      const op = STORE[e.op];
      if (op === undefined) throw new Error(`binaryen backend: unknown store '${e.op}'`);
      return op(m, e.offset, expr(c, e.addr), expr(c, e.v));
    }
    case "call": {
      const name = c.funcNames[e.f];
      if (name === undefined) {
        throw new Error(`binaryen backend: ${c.funcName}: call to unknown function ${e.f}`);
      }
      return m.call(name, e.args.map((a) => expr(c, a)), c.funcResults[e.f]);
    }
    case "call_indirect":
      return m.call_indirect(
        TABLE,
        m.i32.const(e.slot),
        e.args.map((a) => expr(c, a)),
        tuple(c.b, e.params),
        tuple(c.b, e.results),
      );
    case "block":
      return bind(c, e.label, (name) => seq(c, e.body, e.t, name));
    case "loop":
      return bind(c, e.label, (name) => m.loop(name, seq(c, e.body, e.t)));
    case "if": {
      const cond = expr(c, e.cond);
      const then = seq(c, e.then, e.t);
      const els = e.else !== undefined && e.else.length > 0 ? seq(c, e.else, e.t) : undefined;
      return m.if(cond, then, els);
    }
    case "br":
      return m.br(target(c, e.label));
    case "br_if": {
      const name = target(c, e.label);
      return m.br(name, expr(c, e.cond));
    }
    case "return":
      return m.return(e.v === undefined ? undefined : expr(c, e.v));
    case "drop":
      return m.drop(expr(c, e.v));
    case "select": {
      const a = expr(c, e.a);
      const bb = expr(c, e.b);
      return m.select(expr(c, e.cond), a, bb);
    }
    case "unreachable":
      return m.unreachable();
    case "nop":
      return m.nop();
    case "throw":
      return m.throw(TAG, []);
    case "try":
      return m.try(fresh(c.used, "try"), seq(c, e.body, "none"), [TAG], [
        seq(c, e.handler, "none"),
      ]);
    default:
      throw new Error(`binaryen backend: unknown expression kind '${(e as { k: string }).k}'`);
  }
}

/** The internal name of the module's exception tag. */
const TAG = "exit";
/** Internal name of the imported function table. */
const TABLE = "tab";

function globalName(i: number): string {
  return `g${i}`;
}

function globalInit(c: Ctx, t: ValType, init: number | bigint | undefined): Ref {
  const { m, b } = c;
  const v = init ?? 0;
  switch (t) {
    case "i32":
      return m.i32.const(Number(v) | 0);
    case "i64":
      return m.i64.const(BigInt.asIntN(64, typeof v === "bigint" ? v : BigInt(Math.trunc(v))));
    case "f64":
      return m.f64.const(Number(v));
    case "externref":
      return m.ref.null(b.externref);
    default:
      throw new Error(`binaryen backend: unknown global type '${t}'`);
  }
}

function addFunction(c: Ctx, f: Func, name: string): void {
  const { b, m } = c;
  c.localTypes = [...f.params, ...f.locals].map((t) => vt(b, t));
  c.funcName = f.name;
  c.scope = [];
  c.used = new Set();
  const results = tuple(b, f.results);
  const body = f.body.length === 1
    ? expr(c, f.body[0])
    : m.block(null, f.body.map((e) => expr(c, e)), results);
  m.addFunction(name, tuple(b, f.params), results, f.locals.map((t) => vt(b, t)), body);
  if (f.export !== undefined) m.addFunctionExport(name, f.export);
}

/** Builds, validates and emits `mod` with binaryen (which must be loaded). */
function build(b: Binaryen, mod: Module): Uint8Array {
  const m = new b.Module();
  try {
    m.setFeatures(features);
    const used = new Set<string>();
    const c: Ctx = {
      b,
      m,
      mod,
      funcNames: [],
      funcResults: [],
      globalTypes: [],
      localTypes: [],
      funcName: "",
      scope: [],
      used,
    };
    for (const imp of mod.imports) {
      c.funcNames.push(fresh(used, `${imp.module}.${imp.name}`));
      c.funcResults.push(tuple(b, imp.results));
    }
    for (const f of mod.funcs) {
      c.funcNames.push(fresh(used, f.name));
      c.funcResults.push(tuple(b, f.results));
    }
    mod.imports.forEach((imp, i) => {
      m.addFunctionImport(
        c.funcNames[i],
        imp.module,
        imp.name,
        tuple(b, imp.params),
        tuple(b, imp.results),
      );
    });
    if (mod.memory) {
      m.setMemory(mod.memory.min, -1, null, [], false, false, "memory");
      m.addMemoryImport("memory", mod.memory.module, mod.memory.name);
    }
    if (mod.tag) m.addTagImport(TAG, mod.tag.module, mod.tag.name, b.none, b.none);
    if (mod.table) {
      m.addTable(TABLE, 0, -1);
      m.addTableImport(TABLE, mod.table.module, mod.table.name);
    }
    let defined = false;
    mod.globals.forEach((g, i) => {
      const t = vt(b, g.t);
      c.globalTypes.push(t);
      if (g.import !== undefined) {
        if (defined) {
          throw new Error(
            `binaryen backend: global ${i} is imported after a defined global; ` +
              "imported globals must come first in Module.globals",
          );
        }
        m.addGlobalImport(globalName(i), g.import.module, g.import.name, t, g.mutable);
      } else {
        defined = true;
        m.addGlobal(globalName(i), t, g.mutable, globalInit(c, g.t, g.init));
      }
      if (g.export !== undefined) m.addGlobalExport(globalName(i), g.export);
    });
    const nImports = mod.imports.length;
    mod.funcs.forEach((f, i) => addFunction(c, f, c.funcNames[nImports + i]));
    const { value: ok, printed } = collect(() => m.validate());
    if (!ok) {
      throw new Error(`binaryen validation failed:\n${printed || "(no message)"}`);
    }
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

// ───────────────────────────── public API ─────────────────────────────

let backend: Backend | undefined;

/**
 * Loads binaryen (once; ~0.4 s) and returns the binaryen backend. Its `emit` builds the module
 * through binaryen's API, validates it (throwing an Error with binaryen's message when invalid)
 * and returns `emitBinary()`.
 */
export async function loadBinaryenBackend(): Promise<Backend> {
  const b = await loadBinaryen();
  backend ??= { name: "binaryen", emit: (mod: Module) => build(b, mod) };
  return backend;
}

/** Reads a binary with binaryen and validates it; returns the module (caller disposes) or throws. */
function readValidated(b: Binaryen, bytes: Uint8Array): BModule {
  const v8 = v8Error(bytes);
  if (v8 !== null) throw new Error(`invalid wasm: ${v8}`);
  // At run time readBinary takes the features as a second argument (index.d.ts still declares
  // readBinaryWithFeatures, which this build does not have).
  const read = b.readBinary as (data: Uint8Array, features?: number) => BModule;
  const { value: m, printed: readMsg } = collect(() => read.call(b, bytes, features));
  const { value: ok, printed } = collect(() => m.validate());
  if (!ok) {
    m.dispose();
    throw new Error(`binaryen validation failed:\n${printed || readMsg || "(no message)"}`);
  }
  return m;
}

/**
 * The WebAssembly text of any wasm binary (from either backend), read and validated by binaryen.
 * Throws an Error with the validation message when the binary is invalid.
 */
export async function watOf(bytes: Uint8Array): Promise<string> {
  const b = await loadBinaryen();
  const m = readValidated(b, bytes);
  try {
    return m.emitText();
  } finally {
    m.dispose();
  }
}

/** Validates a wasm binary (V8, then binaryen): null when valid, else the error message. */
export async function validateWasm(bytes: Uint8Array): Promise<string | null> {
  const b = await loadBinaryen();
  try {
    readValidated(b, bytes).dispose();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Whether binaryen has been loaded in this process (for statistics; never loads it). */
export function binaryenLoaded(): boolean {
  return lib !== undefined;
}
