/**
 * The opcode table: the single source of truth for the instruction set. The `Op` enum, the
 * operand counts, the stack effects and the disassembler all derive from {@link TABLE}.
 *
 * Each row: `[operand count, stack effect (NaN = depends on operands), semantics]`.
 * Operands are inline integers after the opcode. `k` = constant index, `s` = local slot,
 * `u` = upvalue index, `g` = global index, `off` = absolute jump target, `n` = count,
 * `at` = the instruction an error counts as raised at (not a jump).
 *
 * @module
 */

const TABLE = {
  CONST: [1, 1, "k: push constant k"],
  INT: [1, 1, "n: push the small Int n"],
  NULL: [0, 1, "push null"],
  TRUE: [0, 1, "push true"],
  FALSE: [0, 1, "push false"],
  POP: [0, -1, "drop the top value"],
  POPN: [1, NaN, "n: drop n values"],
  DUP: [0, 1, "duplicate the top value"],
  DUP2: [0, 2, "duplicate the two top values"],
  SWAP: [0, 0, "swap the two top values"],

  GET_LOCAL: [1, 1, "s: push local s"],
  SET_LOCAL: [1, -1, "s: pop into local s"],
  GET_UPVAL: [1, 1, "u: push captured variable u"],
  SET_UPVAL: [1, -1, "u: pop into captured variable u"],
  GET_GLOBAL: [1, 1, "g: push global g, else the built-in of that name, else raise Undefined"],
  SET_GLOBAL: [1, -1, "g: pop into global g (defining it); raises on a const global"],
  DEF_GLOBAL: [1, -1, "g: declare global g (let/func/struct/enum); raises on a const global"],
  DEF_CONST: [1, -1, "g: declare global g as const"],
  GET_GLOBAL_Q: [1, 1, "g: push global g, else the built-in of that name, else null"],
  GET_NAME: [2, 1, "s g: push local s when bound, else global g"],
  SET_NAME: [2, -1, "s g: store into local s when bound, else global g when bound, else local s"],
  GET_LOCAL_MUT: [1, 1, "s: push local s made unique (copy-on-write) for in-place mutation"],
  GET_UPVAL_MUT: [1, 1, "u: push captured variable u made unique for in-place mutation"],
  GET_GLOBAL_MUT: [1, 1, "g: push global g made unique; raises on a const global"],
  GET_NAME_MUT: [2, 1, "s g: GET_NAME made unique for in-place mutation"],
  CLOSE_UPVALS: [1, 0, "s: close the captured variables at slots >= s"],

  ADD: [0, -1, "a b -> a + b"],
  SUB: [0, -1, "a b -> a - b"],
  MUL: [0, -1, "a b -> a * b"],
  DIV: [0, -1, "a b -> a / b"],
  MOD: [0, -1, "a b -> a % b"],
  EQ: [0, -1, "a b -> a == b"],
  NE: [0, -1, "a b -> a != b"],
  LT: [0, -1, "a b -> a < b"],
  LE: [0, -1, "a b -> a <= b"],
  GT: [0, -1, "a b -> a > b"],
  GE: [0, -1, "a b -> a >= b"],
  NEG: [0, 0, "a -> -a"],
  NOT: [0, 0, "a -> !a"],
  TO_BOOL: [0, 0, "a -> truthiness of a"],
  ADD_LK: [2, 1, "s k: push local s + constant k (Int fast path)"],
  SUB_LK: [2, 1, "s k: push local s - constant k (Int fast path)"],
  LT_LK: [2, 1, "s k: push local s < constant k (Int fast path)"],

  JUMP: [1, 0, "off: jump"],
  LOOP: [2, 0, "off n: jump backwards (a loop back-edge); n numbers the loop's JIT counter"],
  JUMP_IF_FALSE: [1, -1, "off: pop; jump when falsy"],
  JUMP_IF_NOT_LT_LK: [3, 0, "s k off: jump unless local s < constant k (fused loop test)"],
  JUMP_IF_NOT_LT_LL: [3, 0, "s t off: jump unless local s < local t (fused loop test)"],
  JUMP_IF_TRUE: [1, -1, "off: pop; jump when truthy"],
  JUMP_IF_NOT_NULL: [1, 0, "off: when the top is not null jump (keeping it), else pop it"],

  PIPE_CHECK: [0, 0, "raise unless the top value is callable (the target of |>)"],
  CALL: [1, NaN, "n: call the callee below n arguments"],
  PIN: [0, 0, "count the top value as held while later arguments run (copy-on-write, §3.2)"],
  UNPIN: [1, 0, "n: release the n values below the top that PIN held"],
  INVOKE: [2, NaN, "k n: call method k on the receiver below n arguments (LANGUAGE.md §10.1)"],
  INVOKE_WB: [2, NaN, "k n: INVOKE on a place; also push the receiver's new value or a no-op mark"],
  WB_SKIP: [1, 0, "off: when the top is the no-op mark, pop it and jump"],
  RETURN: [0, -1, "return the top value from the current function"],
  CLOSURE: [1, 1, "k: make a closure of prototype k (capture list follows in the prototype)"],

  GET_INDEX: [0, -1, "o i -> o[i]"],
  SET_INDEX: [0, -3, "o i v: o[i] := v (o already unique)"],
  SET_INDEX_R: [0, -3, "v o i: o[i] := v (o already unique)"],
  INDEX_MUT: [0, -1, "o i -> o[i] made unique inside o, for a nested in-place mutation"],
  GET_FIELD: [1, 0, "k: o -> o.k"],
  GET_FIELD_OPT: [1, 0, "k: o -> o?.k"],
  SET_FIELD: [1, -2, "k: o v: o.k := v (o already unique)"],
  SET_FIELD_R: [1, -2, "k: v o: o.k := v (o already unique)"],
  FIELD_MUT: [1, 0, "k: o -> o.k made unique inside o"],

  ARRAY: [1, NaN, "n: build an array of the n top values"],
  ARRAY_PUSH: [0, -1, "a v: append v to the fresh array a"],
  ARRAY_EXTEND: [0, -1, "a v: append the elements of array v to the fresh array a"],
  DICT: [1, NaN, "n: build a dict of n key/value pairs"],
  DICT_SET: [0, -2, "d k v: set k in the fresh dict d"],
  DICT_SPREAD: [0, -1, "d v: copy the entries of dict v into the fresh dict d"],
  STRUCT: [2, NaN, "k n: build struct named k[0] with fields k[1..] from n values"],
  ENUM: [2, NaN, "k n: build enum value E::V (k = [E, V]) with n payloads"],
  WRAP: [1, 0, "t: wrap the top value as Ok (0), Err (1), Some (2)"],
  NONE: [0, 1, "push None"],
  INTERP: [1, NaN, "n: concatenate the display forms of n values"],
  STRUCT_DEF: [
    2,
    NaN,
    "k n: build a struct definition (k = [name, fields…, methods…]) from n closures",
  ],
  ENUM_DEF: [1, 1, "k: build an enum definition (k = [name, variants…])"],

  THROW: [0, -1, "raise an error built from the top value"],
  RAISE: [1, 0, "k: raise the error message k"],
  TRY_OP: [0, 0, "x -> unwrapped Ok/Some payload, or return Err/None from the function"],
  AWAIT: [0, 0, "p -> the settled value of promise p (suspends)"],
  YIELD: [0, 0, "v -> hand v to the consumer and suspend; resumes with null"],
  RERAISE: [0, -1, "raise the error value on top again"],
  RERAISE_AT: [1, -1, "at: raise the error value on top again, as if raised at at"],

  ITER_INIT: [0, 0, "x -> an iterator over x"],
  ITER_NEXT: [1, NaN, "off: push the next value, or jump when done (the iterator stays)"],
  CHECK_ENUM: [1, -1, "k: pop a value; raise Undefined enum: k[0] unless it is an enum definition"],
  MATCH: [2, NaN, "k off: test pattern k on the subject; on success push its bindings, else jump"],
  UNPACK_ARRAY: [2, NaN, "n r: destructure an array into n values (+ a rest array when r = 1)"],
  UNPACK_DICT: [2, NaN, "k r: destructure a dict/struct into the names k (+ a rest dict when r)"],

  SPAWN: [1, 0, "k: queue a task running prototype k over a snapshot of the visible bindings"],
  IMPORT: [2, 0, "k g: import module k[0] binding names k[1..] (all exports when none)"],
  EXPORT: [1, 0, "k: record the exported names k of this module"],
} as const;

