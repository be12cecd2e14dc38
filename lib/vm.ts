/**
 * The bytecode virtual machine. Ruff calls never recurse on the JavaScript stack: frames live
 * in a {@link Fiber}. Natives that call back into Ruff, generator resumptions and tasks started
 * at run points use a nested `execute` over the same or another fiber.
 *
 * @module
 */

import type { Jit } from "./jit/jit.ts";
import { LEFT, NOT_ENTERED } from "./jit/signals.ts";
import * as arith from "./arith.ts";
import type { FuncProto } from "./bytecode.ts";
import type { MatchDesc } from "./compiler.ts";
import { RuffError } from "./errors.ts";
import {
  DONE,
  Fiber,
  Frame,
  Globals,
  RChannel,
  RGenerator,
  RIterator,
  RPromise,
  Task,
} from "./handles.ts";
import { Op } from "./opcodes.ts";
import { arityMessage } from "./runtime/registry.ts";
import {
  type ArrayIter,
  arrayIter,
  arrayOf,
  BoundMethod,
  cloneCow,
  Closure,
  compareCodePoints,
  Cow,
  display,
  EnumDef,
  isCallable,
  type NativeContext,
  NativeFn,
  RArray,
  RBytes,
  RDict,
  REnum,
  RError,
  Resource,
  RFloat,
  ROption,
  RResult,
  RStruct,
  share,
  StructDef,
  truthy,
  typeName,
  unique,
  type Upvalue,
  type Value,
  valuesEqual,
} from "./values.ts";

// Opcodes used in expressions, as module constants (folded by the optimising compiler).
const {
  ADD: OP_ADD,
  ADD_LK: OP_ADD_LK,
  DEF_CONST: OP_DEF_CONST,
  DIV: OP_DIV,
  EQ: OP_EQ,
  GET_FIELD: OP_GET_FIELD,
  GET_NAME_MUT: OP_GET_NAME_MUT,
  GT: OP_GT,
  INVOKE_WB: OP_INVOKE_WB,
  LE: OP_LE,
  LT: OP_LT,
  LT_LK: OP_LT_LK,
  MOD: OP_MOD,
  MUL: OP_MUL,
  NEG: OP_NEG,
  RETURN: OP_RETURN,
  SET_FIELD: OP_SET_FIELD,
  SET_GLOBAL: OP_SET_GLOBAL,
  SET_INDEX: OP_SET_INDEX,
  SUB: OP_SUB,
  SUB_LK: OP_SUB_LK,
} = Op;

/** Operator-overloading method of each arithmetic opcode (LANGUAGE.md §9.6). */
const OPERATOR_METHODS: Record<number, string> = {
  [Op.ADD]: "op_add",
  [Op.SUB]: "op_sub",
  [Op.MUL]: "op_mul",
  [Op.DIV]: "op_div",
  [Op.MOD]: "op_mod",
};

const MAX_SAFE = 9007199254740991;
/** Deepest Ruff call nesting before `Maximum recursion depth exceeded`. */
export const MAX_DEPTH = 200_000;
/** Deepest nesting of natives calling back into Ruff (each nests on the JS stack). */
export const MAX_NESTING = 1_000;

/** Write-back mark: INVOKE_WB pushes it when the receiver needs no store (§10.2). */
export const WB_MARK = Symbol("wb") as unknown as Value;
/** `execute` results that are not values. */
/** `execute` result: a generator yielded. */
export const YIELDED = Symbol("yielded") as unknown as Value;
/** `execute` result: the fiber waits for `vm.waitingOn`. */
export const SUSPENDED = Symbol("suspended") as unknown as Value;

/** A Ruff error travelling through JS frames (natives, nested executions). */
export class RuffThrow {
  constructor(readonly error: RError) {}
}

/** Hooks the host (runner) provides. */
export interface VMHost {
  /** Writes program stdout. */
  write(text: string): void;
  /** Writes a diagnostic to stderr. */
  writeErr(text: string): void;
  /** Loads a module for IMPORT; returns its globals once it has run. */
  importModule(vm: VM, path: string, from: Globals, line: number, col: number): Globals;
  argv: string[];
  file: string;
}

/**
 * Call hooks for `ruff profile`: `enter` after a Ruff frame is pushed, `leave` when that frame
 * is popped (returned from or unwound). Null (the default) costs one comparison per call.
 */
export interface ProfileHooks {
  /** A frame for a user function was pushed. */
  enter(frame: Frame): void;
  /** A frame was popped; hooks ignore frames they did not see entered. */
  leave(frame: Frame): void;
}

type IterState =
  | ArrayIter
  | { k: "range"; i: number; n: number }
  | { k: "gen"; g: RGenerator }
  | { k: "it"; it: RIterator };

/** The interpreter. One per program run (modules share it). */
export class VM {
  fiber: Fiber = new Fiber();
  nesting = 0;
  readonly tasks: Task[] = [];
  lastYield: Value = null;
  waitingOn: RPromise | null = null;
  /** Instruction that suspended (for errors raised when the wait fails). */
  suspendAt = 0;
  readonly ctx: NativeContext;
  /** Set when a spawned task failed: the exit code becomes 1. */
  taskFailed = false;
  /** Profiler call hooks (`ruff profile`), or null. */
  prof: ProfileHooks | null = null;
  /** The WebAssembly JIT, when enabled. */
  jit: Jit | null = null;
  /**
   * Call / back-edge count at which the JIT compiles. Infinity (no JIT) is a count no counter
   * reaches, not even an Int32 loop counter that wraps around.
   */
  jitAt = Infinity;

  constructor(readonly builtins: Map<string, Value>, readonly host: VMHost) {
    this.ctx = {
      call: (fn, args) => this.callValue(fn, args),
      write: (t) => host.write(t),
      get argv() {
        return host.argv;
      },
      get file() {
        return host.file;
      },
    };
  }

  // ───────────── errors ─────────────

  /** Builds an error value located at the current instruction of `fiber`. */
  makeError(message: string, fiber: Fiber, cause: Value = null): RError {
    const f = fiber.frames[fiber.frames.length - 1];
    let line = 0, col = 0, file = this.host.file;
    if (f) {
      const ip = Math.max(0, f.ip);
      line = f.proto.lines[ip] ?? 0;
      col = f.proto.cols[ip] ?? 0;
      file = f.proto.file;
    }
    return new RError(message, this.stackNames(fiber), line, cause, col, file);
  }

  /** Names of the active user functions, innermost first (LANGUAGE.md §11.4). */
  stackNames(fiber: Fiber): string[] {
    const out: string[] = [];
    for (let i = fiber.frames.length - 1; i >= 0; i--) {
      const f = fiber.frames[i];
      if (f.proto.isTopLevel) continue;
      out.push(funcName(f.closure));
    }
    return out;
  }

  // ───────────── calls from natives and the host ─────────────

  /** Calls any callable synchronously (nested execution) and returns its result. */
  callValue(fn: Value, args: Value[]): Value {
    if (fn instanceof NativeFn) return this.callNative(fn, args);
    const fiber = this.fiber;
    const base = fiber.sp;
    fiber.stack[fiber.sp++] = fn;
    for (const a of args) fiber.stack[fiber.sp++] = a;
    const depth = fiber.frames.length;
    const r = this.setupCall(fiber, args.length, 0);
    if (r !== undefined) {
      fiber.sp = base;
      return r;
    }
    fiber.frames[fiber.frames.length - 1].boundary = true;
    const res = this.execute(fiber, depth);
    if (res === YIELDED || res === SUSPENDED) {
      throw new RuffThrow(
        this.makeError("Cannot wait for an asynchronous result inside a callback", fiber),
      );
    }
    return res;
  }

