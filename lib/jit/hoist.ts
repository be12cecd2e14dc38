/**
 * Reads of array store headers hoisted out of loops: the length (offset 0) and the data address
 * (offset 8) of a store are read once before a loop, into locals, when nothing in the loop can
 * change them.
 *
 * Compiled code reads both at every element access (`xs[i]`, `xs[i] = v`, each round of a `for`
 * over an array), through the local holding the header's address. V8 cannot keep them in
 * registers itself: any store in the loop might, for all it knows, write the header. Here the
 * code generator's knowledge settles it. A header changes only when compiled code pushes or pops
 * (it stores to the header), when an import runs (it may grow, copy or take back an array), or
 * when the local is set to another header. So a loop qualifies when, on the paths that go on
 * running it, it calls nothing and stores to no header; paths that leave the unit (an exit or
 * a pause: stores and calls, then a return or a throw, no branch) do not count, since the loop
 * does not go on after them.
 *
 * Each header local `x` read in such a loop is then either
 * - invariant: not set anywhere in the loop; or
 * - a copy of an invariant local `l`: every set of `x` in the loop copies `l`, and `x` is not
 *   live at the loop's header nor at the header of a loop inside it, where a door may enter (an
 *   operand stack slot the code pushes `l` to, whose every read in a round follows the round's
 *   push).
 *
 * In both cases `x` holds `l`'s header wherever it is read, and its reads become reads of the
 * locals set before the loop. A loop that does not qualify (a loop of pushes) keeps its reads;
 * the loops inside it are tried on their own.
 *
 * The pass runs on every compile, in JavaScript that is still cold then, so it walks the tree
 * once, noting what each loop does in the records of the loops open around it, and then changes
 * the reads it can replace in place. A read node met at two places (never, as the code generator
 * builds trees, but not impossible) is left as it is.
 *
 * @module
 */

import type { Expr } from "./ir.ts";

/** What the pass needs from the code generator. */
export interface HoistEnv {
  /** Whether local `i` holds a store header's address (an array's or an array iterator's). */
  isHeader(i: number): boolean;
  /**
   * The header locals that are live at the header of the loop labelled `label` (they may
   * hold a value from before the loop), or null when the loop is not one the pass knows.
   */
  liveAt(label: string): Set<number> | null;
  /** A new i32 local. */
  newLocal(): number;
}

type Loop = Extract<Expr, { k: "loop" }>;
type Load = Extract<Expr, { k: "load" }>;

/** What one loop does, as far as the pass cares. */
interface LoopInfo {
  node: Loop;
  /** The statement list holding the loop (the reads go just before it). */
  parent: Expr[];
  /** Header locals live at its header or at the header of a loop inside; null: unknown. */
  live: Set<number> | null;
  /**
   * Per local set in the loop: the local every set copies, or -1 (set to anything else, or
   * copies of different locals).
   */
  writes: Map<number, number>;
  /** The header field reads in the loop, by header local. */
  reads: Map<number, Load[]>;
  /** A call, or a store that may write a header, on a path that goes on. */
  clobber: boolean;
}

/** The field reads the pass replaces: the length and the data address. */
const isField = (offset: number): boolean => offset === 0 || offset === 8;

/**
 * Hoists the header reads of `body`'s qualifying loops (changing `body` in place: reads become
 * local reads, and the loads go before the loops).
 */
