/**
 * Compiler from the AST to bytecode prototypes (one pass, clox-style locals and upvalues).
 *
 * Scoping (LANGUAGE.md §6): names declared directly at the top level of a program or module
 * are globals (looked up by index in the module's global table); every other scope keeps its
 * variables in stack slots; closures capture slots by reference through upvalues.
 *
 * @module
 */

import type * as A from "./ast.ts";
import { type FuncProto, newProto } from "./bytecode.ts";
import { Op } from "./opcodes.ts";
import { mkFloat, type Value } from "./values.ts";

/** The names of a module's globals; indices are stable for the life of the module. */
export class GlobalTable {
  readonly names: string[] = [];
  readonly index = new Map<string, number>();
  /** Index of `name`, allocating one when needed. */
  slot(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

/** Mutating method names of LANGUAGE.md §10.2 (compiled with an in-place receiver). */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  "push",
  "append",
  "pop",
  "insert",
  "remove",
  "remove_at",
  "clear",
  "sort",
  "reverse",
  "update",
]);

/** Pattern descriptors used by the MATCH instruction. */
export type MatchDesc =
  | { t: "wild" }
  | { t: "lit"; v: Value }
  | { t: "label"; name: string }
  | { t: "wrap"; tag: "Ok" | "Err" | "Some" | "None"; bind: boolean }
  | { t: "enum"; e: string; v: string; n: number | null };

/** Options of {@link compileProgram}. */
export interface CompileOptions {
  /** The module's global table (shared with the run-time globals). */
  globals: GlobalTable;
  /** Names that may be bound as globals when a function assigns them (REPL, wildcard imports). */
  knownGlobals?: Iterable<string>;
  /**
   * Any name a function assigns may be a global bound later (REPL chunks: a later entry can bind
   * it), as after a wildcard import.
   */
  openGlobals?: boolean;
}

interface Local {
  name: string;
  depth: number;
  captured: boolean;
  isConst: boolean;
  /** When set, the slot falls back to this global while unbound (LANGUAGE.md §6.3 rule 1). */
  hybrid: number | null;
}

interface LoopCtx {
  breaks: number[];
  continues: number[];
  /** Number of locals when the loop's body scope starts (popped by break/continue). */
  bodyLocals: number;
  /** Locals to keep on `break` (the loop's own hidden locals are popped by its end). */
  breakLocals: number;
  /** Numbers of the loops directly inside this one (their back-edges come first). */
  inner: number[];
}

type FnKind = "top" | "function" | "method" | "spawn";

class FnState {
  proto: FuncProto;
  locals: Local[] = [];
  scopeDepth = 0;
  upvals: { name: string; isLocal: boolean; index: number; isConst: boolean }[] = [];
  loops: LoopCtx[] = [];
  constCache = new Map<unknown, number>();
  /** Set while compiling a phase of a test function: `return` ends the phase (§16). */
  phase: PhaseCtx | null = null;
  /** Out-of-line handler code, emitted after the function body. */
  stubs: (() => void)[] = [];
  constructor(
    readonly parent: FnState | null,
    readonly kind: FnKind,
    name: string | null,
    file: string,
  ) {
    this.proto = newProto(name, file);
  }
}

class CompileError extends Error {}

type Resolved =
  | { k: "local"; slot: number; isConst: boolean; hybrid: number | null }
  | { k: "upval"; idx: number; isConst: boolean }
  | { k: "global"; g: number };

/** Compiles a parsed program (or module) to its top-level prototype. */
export function compileProgram(prog: A.Program, opts: CompileOptions): FuncProto {
  return new Compiler(prog, opts).compileTop();
}

/** One `test` block of a program compiled by {@link compileTests}. */
export interface CompiledTest {
  /** The test's name. */
  name: string;
  /** Source line of its `test` keyword. */
  line: number;
  /**
   * A zero-argument function whose enclosing scope is the global scope. It runs the file's last
   * `test_setup`, the test's body and the last `test_teardown` in one fresh scope (a `return`
   * ends only the phase it is in) and returns null when all three complete, else the array
   * `[phase, error]` of the first uncaught error: phase 0 setup, 1 body, 2 teardown (the teardown
   * runs after a failed body too).
   */
  proto: FuncProto;
}

/**
 * Test mode (`ruff test-run`, LANGUAGE.md §16): the returned top level evaluates only the
 * top-level `func`, `struct`, `enum`, `const`, `import` and exported declarations; `tests` are
 * the program's `test` blocks, groups flattened, in source order.
 */
export function compileTests(
  prog: A.Program,
  opts: CompileOptions,
): { proto: FuncProto; tests: CompiledTest[] } {
  const c = new Compiler(prog, opts, true);
  const proto = c.compileTop();
  return { proto, tests: c.tests };
}

/** True for the top-level statements test mode evaluates (LANGUAGE.md §16 step 1). */
function isDeclaration(s: A.Stmt): boolean {
  switch (s.kind) {
    case "FuncDecl":
    case "StructDecl":
    case "EnumDecl":
    case "Import":
      return true;
    case "Let":
      return s.keyword === "const" || s.exported;
    case "Assign":
      return s.exported;
    default:
      return false;
  }
}

/** A setup, body or teardown phase of a test function being compiled. */
interface PhaseCtx {
  /** Number of locals when the phase starts. */
  base: number;
  /** Scope depth of the phase's own locals. */
  depth: number;
  /** `return` sites: the jump operand and how many of the phase's own locals were declared. */
  exits: { at: number; kept: number }[];
}

class Compiler {
  fn!: FnState;
  line = 0;
  col = 0;
  possibleGlobals: Set<string>;
  wildcard = false;

  /** Tests collected in test mode. */
  readonly tests: CompiledTest[] = [];

  constructor(
    readonly prog: A.Program,
    readonly opts: CompileOptions,
    readonly testMode = false,
  ) {
    this.possibleGlobals = new Set(opts.knownGlobals ?? []);
    this.wildcard = opts.openGlobals ?? false;
    for (const s of this.topBody()) this.collectGlobalNames(s);
  }

  // ───────────── setup ─────────────

  collectGlobalNames(s: A.Stmt) {
    const add = (n: string) => this.possibleGlobals.add(n);
    switch (s.kind) {
      case "Let":
        this.patternNames(s.pattern).forEach(add);
        break;
      case "Assign":
        if (s.target.kind === "Ident") add(s.target.name);
        break;
      case "Destructure":
        this.patternNames(s.pattern).forEach(add);
        break;
      case "FuncDecl":
        add(s.fn.name!);
        break;
      case "StructDecl":
      case "EnumDecl":
        add(s.name);
        break;
      case "Import":
        if (s.names) s.names.forEach(add);
        else this.wildcard = true;
        break;
    }
  }

  patternNames(p: A.Pattern): string[] {
    switch (p.kind) {
      case "PName":
        return [p.name];
      case "PIgnore":
        return [];
      case "PArray": {
        const out = p.items.flatMap((i) => this.patternNames(i));
        if (p.rest) out.push(p.rest);
        return out;
      }
      case "PDict":
        return p.rest ? [...p.names, p.rest] : [...p.names];
    }
  }