  callNative(fn: NativeFn, args: Value[]): Value {
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      throw new RuffError(arityMessage(fn.name, fn.minArgs, fn.maxArgs, args.length));
    }
    const r = fn.impl(args, this.ctx);
    if (r instanceof Promise) {
      throw new RuffError(`${fn.name}() cannot be awaited inside a callback`);
    }
    return r;
  }

  /**
   * Prepares a call of the callee at `stack[sp - argc - 1]`. For user functions pushes a frame
   * and returns undefined; for natives and other immediate results returns the result (the
   * callee and arguments already popped). A native's Promise is returned as is.
   */
  setupCall(fiber: Fiber, argc: number, wb: number): Value | undefined {
    const stack = fiber.stack;
    const base = fiber.sp - argc - 1;
    let callee = stack[base];
    if (callee instanceof BoundMethod) {
      stack[base] = share(callee.receiver);
      return this.enterClosure(fiber, callee.method, base, argc, wb, `${callee.structName}.`);
    }
    if (callee instanceof Closure) {
      if (callee.proto.isMethod) {
        // A method value called directly (from a struct definition lookup): static call.
        stack[base] = callee.owner;
      }
      return this.enterClosure(fiber, callee, base, argc, wb, "");
    }
    if (callee instanceof NativeFn) {
      if (argc < callee.minArgs || argc > callee.maxArgs) {
        throw new RuffError(arityMessage(callee.name, callee.minArgs, callee.maxArgs, argc));
      }
      const args = stack.slice(base + 1, base + 1 + argc);
      fiber.sp = base;
      const r = callee.impl(args, this.ctx);
      return r as Value;
    }
    callee = callee ?? null;
    throw new RuffError(`Cannot call ${typeName(callee)}: not a function`);
  }

  enterClosure(
    fiber: Fiber,
    fn: Closure,
    base: number,
    argc: number,
    wb: number,
    prefix: string,
  ): Value | undefined {
    const proto = fn.proto;
    if (argc !== proto.arity) {
      const name = fn.owner
        ? `${fn.owner.name}.${proto.name}`
        : prefix + (fn.name ?? "<anonymous>");
      throw new RuffError(`${name} expects ${proto.arity} arguments, got ${argc}`);
    }
    const stack = fiber.stack;
    for (let i = base + 1; i <= base + argc; i++) {
      const a = stack[i];
      if (a instanceof Cow) a.refs++;
    }
    if (proto.isGenerator) {
      const g = new Fiber();
      for (let i = 0; i <= argc; i++) g.stack[i] = stack[base + i];
      g.sp = argc + 1;
      const gen = new RGenerator(g);
      g.frames.push(new Frame(fn, proto, 0, fn.globals as Globals));
      fiber.sp = base;
      return gen;
    }
    if (fiber.frames.length >= MAX_DEPTH) {
      throw new RuffError("Maximum recursion depth exceeded");
    }
    const frame = new Frame(fn, proto, base, fn.globals as Globals);
    frame.wb = wb === 0 ? 0 : wb === 2 && proto.mutatesSelf && proto.hasSelf ? 2 : 1;
    frame.asyncWrap = proto.isAsync;
    fiber.frames.push(frame);
    if (this.prof !== null) this.prof.enter(frame);
    fiber.sp = base + argc + 1;
    return undefined;
  }

  // ───────────── upvalues ─────────────

  /** The open upvalue for stack slot `index` (the list is kept sorted by slot). */
  capture(fiber: Fiber, index: number): Upvalue {
    const open = fiber.openUpvals;
    let i = open.length - 1;
    while (i >= 0 && open[i].index > index) i--;
    if (i >= 0 && open[i].index === index) return open[i];
    const u: Upvalue = { stack: fiber.stack, index, value: null };
    open.splice(i + 1, 0, u);
    return u;
  }

  /** Closes the open upvalues of slots >= from. */
  closeUpvals(fiber: Fiber, from: number) {
    const open = fiber.openUpvals;
    while (open.length && open[open.length - 1].index >= from) {
      const u = open.pop()!;
      u.value = u.stack![u.index];
      u.stack = null;
    }
  }

  // ───────────── generators, tasks, promises ─────────────

  /** Resumes a generator; returns the yielded value or DONE. */
  resume(gen: RGenerator): Value | typeof DONE {
    if (gen.state === "done") return DONE;
    if (gen.state === "running") throw new RuffError("Generator is already running");
    const first = gen.state === "new";
    gen.state = "running";
    const saved = this.fiber;
    this.fiber = gen.fiber;
    try {
      if (!first) gen.fiber.stack[gen.fiber.sp++] = null; // value of the `yield` expression
      const r = this.execute(gen.fiber, 0);
      if (r === YIELDED) {
        gen.state = "suspended";
        return this.lastYield;
      }
      if (r === SUSPENDED) {
        gen.state = "done";
        throw new RuffError("Cannot wait for an asynchronous result inside a generator");
      }
      gen.state = "done";
      return DONE;
    } catch (e) {
      gen.state = "done";
      throw e;
    } finally {
      this.fiber = saved;
    }
  }

  /** Marks a queued task as started and returns the fiber that runs it (null if not queued). */
  beginTask(task: Task): Fiber | null {
    if (task.state !== "queued") return null;
    task.state = "running";
    const fiber = new Fiber();
    fiber.stack[fiber.sp++] = task.fn;
    return fiber;
  }

  /**
   * Records how a task ended: with a value (a settled promise is unwrapped) or with an exception.
   * A Ruff error ends only that task (reported when it came from `spawn`); `exit()` and internal
   * errors are rethrown.
   */
  endTask(task: Task, fiber: Fiber, outcome: { value: Value } | { error: unknown }): void {
    task.state = "done";
    let err: RError | null = null;
    if ("value" in outcome) {
      const v = outcome.value;
      if (!(v instanceof RPromise) || v.state === "fulfilled") {
        task.result.state = "fulfilled";
        task.result.value = v instanceof RPromise ? v.value : v;
        return;
      }
      if (v.state === "pending") {
        task.result.state = "fulfilled";
        task.result.value = v;
        return;
      }
      err = this.makeError(`Promise rejected: ${display(v.value)}`, fiber);
    } else {
      const e = outcome.error;
      if (e instanceof RuffThrow) err = e.error;
      else if (e instanceof RuffError) err = this.makeError(e.message, fiber);
      else throw e;
    }
    task.result.state = "rejected";
    task.result.value = err.message;
    if (task.isSpawn) {
      this.taskFailed = true;
      this.reportTaskError(err);
    }
  }

  /** Runs one queued task to completion (nested, at a run point). */
  runTask(task: Task): void {
    const fiber = this.beginTask(task);
    if (!fiber) return;
    const saved = this.fiber;
    this.fiber = fiber;
    try {
      let r = this.setupCall(fiber, 0, 0);
      if (r === undefined) {
        fiber.frames[fiber.frames.length - 1].boundary = true;
        r = this.execute(fiber, 0);
        if (r === SUSPENDED) {
          throw new RuffError("Cannot wait for an asynchronous result inside a nested task");
        }
      }
      this.endTask(task, fiber, { value: r });
    } catch (e) {
      this.endTask(task, fiber, { error: e });
    } finally {
      this.fiber = saved;
    }
  }

  /** Reports a spawned task's uncaught error (LANGUAGE.md §13.2). Set by the runner. */
  reportTaskError: (err: RError) => void = () => {};

  /** Runs every pending task (run points 1 and 3). */
  drainTasks(): void {
    while (this.tasks.length) {
      const t = this.tasks.shift()!;
      this.runTask(t);
    }
  }

  /** `ch.receive()` (run point 2). */
  receive(ch: RChannel): Value {
    while (ch.queue.length === 0 && this.tasks.length) this.runTask(this.tasks.shift()!);
    return ch.queue.length ? ch.queue.shift()! : null;
  }

  // ───────────── iteration ─────────────

  iterInit(v: Value): IterState {
    if (v instanceof RArray) return arrayIter(v);
    if (typeof v === "number") return { k: "range", i: 0, n: v };
    if (v instanceof RFloat) return { k: "range", i: 0, n: Math.trunc(v.v) };
    if (typeof v === "string") return { k: "arr", items: Array.from(v), a: null, i: 0 };
    if (v instanceof RDict) return { k: "arr", items: v.sortedKeys(), a: null, i: 0 };
    if (v instanceof RGenerator) return { k: "gen", g: v };
    if (v instanceof RIterator) return { k: "it", it: v };
    if (typeof v === "bigint") {
      if (v < 0n) return { k: "range", i: 0, n: 0 };
      throw new RuffError("Cannot iterate over an Int this large");
    }
    throw new RuffError(`Cannot iterate over ${typeName(v)}`);
  }

  iterNext(s: IterState): Value | typeof DONE {
    switch (s.k) {
      case "arr": {
        const items = s.items;
        if (items !== null) return s.i < items.length ? items[s.i++] : DONE;
        const a = s.a!;
        return s.i < a.length ? a.at(s.i++) : DONE;
      }
      case "range":
        return s.i < s.n ? s.i++ : DONE;
      case "gen":
        return this.resume(s.g);
      case "it":
        return s.it.pull();
    }
  }

  /** A pull function over any iterable value. */
  puller(v: Value): () => Value | typeof DONE {
    const s = this.iterInit(v);
    return () => this.iterNext(s);
  }

  // ───────────── the dispatch loop ─────────────

  /**
   * Runs `fiber` until its frame count drops to `stopDepth` (returning the value returned by
   * the frame that got there), a generator yields (YIELDED) or a wait is needed (SUSPENDED).
   */
  execute(fiber: Fiber, stopDepth: number): Value {
    this.nesting++;
    let finished = false;
    try {
      // Natives calling back into Ruff nest on the JS stack: bound that nesting.
      if (this.nesting > MAX_NESTING) throw new RuffError("Maximum recursion depth exceeded");
      for (;;) {
        try {
          const r = this.loop(fiber, stopDepth);
          finished = true;
          return r;
        } catch (e) {
          let err: RError;
          if (e instanceof RuffThrow) err = e.error;
          else if (e instanceof RuffError) {
            err = this.makeError(e.message, fiber, (e.cause as Value) ?? null);
          } else if (e instanceof RangeError && e.message.includes("call stack")) {
            err = this.makeError("Maximum recursion depth exceeded", fiber);
          } else throw e;
          if (!this.unwind(fiber, stopDepth, err)) throw new RuffThrow(err);
        }
      }
    } finally {
      this.nesting--;
      // Leaving by an exception: drop this execution's frames, whatever happened, so that
      // the enclosing execution unwinds from a consistent state.
      if (!finished && fiber.frames.length > stopDepth) {
        if (this.prof !== null) {
          for (let i = fiber.frames.length - 1; i >= stopDepth; i--) {
            this.prof.leave(fiber.frames[i]);
          }
        }
        this.closeUpvals(fiber, fiber.frames[stopDepth].base);
        fiber.sp = fiber.frames[stopDepth].base;
        fiber.frames.length = stopDepth;
      }
    }
  }

  /** Finds a handler for `err` in frames above `stopDepth`; false when there is none. */
  unwind(fiber: Fiber, stopDepth: number, err: RError): boolean {
    const frames = fiber.frames;
    let top = true;
    while (frames.length > stopDepth) {
      const f = frames[frames.length - 1];
      const ip = top ? f.ip : f.ip - 1;
      top = false;
      for (const h of f.proto.handlers) {
        if (ip >= h.start && ip < h.end) {
          const sp = f.base + h.depth;
          this.closeUpvals(fiber, sp);
          fiber.sp = sp;
          // Holds of values the error dropped from the stack are not released (their count
          // stays one too high, which costs at most a copy): forget them, so the pin list
          // does not grow with every error caught in the middle of an expression.
          if (f.pins !== null) {
            const stack = fiber.stack;
            f.pins = f.pins.filter((v) => {
              for (let k = f.base; k < sp; k++) if (stack[k] === v) return true;
              return false;
            });
          }
          fiber.stack[fiber.sp++] = err;
          f.ip = h.target;
          return true;
        }
      }
      this.closeUpvals(fiber, f.base);
      fiber.sp = f.base;
      frames.pop();
      if (this.prof !== null) this.prof.leave(f);
      if (f.boundary) break;
    }
    return false;
  }

  loop(fiber: Fiber, stopDepth: number): Value {
    const stack = fiber.stack;
    let frame = fiber.frames[fiber.frames.length - 1];
    let code = frame.proto.code;
    let consts = frame.proto.consts;
    let base = frame.base;
    let ip = frame.ip;
    let sp = fiber.sp;
    let gvals = frame.globals.values;
    const jitAt = this.jitAt;

    for (;;) {
      const at = ip;
      const op = code[ip++];
      switch (op) {
        case 0 /* CONST */:
          stack[sp++] = consts[code[ip++]] as Value;
          break;
        case 1 /* INT */:
          stack[sp++] = code[ip++];
          break;
        case 2 /* NULL */:
          stack[sp++] = null;
          break;
        case 3 /* TRUE */:
          stack[sp++] = true;
          break;
        case 4 /* FALSE */:
          stack[sp++] = false;
          break;
        case 5 /* POP */:
          sp--;
          break;
        case 6 /* POPN */:
          sp -= code[ip++];
          break;
        case 7 /* DUP */:
          stack[sp] = stack[sp - 1];
          sp++;
          break;
        case 8 /* DUP2 */:
          stack[sp] = stack[sp - 2];
          stack[sp + 1] = stack[sp - 1];
          sp += 2;
          break;
        case 9 /* SWAP */: {
          const t = stack[sp - 1];
          stack[sp - 1] = stack[sp - 2];
          stack[sp - 2] = t;
          break;
        }
        case 10 /* GET_LOCAL */:
          stack[sp++] = stack[base + code[ip++]];
          break;
        case 11 /* SET_LOCAL */: {
          const v = stack[--sp];
          const slot = base + code[ip++];
          if (v instanceof Cow && stack[slot] !== v) v.refs++;
          stack[slot] = v;
          break;
        }
        case 12 /* GET_UPVAL */: {
          const u = frame.closure.upvalues[code[ip++]];
          stack[sp++] = u.stack ? u.stack[u.index] : u.value;
          break;
        }
        case 13 /* SET_UPVAL */: {
          const u = frame.closure.upvalues[code[ip++]];
          const v = stack[--sp];
          if (v instanceof Cow && (u.stack ? u.stack[u.index] : u.value) !== v) v.refs++;
          if (u.stack) u.stack[u.index] = v;
          else u.value = v;
          break;
        }
        case 14 /* GET_GLOBAL */: {
          const g = code[ip++];
          const v = gvals[g];
          if (v !== undefined) {
            stack[sp++] = v;
            break;
          }
          const name = frame.globals.table.names[g];
          const b = this.builtins.get(name);
          if (b === undefined) {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Undefined variable: ${name}`);
          }
          stack[sp++] = b;
          break;
        }
        case 18 /* GET_GLOBAL_Q */: {
          const g = code[ip++];
          const v = gvals[g];
          stack[sp++] = v !== undefined
            ? v
            : (this.builtins.get(frame.globals.table.names[g]) ?? null);
          break;
        }
        case 15 /* SET_GLOBAL */:
        case 16 /* DEF_GLOBAL */:
        case 17 /* DEF_CONST */: {
          const g = code[ip++];
          const v = stack[--sp];
          if (frame.globals.consts[g]) {
            frame.ip = at;
            fiber.sp = sp;
            const name = frame.globals.table.names[g];
            throw new RuffError(
              op === OP_SET_GLOBAL
                ? `Cannot reassign const binding: ${name}`
                : `Cannot redeclare const binding: ${name}`,
            );
          }
          if (v instanceof Cow && gvals[g] !== v) v.refs++;
          gvals[g] = v;
          if (op === OP_DEF_CONST) frame.globals.consts[g] = true;
          if (frame.globals.watch !== null) frame.globals.watch(g);
          break;
        }
        case 19 /* GET_NAME */: {
          const s = code[ip++];
          const v = gvals[code[ip++]];
          stack[sp++] = v !== undefined ? v : stack[base + s];
          break;
        }
        case 20 /* SET_NAME */: {
          const s = code[ip++];
          const g = code[ip++];
          const v = stack[--sp];
          if (v instanceof Cow) v.refs++;
          if (gvals[g] !== undefined) {
            if (frame.globals.consts[g]) {
              frame.ip = at;
              fiber.sp = sp;
              throw new RuffError(`Cannot reassign const binding: ${frame.globals.table.names[g]}`);
            }
            gvals[g] = v;
            if (frame.globals.watch !== null) frame.globals.watch(g);
          } else stack[base + s] = v;
          break;
        }
        case 21 /* GET_LOCAL_MUT */: {
          const slot = base + code[ip++];
          let v = stack[slot];
          if (v instanceof Cow && v.refs > 1) stack[slot] = v = unique(v);
          stack[sp++] = v;
          break;
        }
        case 22 /* GET_UPVAL_MUT */: {
          const u = frame.closure.upvalues[code[ip++]];
          let v = u.stack ? u.stack[u.index] : u.value;
          if (v instanceof Cow && v.refs > 1) {
            v = unique(v);
            if (u.stack) u.stack[u.index] = v;
            else u.value = v;
          }
          stack[sp++] = v;
          break;
        }
        case 23 /* GET_GLOBAL_MUT */:
        case 24 /* GET_NAME_MUT */: {
          let slot = -1;
          if (op === OP_GET_NAME_MUT) slot = base + code[ip++];
          const g = code[ip++];
          let v = gvals[g];
          if (v === undefined && slot >= 0) {
            v = stack[slot];
            if (v instanceof Cow && v.refs > 1) stack[slot] = v = unique(v);
            stack[sp++] = v;
            break;
          }
          const name = frame.globals.table.names[g];
          if (v === undefined) {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Undefined variable: ${name}`);
          }
          if (frame.globals.consts[g]) {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Cannot mutate const binding: ${name}`);
          }
          if (v instanceof Cow && v.refs > 1) {
            gvals[g] = v = unique(v);
            if (frame.globals.watch !== null) frame.globals.watch(g);
          }
          stack[sp++] = v;
          break;
        }
        case 25 /* CLOSE_UPVALS */:
          this.closeUpvals(fiber, base + code[ip++]);
          break;

        case 26 /* ADD */:
        case 27 /* SUB */:
        case 28 /* MUL */:
        case 29 /* DIV */:
        case 30 /* MOD */: {
          const b = stack[--sp];
          const a = stack[sp - 1];
          if (typeof a === "number" && typeof b === "number") {
            // Fast path: small Ints (Ints are JS numbers within ±(2^53 - 1), Floats are boxed).
            // A result within those bounds is exact; `+ 0` turns -0 into the Int 0. Division,
            // the rest of the cases and the errors are arith's.
            const r = op === OP_ADD
              ? a + b
              : op === OP_SUB
              ? a - b
              : op === OP_MUL
              ? a * b + 0
              : op === OP_MOD && b !== 0
              ? (a % b) + 0
              : NaN;
            if (r <= MAX_SAFE && r >= -MAX_SAFE) {
              stack[sp - 1] = r;
              break;
            }
          } else if (op === OP_ADD && typeof a === "string" && typeof b === "string") {
            // Fast path: string concatenation.
            stack[sp - 1] = a + b;
            break;
          }
          frame.ip = at;
          fiber.sp = sp;
          if (a instanceof RStruct && this.overload(fiber, a, OPERATOR_METHODS[op], b, false)) {
            frame = fiber.frames[fiber.frames.length - 1];
            code = frame.proto.code;
            consts = frame.proto.consts;
            base = frame.base;
            ip = frame.ip;
            sp = fiber.sp;
            gvals = frame.globals.values;
            break;
          }
          stack[sp - 1] = op === OP_ADD
            ? arith.add(a, b)
            : op === OP_SUB
            ? arith.sub(a, b)
            : op === OP_MUL
            ? arith.mul(a, b)
            : op === OP_DIV
            ? arith.div(a, b)
            : arith.mod(a, b);
          break;
        }
        case 31 /* EQ */:
        case 32 /* NE */: {
          const b = stack[--sp];
          const a = stack[sp - 1];
          if (a instanceof RStruct) {
            frame.ip = at;
            fiber.sp = sp;
            if (op === OP_EQ) {
              if (this.overload(fiber, a, "op_eq", b, false)) {
                {
                  frame = fiber.frames[fiber.frames.length - 1];
                  code = frame.proto.code;
                  consts = frame.proto.consts;
                  base = frame.base;
                  ip = frame.ip;
                  sp = fiber.sp;
                  gvals = frame.globals.values;
                }
                break;
              }
            } else if (
              this.overload(fiber, a, "op_ne", b, false) ||
              this.overload(fiber, a, "op_eq", b, true)
            ) {
              {
                frame = fiber.frames[fiber.frames.length - 1];
                code = frame.proto.code;
                consts = frame.proto.consts;
                base = frame.base;
                ip = frame.ip;
                sp = fiber.sp;
                gvals = frame.globals.values;
              }
              break;
            }
          }
          const eq = a === b ? !(a instanceof RFloat && Number.isNaN(a.v)) : valuesEqual(a, b);
          stack[sp - 1] = op === OP_EQ ? eq : !eq;
          break;
        }
        case 33 /* LT */:
        case 34 /* LE */:
        case 35 /* GT */:
        case 36 /* GE */: {
          const b = stack[--sp];
          const a = stack[sp - 1];
          if (typeof a === "number" && typeof b === "number") {
            stack[sp - 1] = op === OP_LT
              ? a < b
              : op === OP_LE
              ? a <= b
              : op === OP_GT
              ? a > b
              : a >= b;
            break;
          }
          frame.ip = at;
          fiber.sp = sp;
          const name = op === OP_LT
            ? "op_lt"
            : op === OP_LE
            ? "op_le"
            : op === OP_GT
            ? "op_gt"
            : "op_ge";
          if (a instanceof RStruct && this.overload(fiber, a, name, b, false)) {
            {
              frame = fiber.frames[fiber.frames.length - 1];
              code = frame.proto.code;
              consts = frame.proto.consts;
              base = frame.base;
              ip = frame.ip;
              sp = fiber.sp;
              gvals = frame.globals.values;
            }
            break;
          }
          stack[sp - 1] = arith.compare(
            a,
            b,
            op === OP_LT ? "<" : op === OP_LE ? "<=" : op === OP_GT ? ">" : ">=",
          );
          break;
        }
        case 37 /* NEG */:
        case 38 /* NOT */: {
          const a = stack[sp - 1];
          if (op === OP_NEG && typeof a === "number" && a !== 0) {
            stack[sp - 1] = -a;
            break;
          }
          if (a instanceof RStruct) {
            frame.ip = at;
            fiber.sp = sp - 1;
            const name = op === OP_NEG ? "op_neg" : "op_not";
            if (this.overload(fiber, a, name, undefined, false)) {
              frame = fiber.frames[fiber.frames.length - 1];
              code = frame.proto.code;
              consts = frame.proto.consts;
              base = frame.base;
              ip = frame.ip;
              sp = fiber.sp;
              gvals = frame.globals.values;
              break;
            }
          }
          frame.ip = at;
          fiber.sp = sp;
          stack[sp - 1] = op === OP_NEG ? arith.neg(a) : !truthy(a);
          break;
        }
        case 39 /* TO_BOOL */:
          stack[sp - 1] = truthy(stack[sp - 1]);
          break;
        case 46 /* JUMP_IF_NOT_LT_LK */: {
          const a = stack[base + code[ip]];
          const b = consts[code[ip + 1]] as number;
          if (typeof a === "number") {
            ip = a < b ? ip + 3 : code[ip + 2];
            break;
          }
          frame.ip = at;
          fiber.sp = sp;
          const m = a instanceof RStruct ? a.def.methods.get("op_lt") : undefined;
          const lt = m
            ? truthy(this.callValue(new BoundMethod(a, m, (a as RStruct).def.name), [b]))
            : arith.compare(a, b, "<");
          if (lt) ip += 3;
          else ip = code[ip + 2];
          break;
        }
        case 47 /* JUMP_IF_NOT_LT_LL */: {
          const a = stack[base + code[ip]];
          const b = stack[base + code[ip + 1]];
          if (typeof a === "number" && typeof b === "number") {
            ip = a < b ? ip + 3 : code[ip + 2];
            break;
          }
          frame.ip = at;
          fiber.sp = sp;
          const m = a instanceof RStruct ? a.def.methods.get("op_lt") : undefined;
          const lt = m
            ? truthy(this.callValue(new BoundMethod(a, m, (a as RStruct).def.name), [b]))
            : arith.compare(a, b, "<");
          if (lt) ip += 3;
          else ip = code[ip + 2];
          break;
        }
        case 40 /* ADD_LK */:
        case 41 /* SUB_LK */:
        case 42 /* LT_LK */: {
          const a = stack[base + code[ip++]];
          const b = consts[code[ip++]] as number;
          if (typeof a === "number") {
            if (op === OP_LT_LK) {
              stack[sp++] = a < b;
              break;
            }
            const r = op === OP_ADD_LK ? a + b : a - b;
            if (r <= MAX_SAFE && r >= -MAX_SAFE) {
              stack[sp++] = r;
              break;
            }
          }
          stack[sp++] = a;
          stack[sp++] = b;
          frame.ip = at;
          fiber.sp = sp;
          if (a instanceof RStruct) {
            sp -= 2;
            fiber.sp = sp;
            stack[sp++] = a;
            const name = op === OP_ADD_LK ? "op_add" : op === OP_SUB_LK ? "op_sub" : "op_lt";
            sp--;
            fiber.sp = sp + 1;
            if (this.overload(fiber, a, name, b, false)) {
              {
                frame = fiber.frames[fiber.frames.length - 1];
                code = frame.proto.code;
                consts = frame.proto.consts;
                base = frame.base;
                ip = frame.ip;
                sp = fiber.sp;
                gvals = frame.globals.values;
              }
              break;
            }
            sp++;
            stack[sp++] = b;
          }
          sp--;
          stack[sp - 1] = op === OP_ADD_LK
            ? arith.add(a, b)
            : op === OP_SUB_LK
            ? arith.sub(a, b)
            : arith.compare(a, b, "<");
          break;
        }

        case 43 /* JUMP */:
          ip = code[ip];
          break;
        case 44 /* LOOP */:
          if (++frame.proto.loopHits[code[ip + 1]] === jitAt) {
            // Hot loop: enter its compiled code at the header (on-stack replacement).
            frame.ip = code[ip];
            fiber.sp = sp;
            if (this.jit!.loop(fiber, frame, at, sp) === LEFT) {
              frame = fiber.frames[fiber.frames.length - 1];
              code = frame.proto.code;
              consts = frame.proto.consts;
              base = frame.base;
              ip = frame.ip;
              sp = fiber.sp;
              gvals = frame.globals.values;
              break;
            }
          }
          ip = code[ip];
          break;
        case 45 /* JUMP_IF_FALSE */: {
          const v = stack[--sp];
          if (v === false || (v !== true && !truthy(v))) ip = code[ip];
          else ip++;
          break;
        }
        case 48 /* JUMP_IF_TRUE */: {
          const v = stack[--sp];
          if (v === true || (v !== false && truthy(v))) ip = code[ip];
          else ip++;
          break;
        }
        case 49 /* JUMP_IF_NOT_NULL */:
          if (stack[sp - 1] !== null) ip = code[ip];
          else {
            sp--;
            ip++;
          }
          break;

        case 50 /* PIPE_CHECK */:
          if (!isCallable(stack[sp - 1])) {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Pipe target is not callable: ${typeName(stack[sp - 1])}`);
          }
          break;
        case 51 /* CALL */: {
          const argc = code[ip++];
          const callee = stack[sp - argc - 1];
          if (callee instanceof Closure) {
            const proto = callee.proto;
            if (proto.simple && proto.arity === argc && fiber.frames.length < MAX_DEPTH) {
              if (proto.jit !== null || ++proto.calls === jitAt) {
                // Hot function: run its compiled code (LANGUAGE.md semantics preserved).
                const nb = sp - argc - 1;
                frame.ip = ip;
                fiber.sp = sp;
                const r = this.jit!.call(fiber, callee, argc, nb);
                if (r !== NOT_ENTERED) {
                  if (r === LEFT) {
                    frame = fiber.frames[fiber.frames.length - 1];
                    code = frame.proto.code;
                    consts = frame.proto.consts;
                    base = frame.base;
                    ip = frame.ip;
                    sp = fiber.sp;
                    gvals = frame.globals.values;
                    break;
                  }
                  sp = nb;
                  stack[sp++] = r;
                  break;
                }
              }
              // Fast path: a plain user function.
              for (let i = sp - argc; i < sp; i++) {
                const a = stack[i];
                if (a instanceof Cow) a.refs++;
              }
              frame.ip = ip;
              const nb = sp - argc - 1;
              const depth = fiber.frames.length;
              let f = fiber.pool[depth];
              if (f === undefined) {
                f = fiber.pool[depth] = new Frame(callee, proto, nb, callee.globals as Globals);
              } else {
                f.closure = callee;
                f.proto = proto;
                f.base = nb;
                f.globals = callee.globals as Globals;
                f.ip = 0;
                f.pins = null;
              }
              frame = f;
              fiber.frames.push(frame);
              if (this.prof !== null) this.prof.enter(frame);
              code = proto.code;
              consts = proto.consts;
              base = nb;
              ip = 0;
              gvals = frame.globals.values;
              break;
            }
          } else if (
            callee instanceof NativeFn && argc >= callee.minArgs && argc <= callee.maxArgs
          ) {
            // Fast path: a native with a valid argument count (what setupCall does, inline;
            // small argument arrays are built as literals, which is cheaper than a slice).
            const nb = sp - argc - 1;
            const args = argc === 1
              ? [stack[nb + 1]]
              : argc === 2
              ? [stack[nb + 1], stack[nb + 2]]
              : argc === 0
              ? []
              : stack.slice(nb + 1, sp);
            frame.ip = ip;
            fiber.sp = nb;
            let r: Value | Promise<Value>;
            try {
              r = callee.impl(args, this.ctx);
            } catch (e) {
              frame.ip = at;
              fiber.sp = sp;
              throw e;
            }
            if (r instanceof Promise) {
              const out = this.awaitJs(fiber, r, at);
              if (out === SUSPENDED) return SUSPENDED;
              r = out;
            }
            sp = fiber.sp;
            stack[sp++] = r;
            break;
          }
          frame.ip = ip;
          fiber.sp = sp;
          try {
            const r = this.setupCall(fiber, argc, 0);
            if (r !== undefined) {
              if (r instanceof Promise) {
                const out = this.awaitJs(fiber, r, at);
                if (out === SUSPENDED) return SUSPENDED;
                sp = fiber.sp;
                stack[sp++] = out;
              } else {
                sp = fiber.sp;
                stack[sp++] = r;
              }
              break;
            }
          } catch (e) {
            frame.ip = at;
            fiber.sp = sp;
            throw e;
          }
          {
            frame = fiber.frames[fiber.frames.length - 1];
            code = frame.proto.code;
            consts = frame.proto.consts;
            base = frame.base;
            ip = frame.ip;
            sp = fiber.sp;
            gvals = frame.globals.values;
          }
          break;
        }
        case 52 /* PIN */: {
          const v = stack[sp - 1];
          if (v instanceof Cow) {
            v.refs++;
            (frame.pins ??= []).push(v);
          }
          break;
        }
        case 53 /* UNPIN */: {
          // Releases, latest first, the pins of the n values below the top. A value compiled
          // code did not pin (nothing could change it there) has no entry and stays as it is.
          const n = code[ip++];
          const pins = frame.pins;
          if (pins !== null) {
            for (let k = sp - 2; k >= sp - 1 - n && pins.length > 0; k--) {
              if (pins[pins.length - 1] === stack[k]) pins.pop()!.refs--;
            }
          }
          break;
        }
        case 54 /* INVOKE */:
        case 55 /* INVOKE_WB */: {
          const name = consts[code[ip++]] as string;
          const argc = code[ip++];
          if (argc === 1 && op === OP_INVOKE_WB && (name === "push" || name === "append")) {
            // Fast path: push onto an array made unique by the place load (§10.2).
            const recv = stack[sp - 2];
            if (recv instanceof RArray) {
              recv.push(stack[sp - 1]);
              stack[sp - 1] = WB_MARK;
              break;
            }
          }
          frame.ip = ip;
          fiber.sp = sp;
          let r: Value | undefined;
          try {
            r = this.invoke(fiber, name, argc, op === OP_INVOKE_WB);
          } catch (e) {
            frame.ip = at;
            throw e;
          }
          if (r === undefined) {
            {
              frame = fiber.frames[fiber.frames.length - 1];
              code = frame.proto.code;
              consts = frame.proto.consts;
              base = frame.base;
              ip = frame.ip;
              sp = fiber.sp;
              gvals = frame.globals.values;
            }
            break;
          }
          if (r === SUSPENDED) return SUSPENDED;
          sp = fiber.sp;
          stack[sp++] = r;
          if (op === OP_INVOKE_WB) stack[sp++] = WB_MARK;
          break;
        }
        case 56 /* WB_SKIP */:
          if (stack[sp - 1] === WB_MARK) {
            sp--;
            ip = code[ip];
          } else ip++;
          break;
        case 57 /* RETURN */: {
          let result = stack[--sp];
          const done = fiber.frames.pop()!;
          if (this.prof !== null) this.prof.leave(done);
          if (done.plain && fiber.openUpvals.length === 0 && fiber.frames.length > stopDepth) {
            sp = done.base;
            stack[sp++] = result;
            frame = fiber.frames[fiber.frames.length - 1];
            code = frame.proto.code;
            consts = frame.proto.consts;
            base = frame.base;
            ip = frame.ip;
            gvals = frame.globals.values;
            break;
          }
          if (fiber.openUpvals.length) this.closeUpvals(fiber, done.base);
          if (done.asyncWrap) result = RPromise.fulfilled(result);
          if (done.negate) result = !truthy(result);
          const self = stack[done.base];
          sp = done.base;
          stack[sp++] = result;
          if (done.wb === 2) stack[sp++] = self;
          else if (done.wb === 1) stack[sp++] = WB_MARK;
          fiber.sp = sp;
          if (done.boundary || fiber.frames.length <= stopDepth) {
            fiber.sp = sp - 1;
            return result;
          }
          {
            frame = fiber.frames[fiber.frames.length - 1];
            code = frame.proto.code;
            consts = frame.proto.consts;
            base = frame.base;
            ip = frame.ip;
            sp = fiber.sp;
            gvals = frame.globals.values;
          }
          break;
        }
        case 58 /* CLOSURE */: {
          const proto = consts[code[ip++]] as FuncProto;
          const ups: Upvalue[] = new Array(proto.captures.length);
          for (let i = 0; i < ups.length; i++) {
            const c = proto.captures[i];
            ups[i] = c.isLocal
              ? this.capture(fiber, base + c.index)
              : frame.closure.upvalues[c.index];
          }
          const cl = new Closure(proto, ups);
          cl.globals = frame.globals;
          stack[sp++] = cl;
          break;
        }

        case 59 /* GET_INDEX */: {
          const i = stack[--sp];
          const o = stack[sp - 1];
          if (o instanceof RArray && typeof i === "number") {
            // A JS array here; a store (and every error) goes through getIndex.
            const items = o.list;
            if (items !== null) {
              const k = i < 0 ? items.length + i : i;
              if (k >= 0 && k < items.length) {
                stack[sp - 1] = items[k];
                break;
              }
            }
          } else if (o instanceof RDict && typeof i === "string") {
            // A string key that is there; a missing one (the error) goes through getIndex.
            const v = o.map.get(i);
            if (v !== undefined) {
              stack[sp - 1] = v;
              break;
            }
          }
          frame.ip = at;
          fiber.sp = sp;
          stack[sp - 1] = getIndex(o, i);
          break;
        }
        case 60 /* SET_INDEX */:
        case 61 /* SET_INDEX_R */: {
          let o: Value, i: Value, v: Value;
          if (op === OP_SET_INDEX) {
            v = stack[--sp];
            i = stack[--sp];
            o = stack[--sp];
          } else {
            i = stack[--sp];
            o = stack[--sp];
            v = stack[--sp];
          }
          if (o instanceof RDict && typeof i === "string") {
            // What setIndex does for a dict and a string key, which cannot fail.
            const m = o.map;
            if (v instanceof Cow && m.get(i) !== v) v.refs++;
            m.set(i, v);
            break;
          }
          frame.ip = at;
          fiber.sp = sp;
          setIndex(o, i, v);
          break;
        }
        case 62 /* INDEX_MUT */: {
          const i = stack[--sp];
          const o = stack[sp - 1];
          frame.ip = at;
          fiber.sp = sp;
          let v = getIndex(o, i);
          if (v instanceof Cow && v.refs > 1) {
            v = unique(v);
            setIndex(o, i, v);
          }
          stack[sp - 1] = v;
          break;
        }
        case 63 /* GET_FIELD */:
        case 64 /* GET_FIELD_OPT */: {
          const name = consts[code[ip++]] as string;
          const o = stack[sp - 1];
          if (o instanceof RStruct) {
            const v = o.fields.get(name);
            if (v !== undefined) {
              stack[sp - 1] = v;
              break;
            }
          }
          frame.ip = at;
          fiber.sp = sp;
          stack[sp - 1] = op === OP_GET_FIELD ? getField(o, name) : getFieldOpt(o, name);
          break;
        }
        case 65 /* SET_FIELD */:
        case 66 /* SET_FIELD_R */: {
          const name = consts[code[ip++]] as string;
          let o: Value, v: Value;
          if (op === OP_SET_FIELD) {
            v = stack[--sp];
            o = stack[--sp];
          } else {
            o = stack[--sp];
            v = stack[--sp];
          }
          frame.ip = at;
          fiber.sp = sp;
          setField(o, name, v);
          break;
        }
        case 67 /* FIELD_MUT */: {
          const name = consts[code[ip++]] as string;
          const o = stack[sp - 1];
          frame.ip = at;
          fiber.sp = sp;
          let v = getField(o, name);
          if (v instanceof Cow && v.refs > 1) {
            v = unique(v);
            setField(o, name, v);
          }
          stack[sp - 1] = v;
          break;
        }

        case 68 /* ARRAY */: {
          const n = code[ip++];
          const items = stack.slice(sp - n, sp);
          sp -= n;
          stack[sp++] = arrayOf(items);
          break;
        }
        case 69 /* ARRAY_PUSH */: {
          const v = stack[--sp];
          (stack[sp - 1] as RArray).items.push(share(v));
          break;
        }
        case 70 /* ARRAY_EXTEND */: {
          const v = stack[--sp];
          frame.ip = at;
          fiber.sp = sp;
          if (!(v instanceof RArray)) {
            throw new RuffError(`Cannot spread ${typeName(v)} into an array`);
          }
          const arr = stack[sp - 1] as RArray;
          for (const x of v.items) arr.items.push(share(x));
          break;
        }
        case 71 /* DICT */: {
          const n = code[ip++];
          const d = new RDict();
          const start = sp - 2 * n;
          frame.ip = at;
          fiber.sp = sp;
          for (let i = 0; i < n; i++) {
            d.map.set(dictKey(stack[start + 2 * i]), share(stack[start + 2 * i + 1]));
          }
          sp = start;
          stack[sp++] = d;
          break;
        }
        case 72 /* DICT_SET */: {
          const v = stack[--sp];
          const k = stack[--sp];
          frame.ip = at;
          fiber.sp = sp;
          (stack[sp - 1] as RDict).map.set(dictKey(k), share(v));
          break;
        }
        case 73 /* DICT_SPREAD */: {
          const v = stack[--sp];
          frame.ip = at;
          fiber.sp = sp;
          if (!(v instanceof RDict)) {
            throw new RuffError(`Cannot spread ${typeName(v)} into a dict`);
          }
          const d = stack[sp - 1] as RDict;
          for (const [k, x] of v.map) d.map.set(k, share(x));
          break;
        }
        case 74 /* STRUCT */: {
          const names = consts[code[ip++]] as string[];
          const n = code[ip++];
          const def = stack[sp - n - 1];
          frame.ip = at;
          fiber.sp = sp;
          const sname = names[0];
          if (def === null) throw new RuffError(`Undefined struct: ${sname}`);
          if (!(def instanceof StructDef)) throw new RuffError(`${sname} is not a struct`);
          const fields = new Map<string, Value>();
          for (const f of def.fields) fields.set(f, null);
          for (let i = 0; i < n; i++) {
            const f = names[i + 1];
            if (!fields.has(f)) throw new RuffError(`Struct ${sname} has no field '${f}'`);
            fields.set(f, share(stack[sp - n + i]));
          }
          sp -= n + 1;
          stack[sp++] = new RStruct(def, fields);
          break;
        }
        case 75 /* ENUM */: {
          const [ename, variant] = consts[code[ip++]] as string[];
          const n = code[ip++];
          const def = stack[sp - n - 1];
          frame.ip = at;
          fiber.sp = sp;
          if (def === null) throw new RuffError(`Undefined enum: ${ename}`);
          if (!(def instanceof EnumDef)) throw new RuffError(`${ename} is not an enum`);
          if (!def.variants.includes(variant)) {
            throw new RuffError(`Enum ${ename} has no variant '${variant}'`);
          }
          const payload = stack.slice(sp - n, sp).map((x) => share(x));
          sp -= n + 1;
          stack[sp++] = new REnum(def, variant, payload);
          break;
        }
        case 76 /* WRAP */: {
          const t = code[ip++];
          const v = share(stack[sp - 1]);
          stack[sp - 1] = t === 2 ? new ROption(true, v) : new RResult(t === 0, v);
          break;
        }
        case 77 /* NONE */:
          stack[sp++] = ROption.NONE;
          break;
        case 78 /* INTERP */: {
          const n = code[ip++];
          let s = "";
          for (let i = sp - n; i < sp; i++) {
            const v = stack[i];
            s += typeof v === "string" ? v : display(v);
          }
          sp -= n;
          stack[sp++] = s;
          break;
        }
        case 79 /* STRUCT_DEF */: {
          const [name, fields, methods] = consts[code[ip++]] as [string, string[], string[]];
          const n = code[ip++];
          const def = new StructDef(name, fields);
          for (let i = 0; i < n; i++) {
            const cl = stack[sp - n + i] as Closure;
            cl.owner = def;
            def.methods.set(methods[i], cl);
          }
          sp -= n;
          stack[sp++] = def;
          break;
        }
        case 80 /* ENUM_DEF */: {
          const [name, ...variants] = consts[code[ip++]] as string[];
          stack[sp++] = new EnumDef(name, variants);
          break;
        }

        case 81 /* THROW */: {
          const v = stack[--sp];
          frame.ip = at;
          fiber.sp = sp;
          if (v instanceof RError) throw new RuffThrow(v);
          let message: string, cause: Value = null;
          if (typeof v === "string") message = v;
          else if (v instanceof RStruct) {
            const m = v.fields.get("message");
            message = typeof m === "string" ? m : `${v.def.name} error`;
            cause = v.fields.get("cause") ?? null;
          } else message = display(v);
          throw new RuffThrow(this.makeError(message, fiber, cause));
        }
        case 82 /* RAISE */:
          frame.ip = at;
          fiber.sp = sp;
          throw new RuffError(consts[code[ip++]] as string);
        case 86 /* RERAISE */: {
          const v = stack[--sp];
          frame.ip = at;
          fiber.sp = sp;
          throw new RuffThrow(v as RError);
        }
        case 87 /* RERAISE_AT */: {
          const v = stack[--sp];
          frame.ip = code[ip];
          fiber.sp = sp;
          throw new RuffThrow(v as RError);
        }
        case 83 /* TRY_OP */: {
          const v = stack[sp - 1];
          if ((v instanceof RResult && v.ok) || (v instanceof ROption && v.some)) {
            stack[sp - 1] = v.value;
            break;
          }
          frame.ip = at;
          fiber.sp = sp;
          if (!(v instanceof RResult) && !(v instanceof ROption)) {
            throw new RuffError(`The ? operator requires a Result or Option, got ${typeName(v)}`);
          }
          if (frame.proto.isTopLevel || frame.proto.isGenerator) {
            throw new RuffError(
              v instanceof RResult ? `Unhandled Err: ${display(v.value)}` : "Unhandled None",
            );
          }
          // Return the Err/None from the innermost function.
          ip = at;
          stack[sp - 1] = v;
          code = RETURN_CODE;
          ip = 0;
          break;
        }
        case 84 /* AWAIT */: {
          const v = stack[sp - 1];
          if (!(v instanceof RPromise)) break;
          frame.ip = at;
          fiber.sp = sp;
          if (v.state === "pending") {
            this.drainTasks();
          }
          if (v.state === "pending") {
            frame.ip = ip;
            fiber.sp = sp - 1;
            if (this.nesting > 1 || !v.settle) {
              frame.ip = at;
              throw new RuffError("Cannot wait for a pending promise here");
            }
            this.waitingOn = v;
            this.suspendAt = at;
            return SUSPENDED;
          }
          if (v.state === "rejected") {
            throw new RuffError(`Promise rejected: ${display(v.value)}`);
          }
          stack[sp - 1] = v.value;
          break;
        }
        case 85 /* YIELD */: {
          this.lastYield = stack[--sp];
          frame.ip = ip;
          fiber.sp = sp;
          return YIELDED;
        }

        case 88 /* ITER_INIT */: {
          frame.ip = at;
          fiber.sp = sp;
          stack[sp - 1] = this.iterInit(stack[sp - 1]) as unknown as Value;
          break;
        }
        case 89 /* ITER_NEXT */: {
          const it = stack[sp - 1] as unknown as IterState;
          let v: Value | typeof DONE;
          if (it.k === "arr" && it.items !== null) {
            v = it.i < it.items.length ? it.items[it.i++] : DONE;
          } else if (it.k === "range") v = it.i < it.n ? it.i++ : DONE;
          else {
            frame.ip = at;
            fiber.sp = sp;
            v = this.iterNext(it);
          }
          if (v === DONE) ip = code[ip];
          else {
            ip++;
            if (v instanceof Cow) v.refs++;
            stack[sp++] = v;
          }
          break;
        }
        case 90 /* CHECK_ENUM */: {
          const name = consts[code[ip++]] as string;
          const def = stack[--sp];
          if (!(def instanceof EnumDef)) {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Undefined enum: ${name}`);
          }
          break;
        }
        case 91 /* MATCH */: {
          const desc = consts[code[ip++]] as MatchDesc;
          const target = code[ip++];
          const n = matchPattern(desc, stack[sp - 1], stack, sp);
          if (n < 0) ip = target;
          else sp += n;
          break;
        }
        case 92 /* UNPACK_ARRAY */: {
          const n = code[ip++];
          const rest = code[ip++];
          const v = stack[--sp];
          if (!(v instanceof RArray)) {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Cannot destructure ${typeName(v)} with an array pattern`);
          }
          for (let i = 0; i < n; i++) stack[sp++] = share(i < v.items.length ? v.items[i] : null);
          if (rest) stack[sp++] = arrayOf(v.items.slice(n));
          break;
        }
        case 93 /* UNPACK_DICT */: {
          const names = consts[code[ip++]] as string[];
          const rest = code[ip++];
          const v = stack[--sp];
          let map: Map<string, Value>;
          if (v instanceof RDict) map = v.map;
          else if (v instanceof RStruct) map = v.fields;
          else {
            frame.ip = at;
            fiber.sp = sp;
            throw new RuffError(`Cannot destructure ${typeName(v)} with a dict pattern`);
          }
          for (const nm of names) stack[sp++] = share(map.get(nm) ?? null);
          if (rest) {
            const d = new RDict();
            for (const [k, x] of map) if (!names.includes(k)) d.map.set(k, share(x));
            stack[sp++] = d;
          }
          break;
        }

        case 94 /* SPAWN */: {
          const proto = consts[code[ip++]] as FuncProto;
          const ups: Upvalue[] = proto.captures.map((c) => {
            const u = c.isLocal ? null : frame.closure.upvalues[c.index];
            const v = c.isLocal
              ? stack[base + c.index]
              : (u!.stack ? u!.stack[u!.index] : u!.value);
            return { stack: null, index: 0, value: share(v) };
          });
          const cl = new Closure(proto, ups);
          const snap = new Globals(frame.globals.table, frame.globals.file, frame.globals.mainDir);
          snap.values = frame.globals.values.map((x) => (x === undefined ? x : share(x)));
          snap.consts = frame.globals.consts.slice();
          cl.globals = snap;
          this.tasks.push(new Task(cl, true));
          break;
        }
        case 95 /* IMPORT */: {
          const spec = consts[code[ip++]] as string[];
          const n = code[ip++];
          frame.ip = at;
          fiber.sp = sp;
          const line = frame.proto.lines[at], col = frame.proto.cols[at];
          const mod = this.host.importModule(this, spec[0], frame.globals, line, col);
          if (n === 0) {
            for (const name of mod.exports) {
              const v = mod.get(name);
              if (v !== undefined) frame.globals.set(name, share(v));
            }
            gvals = frame.globals.values;
          } else {
            for (let i = 1; i <= n; i++) {
              const name = spec[i];
              const v = mod.exports.has(name) ? mod.get(name) : undefined;
              if (v === undefined) {
                throw new RuffError(`Symbol '${name}' not found in module '${spec[0]}'`);
              }
              stack[sp++] = v;
            }
          }
          break;
        }
        case 96 /* EXPORT */: {
          for (const name of consts[code[ip++]] as string[]) frame.globals.exports.add(name);
          break;
        }
        default:
          frame.ip = at;
          fiber.sp = sp;
          throw new Error(`Unknown opcode ${op}`);
      }
    }
  }

  /** Awaits a native's JS promise: suspends when possible. */
  awaitJs(fiber: Fiber, p: Promise<Value>, at: number): Value {
    const rp = RPromise.from(p);
    if (this.nesting > 1) {
      fiber.frames[fiber.frames.length - 1].ip = at;
      throw new RuffError("Cannot wait for an asynchronous result inside a callback");
    }
    this.waitingOn = rp;
    this.suspendAt = at;
    this.resumeWithValue = true;
    return SUSPENDED;
  }

  /** After a suspension for a native's promise the settled value is pushed (not awaited). */
  resumeWithValue = false;

  /**
   * Calls operator method `name` of struct `a` with `b` (or no argument for unary operators).
   * The operands are already popped down to `a`'s slot. Returns false when not overloaded.
   */
  overload(fiber: Fiber, a: RStruct, name: string, b: Value | undefined, negate: boolean): boolean {
    const m = a.def.methods.get(name);
    if (!m) return false;
    const stack = fiber.stack;
    // Layout for the call: [a, b?] where a sits at the slot of the left operand.
    const base = fiber.sp - 1 + (b === undefined ? 1 : 0);
    stack[base] = share(a);
    let argc = 0;
    if (b !== undefined) {
      stack[base + 1] = b;
      argc = 1;
    }
    fiber.sp = base + 1 + argc;
    const frame = fiber.frames[fiber.frames.length - 1];
    const r = this.enterClosure(fiber, m, base, argc, 0, `${a.def.name}.`);
    if (r !== undefined) {
      fiber.sp = base;
      stack[fiber.sp++] = r;
      return true;
    }
    const callee = fiber.frames[fiber.frames.length - 1];
    callee.negate = negate;
    // Resume the caller after the operator instruction.
    frame.ip = nextIp(frame);
    return true;
  }

  /**
   * Method call dispatch (LANGUAGE.md §10.1). Stack: [receiver, args…]. Returns undefined
   * when a frame was pushed, else the immediate result (receiver and args popped).
   */
  invoke(fiber: Fiber, name: string, argc: number, wb: boolean): Value | undefined {
    const stack = fiber.stack;
    const base = fiber.sp - argc - 1;
    const recv = stack[base];
    const wbMode = wb ? 2 : 0;
    if (recv instanceof RStruct) {
      const m = recv.def.methods.get(name);
      if (m) {
        stack[base] = share(recv);
        return this.enterClosure(fiber, m, base, argc, wbMode, "");
      }
      const f = recv.fields.get(name);
      if (f !== undefined && isCallable(f)) {
        stack[base] = f;
        return this.finishCall(fiber, argc, wb);
      }
      throw new RuffError(`Struct ${recv.def.name} has no method '${name}'`);
    }
    if (recv instanceof StructDef) {
      const m = recv.methods.get(name);
      if (!m) throw new RuffError(`Struct ${recv.name} has no method '${name}'`);
      if (m.proto.hasSelf) throw new RuffError(`Method ${recv.name}.${name} requires an instance`);
      return this.enterClosure(fiber, m, base, argc, wb ? 1 : 0, "");
    }
    if (recv instanceof RDict) {
      const f = recv.map.get(name);
      if (f !== undefined && isCallable(f)) {
        stack[base] = f;
        return this.finishCall(fiber, argc, wb);
      }
    }
    const args = stack.slice(base + 1, base + 1 + argc);
    fiber.sp = base;
    const r = this.builtinMethod(recv, name, args, wb);
    if (r !== undefined) return r;
    const fn = this.builtins.get(name);
    if (fn instanceof NativeFn) {
      const all = [recv, ...args];
      if (all.length < fn.minArgs || all.length > fn.maxArgs) {
        throw new RuffError(arityMessage(fn.name, fn.minArgs, fn.maxArgs, all.length));
      }
      const out = fn.impl(all, this.ctx);
      if (out instanceof Promise) {
        return this.awaitJs(fiber, out, fiber.frames[fiber.frames.length - 1].ip);
      }
      return out;
    }
    throw new RuffError(`${typeName(recv)} has no method '${name}'`);
  }

  /** Calls the callable at stack[base] (a field or dict entry) with the args above it. */
  finishCall(fiber: Fiber, argc: number, wb: boolean): Value | undefined {
    const r = this.setupCall(fiber, argc, wb ? 1 : 0);
    if (r === undefined) return undefined;
    if (r instanceof Promise) {
      return this.awaitJs(fiber, r, fiber.frames[fiber.frames.length - 1].ip);
    }
    return r;
  }

  /** Built-in methods of §10.2, §12.4, §13.4; undefined when `name` is not one for `recv`. */
  builtinMethod(recv: Value, name: string, args: Value[], inPlace: boolean): Value | undefined {
    if (recv instanceof RArray || recv instanceof RDict) {
      const target = inPlace ? recv : recv.refs > 0 ? cloneCow(recv) : recv;
      const r = recv instanceof RArray
        ? arrayMethod(this, target as RArray, name, args)
        : dictMethod(target as RDict, name, args);
      if (r !== undefined) return r;
      if (recv instanceof RArray && name === "collect" && args.length === 0) {
        return arrayOf(recv.items.slice());
      }
      return undefined;
    }
    if (recv instanceof RGenerator || recv instanceof RIterator) {
      return this.iteratorMethod(recv, name, args);
    }
    if (recv instanceof RChannel) {
      if (name === "send") {
        expectArgs("send", args, 1);
        recv.queue.push(share(args[0]));
        return true;
      }
      if (name === "receive") {
        expectArgs("receive", args, 0);
        return this.receive(recv);
      }
      throw new RuffError(`Channel has no method '${name}'`);
    }
    if (recv instanceof Resource) {
      const methods = (recv.payload as { methods?: Record<string, unknown> })?.methods;
      const m = methods?.[name];
      if (typeof m === "function") return (m as (a: Value[]) => Value)(args);
    }
    return undefined;
  }

  iteratorMethod(recv: RGenerator | RIterator, name: string, args: Value[]): Value | undefined {
    const pull = recv instanceof RIterator ? recv.pull : () => this.resume(recv);
    switch (name) {
      case "next": {
        expectArgs("next", args, 0);
        const v = pull();
        return v === DONE ? null : v;
      }
      case "collect": {
        expectArgs("collect", args, 0);
        const out: Value[] = [];
        for (let v = pull(); v !== DONE; v = pull()) out.push(v);
        return arrayOf(out);
      }
      case "filter": {
        expectArgs("filter", args, 1);
        const f = args[0];
        return new RIterator(() => {
          for (let v = pull(); v !== DONE; v = pull()) {
            if (truthy(this.callValue(f, [v]))) return v;
          }
          return DONE;
        });
      }
      case "map": {
        expectArgs("map", args, 1);
        const f = args[0];
        return new RIterator(() => {
          const v = pull();
          return v === DONE ? DONE : this.callValue(f, [v]);
        });
      }
      case "take":
      case "skip": {
        expectArgs(name, args, 1);
        const n = args[0];
        if (typeof n !== "number" || n < 0) {
          throw new RuffError(`${name}() requires a non-negative integer`);
        }
        let count = 0;
        if (name === "take") {
          return new RIterator(() => {
            if (count >= n) return DONE;
            count++;
            return pull();
          });
        }
        let skipped = false;
        return new RIterator(() => {
          if (!skipped) {
            skipped = true;
            for (let i = 0; i < n; i++) if (pull() === DONE) return DONE;
          }
          return pull();
        });
      }
    }
    return undefined;
  }
}

