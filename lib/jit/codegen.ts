/**
 * Bytecode → wasm IR for one compilation unit: a whole function (entered by a call) or a loop
 * (entered at its header by on-stack replacement).
 *
 * The unit is specialised to the kinds of values it starts with (the live arguments or frame
 * slots) and to what the code does with them: every VM slot (locals and operand stack alike)
 * has a statically known kind at every instruction, found by abstract interpretation over the
 * bytecode. Anything the unit cannot express — an unsupported instruction, a failed guard, an
 * Int overflow, a division by zero, a jump out of the loop — becomes an *exit*: the unit writes
 * every live slot to linear memory and returns, and the VM resumes at that very instruction
 * (before any of its effects), so it raises the right error or just carries on. A function unit
 * that changes nothing outside its own activation is *restartable*: its exits write nothing and
 * the VM runs the whole call again (see {@link UnitCode.restartable}).
 *
 * Arrays of numbers or Bools are used in place, as typed stores in the JIT's memory (`heap.ts`):
 * an array slot holds the array's reference and its store's header address.
 *
 * @module
 */

import type { FuncProto } from "../bytecode.ts";
import { Op, OP_OPERANDS, OP_TARGET } from "../opcodes.ts";
import { type ArrayIter, Closure, Cow, NativeFn, RArray, RFloat, type Value } from "../values.ts";
import type { BinOp, Expr, Func, StoreOp, UnOp, ValType } from "./ir.ts";
import { math, pick, powf, roundHalfAway } from "../runtime/math.ts";
import { elemHint, FIXED_PAGES } from "./heap.ts";
import { type HoistEnv, hoistHeaderReads } from "./hoist.ts";

/**
 * Math natives compiled in place (all return Floats, LANGUAGE.md R7): wasm instructions where
 * they are exact, else the same JS function through the `mathf` import (f64 in, f64 out).
 */
const MATH_OPS: Record<string, UnOp> = {
  abs: "f64.abs",
  sqrt: "f64.sqrt",
  floor: "f64.floor",
  ceil: "f64.ceil",
};
/** The other math natives, called through the `mathf` import by their index here. */
const MATH_CALLED: Record<string, (a: number, b: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  log: Math.log,
  exp: Math.exp,
  round: roundHalfAway,
  pow: powf,
  min: (a, b) => pick(a, b, false),
  max: (a, b) => pick(a, b, true),
};
/** Functions behind the `mathf` import, by id. */
export const MATH_FNS: ((a: number, b: number) => number)[] = Object.values(MATH_CALLED);
const MATH_IDS: Record<string, number> = Object.fromEntries(
  Object.keys(MATH_CALLED).map((name, i) => [name, i]),
);
/** The built-in math natives' implementations, by name (host natives of the same name differ). */
const MATH_IMPLS = new Map<unknown, { name: string; arity: number }>(
  math.natives.map((s) => [s.impl, { name: s.name, arity: s.min }]),
);

// ───────────── kinds ─────────────

export * from "./kinds.ts";
import {
  E_INT32,
  K_AITER,
  K_ARRAY,
  K_BOOL,
  K_CONST,
  K_FLOAT,
  K_INT,
  K_NULL,
  K_RANGE,
} from "./kinds.ts";

/** The kind of one VM slot. `c` is the value of a K_CONST slot; `e` the element-kind hint of an array. */
export interface Slot {
  k: number;
  c?: unknown;
  e?: number;
  /**
   * 1 when a `PIN` holds the container in this slot (until its `UNPIN`): compiled code does not
   * count the hold, so it neither calls Ruff functions nor changes arrays meanwhile, and an exit
   * takes the hold to the VM (see {@link CellMap.pin}).
   */
  p?: 1;
}

/** Abstract state: the kind of every slot of the frame, bottom to top. */
export type State = readonly Slot[];

const KIND_NAMES = ["?", "Int", "Float", "Bool", "Null", "Array", "Range", "Const", "ArrayIter"];

/** Human name of a kind. */
export function kindName(k: number): string {
  return KIND_NAMES[k] ?? "?";
}

function sameSlot(a: Slot, b: Slot): boolean {
  return a.k === b.k && (a.k !== K_CONST || a.c === b.c) && a.p === b.p;
}

function sameState(a: State, b: State): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameSlot(a[i], b[i])) return false;
  return true;
}

const S_INT: Slot = { k: K_INT };
const S_FLOAT: Slot = { k: K_FLOAT };
const S_BOOL: Slot = { k: K_BOOL };
const S_NULL: Slot = { k: K_NULL };

/** Element kind of an array or array-iterator slot (its hint; 32-bit Ints when unknown). */
function elemOf(sl: Slot): number {
  return sl.e || E_INT32;
}

/** log2 of the bytes per element of kind `e`. */
function elemShift(e: number): number {
  return e === K_BOOL ? 0 : e === E_INT32 ? 2 : 3;
}

/** Kind of the values read from elements of kind `e`. */
function valueKind(e: number): number {
  return e === E_INT32 ? K_INT : e;
}

/** Name of an element kind. */
function elemName(e: number): string {
  return e === E_INT32 ? "32-bit Int" : kindName(e);
}

/** A range iterator object of the VM (`{ k: "range", i, n }`). */
export function isRangeIter(v: unknown): v is { k: "range"; i: number; n: number } {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype &&
    (v as { k?: string }).k === "range";
}

/** An array iterator object of the VM ({@link ArrayIter}). */
export function isArrIter(v: unknown): v is ArrayIter {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype &&
    (v as { k?: string }).k === "arr";
}

/** Slot kind of a live value (for unit entry). */
export function slotOf(v: unknown): Slot {
  if (typeof v === "number" || typeof v === "bigint") return S_INT;
  if (v instanceof RFloat) return S_FLOAT;
  if (typeof v === "boolean") return S_BOOL;
  if (v === null) return S_NULL;
  if (v instanceof RArray) return { k: K_ARRAY, e: elemHint(v) };
  if (isRangeIter(v)) return { k: K_RANGE };
  if (isArrIter(v)) return { k: K_AITER, e: elemHint(v.a ?? new RArray(v.items!)) };
  return { k: K_CONST, c: v };
}

// ───────────── memory layout (shared by every unit) ─────────────

/** i32 flag set by the `gget` import when a global is not a Float any more. */
export const MEM_FLAG = 0;
/** i64 result cell for Int results beyond ±2^53. */
export const MEM_RESULT = 8;
/**
 * i32 status: 0 running, 1 compiled code was left (exit records written), 2 + site id: a
 * restartable function unit left at that exit site (no records; the VM reruns the call).
 */
export const MEM_STATUS = 16;
/**
 * i32 back-edge budget of the loop unit being entered, before it pauses (written by the JIT
 * before each entry; a pause doubles it, up to the cap at {@link MEM_PAUSE_CAP}).
 */
export const MEM_BUDGET = 24;
/** Largest cap of the pause budget a JIT accepts (`JitOptions.pauseBudget`; back-edges). */
export const MAX_BUDGET = 1 << 30;
/**
 * Default cap of a loop unit's pause budget (back-edges). A pause costs about a
 * call, so the unit keeps pausing every so often and picks up V8's optimised code soon after
 * it is ready (see `pauseEntry`). Against pausing through the VM with budgets doubling without
 * a cap (commit c3146d0), 9 interleaved first runs each: sieve 17.2 -> 15.5 ms, array_sum
 * 11.4 -> 10.6, fib_iter 8.3 -> 6.9, nested_loops 4.7 -> 4.5; steady state level.
 */
export const MAX_PAUSE_BUDGET = 1 << 14;
/** First pause budget of a loop unit (back-edges). */
export const FIRST_BUDGET = 4096;
/** i32 largest budget a pause doubles {@link MEM_BUDGET} to (written with it). */
export const MEM_PAUSE_CAP = 28;
/**
 * i32 door a loop unit's body asks its entry function to call it at again, after saving its
 * state to the entry area (a pause within wasm, see `pauseAt` in `generate`); 0 otherwise.
 */
export const MEM_RESUME = 32;
/** i32 count of pauses within wasm since the JIT last read it (handoffs not counted). */
export const MEM_PAUSES = 40;
/**
 * i32: 1 + the id of the exit site of a guard that failed (see {@link guardedSteps} and
 * {@link guardedSums}), stored just before it leaves; 0 otherwise. The JIT reads and clears it
 * whenever compiled code leaves, records or not (a restartable unit writes none).
 */
export const MEM_GUARD = 44;
/** First cell of the OSR entry area (8 bytes per cell). */
export const MEM_ENTRY = 64;
/** First byte of the exit-record area. */
export const MEM_RECORDS = 65536;
/** Memory size in 64 KiB pages (the fixed areas; typed array stores live above, `heap.ts`). */
export const MEM_PAGES = FIXED_PAGES;
/** Deepest nesting of direct wasm calls before control returns to the VM. */
export const WASM_DEPTH = 1000;
/** Reason of the exit taken at the {@link WASM_DEPTH} limit (a normal exit). */
export const DEEP_EXIT = "deep recursion: continue in the VM";

/**
 * Signatures of the runtime's helpers (module "rt"). A unit imports only those it calls, in
 * order of first use (see {@link UnitCode.importOrder}); the F_ constants index this table.
 */
export const RT_IMPORTS: { name: string; params: ValType[]; results: ValType[] }[] = [
  { name: "ahdr", params: ["externref", "i32"], results: ["i32"] },
  { name: "agrow", params: ["i32", "i32"], results: ["i32"] },
  { name: "amut", params: ["externref"], results: ["externref"] },
  { name: "aunique", params: ["externref"], results: ["i32"] },
  { name: "aiter", params: ["externref"], results: ["externref"] },
  { name: "ait_hdr", params: ["externref", "i32"], results: ["i32"] },
  { name: "ait_pos", params: ["externref"], results: ["i32"] },
  { name: "fmod", params: ["f64", "f64"], results: ["f64"] },
  { name: "spill", params: ["i32", "externref"], results: [] },
  { name: "getref", params: ["i32"], results: ["externref"] },
  { name: "mathf", params: ["i32", "f64", "f64"], results: ["f64"] },
  { name: "gget", params: ["i32", "i32"], results: ["f64"] },
  { name: "gset", params: ["i32", "f64", "i32"], results: ["i32"] },
  { name: "setref", params: ["i32", "externref"], results: [] },
  { name: "setit", params: ["i32", "externref", "i32"], results: [] },
  { name: "gput", params: ["i32", "f64", "i32"], results: [] },
  { name: "gok", params: ["i32"], results: ["i32"] },
];
const F_AHDR = 0, F_AGROW = 1, F_AMUT = 2, F_AUNIQUE = 3, F_AITER = 4, F_AIT_HDR = 5;
const F_AIT_POS = 6, F_FMOD = 7, F_SPILL = 8, F_GETREF = 9, F_MATHF = 10;
const F_GGET = 11, F_GSET = 12, F_SETREF = 13, F_SETIT = 14, F_GPUT = 15, F_GOK = 16;

// Imported globals, at global indices 0..1: the direct-call depth allowed at entry, and the
// next free byte of the exit-record area.
const G_LIMIT = 0, G_DP = 1;
/** Names of the imported i32 globals, in index order. */
export const RT_GLOBALS = ["limit", "dp"];

/** Doubles the pause budget at {@link MEM_BUDGET} while it is below the cap. */
function doubleBudget(): Expr {
  const budget: Expr = { k: "load", op: "i32.load", addr: i32c(MEM_BUDGET), offset: 0 };
  const cap: Expr = { k: "load", op: "i32.load", addr: i32c(MEM_PAUSE_CAP), offset: 0 };
  return {
    k: "store",
    op: "i32.store",
    addr: i32c(MEM_BUDGET),
    offset: 0,
    v: {
      k: "select",
      a: bin("i32.shl", budget, i32c(1)),
      b: budget,
      cond: bin("i32.lt_s", budget, cap),
    },
  };
}

const statusStore = (v: number): Expr => ({
  k: "store",
  op: "i32.store",
  addr: { k: "i32.const", v: MEM_STATUS },
  offset: 0,
  v: { k: "i32.const", v },
});

// ───────────── exits ─────────────

/** Where a live slot goes in an exit record or comes from in the entry area. */
export interface CellMap {
  slot: number;
  kind: number;
  /** Cell index (8 bytes each) after the record header; -1 for kinds without storage. */
  cell: number;
  /** The value of a K_CONST slot. */
  c?: unknown;
  /** The slot's container is held by a `PIN`: the VM counts the hold when it takes over. */
  pin?: true;
}

/** One exit site of a unit. */
export interface ExitSite {
  /** Instruction at which the VM resumes. */
  ip: number;
  /** Frame height (slots) at that instruction. */
  height: number;
  cells: CellMap[];
  /** Cells used by the record (header excluded). */
  ncells: number;
  /** Why the unit leaves here. */
  reason: string;
  /** True when the unit leaves normally (loop done, return outside the unit). */
  normal: boolean;
  /**
   * Set for exits after a direct call whose callee left: the callee's closure. With `rerun`,
   * the callee was restartable and left no record: the VM resumes *at* the call and runs it.
   */
  callee?: Closure;
  /** The site resumes at a call whose restartable callee left (see `callee`). */
  rerun?: boolean;
  /** Index of this site in the JIT's global exit table (filled by the JIT). */
  id: number;
}

/** Lays the live slots of a state out in cells. */
export function cellMap(st: State): { cells: CellMap[]; ncells: number } {
  const cells: CellMap[] = [];
  let n = 0;
  for (let s = 0; s < st.length; s++) {
    const k = st[s].k;
    const cell: CellMap = k === K_NULL || k === K_CONST
      ? { slot: s, kind: k, cell: -1, c: st[s].c }
      : { slot: s, kind: k, cell: n };
    if (st[s].p) cell.pin = true;
    cells.push(cell);
    if (cell.cell >= 0) n += k === K_RANGE ? 2 : 1;
  }
  return { cells, ncells: n };
}

// ───────────── units ─────────────

/** A compiled callee a unit calls directly. */
export interface CalleeRef {
  proto: FuncProto;
  /** Argument kinds of the specialisation. */
  params: number[];
  /** Result kind. */
  ret: number;
  /** The specialisation's exported internal function (imported by the caller). */
  fn: unknown;
  /**
   * Set for a callee still being compiled (a call back into it, as in mutual recursion): the
   * slot of the JIT's function table that will hold its internal function. The caller calls
   * through the table (`call_indirect`) and assumes `ret` as the result kind; the JIT discards
   * the caller if the callee's compile fails or settles on another kind.
   */
  slot?: number;
  /** The callee is restartable (see {@link UnitCode.restartable}). */
  restartable?: boolean;
}

/** Services the code generator needs from the JIT. */
export interface UnitEnv {
  /** Current value of global `g` of the unit's module (builtins included); undefined when unbound. */
  global(g: number): Value | undefined;
  /** Records that the unit depends on global `g` keeping its value. */
  dependOn(g: number): void;
  /** True for a global that changes often: read it at run time instead of folding it. */
  volatile(g: number): boolean;
  /** True when global `g` is defined in the unit's module and not const (it may be mutated). */
  mutable(g: number): boolean;
  /** A compiled specialisation of `cl` for the argument kinds, compiling it when needed; null if impossible. */
  callee(cl: Closure, kinds: number[]): CalleeRef | null;
  /** False when the function may not be compiled restartable (it had to leave as one before). */
  restartable(): boolean;
  /**
   * False once a guard of the function's unchecked steps or sums failed (see {@link guardedSteps}
   * and {@link guardedSums}): check every step and sum.
   */
  stepGuards(): boolean;
  /** Inference found the unit's result kind `k` (a function unit: see {@link CalleeRef.slot}). */
  returns(k: number): void;
  /** Registers an exit site, returning its id. */
  exitId(site: ExitSite): number;
}

/** Thrown when a unit cannot be compiled; the message says why. */
export class CompileFail extends Error {}

/** Result of generating a unit. */
export interface UnitCode {
  funcs: Func[];
  /**
   * The imported functions in index order: a runtime helper the unit calls (its index in
   * {@link RT_IMPORTS}) or a callee (-1 - its index in `callees`).
   */
  importOrder: number[];
  /** Signatures of the unit's calls through the function table (none: no table import). */
  indirect: { params: ValType[]; results: ValType[] }[];
  /** Functions imported from other units (after the runtime imports), in index order. */
  callees: CalleeRef[];
  /** Externref constants, imported as globals after the runtime globals. */
  refConsts: unknown[];
  exits: ExitSite[];
  /** Result kind (function units). */
  ret: number;
  /**
   * A function unit whose code changes nothing outside its own activation (no global writes,
   * no array made unique or iterated, whose count of holders would change, only restartable
   * callees): its exits write no record
   * and leave at once, and the VM runs the whole call again from its start, which repeats no
   * side effect. Its calls need no handler to rebuild frames either, so it stays small.
   */
  restartable: boolean;
  /**
   * Entries of an OSR unit, numbered from 1 in this order (the entry function's argument):
   * the loop header each enters at, the state there and where its live slots go in the entry
   * area.
   */
  entries: { header: number; state: State; cells: CellMap[]; ncells: number }[] | null;
}

const ENTRY_NAME = "entry";
/** Export name of a function unit's typed internal function. */
export const INNER_NAME = "f";

function wtype(k: number): ValType {
  return k === K_FLOAT
    ? "f64"
    : k === K_BOOL
    ? "i32"
    : k === K_ARRAY || k === K_AITER
    ? "externref"
    : "i64";
}

/**
 * Wasm type of local `part` of a slot of kind `k`: a range is two i64 (next value, limit); an
 * array its reference and the address of its store's header; an array iterator its reference,
 * the header address of the store it walks and the next position.
 */
