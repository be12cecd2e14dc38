/**
 * Handle values owned by the VM: generators, lazy iterators, promises, channels and task
 * handles (LANGUAGE.md §12–§13).
 *
 * @module
 */

import { Closure, type Cow, Handle, type Upvalue, type Value } from "./values.ts";
import type { FuncProto } from "./bytecode.ts";

/** Marks the end of an iteration. */
export const DONE: unique symbol = Symbol("done");

/** A call frame. */
export class Frame {
  ip = 0;
  /** 0: plain call; 1: push a no-op write-back mark after the result; 2: push the receiver. */
  wb = 0;
  /** Negate the truthiness of the result (`!=` through `op_eq`). */
  negate = false;
  /** An `execute` invocation stops when this frame returns. */
  boundary = false;
  /** The result is wrapped in a fulfilled promise (async function). */
  asyncWrap = false;
  /**
   * Containers this frame's `PIN`s hold while later operands run, latest last; `UNPIN`
   * releases them (copy-on-write, LANGUAGE.md §3.2). Null when none.
   */
  pins: Cow[] | null = null;
  /** A frame whose return needs none of the special handling above. */
  get plain(): boolean {
    return this.wb === 0 && !this.negate && !this.boundary && !this.asyncWrap;
  }
  constructor(
    public closure: Closure,
    public proto: FuncProto,
    public base: number,
    public globals: Globals,
  ) {}
}

/** A module's global scope. */
export class Globals {
  values: (Value | undefined)[] = [];
  consts: boolean[] = [];
  exports = new Set<string>();
  /** Called with the slot of every global write once the JIT watches this scope. */
  watch: ((g: number) => void) | null = null;
  constructor(
    readonly table: { names: string[]; index: Map<string, number>; slot(n: string): number },
    readonly file: string,
    /** Directory of the main program (module resolution). */
    readonly mainDir: string,
  ) {}
  /** Reads a global by name (undefined when unbound). */
  get(name: string): Value | undefined {
    const i = this.table.index.get(name);
    return i === undefined ? undefined : this.values[i];
  }
  /** Binds a global by name. */
  set(name: string, v: Value): void {
    const g = this.table.slot(name);
    this.values[g] = v;
    if (this.watch !== null) this.watch(g);
  }
}

/** An execution context: value stack, frames and open upvalues. */
export class Fiber {
  stack: Value[] = new Array(256).fill(null);
  sp = 0;
  frames: Frame[] = [];
  /** Plain frames for reuse by the fast call path, by depth (only plain frames live here). */
  pool: Frame[] = [];
  openUpvals: Upvalue[] = [];
}

/** A generator (LANGUAGE.md §12). */
export class RGenerator extends Handle {
  readonly typeName = "generator";
  state: "new" | "suspended" | "running" | "done" = "new";
  constructor(readonly fiber: Fiber) {
    super();
  }
}

/** A lazy iterator pipeline (LANGUAGE.md §12.4). */
export class RIterator extends Handle {
  readonly typeName = "iterator";
  constructor(readonly pull: () => Value | typeof DONE) {
    super();
  }
}

/** A promise (LANGUAGE.md §13.3, §13.5). */
export class RPromise extends Handle {
  readonly typeName = "promise";
  state: "pending" | "fulfilled" | "rejected" = "pending";
  value: Value = null;
  /** The JS promise that settles it, for pending promises from natives. */
  settle: Promise<void> | null = null;
  static fulfilled(v: Value): RPromise {
    const p = new RPromise();
    p.state = "fulfilled";
    p.value = v;
    return p;
  }
  static rejected(reason: Value): RPromise {
    const p = new RPromise();
    p.state = "rejected";
    p.value = reason;
    return p;
  }
  /** A promise that follows a JS promise. */
  static from(js: Promise<Value>): RPromise {
    const p = new RPromise();
    p.settle = js.then(
      (v) => {
        p.state = "fulfilled";
        p.value = v;
      },
      (e) => {
        p.state = "rejected";
        p.value = e instanceof Error ? e.message : String(e);
      },
    );
    return p;
  }
}

/** An unbounded FIFO channel (LANGUAGE.md §13.4). */
export class RChannel extends Handle {
  readonly typeName = "channel";
  queue: Value[] = [];
}

/** A queued or finished task (LANGUAGE.md §13.2, §13.6). */
export class Task {
  state: "queued" | "running" | "done" | "cancelled" = "queued";
  result: RPromise = new RPromise();
  constructor(readonly fn: Value, readonly isSpawn: boolean) {}
}

/** The handle `spawn_task` returns. */
export class RTaskHandle extends Handle {
  readonly typeName = "taskhandle";
  constructor(readonly task: Task) {
    super();
  }
}

/** Upvalue constructor helper. */
export function closedUpvalue(v: Value): Upvalue {
  return { stack: null, index: 0, value: v };
}

export { Closure };