const RETURN_CODE = [OP_RETURN];

/** The instruction after the one at frame.ip. */
function nextIp(frame: Frame): number {
  // Operator instructions are one byte except the *_LK forms (two operands).
  const op = frame.proto.code[frame.ip];
  return frame.ip + (op === OP_ADD_LK || op === OP_SUB_LK || op === OP_LT_LK ? 3 : 1);
}

function expectArgs(name: string, args: Value[], n: number) {
  if (args.length !== n) throw new RuffError(arityMessage(name, n, n, args.length));
}

/** Display name of a function for stacks and errors. */
export function funcName(c: Closure): string {
  const n = c.name ?? "<anonymous>";
  return c.owner ? `${c.owner.name}.${n}` : n;
}

/** Dict key from an index value (LANGUAGE.md §3.7). */
export function dictKey(k: Value): string {
  if (typeof k === "string") return k;
  if (typeof k === "number" || typeof k === "bigint") return String(k);
  throw new RuffError(
    `Invalid index operation: dict keys must be strings or ints, got ${typeName(k)}`,
  );
}

function arrayIndex(len: number, i: Value): number {
  if (typeof i !== "number" && typeof i !== "bigint") {
    throw new RuffError(`Invalid index operation: cannot index array with ${typeName(i)}`);
  }
  const n = Number(i);
  const k = n < 0 ? len + n : n;
  if (k < 0 || k >= len) throw new RuffError(`Index out of bounds: ${i}`);
  return k;
}