function partType(k: number, part: number): ValType {
  if (k === K_RANGE) return "i64";
  if (part > 0) return "i32";
  return wtype(k);
}

/**
 * The parts of a live slot of kind `k` an exit record holds, as local parts (see `partType`):
 * a range's next value and limit, an array's reference, an array iterator's position and
 * reference; none for null and constants, which the record's layout implies.
 */
function cellParts(k: number): readonly number[] {
  switch (k) {
    case K_NULL:
    case K_CONST:
      return NO_PARTS;
    case K_RANGE:
      return RANGE_PARTS;
    case K_AITER:
      return AITER_PARTS;
    default:
      return VALUE_PART;
  }
}
const NO_PARTS: readonly number[] = [];
const VALUE_PART: readonly number[] = [0];
const RANGE_PARTS: readonly number[] = [0, 1];
const AITER_PARTS: readonly number[] = [2, 0];

/** Wasm type carrying a function unit's parameter or result of kind `k`. */
export function paramType(k: number): ValType {
  return k === K_NULL ? "i32" : wtype(k);
}

const MAX_SAFE = 9007199254740991;
const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;

const i64c = (v: bigint): Expr => ({ k: "i64.const", v });
const i32c = (v: number): Expr => ({ k: "i32.const", v });
const f64c = (v: number): Expr => ({ k: "f64.const", v });
const bin = (op: BinOp, a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });
const toF = (a: Expr): Expr => ({ k: "un", op: "f64.convert_i64_s", a });

interface Scope {
  kind: "block" | "loop";
  start: number;
  end: number;
  label: string;
  body: Expr[];
}

/**
 * Generates one unit. `mode` "func": the whole function `proto`, entered with the argument
 * kinds `entry` (slot 0, the callee, is a constant). "osr": the loop whose header is `start` and
 * whose code ends at `end`, entered with the frame state `entry` at the header `at` of that loop
 * or of a loop nested in it (see {@link enterAt}).
 */
