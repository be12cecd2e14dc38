/**
 * What an attempt to enter compiled code tells the VM (`Jit.call`, `Jit.loop` in `jit.ts`).
 * Kept apart from the JIT itself so that the VM can test for them without loading the JIT,
 * which the runner imports only for programs that have functions or loops.
 *
 * @module
 */

/** Returned by `Jit.call` / `Jit.loop` when compiled code did not run. */
export const NOT_ENTERED: unique symbol = Symbol("not entered");
/** Returned when compiled code left for the VM: the fiber's frames were rebuilt. */
export const LEFT: unique symbol = Symbol("left");
