/**
 * Rewrites the `case N /* NAME *\/:` labels of `lib/vm.ts` from the opcode table in
 * `lib/opcodes.ts`. The VM switches on numeric literals (V8 turns that into a jump table;
 * property loads of `Op.X` it does not), so after any change to the table run:
 *
 * ```sh
 * deno run --allow-read --allow-write tools/sync_opcodes.ts
 * ```
 *
 * `tests/opcodes.test.ts` fails when the labels are out of date.
 *
 * @module
 */

import { Op } from "../lib/opcodes.ts";

const LABEL = /case (\d+) \/\* ([A-Z_0-9]+) \*\/:/g;

/** Returns `source` with every case label renumbered from the table. */
export function syncLabels(source: string): string {
  return source.replace(LABEL, (_m, _n, name: string) => {
    const code = (Op as Record<string, number>)[name];
    if (code === undefined) throw new Error(`Unknown opcode in lib/vm.ts: ${name}`);
    return `case ${code} /* ${name} */:`;
  });
}

if (import.meta.main) {
  const path = new URL("../lib/vm.ts", import.meta.url);
  const before = Deno.readTextFileSync(path);
  const after = syncLabels(before);
  if (after !== before) Deno.writeTextFileSync(path, after);
  console.log(after === before ? "lib/vm.ts is up to date" : "lib/vm.ts updated");
}
