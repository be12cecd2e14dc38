/**
 * Libraries that are expensive to load (npm packages, Node compatibility modules) are imported
 * only when a program can use them: before a program (or module) runs, the runner calls
 * {@link preload} with the names it references, which loads the libraries of the natives named
 * there. Natives then read their library synchronously with {@link LazyLib.get}.
 *
 * @module
 */

import { RuffError } from "../errors.ts";

/** A library loaded on demand. */
export class LazyLib<T> {
  private value: T | undefined;
  private pending: Promise<void> | null = null;
  constructor(
    readonly label: string,
    private readonly load: () => Promise<T>,
    /** Native names whose presence in a program triggers the load. */
    readonly triggers: readonly string[],
  ) {
    registry.push(this as LazyLib<unknown>);
  }
  /** The loaded library; raises when it was not preloaded (e.g. a name built at run time). */
  get(): T {
    if (this.value === undefined) {
      throw new RuffError(
        `${this.label} is not loaded: call its natives by name so they are found before the run`,
      );
    }
    return this.value;
  }
  /** Loads the library (once). */
  ensure(): Promise<void> {
    this.pending ??= this.load().then((v) => {
      this.value = v;
    });
    return this.pending;
  }
}

const registry: LazyLib<unknown>[] = [];

/** Loads every library one of whose trigger names is in `names`. */
export async function preload(names: Iterable<string>): Promise<void> {
  const set = new Set(names);
  const needed = registry.filter((lib) => lib.triggers.some((t) => set.has(t)));
  await Promise.all(needed.map((lib) => lib.ensure()));
}
