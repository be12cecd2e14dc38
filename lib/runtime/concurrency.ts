/**
 * Natives that need the VM's task queue and promises: channels, task handles and the async
 * built-ins that need no network (builtins.md §3.20–3.21, LANGUAGE.md §13).
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { RChannel, RPromise, RTaskHandle, Task } from "../handles.ts";
import type { VM } from "../vm.ts";
import { arrayOf, isCallable, type NativeContext, type NativeFn, type Value } from "../values.ts";
import type { NativeCategory } from "./registry.ts";

function intMs(name: string, v: Value, what: string): number {
  if (typeof v !== "number") throw new RuffError(`${name}() requires an integer ${what} argument`);
  return v;
}

function pathArg(name: string, v: Value): string {
  if (typeof v !== "string") throw new RuffError(`${name}() requires a string path argument`);
  return v;
}

/** Builds the concurrency natives bound to one VM. */
export function concurrency(getVm: () => VM): NativeCategory {
  return {
    name: "concurrency",
    natives: [
      {
        name: "channel",
        params: "",
        min: 0,
        doc: "Creates an unbounded FIFO channel (methods send and receive).",
        impl: () => new RChannel(),
      },
      {
        name: "spawn_task",
        params: "fn",
        min: 1,
        doc: "Queues a task calling fn() and returns its handle.",
        impl: ([fn]) => {
          if (!isCallable(fn)) {
            throw new RuffError("spawn_task() requires an async function argument");
          }
          const t = new Task(fn, false);
          getVm().tasks.push(t);
          return new RTaskHandle(t);
        },
      },
      {
        name: "await_task",
        params: "handle",
        min: 1,
        doc: "Runs the task now if it has not started; returns a promise of its result.",
        impl: ([h]) => {
          if (!(h instanceof RTaskHandle)) {
            throw new RuffError("await_task() requires a TaskHandle argument");
          }
          const vm = getVm();
          const t = h.task;
          if (t.state === "cancelled") return RPromise.rejected("Task was cancelled");
          if (t.state === "queued") {
            const i = vm.tasks.indexOf(t);
            if (i >= 0) vm.tasks.splice(i, 1);
            vm.runTask(t);
          }
          return t.result;
        },
      },
      {
        name: "cancel_task",
        params: "handle",
        min: 1,
        doc: "Removes a task that has not started; true when this call cancelled it.",
        impl: ([h]) => {
          if (!(h instanceof RTaskHandle)) {
            throw new RuffError("cancel_task() requires a TaskHandle argument");
          }
          const vm = getVm();
          if (h.task.state !== "queued") return false;
          const i = vm.tasks.indexOf(h.task);
          if (i >= 0) vm.tasks.splice(i, 1);
          h.task.state = "cancelled";
          h.task.result.state = "rejected";
          h.task.result.value = "Task was cancelled";
          return true;
        },
      },
      {
        name: "async_sleep",
        params: "ms",
        min: 1,
        doc: "A promise fulfilled with null after ms milliseconds.",
        impl: ([ms]) => {
          const n = intMs("async_sleep", ms, "milliseconds");
          if (n < 0) {
            throw new RuffError(`async_sleep() requires non-negative milliseconds, got ${n}`);
          }
          return RPromise.from(new Promise((res) => setTimeout(() => res(null), n)));
        },
      },
      {
        name: "async_timeout",
        params: "promise, ms",
        min: 2,
        doc: "Settles like promise if it settles within ms milliseconds, else rejects.",
        impl: ([p, ms]) => {
          if (!(p instanceof RPromise)) {
            throw new RuffError("async_timeout() requires a Promise as first argument");
          }
          const n = intMs("async_timeout", ms, "timeout_ms");
          if (n <= 0) throw new RuffError(`async_timeout() requires positive timeout_ms, got ${n}`);
          if (p.state !== "pending") {
            return p.state === "fulfilled"
              ? RPromise.fulfilled(p.value)
              : RPromise.rejected(`Promise rejected: ${p.value}`);
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          const js = Promise.race([
            p.settle!.then(() => {
              if (p.state === "rejected") throw new Error(`Promise rejected: ${p.value}`);
              return p.value;
            }),
            new Promise<Value>((_, rej) => {
              timer = setTimeout(() => rej(new Error(`Timeout after ${n}ms`)), n);
            }),
          ]).finally(() => clearTimeout(timer));
          return RPromise.from(js);
        },
      },
      {
        name: "async_read_file",
        params: "path",
        min: 1,
        doc: "A promise of the text of a file.",
        impl: ([path]) => {
          const p = pathArg("async_read_file", path);
          return RPromise.from(
            Deno.readTextFile(p).catch((e) => {
              throw new Error(`Failed to read file '${p}': ${(e as Error).message}`);
            }),
          );
        },
      },
      {
        name: "async_write_file",
        params: "path, content",
        min: 2,
        doc: "A promise fulfilled with true once the file is written.",
        impl: ([path, content]) => {
          const p = pathArg("async_write_file", path);
          if (typeof content !== "string") {
            throw new RuffError("async_write_file() requires a string content argument");
          }
          return RPromise.from(
            Deno.writeTextFile(p, content).then(() => true, (e) => {
              throw new Error(`Failed to write file '${p}': ${(e as Error).message}`);
            }),
          );
        },
      },
      ...(["read_file", "write_file", "list_dir"] as const).map((sync) => ({
        name: `${sync}_async`,
        params: sync === "write_file" ? "path, content" : "path",
        min: sync === "write_file" ? 2 : 1,
        doc: `A promise of what ${sync} returns (the work is done at call time, §13.5).`,
        impl: (args: Value[], ctx: NativeContext) => {
          // The runner loads `sync`'s category whenever a program names `${sync}_async`.
          const fn = getVm().builtins.get(sync) as NativeFn;
          try {
            return RPromise.fulfilled(fn.impl(args, ctx) as Value);
          } catch (e) {
            if (e instanceof RuffError) return RPromise.rejected(e.message);
            throw e;
          }
        },
      })),
      ...["promise_all", "await_all"].map((name) => ({
        name,
        params: "promises",
        min: 1,
        doc: "A promise of the values of all the promises, in order.",
        impl: ([ps]: Value[]) => promiseAll(ps),
      })),
    ],
  };
}

function promiseAll(ps: Value): Value {
  const items = (ps as { items?: Value[] })?.items;
  if (!Array.isArray(items)) throw new RuffError("Promise.all() requires an array of promises");
  items.forEach((p, i) => {
    if (!(p instanceof RPromise)) {
      throw new RuffError(`Promise.all() array element ${i} is not a Promise`);
    }
  });
  const promises = items as RPromise[];
  if (promises.every((p) => p.state !== "pending")) {
    const bad = promises.findIndex((p) => p.state === "rejected");
    if (bad >= 0) return RPromise.rejected(`Promise ${bad} rejected: ${promises[bad].value}`);
    return RPromise.fulfilled(arrayOf(promises.map((p) => p.value)));
  }
  return RPromise.from(
    Promise.all(promises.map((p) => p.settle ?? Promise.resolve())).then(() => {
      const bad = promises.findIndex((p) => p.state === "rejected");
      if (bad >= 0) throw new Error(`Promise ${bad} rejected: ${promises[bad].value}`);
      return arrayOf(promises.map((p) => p.value));
    }),
  );
}
