/**
 * Kinds of the JIT: how a VM slot's value is held in compiled code, and (for Int, Float and
 * Bool) the element kinds of typed array stores (`heap.ts`).
 *
 * @module
 */

/** Int, as i64. */
export const K_INT = 1;
/** Float, as f64. */
export const K_FLOAT = 2;
/** Bool, as i32 0/1. */
export const K_BOOL = 3;
/** null (no storage). */
export const K_NULL = 4;
/** An array: externref to the RArray and i32 address of its store's header (`heap.ts`). */
export const K_ARRAY = 5;
/** A range iterator (`for i in n`): two i64 locals, next value and limit. */
export const K_RANGE = 6;
/** A value known at compile time (a function, a native, a string...): no storage. */
export const K_CONST = 7;
/**
 * An array iterator (`for x in xs`): externref to the VM's iterator object, the header address
 * of the store it walks and the next position (i32).
 */
export const K_AITER = 8;

/**
 * Element kind of a typed array store (`heap.ts`) holding Ints that all fit in 32 bits, as i32
 * (half the memory of {@link K_INT} elements; compiled code reads them as Ints). A store widens
 * to {@link K_INT} when the VM stores a larger Int; compiled code leaves instead.
 */
export const E_INT32 = 9;