  compileTop(): FuncProto {
    this.fn = new FnState(null, "top", null, this.prog.file);
    this.fn.proto.isTopLevel = true;
    this.fn.locals.push({ name: "", depth: 0, captured: false, isConst: false, hybrid: null });
    this.block(this.topBody(), false);
    if (this.testMode) this.compileTestBlocks();
    this.emit(Op.NULL);
    this.emit(Op.RETURN);
    this.emitStubs();
    return this.fn.proto;
  }

  /** The top-level statements that run: all of them, or only declarations in test mode. */
  topBody(): A.Stmt[] {
    return this.testMode ? this.prog.body.filter(isDeclaration) : this.prog.body;
  }

  // ───────────── test mode (LANGUAGE.md §16) ─────────────

  /** Collects the tests (groups flattened) and compiles each with the last setup/teardown. */
  compileTestBlocks() {
    const tests: A.TestStmt[] = [];
    let setup: A.TestStmt | null = null;
    let teardown: A.TestStmt | null = null;
    const walk = (stmts: A.Stmt[]) => {
      for (const s of stmts) {
        if (s.kind !== "Test") continue;
        if (s.testKind === "test") tests.push(s);
        else if (s.testKind === "test_group") walk(s.body);
        else if (s.testKind === "test_setup") setup = s;
        else teardown = s;
      }
    };
    walk(this.prog.body);
    for (const t of tests) {
      const proto = this.testFunction(t, setup, teardown);
      this.tests.push({ name: t.name!, line: t.line, proto });
    }
  }

  /** Compiles one test function (see {@link CompiledTest}) below the top level. */
  testFunction(t: A.TestStmt, setup: A.TestStmt | null, teardown: A.TestStmt | null): FuncProto {
    const outer = this.fn;
    const saveDeferred = this.deferred;
    this.deferred = null;
    const st = new FnState(outer, "function", t.name, this.prog.file);
    st.proto.isTopLevel = true; // `?` raises, as in a spawn body
    st.proto.simple = false;
    st.locals.push({ name: "", depth: 0, captured: false, isConst: false, hybrid: null });
    this.fn = st;
    this.at(t);
    this.beginScope();
    this.emit(Op.NULL);
    const result = this.addLocal("$result");
    // Setup: its locals stay for the body and the teardown; an error ends the test.
    this.testPhase(setup, false, () => {
      this.emit(Op.INT, 0);
      this.emit(Op.SWAP);
      this.emit(Op.ARRAY, 2);
      this.emit(Op.RETURN);
    });
    // Body: an error is kept as the result, and the teardown still runs.
    this.testPhase(t, true, () => {
      this.emit(Op.INT, 1);
      this.emit(Op.SWAP);
      this.emit(Op.ARRAY, 2);
      this.emit(Op.SET_LOCAL, result);
    });
    // Teardown: its error counts only when the body passed.
    this.testPhase(teardown, true, () => {
      this.emit(Op.GET_LOCAL, result);
      const jBodyFailed = this.jump(Op.JUMP_IF_NOT_NULL);
      this.emit(Op.INT, 2);
      this.emit(Op.SWAP);
      this.emit(Op.ARRAY, 2);
      this.patch(jBodyFailed);
      this.emit(Op.RETURN);
    });
    this.at(t);
    this.emit(Op.GET_LOCAL, result);
    this.emit(Op.RETURN);
    this.emitStubs();
    this.fn = outer;
    this.deferred = saveDeferred;
    if (st.proto.captures.length) throw new CompileError("test function captures a variable");
    return st.proto;
  }

  /**
   * Compiles the statements of one phase under an error handler. `onError` starts with the
   * error on top of the stack, at the phase's starting height, and either returns or leaves that
   * height to continue after the phase. A `scoped` phase drops its locals at its end.
   */
  testPhase(block: A.TestStmt | null, scoped: boolean, onError: () => void) {
    if (!block || block.body.length === 0) return;
    const f = this.fn;
    const base = f.locals.length;
    if (scoped) this.beginScope();
    const phase: PhaseCtx = { base, depth: f.scopeDepth, exits: [] };
    f.phase = phase;
    const start = this.here();
    this.block(block.body, false);
    const end = this.here();
    f.phase = null;
    const own = f.locals.length - base;
    const jDone = this.jump(Op.JUMP);
    // `return` leaves `kept` of the phase's locals: fill the others so the layout matches.
    for (const x of phase.exits) {
      this.patch(x.at);
      for (let i = x.kept; i < own; i++) this.emit(Op.NULL);
      x.at = this.jump(Op.JUMP);
    }
    const target = this.here();
    onError();
    const jAfter = this.jump(Op.JUMP);
    this.patch(jDone);
    for (const x of phase.exits) this.patch(x.at);
    if (scoped) this.endScope();
    this.patch(jAfter);
    f.proto.handlers.push({ start, end, target, depth: base });
  }

  /** `return` inside a test phase: drops the nested locals and jumps to the phase's end. */
  phaseReturn(s: A.ReturnStmt, phase: PhaseCtx) {
    if (s.value) {
      this.expr(s.value);
      this.emit(Op.POP);
    }
    this.at(s);
    const locals = this.fn.locals;
    let keep = phase.base;
    while (keep < locals.length && locals[keep].depth <= phase.depth) keep++;
    this.popLocals(keep, locals.length - keep, this.capturedFrom(keep));
    phase.exits.push({ at: this.jump(Op.JUMP), kept: keep - phase.base });
  }

  // ───────────── emission helpers ─────────────

  emitStubs() {
    const stubs = this.fn.stubs;
    this.fn.stubs = [];
    for (const s of stubs) s();
  }

  at(n: A.Pos) {
    this.line = n.line;
    this.col = n.col;
  }

  emit(op: number, ...operands: number[]): number {
    const p = this.fn.proto;
    const at = p.code.length;
    p.code.push(op, ...operands);
    p.lines.push(this.line);
    p.cols.push(this.col);
    for (let i = 0; i < operands.length; i++) {
      p.lines.push(this.line);
      p.cols.push(this.col);
    }
    return at;
  }

  here(): number {
    return this.fn.proto.code.length;
  }

  /** Emits a jump with a placeholder target; returns the operand index to patch. */
  jump(op: number): number {
    return this.emit(op, -1) + 1;
  }

  /**
   * The back-edge of `loop` (already popped from the loop stack) to `top`, numbered for the
   * JIT's per-loop counters; records which loop encloses which.
   */
  emitLoop(top: number, loop: LoopCtx) {
    const proto = this.fn.proto;
    const n = proto.loopHits.length;
    this.emit(Op.LOOP, top, n);
    proto.loopHits = new Int32Array(n + 1);
    const parents = new Int32Array(n + 1);
    parents.set(proto.loopParent);
    parents[n] = -1;
    for (const i of loop.inner) parents[i] = n;
    proto.loopParent = parents;
    this.fn.loops.at(-1)?.inner.push(n);
  }

  patch(at: number, target = this.here()) {
    this.fn.proto.code[at] = target;
  }

