/**
 * The profiler behind `ruff profile` (LANGUAGE.md §17.1): {@link ProfileHooks} that time every
 * Ruff function activation with `performance.now()`, and reports built from them.
 *
 * ```ts
 * const profiler = new Profiler();
 * session.vm.prof = profiler;
 * profiler.start();
 * await runSession(session, source);
 * profiler.stop();
 * console.error(profiler.report());
 * ```
 *
 * Per function it keeps the call count, the self time (time in the function's own code) and the
 * total (inclusive) time. A recursive function's total counts only its outermost active
 * activation, so nested activations are not counted twice. It also builds a call tree (one node
 * per distinct stack) for folded stacks and flame graphs; the program's top level is the root,
 * `main`.
 *
 * The hooks see only what the VM reports: a `leave` that does not match the frame on top of the
 * profiler's own stack (a frame it never saw entered) is ignored.
 *
 * @module
 */

import type { FuncProto } from "./bytecode.ts";
import type { Frame } from "./handles.ts";
import type { ProfileHooks } from "./vm.ts";

/** Totals for one function. */
export interface FunctionProfile {
  /** Display name: `name`, `Struct.method` or `<anonymous@LINE>`. */
  name: string;
  /** File the function was defined in. */
  file: string;
  /** First source line of its code (0 when unknown). */
  line: number;
  /** Number of calls. */
  calls: number;
  /** Inclusive time in ms (outermost activations only, so recursion is not counted twice). */
  totalMs: number;
  /** Time in the function's own code, in ms. */
  selfMs: number;
}

/** One node of the call tree: a distinct stack such as `main;outer;inner`. */
export class StackNode {
  /** Self time spent with exactly this stack, in ms. */
  selfMs = 0;
  /** Calls that produced this stack. */
  calls = 0;
  /** Child stacks by function name. */
  readonly children = new Map<string, StackNode>();
  /** A node for the function `name` (`main` for the root). */
  constructor(readonly name: string) {}
  /** The child for `name`, created on first use. */
  child(name: string): StackNode {
    let c = this.children.get(name);
    if (c === undefined) {
      c = new StackNode(name);
      this.children.set(name, c);
    }
    return c;
  }
  /** Self time of this node and all below it, in ms. */
  totalMs(): number {
    let t = this.selfMs;
    for (const c of this.children.values()) t += c.totalMs();
    return t;
  }
  /** Number of nodes in this subtree, this one included. */
  size(): number {
    let n = 1;
    for (const c of this.children.values()) n += c.size();
    return n;
  }
}

interface Stat extends FunctionProfile {
  active: number;
}

interface Activation {
  frame: Frame;
  stat: Stat;
  node: StackNode;
  start: number;
  /** Inclusive time of the calls made from this activation so far. */
  inner: number;
}

function label(frame: Frame, line: number): string {
  const c = frame.closure;
  const name = c?.name ?? frame.proto.name;
  const base = name ?? `<anonymous@${line}>`;
  return c?.owner ? `${c.owner.name}.${base}` : base;
}

/** Call hooks that time each function; see the module documentation. */
export class Profiler implements ProfileHooks {
  private readonly stats = new Map<FuncProto, Stat>();
  private readonly stack: Activation[] = [];
  /** The call tree; the root is the program's top level. */
  readonly root: StackNode = new StackNode("main");
  private t0 = 0;
  private t1 = 0;
  private outer = 0;
  private running = false;

  /** Starts the clock (call just before the run). */
  start(): void {
    this.t0 = performance.now();
    this.running = true;
  }

  /** Stops the clock, closing activations that never left (call just after the run). */
  stop(): void {
    if (!this.running) return;
    while (this.stack.length) this.leave(this.stack[this.stack.length - 1].frame);
    this.t1 = performance.now();
    this.running = false;
    this.root.selfMs = Math.max(0, this.t1 - this.t0 - this.outer);
  }

  /** Wall-clock time between {@link start} and {@link stop}, in ms. */
  get elapsedMs(): number {
    return (this.running ? performance.now() : this.t1) - this.t0;
  }

  /** Hook: a frame for a Ruff function was pushed. */
  enter(frame: Frame): void {
    const proto = frame.proto;
    let stat = this.stats.get(proto);
    if (stat === undefined) {
      const line = proto.lines.find((l) => l > 0) ?? 0;
      stat = {
        name: label(frame, line),
        file: proto.file,
        line,
        calls: 0,
        totalMs: 0,
        selfMs: 0,
        active: 0,
      };
      this.stats.set(proto, stat);
    }
    stat.calls++;
    stat.active++;
    const top = this.stack[this.stack.length - 1];
    const node = (top ? top.node : this.root).child(stat.name);
    node.calls++;
    this.stack.push({ frame, stat, node, start: performance.now(), inner: 0 });
  }

  /** Hook: a frame was popped; ignored unless it is the frame on top of the profiler's stack. */
  leave(frame: Frame): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top.frame !== frame) return;
    this.stack.pop();
    const elapsed = performance.now() - top.start;
    const self = elapsed - top.inner;
    top.stat.selfMs += self;
    top.node.selfMs += self;
    if (--top.stat.active === 0) top.stat.totalMs += elapsed;
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.inner += elapsed;
    else this.outer += elapsed;
  }

  /** Per-function totals, sorted by total time (then self time, then name). */
  functions(): FunctionProfile[] {
    return [...this.stats.values()]
      .map(({ active: _, ...f }) => f)
      .sort((a, b) => b.totalMs - a.totalMs || b.selfMs - a.selfMs || (a.name < b.name ? -1 : 1));
  }

  /**
   * Folded stacks, one line per call-tree node with self time: `main;outer;inner COUNT`, where
   * COUNT is the node's self time in whole microseconds (nodes under 1 µs are left out). This is
   * the input format of flamegraph.pl, inferno and speedscope.
   */
  folded(): string {
    const lines: string[] = [];
    const walk = (n: StackNode, path: string) => {
      const us = Math.round(n.selfMs * 1000);
      if (us > 0) lines.push(`${path} ${us}`);
      for (const c of n.children.values()) walk(c, `${path};${c.name}`);
    };
    walk(this.root, this.root.name);
    return lines.join("\n") + (lines.length ? "\n" : "");
  }

  /** The table of §17.1: per function calls, total and self time; then the total time. */
  report(opts: { title?: string; bold?: (s: string) => string } = {}): string {
    const bold = opts.bold ?? ((s: string) => s);
    const fns = this.functions();
    const rows = fns.map((f) => [
      f.name,
      String(f.calls),
      f.totalMs.toFixed(3),
      f.selfMs.toFixed(3),
      `${f.file}:${f.line}`,
    ]);
    const head = ["Function", "Calls", "Total (ms)", "Self (ms)", "Location"];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const right = [false, true, true, true, false];
    const fmt = (r: string[]) =>
      "  " +
      r.map((c, i) => (right[i] ? c.padStart(w[i]) : i === r.length - 1 ? c : c.padEnd(w[i])))
        .join("  ");
    let s = opts.title ? `${opts.title}\n\n` : "";
    s += bold(fmt(head)) + "\n";
    if (rows.length === 0) s += "  (no Ruff function was called)\n";
    for (const r of rows) s += fmt(r) + "\n";
    s += `\nTotal execution time: ${(this.elapsedMs / 1000).toFixed(3)}s\n`;
    return s;
  }
}
