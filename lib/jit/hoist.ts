/**
 * Reads of array store headers hoisted out of loops: the length (offset 0), capacity (4) and
 * data address (8) of a store are read once before a loop, into locals, when nothing in the loop
 * changes them, or only the loop's own pushes to that one store do.
 *
 * Compiled code reads the length and the data address at every element access (`xs[i]`,
 * `xs[i] = v`, each round of a `for` over an array), and all three at every push, through the
 * local holding the header's address. V8 cannot keep them in
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
 * locals set before the loop.
 *
 * A loop that pushes (or pops) qualifies too when every header it reads or changes is the same
 * one (a single `l`): compiled code stores the new length to the header itself, and grows the
 * data block through the `agrow` import, which changes the capacity and the data address, never
 * the length. The store of a length then also sets the length's local, and after a growth the
 * other two are read again; each push then no longer waits for the length the push before it
 * stored (a loop of 1e6 pushes of a Bool, taken alone: 1.87 -> 1.47 ms with the length in a
 * local). Two different headers are never cached in such a loop: two names for one array are
 * two headers only until it is copied, and the pass does not rely on when that happens.
 *
 * A loop that does not qualify keeps its reads; the loops inside it are tried on their own.
 *
 * The pass runs on every compile, in JavaScript that is still cold then, so it walks the tree
 * once, noting what each loop does in the records of the loops open around it, and then changes
 * the reads it can replace in place. The code generator may put one read node at two places (an
 * index check compares with one length node twice); a node met inside two different loops, or
 * inside a loop and outside any, is left as it is.
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
  /**
   * Whether function `f` is the `agrow` import (it grows the data block of the store at its
   * first argument: capacity and data address change, the length does not).
   */
  isGrow(f: number): boolean;
}

type Loop = Extract<Expr, { k: "loop" }>;
type Load = Extract<Expr, { k: "load" }>;
type Store = Extract<Expr, { k: "store" }>;

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
  /** Stores of a length to a header (pushes and pops), by header local. */
  lengths: Map<number, Store[]>;
  /** Growths of a store's data block, by header local: the statement and its list. */
  grows: Map<number, { stmt: Expr; list: Expr[] }[]>;
  /** A call, or a store that may write a header, on a path that goes on. */
  clobber: boolean;
}