  konst(v: unknown): number {
    const c = this.fn.constCache;
    const key = typeof v === "string"
      ? "s:" + v
      : typeof v === "number" || typeof v === "bigint"
      ? "n:" + String(v)
      : undefined;
    if (key !== undefined && c.has(key)) return c.get(key)!;
    const i = this.fn.proto.consts.length;
    this.fn.proto.consts.push(v);
    if (key !== undefined) c.set(key, i);
    return i;
  }

  raise(message: string) {
    this.emit(Op.RAISE, this.konst(message));
  }

  // ───────────── scopes and names ─────────────

  beginScope() {
    this.fn.scopeDepth++;
  }

  endScope() {
    const f = this.fn;
    f.scopeDepth--;
    let n = 0;
    let firstCaptured = -1;
    while (f.locals.length > 0 && f.locals[f.locals.length - 1].depth > f.scopeDepth) {
      const l = f.locals.pop()!;
      if (l.captured) firstCaptured = f.locals.length;
      n++;
    }
    this.popLocals(f.locals.length, n, firstCaptured >= 0);
  }

  /** Emits the code dropping `n` locals that start at slot `from`. */
  popLocals(from: number, n: number, captured: boolean) {
    if (n === 0) return;
    if (captured) this.emit(Op.CLOSE_UPVALS, from);
    if (n === 1) this.emit(Op.POP);
    else this.emit(Op.POPN, n);
  }

  /** True if any local at slot >= from is captured. */
  capturedFrom(from: number): boolean {
    for (let i = from; i < this.fn.locals.length; i++) if (this.fn.locals[i].captured) return true;
    return false;
  }

  addLocal(name: string, isConst = false, hybrid: number | null = null): number {
    const f = this.fn;
    f.locals.push({ name, depth: f.scopeDepth, captured: false, isConst, hybrid });
    return f.locals.length - 1;
  }

  isGlobalScope(): boolean {
    return this.fn.kind === "top" && this.fn.scopeDepth === 0;
  }

  resolveLocal(f: FnState, name: string): number {
    for (let i = f.locals.length - 1; i >= 0; i--) if (f.locals[i].name === name) return i;
    return -1;
  }

  resolveUpval(f: FnState, name: string): number {
    if (!f.parent) return -1;
    const local = this.resolveLocal(f.parent, name);
    if (local >= 0) {
      const l = f.parent.locals[local];
      if (l.hybrid !== null) return -1;
      l.captured = true;
      return this.addUpval(f, name, true, local, l.isConst);
    }
    const up = this.resolveUpval(f.parent, name);
    if (up >= 0) return this.addUpval(f, name, false, up, f.parent.upvals[up].isConst);
    return -1;
  }

  addUpval(f: FnState, name: string, isLocal: boolean, index: number, isConst: boolean): number {
    for (let i = 0; i < f.upvals.length; i++) {
      const u = f.upvals[i];
      if (u.isLocal === isLocal && u.index === index) return i;
    }
    f.upvals.push({ name, isLocal, index, isConst });
    f.proto.captures.push({ isLocal, index });
    return f.upvals.length - 1;
  }

  resolve(name: string): Resolved {
    const l = this.resolveLocal(this.fn, name);
    if (l >= 0) {
      const loc = this.fn.locals[l];
      return { k: "local", slot: l, isConst: loc.isConst, hybrid: loc.hybrid };
    }
    const u = this.resolveUpval(this.fn, name);
    if (u >= 0) return { k: "upval", idx: u, isConst: this.fn.upvals[u].isConst };
    return { k: "global", g: this.opts.globals.slot(name) };
  }

  loadName(name: string) {
    const r = this.resolve(name);
    if (r.k === "local") {
      if (r.hybrid !== null) this.emit(Op.GET_NAME, r.slot, r.hybrid);
      else this.emit(Op.GET_LOCAL, r.slot);
    } else if (r.k === "upval") this.emit(Op.GET_UPVAL, r.idx);
    else this.emit(Op.GET_GLOBAL, r.g);
  }

  /** Stores the top value into an existing binding `r` (pops it). */
  storeResolved(r: Resolved, name: string) {
    if (r.k === "local") {
      if (r.isConst) this.raise(`Cannot reassign const binding: ${name}`);
      else if (r.hybrid !== null) this.emit(Op.SET_NAME, r.slot, r.hybrid);
      else this.emit(Op.SET_LOCAL, r.slot);
    } else if (r.k === "upval") {
      if (r.isConst) this.raise(`Cannot reassign const binding: ${name}`);
      else this.emit(Op.SET_UPVAL, r.idx);
    } else this.emit(Op.SET_GLOBAL, r.g);
  }

  /** Pushes the container at a place root, made unique for in-place mutation. */
  loadMutRoot(e: A.Expr) {
    this.at(e);
    if (e.kind === "Self") {
      if (this.fn.kind === "method") this.fn.proto.mutatesSelf = true;
      this.loadMutName("self");
      return;
    }
    if (e.kind === "Ident") {
      this.loadMutName(e.name);
      return;
    }
    if (e.kind === "Index" || e.kind === "Member") {
      this.placeStep(e, Op.INDEX_MUT, Op.FIELD_MUT);
      return;
    }
    throw new CompileError("Invalid assignment target");
  }

  /**
   * Emits the unique container of an index/member place, then `indexOp` (after the index) or
   * `fieldOp` (with the member name).
   */
  placeStep(e: A.Index | A.Member, indexOp: number, fieldOp: number, held = false) {
    this.loadMutRoot(e.object);
    if (e.kind === "Index") {
      this.expr(e.index);
      // A held value to store (see `assign`) sits below the container and the index.
      if (held) this.emit(Op.UNPIN, 2);
      this.at(e);
      this.emit(indexOp);
    } else {
      if (held) this.emit(Op.UNPIN, 1);
      this.at(e);
      this.emit(fieldOp, this.konst(e.name));
    }
  }

  loadMutName(name: string) {
    const r = this.resolve(name);
    if (r.k === "local") {
      if (r.isConst) this.raise(`Cannot mutate const binding: ${name}`);
      else if (r.hybrid !== null) this.emit(Op.GET_NAME_MUT, r.slot, r.hybrid);
      else this.emit(Op.GET_LOCAL_MUT, r.slot);
    } else if (r.k === "upval") {
      if (r.isConst) this.raise(`Cannot mutate const binding: ${name}`);
      else this.emit(Op.GET_UPVAL_MUT, r.idx);
    } else this.emit(Op.GET_GLOBAL_MUT, r.g);
  }

  isPlace(e: A.Expr): boolean {
    if (e.kind === "Ident" || e.kind === "Self") return true;
    if (e.kind === "Index" || e.kind === "Member") {
      return !(e.kind === "Member" && e.optional) &&
        this.isPlace(e.object);
    }
    return false;
  }