let cpCache: { s: string; cps: string[] } = { s: "", cps: [] };
function codePoints(s: string): string[] {
  if (cpCache.s !== s) cpCache = { s, cps: Array.from(s) };
  return cpCache.cps;
}

/** `o[i]` (LANGUAGE.md §5.7). */
export function getIndex(o: Value, i: Value): Value {
  if (o instanceof RArray) return o.at(arrayIndex(o.length, i));
  if (o instanceof RDict) {
    const k = dictKey(i);
    const v = o.map.get(k);
    if (v === undefined) throw new RuffError(`Missing map key: "${k}"`);
    return v;
  }
  if (typeof o === "string") {
    if (typeof i !== "number" && typeof i !== "bigint") {
      throw new RuffError(`Invalid index operation: cannot index string with ${typeName(i)}`);
    }
    const cps = codePoints(o);
    return cps[arrayIndex(cps.length, i)];
  }
  if (o instanceof RBytes) return o.data[arrayIndex(o.data.length, i)];
  throw new RuffError(`Invalid index operation: cannot index ${typeName(o)}`);
}

/** `o[i] := v` on a container already made unique. */
export function setIndex(o: Value, i: Value, v: Value): void {
  if (o instanceof RArray) {
    const k = arrayIndex(o.length, i);
    const st = o.store;
    if (st !== null && st.set(k, v)) return;
    const items = o.items;
    if (v instanceof Cow && items[k] !== v) v.refs++;
    items[k] = v;
    return;
  }
  if (o instanceof RDict) {
    const k = dictKey(i);
    if (v instanceof Cow && o.map.get(k) !== v) v.refs++;
    o.map.set(k, v);
    return;
  }
  if (typeof o === "string") throw new RuffError("Invalid index assignment: strings are immutable");
  throw new RuffError(`Invalid index assignment: cannot assign into ${typeName(o)}`);
}

