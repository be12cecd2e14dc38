/**
 * The direct WebAssembly binary encoder: the JIT's default {@link Backend}.
 *
 * It writes a module from the tree IR of `ir.ts` straight into one growable byte buffer that is
 * reused across calls (the only allocation per call is the returned copy). Opcode tables are
 * built once at module load. Section and function-body sizes are written after their contents
 * (space for a 5-byte LEB is reserved, then the contents are moved back over the unused bytes),
 * so every LEB in the output is minimal.
 *
 * Sections written: type (deduplicated signatures), import (functions, then the memory, the
 * imported globals and the exception tag), function, global, export, code and a `name` custom
 * section with the function names. `throw` and `try` use the exception-handling instructions of
 * wasm 3.0 (`throw`, `try_table`).
 *
 * @module
 */

import type {
  Backend,
  BinOp,
  BlockType,
  Expr,
  Func,
  Global,
  ImportFunc,
  LoadOp,
  Module,
  StoreOp,
  UnOp,
  ValType,
} from "./ir.ts";

// ───────────────────────────── opcode tables ─────────────────────────────

/** Value type bytes. */
const VALTYPE: Readonly<Record<ValType, number>> = {
  i32: 0x7f,
  i64: 0x7e,
  f64: 0x7c,
  externref: 0x6f,
};

/** Unary opcodes; values above 0xff are `0xfc`-prefixed (`0xfc00 | sub-opcode`). */
const UNOP: Readonly<Record<UnOp, number>> = {
  "i32.eqz": 0x45,
  "i64.eqz": 0x50,
  "i32.clz": 0x67,
  "i64.clz": 0x79,
  "f64.abs": 0x99,
  "f64.neg": 0x9a,
  "f64.ceil": 0x9b,
  "f64.floor": 0x9c,
  "f64.trunc": 0x9d,
  "f64.nearest": 0x9e,
  "f64.sqrt": 0x9f,
  "i32.wrap_i64": 0xa7,
  "i64.extend_i32_s": 0xac,
  "i64.extend_i32_u": 0xad,
  "i64.trunc_f64_s": 0xb0,
  "f64.convert_i32_s": 0xb7,
  "f64.convert_i64_s": 0xb9,
  "i64.reinterpret_f64": 0xbd,
  "f64.reinterpret_i64": 0xbf,
  "ref.is_null": 0xd1,
  "i32.trunc_sat_f64_s": 0xfc02,
  "i64.trunc_sat_f64_s": 0xfc06,
};

/** Result types of the unary operators (used only to type `select`). */
const UNOP_RESULT: Readonly<Record<UnOp, ValType>> = {
  "i32.eqz": "i32",
  "i64.eqz": "i32",
  "i32.clz": "i32",
  "i64.clz": "i64",
  "f64.abs": "f64",
  "f64.neg": "f64",
  "f64.ceil": "f64",
  "f64.floor": "f64",
  "f64.trunc": "f64",
  "f64.nearest": "f64",
  "f64.sqrt": "f64",
  "i32.wrap_i64": "i32",
  "i64.extend_i32_s": "i64",
  "i64.extend_i32_u": "i64",
  "i64.trunc_f64_s": "i64",
  "f64.convert_i32_s": "f64",
  "f64.convert_i64_s": "f64",
  "i64.reinterpret_f64": "i64",
  "f64.reinterpret_i64": "f64",
  "ref.is_null": "i32",
  "i32.trunc_sat_f64_s": "i32",
  "i64.trunc_sat_f64_s": "i64",
};