export function generate(
  proto: FuncProto,
  mode: "func" | "osr",
  entry: State,
  start: number,
  end: number,
  env: UnitEnv,
  at: number = start,
): UnitCode {
  const code = proto.code;
  const consts = proto.consts;

  // Instruction boundaries in [0, code.length).
  const isInstr = new Uint8Array(code.length + 1);
  const closureOps = (() => {
    let found = false;
    for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
      isInstr[ip] = 1;
      if (code[ip] === Op.CLOSURE) found = true;
    }
    return found;
  })();
  if (!isInstr[start] || !isInstr[at] || at < start || at >= end) {
    throw new CompileFail("bad unit start");
  }
  const safeInc = boundedIncrements(code, consts, isInstr);
  const condSteps = conditionalSteps(code, consts, proto.handlers);
  // An OSR unit runs one loop (its last instruction is the back-edge to `start`) or the rest of
  // a function from a loop in it (see `Jit.compileNest`): its loops, from their LOOP
  // instructions, tell the code in them from the code between them.
  const wholeFn = mode === "osr" &&
    !(isInstr[end - 3] && code[end - 3] === Op.LOOP && code[end - 2] === start);
  const loopSpans: number[] = [];
  if (wholeFn) {
    for (let ip = start; ip < end; ip += 1 + OP_OPERANDS[code[ip]]) {
      if (code[ip] === Op.LOOP) loopSpans.push(code[ip + 1], ip + 3);
    }
  }
  const inLoop = (ip: number): boolean => {
    for (let i = 0; i < loopSpans.length; i += 2) {
      if (loopSpans[i] <= ip && ip < loopSpans[i + 1]) return true;
    }
    return false;
  };
  // Globals the unit itself assigns: always read at run time.
  const written = new Set<number>();
  for (let ip = start; ip < end; ip += 1 + OP_OPERANDS[code[ip]]) {
    if (code[ip] === Op.SET_GLOBAL) written.add(code[ip + 1]);
  }

  /**
   * Numeric globals the unit reads while they change, or writes: the kinds it stores in each
   * (found by inference). See `promoted`.
   */
  const globalUses = new Map<number, Set<number>>();
  const useGlobal = (g: number, storedKind = 0): void => {
    let ks = globalUses.get(g);
    if (ks === undefined) globalUses.set(g, ks = new Set());
    if (storedKind !== 0) ks.add(storedKind);
  };
  /** The unit calls a Ruff function (which may read or write globals). */
  let callsRuff = false;
  /**
   * Globals a loop unit keeps in locals while it runs (set after inference): loaded at each door,
   * written back by every exit and pause. Only other code could see the difference, and none
   * runs meanwhile: the unit calls no Ruff function, the VM waits. Kept per global: its kind
   * (the same at entry and in every store of the unit), its local, and whether the unit writes
   * it. A top-level loop over globals ran 15x slower than the same loop in a function, every
   * read and write crossing into JavaScript.
   */
  const promoted = new Map<number, { k: number; local: number; written: boolean }>();
  /** Exits write promoted globals back (not in the prologue, before they are loaded). */
  let globalsLive = false;

  // ── per-compilation mutable state ──
  let retKind = 0; // function result kind (0 = not yet known)
  // A function unit is restartable until inference meets something it may not repeat (see
  // UnitCode.restartable); env.restartable() is false after such a unit had to leave once.
  let restartable = mode === "func" && env.restartable();
  let selfRet = 0; // hypothesis for the result of self-calls (0 = treat them as exits)
  const states = new Map<number, State>();
  const edges: [number, number][] = [];
  const returnKinds: number[] = [];
  let emitting = false;

  // Locals: params first (function units). Slot `s` held in kind `k` (part `p` of kinds held
  // in more than one local, see partType) is the local of key (s * 16 + k) * 4 + p.
  const localTypes: ValType[] = [];
  const localIndex = new Map<number, number>();
  const slotKey = (slot: number, k: number, part: number) => (slot * 16 + k) * 4 + part;
  let nParams = 0;
  const params: ValType[] = [];
  // Function units take the remaining direct-call depth first, then the arguments (slot s is
  // parameter s); loop units take the number of the entry to start at (see `entries` below)
  // and keep the depth in a local set from the `limit` global.
  if (mode === "osr") {
    params.push("i32");
    nParams = 1;
  }
  if (mode === "func") {
    params.push("i32");
    for (let s = 1; s < entry.length; s++) {
      const t = paramType(entry[s].k);
      params.push(t);
      localIndex.set(slotKey(s, entry[s].k, 0), s);
    }
    nParams = params.length;
  }
  const depthLocal = mode === "func" ? 0 : nParams; // OSR: the first extra local
  /** OSR: the entry parameter (1 + index into `entries`), cleared once the entry is reached. */
  const entryParam = 0;
  // OSR: the second extra local counts loop back-edges down to the next pause (see Op.LOOP).
  const tickLocal = nParams + 1;
  if (mode === "osr") localTypes.push("i32", "i32");
  const newLocal = (t: ValType): number => {
    localTypes.push(t);
    return nParams + localTypes.length - 1;
  };
  /** Locals holding store header addresses (see lib/jit/hoist.ts). */
  const hdrLocals = new Set<number>();
  const local = (slot: number, k: number, part = 0): number => {
    const key = slotKey(slot, k, part);
    let i = localIndex.get(key);
    if (i === undefined) {
      i = newLocal(partType(k, part));
      localIndex.set(key, i);
      if (part === 1 && (k === K_ARRAY || k === K_AITER)) hdrLocals.add(i);
    }
    return i;
  };
  // Inference runs `instr` without emitting: the accessors below then build no expressions
  // and allocate no locals (this keeps the cold first compile short). DUMMY never reaches a
  // function body; if it did, the function would trap.
  const DUMMY: Expr = { k: "unreachable" };
  const tmpIndex = new Map<ValType, number>();
  /** The scratch local of type `t` (one per type; every use is over before the next). */
  const tmp = (t: ValType): number => {
    if (!emitting) return -1;
    let i = tmpIndex.get(t);
    if (i === undefined) {
      i = newLocal(t);
      tmpIndex.set(t, i);
    }
    return i;
  };
  const get = (slot: number, k: number, part = 0): Expr =>
    emitting ? { k: "local.get", i: local(slot, k, part) } : DUMMY;
  const set = (slot: number, k: number, v: Expr, part = 0): Expr =>
    emitting ? { k: "local.set", i: local(slot, k, part), v } : DUMMY;

  /** Per-slot i32 flag: the array in the slot was made unique by this unit. */
  const uniqIndex = new Map<number, number>();
  const uniqLocal = (slot: number): number => {
    let i = uniqIndex.get(slot);
    if (i === undefined) {
      i = newLocal("i32");
      uniqIndex.set(slot, i);
    }
    return i;
  };
  const getUniq = (slot: number): Expr => emitting ? { k: "local.get", i: uniqLocal(slot) } : DUMMY;
  /** In-place changes of arrays in locals (GET_LOCAL_MUT): the local of each, by ip (inference). */
  const mutSites = new Map<number, number>();
  /** Where array iterators start (ITER_INIT of an array; they clear the "known unique" flags). */
  const iterSites = new Set<number>();
  /** See `uniqueAtDoor` (set once the unit's structure is known). */
  let skipUniqCheck = (_ip: number, _slot: number): boolean => false;
  /** The same for a change of a global array at `ip` (see `doorHdrs`). */
  let skipGlobalUniq = (_ip: number): boolean => false;
  /**
   * Global arrays a loop unit uses: the store header of each (`ahdr`), and for those it changes
   * where no array iterator can share them again, whether they are unshared (`aunique`), are
   * found at every door into locals instead of once per run inside the loops (a call there, on
   * a path taken once, still cost V8's optimised code much of the loop's speed). A door that
   * cannot find them leaves to the VM at once, which runs the loop (and copies a shared array
   * it changes, discarding the unit).
   */
  const doorHdrs = new Map<number, { local: number; value: Expr; e: number }>();
  const doorUniqs = new Map<number, { local: number; value: Expr }>();
  const setUniq = (slot: number, v: Expr): Expr =>
    emitting ? { k: "local.set", i: uniqLocal(slot), v } : DUMMY;

  const callees: CalleeRef[] = [];
  const calleeIndex = new Map<CalleeRef, number>();
  const refConsts: unknown[] = [];
  const refIndex = new Map<unknown, number>();
  const exits: ExitSite[] = [];
  const exitCache = new Map<string, ExitSite>();
  /** The site of the latest {@link exitCode}. */
  let lastSite: ExitSite | null = null;

  // Imported functions, numbered in order of first use: runtime helpers (by RT_IMPORTS
  // index, only those the code calls) and compiled callees (-1 - index into `callees`). The
  // unit's own functions come after them; calls to those are patched once all imports are known.
  const importOrder: number[] = [];
  const rtIndex = new Int32Array(RT_IMPORTS.length).fill(-1);
  /** Function index of runtime helper `f` (imported on first use in emitted code). */
  const rt = (f: number): number => {
    if (!emitting) return -1;
    let i = rtIndex[f];
    if (i < 0) i = rtIndex[f] = importOrder.push(f) - 1;
    return i;
  };
  const indirect: { params: ValType[]; results: ValType[] }[] = [];
  const calleeFn = (c: CalleeRef): number => {
    let i = calleeIndex.get(c);
    if (i === undefined) {
      i = importOrder.push(-1 - callees.length) - 1;
      callees.push(c);
      calleeIndex.set(c, i);
    }
    return i;
  };
  /** Emitted self calls: their function index is set once all imports are known. */
  const selfCalls: { f: number }[] = [];
  const selfCall = (args: Expr[]): Expr => {
    const e: Expr = { k: "call", f: -1, args };
    if (emitting) selfCalls.push(e);
    return e;
  };
  const refGlobal = (v: unknown): number => {
    let i = refIndex.get(v);
    if (i === undefined) {
      i = RT_GLOBALS.length + refConsts.length;
      refConsts.push(v);
      refIndex.set(v, i);
    }
    return i;
  };

  /**
   * Leaving the unit once its exit record is written. A loop unit, which only JavaScript calls,
   * returns; a function unit throws the exit tag, which every compiled caller catches around the
   * call (to write its own record and leave in turn) and the entry function finally catches.
   * Throwing keeps exits off the normal return path: V8 then inlines recursive calls, which a
   * function with extra return paths does not get (fib(30): 6.0 ms with returns and a status
   * check after each call, 3.0 ms with throw, measured on hand-written modules).
   */
  const leave = (): Expr => mode === "osr" ? { k: "return" } : { k: "throw" };

  /**
   * Stores the live slots `cells` lay out into the exit record at `dp`, part `part` of cell `c`'s
   * value (see {@link cellParts}) given by `val(c, part)`.
   */
  const storeCells = (cells: CellMap[], val: (c: CellMap, part: number) => Expr): Expr[] => {
    const out: Expr[] = [];
    const dp: Expr = { k: "global.get", i: G_DP };
    for (const c of cells) {
      const off = 8 + 8 * c.cell;
      switch (c.kind) {
        case K_INT:
          out.push({ k: "store", op: "i64.store", addr: dp, offset: off, v: val(c, 0) });
          break;
        case K_FLOAT:
          out.push({ k: "store", op: "f64.store", addr: dp, offset: off, v: val(c, 0) });
          break;
        case K_BOOL:
          out.push({ k: "store", op: "i32.store", addr: dp, offset: off, v: val(c, 0) });
          break;
        case K_RANGE:
          out.push({
            k: "store",
            op: "i64.store",
            addr: dp,
            offset: off,
            v: val(c, 0),
          });
          out.push({
            k: "store",
            op: "i64.store",
            addr: dp,
            offset: off + 8,
            v: val(c, 1),
          });
          break;
        case K_ARRAY:
          out.push({
            k: "call",
            f: rt(F_SPILL),
            args: [bin("i32.add", dp, i32c(off)), val(c, 0)],
          });
          break;
        case K_AITER:
          // The position in the cell, the iterator beside the record (the VM sets the
          // iterator's position from the cell when it rebuilds the frame).
          out.push(
            { k: "store", op: "i32.store", addr: dp, offset: off, v: val(c, 2) },
            {
              k: "call",
              f: rt(F_SPILL),
              args: [bin("i32.add", dp, i32c(off)), val(c, 0)],
            },
          );
          break;
      }
    }
    return out;
  };

  /**
   * Exit stubs: one function per layout of live slots, which writes an exit record from its
   * parameters (the site's id, then the parts of each cell's value) and sets the status that
   * says a record was written (JavaScript reads it only once the unit has left). An exit calls
   * its stub instead of holding the stores itself, so the unit's code, which V8 compiles twice
   * (baseline, then optimised while the baseline code runs), is about a quarter smaller; a stub
   * is compiled only if an exit calls it. The values are read at the exit, as the stores read
   * them.
   */
  const stubs: Func[] = [];
  const stubOf = new Map<string, number>();
  const stubCalls: { node: Extract<Expr, { k: "call" }>; stub: number }[] = [];
  /** The stub for `cells`, the layout of a state whose slots' kinds are `kinds` (joined). */
  const stubFor = (kinds: string, cells: CellMap[], ncells: number): number => {
    let n = stubOf.get(kinds);
    if (n !== undefined) return n;
    // The parameters after the id: each cell's parts, in the order cellParts lists them, as
    // the exits pass them.
    const params: ValType[] = ["i32"];
    const param = new Map<CellMap, number[]>();
    for (const c of cells) {
      const at: number[] = [];
      for (const part of cellParts(c.kind)) {
        at[part] = params.length;
        params.push(partType(c.kind, part));
      }
      param.set(c, at);
    }
    const dp: Expr = { k: "global.get", i: G_DP };
    const body = storeCells(cells, (c, part) => ({ k: "local.get", i: param.get(c)![part] }));
    body.push(
      { k: "store", op: "i32.store", addr: dp, offset: 0, v: { k: "local.get", i: 0 } },
      { k: "global.set", i: G_DP, v: bin("i32.add", dp, i32c(8 * (1 + ncells))) },
      statusStore(1),
    );
    n = stubs.length;
    stubs.push({ name: `exit ${n}`, params, results: [], locals: [], body });
    stubOf.set(kinds, n);
    return n;
  };

  /**
   * Code that writes the state to an exit record and leaves the unit; in a restartable unit,
   * code that just notes the site and leaves. `rerun` (with `callee`): the exit of a call whose
   * restartable callee left; the VM resumes at the call (`ip`) and runs it.
   */
  const exitCode = (
    ip: number,
    st: State,
    reason: string,
    normal = false,
    callee?: Closure,
    rerun = false,
  ): Expr[] => {
    if (!emitting) return [];
    if (restartable) {
      const key = `R|${reason}`;
      let site = exitCache.get(key);
      if (site === undefined) {
        site = { ip, height: 0, cells: [], ncells: 0, reason, normal, id: -1 };
        site.id = env.exitId(site);
        exits.push(site);
        exitCache.set(key, site);
      }
      lastSite = site;
      return [statusStore(2 + site.id), leave()];
    }
    const kinds = st.map((s) => (s.p ? `${s.k}p` : s.k)).join(",");
    const key = `${ip}|${reason}|${kinds}|${callee ? "c" : ""}${rerun ? "r" : ""}`;
    let site = exitCache.get(key);
    const { cells, ncells } = cellMap(st);
    if (site === undefined || !sameCells(site, cells)) {
      site = { ip, height: st.length, cells, ncells, reason, normal, callee, rerun, id: -1 };
      site.id = env.exitId(site);
      exits.push(site);
      exitCache.set(key, site);
    }
    lastSite = site;
    const args: Expr[] = [i32c(site.id)];
    for (const c of cells) {
      for (const part of cellParts(c.kind)) args.push(get(c.slot, c.kind, part));
    }
    const node: Extract<Expr, { k: "call" }> = { k: "call", f: -1, args };
    stubCalls.push({ node, stub: stubFor(kinds, cells, ncells) });
    const out: Expr[] = [node];
    if (globalsLive) out.push(...writeBack());
    out.push(leave());
    return out;
  };
  /**
   * Reads global `g` through the `gget` import, guarded to kind `k` (`leave` runs when it is not
   * of that kind any more): the statements, and the value they leave in a scratch local.
   */
  const readGlobal = (g: number, k: number, leave: Expr[]): { code: Expr[]; value: Expr } => {
    const t = tmp("f64");
    const tv: Expr = { k: "local.get", i: t };
    const failed: Expr = k === K_INT
      ? bin("f64.ne", tv, tv)
      : k === K_BOOL
      ? bin("f64.eq", tv, f64c(2))
      : { k: "load", op: "i32.load", addr: i32c(MEM_FLAG), offset: 0 };
    const code: Expr[] = [
      { k: "local.set", i: t, v: { k: "call", f: rt(F_GGET), args: [i32c(g), i32c(k)] } },
      {
        k: "if",
        t: "none",
        cond: failed,
        then: [
          { k: "store", op: "i32.store", addr: i32c(MEM_FLAG), offset: 0, v: i32c(0) },
          ...leave,
        ],
      },
    ];
    const value: Expr = k === K_INT
      ? { k: "un", op: "i64.trunc_f64_s", a: tv }
      : k === K_BOOL
      ? { k: "un", op: "i32.trunc_sat_f64_s", a: tv }
      : tv;
    return { code, value };
  };
  /** `local` = `value`, then `leave` when the result is 0. */
  const setOrLeave = (local: number, value: Expr, leave: Expr[]): Expr[] => [
    { k: "local.set", i: local, v: value },
    {
      k: "if",
      t: "none",
      cond: { k: "un", op: "i32.eqz", a: { k: "local.get", i: local } },
      then: leave,
    },
  ];
  /** Stores of the promoted globals the unit writes back into the VM's globals. */
  const writeBack = (): Expr[] => {
    const out: Expr[] = [];
    for (const [g, p] of promoted) {
      if (!p.written) continue;
      const v: Expr = { k: "local.get", i: p.local };
      const f = p.k === K_INT
        ? toF(v)
        : p.k === K_BOOL
        ? { k: "un", op: "f64.convert_i32_s", a: v }
        : v;
      out.push({ k: "call", f: rt(F_GPUT), args: [i32c(g), f as Expr, i32c(p.k)] });
    }
    return out;
  };

  // ── arrays (typed stores in memory, heap.ts) ──

  /** Field at byte `off` of the store header at `hp` (0 length, 4 capacity, 8 data). */
  const hdrField = (hp: Expr, off: number): Expr => ({
    k: "load",
    op: "i32.load",
    addr: hp,
    offset: off,
  });
  /** Address of element `i` (i32) of kind `e` in the store at `hp`. */
  const elemAddr = (hp: Expr, i: Expr, e: number): Expr =>
    bin("i32.add", hdrField(hp, 8), e === K_BOOL ? i : bin("i32.shl", i, i32c(elemShift(e))));
  const loadElem = (addr: Expr, e: number): Expr =>
    e === E_INT32
      ? { k: "un", op: "i64.extend_i32_s", a: { k: "load", op: "i32.load", addr, offset: 0 } }
      : {
        k: "load",
        op: e === K_INT ? "i64.load" : e === K_FLOAT ? "f64.load" : "i32.load8_u",
        addr,
        offset: 0,
      };
  const storeElem = (addr: Expr, v: Expr, e: number): Expr => ({
    k: "store",
    op: e === E_INT32
      ? "i32.store"
      : e === K_INT
      ? "i64.store"
      : e === K_FLOAT
      ? "f64.store"
      : "i32.store8",
    addr,
    v: e === E_INT32 ? { k: "un", op: "i32.wrap_i64", a: v } : v,
    offset: 0,
  });
  /**
   * Leaves at `ip` when the Int in `slot` needs more than 32 bits (elements of kind `e` =
   * {@link E_INT32}): the VM widens the store and stores it.
   */
  const fitElem = (ip: number, st: State, slot: number, e: number): void => {
    if (e !== E_INT32) return;
    const v = get(slot, K_INT);
    emit({
      k: "if",
      t: "none",
      cond: bin("i64.ne", v, {
        k: "un",
        op: "i64.extend_i32_s",
        a: { k: "un", op: "i32.wrap_i64", a: v },
      }),
      then: exitCode(ip, st, "Int too large for 32-bit elements (the VM widens them)"),
    });
  };
  /**
   * Sets the header address of the array in `slot` from its reference (the `ahdr` import, which
   * turns a JS array into a store of kind `e`); leaves at `ip` when it cannot.
   */
  const acquire = (ip: number, st: State, slot: number, e: number): Expr[] => [
    set(slot, K_ARRAY, { k: "call", f: rt(F_AHDR), args: [get(slot, K_ARRAY), i32c(e)] }, 1),
    {
      k: "if",
      t: "none",
      cond: { k: "un", op: "i32.eqz", a: get(slot, K_ARRAY, 1) },
      then: exitCode(ip, st, `array elements are not all ${elemName(e)}s`),
    },
  ];
  /**
   * The position an Int index (in slot `is`) designates in the store at `hp` (negative indices
   * count from the end), in the i64 scratch local; leaves at `ip` when it is out of range.
   */
  const position = (ip: number, st: State, hp: Expr, is: number): Expr => {
    const t = tmp("i64");
    const tv: Expr = { k: "local.get", i: t };
    const len: Expr = { k: "un", op: "i64.extend_i32_u", a: hdrField(hp, 0) };
    // One unsigned test on the common path: a negative index is also "at or above" the length
    // as an unsigned number. Off that path, index + length lies in [0, length) exactly when the
    // index lay in [-length, 0); an index at or above the length stays there (or wraps to a
    // negative, again at or above it, unsigned).
    emit({ k: "local.set", i: t, v: get(is, K_INT) });
    emit({
      k: "if",
      t: "none",
      cond: bin("i64.ge_u", tv, len),
      then: [
        { k: "local.set", i: t, v: bin("i64.add", tv, len) },
        {
          k: "if",
          t: "none",
          cond: bin("i64.ge_u", tv, len),
          then: exitCode(ip, st, "index out of range"),
        },
      ],
    });
    return { k: "un", op: "i32.wrap_i64", a: tv };
  };
  /**
   * Statements clearing every slot's "known unique" flag, filled in once emission is done (an
   * array iterator shares its array, so the next in-place change must copy it first).
   */
  const uniqResets: Expr[][] = [];
  /** Header addresses of global arrays, by their constant's global index (0: not read yet). */
  const globalHdr = new Map<number, number>();
  /** Per global array: 1 once this run of the unit has seen it unshared (GET_GLOBAL_MUT). */
  const globalUniq = new Map<number, number>();

  /**
   * Pushes the global array `v` (global `g`, folded in: the unit depends on it). Its store is
   * looked up once per run of the unit: nothing else runs meanwhile, and the unit changes it
   * only in place. `mut` (GET_GLOBAL_MUT): the array must not be shared, which is also checked
   * once per run (a shared one is copied by the VM, which writes the global and so discards
   * the unit).
   */
  const globalArray = (ip: number, st: State, g: number, v: RArray, mut: boolean): State => {
    const h = st.length;
    const e = elemHint(v) || E_INT32;
    const ref: Expr = { k: "global.get", i: refGlobal(v) };
    if (emitting) {
      // `local` = `value` once per run of the unit: when the local is still 0 (its start
      // value), compute it, and leave when the result is 0.
      const once = (local: number, value: Expr, reason: string): Expr => ({
        k: "if",
        t: "none",
        cond: { k: "un", op: "i32.eqz", a: { k: "local.get", i: local } },
        then: setOrLeave(local, value, exitCode(ip, st, reason)),
      });
      let c = globalHdr.get(g);
      if (c === undefined) {
        globalHdr.set(g, c = newLocal("i32"));
        hdrLocals.add(c);
      }
      const cv: Expr = { k: "local.get", i: c };
      const hdr: Expr = { k: "call", f: rt(F_AHDR), args: [ref, i32c(e)] };
      // A loop unit looks the store up at its doors instead (see `doorHdrs`).
      if (mode === "osr") doorHdrs.set(g, { local: c, value: hdr, e });
      else emit(once(c, hdr, `array elements are not all ${elemName(e)}s`));
      if (mut) {
        let u = globalUniq.get(g);
        if (u === undefined) globalUniq.set(g, u = newLocal("i32"));
        const unshared: Expr = { k: "call", f: rt(F_AUNIQUE), args: [ref] };
        if (mode === "osr" && skipGlobalUniq(ip)) doorUniqs.set(g, { local: u, value: unshared });
        else emit(once(u, unshared, "shared global array (the VM copies it)"));
      }
      emit(set(h, K_ARRAY, ref), set(h, K_ARRAY, cv, 1), setUniq(h, i32c(mut ? 1 : 0)));
    }
    return push(st, { k: K_ARRAY, e });
  };

  // ── structure ──
  let scopes: Scope[] = [];
  const scopeStack: Scope[] = [];
  // The code being emitted (the region; in a handoff function, the part of the outermost loop
  // around the hot one from the loop inside it that leads there, see `split`): a jump out of it
  // leaves to the VM (in a handoff function, a jump to that outermost loop's header pauses).
  let lo = start, hi = end, handoffHead = -1;
  let body: Expr[] = [];
  const emit = (...e: Expr[]) => {
    if (emitting) body.push(...e);
  };

  /** A transfer of control to `target` with state `st` (branch code in emit mode). */
  const jumpTo = (from: number, target: number, st: State): Expr[] => {
    const inRange = target >= lo && target < hi && isInstr[target];
    if (!emitting) {
      if (inRange) {
        merge(target, st);
        edges.push([from, target]);
      }
      return [];
    }
    if (!inRange) {
      // The handoff function's way back to the header of the outermost loop around it.
      if (handoff && target === handoffHead) return [pauseAt(target)];
      return exitCode(target, st, "leaves the loop", true);
    }
    const want = states.get(target);
    if (!want || !sameState(want, st)) throw new CompileFail("internal: state mismatch");
    for (let i = scopeStack.length - 1; i >= 0; i--) {
      const s = scopeStack[i];
      if (target <= from && s.kind === "loop" && s.start === target) {
        return [{ k: "br", label: s.label }];
      }
      if (target > from && s.kind === "block" && s.end === target) {
        return [{ k: "br", label: s.label }];
      }
    }
    throw new CompileFail("internal: no scope for a jump");
  };
  /** Falls through to the next instruction. */
  const next = (from: number, to: number, st: State) => {
    if (to >= hi) {
      emit(...jumpTo(from, to, st));
      return;
    }
    if (!emitting) merge(to, st);
    else {
      const want = states.get(to);
      if (!want || !sameState(want, st)) throw new CompileFail("internal: state mismatch");
    }
  };
  // Inference visits each reached instruction once: a state, once set, never changes (paths
  // that meet with other kinds fail the compile). `pending` marks instructions whose state is
  // set but not yet visited; `rewind` is the lowest one marked during the current visit.
  const pending = new Uint8Array(code.length + 1);
  let rewind = Infinity;
  const merge = (ip: number, st: State) => {
    const old = states.get(ip);
    if (old === undefined) {
      states.set(ip, st);
      pending[ip] = 1;
      if (ip < rewind) rewind = ip;
    } else if (!sameState(old, st)) {
      throw new CompileFail(
        `kinds differ where paths meet at ${ip} (${describe(old)} vs ${describe(st)})`,
      );
    }
  };

  const push = (st: State, s: Slot): State => [...st, s];
  const popN = (st: State, n: number): State => st.slice(0, st.length - n);
  const replaceTop = (st: State, n: number, s: Slot): State => [...st.slice(0, st.length - n), s];

  /** Truthiness of slot `slot` as i32, or a constant boolean, or null when unknown. */
  const truth = (st: State, slot: number): Expr | boolean | null => {
    const s = st[slot];
    switch (s.k) {
      case K_BOOL:
        return get(slot, K_BOOL);
      case K_INT:
        return { k: "un", op: "i32.eqz", a: { k: "un", op: "i64.eqz", a: get(slot, K_INT) } };
      case K_FLOAT:
        return bin("f64.ne", get(slot, K_FLOAT), f64c(0));
      case K_NULL:
        return false;
      case K_ARRAY:
        // Non-empty (LANGUAGE.md: an empty array is falsy).
        return emitting
          ? {
            k: "un",
            op: "i32.eqz",
            a: { k: "un", op: "i32.eqz", a: hdrField(get(slot, K_ARRAY, 1), 0) },
          }
          : DUMMY;
      case K_CONST: {
        const c = s.c;
        if (c instanceof Closure || c instanceof NativeFn) return true;
        if (typeof c === "string") return c.length > 0;
        return null;
      }
    }
    return null;
  };

  /** Sets slot `dst` from a copy of slot `src`. */
  const copy = (src: number, dst: number, s: Slot): Expr[] => {
    if (src === dst) return [];
    switch (s.k) {
      case K_NULL:
      case K_CONST:
        return [];
      case K_RANGE:
        return [
          set(dst, K_RANGE, get(src, K_RANGE, 0), 0),
          set(dst, K_RANGE, get(src, K_RANGE, 1), 1),
        ];
      case K_ARRAY:
        // The "known unique" flag travels with the reference (it is a property of the array).
        return [
          set(dst, K_ARRAY, get(src, K_ARRAY)),
          set(dst, K_ARRAY, get(src, K_ARRAY, 1), 1),
          setUniq(dst, getUniq(src)),
        ];
      case K_AITER:
        return [0, 1, 2].map((p) => set(dst, K_AITER, get(src, K_AITER, p), p));
      default:
        return [set(dst, s.k, get(src, s.k))];
    }
  };

  /** Int overflow test for `r = a op b` (i32 1 when it overflowed). */
  const overflowed = (op: "add" | "sub", a: Expr, b: Expr, r: Expr): Expr =>
    bin(
      "i64.lt_s",
      op === "add"
        ? bin("i64.and", bin("i64.xor", a, r), bin("i64.xor", b, r))
        : bin("i64.and", bin("i64.xor", a, b), bin("i64.xor", a, r)),
      i64c(0n),
    );

  /**
   * Whether the MUL at `ip` multiplies two elements of `for x in K` loops (K an Int constant up
   * to 2^31), read straight from their locals: both lie in [0, 2^31), so the product fits in
   * 64 bits and needs no check. Found from the states of inference (see `smallFactors`).
   */
  let smallMuls: Set<number> | null = null;
  const smallProduct = (ip: number): boolean => {
    // Only once inference is done: the loops' states are all known then.
    if (!emitting) return false;
    smallMuls ??= smallFactors(code, consts, isInstr, states, proto.handlers);
    return smallMuls.has(ip);
  };
  /**
   * The increment at `ip` (ADD_LK of 1) cannot overflow: it is in `safeInc`, and the loop test
   * that bounds it compares two Ints (a Float bound could be above the largest Int).
   */
  const boundedAt = (ip: number): boolean => {
    const header = safeInc.get(ip);
    if (header === undefined) return false;
    const hs = states.get(header);
    if (hs === undefined || hs[code[header + 1]]?.k !== K_INT) return false;
    return code[header] === Op.JUMP_IF_NOT_LT_LK || hs[code[header + 2]]?.k === K_INT;
  };
  /**
   * Steps and sums that need no check of their own once their loop's guard holds (see
   * `guardedSteps` and `guardedSums`), by the index of their ADD or ADD_LK; and the guards of
   * each such loop, by its header. Found when emission starts (from the states of inference),
   * keeping those whose locals have the kinds the guard relies on at the loop's header and at
   * every door into the loop.
   */
  let guarded: Map<number, GuardedStep | GuardedSum> | null = null;
  const loopGuards = new Map<number, (GuardedStep | GuardedSum)[]>();
  const findGuards = (): Map<number, GuardedStep | GuardedSum> => {
    if (guarded !== null) return guarded;
    const found = guarded = new Map();
    if (!env.stepGuards()) return found;
    const keep = (ip: number, g: GuardedStep | GuardedSum, ok: (st: State) => boolean) => {
      const hs = states.get(g.header);
      if (hs === undefined || !ok(hs)) return;
      if (entries.some((e) => e.header >= g.header && e.header < g.end && !ok(e.state))) return;
      found.set(ip, g);
      const gs = loopGuards.get(g.header);
      if (gs === undefined) loopGuards.set(g.header, [g]);
      else gs.push(g);
    };
    const isInt = (st: State, x: number) => st[x]?.k === K_INT;
    const int32s = (sl: Slot | undefined, k: number) =>
      sl !== undefined && sl.k === k && elemOf(sl) === E_INT32;
    for (const [ip, g] of guardedSteps(code, consts, isInstr, states, proto.handlers)) {
      const slots = [g.slot];
      if ("slot" in g.step) slots.push(g.step.slot);
      if ("slot" in g.bound) slots.push(g.bound.slot);
      keep(ip, g, (st) => slots.every((x) => isInt(st, x)));
    }
    for (const [ip, g] of guardedSums(code, consts, isInstr, states, proto.handlers)) {
      const r = g.rounds;
      if (g.index >= 0) {
        // The GET_INDEX reads 32-bit Ints (its array and index are the top two slots).
        const si = states.get(g.index);
        if (si === undefined || !int32s(si[si.length - 2], K_ARRAY)) continue;
        if (!isInt(si, si.length - 1)) continue;
      }
      keep(
        ip,
        g,
        (st) =>
          isInt(st, g.slot) &&
          ("iter" in r
            ? (g.adds === "element" ? int32s(st[r.iter], K_AITER) : st[r.iter]?.k === K_AITER)
            : isInt(st, r.j) && ("k" in r.bound || isInt(st, r.bound.slot)) &&
              (r.array < 0 || int32s(st[r.array], K_ARRAY))),
      );
    }
    return found;
  };
  const guardedAt = (ip: number): boolean => emitting && findGuards().has(ip);
  /**
   * The guard of the guarded steps and sums that `which` picks, at `ip` with state `st`: leaves
   * to the VM at `ip` unless each holds. Step i and bound n (locals or constants) hold when
   * 0 <= i and n <= MAX - i; a sum into t when -2^62 <= t < 2^62 and, in an index loop, at most
   * 2^31 rounds are left (n - j, when j < n).
   */
  const stepGuard = (
    which: (g: GuardedStep | GuardedSum) => boolean,
    ip: number,
    st: State,
  ): Expr[] => {
    findGuards();
    let fails: Expr | null = null;
    for (const gs of loopGuards.values()) {
      for (const g of gs) {
        if (!which(g)) continue;
        let f: Expr;
        if ("rounds" in g) {
          const t = get(g.slot, K_INT);
          f = bin("i64.lt_u", i64c(I64_MAX), bin("i64.add", t, i64c(1n << 62n)));
          const r = g.rounds;
          if ("j" in r) {
            const j = get(r.j, K_INT);
            const n = "k" in r.bound ? i64c(r.bound.k) : get(r.bound.slot, K_INT);
            const many = bin("i64.lt_u", i64c(1n << 31n), bin("i64.sub", n, j));
            f = bin("i32.or", f, bin("i32.and", bin("i64.lt_s", j, n), many));
          }
        } else if ("k" in g.step) {
          if ("k" in g.bound) continue; // settled by guardedSteps
          f = bin("i64.gt_s", get(g.bound.slot, K_INT), i64c(I64_MAX - g.step.k));
        } else {
          const i = get(g.step.slot, K_INT);
          f = "k" in g.bound
            // A negative step is above the limit when compared unsigned.
            ? bin("i64.lt_u", i64c(g.bound.k <= 0n ? I64_MAX : I64_MAX - g.bound.k), i)
            : bin(
              "i32.or",
              bin("i64.lt_s", i, i64c(0n)),
              bin("i64.gt_s", get(g.bound.slot, K_INT), bin("i64.sub", i64c(I64_MAX), i)),
            );
        }
        fails = fails === null ? f : bin("i32.or", fails, f);
      }
    }
    if (fails === null) return [];
    const leave = exitCode(ip, st, STEP_GUARD);
    const failed: Expr = {
      k: "store",
      op: "i32.store",
      addr: i32c(MEM_GUARD),
      offset: 0,
      v: i32c(1 + lastSite!.id),
    };
    return [{ k: "if", t: "none", cond: fails, then: [failed, ...leave] }];
  };
  /**
   * A numeric binary operation on slots `x` and `y`, result into slot `x` (`noOverflow`: an Int
   * `+` or `-` that cannot overflow, see `boundedAt`).
   */
  const arith = (
    ip: number,
    st: State,
    op: number,
    x: number,
    ka: number,
    y: number,
    kb: number,
    resultSlot: number,
    kconst?: bigint,
    noOverflow = false,
  ): number => {
    const num = (k: number) => k === K_INT || k === K_FLOAT;
    if (!num(ka) || !num(kb)) {
      exitHere(ip, st, `${opName(op)} on ${kindName(ka)}, ${kindName(kb)}`);
      return 0;
    }
    if (ka === K_INT && kb === K_INT) {
      const a = get(x, K_INT), b = get(y, K_INT);
      const r = tmp("i64");
      const rv: Expr = { k: "local.get", i: r };
      const out: Expr[] = [];
      switch (op) {
        case Op.ADD:
        case Op.SUB: {
          out.push({ k: "local.set", i: r, v: bin(op === Op.ADD ? "i64.add" : "i64.sub", a, b) });
          // With a constant right operand one comparison decides: a + k overflows iff
          // a > MAX - k (k > 0) or a < MIN - k (k < 0); a - k likewise with -k.
          const k = kconst === undefined ? undefined : op === Op.ADD ? kconst : -kconst;
          const test = k === undefined || k === I64_MIN
            ? overflowed(op === Op.ADD ? "add" : "sub", a, b, rv)
            : k === 0n
            ? i32c(0)
            : k > 0n
            ? bin("i64.gt_s", a, i64c(I64_MAX - k))
            : bin("i64.lt_s", a, i64c(I64_MIN - k));
          if (!noOverflow) {
            out.push({ k: "if", t: "none", cond: test, then: exitCode(ip, st, "Int overflow") });
          }
          break;
        }
        case Op.MUL: {
          out.push({ k: "local.set", i: r, v: bin("i64.mul", a, b) });
          if (noOverflow) break;
          // Both factors within 32 bits: the product fits. Otherwise the wrapped product is
          // exact iff a = 0, or a = -1 and b is not MIN (MIN / -1 would trap), or r / a = b.
          // Inline, not a call: a call on this path, taken or not, made TurboFan's code for
          // a loop doing `total += i * j` 1.4x slower (1.43 -> 1.05 ms per 1e6 iterations).
          const wide = (x: Expr) => bin("i64.add", x, i64c(0x80000000n));
          const exact: Expr = {
            k: "if",
            t: "i32",
            cond: { k: "un", op: "i64.eqz", a },
            then: [i32c(1)],
            else: [{
              k: "if",
              t: "i32",
              cond: bin("i64.eq", a, i64c(-1n)),
              then: [bin("i64.ne", b, i64c(I64_MIN))],
              else: [bin("i64.eq", bin("i64.div_s", rv, a), b)],
            }],
          };
          // Two nested branches, not one test of a value computed by an `if`: V8's optimised
          // code for nested_loops' unit (run alone, 1e6 iterations) took 0.98 ms with the
          // value and 0.87 ms with the branches.
          out.push({
            k: "if",
            t: "none",
            cond: bin(
              "i64.ne",
              bin("i64.shr_u", bin("i64.or", wide(a), wide(b)), i64c(32n)),
              i64c(0n),
            ),
            then: [{
              k: "if",
              t: "none",
              cond: { k: "un", op: "i32.eqz", a: exact },
              then: exitCode(ip, st, "Int overflow"),
            }],
          });
          break;
        }
        case Op.DIV:
        case Op.MOD: {
          out.push({
            k: "if",
            t: "none",
            cond: bin(
              "i32.or",
              { k: "un", op: "i64.eqz", a: b },
              bin("i32.and", bin("i64.eq", b, i64c(-1n)), bin("i64.eq", a, i64c(I64_MIN))),
            ),
            then: exitCode(ip, st, op === Op.DIV ? "Int division check" : "Int modulo check"),
          });
          out.push({
            k: "local.set",
            i: r,
            v: bin(op === Op.DIV ? "i64.div_s" : "i64.rem_s", a, b),
          });
          break;
        }
      }
      emit(...out);
      emit(set(resultSlot, K_INT, rv));
      return K_INT;
    }
    const a = ka === K_INT ? toF(get(x, K_INT)) : get(x, K_FLOAT);
    const b = kb === K_INT ? toF(get(y, K_INT)) : get(y, K_FLOAT);
    let v: Expr;
    switch (op) {
      case Op.ADD:
        v = bin("f64.add", a, b);
        break;
      case Op.SUB:
        v = bin("f64.sub", a, b);
        break;
      case Op.MUL:
        v = bin("f64.mul", a, b);
        break;
      default: {
        const t = tmp("f64");
        emit({ k: "local.set", i: t, v: b });
        emit({
          k: "if",
          t: "none",
          cond: bin("f64.eq", { k: "local.get", i: t }, f64c(0)),
          then: exitCode(ip, st, op === Op.DIV ? "Float division by zero" : "Float modulo by zero"),
        });
        v = op === Op.DIV
          ? bin("f64.div", a, { k: "local.get", i: t })
          : { k: "call", f: rt(F_FMOD), args: [a, { k: "local.get", i: t }] };
      }
    }
    emit(set(resultSlot, K_FLOAT, v));
    return K_FLOAT;
  };

  /**
   * A conditional step (`conditionalSteps`) at `ip`, the `ADD_LK` or `SUB_LK` skipped by the
   * jump before it: Int local `step.slot` gains `step.delta` when `c` is `when`, with no branch
   * but the overflow check, which leaves at `ip` with state `st` as the VM's step would.
   */
  const condStep = (ip: number, st: State, c: Expr, when: boolean, step: CondStep): void => {
    const on = tmp("i32");
    const onv: Expr = { k: "local.get", i: on };
    emit({ k: "local.set", i: on, v: when ? c : { k: "un", op: "i32.eqz", a: c } });
    const x = get(step.slot, K_INT);
    const d = step.delta;
    if (!((d === 1n && boundedAt(ip)) || guardedAt(ip))) {
      const beyond = d > 0n
        ? bin("i64.gt_s", x, i64c(I64_MAX - d))
        : bin("i64.lt_s", x, i64c(I64_MIN - d));
      emit({
        k: "if",
        t: "none",
        cond: bin("i32.and", onv, beyond),
        then: exitCode(ip, st, "Int overflow"),
      });
    }
    const by: Expr = d === 1n
      ? { k: "un", op: "i64.extend_i32_u", a: onv }
      : { k: "select", a: i64c(d), b: i64c(0n), cond: onv };
    emit(set(step.slot, K_INT, bin("i64.add", x, by)));
  };
  /** Ordering comparison of slots x and y (i32 expression), or null when unsupported. */
  const order = (op: number, x: number, ka: number, y: number, kb: number): Expr | null => {
    if (ka === K_INT && kb === K_INT) {
      const o: BinOp = op === Op.LT
        ? "i64.lt_s"
        : op === Op.LE
        ? "i64.le_s"
        : op === Op.GT
        ? "i64.gt_s"
        : "i64.ge_s";
      return bin(o, get(x, K_INT), get(y, K_INT));
    }
    if ((ka === K_INT || ka === K_FLOAT) && (kb === K_INT || kb === K_FLOAT)) {
      const o: BinOp = op === Op.LT
        ? "f64.lt"
        : op === Op.LE
        ? "f64.le"
        : op === Op.GT
        ? "f64.gt"
        : "f64.ge";
      const a = ka === K_INT ? toF(get(x, K_INT)) : get(x, K_FLOAT);
      const b = kb === K_INT ? toF(get(y, K_INT)) : get(y, K_FLOAT);
      return bin(o, a, b);
    }
    return null;
  };

  /** Equality of slots x and y (i32 expression or constant), or null when unsupported. */
  const equal = (st: State, x: number, y: number): Expr | boolean | null => {
    const a = st[x], b = st[y];
    const ka = a.k, kb = b.k;
    if (ka === K_INT && kb === K_INT) return bin("i64.eq", get(x, K_INT), get(y, K_INT));
    if (ka === K_BOOL && kb === K_BOOL) return bin("i32.eq", get(x, K_BOOL), get(y, K_BOOL));
    if ((ka === K_INT || ka === K_FLOAT) && (kb === K_INT || kb === K_FLOAT)) return null; // approximate Float equality: VM
    if (ka === K_NULL && kb === K_NULL) return true;
    const simple = (k: number) => k === K_INT || k === K_FLOAT || k === K_BOOL || k === K_NULL;
    if (simple(ka) && simple(kb)) return false; // different kinds never compare equal
    return null;
  };

  /** Instructions the unit cannot run (it always leaves there), found by inference. */
  const alwaysLeaves: { ip: number; reason: string }[] = [];
  const exitHere = (ip: number, st: State, reason: string, normal = false): State | null => {
    // (Past the loops of a function region, leaving is expected: it happens once per entry.)
    if (wholeFn && !inLoop(ip)) normal = true;
    if (!normal && !emitting) alwaysLeaves.push({ ip, reason });
    emit(...exitCode(ip, st, reason, normal));
    return null;
  };

  /** Interprets (and in emit mode, generates) the instruction at `ip` in state `st`. */
  const instr = (ip: number, st: State): void => {
    const op = code[ip];
    const nip = ip + 1 + OP_OPERANDS[op];
    const h = st.length;
    const a1 = code[ip + 1], a2 = code[ip + 2], a3 = code[ip + 3];
    let out: State | null = null;
    const fall = (s: State | null) => {
      if (s !== null) next(ip, nip, s);
    };
    const cond = (c: Expr | boolean, popped: State, target: number, jumpWhen: boolean) => {
      // Branch to target when c == jumpWhen, else fall through.
      if (typeof c === "boolean") {
        if (c === jumpWhen) emit(...jumpTo(ip, target, popped));
        else next(ip, nip, popped);
        return;
      }
      const br = jumpTo(ip, target, popped);
      emit({
        k: "if",
        t: "none",
        cond: jumpWhen ? c : { k: "un", op: "i32.eqz", a: c },
        then: br,
      });
      next(ip, nip, popped);
    };
    // While a container is held (PIN), compiled code does not change arrays: the VM does, which
    // counts the hold (see Slot.p).
    if (
      (op === Op.SET_INDEX || op === Op.SET_INDEX_R || op === Op.INVOKE_WB ||
        op === Op.GET_LOCAL_MUT || op === Op.GET_GLOBAL_MUT) && st.some((x) => x.p)
    ) {
      exitHere(ip, st, "array change while a value is held");
      return;
    }
    switch (op) {
      case Op.CONST: {
        const v = consts[a1];
        if (typeof v === "number") {
          emit(set(h, K_INT, i64c(BigInt(v))));
          out = push(st, S_INT);
        } else if (typeof v === "bigint") {
          emit(set(h, K_INT, i64c(v)));
          out = push(st, S_INT);
        } else if (v instanceof RFloat) {
          emit(set(h, K_FLOAT, f64c(v.v)));
          out = push(st, S_FLOAT);
        } else if (typeof v === "boolean") {
          emit(set(h, K_BOOL, i32c(v ? 1 : 0)));
          out = push(st, S_BOOL);
        } else if (v === null) out = push(st, S_NULL);
        else if (typeof v === "string") out = push(st, { k: K_CONST, c: v });
        else out = exitHere(ip, st, "constant of another type");
        break;
      }
      case Op.INT:
        emit(set(h, K_INT, i64c(BigInt(a1))));
        out = push(st, S_INT);
        break;
      case Op.NULL:
        out = push(st, S_NULL);
        break;
      case Op.TRUE:
      case Op.FALSE:
        emit(set(h, K_BOOL, i32c(op === Op.TRUE ? 1 : 0)));
        out = push(st, S_BOOL);
        break;
      case Op.POP:
        out = popN(st, 1);
        break;
      case Op.POPN:
        out = popN(st, a1);
        break;
      case Op.DUP:
        emit(...copy(h - 1, h, st[h - 1]));
        out = push(st, st[h - 1]);
        break;
      case Op.GET_LOCAL:
      case Op.GET_LOCAL_MUT: {
        const s = st[a1];
        if (s.k === K_RANGE || s.k === K_AITER) {
          out = exitHere(ip, st, "iterator read");
          break;
        }
        if (op === Op.GET_LOCAL_MUT && s.k === K_ARRAY) {
          // Copy-on-write: make the array unique once; inside compiled code nothing can share
          // it again, so later mutations skip the call. Making it unique counts one place
          // fewer for the original, which a rerun would count again: not restartable.
          restartable = false;
          if (!emitting) mutSites.set(ip, a1);
          else if (!skipUniqCheck(ip, a1)) {
            emit({
              k: "if",
              t: "none",
              cond: { k: "un", op: "i32.eqz", a: getUniq(a1) },
              then: [
                set(a1, K_ARRAY, { k: "call", f: rt(F_AMUT), args: [get(a1, K_ARRAY)] }),
                setUniq(a1, i32c(1)),
                ...acquire(ip, st, a1, elemOf(s)),
              ],
            });
          }
        }
        emit(...copy(a1, h, s));
        out = push(st, s);
        break;
      }
      case Op.SET_LOCAL: {
        const s = st[h - 1];
        if (s.k === K_ARRAY || s.k === K_RANGE || s.k === K_AITER) {
          out = exitHere(ip, st, "array stored in a local");
          break;
        }
        emit(...copy(h - 1, a1, s));
        const ns = st.slice(0, h - 1);
        ns[a1] = s;
        out = ns;
        break;
      }
      case Op.CLOSE_UPVALS:
        if (closureOps) out = exitHere(ip, st, "closes captured variables");
        else out = st;
        break;
      case Op.GET_GLOBAL: {
        const v = env.global(a1);
        if (v === undefined) {
          out = exitHere(ip, st, "undefined global");
          break;
        }
        if (
          (written.has(a1) || env.volatile(a1)) &&
          (typeof v === "number" || typeof v === "bigint" || v instanceof RFloat ||
            typeof v === "boolean")
        ) {
          // A global that changes: read it now, guarded to the kind it has at compile time.
          const k = v instanceof RFloat ? K_FLOAT : typeof v === "boolean" ? K_BOOL : K_INT;
          if (!emitting) useGlobal(a1);
          const p = promoted.get(a1);
          if (p !== undefined) {
            emit(set(h, k, { k: "local.get", i: p.local }));
            out = push(st, { k });
            break;
          }
          const r = readGlobal(a1, k, exitCode(ip, st, `global is not ${kindName(k)} any more`));
          emit(...r.code, set(h, k, r.value));
          out = push(st, { k });
          break;
        }
        env.dependOn(a1);
        if (typeof v === "number" || typeof v === "bigint") {
          emit(set(h, K_INT, i64c(BigInt(v))));
          out = push(st, S_INT);
        } else if (v instanceof RFloat) {
          emit(set(h, K_FLOAT, f64c(v.v)));
          out = push(st, S_FLOAT);
        } else if (typeof v === "boolean") {
          emit(set(h, K_BOOL, i32c(v ? 1 : 0)));
          out = push(st, S_BOOL);
        } else if (v === null) out = push(st, S_NULL);
        else if (v instanceof RArray) {
          out = globalArray(ip, st, a1, v, false);
        } else out = push(st, { k: K_CONST, c: v });
        break;
      }
      case Op.GET_GLOBAL_MUT: {
        const v = env.global(a1);
        if (!(v instanceof RArray) || !env.mutable(a1)) {
          out = exitHere(ip, st, "GET_GLOBAL_MUT");
          break;
        }
        env.dependOn(a1);
        restartable = false;
        out = globalArray(ip, st, a1, v, true);
        break;
      }
      case Op.SET_GLOBAL: {
        const s = st[h - 1];
        if (s.k !== K_INT && s.k !== K_FLOAT && s.k !== K_BOOL) {
          out = exitHere(ip, st, `global set to ${kindName(s.k)}`);
          break;
        }
        restartable = false;
        if (!emitting) useGlobal(a1, s.k);
        if (s.k === K_INT) {
          emit({
            k: "if",
            t: "none",
            cond: unsafeInt(get(h - 1, K_INT)),
            then: exitCode(ip, st, "large Int stored in a global"),
          });
        }
        const p = promoted.get(a1);
        if (p !== undefined) {
          emit({ k: "local.set", i: p.local, v: get(h - 1, s.k) });
          out = popN(st, 1);
          break;
        }
        // The import refuses (0) a const global or one that compiled code has folded in.
        emit({
          k: "if",
          t: "none",
          cond: {
            k: "un",
            op: "i32.eqz",
            a: { k: "call", f: rt(F_GSET), args: [i32c(a1), asF64(h - 1, s.k), i32c(s.k)] },
          },
          then: exitCode(ip, st, "global write the VM must do"),
        });
        out = popN(st, 1);
        break;
      }
      case Op.ADD:
      case Op.SUB:
      case Op.MUL:
      case Op.DIV:
      case Op.MOD: {
        const ints = st[h - 2].k === K_INT && st[h - 1].k === K_INT;
        const unchecked = ints &&
          (op === Op.MUL ? smallProduct(ip) : op === Op.ADD && guardedAt(ip));
        const rk = arith(
          ip,
          st,
          op,
          h - 2,
          st[h - 2].k,
          h - 1,
          st[h - 1].k,
          h - 2,
          undefined,
          unchecked,
        );
        out = rk ? [...st.slice(0, h - 2), { k: rk }] : null;
        break;
      }
      case Op.ADD_LK:
      case Op.SUB_LK:
      case Op.LT_LK: {
        // Operate as if local a1 and the constant had been pushed.
        const kv = consts[a2];
        if (typeof kv !== "number") {
          out = exitHere(ip, st, "non-Int constant");
          break;
        }
        const s = st[a1];
        if (s.k !== K_INT && s.k !== K_FLOAT) {
          out = exitHere(ip, st, `${opName(op)} on ${kindName(s.k)}`);
          break;
        }
        // slots h (copy of the local) and h+1 (the constant) are scratch.
        emit(...copy(a1, h, s));
        emit(set(h + 1, K_INT, i64c(BigInt(kv))));
        if (op === Op.LT_LK) {
          emit(set(h, K_BOOL, order(Op.LT, h, s.k, h + 1, K_INT)!));
          out = push(st, S_BOOL);
        } else {
          // Exits see the state before the instruction (st): the scratch slots are not live.
          const rk = arith(
            ip,
            st,
            op === Op.ADD_LK ? Op.ADD : Op.SUB,
            h,
            s.k,
            h + 1,
            K_INT,
            h,
            BigInt(kv),
            s.k === K_INT && ((op === Op.ADD_LK && boundedAt(ip)) || guardedAt(ip)),
          );
          out = rk ? [...st, { k: rk }] : null;
        }
        break;
      }
      case Op.EQ:
      case Op.NE: {
        const c = equal(st, h - 2, h - 1);
        if (c === null) {
          out = exitHere(ip, st, `== on ${kindName(st[h - 2].k)}, ${kindName(st[h - 1].k)}`);
          break;
        }
        const v: Expr = typeof c === "boolean"
          ? i32c(c === (op === Op.EQ) ? 1 : 0)
          : op === Op.EQ
          ? c
          : { k: "un", op: "i32.eqz", a: c };
        emit(set(h - 2, K_BOOL, v));
        out = replaceTop(st, 2, S_BOOL);
        break;
      }
      case Op.LT:
      case Op.LE:
      case Op.GT:
      case Op.GE: {
        const c = order(op, h - 2, st[h - 2].k, h - 1, st[h - 1].k);
        if (c === null) {
          out = exitHere(
            ip,
            st,
            `${opName(op)} on ${kindName(st[h - 2].k)}, ${kindName(st[h - 1].k)}`,
          );
          break;
        }
        emit(set(h - 2, K_BOOL, c));
        out = replaceTop(st, 2, S_BOOL);
        break;
      }
      case Op.NEG: {
        const s = st[h - 1];
        if (s.k === K_INT) {
          const a = get(h - 1, K_INT);
          emit({
            k: "if",
            t: "none",
            cond: bin("i64.eq", a, i64c(I64_MIN)),
            then: exitCode(ip, st, "Int overflow"),
          });
          emit(set(h - 1, K_INT, bin("i64.sub", i64c(0n), a)));
          out = st;
        } else if (s.k === K_FLOAT) {
          emit(set(h - 1, K_FLOAT, { k: "un", op: "f64.neg", a: get(h - 1, K_FLOAT) }));
          out = st;
        } else out = exitHere(ip, st, `- on ${kindName(s.k)}`);
        break;
      }
      case Op.NOT:
      case Op.TO_BOOL: {
        const t = truth(st, h - 1);
        if (t === null) {
          out = exitHere(ip, st, `truthiness of ${kindName(st[h - 1].k)}`);
          break;
        }
        const v: Expr = typeof t === "boolean"
          ? i32c((op === Op.NOT ? !t : t) ? 1 : 0)
          : op === Op.NOT
          ? { k: "un", op: "i32.eqz", a: t }
          : t;
        emit(set(h - 1, K_BOOL, v));
        out = replaceTop(st, 1, S_BOOL);
        break;
      }
      case Op.LOOP:
        if (mode === "osr" && emitting) {
          // V8 runs new wasm code at baseline (Liftoff) speed and switches to optimised code
          // only on a later call, never within a running loop. So a loop unit pauses now and
          // then: every back-edge inside it counts down a budget, and the header of each of the
          // region's outermost loops checks it (see `pauseAt`).
          const tick: Expr = { k: "local.get", i: tickLocal };
          emit({ k: "local.set", i: tickLocal, v: bin("i32.sub", tick, i32c(1)) });
        }
        emit(...jumpTo(ip, a1, st));
        return;
      case Op.JUMP:
        emit(...jumpTo(ip, a1, st));
        return;
      case Op.JUMP_IF_FALSE:
      case Op.JUMP_IF_TRUE: {
        const t = truth(st, h - 1);
        if (t === null) {
          out = exitHere(ip, st, `truthiness of ${kindName(st[h - 1].k)}`);
          break;
        }
        const popped = popN(st, 1);
        const step = condSteps.get(ip);
        if (step !== undefined && typeof t !== "boolean" && popped[step.slot]?.k === K_INT) {
          condStep(ip + 2, popped, t, op === Op.JUMP_IF_FALSE, step);
          next(ip, a1, popped);
          return;
        }
        cond(t, popped, a1, op === Op.JUMP_IF_TRUE);
        return;
      }
      case Op.JUMP_IF_NOT_NULL: {
        if (st[h - 1].k === K_NULL) next(ip, nip, popN(st, 1));
        else emit(...jumpTo(ip, a1, st));
        return;
      }
      case Op.JUMP_IF_NOT_LT_LK:
      case Op.JUMP_IF_NOT_LT_LL: {
        const kv = op === Op.JUMP_IF_NOT_LT_LK ? consts[a2] : undefined;
        if (op === Op.JUMP_IF_NOT_LT_LK && typeof kv !== "number") {
          out = exitHere(ip, st, "non-Int constant");
          break;
        }
        if (op === Op.JUMP_IF_NOT_LT_LK) emit(set(h, K_INT, i64c(BigInt(kv as number))));
        const c = op === Op.JUMP_IF_NOT_LT_LK
          ? order(Op.LT, a1, st[a1].k, h, K_INT)
          : order(Op.LT, a1, st[a1].k, a2, st[a2].k);
        if (c === null) {
          out = exitHere(ip, st, `< on ${kindName(st[a1].k)}`);
          break;
        }
        cond(c, st, a3, false);
        return;
      }
      case Op.CALL:
        out = call(ip, st, a1);
        break;
      case Op.PIN: {
        // Only a container (an array, or a constant dict or struct) is held: the slot says so.
        const s = st[h - 1];
        out = s.k === K_ARRAY || (s.k === K_CONST && s.c instanceof Cow)
          ? replaceTop(st, 1, { ...s, p: 1 })
          : st;
        break;
      }
      case Op.UNPIN: {
        let ns: Slot[] | null = null;
        for (let s = h - 1 - a1; s < h - 1; s++) {
          if (st[s].p) {
            ns ??= st.slice();
            const { p: _, ...rest } = st[s];
            ns[s] = rest;
          }
        }
        out = ns ?? st;
        break;
      }
      case Op.INVOKE_WB: {
        const name = consts[a1];
        const recv = st[h - 2];
        const val = st[h - 1];
        const e = recv === undefined ? 0 : elemOf(recv);
        if (
          a2 === 1 && (name === "push" || name === "append") && recv?.k === K_ARRAY &&
          val.k === valueKind(e)
        ) {
          // Append in place; the import grows the data block when it is full.
          const hp = get(h - 2, K_ARRAY, 1);
          const n = tmp("i32");
          const nv: Expr = { k: "local.get", i: n };
          fitElem(ip, st, h - 1, e);
          const shift = elemShift(e);
          const need = bin("i32.shl", bin("i32.add", nv, i32c(1)), i32c(shift));
          emit({ k: "local.set", i: n, v: hdrField(hp, 0) });
          emit({
            k: "if",
            t: "none",
            cond: bin("i32.lt_u", hdrField(hp, 4), need),
            then: [{
              k: "if",
              t: "none",
              cond: { k: "un", op: "i32.eqz", a: { k: "call", f: rt(F_AGROW), args: [hp, need] } },
              then: exitCode(ip, st, "array cannot grow (memory)"),
            }],
          });
          emit(storeElem(elemAddr(hp, nv, e), get(h - 1, val.k), e));
          emit({
            k: "store",
            op: "i32.store",
            addr: hp,
            offset: 0,
            v: bin("i32.add", nv, i32c(1)),
          });
          out = [...st.slice(0, h - 1), { k: K_CONST, c: WB_MARK_REF.v }];
        } else out = exitHere(ip, st, `method call .${String(name)}()`);
        break;
      }
      case Op.WB_SKIP: {
        const s = st[h - 1];
        if (s.k === K_CONST && s.c === WB_MARK_REF.v) emit(...jumpTo(ip, a1, popN(st, 1)));
        else next(ip, nip, st);
        return;
      }
      case Op.RETURN: {
        const s = st[h - 1];
        if (mode === "osr") {
          out = exitHere(ip, st, "return", true);
          break;
        }
        if (!emitting) {
          returnKinds.push(s.k);
          if (
            retKind === 0 && (s.k === K_INT || s.k === K_FLOAT || s.k === K_BOOL || s.k === K_NULL)
          ) {
            retKind = s.k;
            env.returns(retKind);
          }
        }
        if (s.k !== retKind) {
          out = exitHere(ip, st, `returns ${kindName(s.k)}`);
          break;
        }
        emit({ k: "return", v: s.k === K_NULL ? i32c(0) : get(h - 1, s.k) });
        return;
      }
      case Op.GET_INDEX: {
        const o = st[h - 2], i = st[h - 1];
        if (o.k !== K_ARRAY || i.k !== K_INT) {
          out = exitHere(ip, st, `index of ${kindName(o.k)} by ${kindName(i.k)}`);
          break;
        }
        const e = elemOf(o), vk = valueKind(e);
        const hp = get(h - 2, K_ARRAY, 1);
        const at = position(ip, st, hp, h - 1);
        emit(set(h - 2, vk, loadElem(elemAddr(hp, at, e), e)));
        out = replaceTop(st, 2, vk === K_INT ? S_INT : vk === K_FLOAT ? S_FLOAT : S_BOOL);
        break;
      }
      case Op.SET_INDEX:
      case Op.SET_INDEX_R: {
        // SET_INDEX: o i v (v on top); SET_INDEX_R: v o i.
        const [os, is, vs] = op === Op.SET_INDEX ? [h - 3, h - 2, h - 1] : [h - 2, h - 1, h - 3];
        const o = st[os], i = st[is], v = st[vs];
        if (
          o.k !== K_ARRAY || i.k !== K_INT || !(v.k === K_INT || v.k === K_FLOAT || v.k === K_BOOL)
        ) {
          out = exitHere(ip, st, `index assignment into ${kindName(o.k)}`);
          break;
        }
        const e = elemOf(o);
        if (v.k !== valueKind(e)) {
          out = exitHere(ip, st, `${kindName(v.k)} stored into an array of ${elemName(e)}s`);
          break;
        }
        const hp = get(os, K_ARRAY, 1);
        fitElem(ip, st, vs, e);
        const at = position(ip, st, hp, is);
        emit(storeElem(elemAddr(hp, at, e), get(vs, v.k), e));
        out = popN(st, 3);
        break;
      }
      case Op.ITER_INIT: {
        const s = st[h - 1];
        if (s.k === K_ARRAY) {
          // The iterator shares the array's store (the VM's iterator counts as one more place
          // holding the array), so every "known unique" flag is cleared; a rerun would count
          // that place again: not restartable.
          restartable = false;
          if (!emitting) iterSites.add(ip);
          emit(set(h - 1, K_AITER, { k: "call", f: rt(F_AITER), args: [get(h - 1, K_ARRAY)] }));
          emit(set(h - 1, K_AITER, get(h - 1, K_ARRAY, 1), 1));
          emit(set(h - 1, K_AITER, i32c(0), 2));
          if (emitting) {
            const resets: Expr[] = [];
            uniqResets.push(resets);
            emit({ k: "block", label: `U${ip}`, t: "none", body: resets });
          }
          out = replaceTop(st, 1, { k: K_AITER, e: elemOf(s) });
          break;
        }
        if (s.k !== K_INT) {
          out = exitHere(ip, st, `iteration over ${kindName(s.k)}`);
          break;
        }
        const n = get(h - 1, K_INT);
        emit({
          k: "if",
          t: "none",
          cond: bin("i64.gt_s", n, i64c(BigInt(MAX_SAFE))),
          then: exitCode(ip, st, "range too large"),
        });
        emit(set(h - 1, K_RANGE, n, 1));
        emit(set(h - 1, K_RANGE, i64c(0n), 0));
        out = replaceTop(st, 1, { k: K_RANGE });
        break;
      }
      case Op.ITER_NEXT: {
        const s = st[h - 1];
        if (s.k === K_AITER) {
          out = arrayNext(ip, st, a1);
          break;
        }
        if (s.k !== K_RANGE) {
          out = exitHere(ip, st, `iteration over ${kindName(s.k)}`);
          break;
        }
        // Done: jump (the iterator stays; the code there pops it).
        const i = get(h - 1, K_RANGE, 0), n = get(h - 1, K_RANGE, 1);
        const done = jumpTo(ip, a1, st);
        emit({ k: "if", t: "none", cond: bin("i64.ge_s", i, n), then: done });
        emit(set(h, K_INT, i));
        emit(set(h - 1, K_RANGE, bin("i64.add", i, i64c(1n)), 0));
        out = push(st, S_INT);
        break;
      }
      default:
        out = exitHere(ip, st, opName(op));
    }
    fall(out);
  };

  /** ITER_NEXT over an array iterator: the element (of the hinted kind) or the jump when done. */
  const arrayNext = (ip: number, st: State, target: number): State | null => {
    const h = st.length;
    const e = elemOf(st[h - 1]), vk = valueKind(e);
    const hp = get(h - 1, K_AITER, 1), pos = get(h - 1, K_AITER, 2);
    const done = jumpTo(ip, target, st);
    emit({ k: "if", t: "none", cond: bin("i32.ge_u", pos, hdrField(hp, 0)), then: done });
    emit(set(h, vk, loadElem(elemAddr(hp, pos, e), e)));
    emit(set(h - 1, K_AITER, bin("i32.add", pos, i32c(1)), 2));
    return push(st, { k: vk });
  };

  /** CALL with `argc` arguments. */
  const call = (ip: number, st: State, argc: number): State | null => {
    const h = st.length;
    const cs = st[h - argc - 1];
    const argSlots = st.slice(h - argc);
    if (cs.k !== K_CONST) return exitHere(ip, st, `call of ${kindName(cs.k)}`);
    const f = cs.c;
    if (f instanceof Closure && st.some((x) => x.p)) {
      return exitHere(ip, st, "call of a Ruff function while a value is held");
    }
    if (f instanceof NativeFn) {
      if (f.name === "len" && argc === 1 && argSlots[0].k === K_ARRAY) {
        emit(
          set(h - 2, K_INT, {
            k: "un",
            op: "i64.extend_i32_u",
            a: hdrField(get(h - 1, K_ARRAY, 1), 0),
          }),
        );
        return replaceTop(st, 2, S_INT);
      }
      const m = MATH_IMPLS.get(f.impl);
      if (
        m !== undefined && argc === m.arity &&
        argSlots.every((s) => s.k === K_INT || s.k === K_FLOAT)
      ) {
        const xs = argSlots.map((s, i) =>
          s.k === K_INT ? toF(get(h - argc + i, K_INT)) : get(h - argc + i, K_FLOAT)
        );
        const op = MATH_OPS[m.name];
        const v: Expr = op !== undefined
          ? { k: "un", op, a: xs[0] }
          : { k: "call", f: rt(F_MATHF), args: [i32c(MATH_IDS[m.name]), xs[0], xs[1] ?? f64c(0)] };
        emit(set(h - argc - 1, K_FLOAT, v));
        return [...st.slice(0, h - argc - 1), S_FLOAT];
      }
      return exitHere(ip, st, `call of native ${f.name}`);
    }
    if (!(f instanceof Closure)) return exitHere(ip, st, "call of a non-function");
    // Code between the loops of a function region runs once: its calls are not worth
    // compiling callees for.
    if (wholeFn && !inLoop(ip)) return exitHere(ip, st, "call outside the loops", true);
    const kinds = argSlots.map((s) => s.k);
    if (kinds.some((k) => k !== K_INT && k !== K_FLOAT && k !== K_BOOL)) {
      return exitHere(ip, st, "call with non-numeric arguments");
    }
    const base = h - argc - 1;
    const callerState = st.slice(0, base);
    let callee: CalleeRef | null = null; // null: a self call
    let rk: number;
    if (
      mode === "func" && f.proto === proto &&
      kinds.every((k, i) => k === entry[i + 1].k)
    ) {
      if (selfRet === 0) return exitHere(ip, st, "self call (result kind unknown)");
      rk = selfRet;
    } else {
      const c = env.callee(f, kinds);
      if (c === null) {
        return exitHere(ip, st, `call of ${f.proto.name ?? "a function"} (not compilable)`);
      }
      callee = c;
      rk = c.ret;
    }
    const dep: Expr = { k: "local.get", i: depthLocal };
    emit({
      k: "if",
      t: "none",
      cond: { k: "un", op: "i32.eqz", a: dep },
      then: exitCode(ip, st, DEEP_EXIT, true),
    });
    callsRuff = true;
    const args = [bin("i32.sub", dep, i32c(1)), ...argSlots.map((s, i) => get(base + 1 + i, s.k))];
    const r = tmp(paramType(rk));
    let call: Expr;
    if (callee === null) call = selfCall(args);
    else if (callee.slot === undefined) call = { k: "call", f: calleeFn(callee), args };
    else {
      const sig = {
        params: ["i32" as ValType, ...kinds.map(paramType)],
        results: [paramType(rk)],
      };
      if (emitting) indirect.push(sig);
      call = { k: "call_indirect", ...sig, slot: callee.slot, args };
    }
    // A restartable callee (or this unit, when restartable) leaves without a record: a
    // restartable caller just lets it through; any other caller leaves before the call, which
    // the VM then runs. A callee that writes records is caught to write this frame's too.
    const calleeRestarts = callee === null ? restartable : callee.restartable === true;
    if (!calleeRestarts && !emitting) restartable = false;
    // (A restartable caller still wraps the call, with a handler that throws on: measured on
    // fib(30), V8's optimised code then runs 3.2 ms instead of 3.6 ms without the wrapper.)
    emit({
      k: "try",
      body: [{ k: "local.set", i: r, v: call }],
      handler: restartable
        ? [{ k: "throw" }]
        : calleeRestarts
        ? exitCode(ip, st, "a restartable callee left (the VM runs the call)", false, f, true)
        : exitCode(ip + 2, callerState, "callee left compiled code", false, f),
    });
    if (rk !== K_NULL) emit(set(base, rk, { k: "local.get", i: r }));
    return [...callerState, rk === K_NULL ? S_NULL : { k: rk }];
  };

  const asF64 = (slot: number, k: number): Expr =>
    k === K_INT
      ? toF(get(slot, K_INT))
      : k === K_BOOL
      ? { k: "un", op: "f64.convert_i32_s", a: get(slot, K_BOOL) }
      : get(slot, K_FLOAT);

  // ── inference ──
  const infer = () => {
    states.clear();
    edges.length = 0;
    returnKinds.length = 0;
    pending.fill(0);
    states.set(at, entry);
    pending[at] = 1;
    let ip = at;
    while (ip < end) {
      if (pending[ip] === 0) {
        ip++;
        continue;
      }
      pending[ip] = 0;
      rewind = Infinity;
      instr(ip, states.get(ip)!);
      // A jump back to an instruction not visited yet (the first one marked is the lowest).
      ip = rewind < ip ? rewind : ip + 1;
    }
  };
  // A function that may call itself needs its own result kind for its self calls. Guess it (a
  // Float when a parameter is one, else an Int) and infer once; only a wrong guess costs a
  // second inference with the kind the first one found (which must then be found again).
  const calls = mode === "func" && proto.code.some((o, i) => isInstr[i] && o === Op.CALL);
  if (calls) selfRet = entry.some((s) => s.k === K_FLOAT) ? K_FLOAT : K_INT;
  infer();
  if (mode === "func") {
    if (retKind === 0) throw new CompileFail("no return of a number, Bool or null is reachable");
    if (calls && retKind !== selfRet) {
      selfRet = retKind;
      const first = retKind;
      retKind = 0;
      infer();
      if (retKind !== first) {
        throw new CompileFail("result kind of the recursive calls does not settle");
      }
      retKind = first;
    }
  }
  for (const st of states.values()) if (st.length > 400) throw new CompileFail("frame too large");

  // ── structure: loops and forward blocks ──
  const loopEnd = new Map<number, number>();
  const fwd = new Map<number, number>();
  for (const [from, to] of edges) {
    const after = from + 1 + OP_OPERANDS[code[from]];
    if (to <= from) loopEnd.set(to, Math.max(loopEnd.get(to) ?? 0, after));
    else fwd.set(to, Math.min(fwd.get(to) ?? Infinity, from));
  }
  scopes = [];
  for (const [h, e] of loopEnd) {
    scopes.push({ kind: "loop", start: h, end: e, label: `L${h}`, body: [] });
  }
  // A loop whose body reaches an instruction compiled code cannot run would leave on (nearly)
  // every iteration: entering it would only cost time.
  if (mode === "osr" && alwaysLeaves.length > 0) {
    throw new CompileFail(`the loop body reaches ${alwaysLeaves[0].reason}`);
  }
  const blocks: Scope[] = [];
  for (const [t, s] of fwd) {
    blocks.push({ kind: "block", start: s, end: t, label: `B${t}`, body: [] });
  }
  let moved = true;
  while (moved) {
    moved = false;
    for (const b of blocks) {
      for (const x of [...scopes, ...blocks]) {
        if (x === b) continue;
        if (x.start < b.start && b.start < x.end && x.end < b.end) {
          b.start = x.start;
          moved = true;
        } else if (b.start < x.start && x.start < b.end && b.end < x.end) {
          // x starts inside b and ends after it: a forward block may start earlier (its
          // branches all lie after its start); a loop's header cannot move.
          if (x.kind !== "block") throw new CompileFail("control flow does not nest");
          x.start = b.start;
          moved = true;
        }
      }
    }
  }
  scopes.push(...blocks);
  scopes.sort((a, b) =>
    a.start - b.start || b.end - a.end || (a.kind === b.kind ? 0 : a.kind === "block" ? -1 : 1)
  );

  // Entries ("doors") of a loop unit: the header it is compiled for, and the header of every
  // outermost loop of the region (the one around `at`, and the loops that follow in a function,
  // see `Jit.compileNest`). It pauses at the headers of those outermost loops only (a check
  // at every back-edge of an inner loop costs up to a tenth of its speed), and the VM enters it
  // there again, in the state inference found (the state at `at` is `entry` itself).
  const entries: { header: number; state: State }[] = [{ header: at, state: entry }];
  /** The door (index into `entries`) of each outermost loop's header. */
  const doorAt = new Map<number, number>();
  if (mode === "osr") {
    const loops = scopes.filter((x) => x.kind === "loop");
    for (const l of loops) {
      if (loops.some((o) => o !== l && o.start < l.start && l.start < o.end)) continue;
      doorAt.set(
        l.start,
        l.start === at ? 0 : entries.push({ header: l.start, state: states.get(l.start)! }) - 1,
      );
    }
  }
  // Copy-on-write at the doors. A loop unit makes the array in a local unique when it enters at
  // a door, before its loops, instead of at each in-place change inside them, where the check
  // and its calls on a rarely taken path cost V8's optimised code much of its speed (the sieve's
  // marking loop, 1e6 flags, run alone: 3.0-3.2 ms with the check inside, 1.8-1.9 ms without).
  // Compiled code never stores an array in a local or passes one to a call, so only an array
  // iterator can share the array again: a change keeps its check when an iterator may start
  // before it (a loop's back-edge leads from an ITER_INIT to anything in the outermost loop
  // around it, and code before that loop is out of its reach), or when a door from which it
  // can be reached does not make the array unique (a door with a live iterator, which may hold
  // the array, does not: it would copy the array at each pause). Making an array unique before
  // its first change is not visible: it only copies, once, an array that is shared.
  const outerStart = (ip: number): number => {
    let r = ip;
    for (const l of scopes) if (l.kind === "loop" && l.start < r && ip < l.end) r = l.start;
    return r;
  };
  let iterBound = Infinity;
  for (const x of iterSites) iterBound = Math.min(iterBound, outerStart(x));
  const doorLow = entries.map((en) => outerStart(en.header));
  const iterAtDoor = (i: number): boolean => entries[i].state.some((x) => x.k === K_AITER);
  const arrayAtDoor = (i: number, slot: number): boolean =>
    entries[i].state[slot]?.k === K_ARRAY && !iterAtDoor(i);
  if (mode === "osr") {
    skipUniqCheck = (ip, slot) =>
      ip < iterBound && entries.every((_, i) => ip < doorLow[i] || arrayAtDoor(i, slot));
    skipGlobalUniq = (ip) =>
      ip < iterBound && entries.every((_, i) => ip < doorLow[i] || !iterAtDoor(i));
  }
  /** Door `i` makes the array in local `slot` unique: some change reached from it skips its check. */
  const uniqueAtDoor = (i: number, slot: number): boolean =>
    mode === "osr" && arrayAtDoor(i, slot) &&
    [...mutSites].some(([ip, sl]) => sl === slot && ip >= doorLow[i] && skipUniqCheck(ip, sl));
  // A unit entered in the middle of a loop nest (its hot loop lies inside one of the region's
  // outermost loops) is two functions, so that no skip block sits inside the loops of the code
  // that runs on (it cost a loop nest's steady state about a fifth): the *handoff* function,
  // entered at the hot loop, runs the rest of that nest's current round and, at the header of
  // the outermost loop, hands off to the main function by pausing there at once; the main
  // function has doors at the outermost loops' headers only. The handoff function holds only
  // that round's code, from the loop inside the outermost one that leads to the hot loop, and
  // pauses where it would go back to the outermost loop's header (a jump out of the outermost
  // loop, as by `break`, leaves to the VM).
  const split = mode === "osr" && at !== start && !doorAt.has(at);
  /** Emitting the handoff function (see `split`). */
  let handoff = false;
  /**
   * The check at the header of outermost loop `h` that pauses once the budget is spent (in the
   * handoff function: the pause, unconditional): the unit saves the door's state to the entry
   * area as the VM would and returns, asking its entry function to call it again at that door
   * (see `pauseEntry`). No JavaScript runs on the way, and the new call runs V8's optimised
   * code once it is there.
   */
  const pauseAt = (h: number): Expr => {
    const door = doorAt.get(h)!;
    const save: Expr[] = handoff ? [] : [doubleBudget()];
    for (const c of cellMap(entries[door].state).cells) {
      const addr = i32c(MEM_ENTRY + 8 * c.cell);
      const store = (op: StoreOp, v: Expr, offset = 0): Expr => ({
        k: "store",
        op,
        addr,
        offset,
        v,
      });
      switch (c.kind) {
        case K_INT:
          save.push(store("i64.store", get(c.slot, K_INT)));
          break;
        case K_FLOAT:
          save.push(store("f64.store", get(c.slot, K_FLOAT)));
          break;
        case K_BOOL:
          save.push(store("i32.store", get(c.slot, K_BOOL)));
          break;
        case K_RANGE:
          save.push(store("i64.store", get(c.slot, K_RANGE, 0)));
          save.push(store("i64.store", get(c.slot, K_RANGE, 1), 8));
          break;
        case K_ARRAY:
          save.push({ k: "call", f: rt(F_SETREF), args: [i32c(c.slot), get(c.slot, K_ARRAY)] });
          break;
        case K_AITER:
          save.push({
            k: "call",
            f: rt(F_SETIT),
            args: [i32c(c.slot), get(c.slot, K_AITER), get(c.slot, K_AITER, 2)],
          });
          break;
      }
    }
    save.push(
      ...writeBack(),
      { k: "store", op: "i32.store", addr: i32c(MEM_RESUME), offset: 0, v: i32c(door + 1) },
      { k: "return" },
    );
    if (handoff) return { k: "block", label: `H${h}`, t: "none", body: save };
    const pauses = i32c(MEM_PAUSES);
    save.unshift({
      k: "store",
      op: "i32.store",
      addr: pauses,
      offset: 0,
      v: bin("i32.add", { k: "load", op: "i32.load", addr: pauses, offset: 0 }, i32c(1)),
    });
    return {
      k: "if",
      t: "none",
      cond: bin("i32.lt_s", { k: "local.get", i: tickLocal }, i32c(0)),
      then: save,
    };
  };

  // ── emission ──
  if (mode === "osr" && !callsRuff) {
    for (const [g, stored] of globalUses) {
      const v = env.global(g);
      // (An Int beyond 2^53, a bigint, is not kept: the `gget` guard would refuse it.)
      const k = typeof v === "bigint" ? 0 : slotOf(v).k;
      if (k !== K_INT && k !== K_FLOAT && k !== K_BOOL) continue;
      if ([...stored].some((x) => x !== k)) continue;
      const isWritten = stored.size > 0;
      if (isWritten && !env.mutable(g)) continue;
      promoted.set(g, { k, local: newLocal(wtype(k)), written: isWritten });
    }
  }
  emitting = true;
  globalsLive = true;
  /**
   * The code from `lo` to `hi`, as the body of one function. Its scopes are those that end
   * inside it, a block starting before `lo` starting at `lo` instead (the branches to its end
   * that are emitted all lie after `lo`).
   */
  const emitRoot = (): Expr[] => {
    const root: Expr[] = [];
    body = root;
    const bodies: Expr[][] = [];
    const inside = lo === start ? scopes : scopes
      .filter((x) => x.end > lo && x.end <= hi && (x.start >= lo || x.kind === "block"))
      .map((x) => (x.start >= lo ? x : { ...x, start: lo }))
      .sort((a, b) =>
        a.start - b.start || b.end - a.end ||
        (a.kind === b.kind ? 0 : a.kind === "block" ? -1 : 1)
      );
    let si = 0;
    const closeAt = (ip: number) => {
      while (scopeStack.length && scopeStack[scopeStack.length - 1].end <= ip) {
        const s = scopeStack.pop()!;
        body = bodies.pop()!;
        body.push({ k: s.kind, label: s.label, t: "none", body: s.body });
      }
    };
    for (let ip = lo; ip < hi; ip++) {
      if (!isInstr[ip]) continue;
      closeAt(ip);
      while (si < inside.length && inside[si].start === ip) {
        const s = inside[si++];
        // Control entering a loop from before it checks the guards of the loop's steps and sums.
        if (s.kind === "loop") body.push(...stepGuard((g) => g.header === ip, ip, states.get(ip)!));
        s.body = [];
        bodies.push(body);
        scopeStack.push(s);
        body = s.body;
      }
      const st = states.get(ip);
      if (doorAt.has(ip)) body.push(pauseAt(ip));
      if (st !== undefined) instr(ip, st);
    }
    closeAt(Infinity);
    if (si !== inside.length) throw new CompileFail("internal: scope outside the unit");
    return root;
  };
  const root = emitRoot();
  let handoffRoot: Expr[] | null = null;
  if (split) {
    // From the loop inside the outermost one that leads to the hot loop (or the hot loop
    // itself) to the outermost one's end: the rest of the round the handoff runs.
    const loops = scopes.filter((x) => x.kind === "loop" && x.start <= at && at < x.end);
    const outer = loops.find((x) => doorAt.has(x.start))!;
    const child = loops
      .filter((x) => x.start > outer.start)
      .reduce((a, b) => (b.start < a.start ? b : a));
    [handoff, lo, hi, handoffHead] = [true, child.start, outer.end, outer.start];
    handoffRoot = emitRoot();
    [handoff, lo, hi, handoffHead] = [false, start, end, -1];
    const e: Expr = { k: "local.get", i: entryParam };
    if (!enterAt(handoffRoot, `L${at}`, e, 0, [{ k: "local.set", i: entryParam, v: i32c(0) }])) {
      throw new CompileFail("the entry is not the header of a loop in the unit");
    }
  }
  if (mode === "osr") {
    for (let i = split ? 1 : 0; i < entries.length; i++) {
      const h = entries[i].header;
      if (h === start) continue;
      const e: Expr = { k: "local.get", i: entryParam };
      const cond: Expr = entries.length === 1 ? e : bin("i32.eq", e, i32c(i + 1));
      // Just before the door's loop: the entry there is done (clear the flag; a door may lie
      // on the way to another, whose flag must stay). A further door's loop reached from the
      // code before it (no entry under way) pauses at its first back-edge: V8's optimised code
      // for the unit, requested while the loops before ran, is likely there by now, but the
      // running call would keep its baseline code to the end.
      const clear: Expr = { k: "local.set", i: entryParam, v: i32c(0) };
      const before: Expr[] = entries.length === 1 ? [clear] : [{
        k: "if",
        t: "none",
        cond,
        then: [clear],
        else: i === 0 ? [] : [{
          k: "if",
          t: "none",
          cond: { k: "un", op: "i32.eqz", a: e },
          then: [{ k: "local.set", i: tickLocal, v: i32c(0) }],
        }],
      }];
      if (!enterAt(root, `L${h}`, cond, i, before)) {
        throw new CompileFail("the entry is not the header of a loop in the unit");
      }
    }
  }

  // Prologue for OSR units: load the entry state (of the hot loop's door, in the handoff
  // function of a split unit).
  const prologue: Expr[] = [], handoffPrologue: Expr[] = [];
  if (mode === "osr") {
    for (const p of split ? [prologue, handoffPrologue] : [prologue]) {
      p.push({ k: "local.set", i: depthLocal, v: { k: "global.get", i: G_LIMIT } });
      p.push({
        k: "local.set",
        i: tickLocal,
        v: { k: "load", op: "i32.load", addr: i32c(MEM_BUDGET), offset: 0 },
      });
    }
  }
  // The prologue's exits leave before the promoted globals are loaded: they write none back.
  globalsLive = false;
  const layouts: { header: number; state: State; cells: CellMap[]; ncells: number }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const { header, state } = entries[i];
    const layout = mode === "osr" ? cellMap(state) : { cells: [], ncells: 0 };
    layouts.push({ header, state, ...layout });
    const loads: Expr[] = [];
    for (const c of layout.cells) {
      const addr = i32c(MEM_ENTRY + 8 * c.cell);
      switch (c.kind) {
        case K_INT:
          loads.push(set(c.slot, K_INT, { k: "load", op: "i64.load", addr, offset: 0 }));
          break;
        case K_FLOAT:
          loads.push(set(c.slot, K_FLOAT, { k: "load", op: "f64.load", addr, offset: 0 }));
          break;
        case K_BOOL:
          loads.push(set(c.slot, K_BOOL, { k: "load", op: "i32.load", addr, offset: 0 }));
          break;
        case K_RANGE:
          loads.push(set(c.slot, K_RANGE, { k: "load", op: "i64.load", addr, offset: 0 }, 0));
          loads.push(set(c.slot, K_RANGE, { k: "load", op: "i64.load", addr, offset: 8 }, 1));
          break;
        case K_ARRAY:
        case K_AITER:
          loads.push(set(c.slot, c.kind, { k: "call", f: rt(F_GETREF), args: [i32c(c.slot)] }));
          break;
      }
    }
    // Arrays and array iterators the unit starts with: the header addresses of their stores,
    // then (once every slot is loaded, so that leaving writes the whole state back) the checks.
    const checks: Expr[] = [];
    for (let s = 0; s < state.length; s++) {
      const sl = state[s];
      const e = elemOf(sl);
      if (sl.k !== K_ARRAY && sl.k !== K_AITER) continue;
      const ref = get(s, sl.k);
      if (sl.k === K_ARRAY) {
        if (uniqueAtDoor(i, s)) {
          loads.push(
            set(s, K_ARRAY, { k: "call", f: rt(F_AMUT), args: [ref] }),
            setUniq(s, i32c(1)),
          );
        }
        loads.push(set(s, K_ARRAY, { k: "call", f: rt(F_AHDR), args: [ref, i32c(e)] }, 1));
      } else {
        loads.push(set(s, K_AITER, { k: "call", f: rt(F_AIT_HDR), args: [ref, i32c(e)] }, 1));
        loads.push(set(s, K_AITER, { k: "call", f: rt(F_AIT_POS), args: [ref] }, 2));
      }
      checks.push({
        k: "if",
        t: "none",
        cond: { k: "un", op: "i32.eqz", a: get(s, sl.k, 1) },
        then: exitCode(header, state, `array elements are not all ${elemName(e)}s`),
      });
    }
    loads.push(...checks);
    // A door into a loop with guarded steps or sums checks their guards.
    if (mode === "osr") {
      loads.push(...stepGuard((g) => g.header <= header && header < g.end, header, state));
    }
    // The global arrays' stores, and whether those the unit changes are unshared.
    for (const [, d] of doorHdrs) {
      loads.push(
        ...setOrLeave(
          d.local,
          d.value,
          exitCode(header, state, `array elements are not all ${elemName(d.e)}s`),
        ),
      );
    }
    if (!iterAtDoor(i)) {
      for (const [, d] of doorUniqs) {
        loads.push(
          ...setOrLeave(
            d.local,
            d.value,
            exitCode(header, state, "shared global array (the VM copies it)"),
          ),
        );
      }
    }
    // The promoted globals, read as GET_GLOBAL reads a global that changes; one the unit
    // writes must be one the VM may write.
    for (const [g, p] of promoted) {
      const r = readGlobal(
        g,
        p.k,
        exitCode(header, state, `global is not ${kindName(p.k)} any more`),
      );
      loads.push(...r.code);
      if (p.written) {
        loads.push({
          k: "if",
          t: "none",
          cond: { k: "un", op: "i32.eqz", a: { k: "call", f: rt(F_GOK), args: [i32c(g)] } },
          then: exitCode(header, state, "global write the VM must do"),
        });
      }
      loads.push({ k: "local.set", i: p.local, v: r.value });
    }
    if (split && i === 0) handoffPrologue.push(...loads);
    else if (entries.length === 1) prologue.push(...loads);
    else if (loads.length > 0) {
      prologue.push({
        k: "if",
        t: "none",
        cond: bin("i32.eq", { k: "local.get", i: entryParam }, i32c(i + 1)),
        then: loads,
      });
    }
  }
  // Every "known unique" flag, cleared where an array iterator starts.
  for (const resets of uniqResets) {
    for (const slot of uniqIndex.keys()) resets.push(setUniq(slot, i32c(0)));
    for (const u of globalUniq.values()) resets.push({ k: "local.set", i: u, v: i32c(0) });
  }

  // Function indices: the imports, then [inner/osr, entry].
  const firstOwn = importOrder.length;
  const selfIndex = firstOwn;
  for (const c of selfCalls) c.f = selfIndex;

  // Header reads out of the loops that cannot change headers (lib/jit/hoist.ts).
  const hoistEnv: HoistEnv = {
    isHeader: (i) => hdrLocals.has(i),
    liveAt: (label) => {
      const st = label.startsWith("L") ? states.get(Number(label.slice(1))) : undefined;
      if (st === undefined) return null;
      const live = new Set<number>();
      for (let s = 0; s < st.length; s++) {
        const k = st[s].k;
        if (k !== K_ARRAY && k !== K_AITER) continue;
        const i = localIndex.get(slotKey(s, k, 1));
        if (i !== undefined) live.add(i);
      }
      return live;
    },
    newLocal: () => newLocal("i32"),
    isGrow: (f) => f >= 0 && f === rtIndex[F_AGROW],
  };
  // Without a header local there is nothing to hoist: the walk, cold JavaScript, is skipped.
  if (hdrLocals.size > 0) {
    hoistHeaderReads(root, hoistEnv);
    if (handoffRoot !== null) hoistHeaderReads(handoffRoot, hoistEnv);
  }

  const main: Func = {
    name: mode === "func"
      ? `${proto.name ?? "anonymous"}`
      : `${proto.name ?? "main"}@${start}${at !== start ? `:${at}` : ""}`,
    params,
    results: mode === "func" ? [paramType(retKind)] : [],
    locals: localTypes.slice(),
    body: [...prologue, ...root, { k: "unreachable" }],
    export: mode === "func" ? INNER_NAME : undefined,
  };
  const funcs: Func[] = [main];
  if (handoffRoot !== null) {
    funcs.push({
      ...main,
      name: `${main.name} handoff`,
      locals: localTypes.slice(),
      body: [...handoffPrologue, ...handoffRoot, { k: "unreachable" }],
    });
  }
  funcs.push(
    mode === "func"
      ? entryFunc(selfIndex, entry, retKind)
      : pauseEntry(selfIndex, handoffRoot !== null ? selfIndex + 1 : -1),
  );
  const stubBase = firstOwn + funcs.length;
  for (const { node, stub } of stubCalls) node.f = stubBase + stub;
  funcs.push(...stubs);
  return {
    funcs,
    importOrder,
    indirect,
    callees,
    refConsts,
    exits,
    ret: retKind,
    restartable,
    entries: mode === "osr" ? layouts : null,
  };
}