  /**
   * Stores the top value into place `e` (an Ident, Self, Index or Member chain); pops it. `held`:
   * the value was PINned, and is released once the place's own operands have run.
   */
  storePlace(e: A.Expr, mutation: boolean, held = false) {
    if (e.kind === "Ident" || e.kind === "Self") {
      const name = e.kind === "Self" ? "self" : e.name;
      if (e.kind === "Self" && this.fn.kind === "method") this.fn.proto.mutatesSelf = true;
      const r = this.resolve(name);
      if (mutation && r.k !== "global" && r.isConst) {
        this.raise(`Cannot mutate const binding: ${name}`);
        return;
      }
      this.storeResolved(r, name);
      return;
    }
    if (e.kind === "Index" || e.kind === "Member") {
      this.placeStep(e, Op.SET_INDEX_R, Op.SET_FIELD_R, held);
      return;
    }
    throw new CompileError("Invalid assignment target");
  }

  /**
   * `place := value` for an index or field place: the value is evaluated first (LANGUAGE.md
   * §5.9) and waits while the place's operands are evaluated, held (PIN) when those may run
   * Ruff code, as the operands of `operands` are.
   */
  storeValue(t: A.Index | A.Member, value: A.Expr) {
    this.expr(value);
    const held = !scalarLiteral(value) && mayRunCode(t);
    if (held) this.emit(Op.PIN);
    this.storePlace(t, true, held);
  }

  // ───────────── blocks and statements ─────────────

  /** Compiles statements with hoisting (LANGUAGE.md §6.5); opens a scope when `scoped`. */
  block(stmts: A.Stmt[], scoped = true) {
    if (scoped) this.beginScope();
    const hoisted = stmts.filter((s) =>
      s.kind === "FuncDecl" || s.kind === "StructDecl" || s.kind === "EnumDecl"
    ) as (A.FuncDecl | A.StructDecl | A.EnumDecl)[];
    if (hoisted.length) {
      // Reserve every name first so that the declarations can refer to each other.
      const targets: Resolved[] = [];
      for (const d of hoisted) {
        const name = d.kind === "FuncDecl" ? d.fn.name! : d.name;
        if (this.isGlobalScope()) {
          targets.push({ k: "global", g: this.opts.globals.slot(name) });
          this.boundGlobals.add(name);
        } else {
          this.at(d);
          this.emit(Op.NULL);
          targets.push({ k: "local", slot: this.addLocal(name), isConst: false, hybrid: null });
        }
      }
      const saved = this.deferred;
      this.deferred = [];
      hoisted.forEach((d, i) => {
        this.at(d);
        this.declaration(d);
        const t = targets[i];
        if (t.k === "global") {
          this.emit(Op.DEF_GLOBAL, t.g);
          if (d.exported) {
            this.emit(Op.EXPORT, this.konst([d.kind === "FuncDecl" ? d.fn.name! : d.name]));
          }
        } else this.emit(Op.SET_LOCAL, (t as { slot: number }).slot);
      });
      // Bodies of hoisted declarations are compiled after the block, so that they capture
      // the block's variables declared after them (their closures are created first).
      const bodies = this.deferred;
      this.deferred = saved;
      for (const s of stmts) {
        if (s.kind === "FuncDecl" || s.kind === "StructDecl" || s.kind === "EnumDecl") continue;
        this.stmt(s);
      }
      for (const b of bodies) b();
      if (scoped) this.endScope();
      return;
    }
    for (const s of stmts) {
      if (s.kind === "FuncDecl" || s.kind === "StructDecl" || s.kind === "EnumDecl") continue;
      this.stmt(s);
    }
    if (scoped) this.endScope();
  }

  /** Bodies of hoisted functions of the current block, compiled at its end. */
  deferred: (() => void)[] | null = null;

  /** Pushes the value a func/struct/enum declaration binds. */
  declaration(d: A.FuncDecl | A.StructDecl | A.EnumDecl) {
    if (d.kind === "FuncDecl") {
      this.function(d.fn, d.fn.name, "function", null);
      return;
    }
    if (d.kind === "EnumDecl") {
      this.emit(Op.ENUM_DEF, this.konst([d.name, ...d.variants]));
      return;
    }
    for (const m of d.methods) this.function(m, m.name, "method", d);
    this.at(d);
    this.emit(
      Op.STRUCT_DEF,
      this.konst([d.name, d.fields, d.methods.map((m) => m.name!)]),
      d.methods.length,
    );
  }

  stmt(s: A.Stmt) {
    this.at(s);
    if (this.isGlobalScope()) {
      this.topStmt(s);
      return;
    }
    this.stmtInner(s);
  }

  /** Compiles a top-level statement and records the globals it binds. */
  topStmt(s: A.Stmt) {
    this.stmtInner(s);
    const names = s.kind === "Let" || s.kind === "Destructure"
      ? this.patternNames(s.pattern)
      : s.kind === "Assign" && s.target.kind === "Ident"
      ? [s.target.name]
      : s.kind === "Import" && s.names
      ? s.names
      : [];
    for (const n of names) this.boundGlobals.add(n);
  }

  /** Globals certainly bound once the top-level code reaches the current point. */
  boundGlobals = new Set<string>();

  stmtInner(s: A.Stmt) {
    switch (s.kind) {
      case "ExprStmt":
        this.exprStmt(s.expr);
        return;
      case "Let":
        this.letStmt(s);
        return;
      case "Assign":
        this.assign(s);
        return;
      case "Destructure":
        this.destructureStmt(s.pattern, s.value, false);
        return;
      case "If":
        this.ifStmt(s);
        return;
      case "While":
        this.whileStmt(s);
        return;
      case "For":
        this.forStmt(s);
        return;
      case "Match":
        this.matchStmt(s);
        return;
      case "Try":
        this.tryStmt(s);
        return;
      case "Return":
        if (this.fn.phase) {
          this.phaseReturn(s, this.fn.phase);
          return;
        }
        if (s.value) this.expr(s.value);
        else this.emit(Op.NULL);
        this.at(s);
        this.emit(Op.RETURN);
        return;
      case "Break":
      case "Continue": {
        const loop = this.fn.loops[this.fn.loops.length - 1];
        if (!loop) throw new CompileError(`${s.kind.toLowerCase()} outside loop`);
        const keep = s.kind === "Break" ? loop.breakLocals : loop.bodyLocals;
        const n = this.fn.locals.length - keep;
        this.popLocals(keep, n, this.capturedFrom(keep));
        const j = this.jump(Op.JUMP);
        (s.kind === "Break" ? loop.breaks : loop.continues).push(j);
        return;
      }
      case "Import":
        this.importStmt(s);
        return;
      case "Spawn": {
        const proto = this.function(
          {
            name: null,
            params: [],
            body: s.body,
            isAsync: false,
            isGenerator: false,
            line: s.line,
            col: s.col,
          },
          null,
          "spawn",
          null,
          true,
        );
        this.at(s);
        this.emit(Op.SPAWN, this.konst(proto));
        return;
      }
      case "Test":
        return; // test blocks are skipped under `run` (LANGUAGE.md §16)
      case "FuncDecl":
      case "StructDecl":
      case "EnumDecl":
        // Only reached for declarations compiled outside `block` (never): keep for safety.
        this.declaration(s);
        this.emit(Op.POP);
        return;
    }
  }

