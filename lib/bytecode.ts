/**
 * Compiled code: function prototypes. (The opcode table lives in `opcodes.ts`.)
 *
 * @module
 */

import type { Value } from "./values.ts";

/** A compiled function (or the top-level program, or a module). */
export interface FuncProto {
  /** Declared name, or null for anonymous functions and the program. */
  name: string | null;
  /** Number of parameters (excluding `self` for instance methods). */
  arity: number;
}
