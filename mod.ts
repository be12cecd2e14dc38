/**
 * Ruff for Deno: the Ruff scripting language (version 0.9.0) in TypeScript.
 *
 * ```ts
 * import { run } from "./mod.ts";
 * const result = await run('x := 6 * 7\nprint("x is ${x}")');
 * console.log(result.output); // "x is 42\n"
 * console.log(result.get("x")); // 42 (an Int)
 * ```
 *
 * Hot functions and loops are compiled to WebAssembly; `run(source, { jit: { enabled: false } })`
 * runs everything in the bytecode VM, `{ jit: { threshold: 1, stats: true } }` compiles at once
 * and reports what happened on stderr.
 *
 * @module
 */

export { version } from "./lib/version.ts";
export { parse } from "./lib/parser.ts";
export {
  check,
  compile,
  type Compiled,
  run,
  type RunOptions,
  type RunResult,
} from "./lib/runner.ts";
export { DEFAULT_JIT_THRESHOLD, type JitBackend, type JitOptions } from "./lib/jit/options.ts";
export { Environment } from "./lib/environment.ts";
export { RuffError, RuffSyntaxError, type SyntaxIssue } from "./lib/errors.ts";
export type {
  ArrayLit,
  AssignStmt,
  Binary,
  BinaryOp,
  BoolLit,
  BreakStmt,
  Call,
  CasePattern,
  ContinueStmt,
  DestructureStmt,
  DictLit,
  EnumDecl,
  EnumLit,
  Expr,
  ExprStmt,
  FloatLit,
  ForStmt,
  FuncBody,
  FuncDecl,
  FuncExpr,
  Ident,
  IfStmt,
  ImportStmt,
  Index,
  InterpStr,
  IntLit,
  LetStmt,
  Logical,
  MatchArm,
  MatchStmt,
  Member,
  MethodCall,
  NullLit,
  Param,
  Pattern,
  Pos,
  Program,
  ReturnStmt,
  SelfExpr,
  SpawnStmt,
  Stmt,
  StrLit,
  StructDecl,
  StructLit,
  TestStmt,
  ThrowExpr,
  TryOp,
  TryStmt,
  Unary,
  WhileStmt,
  WrapLit,
  YieldExpr,
} from "./lib/ast.ts";
export type { Capture, FuncProto, Handler } from "./lib/bytecode.ts";
export {
  type ArrayStore,
  BoundMethod,
  Closure,
  Cow,
  display,
  EnumDef,
  formatFloat,
  Handle,
  isFloat,
  isInt,
  mkFloat,
  type NativeContext,
  NativeFn,
  type NativeImpl,
  RArray,
  RBytes,
  RDict,
  REnum,
  repr,
  RError,
  Resource,
  RFloat,
  ROption,
  RQueue,
  RResult,
  RSet,
  RStack,
  RStruct,
  StructDef,
  truthy,
  typeName,
  type Upvalue,
  type Value,
  valuesEqual,
} from "./lib/values.ts";