/** Binary opcodes. */
const BINOP: Readonly<Record<BinOp, number>> = {
  "i32.eq": 0x46,
  "i32.ne": 0x47,
  "i32.lt_s": 0x48,
  "i32.lt_u": 0x49,
  "i32.gt_s": 0x4a,
  "i32.le_s": 0x4c,
  "i32.ge_s": 0x4e,
  "i32.ge_u": 0x4f,
  "i64.eq": 0x51,
  "i64.ne": 0x52,
  "i64.lt_s": 0x53,
  "i64.gt_s": 0x55,
  "i64.le_s": 0x57,
  "i64.ge_s": 0x59,
  "i64.lt_u": 0x54,
  "i64.ge_u": 0x5a,
  "f64.eq": 0x61,
  "f64.ne": 0x62,
  "f64.lt": 0x63,
  "f64.gt": 0x64,
  "f64.le": 0x65,
  "f64.ge": 0x66,
  "i32.add": 0x6a,
  "i32.sub": 0x6b,
  "i32.mul": 0x6c,
  "i32.and": 0x71,
  "i32.or": 0x72,
  "i32.xor": 0x73,
  "i32.shl": 0x74,
  "i32.shr_s": 0x75,
  "i64.add": 0x7c,
  "i64.sub": 0x7d,
  "i64.mul": 0x7e,
  "i64.div_s": 0x7f,
  "i64.rem_s": 0x81,
  "i64.and": 0x83,
  "i64.or": 0x84,
  "i64.xor": 0x85,
  "i64.shl": 0x86,
  "i64.shr_s": 0x87,
  "i64.shr_u": 0x88,
  "f64.add": 0xa0,
  "f64.sub": 0xa1,
  "f64.mul": 0xa2,
  "f64.div": 0xa3,
  "f64.min": 0xa4,
  "f64.max": 0xa5,
  "f64.copysign": 0xa6,
};

/** Result types of the binary operators (used only to type `select`). */
const BINOP_RESULT: Readonly<Record<BinOp, ValType>> = (() => {
  const out = {} as Record<BinOp, ValType>;
  for (const op of Object.keys(BINOP) as BinOp[]) {
    // Opcodes up to f64.ge (0x66) are comparisons.
    out[op] = BINOP[op] <= 0x66 ? "i32" : op.slice(0, 3) as ValType;
  }
  return out;
})();

/** Load opcodes, natural alignments (log2 of the access size) and result types. */
const LOAD: Readonly<Record<LoadOp, number>> = {
  "i32.load": 0x28,
  "i64.load": 0x29,
  "f64.load": 0x2b,
  "i32.load8_u": 0x2d,
};
const LOAD_ALIGN: Readonly<Record<LoadOp, number>> = {
  "i32.load": 2,
  "i64.load": 3,
  "f64.load": 3,
  "i32.load8_u": 0,
};
const LOAD_RESULT: Readonly<Record<LoadOp, ValType>> = {
  "i32.load": "i32",
  "i64.load": "i64",
  "f64.load": "f64",
  "i32.load8_u": "i32",
};

/** Store opcodes and natural alignments. */
const STORE: Readonly<Record<StoreOp, number>> = {
  "i32.store": 0x36,
  "i64.store": 0x37,
  "f64.store": 0x39,
  "i32.store8": 0x3a,
};
const STORE_ALIGN: Readonly<Record<StoreOp, number>> = {
  "i32.store": 2,
  "i64.store": 3,
  "f64.store": 3,
  "i32.store8": 0,
};

/** `\0asm`, version 1. */
const HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Type codes for the signature keys of the type-section deduplication (0 is the separator). */
const SIG_DIGIT: Readonly<Record<ValType, number>> = { i32: 1, i64: 2, f64: 3, externref: 4 };

// ───────────────────────────── the byte buffer ─────────────────────────────

let buf = new Uint8Array(1 << 16);
let pos = 0;
const f64Scratch = new DataView(new ArrayBuffer(8));
const utf8 = new TextEncoder();

function grow(need: number): void {
  let size = buf.length * 2;
  while (size < pos + need) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, pos));
  buf = next;
}

function byte(b: number): void {
  if (pos >= buf.length) grow(1);
  buf[pos++] = b;
}

/** Unsigned LEB128 of a u32. */
function u32(v: number): void {
  if (pos + 5 > buf.length) grow(5);
  v >>>= 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
}

/** Signed LEB128 of an i32 (the number is wrapped to 32 bits first). */
function s32(v: number): void {
  if (pos + 5 > buf.length) grow(5);
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      buf[pos++] = b;
      return;
    }
    buf[pos++] = b | 0x80;
  }
}

/** Signed LEB128 of a safe integer, as an i64. */
function s64num(v: number): void {
  if (v >= -0x80000000 && v <= 0x7fffffff) return s32(v);
  if (pos + 10 > buf.length) grow(10);
  for (;;) {
    const b = ((v % 128) + 128) % 128;
    v = Math.floor(v / 128);
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      buf[pos++] = b;
      return;
    }
    buf[pos++] = b | 0x80;
  }
}

/** Signed LEB128 of an i64 (the bigint is wrapped to 64 bits first). */
function s64(v: bigint): void {
  if (v >= -0x20000000000000n && v <= 0x20000000000000n) return s64num(Number(v));
  if (pos + 10 > buf.length) grow(10);
  let x = BigInt.asIntN(64, v);
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
      buf[pos++] = b;
      return;
    }
    buf[pos++] = b | 0x80;
  }
}

