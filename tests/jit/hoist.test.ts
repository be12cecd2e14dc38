/**
 * Header reads hoisted out of loops (lib/jit/hoist.ts): the pass itself on small trees, and
 * programs whose loops read arrays that other code changes, run with the JIT off and on (every
 * loop compiled at once, and pausing at every chance) with equal results.
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { run } from "../../mod.ts";
import { type HoistEnv, hoistHeaderReads } from "../../lib/jit/hoist.ts";
import type { Expr } from "../../lib/jit/ir.ts";

// ── the pass ──

const get = (i: number): Expr => ({ k: "local.get", i });
const set = (i: number, v: Expr): Expr => ({ k: "local.set", i, v });
const field = (h: number, offset: number): Expr => ({
  k: "load",
  op: "i32.load",
  addr: get(h),
  offset,
});
/** An element store through header local `h`, as the code generator writes one. */
const elemStore = (h: number): Expr => ({
  k: "store",
  op: "i32.store8",
  addr: { k: "bin", op: "i32.add", a: field(h, 8), b: get(9) },
  v: { k: "i32.const", v: 0 },
  offset: 0,
});
const exitPath = (...pre: Expr[]): Expr => ({
  k: "if",
  t: "none",
  cond: get(9),
  then: [...pre, { k: "call", f: 0, args: [] }, { k: "return" }],
});
const loopOf = (...body: Expr[]): Expr => ({
  k: "loop",
  label: "L5",
  t: "none",
  body: [...body, { k: "br", label: "L5" }],
});

/** Runs the pass with header locals 1-4, `live` live at every loop header; new locals from 20. */
function hoist(body: Expr[], live: number[] = []): { out: Expr[]; added: number } {
  let next = 20;
  const env: HoistEnv = {
    isHeader: (i) => i >= 1 && i <= 4,
    liveAt: () => new Set(live),
    newLocal: () => next++,
    isGrow: (f) => f === 7,
  };
  const out = structuredClone(body);
  hoistHeaderReads(out, env);
  return { out, added: next - 20 };
}

