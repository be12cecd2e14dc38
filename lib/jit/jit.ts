/**
 * The JIT runtime: tiering decisions, compilation of units through a {@link Backend},
 * instantiation with the shared memory and globals, entry from the VM (calls and on-stack
 * replacement at loop headers), exits back to the VM (frame reconstruction), invalidation when
 * a global a unit relies on changes, bailout accounting and statistics.
 *
 * @module
 */

import type { FuncProto } from "../bytecode.ts";
import { Op, OP_OPERANDS } from "../opcodes.ts";
import { type Fiber, Frame, type Globals } from "../handles.ts";
import {
  type ArrayIter,
  arrayIter,
  type Closure,
  Cow,
  RArray,
  RFloat,
  unique,
  type Value,
} from "../values.ts";
import {
  elemHint,
  growStore,
  jitMemory,
  readInt,
  storeOf,
  type Views,
  views,
  writeInt,
} from "./heap.ts";
import {
  type CalleeRef,
  type CellMap,
  CompileFail,
  DEEP_EXIT,
  E_INT32,
  type ExitSite,
  FIRST_BUDGET,
  generate,
  INNER_NAME,
  isArrIter,
  isRangeIter,
  K_AITER,
  K_ARRAY,
  K_BOOL,
  K_CONST,
  K_FLOAT,
  K_INT,
  K_NULL,
  K_RANGE,
  MATH_FNS,
  MAX_BUDGET,
  MAX_PAUSE_BUDGET,
  MEM_BUDGET,
  MEM_ENTRY,
  MEM_FLAG,
  MEM_GUARD,
  MEM_PAGES,
  MEM_PAUSE_CAP,
  MEM_PAUSES,
  MEM_RECORDS,
  MEM_RESULT,
  MEM_STATUS,
  paramType,
  RT_GLOBALS,
  RT_IMPORTS,
  type Slot,
  slotOf,
  type State,
  type UnitCode,
  type UnitEnv,
  WASM_DEPTH,
  WB_MARK_REF,
} from "./codegen.ts";
import type { Backend, Module } from "./ir.ts";
import { DEFAULT_JIT_THRESHOLD, type JitOptions } from "./options.ts";
import { LEFT, NOT_ENTERED } from "./signals.ts";

/** `WebAssembly.Tag` (exception handling), which TypeScript's library does not declare yet. */
interface WasmTagApi {
  Tag: new (type: { parameters: string[] }) => WebAssembly.ImportValue;
}

/** Guard failures of one unit before it is thrown away. */
const MAX_BAILOUTS = 50;
/**
 * Exits at the direct-call depth limit before a function is left to the VM for good. Each such
 * exit unwinds WASM_DEPTH frames into the VM, so code that keeps recursing deeper than the
 * limit runs slower compiled than in the VM (measured: 3000 calls of a linear recursion up to
 * depth 3000, 644 ms against 334 ms in the VM).
 */
const MAX_DEEP_EXITS = 50;
/** Recompilations of one function or loop before it is blacklisted. */
const MAX_RECOMPILES = 3;
/** Specialisations kept per loop. */
const MAX_LOOP_VARIANTS = 3;
const NEVER = -2147483647;
const MAX_SAFE = 9007199254740991;
/**
 * Times the VM enters a compiled loop before the loop around it is treated as hot: its next
 * back-edge compiles it, so the inner loop's entries and exits stop crossing into JS.
 */
const PROMOTE_AFTER = 2;

interface Unit {
  kind: "func" | "loop";
  proto: FuncProto;
  name: string;
  valid: boolean;
  bailouts: number;
  /** Exits at the direct-call depth limit (see MAX_DEEP_EXITS). */
  deepExits: number;
  /** Units that call this one directly (invalidated with it). */
  dependents: Set<Unit>;
  bytes: Uint8Array;
}

/** A compiled specialisation of a function. */
interface FuncUnit extends Unit, CalleeRef {
  kind: "func";
  closure: Closure;
  /** Element kinds of the array parameters (see `elemHint`; 0 for other parameters). */
  elems: number[];
  /** True when some parameter is an array. */
  arrays: boolean;
  entry: (...args: unknown[]) => number;
}

/** A loop header at which the VM enters a loop unit. */
interface Door {
  header: number;
  loopId: number;
  /** The unit's entry number (its entry function's argument). */
  id: number;
  /** The frame state the unit expects there. */
  state: State;
  /** Where each live slot goes in the entry area. */
  cells: CellMap[];
}

/** A compiled loop (entered by on-stack replacement). */
interface LoopUnit extends Unit {
  kind: "loop";
  /** Times the VM entered this unit. */
  entered: number;
  run: (door: number) => void;
  /** Where the VM may enter: first the loop the unit was compiled for (see `compileNest`). */
  doors: Door[];
  /** Back-edges the next entry may take before it pauses (see `MEM_BUDGET`). */
  budget: number;
  /**
   * The loop (id) the unit runs whole: the loop it was compiled for or one around it, or -1
   * for the rest of the function (see `compileNest`).
   */
  region: number;
}

/** A function unit being compiled, and the calls back into it compiled meanwhile. */
interface InProgress {
  closure: Closure;
  kinds: number[];
  /** Result kind inference found so far (0: none yet). */
  ret: number;
  /** Table slots callers were compiled against, with the result kind they assume. */
  forwards: Forward[];
}

/** A call to a unit still being compiled: through table slot `slot`, assuming result `ret`. */
interface Forward {
  target: InProgress;
  slot: number;
  ret: number;
  /** The units compiled with this call (set when each registers). */
  users: Unit[];
}

