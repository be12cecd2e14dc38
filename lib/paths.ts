/**
 * Minimal POSIX path helpers for module resolution and diagnostics (avoids loading the Node
 * compatibility layer at start-up).
 *
 * @module
 */

/** Normalises `.` and `..` segments and repeated slashes. */
export function normalize(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(seg);
  }
  const s = out.join("/");
  return abs ? "/" + s : s || ".";
}

/** Joins path segments. */
export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== "").join("/"));
}

/** The absolute form of `p` (relative to the current directory). */
export function resolve(p: string): string {
  return normalize(p.startsWith("/") ? p : Deno.cwd() + "/" + p);
}

/** The directory part of `p`. */
export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf("/");
  if (i < 0) return ".";
  if (i === 0) return "/";
  return n.slice(0, i);
}
