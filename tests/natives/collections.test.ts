import assert from "node:assert/strict";
import { RQueue, RSet, RStack, type Value } from "../../lib/values.ts";
import { collections } from "../../lib/runtime/collections.ts";
import { A, F, harness } from "./_helpers.ts";

const { run, eq, fails } = harness(collections);

const S = (...xs: Value[]) => new RSet(xs);
const Q = (...xs: Value[]) => new RQueue(xs);
const St = (...xs: Value[]) => new RStack(xs);

Deno.test("Set construction and operations", () => {
  eq("Set", [A(1, 2, 2, F(1), "a", 1)], S(1, 2, F(1), "a"));
  eq("Set", [], S());
  fails("Set", ["x"], "Set() requires an array argument");
  const s = run("Set", A(1, 2, 3)) as RSet;
  eq("set_add", [s, 4], S(1, 2, 3, 4));
  eq("set_add", [s, 2], S(1, 2, 3));
  assert.equal(s.items.length, 3);
  eq("set_has", [s, 2], true);
  eq("set_has", [s, F(2)], false);
  eq("set_remove", [s, 2], S(1, 3));
  eq("set_remove", [s, 9], S(1, 2, 3));
  const t = S(3, 4, 5);
  eq("set_union", [s, t], S(1, 2, 3, 4, 5));
  eq("set_intersect", [s, t], S(3));
  eq("set_difference", [s, t], S(1, 2));
  eq("set_to_array", [s], A(1, 2, 3));
  eq("set_has", [S(A(1, 2)), A(1, 2)], true);
  fails("set_add", [A(), 1], "set_add() requires a set argument");
  fails("set_has", [A(), 1], "set_has() requires a set argument");
  fails("set_union", [s, A()], "set_union() requires 2 set arguments");
  fails("set_to_array", [1], "set_to_array() requires a set argument");
});

Deno.test("Queue", () => {
  const q = run("Queue", A(1, 2)) as RQueue;
  eq("Queue", [], Q());
  eq("queue_enqueue", [q, 3], Q(1, 2, 3));
  eq("queue_dequeue", [q], A(Q(2), 1));
  eq("queue_dequeue", [Q()], A(Q(), null));
  eq("queue_peek", [q], 1);
  eq("queue_peek", [Q()], null);
  eq("queue_is_empty", [q], false);
  eq("queue_is_empty", [Q()], true);
  eq("queue_to_array", [q], A(1, 2));
  eq("queue_size", [q], 2);
  assert.equal(q.items.length, 2);
  fails("queue_enqueue", [A(), 1], "queue_enqueue() requires a queue argument");
  fails("queue_size", [St()], "queue_size() requires a queue argument");
});

Deno.test("Stack", () => {
  const s = run("Stack", A(1, 2)) as RStack;
  eq("Stack", [], St());
  eq("stack_push", [s, 3], St(1, 2, 3));
  eq("stack_pop", [s], A(St(1), 2));
  eq("stack_pop", [St()], A(St(), null));
  eq("stack_peek", [s], 2);
  eq("stack_peek", [St()], null);
  eq("stack_is_empty", [s], false);
  eq("stack_is_empty", [St()], true);
  eq("stack_to_array", [s], A(1, 2));
  eq("stack_size", [s], 2);
  assert.equal(s.items.length, 2);
  fails("stack_push", [Q(), 1], "stack_push() requires a stack argument");
  fails("stack_pop", [null], "stack_pop() requires a stack argument");
});

Deno.test("stored containers are shared", () => {
  const inner = A(1);
  const s = run("Set", A(inner)) as RSet;
  assert.equal(s.items[0], inner);
  assert.ok(inner.refs >= 2);
});