interface ProtoState {
  specs: FuncUnit[];
  recompiles: number;
  /** A restartable unit of this function had to leave: compile it with exit records now. */
  noRestart: boolean;
  /** A guard of this function's unchecked steps or sums failed: compile them checked now. */
  noStepGuards: boolean;
  loops: Map<number, LoopUnit[]>;
  loopRecompiles: Map<number, number>;
  /** Header and end of each loop, by loop id (see `loopSpan`); null until needed. */
  spans: Int32Array | null;
  /** Loops (ids) that are not compiled around a hot loop nested in them (see `compileNest`). */
  noNest: Set<number>;
  /** The function's call count when each loop (by id) was last found hot but left (see `loop`). */
  hotAtCalls: Map<number, number>;
}

/** Statistics shown by `--jit-stats`. */
export interface JitStats {
  functions: number;
  loops: number;
  compileMs: number;
  failures: Map<string, number>;
  exits: Map<string, number>;
  entries: number;
  /** Pauses of loop units within wasm (see `codegen.ts`, MEM_RESUME). */
  pauses: number;
  wasmMs: number;
  invalidations: number;
}

type VMLike = {
  builtins: Map<string, Value>;
};

/** The JIT of one VM. */
export class Jit {
  readonly threshold: number;
  /** The process's JIT memory (`heap.ts`), shared by every unit and every JIT. */
  readonly memory: WebAssembly.Memory = jitMemory();
  /** The exception every unit's function code throws to leave (codegen.ts, `leave`). */
  readonly exitTag = new (WebAssembly as unknown as WasmTagApi).Tag({ parameters: [] });
  readonly limit = new WebAssembly.Global({ value: "i32", mutable: true }, WASM_DEPTH);
  readonly dp = new WebAssembly.Global({ value: "i32", mutable: true }, MEM_RECORDS);
  /** Internal functions of units a caller was compiled against before they existed (see `forward`). */
  readonly table = new WebAssembly.Table({ element: "anyfunc", initial: 0 });
  readonly stats: JitStats = {
    functions: 0,
    loops: 0,
    compileMs: 0,
    failures: new Map(),
    exits: new Map(),
    entries: 0,
    pauses: 0,
    wasmMs: 0,
    invalidations: 0,
  };
  /** Wasm of every compiled unit, for `--jit-dump`. */
  readonly compiled: { name: string; bytes: Uint8Array }[] = [];
  private readonly sites: ExitSite[] = [];
  private readonly protos = new Map<FuncProto, ProtoState>();
  /** Function units being compiled (nested when a callee is compiled for its caller). */
  private readonly inProgress = new Map<FuncProto, InProgress>();
  private readonly watchers = new Map<Globals, Map<number, Set<Unit>>>();
  private readonly spilled = new Map<number, unknown>();
  /** Times a watched global was written (folded globals written twice are read at run time). */
  private readonly volatileGlobals = new Map<Globals, Map<number, number>>();
  private entryRefs: unknown[] = [];
  /** Views of the memory (replaced when it grows: read them after running wasm). */
  private readonly V: Views = views();
  private curLimit = WASM_DEPTH;
  private readonly timing: boolean;
  /** Largest budget of a pause within wasm (`JitOptions.pauseBudget`, see `MEM_PAUSE_CAP`). */
  private readonly pauseCap: number;
  /** When the JIT was made (just before the program starts to run). */
  private readonly born = performance.now();
  private readonly keepBytes: boolean;
  private readonly imports: WebAssembly.Imports;
  /** Argument scratch for entries. */
  private readonly argBuf: unknown[] = [];

  constructor(
    private readonly vm: VMLike,
    readonly backend: Backend,
    opts: JitOptions,
    wbMark: unknown,
    private readonly maxDepth: number,
  ) {
    this.threshold = Math.max(1, opts.threshold ?? DEFAULT_JIT_THRESHOLD);
    this.timing = !!opts.stats;
    this.pauseCap = Math.max(1, Math.min(opts.pauseBudget ?? MAX_PAUSE_BUDGET, MAX_BUDGET));
    this.keepBytes = !!opts.dump;
    WB_MARK_REF.v = wbMark;
    const rt = {
      ahdr: (a: RArray, kind: number): number => storeOf(a, kind),
      agrow: (hp: number, bytes: number): number => growStore(hp, bytes) ? 1 : 0,
      amut: (a: RArray): RArray => (a.refs > 1 ? unique(a) : a),
      aunique: (a: RArray): number => (a.refs > 1 ? 0 : 1),
      aiter: (a: RArray): ArrayIter => arrayIter(a),
      ait_hdr: (it: ArrayIter, kind: number): number => {
        if (it.a === null) {
          // A snapshot the VM took as a JS array: give it a store of its own.
          it.a = new RArray(it.items!);
          it.a.refs = 1;
          it.items = null;
        }
        return storeOf(it.a, kind);
      },
      ait_pos: (it: ArrayIter): number => it.i,
      fmod: (x: number, y: number): number => x % y,
      spill: (addr: number, ref: unknown): void => {
        this.spilled.set(addr, ref);
      },
      getref: (slot: number): unknown => this.entryRefs[slot],
      setref: (slot: number, ref: unknown): void => {
        this.entryRefs[slot] = ref;
      },
      setit: (slot: number, it: ArrayIter, pos: number): void => {
        it.i = pos;
        this.entryRefs[slot] = it;
      },
      mathf: (id: number, a: number, b: number): number => MATH_FNS[id](a, b),
    };
    this.imports = {
      rt,
      env: {
        exit: this.exitTag,
        mem: this.memory,
        limit: this.limit,
        dp: this.dp,
        tab: this.table,
      },
    };
  }

  // ───────────── calls ─────────────