  exprStmt(e: A.Expr) {
    this.expr(e);
    this.emit(Op.POP);
  }

  /** Wraps the evaluation of a value in the error-binding handler of LANGUAGE.md §6.8. */
  withErrorBinding(evaluate: () => void, store: () => void) {
    const start = this.here();
    const depth = this.fn.locals.length;
    evaluate();
    const end = this.here();
    store();
    // The handler stub (bind the error, raise it again) is emitted after the function's code,
    // so the normal path pays nothing for it.
    const handler = { start, end, target: -1, depth };
    this.fn.proto.handlers.push(handler);
    const line = this.line, col = this.col;
    this.fn.stubs.push(() => {
      this.line = line;
      this.col = col;
      handler.target = this.here();
      this.emit(Op.DUP);
      store();
      // Raise again as if from the store instruction: inside any enclosing `try`, outside
      // this handler's own range.
      this.emit(Op.RERAISE_AT, end);
    });
  }

  letStmt(s: A.LetStmt) {
    const isConst = s.keyword === "const";
    if (s.pattern.kind === "PName") {
      const name = s.pattern.name;
      this.nameFunction(s.value, name);
      if (this.isGlobalScope()) {
        const g = this.opts.globals.slot(name);
        this.withErrorBinding(() => this.expr(s.value), () => {
          this.at(s);
          this.emit(isConst ? Op.DEF_CONST : Op.DEF_GLOBAL, g);
        });
        if (s.exported) this.emit(Op.EXPORT, this.konst([name]));
        return;
      }
      const existing = this.resolveLocal(this.fn, name);
      if (existing >= 0) {
        const l = this.fn.locals[existing];
        if (l.depth === this.fn.scopeDepth && l.isConst) {
          this.raise(`Cannot redeclare const binding: ${name}`);
          return;
        }
      }
      this.emit(Op.NULL);
      const slot = this.fn.locals.length;
      this.expr(s.value);
      this.addLocal(name, isConst);
      this.at(s);
      this.emit(Op.SET_LOCAL, slot);
      return;
    }
    this.destructureStmt(s.pattern, s.value, true);
    if (s.exported && this.isGlobalScope()) {
      this.emit(Op.EXPORT, this.konst(this.patternNames(s.pattern)));
    }
  }

  /** Gives a function expression the name of the single-name target it is assigned to. */
  nameFunction(value: A.Expr, name: string) {
    if (value.kind === "Func" && value.fn.name === null) value.fn.name = name;
  }

  assign(s: A.AssignStmt) {
    const t = s.target;
    if (t.kind === "Ident") {
      const name = t.name;
      if (s.op === ":=") this.nameFunction(s.value, name);
      const r = this.resolve(name);
      const value = () => {
        if (s.op !== ":=") {
          // `x op= e` is `x := x op (e)`: the expression form picks the specialised ops.
          const op = s.op[0] as A.BinaryOp;
          this.expr({ kind: "Binary", op, left: t, right: s.value, line: s.line, col: s.col });
        } else this.expr(s.value);
      };
      // `x op= e` needs `x` bound already, so an unresolved name can only be the global.
      // In top-level blocks a global bound by an earlier top-level statement is known to exist.
      const known = this.fn.kind === "top" && this.boundGlobals.has(name);
      if (r.k === "global" && !this.isGlobalScope() && s.op === ":=" && !known) {
        // Updates a global bound at run time, else becomes a local here (LANGUAGE.md §6.3).
        const hybrid = this.possibleGlobals.has(name) || this.wildcard ? r.g : null;
        this.emit(Op.NULL);
        const slot = this.fn.locals.length;
        if (hybrid !== null) {
          this.withErrorBinding(value, () => {
            this.at(s);
            this.emit(Op.SET_NAME, slot, hybrid);
          });
        } else {
          value();
          this.at(s);
          this.emit(Op.SET_LOCAL, slot);
        }
        this.addLocal(name, false, hybrid);
        return;
      }
      this.withErrorBinding(value, () => {
        this.at(s);
        this.storeResolved(r, name);
      });
      if (s.exported && this.isGlobalScope()) this.emit(Op.EXPORT, this.konst([name]));
      return;
    }
    if (t.kind === "Self") {
      const r = this.resolve("self");
      if (this.fn.kind === "method") this.fn.proto.mutatesSelf = true;
      if (s.op !== ":=") {
        this.loadName("self");
        this.expr(s.value);
        this.at(s);
        this.binaryOp(s.op[0] as A.BinaryOp);
      } else this.expr(s.value);
      this.storeResolved(r, "self");
      return;
    }
    if (t.kind === "Index") {
      if (s.op === ":=") {
        this.storeValue(t, s.value);
      } else {
        this.loadMutRoot(t.object);
        this.expr(t.index);
        this.emit(Op.DUP2);
        this.at(t);
        this.emit(Op.GET_INDEX);
        this.expr(s.value);
        this.at(s);
        this.binaryOp(s.op[0] as A.BinaryOp);
        this.at(t);
        this.emit(Op.SET_INDEX);
      }
      return;
    }
    if (t.kind === "Member") {
      const k = this.konst(t.name);
      if (s.op === ":=") {
        this.storeValue(t, s.value);
      } else {
        this.loadMutRoot(t.object);
        this.emit(Op.DUP);
        this.at(t);
        this.emit(Op.GET_FIELD, k);
        this.expr(s.value);
        this.at(s);
        this.binaryOp(s.op[0] as A.BinaryOp);
        this.at(t);
        this.emit(Op.SET_FIELD, k);
      }
      return;
    }
    throw new CompileError("Invalid assignment target");
  }

  /**
   * Destructuring `let` (declare) or assignment (LANGUAGE.md §6.7). In a local scope the slots
   * of new names are reserved before the value is evaluated, then filled from the unpacked values.
   */
  destructureStmt(p: A.Pattern, value: A.Expr, declare: boolean) {
    if (this.isGlobalScope()) {
      this.expr(value);
      this.storePattern(p, (name) => {
        this.emit(declare ? Op.DEF_GLOBAL : Op.SET_GLOBAL, this.opts.globals.slot(name));
      });
      return;
    }
    const targets = new Map<string, Resolved>();
    for (const name of this.patternNames(p)) {
      const r = declare ? null : this.resolve(name);
      if (r && r.k !== "global") {
        targets.set(name, r);
        continue;
      }
      const hybrid = r && (this.possibleGlobals.has(name) || this.wildcard) ? r.g : null;
      this.emit(Op.NULL);
      const slot = this.addLocal(name, false, hybrid);
      targets.set(name, { k: "local", slot, isConst: false, hybrid });
    }
    this.expr(value);
    this.storePattern(p, (name) => this.storeResolved(targets.get(name)!, name));
  }

