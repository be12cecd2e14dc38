/**
 * URLs of the implementation's own modules, for the imports computed at run time (commands, JIT,
 * native categories: computed so that Deno's start-up module graph leaves them out).
 *
 * The sources are TypeScript; `deno task install` also runs them as a plain-JavaScript build
 * (`tools/build_js.ts`), where every `.ts` module became a `.js` one. A computed URL cannot be
 * rewritten by that build, so it takes the extension this module has: `.js` in the build.
 *
 * @module
 */

/** `.ts` in the sources, `.js` in the JavaScript build. */
const EXT = import.meta.url.endsWith(".js") ? ".js" : ".ts";

/**
 * The URL of module `path` (written as in the sources, ending in `.ts`) relative to `base` (the
 * `import.meta.url` of the module that asks).
 */
export function ownUrl(path: string, base: string): string {
  const p = EXT === ".ts" ? path : path.replace(/\.ts$/, EXT);
  return new URL(p, base).href;
}