/** `o.name` (LANGUAGE.md §5.7). */
export function getField(o: Value, name: string): Value {
  if (o instanceof RStruct) {
    const v = o.fields.get(name);
    if (v !== undefined) return v;
    const m = o.def.methods.get(name);
    if (m) return new BoundMethod(o, m, o.def.name);
    throw new RuffError(`Struct ${o.def.name} has no field '${name}'`);
  }
  if (o instanceof RDict) {
    const v = o.map.get(name);
    if (v === undefined) throw new RuffError(`Missing map key: "${name}"`);
    return v;
  }
  if (o instanceof RError) {
    switch (name) {
      case "message":
        return o.message;
      case "stack":
        return arrayOf(o.stack.slice());
      case "line":
        return o.line;
      case "cause":
        return o.cause;
    }
    throw new RuffError(`Error value has no field '${name}'`);
  }
  if (o instanceof StructDef) {
    const m = o.methods.get(name);
    if (m) return m;
    throw new RuffError(`Struct ${o.name} has no method '${name}'`);
  }
  if (o instanceof Resource) {
    const fields = (o.payload as { fields?: Record<string, Value> })?.fields;
    if (fields && name in fields) return fields[name];
  }
  throw new RuffError(`Cannot access field '${name}' on ${typeName(o)}`);
}