  /** Pops the value on top into pattern `p`, storing each bound name with `store`. */
  storePattern(p: A.Pattern, store: (name: string) => void) {
    this.at(p);
    switch (p.kind) {
      case "PIgnore":
        this.emit(Op.POP);
        return;
      case "PName":
        store(p.name);
        return;
      case "PArray":
        // Values are pushed first-to-last: bind from the top down.
        this.emit(Op.UNPACK_ARRAY, p.items.length, p.rest ? 1 : 0);
        if (p.rest) store(p.rest);
        for (let i = p.items.length - 1; i >= 0; i--) this.storePattern(p.items[i], store);
        return;
      case "PDict":
        this.emit(Op.UNPACK_DICT, this.konst(p.names), p.rest ? 1 : 0);
        if (p.rest) store(p.rest);
        for (let i = p.names.length - 1; i >= 0; i--) store(p.names[i]);
        return;
    }
  }

  /** Compiles a condition and a jump taken when it is falsy; returns the operand to patch. */
  condJump(cond: A.Expr): number {
    if (cond.kind === "Binary" && cond.op === "<") {
      const slot = this.plainLocal(cond.left);
      if (slot >= 0 && cond.right.kind === "Int" && typeof cond.right.value === "number") {
        this.at(cond);
        return this.emit(Op.JUMP_IF_NOT_LT_LK, slot, this.konst(cond.right.value), -1) + 3;
      }
      const slot2 = this.plainLocal(cond.right);
      if (slot >= 0 && slot2 >= 0) {
        this.at(cond);
        return this.emit(Op.JUMP_IF_NOT_LT_LL, slot, slot2, -1) + 3;
      }
    }
    this.expr(cond);
    return this.jump(Op.JUMP_IF_FALSE);
  }

  ifStmt(s: A.IfStmt) {
    const jElse = this.condJump(s.cond);
    this.block(s.then);
    if (s.else) {
      const jEnd = this.jump(Op.JUMP);
      this.patch(jElse);
      this.block(s.else);
      this.patch(jEnd);
    } else this.patch(jElse);
  }

  whileStmt(s: A.WhileStmt) {
    const top = this.here();
    let jEnd = -1;
    if (s.cond) jEnd = this.condJump(s.cond);
    const loop: LoopCtx = {
      breaks: [],
      continues: [],
      bodyLocals: this.fn.locals.length,
      breakLocals: this.fn.locals.length,
      inner: [],
    };
    this.fn.loops.push(loop);
    this.block(s.body);
    this.fn.loops.pop();
    for (const c of loop.continues) this.patch(c, top);
    this.at(s);
    this.emitLoop(top, loop);
    if (jEnd >= 0) this.patch(jEnd);
    for (const b of loop.breaks) this.patch(b);
  }

  forStmt(s: A.ForStmt) {
    this.beginScope();
    this.expr(s.iterable);
    this.at(s);
    this.emit(Op.ITER_INIT);
    this.addLocal("$iter");
    const top = this.here();
    const jEnd = this.jump(Op.ITER_NEXT);
    const loop: LoopCtx = {
      breaks: [],
      continues: [],
      bodyLocals: this.fn.locals.length,
      breakLocals: this.fn.locals.length,
      inner: [],
    };
    this.fn.loops.push(loop);
    this.beginScope();
    if (s.target.kind === "PName") this.addLocal(s.target.name);
    else if (s.target.kind === "PIgnore") this.addLocal("$_");
    else {
      const item = this.addLocal("$item");
      const slots = new Map<string, number>();
      for (const n of this.patternNames(s.target)) {
        this.emit(Op.NULL);
        slots.set(n, this.addLocal(n));
      }
      this.emit(Op.GET_LOCAL, item);
      this.storePattern(s.target, (n) => this.emit(Op.SET_LOCAL, slots.get(n)!));
    }
    this.block(s.body);
    this.endScope();
    this.fn.loops.pop();
    for (const c of loop.continues) this.patch(c, top);
    this.at(s);
    this.emitLoop(top, loop);
    this.patch(jEnd);
    for (const b of loop.breaks) this.patch(b);
    this.endScope();
  }

  matchStmt(s: A.MatchStmt) {
    this.beginScope();
    this.expr(s.subject);
    this.addLocal("$subject");
    const ends: number[] = [];
    let dflt: A.MatchArm | null = null;
    for (const arm of s.arms) {
      if (!arm.pattern) {
        dflt = arm;
        continue;
      }
      this.at(arm);
      const { desc, binds } = this.matchDesc(arm.pattern);
      const pat = arm.pattern;
      if (pat.kind === "CEnum" && pat.enumName !== "Result" && pat.enumName !== "Option") {
        // §21.10: the enum must be declared where the pattern is.
        this.loadQuiet(pat.enumName);
        this.emit(Op.CHECK_ENUM, this.konst(pat.enumName));
      }
      const jNext = this.emit(Op.MATCH, this.konst(desc), -1) + 2;
      this.beginScope();
      for (const b of binds) this.addLocal(b ?? "$_");
      this.block(arm.body);
      this.endScope();
      ends.push(this.jump(Op.JUMP));
      this.patch(jNext);
    }
    if (dflt) this.block(dflt.body);
    for (const e of ends) this.patch(e);
    this.endScope();
  }

  matchDesc(p: A.CasePattern): { desc: MatchDesc; binds: (string | null)[] } {
    switch (p.kind) {
      case "CWild":
        return { desc: { t: "wild" }, binds: [] };
      case "CLit": {
        const v = p.value;
        const lit: Value = v.kind === "Int"
          ? v.value
          : v.kind === "Float"
          ? mkFloat(v.value)
          : v.kind === "Str"
          ? v.value
          : v.kind === "Bool"
          ? v.value
          : null;
        return { desc: { t: "lit", v: lit }, binds: [] };
      }
      case "CLabel":
        return { desc: { t: "label", name: p.name }, binds: [] };
      case "CWrap": {
        const bind = p.bind !== null;
        return {
          desc: { t: "wrap", tag: p.tag, bind },
          binds: bind ? [p.bind === "_" ? null : p.bind] : [],
        };
      }
      case "CEnum":
        return {
          desc: { t: "enum", e: p.enumName, v: p.variant, n: p.binds ? p.binds.length : null },
          binds: (p.binds ?? []).map((b) => (b === "_" ? null : b)),
        };
    }
  }

  tryStmt(s: A.TryStmt) {
    const start = this.here();
    const depth = this.fn.locals.length;
    this.block(s.body);
    const end = this.here();
    const jEnd = this.jump(Op.JUMP);
    const target = this.here();
    this.beginScope();
    this.addLocal(s.errName ?? "$err");
    this.block(s.handler);
    this.endScope();
    this.patch(jEnd);
    this.fn.proto.handlers.push({ start, end, target, depth });
  }

  importStmt(s: A.ImportStmt) {
    const path = s.path.join(".");
    if (!s.names) {
      this.emit(Op.IMPORT, this.konst([path]), 0);
      return;
    }
    if (this.isGlobalScope()) {
      this.emit(Op.IMPORT, this.konst([path, ...s.names]), s.names.length);
      for (let i = s.names.length - 1; i >= 0; i--) {
        this.emit(Op.DEF_GLOBAL, this.opts.globals.slot(s.names[i]));
      }
      return;
    }
    const slots = s.names.map((n) => {
      this.emit(Op.NULL);
      return this.addLocal(n);
    });
    this.emit(Op.IMPORT, this.konst([path, ...s.names]), s.names.length);
    for (let i = slots.length - 1; i >= 0; i--) this.emit(Op.SET_LOCAL, slots[i]);
  }

