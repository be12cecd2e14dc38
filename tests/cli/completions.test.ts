/**
 * `ruff completions bash|zsh|fish`: the scripts are generated from the spec, load in their
 * shells, and complete commands, flags, flag values and files. zsh and fish checks are skipped
 * when those shells are not installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ROOT, ruff, sh, tempDir, which } from "./_cli.ts";
import { COMMANDS, flagsOf } from "../../lib/cli/spec.ts";

const DENO = Deno.execPath();
const scripts = new Map<string, string>();
async function script(shell: string): Promise<string> {
  if (!scripts.has(shell)) {
    const r = await ruff(["completions", shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    scripts.set(shell, r.stdout);
  }
  return scripts.get(shell)!;
}

Deno.test("completions: bash script registers with `complete -F _ruff ruff`", async () => {
  const r = await sh("bash", [
    "-c",
    `source <(${DENO} run -A ${ROOT}cli.ts completions bash) && complete -p ruff`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "complete -F _ruff ruff\n");
});

Deno.test("completions: bash completes commands, flags, values and .ruff files", async () => {
  const dir = tempDir({ "prog.ruff": "", "notes.txt": "" });
  Deno.mkdirSync(`${dir}sub`);
  const file = `${dir}ruff.bash`;
  Deno.writeTextFileSync(file, await script("bash"));
  const probe = (words: string[]) =>
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; ` +
    `_ruff; echo "$(printf '%s\\n' "\${COMPREPLY[@]}" | sort -u | tr '\\n' ' ')"`;
  const cases: [string[], string][] = [
    [["ruff", "be"], "bench "],
    [["ruff", "test"], "test test-run "],
    [["ruff", "bench", "--j"], "--jit-backend --jit-dump --jit-stats --jit-threshold --json "],
    [["ruff", "run", "--jit-backend", ""], "binaryen direct "],
    [["ruff", "completions", ""], "bash fish zsh "],
    [["ruff", "help", "pro"], "profile "],
    [["ruff", "profile", "x.ruff", "--fl"], "--flamegraph "],
    [["ruff", "run", ""], "prog.ruff sub "],
    [["ruff", "--no-jit", "p"], "prog.ruff "],
    [
      ["ruff", "-"],
      "--dump-bytecode --help --interpreter --jit-backend --jit-dump --jit-stats " +
      "--jit-threshold --no-jit --version -V -h ",
    ],
  ];
  const body = cases.map(([w]) => probe(w)).join("\n");
  const r = await sh("bash", ["-c", `source ${file}\n${body}`], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const got = r.stdout.split("\n").slice(0, cases.length);
  cases.forEach(([w, want], i) => assert.equal(got[i], want, `completing: ${w.join(" ")}`));
});

Deno.test("completions: every command and flag of the spec is in every script", async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const text = await script(shell);
    for (const c of COMMANDS) {
      assert.ok(text.includes(c.name), `${shell}: ${c.name}`);
      for (const f of flagsOf(c)) {
        const needle = shell === "fish" ? `-l ${f.long}` : `--${f.long}`;
        assert.ok(text.includes(needle), `${shell}: ${c.name} --${f.long}`);
      }
    }
  }
  assert.ok((await script("zsh")).startsWith("#compdef ruff\n"));
});

Deno.test({
  name: "completions: zsh script parses and registers _ruff (zsh)",
  ignore: which("zsh") === null,
  async fn() {
    const dir = tempDir({ "_ruff": await script("zsh") });
    const n = await sh("zsh", ["-n", `${dir}_ruff`]);
    assert.equal(n.code, 0, n.stderr);
    const r = await sh("zsh", [
      "-f",
      "-c",
      `autoload -U compinit && compinit -u -d ${dir}zcompdump && source ${dir}_ruff && ` +
      `print -r -- "$_comps[ruff]"`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "_ruff\n");
  },
});

Deno.test({
  name: "completions: fish script parses and completes (fish)",
  ignore: which("fish") === null,
  async fn() {
    const dir = tempDir({ "ruff.fish": await script("fish"), "prog.ruff": "", "x.txt": "" });
    const n = await sh("fish", ["-n", `${dir}ruff.fish`]);
    assert.equal(n.code, 0, n.stderr);
    const complete = async (line: string) => {
      const r = await sh("fish", ["-c", `source ${dir}ruff.fish; complete -C '${line}'`], {
        cwd: dir,
      });
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]).sort();
    };
    assert.deepEqual(await complete("ruff be"), ["bench"]);
    assert.deepEqual(await complete("ruff run --jit-backend "), ["binaryen", "direct"]);
    assert.deepEqual(await complete("ruff completions "), ["bash", "fish", "zsh"]);
    assert.deepEqual(await complete("ruff check "), ["prog.ruff"]);
    assert.ok((await complete("ruff bench --")).includes("--iterations"));
  },
});
