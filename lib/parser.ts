/**
 * The Ruff parser (LANGUAGE.md §2): tokens → AST (lib/ast.ts), including the line rules (§2.3),
 * the struct-literal rule (§2.4) and the static rules of §2.7. On any error it throws a
 * {@link RuffSyntaxError} holding every issue found (it resynchronises at statement boundaries).
 *
 * @module
 */

import type * as A from "./ast.ts";
import { RuffSyntaxError, type SyntaxIssue } from "./errors.ts";
import { type InterpPart, lex, type Token } from "./lexer.ts";

/** Maximum nesting (expressions, blocks, patterns, operator chains) before `Nesting too deep`. */
const MAX_DEPTH = 1000;
/** Stop collecting after this many issues. */
const MAX_ISSUES = 50;

/** A parse error: aborts the current statement. */
class Abort {
  constructor(readonly issue: SyntaxIssue) {}
}
/** Nesting limit exceeded: aborts the whole parse. */
class TooDeep {}

interface Issue extends SyntaxIssue {
  /** Grammar error (as opposed to a static-rule error). */
  grammar: boolean;
}

/** Per-function context for the static rules. */
interface FnCtx {
  isGen: boolean;
  loops: number;
  selfOk: boolean;
}

type Place = "top" | "group" | "block";

const PREC = new Map<string, number>([
  ["|>", 1],
  ["??", 2],
  ["||", 3],
  ["&&", 4],
  ["==", 5],
  ["!=", 5],
  ["<", 6],
  ["<=", 6],
  [">", 6],
  [">=", 6],
  ["+", 7],
  ["-", 7],
  ["*", 8],
  ["/", 8],
  ["%", 8],
]);
const LOGICAL = new Set(["&&", "||", "??", "|>"]);
const ASSIGN_OPS = new Set([":=", "=", "+=", "-=", "*=", "/=", "%="]);

const EXPR_KW = new Set([
  "true",
  "false",
  "null",
  "self",
  "func",
  "async",
  "Ok",
  "Err",
  "Some",
  "None",
  "throw",
  "yield",
  "await",
  "impl",
]);
const STMT_KW = new Set([
  "let",
  "mut",
  "const",
  "struct",
  "enum",
  "if",
  "while",
  "loop",
  "for",
  "match",
  "try",
  "return",
  "break",
  "continue",
  "import",
  "from",
  "export",
  "spawn",
  "test",
  "test_group",
  "test_setup",
  "test_teardown",
]);
const TYPE_KW = new Set(["int", "float", "string", "bool", "null"]);
const NOT_BARE_KEY = new Set(["true", "false", "null", "self"]);

function canStartExpr(t: Token): boolean {
  switch (t.k) {
    case "int":
    case "float":
    case "str":
    case "istr":
    case "ident":
      return true;
    case "kw":
      return EXPR_KW.has(t.v);
    case "op":
      return t.v === "(" || t.v === "[" || t.v === "{" || t.v === "-" || t.v === "!";
    default:
      return false;
  }
}
function canStartStatement(t: Token): boolean {
  return canStartExpr(t) || (t.k === "kw" && STMT_KW.has(t.v));
}

/** How a token is named in messages. */
function describe(t: Token): string {
  switch (t.k) {
    case "eof":
      return "end of input";
    case "str":
    case "istr":
      return "string literal";
    default:
      return `'${t.v}'`;
  }
}