/** An f64, little-endian. */
function f64(v: number): void {
  if (pos + 8 > buf.length) grow(8);
  f64Scratch.setFloat64(0, v, true);
  for (let i = 0; i < 8; i++) buf[pos++] = f64Scratch.getUint8(i);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function asciiBytes(s: string): void {
  if (pos + s.length > buf.length) grow(s.length);
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
}

function utf8Bytes(s: string): void {
  if (isAscii(s)) return asciiBytes(s);
  const bytes = utf8.encode(s);
  if (pos + bytes.length > buf.length) grow(bytes.length);
  buf.set(bytes, pos);
  pos += bytes.length;
}

function utf8Length(s: string): number {
  return isAscii(s) ? s.length : utf8.encode(s).length;
}

/** A wasm `name`: length-prefixed UTF-8. */
function str(s: string): void {
  u32(utf8Length(s));
  utf8Bytes(s);
}

/** Reserves room for a size LEB; returns where the sized contents start. */
function beginSized(): number {
  if (pos + 5 > buf.length) grow(5);
  pos += 5;
  return pos;
}

/** Writes the minimal size LEB of the contents begun at `start`, moving them back over the gap. */
function endSized(start: number): void {
  const size = pos - start;
  let n = 1;
  while (size >>> (7 * n) !== 0 && n < 5) n++;
  const at = start - 5;
  if (n < 5) buf.copyWithin(at + n, start, pos);
  pos -= 5 - n;
  let v = size;
  for (let i = 0; i < n; i++) {
    buf[at + i] = i === n - 1 ? v & 0x7f : (v & 0x7f) | 0x80;
    v >>>= 7;
  }
}

function section(id: number): number {
  byte(id);
  return beginSized();
}

// ───────────────────────────── per-call state ─────────────────────────────

/** The module being encoded and the current function (for `select` typing). */
let curMod: Module | undefined;
let curFunc: Func | undefined;
/** Label stack: a label per enclosing block/loop, `null` for if/else. */
const labels: (string | null)[] = [];
let depth = 0;
/** Type index per function (imports first). */
const typeOfFunc: number[] = [];
/** Signature key → type index. */
const sigIndex = new Map<number | string, number>();
/** Unique signatures, in type-section order (functions', `call_indirect`'s, the tag's). */
const uniqueSig: { params: readonly ValType[]; results: readonly ValType[] }[] = [];

function sigKey(params: readonly ValType[], results: readonly ValType[]): number | string {
  if (params.length + results.length < 22) {
    let k = 0;
    for (let i = 0; i < params.length; i++) k = k * 5 + SIG_DIGIT[params[i]];
    k *= 5;
    for (let i = 0; i < results.length; i++) k = k * 5 + SIG_DIGIT[results[i]];
    return k;
  }
  return params.join(",") + ":" + results.join(",");
}

function funcSig(mod: Module, i: number): ImportFunc | Func {
  const n = mod.imports.length;
  return i < n ? mod.imports[i] : mod.funcs[i - n];
}

function valtype(t: ValType): void {
  const b = VALTYPE[t];
  if (b === undefined) throw new Error(`wasm encoder: unknown value type '${t}'`);
  byte(b);
}

function blocktype(t: BlockType): void {
  if (t === "none") byte(0x40);
  else valtype(t);
}

function valtypes(ts: readonly ValType[]): void {
  u32(ts.length);
  for (let i = 0; i < ts.length; i++) valtype(ts[i]);
}

// ───────────────────────────── expressions ─────────────────────────────

function localType(i: number): ValType {
  const f = curFunc!;
  const n = f.params.length;
  const t = i < n ? f.params[i] : f.locals[i - n];
  if (t === undefined) throw new Error(`wasm encoder: ${f.name}: no local ${i}`);
  return t;
}

/** The value type of an expression ("none" for statements); used to type `select`. */
function typeOf(e: Expr): BlockType {
  switch (e.k) {
    case "i32.const":
      return "i32";
    case "i64.const":
      return "i64";
    case "f64.const":
      return "f64";
    case "ref.null":
      return "externref";
    case "local.get":
    case "local.tee":
      return localType(e.i);
    case "global.get": {
      const g = curMod!.globals[e.i];
      if (g === undefined) throw new Error(`wasm encoder: no global ${e.i}`);
      return g.t;
    }
    case "un":
      return UNOP_RESULT[e.op];
    case "bin":
      return BINOP_RESULT[e.op];
    case "load":
      return LOAD_RESULT[e.op];
    case "call": {
      const f = funcSig(curMod!, e.f);
      if (f === undefined) throw new Error(`wasm encoder: no function ${e.f}`);
      return f.results.length > 0 ? f.results[0] : "none";
    }
    case "call_indirect":
      return e.results.length > 0 ? e.results[0] : "none";
    case "block":
    case "loop":
    case "if":
      return e.t;
    case "select":
      return typeOf(e.a);
    default:
      return "none";
  }
}

function branchDepth(label: string): number {
  for (let i = depth - 1; i >= 0; i--) if (labels[i] === label) return depth - 1 - i;
  throw new Error(`wasm encoder: ${curFunc!.name}: branch to unknown label '${label}'`);
}

function pushLabel(label: string | null): void {
  labels[depth++] = label;
}

function exprs(es: readonly Expr[]): void {
  for (let i = 0; i < es.length; i++) expr(es[i]);
}

function expr(e: Expr): void {
  switch (e.k) {
    case "local.get":
      byte(0x20);
      u32(e.i);
      return;
    case "i64.const":
      byte(0x42);
      s64(e.v);
      return;
    case "bin": {
      expr(e.a);
      expr(e.b);
      const op = BINOP[e.op];
      if (op === undefined) throw new Error(`wasm encoder: unknown binary operator '${e.op}'`);
      byte(op);
      return;
    }
    case "local.set":
      expr(e.v);
      byte(0x21);
      u32(e.i);
      return;
    case "i32.const":
      byte(0x41);
      s32(e.v);
      return;
    case "f64.const":
      byte(0x44);
      f64(e.v);
      return;
    case "un": {
      expr(e.a);
      const op = UNOP[e.op];
      if (op === undefined) throw new Error(`wasm encoder: unknown unary operator '${e.op}'`);
      if (op > 0xff) {
        byte(0xfc);
        u32(op & 0xff);
      } else byte(op);
      return;
    }
    case "local.tee":
      expr(e.v);
      byte(0x22);
      u32(e.i);
      return;
    case "global.get":
      byte(0x23);
      u32(e.i);
      return;
    case "global.set":
      expr(e.v);
      byte(0x24);
      u32(e.i);
      return;
    case "ref.null":
      byte(0xd0);
      byte(0x6f);
      return;
    case "load": {
      expr(e.addr);
      const op = LOAD[e.op];
      if (op === undefined) throw new Error(`wasm encoder: unknown load '${e.op}'`);
      byte(op);
      u32(LOAD_ALIGN[e.op]);
      u32(e.offset);
      return;
    }
    case "store": {
      expr(e.addr);
      expr(e.v);
      const op = STORE[e.op];
      if (op === undefined) throw new Error(`wasm encoder: unknown store '${e.op}'`);
      byte(op);
      u32(STORE_ALIGN[e.op]);
      u32(e.offset);
      return;
    }
    case "call": {
      const mod = curMod!;
      if (!(e.f >= 0 && e.f < mod.imports.length + mod.funcs.length)) {
        throw new Error(`wasm encoder: ${curFunc!.name}: call to unknown function ${e.f}`);
      }
      exprs(e.args);
      byte(0x10);
      u32(e.f);
      return;
    }
    case "call_indirect": {
      const t = sigIndex.get(sigKey(e.params, e.results));
      if (t === undefined || curMod!.table === undefined) {
        throw new Error(
          `wasm encoder: ${curFunc!.name}: call_indirect needs Module.table and its ` +
            "signature in Module.indirect",
        );
      }
      exprs(e.args);
      byte(0x41);
      s32(e.slot);
      byte(0x11);
      u32(t);
      u32(0);
      return;
    }
    case "block":
      byte(0x02);
      blocktype(e.t);
      pushLabel(e.label);
      exprs(e.body);
      depth--;
      byte(0x0b);
      return;
    case "loop":
      byte(0x03);
      blocktype(e.t);
      pushLabel(e.label);
      exprs(e.body);
      depth--;
      byte(0x0b);
      return;
    case "if":
      expr(e.cond);
      byte(0x04);
      blocktype(e.t);
      pushLabel(null);
      exprs(e.then);
      if (e.else !== undefined && e.else.length > 0) {
        byte(0x05);
        exprs(e.else);
      }
      depth--;
      byte(0x0b);
      return;
    case "br":
      byte(0x0c);
      u32(branchDepth(e.label));
      return;
    case "br_if":
      expr(e.cond);
      byte(0x0d);
      u32(branchDepth(e.label));
      return;
    case "return":
      if (e.v !== undefined) expr(e.v);
      byte(0x0f);
      return;
    case "drop":
      expr(e.v);
      byte(0x1a);
      return;
    case "select":
      expr(e.a);
      expr(e.b);
      expr(e.cond);
      if (typeOf(e.a) === "externref") {
        byte(0x1c);
        byte(1);
        byte(0x6f);
      } else byte(0x1b);
      return;
    case "unreachable":
      byte(0x00);
      return;
    case "throw":
      byte(0x08);
      u32(0);
      return;
    case "try":
      // block $done  block $caught  try_table (catch tag0 $caught) body end  br $done  end
      // handler end. A catch clause's label is resolved outside the try_table: 0 is $caught.
      byte(0x02);
      byte(0x40);
      pushLabel(null);
      byte(0x02);
      byte(0x40);
      pushLabel(null);
      byte(0x1f);
      byte(0x40);
      u32(1);
      byte(0x00);
      u32(0);
      u32(0);
      pushLabel(null);
      exprs(e.body);
      depth--;
      byte(0x0b);
      byte(0x0c);
      u32(1);
      depth--;
      byte(0x0b);
      exprs(e.handler);
      depth--;
      byte(0x0b);
      return;
    case "nop":
      byte(0x01);
      return;
    default:
      throw new Error(`wasm encoder: unknown expression kind '${(e as { k: string }).k}'`);
  }
}

// ───────────────────────────── the module ─────────────────────────────

function constInit(g: Global): void {
  const v = g.init ?? 0;
  switch (g.t) {
    case "i32":
      byte(0x41);
      s32(Number(v));
      break;
    case "i64":
      byte(0x42);
      if (typeof v === "bigint") s64(v);
      else if (Number.isSafeInteger(v)) s64num(v);
      else s64(BigInt(Math.trunc(v)));
      break;
    case "f64":
      byte(0x44);
      f64(Number(v));
      break;
    case "externref":
      byte(0xd0);
      byte(0x6f);
      break;
    default:
      throw new Error(`wasm encoder: unknown global type '${g.t}'`);
  }
  byte(0x0b);
}

function locals(ts: readonly ValType[]): void {
  let runs = 0;
  for (let i = 0; i < ts.length; i++) if (i === 0 || ts[i] !== ts[i - 1]) runs++;
  u32(runs);
  let i = 0;
  while (i < ts.length) {
    let j = i + 1;
    while (j < ts.length && ts[j] === ts[i]) j++;
    u32(j - i);
    valtype(ts[i]);
    i = j;
  }
}

/** Encodes an IR module as a wasm binary (throws an Error on malformed IR it notices). */
export function encodeModule(mod: Module): Uint8Array<ArrayBuffer> {
  pos = 0;
  depth = 0;
  curMod = mod;
  curFunc = undefined;
  try {
    return encode(mod);
  } finally {
    curMod = undefined;
    curFunc = undefined;
  }
}

function encode(mod: Module): Uint8Array<ArrayBuffer> {
  const { imports, funcs, globals } = mod;
  const nImports = imports.length;
  const nFuncs = nImports + funcs.length;

  // Imported globals must come first in the global index space.
  let nImportedGlobals = 0;
  let nExports = 0;
  for (let i = 0; i < globals.length; i++) {
    const g = globals[i];
    if (g.import !== undefined) {
      if (nImportedGlobals !== i) {
        throw new Error(
          `wasm encoder: global ${i} is imported after a defined global; ` +
            "imported globals must come first in Module.globals",
        );
      }
      nImportedGlobals++;
    }
    if (g.export !== undefined) nExports++;
  }
  for (let i = 0; i < funcs.length; i++) if (funcs[i].export !== undefined) nExports++;

  // Deduplicated signatures.
  sigIndex.clear();
  uniqueSig.length = 0;
  typeOfFunc.length = nFuncs;
  const addSig = (f: { params: readonly ValType[]; results: readonly ValType[] }): number => {
    const key = sigKey(f.params, f.results);
    let t = sigIndex.get(key);
    if (t === undefined) {
      t = uniqueSig.length;
      sigIndex.set(key, t);
      uniqueSig.push(f);
    }
    return t;
  };
  for (let i = 0; i < nFuncs; i++) typeOfFunc[i] = addSig(funcSig(mod, i));
  if (mod.indirect !== undefined) { for (const f of mod.indirect) addSig(f); }
  // A tag's type is a function type without results; ours has no parameters either.
  const tagType = mod.tag !== undefined ? addSig({ params: [], results: [] }) : -1;

  // Header.
  if (buf.length < 8) grow(8);
  buf.set(HEADER, 0);
  pos = 8;

  // Type section.
  if (uniqueSig.length > 0) {
    const s = section(1);
    u32(uniqueSig.length);
    for (let i = 0; i < uniqueSig.length; i++) {
      byte(0x60);
      const f = uniqueSig[i];
      valtypes(f.params);
      valtypes(f.results);
    }
    endSized(s);
  }

  // Import section: functions, memory, globals, tag.
  const nImportEntries = nImports + (mod.memory ? 1 : 0) + nImportedGlobals +
    (mod.tag ? 1 : 0) + (mod.table ? 1 : 0);
  if (nImportEntries > 0) {
    const s = section(2);
    u32(nImportEntries);
    for (let i = 0; i < nImports; i++) {
      const imp = imports[i];
      str(imp.module);
      str(imp.name);
      byte(0x00);
      u32(typeOfFunc[i]);
    }
    if (mod.memory) {
      str(mod.memory.module);
      str(mod.memory.name);
      byte(0x02);
      byte(0x00);
      u32(mod.memory.min);
    }
    for (let i = 0; i < nImportedGlobals; i++) {
      const g = globals[i];
      str(g.import!.module);
      str(g.import!.name);
      byte(0x03);
      valtype(g.t);
      byte(g.mutable ? 1 : 0);
    }
    if (mod.tag) {
      str(mod.tag.module);
      str(mod.tag.name);
      byte(0x04);
      byte(0x00);
      u32(tagType);
    }
    if (mod.table) {
      // Table 0: funcref elements, no maximum, at least 0 of them.
      str(mod.table.module);
      str(mod.table.name);
      byte(0x01);
      byte(0x70);
      byte(0x00);
      u32(0);
    }
    endSized(s);
  }

  // Function section.
  if (funcs.length > 0) {
    const s = section(3);
    u32(funcs.length);
    for (let i = nImports; i < nFuncs; i++) u32(typeOfFunc[i]);
    endSized(s);
  }

  // Global section.
  if (globals.length > nImportedGlobals) {
    const s = section(6);
    u32(globals.length - nImportedGlobals);
    for (let i = nImportedGlobals; i < globals.length; i++) {
      const g = globals[i];
      valtype(g.t);
      byte(g.mutable ? 1 : 0);
      constInit(g);
    }
    endSized(s);
  }

  // Export section.
  if (nExports > 0) {
    const s = section(7);
    u32(nExports);
    for (let i = 0; i < funcs.length; i++) {
      const name = funcs[i].export;
      if (name === undefined) continue;
      str(name);
      byte(0x00);
      u32(nImports + i);
    }
    for (let i = 0; i < globals.length; i++) {
      const name = globals[i].export;
      if (name === undefined) continue;
      str(name);
      byte(0x03);
      u32(i);
    }
    endSized(s);
  }

  // Code section.
  if (funcs.length > 0) {
    const s = section(10);
    u32(funcs.length);
    for (let i = 0; i < funcs.length; i++) {
      const f = funcs[i];
      curFunc = f;
      depth = 0;
      const body = beginSized();
      locals(f.locals);
      exprs(f.body);
      byte(0x0b);
      endSized(body);
    }
    endSized(s);
  }

  // Name section (function names): imports as `module.name`, then the defined functions.
  if (nFuncs > 0) {
    const s = section(0);
    str("name");
    byte(1);
    const sub = beginSized();
    u32(nFuncs);
    for (let i = 0; i < nImports; i++) {
      const imp = imports[i];
      u32(i);
      u32(utf8Length(imp.module) + 1 + utf8Length(imp.name));
      utf8Bytes(imp.module);
      byte(0x2e);
      utf8Bytes(imp.name);
    }
    for (let i = 0; i < funcs.length; i++) {
      u32(nImports + i);
      str(funcs[i].name);
    }
    endSized(sub);
    endSized(s);
  }

  return buf.slice(0, pos);
}

/** The direct binary encoder as a JIT backend (the default). */
export const directBackend: Backend = {
  name: "direct",
  emit: encodeModule,
};