/**
 * Makes the code `root` start at the loop labelled `label` when `cond` holds: every body on
 * the way there first skips, when `cond` holds, whatever comes before the scope that leads
 * there, and `before` (which must make `cond` false) goes just before that loop, so that later
 * runs of the skipped code, through the enclosing loops' back-edges, run it all. The prologue
 * loads every live slot of the entry state, so the skipped code's results are already in their
 * locals. `n` tells the skip labels of different entries apart. False when no such loop is in
 * `root`.
 */
function enterAt(root: Expr[], label: string, cond: Expr, n: number, before: Expr[]): boolean {
  let depth = 0;
  const skipBefore = (body: Expr[], i: number) => {
    if (i === 0) return;
    const skip = `E${n}_${depth++}`;
    const prefix = body.splice(0, i);
    body.unshift({
      k: "block",
      label: skip,
      t: "none",
      body: [{ k: "br_if", label: skip, cond }, ...prefix],
    });
  };
  const find = (body: Expr[]): boolean => {
    for (let i = 0; i < body.length; i++) {
      const e = body[i];
      if (e.k !== "block" && e.k !== "loop") continue;
      if (e.k === "loop" && e.label === label) {
        body.splice(i, 0, ...before);
        skipBefore(body, i);
        return true;
      }
      if (find(e.body)) {
        skipBefore(body, i);
        return true;
      }
    }
    return false;
  };
  return find(root);
}