function negate(v: number | bigint): number | bigint {
  if (typeof v === "bigint") {
    const n = -v;
    return n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return v === 0 ? 0 : -v;
}

class Parser {
  toks: Token[];
  p = 0;
  tok: Token;
  issues: Issue[] = [];
  depth = 0;
  inCond = false;
  fn: FnCtx = { isGen: false, loops: 0, selfOk: false };
  parens = new WeakSet<A.Expr>();

  constructor(toks: Token[], issues: SyntaxIssue[]) {
    this.toks = toks;
    this.tok = toks[0];
    for (const i of issues) this.issues.push({ ...i, grammar: false });
  }

  // ─────────────── token helpers ───────────────

  next(): Token {
    const t = this.tok;
    if (this.p < this.toks.length - 1) this.tok = this.toks[++this.p];
    return t;
  }
  peek(n = 1): Token {
    const i = this.p + n;
    return this.toks[i < this.toks.length ? i : this.toks.length - 1];
  }
  /** Is the current token the operator or keyword `v`? */
  is(v: string): boolean {
    const t = this.tok;
    return t.v === v && (t.k === "op" || t.k === "kw");
  }
  isTok(t: Token, v: string): boolean {
    return t.v === v && (t.k === "op" || t.k === "kw");
  }
  fail(message: string, t: Token = this.tok): never {
    throw new Abort({ message, line: t.line, col: t.col });
  }
  failExpected(what: string, t: Token = this.tok): never {
    if (t.k === "kw" && t.v === "impl") this.fail("'impl' is reserved", t);
    this.fail(`Expected ${what} but found ${describe(t)}`, t);
  }
  expect(v: string, context: string): Token {
    if (this.is(v)) return this.next();
    this.failExpected(`'${v}' ${context}`);
  }
  /** Records a static-rule error; parsing continues. */
  report(message: string, line: number, col: number): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ message, line, col, grammar: false });
  }
  reportAt(message: string, t: { line: number; col: number }): void {
    this.report(message, t.line, t.col);
  }
  /** An identifier that is not a reserved word. */
  name(what: string): Token {
    if (this.tok.k === "ident") return this.next();
    this.failExpected(what);
  }
  /** An identifier or reserved word (member names, §1.4). */
  memberName(what: string): Token {
    if (this.tok.k === "ident" || this.tok.k === "kw") return this.next();
    this.failExpected(what);
  }
  enter(): void {
    if (++this.depth > MAX_DEPTH) throw new TooDeep();
  }
  chainCheck(n: number): void {
    if (n + this.depth > MAX_DEPTH) throw new TooDeep();
  }

  // ─────────────── statements ───────────────

  program(): A.Stmt[] {
    return this.stmtList(null, "top");
  }

  /** Statements up to the closing `}` (consumed) or, when `what` is null, end of input. */
  stmtList(what: string | null, place: Place): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (;;) {
      const t = this.tok;
      if (t.k === "op" && t.v === ";") {
        this.next();
        continue;
      }
      if (t.k === "eof") {
        if (what !== null) this.failExpected(`'}' to close ${what}`);
        return out;
      }
      if (what !== null && t.k === "op" && t.v === "}") {
        this.next();
        return out;
      }
      if (!canStartStatement(t)) {
        if (what !== null) this.failExpected(`'}' to close ${what}`);
        if (t.k === "kw" && t.v === "impl") this.recordAbort(new Abort(this.implIssue(t)));
        else {this.recordAbort(
            new Abort({ message: `Unexpected ${describe(t)}`, line: t.line, col: t.col }),
          );}
        this.next();
        this.sync();
        continue;
      }
      const start = this.p;
      const saved = { depth: this.depth, inCond: this.inCond, fn: this.fn };
      try {
        const s = this.statement(place);
        if (s !== null) out.push(s);
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        this.depth = saved.depth;
        this.inCond = saved.inCond;
        this.fn = saved.fn;
        this.recordAbort(e);
        if (this.issues.length >= MAX_ISSUES) throw new StopParsing();
        if (this.p === start) this.next();
        this.sync();
      }
    }
  }

  implIssue(t: Token): SyntaxIssue {
    return { message: "'impl' is reserved", line: t.line, col: t.col };
  }

  recordAbort(e: Abort): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ ...e.issue, grammar: true });
  }

  /** Skips to a plausible statement start after an error. */
  sync(): void {
    let nest = 0;
    for (;;) {
      const t = this.tok;
      if (t.k === "eof") return;
      if (nest === 0 && t.nl && canStartStatement(t)) return;
      if (t.k === "op") {
        const v = t.v;
        if (v === "(" || v === "[" || v === "{") nest++;
        else if (v === ")" || v === "]" || v === "}") {
          if (nest === 0) {
            if (v === "}") return;
          } else nest--;
        } else if (v === ";" && nest === 0) {
          this.next();
          return;
        }
      }
      this.next();
    }
  }

  /** `{ statements }` */
  block(what: string, place: Place = "block"): A.Stmt[] {
    if (!this.is("{")) this.failExpected(`'{' to open ${what}`);
    this.next();
    this.enter();
    const savedCond = this.inCond;
    this.inCond = false;
    const body = this.stmtList(what, place);
    this.inCond = savedCond;
    this.depth--;
    return body;
  }

  /** A block run in a fresh context (spawn, test bodies). */
  isolatedBlock(what: string, place: Place, selfOk: boolean): A.Stmt[] {
    const savedFn = this.fn;
    this.fn = { isGen: false, loops: 0, selfOk };
    const body = this.block(what, place);
    this.fn = savedFn;
    return body;
  }

  loopBody(what: string): A.Stmt[] {
    this.fn.loops++;
    const body = this.block(what);
    this.fn.loops--;
    return body;
  }

  statement(place: Place): A.Stmt | null {
    const t = this.tok;
    if (place === "group" && !(t.k === "kw" && (t.v === "test" || t.v === "test_group"))) {
      this.reportAt("Invalid test block placement", t);
    }
    if (t.k === "kw") {
      switch (t.v) {
        case "let":
        case "mut":
          return this.letStmt();
        case "const":
          return this.constStmt();
        case "func":
          return this.funcDecl(null);
        case "async":
          if (this.isTok(this.peek(), "func")) return this.funcDecl(this.next());
          this.next();
          this.failExpected("'func' after 'async'");
          break;
        case "struct":
          return this.structDecl();
        case "enum":
          return this.enumDecl();
        case "if":
          return this.ifStmt();
        case "while": {
          this.next();
          const cond = this.cond();
          const body = this.loopBody("while block");
          return { kind: "While", cond, body, line: t.line, col: t.col };
        }
        case "loop": {
          this.next();
          let cond: A.Expr | null = null;
          if (this.is("while")) {
            this.next();
            cond = this.cond();
          }
          const body = this.loopBody("loop block");
          return { kind: "While", cond, body, line: t.line, col: t.col };
        }
        case "for":
          return this.forStmt();
        case "match":
          return this.matchStmt();
        case "try":
          return this.tryStmt();
        case "return": {
          this.next();
          const n = this.tok;
          let value: A.Expr | null = null;
          if (!n.nl && n.k !== "eof" && !this.is("}") && !this.is(";")) value = this.expr();
          return { kind: "Return", value, line: t.line, col: t.col };
        }
        case "break":
        case "continue":
          this.next();
          if (this.fn.loops === 0) this.reportAt(`${t.v} can only be used inside a loop`, t);
          return t.v === "break"
            ? { kind: "Break", line: t.line, col: t.col }
            : { kind: "Continue", line: t.line, col: t.col };
        case "import":
        case "from":
          return this.importStmt();
        case "export":
          return this.exportStmt(place);
        case "spawn":
          this.next();
          return {
            kind: "Spawn",
            body: this.isolatedBlock("spawn block", "block", this.fn.selfOk),
            line: t.line,
            col: t.col,
          };
        case "test":
        case "test_group":
        case "test_setup":
        case "test_teardown":
          return this.testStmt(place);
        case "impl":
          this.fail("'impl' is reserved");
      }
    } else if (t.k === "op" && (t.v === "[" || t.v === "{")) {
      const d = this.destructure();
      if (d !== null) return d;
    }
    return this.exprStatement();
  }

  letStmt(): A.LetStmt {
    const kw = this.next();
    const pattern = this.pattern();
    if (this.is(":")) {
      this.next();
      this.type();
    }
    if (!this.is(":=") && !this.is("=")) this.failExpected(`':=' or '=' in ${kw.v} declaration`);
    this.next();
    const value = this.expr();
    this.noChain();
    return {
      kind: "Let",
      keyword: kw.v as "let" | "mut",
      pattern,
      value,
      exported: false,
      line: kw.line,
      col: kw.col,
    };
  }

  constStmt(): A.LetStmt {
    const kw = this.next();
    const n = this.name("constant name");
    if (this.is(":")) {
      this.next();
      this.type();
    }
    if (!this.is(":=") && !this.is("=")) this.failExpected("':=' or '=' in const declaration");
    this.next();
    const value = this.expr();
    this.noChain();
    return {
      kind: "Let",
      keyword: "const",
      pattern: { kind: "PName", name: n.v, line: n.line, col: n.col },
      value,
      exported: false,
      line: kw.line,
      col: kw.col,
    };
  }

  noChain(): void {
    if (this.tok.k === "op" && ASSIGN_OPS.has(this.tok.v)) {
      this.fail("Chained assignment is not supported");
    }
  }

  /** `[...] := e` / `{...} := e` when a complete pattern is followed by `:=`/`=`. */
  destructure(): A.DestructureStmt | null {
    const start = this.p;
    const ok = this.tryPattern();
    const isAssign = ok && (this.is(":=") || this.is("="));
    this.p = start;
    this.tok = this.toks[start];
    if (!isAssign) return null;
    const pattern = this.pattern();
    const op = this.next();
    const value = this.expr();
    this.noChain();
    return { kind: "Destructure", pattern, value, line: op.line, col: op.col };
  }

  exprStatement(): A.Stmt {
    const start = this.tok;
    const e = this.expr();
    if (this.is(":") && e.kind === "Ident" && !this.parens.has(e)) {
      this.next();
      this.type();
      if (!(this.tok.k === "op" && ASSIGN_OPS.has(this.tok.v))) {
        this.failExpected("assignment operator after type annotation");
      }
    }
    if (this.tok.k === "op" && ASSIGN_OPS.has(this.tok.v)) {
      const op = this.next();
      if (!this.isPlace(e)) this.reportAt("Invalid assignment target", start);
      const value = this.expr();
      this.noChain();
      return {
        kind: "Assign",
        target: e,
        op: op.v === "=" ? ":=" : op.v as A.AssignStmt["op"],
        value,
        exported: false,
        line: op.line,
        col: op.col,
      };
    }
    return { kind: "ExprStmt", expr: e, line: start.line, col: start.col };
  }

  isPlace(e: A.Expr): boolean {
    for (;;) {
      if (this.parens.has(e)) return false;
      switch (e.kind) {
        case "Ident":
        case "Self":
          return true;
        case "Index":
          e = e.object;
          break;
        case "Member":
          if (e.optional) return false;
          e = e.object;
          break;
        default:
          return false;
      }
    }
  }

  funcDecl(asyncTok: Token | null): A.FuncDecl {
    const f = this.next();
    const start = asyncTok ?? f;
    let isGen = false;
    if (this.is("*")) {
      this.next();
      isGen = true;
      if (asyncTok) this.reportAt("Async generators are not supported", asyncTok);
    }
    const n = this.name("function name");
    const fn = this.funcRest(start, n.v, asyncTok !== null, isGen, "func");
    return { kind: "FuncDecl", fn, exported: false, line: start.line, col: start.col };
  }

  /** Parameters, optional return type and body. */
  funcRest(
    start: Token,
    name: string | null,
    isAsync: boolean,
    isGenerator: boolean,
    kind: "func" | "method",
  ): A.FuncBody {
    this.expect("(", "to open parameter list");
    const params: A.Param[] = [];
    const seen = new Set<string>();
    const savedCond = this.inCond;
    this.inCond = false;
    while (!this.is(")")) {
      const t = this.tok;
      if (t.k === "kw" && t.v === "self") {
        this.next();
        if (kind !== "method" || params.length > 0) {
          this.reportAt("'self' is only valid inside struct methods", t);
        }
      } else this.name("parameter name");
      if (seen.has(t.v)) this.reportAt(`Duplicate parameter: ${t.v}`, t);
      seen.add(t.v);
      params.push({ name: t.v, line: t.line, col: t.col });
      if (this.is(":")) {
        this.next();
        this.type();
      }
      if (!this.is(",")) break;
      this.next();
    }
    this.expect(")", "to close parameter list");
    if (this.is("->")) {
      this.next();
      this.type();
    }
    const selfOk = kind === "method"
      ? params.length > 0 && params[0].name === "self"
      : this.fn.selfOk;
    const savedFn = this.fn;
    this.fn = { isGen: isGenerator, loops: 0, selfOk };
    const body = this.block(kind === "method" ? "method body" : "function body");
    this.fn = savedFn;
    this.inCond = savedCond;
    return { name, params, body, isAsync, isGenerator, line: start.line, col: start.col };
  }

  structDecl(): A.StructDecl {
    const kw = this.next();
    const n = this.name("struct name");
    this.expect("{", "to open struct body");
    const fields: string[] = [];
    const methods: A.FuncBody[] = [];
    const seen = new Set<string>();
    const dup = (name: string, t: Token) => {
      if (seen.has(name)) this.reportAt(`Duplicate field: ${name}`, t);
      seen.add(name);
    };
    for (;;) {
      const t = this.tok;
      if (this.is("}")) {
        this.next();
        break;
      }
      if (this.is(",") || this.is(";")) {
        this.next();
        continue;
      }
      if (t.k === "kw" && (t.v === "func" || t.v === "async")) {
        let asyncTok: Token | null = null;
        if (t.v === "async") {
          asyncTok = this.next();
          if (!this.is("func")) this.failExpected("'func' after 'async'");
        }
        const f = this.next();
        let isGen = false;
        if (this.is("*")) {
          this.next();
          isGen = true;
          if (asyncTok) this.reportAt("Async generators are not supported", asyncTok);
          else this.reportAt("Generator methods are not supported", f);
        }
        const mn = this.memberName("method name");
        dup(mn.v, mn);
        methods.push(this.funcRest(asyncTok ?? f, mn.v, asyncTok !== null, isGen, "method"));
        continue;
      }
      if (t.k === "ident" || t.k === "kw") {
        this.next();
        dup(t.v, t);
        fields.push(t.v);
        if (this.is(":")) {
          this.next();
          this.type();
        }
        continue;
      }
      this.failExpected("'}' to close struct body");
    }
    return {
      kind: "StructDecl",
      name: n.v,
      fields,
      methods,
      exported: false,
      line: kw.line,
      col: kw.col,
    };
  }

  enumDecl(): A.EnumDecl {
    const kw = this.next();
    const n = this.name("enum name");
    this.expect("{", "to open enum body");
    const variants: string[] = [];
    const seen = new Set<string>();
    while (!this.is("}")) {
      const v = this.memberName("variant name");
      if (seen.has(v.v)) this.reportAt(`Duplicate field: ${v.v}`, v);
      seen.add(v.v);
      variants.push(v.v);
      if (!this.is(",")) break;
      this.next();
    }
    this.expect("}", "to close enum body");
    return { kind: "EnumDecl", name: n.v, variants, exported: false, line: kw.line, col: kw.col };
  }

  ifStmt(): A.IfStmt {
    const first = this.next();
    const cond = this.cond();
    const then = this.block("if block");
    const root: A.IfStmt = { kind: "If", cond, then, else: null, line: first.line, col: first.col };
    let cur = root;
    let chain = 0;
    while (this.is("else")) {
      this.next();
      if (this.is("if")) {
        this.chainCheck(++chain);
        const kw = this.next();
        const c = this.cond();
        const body = this.block("if block");
        const nested: A.IfStmt = {
          kind: "If",
          cond: c,
          then: body,
          else: null,
          line: kw.line,
          col: kw.col,
        };
        cur.else = [nested];
        cur = nested;
      } else {
        cur.else = this.block("else block");
        break;
      }
    }
    return root;
  }

  forStmt(): A.ForStmt {
    const kw = this.next();
    const target = this.pattern();
    this.expect("in", "after for target");
    const iterable = this.cond();
    const body = this.loopBody("for block");
    return { kind: "For", target, iterable, body, line: kw.line, col: kw.col };
  }

  matchStmt(): A.MatchStmt {
    const kw = this.next();
    const subject = this.cond();
    this.expect("{", "to open match block");
    this.enter();
    const arms: A.MatchArm[] = [];
    let seenDefault = false;
    for (;;) {
      const t = this.tok;
      if (this.is(";")) {
        this.next();
        continue;
      }
      if (this.is("}")) {
        this.next();
        break;
      }
      let pattern: A.CasePattern | null = null;
      if (this.is("case")) {
        this.next();
        pattern = this.casePattern();
        this.expect(":", "after case pattern");
      } else if (this.is("default")) {
        this.next();
        if (seenDefault) this.reportAt("Duplicate default arm in match", t);
        seenDefault = true;
        this.expect(":", "after 'default'");
      } else {
        this.failExpected("'case', 'default' or '}' in match block");
      }
      let body: A.Stmt[];
      if (this.is("{")) body = this.block("case block");
      else {
        if (!canStartStatement(this.tok)) this.failExpected("statement");
        const s = this.statement("block");
        body = s === null ? [] : [s];
      }
      arms.push({ pattern, body, line: t.line, col: t.col });
    }
    this.depth--;
    return { kind: "Match", subject, arms, line: kw.line, col: kw.col };
  }

  casePattern(): A.CasePattern {
    const t = this.tok;
    if (t.k === "op" && t.v === "-") {
      this.next();
      const n = this.tok;
      if (n.k === "int") {
        this.next();
        return {
          kind: "CLit",
          value: { kind: "Int", value: negate(n.num!), line: t.line, col: t.col },
        };
      }
      if (n.k === "float") {
        this.next();
        return {
          kind: "CLit",
          value: { kind: "Float", value: -(n.num as number), line: t.line, col: t.col },
        };
      }
      this.failExpected("number after '-' in case pattern");
    }
    switch (t.k) {
      case "int":
        this.next();
        return { kind: "CLit", value: { kind: "Int", value: t.num!, line: t.line, col: t.col } };
      case "float":
        this.next();
        return {
          kind: "CLit",
          value: { kind: "Float", value: t.num as number, line: t.line, col: t.col },
        };
      case "str":
        this.next();
        return { kind: "CLit", value: { kind: "Str", value: t.str!, line: t.line, col: t.col } };
      case "istr":
        this.fail("Interpolated strings are not allowed in case patterns");
        break;
      case "kw":
        switch (t.v) {
          case "true":
          case "false":
            this.next();
            return {
              kind: "CLit",
              value: { kind: "Bool", value: t.v === "true", line: t.line, col: t.col },
            };
          case "null":
            this.next();
            return { kind: "CLit", value: { kind: "Null", line: t.line, col: t.col } };
          case "Ok":
          case "Err":
          case "Some":
          case "None": {
            this.next();
            let bind: string | null = null;
            if (this.is("(")) {
              const open = this.next();
              if (t.v === "None") this.reportAt("None takes no arguments", open);
              const b = this.name("binding name");
              bind = b.v === "_" ? null : b.v;
              this.expect(")", "to close pattern binding");
            }
            return { kind: "CWrap", tag: t.v, bind };
          }
        }
        this.failExpected("case pattern");
        break;
      case "ident": {
        this.next();
        if (this.is("::")) {
          this.next();
          const variant = this.memberName("variant name after '::'");
          let binds: string[] | null = null;
          if (this.is("(")) {
            this.next();
            binds = [];
            while (!this.is(")")) {
              binds.push(this.name("binding name").v);
              if (!this.is(",")) break;
              this.next();
            }
            this.expect(")", "to close pattern bindings");
          }
          return { kind: "CEnum", enumName: t.v, variant: variant.v, binds };
        }
        if (t.v === "_") return { kind: "CWild" };
        return { kind: "CLabel", name: t.v };
      }
    }
    this.failExpected("case pattern");
  }

  tryStmt(): A.TryStmt {
    const kw = this.next();
    const body = this.block("try block");
    this.expect("except", "after try block");
    let errName: string | null = null;
    if (this.tok.k === "ident") errName = this.next().v;
    const handler = this.block("except block");
    return { kind: "Try", body, errName, handler, line: kw.line, col: kw.col };
  }

  importStmt(): A.ImportStmt {
    const kw = this.next();
    const path = [this.name("module name").v];
    while (this.is(".")) {
      this.next();
      path.push(this.name("module name").v);
    }
    let names: string[] | null = null;
    if (kw.v === "from") {
      this.expect("import", "after module path");
      names = [this.name("imported name").v];
      while (this.is(",")) {
        this.next();
        names.push(this.name("imported name").v);
      }
    }
    return { kind: "Import", path, names, line: kw.line, col: kw.col };
  }

  exportStmt(place: Place): A.Stmt | null {
    const kw = this.next();
    const t = this.tok;
    let decl = false;
    if (t.k === "kw") {
      decl = ["let", "mut", "const", "func", "struct", "enum"].includes(t.v) ||
        (t.v === "async" && this.isTok(this.peek(), "func"));
    } else if (t.k === "ident") {
      const n = this.peek();
      decl = this.isTok(n, ":=") || this.isTok(n, "=");
    }
    if (place !== "top" || !decl) {
      this.reportAt("export is only allowed for top-level declarations", kw);
    }
    if (!canStartStatement(t)) this.failExpected("declaration after 'export'");
    const s = this.statement("block");
    if (decl && s !== null && "exported" in s) s.exported = true;
    return s;
  }

  testStmt(place: Place): A.TestStmt {
    const kw = this.next();
    const k = kw.v as A.TestStmt["testKind"];
    const ok = place === "top" || (place === "group" && (k === "test" || k === "test_group"));
    if (!ok && place !== "group") this.reportAt("Invalid test block placement", kw);
    let name: string | null = null;
    if (k === "test" || k === "test_group") {
      if (this.tok.k !== "str") this.failExpected(`test name string after '${k}'`);
      name = this.next().str!;
    }
    const body = this.isolatedBlock(
      k === "test_group" ? "test group" : "test block",
      k === "test_group" ? "group" : "block",
      false,
    );
    return { kind: "Test", testKind: k, name, body, line: kw.line, col: kw.col };
  }

  // ─────────────── patterns and types ───────────────

  /** Binding pattern (§2.5); errors abort. */
  pattern(): A.Pattern {
    const t = this.tok;
    if (t.k === "ident") {
      this.next();
      return t.v === "_"
        ? { kind: "PIgnore", line: t.line, col: t.col }
        : { kind: "PName", name: t.v, line: t.line, col: t.col };
    }
    if (this.is("[")) {
      this.next();
      this.enter();
      const items: A.Pattern[] = [];
      let rest: string | null = null;
      while (!this.is("]")) {
        if (this.is("...")) {
          const dots = this.next();
          rest = this.name("rest name after '...'").v;
          if (this.is(",")) this.next();
          if (!this.is("]")) this.fail("Rest element must be last in a pattern", dots);
          break;
        }
        items.push(this.pattern());
        if (!this.is(",")) break;
        this.next();
      }
      this.expect("]", "to close array pattern");
      this.depth--;
      return { kind: "PArray", items, rest, line: t.line, col: t.col };
    }
    if (this.is("{")) {
      this.next();
      const names: string[] = [];
      let rest: string | null = null;
      while (!this.is("}")) {
        if (this.is("...")) {
          const dots = this.next();
          rest = this.name("rest name after '...'").v;
          if (this.is(",")) this.next();
          if (!this.is("}")) this.fail("Rest element must be last in a pattern", dots);
          break;
        }
        names.push(this.name("name in dict pattern").v);
        if (!this.is(",")) break;
        this.next();
      }
      this.expect("}", "to close dict pattern");
      return { kind: "PDict", names, rest, line: t.line, col: t.col };
    }
    this.failExpected("pattern");
  }

  /** Checks (without errors) whether a pattern starts here; leaves the position after it. */
  tryPattern(): boolean {
    const t = this.tok;
    if (t.k === "ident") {
      this.next();
      return true;
    }
    const open = t.v;
    if (t.k !== "op" || (open !== "[" && open !== "{")) return false;
    const close = open === "[" ? "]" : "}";
    this.next();
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return false;
    }
    let ok = false;
    for (;;) {
      if (this.is(close)) {
        this.next();
        ok = true;
        break;
      }
      if (this.is("...")) {
        this.next();
        if (this.tok.k !== "ident") break;
        this.next();
      } else if (open === "[") {
        if (!this.tryPattern()) break;
      } else if (this.tok.k === "ident") this.next();
      else break;
      if (this.is(",")) this.next();
      else if (!this.is(close)) break;
    }
    this.depth--;
    return ok;
  }

  /** A type annotation (§2.6), parsed and dropped. */
  type(): void {
    const t = this.tok;
    if (t.k === "ident" || (t.k === "kw" && TYPE_KW.has(t.v))) this.next();
    else this.failExpected("type name");
    if (this.is("<")) {
      this.next();
      this.enter();
      for (;;) {
        this.type();
        if (!this.is(",")) break;
        this.next();
      }
      if (this.is(">")) this.next();
      else if (this.is(">=")) {
        // `Array<int>= e`: split `>=` into `>` and `=`.
        const c = this.tok;
        this.tok = this.toks[this.p] = { ...c, v: "=", col: c.col + 1, nl: false };
      } else this.failExpected("'>' to close type arguments");
      this.depth--;
    }
  }

  // ─────────────── expressions ───────────────

  expr(): A.Expr {
    this.enter();
    const e = this.binary(0);
    this.depth--;
    return e;
  }

  /** A condition (§2.4): no bare struct literal outside brackets. */
  cond(): A.Expr {
    const saved = this.inCond;
    this.inCond = true;
    const e = this.expr();
    this.inCond = saved;
    return e;
  }

  binary(min: number): A.Expr {
    let left = this.unary();
    let chain = 0;
    for (;;) {
      const t = this.tok;
      if (t.k !== "op") break;
      const prec = PREC.get(t.v);
      if (prec === undefined || prec <= min) break;
      this.next();
      const right = this.binary(prec);
      left = LOGICAL.has(t.v)
        ? { kind: "Logical", op: t.v as A.Logical["op"], left, right, line: t.line, col: t.col }
        : { kind: "Binary", op: t.v as A.BinaryOp, left, right, line: t.line, col: t.col };
      this.chainCheck(++chain);
    }
    return left;
  }

  unary(): A.Expr {
    const ops: Token[] = [];
    for (;;) {
      const t = this.tok;
      if ((t.k === "op" && (t.v === "-" || t.v === "!")) || (t.k === "kw" && t.v === "await")) {
        ops.push(this.next());
        this.chainCheck(ops.length);
      } else break;
    }
    let e = this.postfix();
    for (let i = ops.length - 1; i >= 0; i--) {
      const o = ops[i];
      e = { kind: "Unary", op: o.v as A.Unary["op"], operand: e, line: o.line, col: o.col };
    }
    return e;
  }

  postfix(): A.Expr {
    let e = this.primary();
    let chain = 0;
    for (;;) {
      const t = this.tok;
      if (t.k !== "op") break;
      if (t.v === "(" && !t.nl) {
        const args = this.args("call");
        e = { kind: "Call", callee: e, args, line: t.line, col: t.col };
      } else if (t.v === "[" && !t.nl) {
        this.next();
        const saved = this.inCond;
        this.inCond = false;
        const index = this.expr();
        this.expect("]", "to close index");
        this.inCond = saved;
        e = { kind: "Index", object: e, index, line: t.line, col: t.col };
      } else if (t.v === "." || t.v === "?.") {
        this.next();
        const n = this.memberName(`member name after '${t.v}'`);
        if (t.v === "." && this.is("(") && !this.tok.nl) {
          const args = this.args("method call");
          e = { kind: "MethodCall", object: e, name: n.v, args, line: t.line, col: t.col };
        } else {e = {
            kind: "Member",
            object: e,
            name: n.v,
            optional: t.v === "?.",
            line: t.line,
            col: t.col,
          };}
      } else if (t.v === "?") {
        this.next();
        e = { kind: "TryOp", value: e, line: t.line, col: t.col };
      } else break;
      this.chainCheck(++chain);
    }
    return e;
  }

  /** `( args )` starting at the current `(`. */
  args(what: string): A.Expr[] {
    this.next();
    const saved = this.inCond;
    this.inCond = false;
    const out: A.Expr[] = [];
    while (!this.is(")")) {
      out.push(this.expr());
      if (!this.is(",")) break;
      this.next();
    }
    this.expect(")", `to close ${what} arguments`);
    this.inCond = saved;
    return out;
  }

  primary(): A.Expr {
    const t = this.tok;
    switch (t.k) {
      case "int":
        this.next();
        return { kind: "Int", value: t.num!, line: t.line, col: t.col };
      case "float":
        this.next();
        return { kind: "Float", value: t.num as number, line: t.line, col: t.col };
      case "str":
        this.next();
        return { kind: "Str", value: t.str!, line: t.line, col: t.col };
      case "istr":
        this.next();
        return this.interp(t);
      case "ident": {
        this.next();
        if (this.is("::")) return this.enumLit(t);
        if (this.structAhead()) return this.structLit(t);
        return { kind: "Ident", name: t.v, line: t.line, col: t.col };
      }
      case "kw":
        switch (t.v) {
          case "true":
          case "false":
            this.next();
            return { kind: "Bool", value: t.v === "true", line: t.line, col: t.col };
          case "null":
            this.next();
            return { kind: "Null", line: t.line, col: t.col };
          case "self":
            this.next();
            if (!this.fn.selfOk) this.reportAt("'self' is only valid inside struct methods", t);
            return { kind: "Self", line: t.line, col: t.col };
          case "func":
          case "async":
            return this.funcExpr();
          case "Ok":
          case "Err":
          case "Some":
          case "throw": {
            this.next();
            if (!this.is("(") || this.tok.nl) this.failExpected(`'(' after '${t.v}'`);
            const args = this.args(t.v);
            if (args.length !== 1) {
              this.reportAt(`${t.v} expects 1 argument, got ${args.length}`, t);
            }
            const value: A.Expr = args[0] ?? { kind: "Null", line: t.line, col: t.col };
            if (t.v === "throw") return { kind: "Throw", value, line: t.line, col: t.col };
            return { kind: "Wrap", tag: t.v as "Ok", value, line: t.line, col: t.col };
          }
          case "None":
            this.next();
            if (this.is("(") && !this.tok.nl) {
              this.reportAt("None takes no arguments", this.tok);
              this.args("None");
            }
            return { kind: "Wrap", tag: "None", value: null, line: t.line, col: t.col };
          case "yield": {
            this.next();
            if (!this.fn.isGen) {
              this.reportAt("yield can only be used inside a generator function", t);
            }
            const n = this.tok;
            const value = !n.nl && canStartExpr(n) ? this.expr() : null;
            return { kind: "Yield", value, line: t.line, col: t.col };
          }
        }
        break;
      case "op":
        if (t.v === "(") {
          this.next();
          const saved = this.inCond;
          this.inCond = false;
          const e = this.expr();
          this.expect(")", "to close parenthesized expression");
          this.inCond = saved;
          this.parens.add(e);
          return e;
        }
        if (t.v === "[") return this.arrayLit();
        if (t.v === "{") return this.dictLit();
        break;
    }
    this.failExpected("expression");
  }

  /** After an identifier: does `{` start a struct literal here (§2.4)? */
  structAhead(): boolean {
    const b = this.tok;
    if (this.inCond || b.nl || b.k !== "op" || b.v !== "{") return false;
    const a = this.peek(1);
    if (a.k === "op" && a.v === "}") return true;
    return (a.k === "ident" || a.k === "kw") && this.isTok(this.peek(2), ":");
  }

  structLit(nameTok: Token): A.StructLit {
    this.next();
    const saved = this.inCond;
    this.inCond = false;
    const fields: A.StructLit["fields"] = [];
    const seen = new Set<string>();
    while (!this.is("}")) {
      const f = this.memberName("field name");
      this.expect(":", "after field name");
      const value = this.expr();
      if (seen.has(f.v)) this.reportAt(`Duplicate field: ${f.v}`, f);
      seen.add(f.v);
      fields.push({ name: f.v, value, line: f.line, col: f.col });
      if (!this.is(",")) break;
      this.next();
    }
    this.expect("}", "to close struct literal");
    this.inCond = saved;
    return { kind: "StructLit", name: nameTok.v, fields, line: nameTok.line, col: nameTok.col };
  }

  enumLit(nameTok: Token): A.EnumLit {
    this.next();
    const v = this.memberName("variant name after '::'");
    let args: A.Expr[] | null = null;
    if (this.is("(") && !this.tok.nl) args = this.args("enum value");
    return {
      kind: "EnumLit",
      enumName: nameTok.v,
      variant: v.v,
      args,
      line: nameTok.line,
      col: nameTok.col,
    };
  }

  arrayLit(): A.ArrayLit {
    const open = this.next();
    const saved = this.inCond;
    this.inCond = false;
    const items: A.ArrayLit["items"] = [];
    while (!this.is("]")) {
      let spread = false;
      if (this.is("...")) {
        this.next();
        spread = true;
      }
      items.push({ spread, value: this.expr() });
      if (!this.is(",")) break;
      this.next();
    }
    this.expect("]", "to close array literal");
    this.inCond = saved;
    return { kind: "Array", items, line: open.line, col: open.col };
  }

  dictLit(): A.DictLit {
    const open = this.next();
    const saved = this.inCond;
    this.inCond = false;
    const entries: A.DictLit["entries"] = [];
    while (!this.is("}")) {
      if (this.is("...")) {
        this.next();
        entries.push({ spread: true, value: this.expr() });
      } else {
        const t = this.tok;
        let key: A.Expr;
        if (
          (t.k === "ident" || (t.k === "kw" && !NOT_BARE_KEY.has(t.v))) &&
          this.isTok(this.peek(), ":")
        ) {
          this.next();
          key = { kind: "Str", value: t.v, line: t.line, col: t.col };
        } else key = this.expr();
        this.expect(":", "after dict key");
        entries.push({ spread: false, key, value: this.expr() });
      }
      if (!this.is(",")) break;
      this.next();
    }
    this.expect("}", "to close dict literal");
    this.inCond = saved;
    return { kind: "Dict", entries, line: open.line, col: open.col };
  }

  funcExpr(): A.FuncExpr {
    const start = this.tok;
    let isAsync = false;
    if (this.is("async")) {
      this.next();
      isAsync = true;
      if (!this.is("func")) this.failExpected("'func' after 'async'");
    }
    this.next();
    let isGen = false;
    if (this.is("*")) {
      this.next();
      isGen = true;
      if (isAsync) this.reportAt("Async generators are not supported", start);
    }
    const fn = this.funcRest(start, null, isAsync, isGen, "func");
    return { kind: "Func", fn, line: start.line, col: start.col };
  }

  /** An interpolated string: each embedded token list must be exactly one expression. */
  interp(t: Token): A.InterpStr {
    const parts: (string | A.Expr)[] = [];
    for (const part of t.parts!) {
      parts.push(typeof part === "string" ? part : this.embedded(part));
    }
    return { kind: "Interp", parts, line: t.line, col: t.col };
  }

  embedded(part: InterpPart): A.Expr {
    const saved = { toks: this.toks, p: this.p, tok: this.tok, inCond: this.inCond };
    const depth = this.depth;
    const before = this.issues.length;
    const eof: Token = { k: "eof", v: "", line: part.endLine, col: part.endCol, nl: false };
    this.toks = [...part.toks, eof];
    this.p = 0;
    this.tok = this.toks[0];
    this.inCond = false;
    let e: A.Expr | null = null;
    try {
      e = this.expr();
      if (this.tok.k !== "eof") e = null;
    } catch (x) {
      if (!(x instanceof Abort)) throw x;
      e = null;
    } finally {
      this.toks = saved.toks;
      this.p = saved.p;
      this.tok = saved.tok;
      this.inCond = saved.inCond;
      this.depth = depth;
    }
    let bad = e === null;
    for (let i = before; i < this.issues.length; i++) if (this.issues[i].grammar) bad = true;
    if (bad) {
      // Keep static-rule issues; replace grammar issues by the single interpolation error.
      const kept = this.issues.slice(before).filter((i) => !i.grammar);
      this.issues.length = before;
      this.issues.push(...kept);
      this.issues.push({
        message: "Invalid interpolated string expression",
        line: part.line,
        col: part.col,
        grammar: true,
      });
      return { kind: "Null", line: part.line, col: part.col };
    }
    return e!;
  }
}

