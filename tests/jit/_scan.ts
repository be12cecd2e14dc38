/**
 * Shared by the tests of the code generator's bytecode scans (`smallFactors`, `guardedSteps`,
 * `guardedSums`): the inputs a scan takes, for function `f` of a program.
 *
 * @module
 */
import type { State } from "../../lib/jit/codegen.ts";
import { OP_OPERANDS } from "../../lib/opcodes.ts";
import { compileProgram, GlobalTable } from "../../lib/compiler.ts";
import { parse } from "../../mod.ts";

/** What a scan reads: the code of `f`, its constants and handlers, and where instructions start. */
export interface ScanInput {
  code: Int32Array;
  consts: unknown[];
  handlers: { target: number }[];
  isInstr: Uint8Array;
  /** The states inference would give, as far as the scans read them (stack heights). */
  states: Map<number, State>;
}

/**
 * The scan inputs of function `f` in `src`. `heights(code)` gives the stack height of the state
 * the scan needs at each instruction it needs one at; every slot of those states is an Int.
 */
export function scanInput(
  src: string,
  heights: (code: Int32Array) => Map<number, number>,
): ScanInput {
  const top = compileProgram(parse(src, "t.ruff"), { globals: new GlobalTable() });
  const proto = top.consts.find((c) => (c as { name?: string })?.name === "f") as {
    code: Int32Array;
    consts: unknown[];
    handlers: { target: number }[];
  };
  const code = proto.code;
  const isInstr = new Uint8Array(code.length + 1);
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) isInstr[ip] = 1;
  const states = new Map<number, State>();
  for (const [ip, h] of heights(code)) states.set(ip, new Array(h).fill({ k: 1 }));
  return { code, consts: proto.consts, handlers: proto.handlers, isInstr, states };
}

/** Each instruction of `code` whose opcode is `op`, in order. */
export function instructions(code: Int32Array, op: number): number[] {
  const out: number[] = [];
  for (let ip = 0; ip < code.length; ip += 1 + OP_OPERANDS[code[ip]]) {
    if (code[ip] === op) out.push(ip);
  }
  return out;
}