/**
 * Increments by 1 that cannot overflow, with the header of the loop whose test bounds each: in
 * `while k < n { ... k += 1 }` the test leaves k below an Int, so k + 1 is at most the largest
 * Int. An increment qualifies when
 * - its loop's header is the fused test `JUMP_IF_NOT_LT_LL k n` or `JUMP_IF_NOT_LT_LK k c`
 *   (c an Int constant; whether n is an Int the code generator checks, see `boundedAt`);
 * - it is an `ADD_LK k 1` not inside a loop nested in that one (which could repeat it without
 *   the test);
 * - the loop writes k at one place only (a write of any kind: SET_LOCAL, SET_NAME or
 *   GET_LOCAL_MUT), and the increment comes before that place. Within a round, control moves
 *   forward from the test, except in nested loops (which hold neither) and in jumps back to the
 *   header (which test again), so no write of k comes between the test and the increment.
 *
 * A function that makes closures is not compiled in a way that lets one write k meanwhile: a
 * call of a closure is not compilable (the unit leaves to the VM).
 */
export function boundedIncrements(
  code: Int32Array | number[],
  consts: unknown[],
  isInstr: Uint8Array,
): Map<number, number> {
  const out = new Map<number, number>();
  const loops = loopsOf(code);
  for (const [header, end] of loops) {
    const test = isInstr[header] ? loopTest(code, consts, header) : null;
    if (test === null) continue;
    const k = test.j;
    const writes = localWrites(code, header, end).get(k);
    if (writes?.length !== 1) continue;
    const nested = loops.filter(([h, e]) => h > header && e <= end);
    for (let ip = header; ip < writes[0]; ip += 1 + OP_OPERANDS[code[ip]]) {
      if (
        code[ip] === Op.ADD_LK && code[ip + 1] === k && consts[code[ip + 2]] === 1 &&
        !nested.some(([h, e]) => h <= ip && ip < e)
      ) out.set(ip, header);
    }
  }
  return out;
}

