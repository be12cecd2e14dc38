/**
 * Globals in compiled loops. A loop unit that calls no Ruff function keeps the numeric globals
 * it uses in locals while it runs, loads them at each door and writes them back at every exit
 * and pause. Every program here runs with the JIT off and at several thresholds and pause
 * budgets; output, errors (with their lines) and exit codes must be the VM's.
 */
import { deepEqual as assertEquals } from "node:assert/strict";
import { run } from "../../mod.ts";

const CONFIGS = [
  { threshold: 1 },
  { threshold: 10 },
  { threshold: 10, pauseBudget: 1 },
  { threshold: 50, pauseBudget: 3 },
];

/**
 * Runs `src` with the JIT off, then on in each configuration; the globals named in `names` must
 * also end equal. Returns the VM's run.
 */
async function same(src: string, names: string[] = []) {
  const vm = await run(src, { jit: { enabled: false } });
  for (const jit of CONFIGS) {
    const r = await run(src, { jit: { enabled: true, ...jit } });
    const what = JSON.stringify(jit);
    for (const n of names) assertEquals(r.get(n), vm.get(n), `${n} ${what}`);
    assertEquals(r.output, vm.output, what);
    assertEquals(r.error?.message ?? null, vm.error?.message ?? null, what);
    assertEquals(r.error?.line ?? null, vm.error?.line ?? null, what);
    assertEquals(r.exitCode, vm.exitCode, what);
  }
  return vm;
}

async function stats(src: string): Promise<string> {
  return (await run(src, { jit: { threshold: 10, stats: true } })).errorText;
}

Deno.test("top-level loops over Int, Float and Bool globals match the VM", async () => {
  const vm = await same(`
k := 0
s := 0
f := 0.5
flag := false
while k < 20000 {
    s += k % 7
    f = f * 1.0001
    if k % 1000 == 0 { flag = !flag }
    k += 1
}
print(k, s, f, flag)
for i in 300 {
    s -= i
    if s < 60000 { break }
}
print(s)`);
  assertEquals(vm.output, "20000 59997 3.6941586397574047 false\n59997\n");
});

Deno.test("a promoted global is written back before every exit and pause", async () => {
  // The index error leaves compiled code in the middle of the loop: the VM raises it with the
  // globals as the loop left them (the run's globals are compared too). The second loop leaves
  // at an Int too large for a global to hold as it is, which the VM then stores.
  const vm = await same(
    `
n := 0
total := 0.5
xs := [1, 2, 3]
while n < 3000 {
    total += n * 3
    n += 1
    if n == 2500 { total += xs[n] }
}`,
    ["n", "total"],
  );
  assertEquals(vm.error?.message, "Index out of bounds: 2500");
  assertEquals(vm.get("n"), 2500);
  const w = await same(
    `
big := 9007199254740990
while big < 9007199254740999 { big += 1 }
func report() { return "big=" + to_string(big) }
print(report())`,
    ["big"],
  );
  assertEquals(w.output, "big=9007199254740999\n");
});

Deno.test("globals that change kind, consts and errors inside compiled loops", async () => {
  await same(`
x := 1
i := 0
while i < 200 {
    x = x * 2
    if x > 1000000 { x = x / 3.0 }
    i += 1
}
print(x)
const LIMIT := 50
j := 0
while j < 100 { j += 1 }
print(j, LIMIT)
m := 0
while m < 100 {
    m += 1
    if m == 90 { LIMIT = 3 }
}`);
  await same(`
acc := 9223372036854775000
q := 0
while q < 2000 {
    acc += 1
    q += 1
}
print(acc)`);
});

Deno.test("a function that folded a global in sees the value a compiled loop wrote", async () => {
  const vm = await same(`
g := 1
func twice() { return g * 2 }
t := 0
for i in 100 { t += twice() }
k := 0
while k < 1000 {
    g = g + 1
    k += 1
}
print(t, twice(), g)`);
  assertEquals(vm.output, "200 2002 1001\n");
});

Deno.test("a loop that calls a function keeps its globals where the function sees them", async () => {
  const vm = await same(`
hits := 0
func hit(v) {
    hits += v
    return hits
}
c := 0
last := 0
while c < 500 {
    last = hit(c % 3)
    c += 1
}
print(c, hits, last)`);
  assertEquals(vm.output, "500 499 499\n");
});

Deno.test("a top-level loop over globals compiles once and runs without exits", async () => {
  const s = await stats(`
k := 0
s := 0
while k < 50000 {
    s += k % 7
    k += 1
}
print(s)`);
  assertEquals(/compiled: 0 function\(s\), 1 loop\(s\)/.test(s), true, s);
  assertEquals(/exits to the VM, by reason:\n +1 +leaves the loop\n/.test(s), true, s);
});

Deno.test("global arrays in top-level loops: stores found at the doors, shared ones copied", async () => {
  // Each loop unit looks up the stores of the global arrays it uses, and checks that those it
  // changes are unshared, at its doors; a shared one makes the door leave to the VM, which
  // copies it. An iterator over the array being changed keeps the check in the loop.
  const vm = await same(
    `
a := []
for i in 3000 { a.push(i % 11) }
b := a
k := 0
while k < 3000 {
    a[k] = a[k] * 2
    k += 1
}
total := 0
for x in a {
    total += x
    a[0] = x
}
c := [1.5, 2.5]
m := 0
while m < 2000 {
    c.push(c[m] + c[m + 1])
    m += 1
}
print(len(a), a[1], a[2999], b[1], b[2999], total, a[0], len(c), c[20])`,
    ["total", "k", "m"],
  );
  assertEquals(vm.output, "3000 2 14 1 7 29976 14 2002 23184\n");
});