  // ───────────── functions ─────────────

  /** Compiles a function body and emits the CLOSURE creating it; returns its prototype. */
  function(
    fn: A.FuncBody,
    name: string | null,
    kind: FnKind,
    owner: A.StructDecl | null,
    noClosure = false,
  ): FuncProto {
    const outer = this.fn;
    const st = new FnState(outer, kind, name, this.prog.file);
    const p = st.proto;
    if (this.deferred && !noClosure) {
      const list = this.deferred;
      this.emit(Op.CLOSURE, this.konst(p));
      list.push(() => this.functionBody(st, fn, kind, owner));
      return p;
    }
    this.functionBody(st, fn, kind, owner);
    if (!noClosure) this.emit(Op.CLOSURE, this.konst(p));
    return p;
  }

  functionBody(st: FnState, fn: A.FuncBody, kind: FnKind, owner: A.StructDecl | null) {
    const outer = this.fn;
    const p = st.proto;
    const saveDeferred = this.deferred;
    this.deferred = null;
    p.isAsync = fn.isAsync;
    p.isGenerator = fn.isGenerator;
    p.isTopLevel = kind === "spawn";
    p.simple = !fn.isAsync && !fn.isGenerator && kind === "function";
    let params = fn.params;
    if (kind === "method") {
      p.isMethod = true;
      if (params.length > 0 && params[0].name === "self") {
        p.hasSelf = true;
        params = params.slice(1);
        st.locals.push({ name: "self", depth: 0, captured: false, isConst: false, hybrid: null });
      } else {st.locals.push({
          name: "$recv",
          depth: 0,
          captured: false,
          isConst: false,
          hybrid: null,
        });}
    } else st.locals.push({ name: "", depth: 0, captured: false, isConst: false, hybrid: null });
    p.arity = params.length;
    for (const prm of params) {
      st.locals.push({ name: prm.name, depth: 0, captured: false, isConst: false, hybrid: null });
    }
    this.fn = st;
    const saveLine = this.line, saveCol = this.col;
    this.at(fn);
    if (kind === "method" && !p.hasSelf && owner) {
      // Self-less method: fields and sibling methods as locals (LANGUAGE.md §9.4).
      const paramNames = new Set(params.map((x) => x.name));
      for (const f of owner.fields) {
        if (paramNames.has(f)) continue;
        this.emit(Op.GET_LOCAL, 0);
        this.emit(Op.GET_FIELD_OPT, this.konst(f));
        this.addLocal(f);
      }
      for (const m of owner.methods) {
        if (paramNames.has(m.name!) || owner.fields.includes(m.name!)) continue;
        this.emit(Op.GET_LOCAL, 0);
        this.emit(Op.GET_FIELD, this.konst(m.name!));
        this.addLocal(m.name!);
      }
    }
    this.block(fn.body, false);
    this.emit(Op.NULL);
    this.emit(Op.RETURN);
    this.emitStubs();
    this.fn = outer;
    this.line = saveLine;
    this.col = saveCol;
    this.deferred = saveDeferred;
  }

  // ───────────── expressions ─────────────

  binaryOp(op: A.BinaryOp) {
    switch (op) {
      case "+":
        this.emit(Op.ADD);
        break;
      case "-":
        this.emit(Op.SUB);
        break;
      case "*":
        this.emit(Op.MUL);
        break;
      case "/":
        this.emit(Op.DIV);
        break;
      case "%":
        this.emit(Op.MOD);
        break;
      case "==":
        this.emit(Op.EQ);
        break;
      case "!=":
        this.emit(Op.NE);
        break;
      case "<":
        this.emit(Op.LT);
        break;
      case "<=":
        this.emit(Op.LE);
        break;
      case ">":
        this.emit(Op.GT);
        break;
      case ">=":
        this.emit(Op.GE);
        break;
    }
  }

  /** The local slot of a plain (non-hybrid) local `e`, or -1. */
  plainLocal(e: A.Expr): number {
    if (e.kind !== "Ident") return -1;
    const i = this.resolveLocal(this.fn, e.name);
    if (i < 0 || this.fn.locals[i].hybrid !== null) return -1;
    return i;
  }

  expr(e: A.Expr) {
    this.at(e);
    switch (e.kind) {
      case "Int":
        if (typeof e.value === "number" && Math.abs(e.value) < 0x40000000) {
          this.emit(Op.INT, e.value);
        } else this.emit(Op.CONST, this.konst(e.value));
        return;
      case "Float":
        this.emit(Op.CONST, this.konst(mkFloat(e.value)));
        return;
      case "Str":
        this.emit(Op.CONST, this.konst(e.value));
        return;
      case "Interp":
        this.operands(e.parts);
        this.at(e);
        this.emit(Op.INTERP, e.parts.length);
        return;
      case "Bool":
        this.emit(e.value ? Op.TRUE : Op.FALSE);
        return;
      case "Null":
        this.emit(Op.NULL);
        return;
      case "Ident":
        this.loadName(e.name);
        return;
      case "Self":
        this.loadName("self");
        return;
      case "Array": {
        if (!e.items.some((i) => i.spread)) {
          this.operands(e.items.map((it) => it.value));
          this.at(e);
          this.emit(Op.ARRAY, e.items.length);
          return;
        }
        this.emit(Op.ARRAY, 0);
        for (const it of e.items) {
          this.expr(it.value);
          this.at(it.value);
          this.emit(it.spread ? Op.ARRAY_EXTEND : Op.ARRAY_PUSH);
        }
        return;
      }
      case "Dict": {
        if (!e.entries.some((x) => x.spread)) {
          this.operands(e.entries.flatMap((en) => (en.spread ? [] : [en.key, en.value])));
          this.at(e);
          this.emit(Op.DICT, e.entries.length);
          return;
        }
        this.emit(Op.DICT, 0);
        for (const en of e.entries) {
          if (en.spread) {
            this.expr(en.value);
            this.at(en.value);
            this.emit(Op.DICT_SPREAD);
          } else {
            this.expr(en.key);
            this.expr(en.value);
            this.emit(Op.DICT_SET);
          }
        }
        return;
      }
      case "StructLit": {
        this.loadQuiet(e.name);
        this.operands(e.fields.map((f) => f.value));
        this.at(e);
        this.emit(Op.STRUCT, this.konst([e.name, ...e.fields.map((f) => f.name)]), e.fields.length);
        return;
      }
      case "EnumLit": {
        this.loadQuiet(e.enumName);
        this.operands(e.args ?? []);
        this.at(e);
        this.emit(Op.ENUM, this.konst([e.enumName, e.variant]), (e.args ?? []).length);
        return;
      }
      case "Wrap":
        if (e.tag === "None") {
          this.emit(Op.NONE);
          return;
        }
        this.expr(e.value!);
        this.at(e);
        this.emit(Op.WRAP, e.tag === "Ok" ? 0 : e.tag === "Err" ? 1 : 2);
        return;
      case "Throw":
        this.expr(e.value);
        this.at(e);
        this.emit(Op.THROW);
        this.emit(Op.NULL); // never reached; keeps the expression's stack effect
        return;
      case "Yield":
        if (e.value) this.expr(e.value);
        else this.emit(Op.NULL);
        this.at(e);
        this.emit(Op.YIELD);
        return;
      case "Unary":
        this.expr(e.operand);
        this.at(e);
        this.emit(e.op === "-" ? Op.NEG : e.op === "!" ? Op.NOT : Op.AWAIT);
        return;
      case "Binary": {
        const slot = this.plainLocal(e.left);
        if (
          slot >= 0 && e.right.kind === "Int" && typeof e.right.value === "number" &&
          (e.op === "+" || e.op === "-" || e.op === "<")
        ) {
          const k = this.konst(e.right.value);
          this.at(e);
          this.emit(e.op === "+" ? Op.ADD_LK : e.op === "-" ? Op.SUB_LK : Op.LT_LK, slot, k);
          return;
        }
        this.operands([e.left, e.right]);
        this.at(e);
        this.binaryOp(e.op);
        return;
      }
      case "Logical":
        this.logical(e);
        return;
      case "Call":
        this.expr(e.callee);
        this.operands(e.args);
        this.at(e);
        this.emit(Op.CALL, e.args.length);
        return;
      case "MethodCall":
        this.methodCall(e);
        return;
      case "Index":
        this.operands([e.object, e.index]);
        this.at(e);
        this.emit(Op.GET_INDEX);
        return;
      case "Member":
        this.expr(e.object);
        this.at(e);
        this.emit(e.optional ? Op.GET_FIELD_OPT : Op.GET_FIELD, this.konst(e.name));
        return;
      case "TryOp":
        this.expr(e.value);
        this.at(e);
        this.emit(Op.TRY_OP);
        return;
      case "Func":
        this.function(e.fn, e.fn.name, "function", null);
        return;
    }
  }