/**
 * The loops of `code`, as [header, end] (end just after the back-edge); with `plain`, null when
 * the code makes a closure (which could write the loops' locals from a call).
 */
function loopsOf(code: Int32Array | number[]): [number, number][];
function loopsOf(code: Int32Array | number[], plain: true): [number, number][] | null;
function loopsOf(code: Int32Array | number[], plain = false): [number, number][] | null {
  const loops: [number, number][] = [];
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
    if (plain && code[ip] === Op.CLOSURE) return null;
    if (code[ip] === Op.LOOP) loops.push([code[ip + 1], ip + 3]);
  }
  return loops;
}

/** Where the code from `header` to `end` writes each local, by slot (a write of any kind). */
function localWrites(code: Int32Array | number[], header: number, end: number) {
  const writes = new Map<number, number[]>();
  for (let ip = header; ip < end; ip += 1 + OP_OPERANDS[code[ip]]) {
    const op = code[ip];
    if (op === Op.SET_LOCAL || op === Op.SET_NAME || op === Op.GET_LOCAL_MUT) {
      const at = writes.get(code[ip + 1]);
      if (at === undefined) writes.set(code[ip + 1], [ip]);
      else at.push(ip);
    }
  }
  return writes;
}

/** Constant `i` of `consts` when it is an Int a JS number holds exactly, else null. */
function intConst(consts: readonly unknown[], i: number): bigint | null {
  const v = consts[i];
  return typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : null;
}

