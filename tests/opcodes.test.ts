import assert from "node:assert/strict";
import { Op, OP_DOC, OP_NAMES, OP_OPERANDS, OP_TARGET } from "../lib/opcodes.ts";
import { syncLabels } from "../tools/sync_opcodes.ts";

Deno.test("opcodes: the VM's case labels match the opcode table", () => {
  const vm = Deno.readTextFileSync(new URL("../lib/vm.ts", import.meta.url));
  assert.equal(syncLabels(vm), vm, "run tools/sync_opcodes.ts");
});

Deno.test("opcodes: every opcode but the unused ones is handled by the VM", () => {
  const vm = Deno.readTextFileSync(new URL("../lib/vm.ts", import.meta.url));
  const handled = new Set([...vm.matchAll(/case \d+ \/\* ([A-Z_0-9]+) \*\//g)].map((m) => m[1]));
  const missing = OP_NAMES.filter((n) => !handled.has(n));
  assert.deepEqual(missing, []);
});

Deno.test("opcodes: the table is consistent", () => {
  OP_NAMES.forEach((name, i) => {
    assert.equal(Op[name], i);
    assert.ok(OP_DOC[i].length > 0);
    assert.ok(OP_OPERANDS[i] >= 0);
  });
});

Deno.test("opcodes: arithmetic opcodes are consecutive (the VM groups them in one case)", () => {
  assert.equal(Op.SUB, Op.ADD + 1);
  assert.equal(Op.MUL, Op.ADD + 2);
  assert.equal(Op.DIV, Op.ADD + 3);
  assert.equal(Op.MOD, Op.ADD + 4);
});

Deno.test("opcodes: each semantics line names the operands, and jump targets are found from it", () => {
  OP_NAMES.forEach((name, i) => {
    if (OP_OPERANDS[i] === 0) return;
    const doc = OP_DOC[i];
    assert.equal(doc.slice(0, doc.indexOf(":")).split(" ").length, OP_OPERANDS[i], name);
  });
  const targets = OP_NAMES.filter((_, i) => OP_TARGET[i] > 0).map((n) =>
    `${n} ${OP_TARGET[Op[n]]}`
  );
  assert.deepEqual(targets.sort(), [
    "ITER_NEXT 1",
    "JUMP 1",
    "JUMP_IF_FALSE 1",
    "JUMP_IF_NOT_LT_LK 3",
    "JUMP_IF_NOT_LT_LL 3",
    "JUMP_IF_NOT_NULL 1",
    "JUMP_IF_TRUE 1",
    "LOOP 1",
    "MATCH 2",
    "WB_SKIP 1",
  ]);
});