/** `o?.name`: null instead of an error when absent (LANGUAGE.md §5.8). */
export function getFieldOpt(o: Value, name: string): Value {
  if (o === null) return null;
  if (o instanceof RStruct) return o.fields.get(name) ?? null;
  if (o instanceof RDict) return o.map.get(name) ?? null;
  if (o instanceof StructDef) return o.methods.get(name) ?? null;
  try {
    return getField(o, name);
  } catch {
    return null;
  }
}

/** `o.name := v` on a container already made unique. */
export function setField(o: Value, name: string, v: Value): void {
  if (o instanceof RStruct) {
    if (!o.fields.has(name)) throw new RuffError(`Struct ${o.def.name} has no field '${name}'`);
    if (v instanceof Cow && o.fields.get(name) !== v) v.refs++;
    o.fields.set(name, v);
    return;
  }
  if (o instanceof RDict) {
    if (v instanceof Cow && o.map.get(name) !== v) v.refs++;
    o.map.set(name, v);
    return;
  }
  throw new RuffError(`Cannot set field '${name}' on ${typeName(o)}`);
}

/** Tests a `match` pattern; pushes the bindings and returns their count, or -1. */
function matchPattern(d: MatchDesc, v: Value, stack: Value[], sp: number): number {
  switch (d.t) {
    case "wild":
      return 0;
    case "lit":
      return valuesEqual(v, d.v) ? 0 : -1;
    case "label":
      return v === d.name ? 0 : -1;
    case "wrap": {
      let ok = false;
      let payload: Value = null;
      if (v instanceof RResult && (d.tag === "Ok" ? v.ok : d.tag === "Err" ? !v.ok : false)) {
        ok = true;
        payload = v.value;
      } else if (
        v instanceof ROption && (d.tag === "Some" ? v.some : d.tag === "None" ? !v.some : false)
      ) {
        ok = true;
        payload = v.value;
      }
      if (!ok) return -1;
      if (d.bind) {
        stack[sp] = share(payload);
        return 1;
      }
      return 0;
    }
    case "enum": {
      let payload: Value[] | null = null;
      if (v instanceof REnum && v.def.name === d.e && v.variant === d.v) payload = v.payload;
      else if (d.e === "Result" && v instanceof RResult && (d.v === "Ok") === v.ok) {
        payload = [v.value];
      } else if (d.e === "Option" && v instanceof ROption && (d.v === "Some") === v.some) {
        payload = v.some ? [v.value] : [];
      }
      if (!payload) return -1;
      if (d.n === null) return 0;
      if (payload.length !== d.n) return -1;
      for (let i = 0; i < d.n; i++) stack[sp + i] = share(payload[i]);
      return d.n;
    }
  }
}

