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
  /** 1-based source line. */
  line: number;
  /** 1-based source column, counted in code points. */
  col: number;
}

// ───────────────────────────── expressions ─────────────────────────────

/** An Int literal. */
export interface IntLit extends Pos {
  /** Node tag. */
  kind: "Int";
  /** Exact value; a JS number when |v| <= 2^53 - 1, else a bigint. */
  value: number | bigint;
}
/** A Float literal. */
export interface FloatLit extends Pos {
  /** Node tag. */
  kind: "Float";
  /** The literal's value. */
  value: number;
}
/** A String literal without interpolation. */
export interface StrLit extends Pos {
  /** Node tag. */
  kind: "Str";
  /** The string's text, escapes already decoded. */
  value: string;
}
/** `"a ${x} b"`: `parts` alternates literal text and embedded expressions. */
export interface InterpStr extends Pos {
  /** Node tag. */
  kind: "Interp";
  /** Literal text pieces and embedded expressions, in source order. */
  parts: (string | Expr)[];
}
/** A Bool literal (`true` / `false`). */
export interface BoolLit extends Pos {
  /** Node tag. */
  kind: "Bool";
  /** The literal's value. */
  value: boolean;
}
/** The `null` literal. */
export interface NullLit extends Pos {
  /** Node tag. */
  kind: "Null";
}
/** A reference to a variable by name. */
export interface Ident extends Pos {
  /** Node tag. */
  kind: "Ident";
  /** The referenced name. */
  name: string;
}
/** The `self` expression inside a method. */
export interface SelfExpr extends Pos {
  /** Node tag. */
  kind: "Self";
}
/** `[a, ...b]` */
export interface ArrayLit extends Pos {
  /** Node tag. */
  kind: "Array";
  /** Elements in order; `spread` marks a `...value` item. */
  items: { spread: boolean; value: Expr }[];
}
/** `{k: v, (e): v, ...d}`; a bare-name key is already turned into a `Str` node. */
export interface DictLit extends Pos {
  /** Node tag. */
  kind: "Dict";
  /** Entries in order: key/value pairs or `...value` spreads. */
  entries: ({ spread: false; key: Expr; value: Expr } | { spread: true; value: Expr })[];
}
/** `Name { f: v }` */
export interface StructLit extends Pos {
  /** Node tag. */
  kind: "StructLit";
  /** Name of the struct being instantiated. */
  name: string;
  /** Field initialisers in source order, with their positions. */
  fields: { name: string; value: Expr; line: number; col: number }[];
}
/** `E::V` or `E::V(a, b)`; `args` is null when written without parentheses. */
export interface EnumLit extends Pos {
  /** Node tag. */
  kind: "EnumLit";
  /** Name of the enum. */
  enumName: string;
  /** Name of the variant. */
  variant: string;
  /** Payload expressions, or null when written without parentheses. */
  args: Expr[] | null;
}
/** `Ok(e)`, `Err(e)`, `Some(e)`, `None` */
export interface WrapLit extends Pos {
  /** Node tag. */
  kind: "Wrap";
  /** Which wrapper constructor is used. */
  tag: "Ok" | "Err" | "Some" | "None";
  /** The wrapped expression; null for `None`. */
  value: Expr | null;
}
/** `throw(e)` (an expression; it never produces a value). */
export interface ThrowExpr extends Pos {
  /** Node tag. */
  kind: "Throw";
  /** The error value thrown. */
  value: Expr;
}
/** `yield` / `yield e` */
export interface YieldExpr extends Pos {
  /** Node tag. */
  kind: "Yield";
  /** The yielded expression, or null for a bare `yield`. */
  value: Expr | null;
}
/** `-x`, `!x`, `await x` */
export interface Unary extends Pos {
  /** Node tag. */
  kind: "Unary";
  /** The prefix operator. */
  op: "-" | "!" | "await";
  /** The expression the operator applies to. */
  operand: Expr;
}
/** Operators of {@link Binary} expressions (arithmetic and comparison). */
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
  /** Node tag. */
  kind: "Binary";
  /** The operator. */
  op: BinaryOp;
  /** Left operand. */
  left: Expr;
  /** Right operand. */
  right: Expr;
}
/** `&&`, `||`, `??`, `|>` (each with its own evaluation rule). */
export interface Logical extends Pos {
  /** Node tag. */
  kind: "Logical";
  /** The operator. */
  op: "&&" | "||" | "??" | "|>";
  /** Left operand. */
  left: Expr;
  /** Right operand. */
  right: Expr;
}
/** `f(a, b)`; position is the `(`. */
export interface Call extends Pos {
  /** Node tag. */
  kind: "Call";
  /** The expression being called. */
  callee: Expr;
  /** Argument expressions in order. */
  args: Expr[];
}
/** `obj.name(a, b)`; position is the `.`. */
export interface MethodCall extends Pos {
  /** Node tag. */
  kind: "MethodCall";
  /** The receiver expression. */
  object: Expr;
  /** Name of the method. */
  name: string;
  /** Argument expressions in order. */
  args: Expr[];
}
/** `obj[i]`; position is the `[`. */
export interface Index extends Pos {
  /** Node tag. */
  kind: "Index";
  /** The expression being indexed. */
  object: Expr;
  /** The index or key expression. */
  index: Expr;
}
/** `obj.name` / `obj?.name`; position is the `.` / `?.`. */
export interface Member extends Pos {
  /** Node tag. */
  kind: "Member";
  /** The expression whose member is read. */
  object: Expr;
  /** Name of the member. */
  name: string;
  /** True for optional chaining (`?.`). */
  optional: boolean;
}
/** `e?`; position is the `?`. */
export interface TryOp extends Pos {
  /** Node tag. */
  kind: "TryOp";
  /** The Result or Option expression being unwrapped. */
  value: Expr;
}
/** A function parameter. */
export interface Param {
  /** Parameter name. */
  name: string;
  /** 1-based source line of the parameter. */
  line: number;
  /** 1-based source column of the parameter. */
  col: number;
}
/** A function body, shared by declarations, expressions and methods. */
export interface FuncBody {
  /** Declared name; null for an anonymous function expression. */
  name: string | null;
  /** Parameters in declaration order. */
  params: Param[];
  /** Statements of the function body. */
  body: Stmt[];
  /** True for an `async` function. */
  isAsync: boolean;
  /** True for a generator function (declared with `*`). */
  isGenerator: boolean;
  /** 1-based source line of the function. */
  line: number;
  /** 1-based source column of the function. */
  col: number;
}
/** An anonymous function expression. */
export interface FuncExpr extends Pos {
  /** Node tag. */
  kind: "Func";
  /** The function's parameters and body. */
  fn: FuncBody;
}