/** Thrown internally when too many issues were collected. */
class StopParsing {}

function pos(t: { line: number; col: number }): { line: number; col: number } {
  return { line: t.line, col: t.col };
}

/**
 * Parses a Ruff program. Throws {@link RuffSyntaxError} (and nothing else) when the source has
 * syntax errors; the issues are in source order.
 */
export function parse(source: string, file = "<string>"): A.Program {
  const { tokens, issues } = lex(source);
  const parser = new Parser(tokens, issues);
  let body: A.Stmt[] = [];
  try {
    body = parser.program();
  } catch (e) {
    if (e instanceof TooDeep || e instanceof RangeError) {
      parser.issues.push({ message: "Nesting too deep", ...pos(parser.tok), grammar: true });
    } else if (!(e instanceof StopParsing)) throw e;
  }
  if (parser.issues.length > 0) {
    const sorted = parser.issues
      .map((i, n) => ({ i, n }))
      .sort((a, b) => a.i.line - b.i.line || a.i.col - b.i.col || a.n - b.n);
    const out: SyntaxIssue[] = [];
    for (const { i } of sorted) {
      const prev = out[out.length - 1];
      if (prev && prev.line === i.line && prev.col === i.col && prev.message === i.message) {
        continue;
      }
      out.push({ message: i.message, line: i.line, col: i.col });
    }
    throw new RuffSyntaxError(out, file, source);
  }
  return { body, file, source };
}

/** Returns the syntax issues of `source` (empty when it parses). */
export function checkSyntax(source: string, file = "<string>"): SyntaxIssue[] {
  try {
    parse(source, file);
    return [];
  } catch (e) {
    if (e instanceof RuffSyntaxError) return e.issues;
    throw e;
  }
}