/**
 * The fused test `JUMP_IF_NOT_LT_LL j n` or `JUMP_IF_NOT_LT_LK j c` (c an Int) at the header of a
 * loop: the local tested and its bound; null for any other header.
 */
function loopTest(
  code: Int32Array | number[],
  consts: readonly unknown[],
  header: number,
): { j: number; bound: { slot: number } | { k: bigint } } | null {
  if (code[header] === Op.JUMP_IF_NOT_LT_LL) {
    return { j: code[header + 1], bound: { slot: code[header + 2] } };
  }
  if (code[header] !== Op.JUMP_IF_NOT_LT_LK) return null;
  const c = intConst(consts, code[header + 2]);
  return c === null ? null : { j: code[header + 1], bound: { k: c } };
}

/** The reason of the exit a failed guard takes (see {@link guardedSteps} and {@link guardedSums}). */
const STEP_GUARD = "a guard of unchecked steps or sums failed";

/** A step found by {@link guardedSteps}: `j += step` in a loop tested by `j < bound`. */
export interface GuardedStep {
  /** Header of the loop whose test bounds the stepped local. */
  header: number;
  /** End of that loop (just after its back-edge). */
  end: number;
  /** The local stepped. */
  slot: number;
  /** The step: a local (never written in the loop) or a constant (at least 2). */
  step: { slot: number } | { k: bigint };
  /** The bound of the test: a local (never written in the loop) or a constant. */
  bound: { slot: number } | { k: bigint };
}

/**
 * Steps that cannot overflow once a guard before their loop holds: in `while j < n { ... j += i }`
 * the test leaves j below n, so with 0 <= i and n <= MAX - i, j + i is below the largest Int
 * and not below j. The guard is checked where control enters the loop (see `generate`); the
 * sum needs no check of its own. A step qualifies, keyed by the index of its `ADD` (or
 * `ADD_LK`), when
 * - its loop's header is `JUMP_IF_NOT_LT_LL j n` or `JUMP_IF_NOT_LT_LK j c` (c an Int);
 * - it is `GET_LOCAL j; GET_LOCAL i; ADD; SET_LOCAL j` (none of the last three the target of a
 *   jump or handler) or `ADD_LK j c; SET_LOCAL j` with c >= 2 (a step of 1 is
 *   {@link boundedIncrements}'), not inside a loop nested in that one;
 * - that SET_LOCAL is the loop's only write of j, and the loop writes neither i nor n (a write
 *   of any kind: SET_LOCAL, SET_NAME or GET_LOCAL_MUT);
 * - j, i and n are locals from before the loop (below the stack height at its header, so no
 *   push in the loop makes them), and the function makes no closure (that could write them).
 *
 * As for boundedIncrements, control in a round moves forward from the test to the step except
 * through nested loops and jumps back to the header, so j is below n at the step. With two
 * constants the guard is decided here: a step it would fail is left out.
 */
export function guardedSteps(
  code: Int32Array | number[],
  consts: readonly unknown[],
  isInstr: Uint8Array,
  states: ReadonlyMap<number, State>,
  handlers: readonly { target: number }[],
): Map<number, GuardedStep> {
  const out = new Map<number, GuardedStep>();
  const loops = loopsOf(code, true);
  if (loops === null) return out;
  let targets: ReadonlySet<number> | null = null;
  for (const [header, end] of loops) {
    const test = isInstr[header] ? loopTest(code, consts, header) : null;
    const hs = states.get(header);
    if (test === null || hs === undefined) continue;
    const { j, bound } = test;
    const writes = localWrites(code, header, end);
    const write = writes.get(j)?.length === 1 ? writes.get(j)![0] : -1;
    if (write < 5 || !isInstr[write]) continue;
    if ("slot" in bound && (writes.has(bound.slot) || bound.slot >= hs.length)) continue;
    if (j >= hs.length) continue;
    if (loops.some(([h, e]) => h > header && e <= end && h <= write && write < e)) continue;
    let step: GuardedStep["step"];
    let at: number;
    if (
      code[write - 1] === Op.ADD && isInstr[write - 1] && code[write - 3] === Op.GET_LOCAL &&
      isInstr[write - 3] && code[write - 5] === Op.GET_LOCAL && isInstr[write - 5] &&
      code[write - 4] === j && code[write - 2] !== j
    ) {
      const i = code[write - 2];
      if (writes.has(i) || i >= hs.length) continue;
      targets ??= jumpTargets(code, handlers);
      if (targets.has(write - 3) || targets.has(write - 1) || targets.has(write)) continue;
      step = { slot: i };
      at = write - 1;
    } else if (
      code[write - 3] === Op.ADD_LK && isInstr[write - 3] && code[write - 2] === j
    ) {
      const c = intConst(consts, code[write - 1]);
      if (c === null || c < 2n) continue;
      targets ??= jumpTargets(code, handlers);
      if (targets.has(write)) continue;
      step = { k: c };
      at = write - 3;
    } else continue;
    if ("k" in step && "k" in bound && bound.k > I64_MAX - step.k) continue;
    out.set(at, { header, end, slot: j, step, bound });
  }
  return out;
}

