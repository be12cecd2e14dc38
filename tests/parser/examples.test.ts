import assert from "node:assert/strict";
import { parse } from "../../lib/parser.ts";
import { RuffSyntaxError } from "../../lib/errors.ts";
import { ok } from "./_helpers.ts";
import { SAMPLE_PROGRAMS } from "./_samples.ts";

Deno.test("sample programs covering the examples of LANGUAGE.md parse", () => {
  for (const src of SAMPLE_PROGRAMS) ok(src);
});

const SPEC = "/work/shared/spec/LANGUAGE.md";
let specText: string | null = null;
try {
  specText = Deno.readTextFileSync(SPEC);
} catch {
  specText = null;
}

Deno.test({
  name: "every ruff example block of LANGUAGE.md parses (except the schematic one)",
  ignore: specText === null,
  fn() {
    const blocks = [...specText!.matchAll(/```ruff\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length > 20);
    for (const b of blocks) {
      if (b.includes("…")) continue; // `match SUBJECT { case PATTERN: { … } }` is a schema
      ok(b);
    }
  },
});

const CASES = new URL("../spec/cases/", import.meta.url);
function caseFiles(): string[] {
  const out: string[] = [];
  try {
    for (const sub of ["", "modules/"]) {
      for (const e of Deno.readDirSync(new URL(sub, CASES))) {
        if (e.isFile && e.name.endsWith(".ruff")) out.push(sub + e.name);
      }
    }
  } catch {
    return [];
  }
  return out.sort();
}
const cases = caseFiles();

Deno.test({
  name: "spec cases: programs parse; Syntax Error cases report the expected first error",
  ignore: cases.length === 0,
  fn() {
    for (const name of cases) {
      const src = Deno.readTextFileSync(new URL(name, CASES));
      let expected = "";
      try {
        expected = Deno.readTextFileSync(new URL(name.replace(/\.ruff$/, ".err"), CASES));
      } catch {
        expected = "";
      }
      const base = name.split("/").pop()!;
      if (!expected.startsWith("Syntax Error: ")) {
        ok(src);
        continue;
      }
      let got: RuffSyntaxError | null = null;
      try {
        parse(src, base);
      } catch (e) {
        if (!(e instanceof RuffSyntaxError)) throw e;
        got = e;
      }
      assert.ok(got !== null, `${name} should not parse`);
      const [msgLine, locLine] = expected.split("\n");
      assert.equal(`Syntax Error: ${got.issues[0].message}`, msgLine, name);
      if (locLine && /:\d+:\d+$/.test(locLine)) {
        const i = got.issues[0];
        assert.equal(`${base}:${i.line}:${i.col}`, locLine.trim(), name);
      }
    }
  },
});