  /**
   * A call of `closure` with `argc` arguments on `fiber`'s stack (callee at `nb`), made by the
   * VM's fast call path once the function is hot. Compiles on first use. Returns the result,
   * NOT_ENTERED (the VM runs the call) or LEFT (frames rebuilt; the VM resumes the top one).
   */
  call(
    fiber: Fiber,
    closure: Closure,
    argc: number,
    nb: number,
  ): Value | typeof NOT_ENTERED | typeof LEFT {
    const proto = closure.proto;
    const stack = fiber.stack;
    let spec = proto.jit as FuncUnit | null;
    if (spec === null || spec.closure !== closure) {
      const kinds: number[] = [], elems: number[] = [];
      for (let i = 1; i <= argc; i++) {
        const sl = slotOf(stack[nb + i]);
        kinds.push(sl.k);
        elems.push(sl.e ?? 0);
      }
      spec = this.specFor(closure, kinds, elems);
      if (spec === null) return NOT_ENTERED;
      proto.jit = spec;
    }
    // Argument guards and conversion.
    const params = spec.params;
    const args = this.argBuf;
    args.length = argc;
    for (let i = 0; i < argc; i++) {
      const v = stack[nb + 1 + i];
      switch (params[i]) {
        case K_INT:
          if (typeof v !== "number") return this.mismatch(spec, fiber, argc, nb);
          args[i] = v;
          break;
        case K_FLOAT:
          if (!(v instanceof RFloat)) return this.mismatch(spec, fiber, argc, nb);
          args[i] = v.v;
          break;
        case K_BOOL:
          if (typeof v !== "boolean") return this.mismatch(spec, fiber, argc, nb);
          args[i] = v ? 1 : 0;
          break;
        default:
          if (
            !(v instanceof RArray) || (elemHint(v) || E_INT32) !== (spec.elems[i] || E_INT32)
          ) return this.mismatch(spec, fiber, argc, nb);
          args[i] = v;
      }
    }
    // Array arguments are stored in parameters (as the VM's call does), once every guard held.
    if (spec.arrays) {
      for (let i = 0; i < argc; i++) if (params[i] === K_ARRAY) (args[i] as RArray).refs++;
    }
    const room = this.maxDepth - fiber.frames.length - 1;
    const lim = room < WASM_DEPTH ? room : WASM_DEPTH;
    if (lim !== this.curLimit) {
      this.limit.value = lim;
      this.curLimit = lim;
    }
    this.stats.entries++;
    const t0 = this.timing ? performance.now() : 0;
    const e = spec.entry;
    const r = argc === 0
      ? e()
      : argc === 1
      ? e(args[0])
      : argc === 2
      ? e(args[0], args[1])
      : argc === 3
      ? e(args[0], args[1], args[2])
      : e(...args);
    if (this.timing) this.stats.wasmMs += performance.now() - t0;
    if (r === r) {
      return spec.ret === K_INT
        ? (r <= MAX_SAFE && r >= -MAX_SAFE ? r : this.V.i64[MEM_RESULT >> 3])
        : spec.ret === K_FLOAT
        ? new RFloat(r)
        : spec.ret === K_BOOL
        ? r !== 0
        : null;
    }
    const status = this.V.i32[MEM_STATUS >> 2];
    if (status === 0) return new RFloat(r); // a Float NaN result
    if (status >= 2) {
      // A restartable unit left (no records; it changed nothing but the count of places
      // holding its array arguments, undone here): the VM runs the whole call.
      this.V.i32[MEM_STATUS >> 2] = 0;
      const site = this.sites[status - 2];
      this.count(this.stats.exits, site.reason);
      this.guardFailed();
      if (spec.arrays) {
        for (let i = 0; i < argc; i++) if (params[i] === K_ARRAY) (args[i] as RArray).refs--;
      }
      this.restarted((site as ExitSite & { unit: Unit }).unit.proto);
      return NOT_ENTERED;
    }
    this.rebuild(fiber, nb, null, closure);
    return LEFT;
  }

  /**
   * The arguments do not fit the specialisation the VM enters: switch to (or compile) one for
   * their kinds, else let the VM run the call.
   */
  private mismatch(
    spec: FuncUnit,
    fiber: Fiber,
    argc: number,
    nb: number,
  ): Value | typeof NOT_ENTERED | typeof LEFT {
    const stack = fiber.stack;
    const kinds: number[] = [], elems: number[] = [];
    for (let i = 1; i <= argc; i++) {
      const sl = slotOf(stack[nb + i]);
      kinds.push(sl.k);
      elems.push(sl.e ?? 0);
    }
    const other = this.specFor(spec.closure, kinds, elems);
    if (other !== null && other !== spec) {
      spec.proto.jit = other;
      return this.call(fiber, spec.closure, argc, nb);
    }
    this.count(this.stats.exits, "entry: argument kinds differ (VM runs the call)");
    if (++spec.bailouts > MAX_BAILOUTS) {
      // Keeps being called with arguments the JIT cannot specialise: leave it to the VM.
      this.invalidate(spec, "called with arguments of other kinds");
      spec.proto.calls = NEVER;
    }
    return NOT_ENTERED;
  }