// ───────────── mutating methods (LANGUAGE.md §10.2) ─────────────

function sortValues(vm: VM, items: Value[]): Value[] {
  void vm;
  return items.sort((a, b) => {
    if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
    if (arith.compare(a, b, "<")) return -1;
    if (arith.compare(a, b, ">")) return 1;
    return 0;
  });
}

function arrayMethod(vm: VM, a: RArray, name: string, args: Value[]): Value | undefined {
  switch (name) {
    case "push":
    case "append":
      expectArgs(name, args, 1);
      a.push(args[0]);
      return a;
    case "pop":
      expectArgs(name, args, 0);
      if (a.length === 0) throw new RuffError("pop from empty array");
      return a.pop();
    case "insert": {
      expectArgs(name, args, 2);
      const i = args[0];
      if (typeof i !== "number") throw new RuffError("insert() requires an integer index");
      const len = a.items.length;
      const k = i < 0 ? len + i : i;
      if (k < 0 || k > len) throw new RuffError(`Index out of bounds: ${i}`);
      a.items.splice(k, 0, share(args[1]));
      return a;
    }
    case "remove": {
      expectArgs(name, args, 1);
      const k = a.items.findIndex((x) => valuesEqual(x, args[0]));
      if (k >= 0) a.items.splice(k, 1);
      return a;
    }
    case "remove_at": {
      expectArgs(name, args, 1);
      const k = arrayIndex(a.items.length, args[0]);
      return a.items.splice(k, 1)[0];
    }
    case "clear":
      expectArgs(name, args, 0);
      a.items = [];
      return a;
    case "sort":
      expectArgs(name, args, 0);
      sortValues(vm, a.items);
      return a;
    case "reverse":
      expectArgs(name, args, 0);
      a.items.reverse();
      return a;
  }
  return undefined;
}

function dictMethod(d: RDict, name: string, args: Value[]): Value | undefined {
  switch (name) {
    case "remove": {
      expectArgs(name, args, 1);
      const k = dictKey(args[0]);
      const v = d.map.get(k);
      d.map.delete(k);
      return v ?? null;
    }
    case "clear":
      expectArgs(name, args, 0);
      d.map.clear();
      return d;
    case "update": {
      expectArgs(name, args, 1);
      const o = args[0];
      if (!(o instanceof RDict)) throw new RuffError("update() requires a dict argument");
      for (const [k, v] of o.map) d.map.set(k, share(v));
      return d;
    }
  }
  return undefined;
}
