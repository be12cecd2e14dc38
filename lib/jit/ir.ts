/**
 * A small typed tree IR for WebAssembly modules: the one interface between the JIT's code
 * generator and its two emitters (the direct binary encoder in `encode.ts`, the default, and
 * binaryen in `binaryen_backend.ts`, loaded only on request).
 *
 * Expressions are trees (like binaryen's API); blocks and loops carry labels that branches name
 * (the binary encoder turns them into relative depths). Instruction names are the wasm text
 * names (`i64.add`, `f64.convert_i64_s`, ...).
 *
 * @module
 */

/** A wasm value type. */
export type ValType = "i32" | "i64" | "f64" | "externref";

/** Block / if / loop result type. */
export type BlockType = ValType | "none";

/** Unary operators (one operand). */
export type UnOp =
  | "i32.eqz"
  | "i64.eqz"
  | "i32.clz"
  | "i64.clz"
  | "f64.neg"
  | "f64.abs"
  | "f64.sqrt"
  | "f64.floor"
  | "f64.ceil"
  | "f64.trunc"
  | "f64.nearest"
  | "f64.convert_i64_s"
  | "f64.convert_i32_s"
  | "i64.trunc_f64_s"
  | "i64.trunc_sat_f64_s"
  | "i32.trunc_sat_f64_s"
  | "i32.wrap_i64"
  | "i64.extend_i32_s"
  | "i64.extend_i32_u"
  | "i64.reinterpret_f64"
  | "f64.reinterpret_i64"
  | "ref.is_null";

/** Binary operators (two operands, `a op b`). */
export type BinOp =
  | "i32.add"
  | "i32.sub"
  | "i32.mul"
  | "i32.and"
  | "i32.or"
  | "i32.xor"
  | "i32.shl"
  | "i32.shr_s"
  | "i32.eq"
  | "i32.ne"
  | "i32.lt_s"
  | "i32.le_s"
  | "i32.gt_s"
  | "i32.ge_s"
  | "i32.lt_u"
  | "i32.ge_u"
  | "i64.add"
  | "i64.sub"
  | "i64.mul"
  | "i64.div_s"
  | "i64.rem_s"
  | "i64.and"
  | "i64.or"
  | "i64.xor"
  | "i64.shl"
  | "i64.shr_s"
  | "i64.shr_u"
  | "i64.eq"
  | "i64.ne"
  | "i64.lt_s"
  | "i64.le_s"
  | "i64.gt_s"
  | "i64.ge_s"
  | "i64.lt_u"
  | "i64.ge_u"
  | "f64.add"
  | "f64.sub"
  | "f64.mul"
  | "f64.div"
  | "f64.min"
  | "f64.max"
  | "f64.copysign"
  | "f64.eq"
  | "f64.ne"
  | "f64.lt"
  | "f64.le"
  | "f64.gt"
  | "f64.ge";

/** Memory loads. */
export type LoadOp = "i32.load" | "i64.load" | "f64.load" | "i32.load8_u";
/** Memory stores. */
export type StoreOp = "i32.store" | "i64.store" | "f64.store" | "i32.store8";

/** An expression (or statement: one whose type is none). */
export type Expr =
  | { k: "i32.const"; v: number }
  | { k: "i64.const"; v: bigint }
  | { k: "f64.const"; v: number }
  | { k: "ref.null" }
  | { k: "local.get"; i: number }
  | { k: "local.set"; i: number; v: Expr }
  | { k: "local.tee"; i: number; v: Expr }
  | { k: "global.get"; i: number }
  | { k: "global.set"; i: number; v: Expr }
  | { k: "un"; op: UnOp; a: Expr }
  | { k: "bin"; op: BinOp; a: Expr; b: Expr }
  | { k: "load"; op: LoadOp; addr: Expr; offset: number }
  | { k: "store"; op: StoreOp; addr: Expr; v: Expr; offset: number }
  /** Calls function `f` (index space: imported functions first, then defined ones). */
  | { k: "call"; f: number; args: Expr[] }
  /**
   * Calls the function in element `slot` of the module's {@link Module.table}, checked to have
   * this signature (wasm `call_indirect`).
   */
  | { k: "call_indirect"; params: ValType[]; results: ValType[]; slot: number; args: Expr[] }
  | { k: "block"; label: string; t: BlockType; body: Expr[] }
  | { k: "loop"; label: string; t: BlockType; body: Expr[] }
  | { k: "if"; t: BlockType; cond: Expr; then: Expr[]; else?: Expr[] }
  | { k: "br"; label: string }
  | { k: "br_if"; label: string; cond: Expr }
  | { k: "return"; v?: Expr }
  | { k: "drop"; v: Expr }
  | { k: "select"; a: Expr; b: Expr; cond: Expr }
  | { k: "unreachable" }
  | { k: "nop" }
  /** Throws the module's {@link Module.tag} (an exception without values). */
  | { k: "throw" }
  /**
   * Runs `body`; when the module's tag is thrown out of it, runs `handler` instead of going on
   * (both of type none). The direct encoder emits `try_table` with a `catch` clause; binaryen,
   * whose JS API builds only the legacy form, a `try` / `catch`.
   */
  | { k: "try"; body: Expr[]; handler: Expr[] };

/** An imported function. */
export interface ImportFunc {
  module: string;
  name: string;
  params: ValType[];
  results: ValType[];
}

/** A defined function. */
export interface Func {
  /** Name (kept in the name section / WAT output). */
  name: string;
  params: ValType[];
  results: ValType[];
  /** Extra locals after the parameters. */
  locals: ValType[];
  body: Expr[];
  /** Export name, when exported. */
  export?: string;
}

/** A global: imported (`import`) or defined with a constant initialiser (`init`). */
export interface Global {
  t: ValType;
  mutable: boolean;
  init?: number | bigint;
  import?: { module: string; name: string };
  export?: string;
}

/** A whole module. */
export interface Module {
  imports: ImportFunc[];
  funcs: Func[];
  globals: Global[];
  /** An imported linear memory (`min` pages), when the module uses memory. */
  memory?: { module: string; name: string; min: number };
  /** An imported exception tag without values (`throw` and `try` use it), when the module has one. */
  tag?: { module: string; name: string };
  /** An imported function table (`call_indirect` uses it), when the module has one. */
  table?: { module: string; name: string };
  /** The signatures `call_indirect` uses (they go into the type section). */
  indirect?: { params: ValType[]; results: ValType[] }[];
}

/** Emits a module as wasm bytes. */
export interface Backend {
  /** Backend name (`direct` or `binaryen`). */
  readonly name: string;
  /** Encodes (and for binaryen validates) the module. */
  emit(mod: Module): Uint8Array;
}