  /**
   * A compiled specialisation of `closure` for argument kinds `kinds` (array arguments with
   * element kinds `elems`), or null.
   */
  private specFor(closure: Closure, kinds: number[], elems: number[] = []): FuncUnit | null {
    const proto = closure.proto;
    const ps = this.protoState(proto);
    for (const s of ps.specs) {
      if (
        s.valid && s.closure === closure &&
        s.params.every((k, i) =>
          k === kinds[i] && (k !== K_ARRAY || (s.elems[i] || E_INT32) === (elems[i] || E_INT32))
        )
      ) return s;
    }
    if (ps.recompiles > MAX_RECOMPILES || this.inProgress.has(proto)) return null;
    if (!proto.simple || proto.captures.length > 0) {
      this.fail("function is not plain (method, generator, async or closure)");
      ps.recompiles = MAX_RECOMPILES + 1;
      return null;
    }
    if (kinds.some((k) => k !== K_INT && k !== K_FLOAT && k !== K_BOOL && k !== K_ARRAY)) {
      this.fail("argument of a kind the JIT does not specialise");
      return null;
    }
    ps.recompiles++;
    const t0 = performance.now();
    const self: InProgress = { closure, kinds, ret: 0, forwards: [] };
    this.inProgress.set(proto, self);
    const deps: [Globals, number][] = [];
    const calls: FuncUnit[] = [];
    const forwards: Forward[] = [];
    let made: FuncUnit | null = null;
    try {
      const entry: Slot[] = [{ k: K_CONST, c: closure }];
      const stackArgs = kinds.map((
        k,
        i,
      ) => (k === K_ARRAY ? { k, e: elems[i] || E_INT32 } : { k }));
      entry.push(...stackArgs);
      const globals = closure.globals as Globals;
      const code = generate(
        proto,
        "func",
        entry,
        0,
        proto.code.length,
        this.env(globals, deps, calls, forwards, self, !ps.noRestart, !ps.noStepGuards),
      );
      const mod = this.module(code);
      const bytes = this.backend.emit(mod);
      const inst = this.instantiate(bytes, code.callees, code.refConsts, globals);
      const spec: FuncUnit = {
        kind: "func",
        proto,
        name: proto.name ?? "anonymous",
        valid: true,
        bailouts: 0,
        deepExits: 0,
        dependents: new Set(),
        bytes,
        closure,
        params: kinds,
        elems,
        arrays: kinds.includes(K_ARRAY),
        restartable: code.restartable,
        ret: code.ret,
        fn: inst.exports[INNER_NAME],
        entry: inst.exports.entry as (...a: unknown[]) => number,
      };
      this.register(spec, code.exits, deps, calls, forwards);
      ps.specs.push(spec);
      made = spec;
      this.stats.functions++;
      if (this.keepBytes) this.compiled.push({ name: `func ${spec.name}`, bytes });
      return spec;
    } catch (e) {
      if (!(e instanceof CompileFail)) throw e;
      this.fail(`${proto.name ?? "function"}: ${e.message}`);
      ps.recompiles = MAX_RECOMPILES + 1;
      return null;
    } finally {
      this.inProgress.delete(proto);
      this.settle(self, made);
      this.stats.compileMs += performance.now() - t0;
    }
  }

  /**
   * A call to `cl` (kinds `kinds`) while `cl` itself is being compiled, as in mutual
   * recursion: the caller calls through a table slot, filled when `cl` is done (see `settle`);
   * one slot per caller compile (inference visits the call more than once). Null when the
   * kinds differ from the compile in progress or its result kind is not known yet.
   */
  private forward(cl: Closure, kinds: number[], used: Forward[]): CalleeRef | null {
    const p = this.inProgress.get(cl.proto)!;
    if (p.closure !== cl || p.ret === 0 || p.kinds.some((k, i) => k !== kinds[i])) return null;
    let f = used.find((u) => u.target === p);
    if (f === undefined) {
      f = { target: p, slot: this.table.grow(1), ret: p.ret, users: [] };
      p.forwards.push(f);
      used.push(f);
    }
    return { proto: cl.proto, params: kinds, ret: f.ret, fn: null, slot: f.slot };
  }

  /**
   * The compile `p` ended, making `spec` (null: it failed). Calls compiled against it through
   * the table now reach it, or their units are discarded when it failed or returns another kind.
   */
  private settle(p: InProgress, spec: FuncUnit | null): void {
    for (const f of p.forwards) {
      if (spec !== null && spec.ret === f.ret) {
        this.table.set(f.slot, spec.fn as WebAssembly.ExportValue as never);
        for (const u of f.users) spec.dependents.add(u);
      } else {
        for (const u of f.users) {
          this.invalidate(u, "a function it calls back did not compile as assumed");
        }
      }
    }
  }

  // ───────────── loops ─────────────