/** A sum found by {@link guardedSums}: `t += e` with e a 32-bit Int, in a loop of few rounds. */
export interface GuardedSum {
  /** Header of the loop. */
  header: number;
  /** End of that loop (just after its back-edge). */
  end: number;
  /** The local summed into. */
  slot: number;
  /**
   * What bounds the rounds left: the loop's array iterator (its slot; a `for x in xs` whose
   * element is added), or the index j and bound n of `while j < n { ... j += 1 }` (the element
   * is `a[j']` of an array local `a`).
   */
  rounds: { iter: number } | { j: number; bound: { slot: number } | { k: bigint }; array: number };
  /** The GET_INDEX whose element is added (an index loop), else -1. */
  index: number;
  /** What is added: an element (of a store the code generator must find 32-bit), or a constant. */
  adds: "element" | "constant";
}

/**
 * Sums that cannot overflow once a guard before their loop holds: a loop of at most 2^31 more
 * rounds that adds one element of a 32-bit-Int store to an Int t a round changes t by less than
 * 2^62 in all, so from t in [-2^62, 2^62) no sum leaves the Int range. The guard is checked
 * where control enters the loop and at every door into it (see `generate`), as for
 * {@link guardedSteps}; whether the stores hold 32-bit Ints, and t is an Int, the code
 * generator checks from its states. A sum qualifies, keyed by the index of its `ADD`, when
 * - it is `GET_LOCAL t; GET_LOCAL x; ADD; SET_LOCAL t` in `for x in xs` (the loop's header is
 *   its ITER_NEXT, x the element it pushes, never written in the loop): the rounds left are at
 *   most the elements left, fewer than 2^31;
 * - or `GET_LOCAL t; GET_LOCAL a; GET_LOCAL k; GET_INDEX; ADD; SET_LOCAL t` in a loop headed by
 *   `JUMP_IF_NOT_LT_LL j n` or `JUMP_IF_NOT_LT_LK j c` that ends with `ADD_LK j 1; SET_LOCAL j;
 *   LOOP`, its only write of j, with no jump in the loop to its header, that SET_LOCAL or the
 *   LOOP (so every round adds 1 to j, and the rounds left are at most n - j), n and a not
 *   written in the loop: the guard also checks n - j <= 2^31;
 * - or a count in either loop, `ADD_LK t c; SET_LOCAL t` or `SUB_LK t c; SET_LOCAL t` with
 *   |c| <= 2^31 (also when an `if` skips it, see {@link conditionalSteps}), whatever the
 *   elements of the array iterated;
 * - that SET_LOCAL is the loop's only write of t, not inside a nested loop, none of the
 *   instructions after the first GET_LOCAL (or the ADD_LK) is the target of a jump or handler,
 *   t and the locals read are from before the loop (below the stack height at its header, x
 *   excepted), and the function makes no closure.
 */
export function guardedSums(
  code: Int32Array | number[],
  consts: readonly unknown[],
  isInstr: Uint8Array,
  states: ReadonlyMap<number, State>,
  handlers: readonly { target: number }[],
): Map<number, GuardedSum> {
  const out = new Map<number, GuardedSum>();
  const loops = loopsOf(code, true);
  if (loops === null) return out;
  let targets: ReadonlySet<number> | null = null;
  const isGet = (ip: number) => isInstr[ip] && code[ip] === Op.GET_LOCAL;
  for (const [header, end] of loops) {
    const hs = states.get(header);
    if (hs === undefined || !isInstr[header]) continue;
    const forIn = code[header] === Op.ITER_NEXT;
    const test = forIn ? null : loopTest(code, consts, header);
    // (A `for` over a range is not an array's: its rounds may be as many as an Int.)
    if (forIn ? hs[hs.length - 1]?.k === K_RANGE : test === null) continue;
    // Every round of an index loop ends with `ADD_LK j 1; SET_LOCAL j; LOOP header`.
    const inc = end - 8;
    if (
      test !== null &&
      !(isInstr[inc] && code[inc] === Op.ADD_LK && code[inc + 1] === test.j &&
        consts[code[inc + 2]] === 1 && code[inc + 3] === Op.SET_LOCAL && code[inc + 4] === test.j)
    ) continue;
    const writes = localWrites(code, header, end);
    targets ??= jumpTargets(code, handlers);
    const nested = loops.filter(([h, e]) => h > header && e <= end);
    let rounds: GuardedSum["rounds"];
    if (test === null) rounds = { iter: hs.length - 1 };
    else {
      // ... and nothing skips that increment.
      const { j, bound } = test;
      if (writes.get(j)?.length !== 1 || j >= hs.length) continue;
      if (targets.has(inc + 3) || targets.has(end - 3)) continue;
      let back = false;
      for (let ip = header; ip < end - 3 && !back; ip += 1 + OP_OPERANDS[code[ip]]) {
        const at = OP_TARGET[code[ip]];
        if (at > 0 && code[ip + at] === header) back = true;
      }
      if (back) continue;
      if ("slot" in bound && (writes.has(bound.slot) || bound.slot >= hs.length)) continue;
      rounds = { j, bound, array: -1 };
    }
    for (const [t, at] of writes) {
      if (at.length !== 1) continue;
      const set = at[0];
      if (t >= (forIn ? hs.length - 1 : hs.length) || ("j" in rounds && t === rounds.j)) continue;
      if (nested.some(([h, e]) => h <= set && set < e)) continue;
      // A count: `ADD_LK t c` or `SUB_LK t c` (|c| <= 2^31), maybe skipped by an `if`.
      const lk = code[set - 3];
      if ((lk === Op.ADD_LK || lk === Op.SUB_LK) && isInstr[set - 3] && code[set - 2] === t) {
        const c = consts[code[set - 1]];
        if (typeof c !== "number" || !Number.isSafeInteger(c) || Math.abs(c) > 2 ** 31) continue;
        if (targets.has(set)) continue;
        out.set(set - 3, { header, end, slot: t, rounds, index: -1, adds: "constant" });
        continue;
      }
      if (code[set - 1] !== Op.ADD || !isInstr[set - 1]) continue;
      let first: number, index = -1, summed = rounds;
      if ("iter" in rounds) {
        first = set - 5;
        if (!isGet(set - 3) || code[set - 2] !== hs.length) continue;
        if (writes.has(hs.length)) continue;
      } else {
        first = set - 8;
        const [a, k] = [code[set - 5], code[set - 3]];
        if (!isGet(set - 6) || !isGet(set - 4) || code[set - 2] !== Op.GET_INDEX) continue;
        if (!isInstr[set - 2] || writes.has(a) || a >= hs.length || k === t) continue;
        index = set - 2;
        summed = { ...rounds, array: a };
      }
      if (!isGet(first) || code[first + 1] !== t) continue;
      let jumpedInto = false;
      for (let ip = first + 2; ip <= set; ip += 1 + OP_OPERANDS[code[ip]]) {
        if (targets.has(ip)) jumpedInto = true;
      }
      if (jumpedInto) continue;
      out.set(set - 1, { header, end, slot: t, rounds: summed, index, adds: "element" });
    }
  }
  return out;
}

/** A conditional step found by {@link conditionalSteps}. */
export interface CondStep {
  /** The local stepped. */
  slot: number;
  /** What is added to it (the constant of `ADD_LK`, negated for `SUB_LK`): never 0. */
  delta: bigint;
}

/**
 * The conditional steps of `code`: each `JUMP_IF_FALSE t` or `JUMP_IF_TRUE t` whose jump skips
 * exactly `ADD_LK s k` or `SUB_LK s k` and then `SET_LOCAL s` (`if c { n += 1 }`), keyed by the
 * jump's index. Neither skipped instruction may be the target of any other jump or handler, so
 * the three run as one: `n + (c ? k : 0)`, without a branch (see `generate`). An unpredictable
 * condition, such as a sieve's flags, costs a mispredicted branch a round otherwise.
 */
export function conditionalSteps(
  code: Int32Array | number[],
  consts: unknown[],
  handlers: readonly { target: number }[],
): Map<number, CondStep> {
  const found = new Map<number, CondStep>();
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
    const op = code[ip];
    if (op !== Op.JUMP_IF_FALSE && op !== Op.JUMP_IF_TRUE) continue;
    const step = ip + 2;
    const stepOp = code[step];
    if (stepOp !== Op.ADD_LK && stepOp !== Op.SUB_LK) continue;
    const k = consts[code[step + 2]];
    if (typeof k !== "number" || k === 0 || !Number.isSafeInteger(k)) continue;
    if (code[step + 3] !== Op.SET_LOCAL || code[step + 4] !== code[step + 1]) continue;
    if (code[ip + 1] !== step + 5) continue;
    found.set(ip, { slot: code[step + 1], delta: BigInt(stepOp === Op.ADD_LK ? k : -k) });
  }
  if (found.size === 0) return found;
  const targets = jumpTargets(code, handlers);
  for (const ip of [...found.keys()]) {
    if (targets.has(ip + 2) || targets.has(ip + 5)) found.delete(ip);
  }
  return found;
}

/** Every instruction some jump, loop back-edge or handler of `code` goes to. */
function jumpTargets(
  code: Int32Array | number[],
  handlers: readonly { target: number }[],
): ReadonlySet<number> {
  const targets = new Set(handlers.map((hd) => hd.target));
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
    const at = OP_TARGET[code[ip]];
    if (at > 0) targets.add(code[ip + at]);
  }
  return targets;
}

/** The largest bound of a `for x in K` loop whose elements count as small (see smallFactors). */
const SMALL_BOUND = 2 ** 31;

/**
 * The MUL instructions of `code` whose factors both lie in [0, 2^31), so that their product
 * cannot overflow. A factor qualifies when it is pushed by `GET_LOCAL x` right before (the MUL
 * is `GET_LOCAL a; GET_LOCAL b; MUL`, none of the three reached by a jump) and `x` is the
 * element of a `for x in K` loop around the MUL: `INT K` (or `CONST` of an Int K), `ITER_INIT`,
 * `ITER_NEXT`, with 0 <= K <= 2^31, whose body writes neither the element nor the iterator and
 * makes no closure. Each such range iterator is made from the constant K by that ITER_INIT
 * alone, wherever a unit entered, so its elements lie in [0, K). `states` gives the stack height
 * at each instruction.
 */
export function smallFactors(
  code: Int32Array | number[],
  consts: readonly unknown[],
  isInstr: Uint8Array,
  states: ReadonlyMap<number, State>,
  handlers: readonly { target: number }[],
): Set<number> {
  const out = new Set<number>();
  const loops: { elem: number; from: number; to: number }[] = [];
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
    if (code[ip] !== Op.ITER_NEXT || ip < 3) continue;
    if (code[ip - 1] !== Op.ITER_INIT || !isInstr[ip - 3]) continue;
    const k = code[ip - 3] === Op.INT
      ? code[ip - 2]
      : code[ip - 3] === Op.CONST
      ? consts[code[ip - 2]]
      : undefined;
    if (typeof k !== "number") continue;
    const st = states.get(ip);
    if (st === undefined || !(k >= 0 && k <= SMALL_BOUND)) continue;
    const iter = st.length - 1, elem = st.length;
    let end = -1;
    for (let x = ip; x < code.length; x += 1 + OP_OPERANDS[code[x]]) {
      if (code[x] === Op.LOOP && code[x + 1] === ip) {
        end = x;
        break;
      }
    }
    if (end < 0) continue;
    let ok = true;
    for (let x = ip + 2; x < end && ok; x += 1 + OP_OPERANDS[code[x]]) {
      const op = code[x];
      if (op === Op.CLOSURE) ok = false;
      else if (
        (op === Op.SET_LOCAL || op === Op.GET_LOCAL_MUT || op === Op.SET_NAME) &&
        (code[x + 1] === iter || code[x + 1] === elem)
      ) ok = false;
    }
    if (ok) loops.push({ elem, from: ip, to: end });
  }
  if (loops.length === 0) return out;
  const targets = jumpTargets(code, handlers);
  const smallAt = (slot: number, ip: number) =>
    loops.some((l) => l.elem === slot && l.from < ip && ip < l.to);
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
    if (code[ip] !== Op.MUL || ip < 4) continue;
    if (code[ip - 4] !== Op.GET_LOCAL || code[ip - 2] !== Op.GET_LOCAL) continue;
    if (!isInstr[ip - 4] || !isInstr[ip - 2] || targets.has(ip - 2) || targets.has(ip)) continue;
    if (smallAt(code[ip - 3], ip) && smallAt(code[ip - 1], ip)) out.add(ip);
  }
  return out;
}

/** Placeholder replaced by the VM's write-back mark (set by the JIT at start-up). */
export const WB_MARK_REF: { v: unknown } = { v: Symbol("wb") };

function describe(st: State): string {
  return `[${st.map((s) => kindName(s.k)).join(", ")}]`;
}

function sameCells(site: ExitSite, cells: CellMap[]): boolean {
  if (site.cells.length !== cells.length) return false;
  for (let i = 0; i < cells.length; i++) {
    const a = site.cells[i], b = cells[i];
    if (a.kind !== b.kind || a.c !== b.c || a.pin !== b.pin) return false;
  }
  return true;
}

function opName(op: number): string {
  return (Object.keys(Op) as (keyof typeof Op)[]).find((k) => Op[k] === op) ?? `op ${op}`;
}

/** i32 1 when the Int `a` lies outside ±(2^53 - 1) (a JS number cannot carry it exactly). */
function unsafeInt(a: Expr): Expr {
  return {
    k: "bin",
    op: "i32.or",
    a: { k: "bin", op: "i64.gt_s", a, b: { k: "i64.const", v: BigInt(MAX_SAFE) } },
    b: { k: "bin", op: "i64.lt_s", a, b: { k: "i64.const", v: -BigInt(MAX_SAFE) } },
  };
}

/**
 * The JS-facing entry of a loop unit: calls its body (function `body`) at the door it is given,
 * and again at the door the body asks for each time it pauses within wasm (see
 * {@link MEM_RESUME}). The call goes through V8's jump table, so a call made after V8 has
 * optimised the body runs the optimised code. A split unit (`handoff` >= 0, see `split` in
 * `generate`) enters at door 1 through its handoff function, which asks for a door of the body.
 */
function pauseEntry(body: number, handoff: number): Func {
  const door: Expr = { k: "local.get", i: 0 };
  const resume = i32c(MEM_RESUME);
  const call: Expr = handoff < 0 ? { k: "call", f: body, args: [door] } : {
    k: "if",
    t: "none",
    cond: bin("i32.eq", door, i32c(1)),
    then: [{ k: "call", f: handoff, args: [door] }],
    else: [{ k: "call", f: body, args: [door] }],
  };
  return {
    name: "entry",
    params: ["i32"],
    results: [],
    locals: [],
    body: [{
      k: "loop",
      label: "again",
      t: "none",
      body: [
        call,
        { k: "local.set", i: 0, v: { k: "load", op: "i32.load", addr: resume, offset: 0 } },
        {
          k: "if",
          t: "none",
          cond: door,
          then: [
            { k: "store", op: "i32.store", addr: resume, offset: 0, v: i32c(0) },
            { k: "br", label: "again" },
          ],
        },
      ],
    }],
    export: ENTRY_NAME,
  };
}

/**
 * The JS-facing entry of a function unit: arguments as f64 (Ints within ±2^53, Bools 0/1) or
 * externref (arrays); the result as f64 (an Int result is also stored exactly at
 * {@link MEM_RESULT}, which the JIT reads when the f64 lies beyond ±(2^53 - 1)), or NaN with
 * `status` 1 when the unit left (the exit tag, caught here).
 *
 * Kept under 50 bytes of code on purpose: V8 sizes its inlining budget by the
 * share of a module's functions that are that small (below half, the budget drops to a tenth),
 * and recursive functions run about twice as fast when it can inline them into themselves.
 */
function entryFunc(inner: number, entry: State, ret: number): Func {
  const params: ValType[] = [];
  const args: Expr[] = [{ k: "global.get", i: G_LIMIT }];
  for (let s = 1; s < entry.length; s++) {
    const k = entry[s].k;
    const i = params.length;
    params.push(k === K_ARRAY ? "externref" : "f64");
    const p: Expr = { k: "local.get", i };
    args.push(
      k === K_INT
        ? { k: "un", op: "i64.trunc_f64_s", a: p }
        : k === K_BOOL
        ? { k: "un", op: "i32.trunc_sat_f64_s", a: p }
        : p,
    );
  }
  const r = params.length;
  const rt = paramType(ret);
  const body: Expr[] = [
    {
      k: "try",
      body: [{ k: "local.set", i: r, v: { k: "call", f: inner, args } }],
      handler: [{ k: "return", v: { k: "f64.const", v: NaN } }],
    },
  ];
  const rv: Expr = { k: "local.get", i: r };
  if (ret === K_INT) {
    // The exact Int, for results beyond ±2^53 (the JIT reads it when the f64 is out of range).
    body.push({ k: "store", op: "i64.store", addr: i32c(MEM_RESULT), offset: 0, v: rv });
    body.push({ k: "return", v: { k: "un", op: "f64.convert_i64_s", a: rv } });
  } else if (ret === K_FLOAT) body.push({ k: "return", v: rv });
  else if (ret === K_BOOL) {
    body.push({ k: "return", v: { k: "un", op: "f64.convert_i32_s", a: rv } });
  } else body.push({ k: "return", v: { k: "f64.const", v: 0 } });
  return { name: "entry", params, results: ["f64"], locals: [rt], body, export: ENTRY_NAME };
}
