import assert from "node:assert/strict";
import { dictOf } from "../../lib/values.ts";
import { console_, setStdinReader } from "../../lib/runtime/console.ts";
import { A, F, harness } from "./_helpers.ts";

const { ctx, run, eq, fails } = harness(console_);

/** Feeds `text` to `input` in chunks of `size` bytes. */
function feed(text: string, size = 3): void {
  const data = new TextEncoder().encode(text);
  let pos = 0;
  setStdinReader((buf) => {
    if (pos >= data.length) return null;
    const n = Math.min(size, buf.length, data.length - pos);
    buf.set(data.subarray(pos, pos + n));
    pos += n;
    return n;
  });
}

Deno.test("print writes display forms joined by spaces", () => {
  ctx.out = "";
  eq("print", [1, F(2), "x", true, null, A(1, "a"), dictOf([["k", F(0.5)]])], null);
  assert.equal(ctx.out, '1 2 x true null [1, a] {"k": 0.5}\n');
  ctx.out = "";
  run("print");
  assert.equal(ctx.out, "\n");
});

Deno.test("input reads lines, strips trailing whitespace, null at EOF", () => {
  feed("first line  \r\nsecond😀\n\nlast");
  ctx.out = "";
  eq("input", ["> "], "first line");
  assert.equal(ctx.out, "> ");
  eq("input", [], "second😀");
  eq("input", [], "");
  eq("input", [], "last");
  eq("input", [], null);
  eq("input", [], null);
  fails("input", [5], "input() requires a string prompt");
  feed("");
  eq("input", [], null);
});