  /**
   * The VM reached the back-edge `at` (loop `loopId`) of `frame` often enough: compile the
   * loop if needed and run it. Returns LEFT when compiled code ran (frames rebuilt), else
   * NOT_ENTERED.
   */
  loop(fiber: Fiber, frame: Frame, at: number, sp: number): typeof LEFT | typeof NOT_ENTERED {
    const proto = frame.proto;
    const code = proto.code;
    const header = code[at + 1];
    const loopId = code[at + 2];
    const ps = this.protoState(proto);
    const stack = fiber.stack;
    const base = frame.base;
    const h = sp - base;
    const variants = ps.loops.get(header);
    let unit: LoopUnit | undefined;
    let door: Door | undefined;
    if (variants) {
      for (const u of variants) {
        if (!u.valid) continue;
        const d = u.doors.find((d) => d.header === header)!;
        if (d.state.length === h && matches(d.state, stack, base)) {
          unit = u;
          door = d;
          break;
        }
      }
    }
    if (unit === undefined || door === undefined) {
      // The hits that made this loop hot came from calls of its function that each ran it only
      // a few times (two or more calls since it was last found hot): leave it to the VM, and to
      // the function's own compile once the function is hot. A unit per such loop cost more to
      // compile and enter than its few rounds gained: 40 small functions called 30 times each,
      // a loop of 5 rounds in each, took 19-29 ms with such units, 4.7-7.3 ms without them and
      // 4.8-7.6 ms without the JIT. Hot again within one call, it compiles.
      const calls = proto.calls;
      if (calls >= 2 && ps.hotAtCalls.get(loopId) !== calls) {
        ps.hotAtCalls.set(loopId, calls);
        proto.loopHits[loopId] = 0;
        return NOT_ENTERED;
      }
      const n = ps.loopRecompiles.get(header) ?? 0;
      if (
        n >= MAX_RECOMPILES + MAX_LOOP_VARIANTS ||
        (variants && variants.length >= MAX_LOOP_VARIANTS)
      ) {
        proto.loopHits[loopId] = NEVER;
        return NOT_ENTERED;
      }
      ps.loopRecompiles.set(header, n + 1);
      const state: Slot[] = [];
      for (let s = 0; s < h; s++) state.push(slotOf(stack[base + s]));
      const u = this.compileNest(frame, header, at + 3, loopId, state);
      if (u === null) {
        proto.loopHits[loopId] = NEVER;
        return NOT_ENTERED;
      }
      for (const d of u.doors) {
        let vs = ps.loops.get(d.header);
        if (vs === undefined) ps.loops.set(d.header, vs = []);
        vs.push(u);
        // The VM enters at the unit's other doors on their next back-edge.
        if (proto.loopHits[d.loopId] !== NEVER) proto.loopHits[d.loopId] = this.threshold - 1;
      }
      unit = u;
      door = u.doors[0];
    }
    // Enter: write the frame state to the entry area.
    const cells = door.cells;
    const f64 = this.V.f64, i32 = this.V.i32;
    this.entryRefs.length = 0;
    for (const c of cells) {
      const v = stack[base + c.slot];
      const at8 = (MEM_ENTRY >> 3) + c.cell;
      switch (c.kind) {
        case K_INT:
          writeInt(at8, v as number | bigint);
          break;
        case K_FLOAT:
          f64[at8] = (v as RFloat).v;
          break;
        case K_BOOL:
          i32[at8 * 2] = v ? 1 : 0;
          break;
        case K_RANGE: {
          const it = v as unknown as { i: number; n: number };
          writeInt(at8, it.i);
          writeInt(at8 + 1, it.n);
          break;
        }
        case K_ARRAY:
        case K_AITER:
          this.entryRefs[c.slot] = v;
          break;
      }
    }
    const room = this.maxDepth - fiber.frames.length - 1;
    const lim = room < WASM_DEPTH ? room : WASM_DEPTH;
    if (lim !== this.curLimit) {
      this.limit.value = lim;
      this.curLimit = lim;
    }
    this.stats.entries++;
    const t0 = this.timing ? performance.now() : 0;
    i32[MEM_BUDGET >> 2] = unit.budget;
    i32[MEM_PAUSE_CAP >> 2] = this.pauseCap;
    unit.run(door.id);
    unit.budget = this.V.i32[MEM_BUDGET >> 2];
    const pauses = this.V.i32[MEM_PAUSES >> 2];
    if (pauses !== 0) {
      this.stats.pauses += pauses;
      this.V.i32[MEM_PAUSES >> 2] = 0;
    }
    if (this.timing) this.stats.wasmMs += performance.now() - t0;
    this.entryRefs.length = 0;
    this.rebuild(fiber, base, frame, null);
    // Back-edges of this loop keep entering it while it stays valid.
    if (unit.valid) proto.loopHits[loopId] = this.threshold - 1;
    // Entered again: the enclosing loop runs it repeatedly, so that loop is hot too.
    if (++unit.entered === PROMOTE_AFTER && unit.region >= 0) {
      const outer = proto.loopParent[unit.region];
      if (outer >= 0 && proto.loopHits[outer] >= 0) proto.loopHits[outer] = this.threshold - 1;
    }
    return LEFT;
  }

  /**
   * A unit for the hot loop `loopId` (header `header`, code up to `end`), entered at its header
   * with `state`. The unit is the widest region around the loop that compiles, entered in the
   * middle (at `header`), so that one compile covers what would otherwise become hot and be
   * compiled in turn:
   * 1. in a plain function, the rest of the function: every loop nest it reaches, up to its
   *    return or an instruction only the VM runs;
   * 2. else the outermost loop around this one;
   * 3. else the loop itself.
   * The VM enters the unit again at its doors: this loop's header and the header of every
   * outermost loop of the region (see `generate`). A region whose compile fails, or whose unit
   * keeps bailing out, is not tried again.
   */
  private compileNest(
    frame: Frame,
    header: number,
    end: number,
    loopId: number,
    state: Slot[],
  ): LoopUnit | null {
    const proto = frame.proto;
    const ps = this.protoState(proto);
    const around: number[] = [];
    for (let p = proto.loopParent[loopId]; p >= 0; p = proto.loopParent[p]) around.push(p);
    if (proto.simple && !proto.isTopLevel && !ps.noNest.has(-1)) {
      const u = this.compileLoop(frame, 0, proto.code.length, loopId, state, header, -1);
      if (u !== null) return u;
      ps.noNest.add(-1);
    }
    for (let i = around.length - 1; i >= 0; i--) {
      const p = around[i];
      if (ps.noNest.has(p) || proto.loopHits[p] === NEVER) continue;
      const [h, e] = this.loopSpan(ps, proto, p);
      const u = this.compileLoop(frame, h, e, loopId, state, header, p);
      if (u !== null) return u;
      ps.noNest.add(p);
    }
    return this.compileLoop(frame, header, end, loopId, state, header, loopId);
  }

