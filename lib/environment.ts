/**
 * The engine-level scope chain of LANGUAGE.md §18.4: a stack of name → value scopes whose
 * bottom entry is the global scope. It implements the binding rules of §6.2–§6.3 for hosts
 * and harnesses that want to manipulate Ruff bindings without running Ruff code.
 *
 * ```ts
 * import { Environment, mkFloat } from "./mod.ts";
 * const env = new Environment();
 * env.define("x", mkFloat(5));
 * env.pushScope();
 * env.set("x", mkFloat(10)); // updates the global binding
 * env.popScope();
 * env.get("x"); // RFloat 10
 * ```
 *
 * @module
 */

import type { Value } from "./values.ts";

/**
 * A chain of lexical scopes, innermost last. The global scope is created with the environment
 * and can never be removed.
 */
export class Environment {
  /** The scopes, global scope first and innermost scope last; never empty. */
  #scopes: Map<string, Value>[] = [new Map()];

  /** Number of scopes currently on the chain, the global scope included (at least 1). */
  get depth(): number {
    return this.#scopes.length;
  }

  /**
   * Binds `name` to `value` in the innermost scope, replacing a binding of the same name in
   * that scope and shadowing any binding in the outer scopes (the `let` rule of §6.2).
   *
   * @param name The variable name.
   * @param value The value to bind.
   */
  define(name: string, value: Value): void {
    this.#scopes[this.#scopes.length - 1].set(name, value);
  }

  /**
   * Assigns `value` to `name` with the rule of LANGUAGE.md §6.3: the nearest existing binding
   * (searching from the innermost scope out to the global scope) is updated; when there is
   * none, a new binding is created in the innermost scope.
   *
   * @param name The variable name.
   * @param value The value to assign.
   */
  set(name: string, value: Value): void {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const scope = this.#scopes[i];
      if (scope.has(name)) {
        scope.set(name, value);
        return;
      }
    }
    this.define(name, value);
  }

  /**
   * Looks `name` up from the innermost scope outward.
   *
   * @param name The variable name.
   * @returns The bound value (which may be the Ruff `null`), or `undefined` when no scope
   * binds `name`.
   */
  get(name: string): Value | undefined {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const scope = this.#scopes[i];
      if (scope.has(name)) return scope.get(name);
    }
    return undefined;
  }

  /**
   * Tells whether any scope binds `name`.
   *
   * @param name The variable name.
   * @returns True when {@link Environment.get} would find a binding.
   */
  has(name: string): boolean {
    return this.#scopes.some((scope) => scope.has(name));
  }

  /** Opens a new, empty innermost scope. */
  pushScope(): void {
    this.#scopes.push(new Map());
  }

  /**
   * Closes the innermost scope, dropping its bindings. The global scope is never removed:
   * when it is the only scope left, this does nothing.
   */
  popScope(): void {
    if (this.#scopes.length > 1) this.#scopes.pop();
  }
}
