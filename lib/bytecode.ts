/**
 * Compiled code: function prototypes, exception-handler ranges and the disassembler.
 *
 * @module
 */

import { OP_NAMES, OP_OPERANDS } from "./opcodes.ts";
import { display, type Value } from "./values.ts";

/** A protected code range: an error raised at `start <= ip < end` jumps to `target`. */
export interface Handler {
  /** First code index of the protected range. */
  start: number;
  /** Code index just past the protected range. */
  end: number;
  /** Code index of the handler to jump to. */
  target: number;
  /** Stack height (relative to the frame base) to restore before pushing the error. */
  depth: number;
}

/** How a closure captures variable `index`: a local slot of the enclosing frame or one of its upvalues. */
export interface Capture {
  /** True to capture a local slot of the enclosing frame, false for one of its upvalues. */
  isLocal: boolean;
  /** Slot or upvalue index in the enclosing function. */
  index: number;
}

/** A compiled function (or the top-level program, a module, a spawn or test body). */
export interface FuncProto {
  /** Declared name, or null for anonymous functions and the program. */
  name: string | null;
  /** Number of parameters (excluding the receiver of methods). */
  arity: number;
  /** Instructions: opcode followed by its inline operands. */
  code: number[];
  /** Source line of the instruction starting at each code index. */
  lines: number[];
  /** Source column of the instruction starting at each code index. */
  cols: number[];
  /** Constants: values, nested prototypes, name lists, patterns. */
  consts: unknown[];
  /** Capture descriptors, one per upvalue. */
  captures: Capture[];
  /** Protected ranges, innermost first. */
  handlers: Handler[];
  /** True for a generator function. */
  isGenerator: boolean;
  /** True for an `async` function. */
  isAsync: boolean;
  /** Slot 0 holds the receiver (methods) instead of the callee. */
  isMethod: boolean;
  /** A method whose first parameter is `self`. */
  hasSelf: boolean;
  /** The body assigns to `self` or a place rooted at it (so calls write the receiver back). */
  mutatesSelf: boolean;
  /** Neither a generator, an async function nor a method: the VM's fast call path applies. */
  simple: boolean;
  /** `spawn`, `test`, or the program/module top level: `?` raises instead of returning. */
  isTopLevel: boolean;
  /** File the code came from. */
  file: string;
  /** JIT: calls seen by the VM's fast call path (counts up to the threshold). */
  calls: number;
  /** JIT: the compiled specialisation the VM enters, or null. */
  jit: unknown;
  /** JIT: back-edges seen per loop (`LOOP off n` counts in slot n). */
  loopHits: Int32Array;
  /** JIT: the loop directly enclosing loop n in this function, or -1. */
  loopParent: Int32Array;
}

/** Makes an empty prototype. */
export function newProto(name: string | null, file: string): FuncProto {
  return {
    name,
    arity: 0,
    code: [],
    lines: [],
    cols: [],
    consts: [],
    captures: [],
    handlers: [],
    isGenerator: false,
    isAsync: false,
    isMethod: false,
    hasSelf: false,
    mutatesSelf: false,
    isTopLevel: false,
    simple: true,
    file,
    calls: 0,
    jit: null,
    loopHits: new Int32Array(0),
    loopParent: new Int32Array(0),
  };
}

function constText(c: unknown): string {
  if (c && typeof c === "object" && "code" in (c as object)) {
    return `<proto ${(c as FuncProto).name ?? "anonymous"}>`;
  }
  if (Array.isArray(c)) return JSON.stringify(c);
  if (typeof c === "string") return JSON.stringify(c);
  return display(c as Value);
}

/** Human-readable listing of a prototype and, recursively, of the prototypes it contains. */
export function disassemble(proto: FuncProto): string {
  const out: string[] = [];
  const seen = new Set<FuncProto>();
  const walk = (p: FuncProto) => {
    if (seen.has(p)) return;
    seen.add(p);
    out.push(
      `== ${p.name ?? (p.isTopLevel ? "<top level>" : "<anonymous>")} (arity ${p.arity}) ==`,
    );
    let ip = 0;
    let lastLine = -1;
    while (ip < p.code.length) {
      const op = p.code[ip];
      const n = OP_OPERANDS[op];
      const operands = p.code.slice(ip + 1, ip + 1 + n);
      const line = p.lines[ip] === lastLine ? "   |" : String(p.lines[ip]).padStart(4);
      lastLine = p.lines[ip];
      let note = "";
      const name = OP_NAMES[op];
      if (
        [
          "CONST",
          "CLOSURE",
          "GET_FIELD",
          "GET_FIELD_OPT",
          "SET_FIELD",
          "SET_FIELD_R",
          "FIELD_MUT",
          "RAISE",
          "ENUM_DEF",
          "SPAWN",
          "EXPORT",
        ].includes(name) ||
        ["INVOKE", "INVOKE_WB", "STRUCT", "ENUM", "STRUCT_DEF", "IMPORT", "MATCH", "UNPACK_DICT"]
          .includes(name)
      ) {
        note = "  ; " + constText(p.consts[operands[0]]);
      }
      out.push(
        `${String(ip).padStart(5, "0")} ${line} ${name.padEnd(16)} ${operands.join(" ")}${note}`,
      );
      ip += 1 + n;
    }
    for (const c of p.consts) {
      if (c && typeof c === "object" && "code" in (c as object)) walk(c as FuncProto);
    }
  };
  walk(proto);
  return out.join("\n");
}