export function hoistHeaderReads(body: Expr[], env: HoistEnv): void {
  const loops: LoopInfo[] = [];
  const open: LoopInfo[] = [];
  /** Where each read was met (a read met twice is dropped from every loop). */
  const seen = new Map<Load, LoopInfo | null>();
  const shared = new Set<Load>();

  const visitList = (list: Expr[], exiting: boolean): void => {
    const out = exiting || leaves(list);
    for (let i = 0; i < list.length; i++) visit(list[i], list, out);
  };
  const visit = (e: Expr, parent: Expr[], exiting: boolean): void => {
    switch (e.k) {
      case "local.get":
      case "i32.const":
      case "i64.const":
      case "f64.const":
      case "global.get":
      case "ref.null":
      case "br":
      case "unreachable":
      case "nop":
      case "throw":
        return;
      case "local.set":
      case "local.tee": {
        const from = e.v.k === "local.get" ? e.v.i : -1;
        for (let j = 0; j < open.length; j++) {
          const w = open[j].writes;
          const old = w.get(e.i);
          if (old === undefined) w.set(e.i, from);
          else if (old !== from) w.set(e.i, -1);
        }
        visit(e.v, parent, exiting);
        return;
      }
      case "call":
      case "call_indirect":
        if (!exiting) clobberAll();
        for (let j = 0; j < e.args.length; j++) visit(e.args[j], parent, exiting);
        return;
      case "store":
        if (!exiting && !safeStore(e.addr)) clobberAll();
        visit(e.addr, parent, exiting);
        visit(e.v, parent, exiting);
        return;
      case "load": {
        const a = e.addr;
        if (a.k === "local.get" && env.isHeader(a.i)) {
          if (e.op === "i32.load" && isField(e.offset)) {
            const inner = open.length > 0 ? open[open.length - 1] : null;
            if (seen.has(e) && seen.get(e) !== inner) shared.add(e);
            seen.set(e, inner);
            for (let j = 0; j < open.length; j++) {
              const r = open[j].reads;
              const l = r.get(a.i);
              if (l === undefined) r.set(a.i, [e]);
              else l.push(e);
            }
          } else if (!exiting) clobberAll(); // a read the pass does not know: leave all be
        }
        visit(a, parent, exiting);
        return;
      }
      case "loop": {
        const live = env.liveAt(e.label);
        const info: LoopInfo = {
          node: e,
          parent,
          live: live === null ? null : new Set(live),
          writes: new Map(),
          reads: new Map(),
          clobber: false,
        };
        for (let j = 0; j < open.length; j++) {
          const o = open[j].live;
          if (o === null) continue;
          if (live === null) open[j].live = null;
          else for (const x of live) o.add(x);
        }
        loops.push(info);
        open.push(info);
        visitList(e.body, exiting);
        open.pop();
        return;
      }
      case "block":
        visitList(e.body, exiting);
        return;
      case "if":
        visit(e.cond, parent, exiting);
        visitList(e.then, exiting);
        if (e.else !== undefined) visitList(e.else, exiting);
        return;
      case "try":
        visitList(e.body, exiting);
        visitList(e.handler, exiting);
        return;
      case "global.set":
      case "drop":
        visit(e.v, parent, exiting);
        return;
      case "return":
        if (e.v !== undefined) visit(e.v, parent, exiting);
        return;
      case "un":
        visit(e.a, parent, exiting);
        return;
      case "bin":
        visit(e.a, parent, exiting);
        visit(e.b, parent, exiting);
        return;
      case "br_if":
        visit(e.cond, parent, exiting);
        return;
      case "select":
        visit(e.a, parent, exiting);
        visit(e.b, parent, exiting);
        visit(e.cond, parent, exiting);
        return;
    }
  };
  const clobberAll = () => {
    for (let j = 0; j < open.length; j++) open[j].clobber = true;
  };

  visitList(body, false);

  // Outermost loops first: a read an outer loop took is no longer a load for the inner ones.
  for (const info of loops) {
    if (info.clobber || info.live === null || info.reads.size === 0) continue;
    const pre: Expr[] = [];
    const cache = new Map<number, number>();
    for (const [x, reads] of info.reads) {
      const from = info.writes.get(x);
      let root = x;
      if (from !== undefined) {
        // A copy, not live at any header in the loop, of a local the loop never sets.
        if (from < 0 || info.live.has(x) || info.writes.has(from)) continue;
        root = from;
      }
      for (const n of reads) {
        if (n.k !== "load" || shared.has(n)) continue;
        const key = root * 16 + n.offset;
        let c = cache.get(key);
        if (c === undefined) {
          c = env.newLocal();
          cache.set(key, c);
          pre.push({
            k: "local.set",
            i: c,
            v: { k: "load", op: "i32.load", addr: { k: "local.get", i: root }, offset: n.offset },
          });
        }
        // The read becomes a read of the local (the node changes in place).
        const m = n as unknown as { k: string; i?: number; op?: string; addr?: Expr };
        m.k = "local.get";
        m.i = c;
        delete m.op;
        delete m.addr;
      }
    }
    if (pre.length > 0) info.parent.splice(info.parent.indexOf(info.node), 0, ...pre);
  }
}

/** A list that only leaves the unit: it ends in a return or a throw and branches nowhere. */
function leaves(list: Expr[]): boolean {
  const last = list[list.length - 1];
  if (last === undefined || (last.k !== "return" && last.k !== "throw")) return false;
  for (let i = 0; i < list.length; i++) if (branches(list[i])) return false;
  return true;
}

/** Whether `e` holds a branch or a loop. */
function branches(e: Expr): boolean {
  switch (e.k) {
    case "br":
    case "br_if":
    case "loop":
      return true;
    case "block":
      return e.body.some(branches);
    case "if":
      return e.then.some(branches) || (e.else?.some(branches) ?? false);
    case "try":
      return e.body.some(branches) || e.handler.some(branches);
    default:
      return false;
  }
}

/**
 * A store that cannot write a header: to a fixed address (the JIT's own cells below the heap),
 * through a global (the exit records), or to an element (data address + offset, the address
 * read from a header: elements are bounds-checked, and data blocks hold no headers).
 */
function safeStore(addr: Expr): boolean {
  if (addr.k === "i32.const" || addr.k === "global.get") return true;
  if (addr.k !== "bin" || addr.op !== "i32.add") return false;
  const base = addr.a;
  return base.k === "load" && base.op === "i32.load" && base.offset === 8;
}
