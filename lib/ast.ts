/**
 * The abstract syntax tree produced by the parser and consumed by the compiler.
 *
 * Every node carries `line` and `col` (1-based, columns in code points) of the token that
 * the language definition names as its position (LANGUAGE.md §21.12): the operator of a binary
 * expression, the `(` of a call, the `[` of an index, the `.` of a member access, the keyword
 * of a statement, the first token of a primary.
 *
 * @module
 */

/** A source position. */
export interface Pos {
  line: number;
  col: number;
}

// ───────────────────────────── expressions ─────────────────────────────

export interface IntLit extends Pos {
  kind: "Int";
  /** Exact value; a JS number when |v| <= 2^53 - 1, else a bigint. */
  value: number | bigint;
}
export interface FloatLit extends Pos {
  kind: "Float";
  value: number;
}
export interface StrLit extends Pos {
  kind: "Str";
  value: string;
}
/** `"a ${x} b"`: `parts` alternates literal text and embedded expressions. */
export interface InterpStr extends Pos {
  kind: "Interp";
  parts: (string | Expr)[];
}
export interface BoolLit extends Pos {
  kind: "Bool";
  value: boolean;
}
export interface NullLit extends Pos {
  kind: "Null";
}
export interface Ident extends Pos {
  kind: "Ident";
  name: string;
}
export interface SelfExpr extends Pos {
  kind: "Self";
}
/** `[a, ...b]` */
export interface ArrayLit extends Pos {
  kind: "Array";
  items: { spread: boolean; value: Expr }[];
}
/** `{k: v, (e): v, ...d}`; a bare-name key is already turned into a `Str` node. */
export interface DictLit extends Pos {
  kind: "Dict";
  entries: ({ spread: false; key: Expr; value: Expr } | { spread: true; value: Expr })[];
}
/** `Name { f: v }` */
export interface StructLit extends Pos {
  kind: "StructLit";
  name: string;
  fields: { name: string; value: Expr; line: number; col: number }[];
}
/** `E::V` or `E::V(a, b)`; `args` is null when written without parentheses. */
export interface EnumLit extends Pos {
  kind: "EnumLit";
  enumName: string;
  variant: string;
  args: Expr[] | null;
}
/** `Ok(e)`, `Err(e)`, `Some(e)`, `None` */
export interface WrapLit extends Pos {
  kind: "Wrap";
  tag: "Ok" | "Err" | "Some" | "None";
  value: Expr | null;
}
/** `throw(e)` (an expression; it never produces a value). */
export interface ThrowExpr extends Pos {
  kind: "Throw";
  value: Expr;
}
/** `yield` / `yield e` */
export interface YieldExpr extends Pos {
  kind: "Yield";
  value: Expr | null;
}
/** `-x`, `!x`, `await x` */
export interface Unary extends Pos {
  kind: "Unary";
  op: "-" | "!" | "await";
  operand: Expr;
}
export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">=";
/** Arithmetic and comparison; position is the operator token. */
export interface Binary extends Pos {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
/** `&&`, `||`, `??`, `|>` (each with its own evaluation rule). */
export interface Logical extends Pos {
  kind: "Logical";
  op: "&&" | "||" | "??" | "|>";
  left: Expr;
  right: Expr;
}
/** `f(a, b)`; position is the `(`. */
export interface Call extends Pos {
  kind: "Call";
  callee: Expr;
  args: Expr[];
}
/** `obj.name(a, b)`; position is the `.`. */
export interface MethodCall extends Pos {
  kind: "MethodCall";
  object: Expr;
  name: string;
  args: Expr[];
}
/** `obj[i]`; position is the `[`. */
export interface Index extends Pos {
  kind: "Index";
  object: Expr;
  index: Expr;
}
/** `obj.name` / `obj?.name`; position is the `.` / `?.`. */
export interface Member extends Pos {
  kind: "Member";
  object: Expr;
  name: string;
  optional: boolean;
}
/** `e?`; position is the `?`. */
export interface TryOp extends Pos {
  kind: "TryOp";
  value: Expr;
}
export interface Param {
  name: string;
  line: number;
  col: number;
}
/** A function body, shared by declarations, expressions and methods. */
export interface FuncBody {
  /** Declared name; null for an anonymous function expression. */
  name: string | null;
  params: Param[];
  body: Stmt[];
  isAsync: boolean;
  isGenerator: boolean;
  line: number;
  col: number;
}
export interface FuncExpr extends Pos {
  kind: "Func";
  fn: FuncBody;
}

export type Expr =
  | IntLit
  | FloatLit
  | StrLit
  | InterpStr
  | BoolLit
  | NullLit
  | Ident
  | SelfExpr
  | ArrayLit
  | DictLit
  | StructLit
  | EnumLit
  | WrapLit
  | ThrowExpr
  | YieldExpr
  | Unary
  | Binary
  | Logical
  | Call
  | MethodCall
  | Index
  | Member
  | TryOp
  | FuncExpr;

// ───────────────────────────── patterns ─────────────────────────────

/** Binding patterns of `let`, destructuring assignment and `for` (LANGUAGE.md §2.5). */
export type Pattern =
  | { kind: "PName"; name: string; line: number; col: number }
  | { kind: "PIgnore"; line: number; col: number }
  | {
    kind: "PArray";
    items: Pattern[];
    /** Name of the `...rest` item, if any (always last). */
    rest: string | null;
    line: number;
    col: number;
  }
  | {
    kind: "PDict";
    names: string[];
    rest: string | null;
    line: number;
    col: number;
  };

/** `match` arm patterns (LANGUAGE.md §8.5). */
export type CasePattern =
  | { kind: "CWild" }
  /** Literal: Int/Float (sign already applied), String, Bool or null. */
  | { kind: "CLit"; value: IntLit | FloatLit | StrLit | BoolLit | NullLit }
  /** `Ok`, `Err`, `Some`, `None`, optionally with one binding (`_` = discard → null). */
  | { kind: "CWrap"; tag: "Ok" | "Err" | "Some" | "None"; bind: string | null }
  /** `E::V` (bindings null) or `E::V(a, b)`. */
  | { kind: "CEnum"; enumName: string; variant: string; binds: string[] | null }
  /** Any other bare name: matches the string equal to `name`. */
  | { kind: "CLabel"; name: string };

// ───────────────────────────── statements ─────────────────────────────

/** `let`/`mut`/`const` declarations. */
export interface LetStmt extends Pos {
  kind: "Let";
  keyword: "let" | "mut" | "const";
  pattern: Pattern;
  value: Expr;
  exported: boolean;
}
/**
 * `place := e`, `place = e`, `place op= e`. `target` is an `Ident`, `Self`, `Index` or `Member`
 * chain rooted at an `Ident`/`Self`. Position is the assignment operator.
 */
export interface AssignStmt extends Pos {
  kind: "Assign";
  target: Expr;
  op: ":=" | "+=" | "-=" | "*=" | "/=" | "%=";
  value: Expr;
  exported: boolean;
}
/** `[a, b] := e` / `{a, b} := e` without a keyword: every name is assigned (§6.7). */
export interface DestructureStmt extends Pos {
  kind: "Destructure";
  pattern: Pattern;
  value: Expr;
}
export interface ExprStmt extends Pos {
  kind: "ExprStmt";
  expr: Expr;
}
export interface FuncDecl extends Pos {
  kind: "FuncDecl";
  fn: FuncBody;
  exported: boolean;
}
export interface StructDecl extends Pos {
  kind: "StructDecl";
  name: string;
  fields: string[];
  methods: FuncBody[];
  exported: boolean;
}
export interface EnumDecl extends Pos {
  kind: "EnumDecl";
  name: string;
  variants: string[];
  exported: boolean;
}
export interface IfStmt extends Pos {
  kind: "If";
  cond: Expr;
  then: Stmt[];
  /** `else if` is an `else` branch holding a single `If`. */
  else: Stmt[] | null;
}
/** `while c {}` and `loop while c {}`; `loop {}` has cond null. */
export interface WhileStmt extends Pos {
  kind: "While";
  cond: Expr | null;
  body: Stmt[];
}
export interface ForStmt extends Pos {
  kind: "For";
  target: Pattern;
  iterable: Expr;
  body: Stmt[];
}
export interface MatchArm {
  /** null for `default`. */
  pattern: CasePattern | null;
  body: Stmt[];
  line: number;
  col: number;
}
export interface MatchStmt extends Pos {
  kind: "Match";
  subject: Expr;
  arms: MatchArm[];
}
export interface TryStmt extends Pos {
  kind: "Try";
  body: Stmt[];
  errName: string | null;
  handler: Stmt[];
}
export interface ReturnStmt extends Pos {
  kind: "Return";
  value: Expr | null;
}
export interface BreakStmt extends Pos {
  kind: "Break";
}
export interface ContinueStmt extends Pos {
  kind: "Continue";
}
/** `import a.b` (names null) or `from a.b import x, y`. */
export interface ImportStmt extends Pos {
  kind: "Import";
  path: string[];
  names: string[] | null;
}
/** `export name := expr` is an Assign with exported=true; declarations carry the flag too. */
export interface SpawnStmt extends Pos {
  kind: "Spawn";
  body: Stmt[];
}
export interface TestStmt extends Pos {
  kind: "Test";
  testKind: "test" | "test_group" | "test_setup" | "test_teardown";
  /** Name for `test` and `test_group`, else null. */
  name: string | null;
  body: Stmt[];
}

export type Stmt =
  | LetStmt
  | AssignStmt
  | DestructureStmt
  | ExprStmt
  | FuncDecl
  | StructDecl
  | EnumDecl
  | IfStmt
  | WhileStmt
  | ForStmt
  | MatchStmt
  | TryStmt
  | ReturnStmt
  | BreakStmt
  | ContinueStmt
  | ImportStmt
  | SpawnStmt
  | TestStmt;

/** A parsed source file. */
export interface Program {
  body: Stmt[];
  /** The file name used in diagnostics. */
  file: string;
  /** The source text (for excerpts in diagnostics). */
  source: string;
}