/** Any expression node. */
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
  /** Node tag. */
  kind: "Let";
  /** The declaring keyword. */
  keyword: "let" | "mut" | "const";
  /** The binding pattern. */
  pattern: Pattern;
  /** The initialiser expression. */
  value: Expr;
  /** True when declared with `export`. */
  exported: boolean;
}
/**
 * `place := e`, `place = e`, `place op= e`. `target` is an `Ident`, `Self`, `Index` or `Member`
 * chain rooted at an `Ident`/`Self`. Position is the assignment operator.
 */
export interface AssignStmt extends Pos {
  /** Node tag. */
  kind: "Assign";
  /** The place assigned to. */
  target: Expr;
  /** The assignment operator. */
  op: ":=" | "+=" | "-=" | "*=" | "/=" | "%=";
  /** The assigned (or combined) value. */
  value: Expr;
  /** True when written as `export name := expr`. */
  exported: boolean;
}
/** `[a, b] := e` / `{a, b} := e` without a keyword: every name is assigned (§6.7). */
export interface DestructureStmt extends Pos {
  /** Node tag. */
  kind: "Destructure";
  /** The array or dict pattern. */
  pattern: Pattern;
  /** The value being destructured. */
  value: Expr;
}
/** An expression evaluated for its effects. */
export interface ExprStmt extends Pos {
  /** Node tag. */
  kind: "ExprStmt";
  /** The expression. */
  expr: Expr;
}
/** A named function declaration. */
export interface FuncDecl extends Pos {
  /** Node tag. */
  kind: "FuncDecl";
  /** The function's name, parameters and body. */
  fn: FuncBody;
  /** True when declared with `export`. */
  exported: boolean;
}
/** A `struct` declaration with its fields and methods. */
export interface StructDecl extends Pos {
  /** Node tag. */
  kind: "StructDecl";
  /** Name of the struct. */
  name: string;
  /** Declared field names in order. */
  fields: string[];
  /** Method declarations. */
  methods: FuncBody[];
  /** True when declared with `export`. */
  exported: boolean;
}
/** An `enum` declaration. */
export interface EnumDecl extends Pos {
  /** Node tag. */
  kind: "EnumDecl";
  /** Name of the enum. */
  name: string;
  /** Variant names in order. */
  variants: string[];
  /** True when declared with `export`. */
  exported: boolean;
}
/** An `if` statement with an optional `else` branch. */
export interface IfStmt extends Pos {
  /** Node tag. */
  kind: "If";
  /** The condition. */
  cond: Expr;
  /** Statements run when the condition is truthy. */
  then: Stmt[];
  /** `else if` is an `else` branch holding a single `If`. */
  else: Stmt[] | null;
}
/** `while c {}` and `loop while c {}`; `loop {}` has cond null. */
export interface WhileStmt extends Pos {
  /** Node tag. */
  kind: "While";
  /** The loop condition, or null for an unconditional `loop`. */
  cond: Expr | null;
  /** Statements of the loop body. */
  body: Stmt[];
}
/** A `for … in` loop. */
export interface ForStmt extends Pos {
  /** Node tag. */
  kind: "For";
  /** The pattern each item is bound to. */
  target: Pattern;
  /** The expression iterated over. */
  iterable: Expr;
  /** Statements of the loop body. */
  body: Stmt[];
}
/** One arm (`case` or `default`) of a `match` statement. */
export interface MatchArm {
  /** null for `default`. */
  pattern: CasePattern | null;
  /** Statements run when the arm matches. */
  body: Stmt[];
  /** 1-based source line of the arm. */
  line: number;
  /** 1-based source column of the arm. */
  col: number;
}
/** A `match` statement. */
export interface MatchStmt extends Pos {
  /** Node tag. */
  kind: "Match";
  /** The value being matched. */
  subject: Expr;
  /** The arms in source order. */
  arms: MatchArm[];
}
/** A `try`/`except` statement. */
export interface TryStmt extends Pos {
  /** Node tag. */
  kind: "Try";
  /** Statements of the protected block. */
  body: Stmt[];
  /** Name the caught error is bound to, or null. */
  errName: string | null;
  /** Statements of the `except` block. */
  handler: Stmt[];
}
/** A `return` statement. */
export interface ReturnStmt extends Pos {
  /** Node tag. */
  kind: "Return";
  /** The returned expression, or null for a bare `return`. */
  value: Expr | null;
}
/** A `break` statement. */
export interface BreakStmt extends Pos {
  /** Node tag. */
  kind: "Break";
}
/** A `continue` statement. */
export interface ContinueStmt extends Pos {
  /** Node tag. */
  kind: "Continue";
}
/** `import a.b` (names null) or `from a.b import x, y`. */
export interface ImportStmt extends Pos {
  /** Node tag. */
  kind: "Import";
  /** The dotted module path, one segment per element. */
  path: string[];
  /** Imported names for `from … import`, or null for a plain `import`. */
  names: string[] | null;
}
/** `export name := expr` is an Assign with exported=true; declarations carry the flag too. */
export interface SpawnStmt extends Pos {
  /** Node tag. */
  kind: "Spawn";
  /** Statements run in the spawned task. */
  body: Stmt[];
}
/** A `test`, `test_group`, `test_setup` or `test_teardown` block. */
export interface TestStmt extends Pos {
  /** Node tag. */
  kind: "Test";
  /** Which kind of test block this is. */
  testKind: "test" | "test_group" | "test_setup" | "test_teardown";
  /** Name for `test` and `test_group`, else null. */
  name: string | null;
  /** Statements of the block. */
  body: Stmt[];
}

/** Any statement node. */
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
  /** Top-level statements in source order. */
  body: Stmt[];
  /** The file name used in diagnostics. */
  file: string;
  /** The source text (for excerpts in diagnostics). */
  source: string;
}
