/**
 * Every `examples/NAME.ruff` that has an `examples/NAME.out` runs through the CLI and must print
 * exactly that text and exit 0.
 */

import assert from "node:assert/strict";
import { assertRun, Prefetcher, readOptional, ROOT } from "./_helpers.ts";

const examples = [...Deno.readDirSync(`${ROOT}examples`)]
  .filter((e) => e.isFile && e.name.endsWith(".ruff"))
  .map((e) => e.name.slice(0, -".ruff".length))
  .filter((name) => readOptional(`${ROOT}examples/${name}.out`) !== undefined)
  .sort();

const runs = new Prefetcher((i) => [`examples/${examples[i]}.ruff`], examples.length);

Deno.test("examples: hello.ruff has an expected output", () => {
  assert.ok(examples.includes("hello"));
});

examples.forEach((name, i) => {
  Deno.test({
    name: `example: ${name}`,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      assertRun(await runs.get(i), readOptional(`${ROOT}examples/${name}.out`)!, 0);
    },
  });
});
