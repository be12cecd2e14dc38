/**
 * JIT settings shared by the runner, the CLI and `mod.ts`.
 *
 * @module
 */

/** Which wasm emitter the JIT uses. */
export type JitBackend = "direct" | "binaryen";

/** Options of the WebAssembly JIT (issue: tiering, backends, statistics). */
export interface JitOptions {
  /** Compile hot code to WebAssembly (default true; `--no-jit` sets false). */
  enabled?: boolean;
  /**
   * Calls of a function, or back-edges of a loop, before it is compiled (default
   * {@link DEFAULT_JIT_THRESHOLD}; `--jit-threshold=N`, env `RUFF_JIT_THRESHOLD`).
   */
  threshold?: number;
  /** Wasm emitter: the built-in binary encoder (default) or binaryen (`--jit-backend`). */
  backend?: JitBackend;
  /** Print statistics to stderr after the run (`--jit-stats`). */
  stats?: boolean;
  /** Print every compiled unit as WAT to stderr, validated by binaryen (`--jit-dump`). */
  dump?: boolean;
  /**
   * Back-edges a compiled loop runs before it pauses so that V8's optimised code can take over
   * (default 4096 at first, doubling at each pause up to 16384; a value sets that cap, up to
   * 2^30). A small value only makes loops pause more often: tests use 1 to check that every kind
   * of state survives a pause.
   */
  pauseBudget?: number;
}

/**
 * Default tiering threshold (calls or loop back-edges). Chosen with `bench/programs` and the
 * installed command (in-program times, 5 runs each): against 1000, a threshold of 50 took fib(30)
 * from 13.9 to 9.2 ms, mandelbrot from 20.9 to 11.5 ms and fib_iter from 15.4 to 9.0 ms, and was
 * the best or level on the others; LuaJIT's hot-loop count is 56.
 */
export const DEFAULT_JIT_THRESHOLD = 50;

/** Reads `RUFF_JIT_THRESHOLD` / `RUFF_JIT` / `RUFF_JIT_BACKEND` from the environment, when allowed. */
export function jitEnvDefaults(): JitOptions {
  const out: JitOptions = {};
  try {
    const t = Deno.env.get("RUFF_JIT_THRESHOLD");
    if (t !== undefined && /^\d+$/.test(t)) out.threshold = Number(t);
    const b = Deno.env.get("RUFF_JIT_BACKEND");
    if (b === "direct" || b === "binaryen") out.backend = b;
    const on = Deno.env.get("RUFF_JIT");
    if (on === "0" || on === "off") out.enabled = false;
  } catch {
    // no --allow-env: defaults
  }
  return out;
}