  /** Header and end (just after its back-edge) of loop `id` of `proto`. */
  private loopSpan(ps: ProtoState, proto: FuncProto, id: number): [number, number] {
    if (ps.spans === null) {
      const code = proto.code;
      ps.spans = new Int32Array(2 * proto.loopParent.length);
      for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
        if (code[ip] === Op.LOOP) {
          ps.spans[2 * code[ip + 2]] = code[ip + 1];
          ps.spans[2 * code[ip + 2] + 1] = ip + 3;
        }
      }
    }
    return [ps.spans[2 * id], ps.spans[2 * id + 1]];
  }

  /** The id of the loop whose header is `header`. */
  private loopAt(ps: ProtoState, proto: FuncProto, header: number): number {
    for (let id = 0; id < proto.loopParent.length; id++) {
      if (this.loopSpan(ps, proto, id)[0] === header) return id;
    }
    return -1;
  }

  /**
   * Compiles the loop `region` (code from `start` to `end`; -1: the whole function) as a unit
   * entered with `state` at `header`, the header of loop `loopId` (the region itself or a loop
   * nested in it).
   */
  private compileLoop(
    frame: Frame,
    start: number,
    end: number,
    loopId: number,
    state: Slot[],
    header: number,
    region: number,
  ): LoopUnit | null {
    const proto = frame.proto;
    const t0 = performance.now();
    const deps: [Globals, number][] = [];
    const calls: FuncUnit[] = [];
    try {
      const forwards: Forward[] = [];
      const code = generate(
        proto,
        "osr",
        state,
        start,
        end,
        this.env(
          frame.globals,
          deps,
          calls,
          forwards,
          null,
          false,
          !this.protoState(proto).noStepGuards,
        ),
        header,
      );
      const mod = this.module(code);
      const bytes = this.backend.emit(mod);
      const inst = this.instantiate(bytes, code.callees, code.refConsts, frame.globals);
      const ps = this.protoState(proto);
      const doors = code.entries!.map((en, i): Door => ({
        header: en.header,
        loopId: i === 0 ? loopId : this.loopAt(ps, proto, en.header),
        id: i + 1,
        state: en.state,
        cells: en.cells,
      }));
      const fname = proto.name ?? "<top level>";
      const unit: LoopUnit = {
        kind: "loop",
        proto,
        name: (region === -1 ? `${fname} from the loop at ${header}` : `${fname} loop at ${start}` +
          (start !== header ? ` (entered at ${header})` : "")) +
          (doors.length > 1 ? `, doors ${doors.map((d) => d.header).join(", ")}` : ""),
        valid: true,
        bailouts: 0,
        deepExits: 0,
        dependents: new Set(),
        bytes,
        entered: 0,
        run: inst.exports.entry as (door: number) => void,
        doors,
        budget: this.pauseCap < FIRST_BUDGET ? this.pauseCap : FIRST_BUDGET,
        region,
      };
      this.register(unit, code.exits, deps, calls, forwards);
      this.stats.loops++;
      if (this.keepBytes) this.compiled.push({ name: `loop ${unit.name}`, bytes });
      return unit;
    } catch (e) {
      if (!(e instanceof CompileFail)) throw e;
      const what = region === loopId
        ? "loop"
        : region === -1
        ? "rest of the function from a hot loop"
        : "loop around a hot loop";
      this.fail(`${proto.name ?? "<top level>"} ${what}: ${e.message}`);
      return null;
    } finally {
      this.stats.compileMs += performance.now() - t0;
    }
  }

  // ───────────── compilation services ─────────────

  private env(
    globals: Globals,
    deps: [Globals, number][],
    calls: FuncUnit[],
    forwards: Forward[],
    self: InProgress | null,
    restartOk: boolean,
    guardsOk: boolean,
  ): UnitEnv {
    const vm = this.vm;
    return {
      restartable: () => restartOk,
      stepGuards: () => guardsOk,
      global: (g: number): Value | undefined => {
        const v = globals.values[g];
        if (v !== undefined) return v;
        return vm.builtins.get(globals.table.names[g]);
      },
      dependOn: (g: number) => {
        deps.push([globals, g]);
      },
      volatile: (g: number) => (this.volatileGlobals.get(globals)?.get(g) ?? 0) >= 2,
      mutable: (g: number) => globals.values[g] !== undefined && !globals.consts[g],
      callee: (cl: Closure, kinds: number[]): CalleeRef | null => {
        if (cl.proto.arity !== kinds.length) return null;
        if (this.inProgress.has(cl.proto)) return this.forward(cl, kinds, forwards);
        const s = this.specFor(cl, kinds);
        if (s !== null) calls.push(s);
        return s;
      },
      returns: (k: number) => {
        if (self !== null && self.ret === 0) self.ret = k;
      },
      exitId: (site: ExitSite): number => {
        site.id = this.sites.length;
        this.sites.push(site);
        return site.id;
      },
    };
  }

  private module({ funcs, importOrder, indirect, callees, refConsts }: UnitCode): Module {
    return {
      imports: importOrder.map((i) => {
        if (i >= 0) {
          const f = RT_IMPORTS[i];
          return { module: "rt", name: f.name, params: f.params, results: f.results };
        }
        const c = callees[-1 - i];
        return {
          module: "u",
          name: `f${-1 - i}`,
          params: ["i32" as const, ...c.params.map(paramType)],
          results: [paramType(c.ret)],
        };
      }),
      funcs,
      globals: [
        ...RT_GLOBALS.map((n) => ({
          t: "i32" as const,
          mutable: true,
          import: { module: "env", name: n },
        })),
        ...refConsts.map((_, i) => ({
          t: "externref" as const,
          mutable: false,
          import: { module: "k", name: `r${i}` },
        })),
      ],
      memory: { module: "env", name: "mem", min: MEM_PAGES },
      tag: { module: "env", name: "exit" },
      ...(indirect.length > 0 ? { table: { module: "env", name: "tab" }, indirect } : {}),
    };
  }

  /** The `gget` / `gset` imports of units of module scope `globals`. */
  private globalImports(globals: Globals) {
    const V = this.V;
    const values = globals.values;
    /** Global `g` := `v` (an f64 carrying a value of kind `kind`). */
    const store = (g: number, v: number, kind: number): void => {
      values[g] = kind === K_INT ? v : kind === K_FLOAT ? new RFloat(v) : v !== 0;
    };
    return {
      gget: (g: number, kind: number): number => {
        const v = values[g];
        if (kind === K_INT) return typeof v === "number" ? v : NaN;
        if (kind === K_BOOL) return v === true ? 1 : v === false ? 0 : 2;
        if (v instanceof RFloat) return v.v;
        V.i32[MEM_FLAG >> 2] = 1;
        return NaN;
      },
      gset: (g: number, v: number, kind: number): number => {
        if (globals.consts[g] || values[g] === undefined) return 0;
        const set = this.watchers.get(globals)?.get(g);
        if (set !== undefined) {
          for (const u of set) if (u.valid) return 0;
        }
        store(g, v, kind);
        return 1;
      },
      // A loop unit's write-back of a global it kept in a local (codegen.ts, `promoted`): the
      // VM's write, telling the units that folded the global in that it changed.
      gput: (g: number, v: number, kind: number): void => {
        store(g, v, kind);
        if (globals.watch !== null) globals.watch(g);
      },
      // Whether the VM may write the global (defined, not a const).
      gok: (g: number): number => (values[g] !== undefined && !globals.consts[g] ? 1 : 0),
    };
  }

  private instantiate(
    bytes: Uint8Array,
    callees: CalleeRef[],
    refConsts: unknown[],
    globals: Globals,
  ): WebAssembly.Instance {
    const u: Record<string, unknown> = {};
    callees.forEach((c, i) => u[`f${i}`] = c.fn);
    const k: Record<string, unknown> = {};
    refConsts.forEach((v, i) =>
      k[`r${i}`] = new WebAssembly.Global(
        { value: "externref", mutable: false } as unknown as WebAssembly.GlobalDescriptor,
        v,
      )
    );
    const mod = new WebAssembly.Module(bytes as BufferSource);
    const rt = { ...this.imports.rt, ...this.globalImports(globals) };
    return new WebAssembly.Instance(mod, { ...this.imports, rt, u, k } as WebAssembly.Imports);
  }

  private register(
    unit: Unit,
    exits: ExitSite[],
    deps: [Globals, number][],
    calls: FuncUnit[],
    forwards: Forward[],
  ) {
    for (const s of exits) (s as ExitSite & { unit?: Unit }).unit = unit;
    for (const f of forwards) f.users.push(unit);
    for (const c of calls) c.dependents.add(unit);
    for (const [globals, g] of deps) {
      let m = this.watchers.get(globals);
      if (m === undefined) {
        this.watchers.set(globals, m = new Map());
        globals.watch = (slot: number) => this.globalWritten(globals, slot);
      }
      let set = m.get(g);
      if (set === undefined) m.set(g, set = new Set());
      set.add(unit);
    }
  }

  /** A global some unit depends on was written: drop those units. */
  globalWritten(globals: Globals, g: number): void {
    const set = this.watchers.get(globals)?.get(g);
    if (!set || set.size === 0) return;
    let vg = this.volatileGlobals.get(globals);
    if (vg === undefined) this.volatileGlobals.set(globals, vg = new Map());
    vg.set(g, (vg.get(g) ?? 0) + 1);
    for (const u of [...set]) this.invalidate(u, "a global it relies on changed");
    set.clear();
  }

  private invalidate(unit: Unit, why: string): void {
    if (!unit.valid) return;
    unit.valid = false;
    this.stats.invalidations++;
    this.count(this.stats.failures, `discarded: ${why}`);
    const ps = this.protoState(unit.proto);
    if (unit.kind === "func") {
      const f = unit as FuncUnit;
      ps.specs = ps.specs.filter((s) => s !== f);
      if (unit.proto.jit === f) unit.proto.jit = null;
      unit.proto.calls = ps.recompiles > MAX_RECOMPILES ? NEVER : 0;
    } else {
      const l = unit as LoopUnit;
      for (const d of l.doors) {
        const vs = ps.loops.get(d.header);
        if (vs) ps.loops.set(d.header, vs.filter((v) => v !== l));
        if (unit.proto.loopHits[d.loopId] !== NEVER) unit.proto.loopHits[d.loopId] = 0;
      }
      // The region around is not compiled whole again when its unit kept bailing out.
      if (l.region !== l.doors[0].loopId && l.bailouts > MAX_BAILOUTS) ps.noNest.add(l.region);
    }
    for (const d of unit.dependents) this.invalidate(d, "a function it calls was discarded");
  }

  /**
   * A restartable unit of function `proto` left: discard its restartable units; the function is
   * compiled with exit records from now on.
   */
  private restarted(proto: FuncProto): void {
    const ps = this.protoState(proto);
    ps.noRestart = true;
    for (const s of [...ps.specs]) {
      if (s.restartable) {
        this.invalidate(s, "left as a restartable unit (compiled with exit records next)");
      }
    }
  }

  /**
   * After compiled code left: when a guard failed on the way (see `guardedSteps` and
   * `guardedSums`), its function is compiled with every step and sum checked from now on, and
   * the unit is discarded (the guard would fail again).
   */
  private guardFailed(): void {
    const i32 = this.V.i32;
    const g = i32[MEM_GUARD >> 2];
    if (g === 0) return;
    i32[MEM_GUARD >> 2] = 0;
    const unit = (this.sites[g - 1] as ExitSite & { unit?: Unit }).unit;
    if (unit === undefined) return;
    this.protoState(unit.proto).noStepGuards = true;
    this.invalidate(unit, "a guard of unchecked steps or sums failed (compiled checked next)");
  }

  private protoState(proto: FuncProto): ProtoState {
    let ps = this.protos.get(proto);
    if (ps === undefined) {
      ps = {
        specs: [],
        recompiles: 0,
        noRestart: false,
        noStepGuards: false,
        loops: new Map(),
        loopRecompiles: new Map(),
        spans: null,
        noNest: new Set(),
        hotAtCalls: new Map(),
      };
      this.protos.set(proto, ps);
    }
    return ps;
  }

  private fail(reason: string) {
    this.count(this.stats.failures, `not compiled: ${reason}`);
  }

  private count(m: Map<string, number>, key: string) {
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  // ───────────── Int cells ─────────────

  // ───────────── leaving compiled code ─────────────

  /**
   * Rebuilds VM frames from the exit records: the outermost record is the frame at `base`
   * (`existing`, or a new frame for `closure`); each further record is a callee frame.
   */
  private rebuild(fiber: Fiber, base: number, existing: Frame | null, closure: Closure | null) {
    const i32 = this.V.i32, f64 = this.V.f64;
    const end = this.dp.value;
    const recs: { site: ExitSite; at: number }[] = [];
    for (let p = MEM_RECORDS; p < end;) {
      const site = this.sites[i32[p >> 2]];
      recs.push({ site, at: p });
      p += 8 * (1 + site.ncells);
    }
    this.dp.value = MEM_RECORDS;
    i32[MEM_STATUS >> 2] = 0;
    this.guardFailed();
    // Accounting: the innermost record says why compiled code was left.
    const inner = recs[0].site;
    this.count(this.stats.exits, inner.reason);
    if (inner.rerun) {
      // The callee was restartable and left (the VM is about to run the call): it must not be
      // entered again as it is, or it would leave again.
      this.restarted(inner.callee!.proto);
    }
    const unit = (inner as ExitSite & { unit?: Unit }).unit;
    if (!inner.normal && unit && ++unit.bailouts > MAX_BAILOUTS) {
      this.invalidate(unit, `keeps bailing out (${inner.reason})`);
    } else if (inner.reason === DEEP_EXIT && unit && ++unit.deepExits > MAX_DEEP_EXITS) {
      this.protoState(unit.proto).recompiles = MAX_RECOMPILES + 1;
      this.invalidate(unit, "recursion keeps going deeper than compiled code may");
    }
    const stack = fiber.stack;
    let b = base;
    let callee = closure;
    for (let r = recs.length - 1; r >= 0; r--) {
      const { site, at } = recs[r];
      let frame: Frame;
      if (r === recs.length - 1 && existing !== null) frame = existing;
      else {
        const cl = callee!;
        frame = new Frame(cl, cl.proto, b, cl.globals as Globals);
        fiber.frames.push(frame);
      }
      const cellBase = (at >> 3) + 1;
      for (const c of site.cells) {
        let v: Value;
        switch (c.kind) {
          case K_INT:
            v = readInt(cellBase + c.cell);
            break;
          case K_FLOAT:
            v = new RFloat(f64[cellBase + c.cell]);
            break;
          case K_BOOL:
            v = i32[(cellBase + c.cell) * 2] !== 0;
            break;
          case K_NULL:
            v = null;
            break;
          case K_RANGE: {
            const i = readInt(cellBase + c.cell), n = readInt(cellBase + c.cell + 1);
            v = { k: "range", i: Number(i), n: Number(n) } as unknown as Value;
            break;
          }
          case K_ARRAY:
            v = this.spilled.get(8 * (cellBase + c.cell)) as Value;
            break;
          case K_AITER: {
            // The position is in the cell (see `storeCells` in codegen.ts).
            const it = this.spilled.get(8 * (cellBase + c.cell)) as ArrayIter;
            it.i = i32[(cellBase + c.cell) * 2];
            v = it as unknown as Value;
            break;
          }
          default:
            v = c.c as Value;
        }
        stack[b + c.slot] = v;
        // A container the unit held (PIN) is held in the VM from here, as if it had run the PIN.
        if (c.pin && v instanceof Cow) {
          v.refs++;
          (frame.pins ??= []).push(v);
        }
      }
      frame.ip = site.ip;
      callee = site.callee ?? null;
      if (r > 0) b += site.height;
      else fiber.sp = b + site.height;
    }
    this.spilled.clear();
  }

  /** Statistics as text (for `--jit-stats`). */
  report(): string {
    const s = this.stats;
    const lines = [
      "JIT statistics",
      `  compiled: ${s.functions} function(s), ${s.loops} loop(s) in ${s.compileMs.toFixed(2)} ms` +
      ` (${this.backend.name} backend)`,
      `  entries into compiled code: ${s.entries}`,
    ];
    if (s.pauses) {
      lines.push(`  pauses within compiled loops (V8's optimised code takes over): ${s.pauses}`);
    }
    if (this.timing) {
      // Share of the program's run: the JIT starts just before the program does.
      const share = (100 * s.wasmMs) / Math.max(performance.now() - this.born, 1e-3);
      lines.push(
        `  time in compiled code: ${s.wasmMs.toFixed(1)} ms (${share.toFixed(0)}% of the run)`,
      );
    }
    if (s.invalidations) lines.push(`  discarded units: ${s.invalidations}`);
    if (s.exits.size) {
      lines.push("  exits to the VM, by reason:");
      for (const [k, n] of [...s.exits].sort((a, b) => b[1] - a[1])) lines.push(`    ${n}  ${k}`);
    }
    if (s.failures.size) {
      lines.push("  not compiled / discarded:");
      for (const [k, n] of [...s.failures].sort((a, b) => b[1] - a[1])) {
        lines.push(`    ${n}  ${k}`);
      }
    }
    return lines.join("\n") + "\n";
  }
}

function matches(state: State, stack: Value[], base: number): boolean {
  for (let s = 0; s < state.length; s++) {
    const want = state[s];
    const v = stack[base + s];
    switch (want.k) {
      case K_INT:
        if (typeof v !== "number" && typeof v !== "bigint") return false;
        break;
      case K_FLOAT:
        if (!(v instanceof RFloat)) return false;
        break;
      case K_BOOL:
        if (typeof v !== "boolean") return false;
        break;
      case K_NULL:
        if (v !== null) return false;
        break;
      case K_ARRAY:
        if (!(v instanceof RArray) || (elemHint(v) || E_INT32) !== (want.e || E_INT32)) {
          return false;
        }
        break;
      case K_RANGE:
        if (!isRangeIter(v)) return false;
        break;
      case K_AITER:
        if (!isArrIter(v) || (slotOf(v).e || E_INT32) !== (want.e || E_INT32)) return false;
        break;
      default:
        if (v !== want.c) return false;
    }
  }
  return true;
}