/** The field reads the pass replaces: the length, the capacity and the data address. */
const isField = (offset: number): boolean => offset === 0 || offset === 4 || offset === 8;

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

  /** The statement being visited, and its list (where a growth's reloads go after it). */
  let stmt: Expr | null = null, stmtList: Expr[] = body;
  const visitList = (list: Expr[], exiting: boolean): void => {
    const out = exiting || leaves(list);
    const [outerStmt, outerList] = [stmt, stmtList];
    for (let i = 0; i < list.length; i++) {
      stmt = list[i];
      stmtList = list;
      visit(list[i], list, out);
    }
    [stmt, stmtList] = [outerStmt, outerList];
  };
  /** Adds `v` to the list at `x` of the records of every open loop, per `pick`. */
  const note = <T>(pick: (l: LoopInfo) => Map<number, T[]>, x: number, v: T) => {
    for (let j = 0; j < open.length; j++) {
      const m = pick(open[j]);
      const l = m.get(x);
      if (l === undefined) m.set(x, [v]);
      else l.push(v);
    }
  };
  /** Visits up to three sub-expressions of one statement. */
  const sub = (parent: Expr[], exiting: boolean, a: Expr, b?: Expr, c?: Expr): void => {
    visit(a, parent, exiting);
    if (b !== undefined) visit(b, parent, exiting);
    if (c !== undefined) visit(c, parent, exiting);
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
        if (!exiting) {
          const a = e.args[0];
          if (
            e.k === "call" && env.isGrow(e.f) && a?.k === "local.get" && env.isHeader(a.i) &&
            stmt !== null
          ) {
            note((l) => l.grows, a.i, { stmt, list: stmtList });
          } else clobberAll();
        }
        for (let j = 0; j < e.args.length; j++) visit(e.args[j], parent, exiting);
        return;
      case "store": {
        const a = e.addr;
        if (!exiting && !safeStore(a)) {
          if (a.k === "local.get" && env.isHeader(a.i) && e.op === "i32.store" && e.offset === 0) {
            note((l) => l.lengths, a.i, e);
          } else clobberAll();
        }
        visit(a, parent, exiting);
        visit(e.v, parent, exiting);
        return;
      }
      case "load": {
        const a = e.addr;
        if (a.k === "local.get" && env.isHeader(a.i)) {
          if (e.op === "i32.load" && isField(e.offset)) {
            const inner = open.length > 0 ? open[open.length - 1] : null;
            if (seen.has(e) && seen.get(e) !== inner) shared.add(e);
            seen.set(e, inner);
            note((l) => l.reads, a.i, e);
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
          lengths: new Map(),
          grows: new Map(),
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
        return sub(parent, exiting, e.v);
      case "return":
        return e.v !== undefined ? sub(parent, exiting, e.v) : undefined;
      case "un":
        return sub(parent, exiting, e.a);
      case "bin":
        return sub(parent, exiting, e.a, e.b);
      case "br_if":
        return sub(parent, exiting, e.cond);
      case "select":
        return sub(parent, exiting, e.a, e.b, e.cond);
    }
  };
  const clobberAll = () => {
    for (let j = 0; j < open.length; j++) open[j].clobber = true;
  };

  visitList(body, false);

  // Outermost loops first: a read an outer loop took is no longer a load for the inner ones.
  for (const info of loops) {
    if (info.clobber || info.live === null || info.reads.size === 0) continue;
    const live = info.live;
    /** The local whose header `x` holds wherever the loop reads it, or -1. */
    const rootOf = (x: number): number => {
      const from = info.writes.get(x);
      if (from === undefined) return x;
      // A copy, not live at any header in the loop, of a local the loop never sets.
      return from < 0 || live.has(x) || info.writes.has(from) ? -1 : from;
    };
    const changes = info.lengths.size > 0 || info.grows.size > 0;
    if (changes) {
      // Every header the loop reads or changes must be one and the same.
      const roots = new Set<number>();
      for (const x of [...info.reads.keys(), ...info.lengths.keys(), ...info.grows.keys()]) {
        roots.add(rootOf(x));
      }
      if (roots.size !== 1 || roots.has(-1)) continue;
    }
    const pre: Expr[] = [];
    const cache = new Map<number, number>();
    const fieldOf = (root: number, offset: number): number => {
      const key = root * 16 + offset;
      let c = cache.get(key);
      if (c === undefined) {
        c = env.newLocal();
        cache.set(key, c);
        pre.push({
          k: "local.set",
          i: c,
          v: { k: "load", op: "i32.load", addr: { k: "local.get", i: root }, offset },
        });
      }
      return c;
    };
    for (const [x, reads] of info.reads) {
      const root = rootOf(x);
      if (root < 0) continue;
      for (const n of reads) {
        if (n.k !== "load" || shared.has(n)) continue;
        // The read becomes a read of the local (the node changes in place).
        const m = n as unknown as { k: string; i?: number; op?: string; addr?: Expr };
        m.k = "local.get";
        m.i = fieldOf(root, n.offset);
        delete m.op;
        delete m.addr;
      }
    }
    // A stored length also goes to the length's local; after a growth, the capacity and the
    // data address are read again.
    for (const [x, stores] of info.lengths) {
      const c = cache.get(rootOf(x) * 16);
      if (c === undefined) continue;
      for (const n of stores) n.v = { k: "local.tee", i: c, v: n.v };
    }
    for (const [x, grows] of info.grows) {
      const root = rootOf(x);
      const reload: Expr[] = [];
      for (const offset of [4, 8]) {
        const c = cache.get(root * 16 + offset);
        if (c === undefined) continue;
        reload.push({
          k: "local.set",
          i: c,
          v: { k: "load", op: "i32.load", addr: { k: "local.get", i: root }, offset },
        });
      }
      if (reload.length === 0) continue;
      for (const g of grows) g.list.splice(g.list.indexOf(g.stmt) + 1, 0, ...reload);
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
