/**
 * Set, Queue and Stack natives (builtins.md §3.6). These collections are values: every
 * operation returns a new object and never changes its argument. Membership uses the deep
 * equality of builtins.md §0.5 (an Int never equals a Float).
 *
 * @module
 */

import { arrayOf, RArray, RQueue, RSet, RStack, share, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { deepEqual, requires } from "./args.ts";

/** Builds a collection from items that may live elsewhere (each one is shared). */
function build<T extends RSet | RQueue | RStack>(
  C: new (items: Value[]) => T,
  items: Value[],
): T {
  for (const x of items) share(x);
  return new C(items);
}

function dedupe(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of items) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

function setArg(name: string, args: Value[], i: number, what = "a set argument"): RSet {
  const v = args[i];
  if (!(v instanceof RSet)) requires(name, what);
  return v;
}
function queueArg(name: string, args: Value[]): RQueue {
  const v = args[0];
  if (!(v instanceof RQueue)) requires(name, "a queue argument");
  return v;
}
function stackArg(name: string, args: Value[]): RStack {
  const v = args[0];
  if (!(v instanceof RStack)) requires(name, "a stack argument");
  return v;
}

/** The optional array argument of a constructor. */
function initial(name: string, args: Value[]): Value[] {
  if (args.length === 0) return [];
  const v = args[0];
  if (!(v instanceof RArray)) requires(name, "an array argument");
  return v.items.slice();
}

function setBinary(
  name: string,
  doc: string,
  f: (a: Value[], b: Value[]) => Value[],
): NativeSpec {
  return {
    name,
    params: "a, b",
    min: 2,
    doc,
    impl: (args) => {
      const a = setArg(name, args, 0, "2 set arguments");
      const b = setArg(name, args, 1, "2 set arguments");
      return build(RSet, f(a.items, b.items));
    },
  };
}

const has = (xs: Value[], x: Value) => xs.some((y) => deepEqual(x, y));

export const collections: NativeCategory = {
  name: "collections",
  natives: [
    // ── Set ──
    {
      name: "Set",
      params: "array",
      min: 0,
      max: 1,
      doc: "A set of the array's elements (duplicates removed, first occurrence order).",
      impl: (args) => build(RSet, dedupe(initial("Set", args))),
    },
    {
      name: "set_add",
      params: "set, item",
      min: 2,
      doc: "A copy of the set with item added.",
      impl: (args) => {
        const s = setArg("set_add", args, 0);
        return build(RSet, has(s.items, args[1]) ? s.items.slice() : [...s.items, args[1]]);
      },
    },
    {
      name: "set_has",
      params: "set, item",
      min: 2,
      doc: "True when the set holds item.",
      impl: (args) => has(setArg("set_has", args, 0).items, args[1]),
    },
    {
      name: "set_remove",
      params: "set, item",
      min: 2,
      doc: "A copy of the set without item.",
      impl: (args) => {
        const s = setArg("set_remove", args, 0);
        return build(RSet, s.items.filter((x) => !deepEqual(x, args[1])));
      },
    },
    setBinary("set_union", "Elements of a, then the new elements of b.", (a, b) => {
      const out = a.slice();
      for (const x of b) if (!has(out, x)) out.push(x);
      return out;
    }),
    setBinary(
      "set_intersect",
      "Elements of a that are also in b.",
      (a, b) => a.filter((x) => has(b, x)),
    ),
    setBinary(
      "set_difference",
      "Elements of a that are not in b.",
      (a, b) => a.filter((x) => !has(b, x)),
    ),
    {
      name: "set_to_array",
      params: "set",
      min: 1,
      doc: "The elements in insertion order.",
      impl: (args) => arrayOf(setArg("set_to_array", args, 0).items.slice()),
    },
    // ── Queue ──
    {
      name: "Queue",
      params: "array",
      min: 0,
      max: 1,
      doc: "A FIFO queue; the front is the first array element.",
      impl: (args) => build(RQueue, initial("Queue", args)),
    },
    {
      name: "queue_enqueue",
      params: "queue, item",
      min: 2,
      doc: "A copy of the queue with item at the back.",
      impl: (args) => build(RQueue, [...queueArg("queue_enqueue", args).items, args[1]]),
    },
    {
      name: "queue_dequeue",
      params: "queue",
      min: 1,
      doc: "The pair [queue without its front, front item] (null item when empty).",
      impl: (args) => {
        const q = queueArg("queue_dequeue", args);
        if (q.items.length === 0) return arrayOf([build(RQueue, []), null]);
        return arrayOf([build(RQueue, q.items.slice(1)), q.items[0]]);
      },
    },
    {
      name: "queue_peek",
      params: "queue",
      min: 1,
      doc: "The front item, or null.",
      impl: (args) => queueArg("queue_peek", args).items[0] ?? null,
    },
    {
      name: "queue_is_empty",
      params: "queue",
      min: 1,
      doc: "True when the queue is empty.",
      impl: (args) => queueArg("queue_is_empty", args).items.length === 0,
    },
    {
      name: "queue_to_array",
      params: "queue",
      min: 1,
      doc: "The items from front to back.",
      impl: (args) => arrayOf(queueArg("queue_to_array", args).items.slice()),
    },
    {
      name: "queue_size",
      params: "queue",
      min: 1,
      doc: "Number of items in the queue.",
      impl: (args) => queueArg("queue_size", args).items.length,
    },
    // ── Stack ──
    {
      name: "Stack",
      params: "array",
      min: 0,
      max: 1,
      doc: "A LIFO stack; the last array element is the top.",
      impl: (args) => build(RStack, initial("Stack", args)),
    },
    {
      name: "stack_push",
      params: "stack, item",
      min: 2,
      doc: "A copy of the stack with item on top.",
      impl: (args) => build(RStack, [...stackArg("stack_push", args).items, args[1]]),
    },
    {
      name: "stack_pop",
      params: "stack",
      min: 1,
      doc: "The pair [stack without its top, top item] (null item when empty).",
      impl: (args) => {
        const s = stackArg("stack_pop", args);
        if (s.items.length === 0) return arrayOf([build(RStack, []), null]);
        return arrayOf([build(RStack, s.items.slice(0, -1)), s.items[s.items.length - 1]]);
      },
    },
    {
      name: "stack_peek",
      params: "stack",
      min: 1,
      doc: "The top item, or null.",
      impl: (args) => {
        const s = stackArg("stack_peek", args);
        return s.items.length ? s.items[s.items.length - 1] : null;
      },
    },
    {
      name: "stack_is_empty",
      params: "stack",
      min: 1,
      doc: "True when the stack is empty.",
      impl: (args) => stackArg("stack_is_empty", args).items.length === 0,
    },
    {
      name: "stack_to_array",
      params: "stack",
      min: 1,
      doc: "The items from bottom to top.",
      impl: (args) => arrayOf(stackArg("stack_to_array", args).items.slice()),
    },
    {
      name: "stack_size",
      params: "stack",
      min: 1,
      doc: "Number of items in the stack.",
      impl: (args) => stackArg("stack_size", args).items.length,
    },
  ],
};