/** Opcode names. */
export type OpName = keyof typeof TABLE;

/** The opcode enum: `Op.ADD` etc., numbered in table order. */
export const Op: { readonly [K in OpName]: number } = Object.freeze(
  Object.fromEntries(Object.keys(TABLE).map((k, i) => [k, i])),
) as { readonly [K in OpName]: number };

/** Name of each opcode by number. */
export const OP_NAMES: readonly OpName[] = Object.keys(TABLE) as OpName[];

/** Operand count of each opcode by number. */
export const OP_OPERANDS: readonly number[] = OP_NAMES.map((n) => TABLE[n][0]);

/** Stack effect of each opcode (NaN when it depends on the operands). */
export const OP_STACK: readonly number[] = OP_NAMES.map((n) => TABLE[n][1]);

/** One-line semantics of each opcode. */
export const OP_DOC: readonly string[] = OP_NAMES.map((n) => TABLE[n][2]);

/**
 * Which operand of each opcode is a jump target (`off` among the operand names its semantics
 * line starts with), counted from 1 as in `code[ip + n]`; 0 for none.
 */
export const OP_TARGET: readonly number[] = OP_NAMES.map((n) => {
  const [count, , doc] = TABLE[n];
  if (count === 0) return 0;
  return doc.slice(0, doc.indexOf(":")).split(" ").indexOf("off") + 1;
});