  /** Loads a name without raising when unbound (null instead): struct and enum names. */
  loadQuiet(name: string) {
    const r = this.resolve(name);
    if (r.k === "global") this.emit(Op.GET_GLOBAL_Q, r.g);
    else this.loadName(name);
  }

  /**
   * Compiles operands left to right, each leaving its value on the stack (a string is a
   * constant part of an interpolation). A value waits there while the later operands are
   * evaluated; when one of those may run Ruff code, the values before it count as held until it
   * has run (PIN, then UNPIN), so that code copies an array, dict or struct it changes through
   * another place instead of changing a value already evaluated (LANGUAGE.md §3.2, §5.9).
   */
  operands(items: readonly (A.Expr | string)[]) {
    let last = -1;
    for (let i = items.length - 1; i > 0 && last < 0; i--) {
      if (typeof items[i] !== "string" && mayRunCode(items[i])) last = i;
    }
    let held = false;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (typeof it === "string") this.emit(Op.CONST, this.konst(it));
      else this.expr(it);
      // A literal string or number is never a container: nothing to hold (and, when nothing
      // before the last such operand was held, nothing to release).
      if (i < last && typeof it !== "string" && !scalarLiteral(it)) {
        this.emit(Op.PIN);
        held = true;
      } else if (i === last && held) this.emit(Op.UNPIN, last);
    }
  }

  logical(e: A.Logical) {
    switch (e.op) {
      case "&&":
      case "||": {
        // Both return a Bool: the short-circuit value, else the truthiness of the right side.
        const and = e.op === "&&";
        this.expr(e.left);
        const jShort = this.jump(and ? Op.JUMP_IF_FALSE : Op.JUMP_IF_TRUE);
        this.expr(e.right);
        this.emit(Op.TO_BOOL);
        const jEnd = this.jump(Op.JUMP);
        this.patch(jShort);
        this.emit(and ? Op.FALSE : Op.TRUE);
        this.patch(jEnd);
        return;
      }
      case "??": {
        this.expr(e.left);
        const j = this.jump(Op.JUMP_IF_NOT_NULL);
        this.expr(e.right);
        this.patch(j);
        return;
      }
      case "|>":
        this.expr(e.left);
        this.expr(e.right);
        this.at(e);
        this.emit(Op.PIPE_CHECK);
        this.emit(Op.SWAP);
        this.emit(Op.CALL, 1);
        return;
    }
  }

  methodCall(e: A.MethodCall) {
    const k = this.konst(e.name);
    if (!this.isPlace(e.object)) {
      this.expr(e.object);
      for (const a of e.args) this.expr(a);
      this.at(e);
      this.emit(Op.INVOKE, k, e.args.length);
      return;
    }
    if (MUTATING_METHODS.has(e.name)) this.loadMutRoot(e.object);
    else this.expr(e.object);
    for (const a of e.args) this.expr(a);
    this.at(e);
    this.emit(Op.INVOKE_WB, k, e.args.length);
    const skip = this.jump(Op.WB_SKIP);
    this.storePlace(e.object, true);
    this.patch(skip);
  }
}

/** Expression kinds whose value is never a container (PIN has nothing to hold). */
const SCALAR_LITERALS: ReadonlySet<string> = new Set([
  "Int",
  "Float",
  "Str",
  "Bool",
  "Null",
  "Interp",
]);

/** Whether `e` is a literal that is never a struct (a negated number included). */
function scalarLiteral(e: A.Expr): boolean {
  return SCALAR_LITERALS.has(e.kind) ||
    (e.kind === "Unary" && e.op === "-" && SCALAR_LITERALS.has(e.operand.kind));
}

/**
 * Whether evaluating `node` may run Ruff code: it holds a call, a method call, a pipe, a
 * `yield` or `await` (which let other code run), or an operator whose left operand (the only
 * one of a unary operator) may be a struct with an operator method (LANGUAGE.md §9.6), outside
 * the bodies of function literals.
 */
function mayRunCode(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some(mayRunCode);
  // Operand lists nest (an operand's operands are asked again): each node is walked once.
  const known = RUNS_CODE.get(node);
  if (known !== undefined) return known;
  const k = (node as { kind?: unknown }).kind;
  let runs = false;
  if (k === "Func") runs = false;
  else if (k === "Call" || k === "MethodCall" || k === "Yield") runs = true;
  else if (k === "Logical" && (node as A.Logical).op === "|>") runs = true;
  else if (k === "Unary" && (node as A.Unary).op === "await") runs = true;
  else if (k === "Unary" && !scalarLiteral((node as A.Unary).operand)) runs = true;
  else if (k === "Binary" && !scalarLiteral((node as A.Binary).left)) runs = true;
  else for (const v of Object.values(node)) if (mayRunCode(v)) runs = true;
  RUNS_CODE.set(node, runs);
  return runs;
}

/** What {@link mayRunCode} found for each node walked. */
const RUNS_CODE = new WeakMap<object, boolean>();