/** The header fields read in `body`, as "local:offset". */
function reads(body: Expr[]): string[] {
  const found: string[] = [];
  const visit = (e: unknown): void => {
    if (Array.isArray(e)) return e.forEach(visit);
    if (e === null || typeof e !== "object") return;
    const n = e as Record<string, unknown>;
    const addr = n.addr as Expr | undefined;
    if (n.k === "load" && addr?.k === "local.get" && addr.i >= 1 && addr.i <= 4) {
      found.push(`${addr.i}:${n.offset}`);
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(body);
  return found;
}

Deno.test("hoist: an invariant header's length and data address are read once, before the loop", () => {
  const body = [loopOf({ k: "drop", v: field(1, 0) }, elemStore(1), exitPath(set(7, get(1))))];
  const { out, added } = hoist(body);
  assertEquals(added, 2);
  assertEquals(out.length, 3);
  assertEquals(reads(out.slice(0, 2)), ["1:0", "1:8"]);
  assertEquals(reads(out.slice(2)), []);
});

Deno.test("hoist: a copy of an invariant header, not live at the header, reads the copy's source", () => {
  const body = [loopOf(set(2, get(1)), { k: "drop", v: field(2, 0) }, elemStore(2))];
  const { out } = hoist(body);
  assertEquals(reads(out.slice(0, 2)), ["1:0", "1:8"]);
  assertEquals(reads(out.slice(2)), []);
  // Live at the header, the copy may hold another header in the first round: left alone.
  assertEquals(reads(hoist(body, [2]).out), ["2:0", "2:8"]);
  // Set from two sources, or from something else: left alone.
  const two = [loopOf(set(2, get(1)), set(2, get(3)), { k: "drop", v: field(2, 0) })];
  assertEquals(hoist(two).added, 0);
  const other = [loopOf(set(2, { k: "i32.const", v: 64 }), { k: "drop", v: field(2, 0) })];
  assertEquals(hoist(other).added, 0);
});

Deno.test("hoist: calls, header stores and changed headers on the way on keep the reads in the loop", () => {
  const call: Expr = { k: "drop", v: { k: "call", f: 0, args: [] } };
  const push: Expr = { k: "store", op: "i32.store", addr: get(3), v: get(9), offset: 0 };
  for (const clobber of [call, push, set(1, get(3))]) {
    // (Local 1 is live at the header: the loop reads it before setting it.)
    const body = [loopOf({ k: "drop", v: field(1, 0) }, clobber)];
    assertEquals(reads(hoist(body, [1]).out), ["1:0"], JSON.stringify(clobber));
  }
  // A call inside a path that branches back is on the way on, even if it ends in a return.
  const back = [loopOf({ k: "drop", v: field(1, 0) }, {
    k: "if",
    t: "none",
    cond: get(9),
    then: [{ k: "br_if", label: "L5", cond: get(8) }, call, { k: "return" }],
  })];
  assertEquals(hoist(back).added, 0);
});

Deno.test("hoist: a read node met both in the loop and outside it stays a load", () => {
  const read = field(1, 0);
  const body: Expr[] = [{ k: "drop", v: read }, loopOf({ k: "drop", v: read })];
  let next = 20;
  hoistHeaderReads(body, {
    isHeader: (i) => i === 1,
    liveAt: () => new Set(),
    newLocal: () => next++,
    isGrow: () => false,
  });
  assertEquals(next, 20);
  assertEquals(read.k, "load");
});

/** A push through header local `h`, as the code generator writes one (agrow is function 7). */
function pushVia(h: number): Expr[] {
  return [
    set(9, field(h, 0)),
    {
      k: "if",
      t: "none",
      cond: { k: "bin", op: "i32.lt_u", a: field(h, 4), b: get(9) },
      then: [{
        k: "if",
        t: "none",
        cond: { k: "un", op: "i32.eqz", a: { k: "call", f: 7, args: [get(h), get(9)] } },
        then: [{ k: "br", label: "X" }],
      }],
    },
    elemStore(h),
    {
      k: "store",
      op: "i32.store",
      addr: get(h),
      offset: 0,
      v: { k: "bin", op: "i32.add", a: get(9), b: { k: "i32.const", v: 1 } },
    },
  ];
}

Deno.test("hoist: a loop of pushes to one store keeps its length in a local", () => {
  const { out, added } = hoist([loopOf(...pushVia(1))]);
  // Length, capacity and data address read before the loop.
  assertEquals(added, 3);
  assertEquals(reads(out.slice(0, 3)), ["1:0", "1:4", "1:8"]);
  const loop = out[3] as Extract<Expr, { k: "loop" }>;
  // In the loop, only the reloads after the growth read the header: capacity and data address.
  assertEquals(reads(loop.body), ["1:4", "1:8"]);
  const grow = (loop.body[1] as Extract<Expr, { k: "if" }>).then;
  assertEquals(grow.length, 3);
  assertEquals(grow.slice(1).map((e) => e.k === "local.set" && e.i), [21, 22]);
  // The stored length also goes to the length's local.
  const store = loop.body[3] as Extract<Expr, { k: "store" }>;
  assertEquals(store.v.k === "local.tee" && store.v.i, 20);
});

Deno.test("hoist: pushes to one store and reads of another keep every read in the loop", () => {
  const body = [loopOf(...pushVia(1), { k: "drop", v: field(2, 8) })];
  const { out, added } = hoist(body);
  assertEquals(added, 0);
  assertEquals(reads(out), ["1:0", "1:4", "1:8", "2:8"]);
  // A copy of the pushed store's local is the same store.
  const copy = [loopOf(set(2, get(1)), ...pushVia(1), { k: "drop", v: field(2, 8) })];
  assertEquals(hoist(copy).added, 3);
  // Any other call still keeps them.
  const other = [loopOf(...pushVia(1), { k: "drop", v: { k: "call", f: 3, args: [] } })];
  assertEquals(hoist(other).added, 0);
});

Deno.test("hoist: an inner loop is tried on its own when the outer one calls", () => {
  const call: Expr = { k: "drop", v: { k: "call", f: 3, args: [] } };
  const inner: Expr = {
    k: "loop",
    label: "L9",
    t: "none",
    body: [{ k: "drop", v: field(1, 0) }, { k: "br", label: "L9" }],
  };
  const { out, added } = hoist([loopOf(inner, call)]);
  assertEquals(added, 1);
  const outer = out[0] as Extract<Expr, { k: "loop" }>;
  assertEquals(reads([outer.body[0]]), ["1:0"]);
  assertEquals(reads(outer.body.slice(1)), []);
  // An outer loop that pushes to the store the inner one reads takes the reads itself.
  const push: Expr = { k: "store", op: "i32.store", addr: get(1), v: get(9), offset: 0 };
  const both = hoist([loopOf(inner, push)]);
  assertEquals(both.added, 1);
  assertEquals(reads(both.out.slice(0, 1)), ["1:0"]);
  assertEquals(reads(both.out.slice(1)), []);
});

// ── programs ──

/** Runs with the JIT off, then on at threshold 1 and at 1 pausing at every chance: all equal. */
async function same(src: string, expected: string) {
  const vm = await run(src, { jit: { enabled: false } });
  assertEquals(vm.output + (vm.error?.message ?? ""), expected);
  for (const jit of [{ threshold: 1 }, { threshold: 1, pauseBudget: 1 }, { threshold: 10 }]) {
    const r = await run(src, { jit: { enabled: true, ...jit } });
    assertEquals(r.output, vm.output, JSON.stringify(jit));
    assertEquals(r.error?.message ?? null, vm.error?.message ?? null);
    assertEquals(r.exitCode, vm.exitCode);
  }
}

Deno.test("hoist: loops reading arrays that pushes, calls and other names change", async () => {
  // The outer loop pushes; the inner one reads the length and elements each round.
  await same(
    `
func f() {
    xs := [1]
    t := 0
    for r in 30 {
        j := 0
        while j < len(xs) {
            t += xs[j]
            j += 1
        }
        xs.push(r)
    }
    return t
}
print(f())`,
    "4090\n",
  );
  // A call in the loop pushes to the global array the loop reads.
  await same(
    `
gs := [5]
func grow(v) { gs.push(v) }
func f() {
    t := 0
    i := 0
    while i < len(gs) {
        t += gs[i]
        if i < 40 { grow(i) }
        i += 1
    }
    return t
}
print(f(), len(gs))`,
    "785 41\n",
  );
  // Two names, one array: changes through one are seen through the other, which is copied
  // when pushed to.
  await same(
    `
func f() {
    xs := [0, 0, 0, 0]
    ys := xs
    t := 0
    for r in 20 {
        k := 0
        while k < len(xs) {
            xs[k] = xs[k] + r
            t += ys[k]
            k += 1
        }
        if r % 5 == 0 { ys.push(r) }
    }
    return [t, xs, ys]
}
print(f())`,
    "[0, [190, 190, 190, 190], [0, 0, 0, 0, 0, 5, 10, 15]]\n",
  );
  // A for loop over an array whose elements its body changes, then a pop between rounds.
  await same(
    `
func f() {
    xs := []
    for i in 50 { xs.push(i * 1.5) }
    t := 0.0
    for r in 10 {
        for x in xs {
            t += x
        }
        k := 0
        while k < len(xs) {
            xs[k] = xs[k] * 0.5
            k += 1
        }
        xs.pop()
    }
    return t
}
print(f())`,
    "3528.826171875\n",
  );
});
