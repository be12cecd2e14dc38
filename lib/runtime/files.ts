/**
 * File natives (builtins.md §3.13) and the binary "io module" (§3.14). All synchronous
 * (LANGUAGE.md §15.7). A failure raises `<what> '<path>': <reason>` where the reason is the
 * operating-system error in Rust's wording (`No such file or directory (os error 2)`); when Deno
 * lacks a permission the error names the flag, e.g.
 * `Permission denied: reading 'x.txt' needs --allow-read`.
 *
 * @module
 */

import { resolve } from "../paths.ts";
import { RuffError } from "../errors.ts";
import { compareCodePoints, dictOf, RArray, RBytes, RFloat, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";

// ───────────────────────────── host errors ─────────────────────────────

const VERBS: Record<string, string> = {
  read: "reading",
  write: "writing",
  run: "running",
  net: "connecting to",
  env: "accessing environment variable",
  sys: "reading system information",
  ffi: "loading",
  import: "importing",
};

/**
 * The error for a Deno permission denial (`Deno.errors.NotCapable`):
 * `Permission denied: <verb> '<target>' needs --allow-<flag>`. When the denied target is one
 * of `paths` (possibly resolved), the path as the program wrote it is shown.
 */
export function permissionError(e: Error, paths: string[] = []): RuffError {
  const m = /^Requires (\w+) access(?: to "?(.*?)"?)?, run again with the (--allow-\w+) flag/
    .exec(e.message);
  if (!m) return new RuffError(`Permission denied: ${e.message}`);
  const [, kind, target, flag] = m;
  let shown = target;
  if (target !== undefined) {
    for (const p of paths) {
      if (p === target || resolve(p) === target) shown = p;
    }
  }
  if (kind === "env" && shown === undefined) {
    return new RuffError(`Permission denied: accessing the environment needs ${flag}`);
  }
  const verb = VERBS[kind] ?? `${kind} access to`;
  return new RuffError(
    shown === undefined
      ? `Permission denied: ${verb} needs ${flag}`
      : `Permission denied: ${verb} '${shown}' needs ${flag}`,
  );
}

/** Rust's wording of an OS error: Deno's message without its `: <syscall> '<path>'` tail. */
export function osReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const m = /^(.*?\(os error \d+\))/s.exec(e.message);
  if (m) return m[1];
  if (e instanceof Deno.errors.NotFound) return "No such file or directory (os error 2)";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied (os error 13)";
  if (e instanceof Deno.errors.AlreadyExists) return "File exists (os error 17)";
  if (e instanceof Deno.errors.IsADirectory) return "Is a directory (os error 21)";
  if (e instanceof Deno.errors.NotADirectory) return "Not a directory (os error 20)";
  return e.message;
}

/**
 * Runs a host operation; a failure raises `<prefix>: <reason>`, or the permission error when
 * Deno denied access (`paths` are the program's paths, for the message).
 */
export function host<T>(prefix: string, paths: string[], op: () => T): T {
  try {
    return op();
  } catch (e) {
    throw hostError(prefix, paths, e);
  }
}

/** The Ruff error for a failed host call (see {@link host}). */
export function hostError(prefix: string, paths: string[], e: unknown): unknown {
  if (e instanceof RuffError) return e;
  if (e instanceof Deno.errors.NotCapable) return permissionError(e, paths);
  if (e instanceof Error || typeof e === "string") {
    return new RuffError(`${prefix}: ${osReason(e)}`);
  }
  return e;
}

/** An error object carrying an OS error text, for failures detected before calling Deno. */
function osError(text: string): Error {
  return new Error(text);
}

// ───────────────────────────── helpers ─────────────────────────────

function pathArg(name: string, args: Value[], i = 0, what = "a string path argument"): string {
  const v = args[i];
  if (typeof v !== "string") requires(name, what);
  return v;
}

/** An Int or Float argument truncated to a whole JS number, or null for other kinds. */
function countArg(v: Value | undefined): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof RFloat) return Number.isNaN(v.v) ? 0 : Math.trunc(v.v);
  return null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly; raises `<prefix>: stream did not contain valid UTF-8`. */
function decodeUtf8(data: Uint8Array, prefix: string): string {
  try {
    return utf8.decode(data);
  } catch {
    throw new RuffError(`${prefix}: stream did not contain valid UTF-8`);
  }
}

/** Splits text like `lines()`: at `\n`, dropping a `\r` before it; no empty last element. */
export function splitLines(s: string): string[] {
  if (s === "") return [];
  const parts = s.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts.map((p) => (p.endsWith("\r") ? p.slice(0, -1) : p));
}

function readText(path: string): string {
  const prefix = `Cannot read file '${path}'`;
  const data = host(prefix, [path], () => Deno.readFileSync(path));
  return decodeUtf8(data, prefix);
}

function writeText(path: string, content: string): true {
  host(`Cannot write file '${path}'`, [path], () => Deno.writeTextFileSync(path, content));
  return true;
}

function listDir(path: string): RArray {
  const names = host(
    `Cannot list directory '${path}'`,
    [path],
    () => [...Deno.readDirSync(path)].map((e) => e.name),
  );
  names.sort(compareCodePoints);
  return new RArray(names);
}

/** True when the path exists (following symlinks); raises only for permission denials. */
export function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw permissionError(e, [path]);
    return false;
  }
}

/** Reads from an open file until `max` bytes or end of file. */
function readUpTo(file: Deno.FsFile, max: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < max) {
    const buf = new Uint8Array(Math.min(max - total, 1 << 16));
    const n = file.readSync(buf);
    if (n === null || n === 0) break;
    chunks.push(buf.subarray(0, n));
    total += n;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function writeAll(file: Deno.FsFile, data: Uint8Array): void {
  let o = 0;
  while (o < data.length) o += file.writeSync(data.subarray(o));
}

/** Opens a file, raising `Cannot open file '<path>': …` on failure. */
function open(path: string, opts: Deno.OpenOptions, prefix = `Cannot open file '${path}'`) {
  return host(prefix, [path], () => Deno.openSync(path, opts));
}

function withFile<T>(file: Deno.FsFile, f: (file: Deno.FsFile) => T): T {
  try {
    return f(file);
  } finally {
    file.close();
  }
}

/** A non-negative offset/count argument of an io_* native. */
function ioCount(name: string, v: Value | undefined, what: string, label: string): number {
  const n = countArg(v);
  if (n === null) requires(name, what);
  if (n < 0) throw new RuffError(`${name} ${label} must be non-negative`);
  return n;
}

function bytesArg(name: string, v: Value | undefined, what: string): Uint8Array {
  if (!(v instanceof RBytes)) requires(name, what);
  return v.data;
}

// ───────────────────────────── natives ─────────────────────────────

function readFileSpec(name: string): NativeSpec {
  return {
    name,
    params: "path",
    min: 1,
    doc: "The whole file as UTF-8 text.",
    impl: (args) => readText(pathArg(name, args)),
  };
}

function writeFileSpec(name: string): NativeSpec {
  return {
    name,
    params: "path, content",
    min: 2,
    doc: "Creates or truncates the file and writes the text; returns true.",
    impl: (args) => {
      const [path, content] = args;
      if (typeof path !== "string" || typeof content !== "string") {
        requires(name, "string arguments");
      }
      return writeText(path, content);
    },
  };
}

function listDirSpec(name: string): NativeSpec {
  return {
    name,
    params: "path",
    min: 1,
    doc: "Names of the entries of a directory, sorted.",
    impl: (args) => listDir(pathArg(name, args)),
  };
}

const natives: NativeSpec[] = [
  readFileSpec("read_file"),
  writeFileSpec("write_file"),
  {
    name: "append_file",
    params: "path, content",
    min: 2,
    doc: "Appends text to a file, creating it if needed; returns true.",
    impl: (args) => {
      const [path, content] = args;
      if (typeof path !== "string" || typeof content !== "string") {
        requires("append_file", "string arguments");
      }
      const file = open(path, { append: true, create: true });
      withFile(
        file,
        (f) =>
          host(
            `Cannot append to file '${path}'`,
            [path],
            () => writeAll(f, new TextEncoder().encode(content)),
          ),
      );
      return true;
    },
  },
  {
    name: "file_exists",
    params: "path",
    min: 1,
    doc: "True if a file or directory exists at the path.",
    impl: (args) => pathExists(pathArg("file_exists", args)),
  },
  {
    name: "read_lines",
    params: "path",
    min: 1,
    doc: "The file's lines (split like lines()).",
    impl: (args) => new RArray(splitLines(readText(pathArg("read_lines", args)))),
  },
  listDirSpec("list_dir"),
  {
    name: "create_dir",
    params: "path",
    min: 1,
    doc: "Creates a directory and its missing parents; returns true.",
    impl: (args) => {
      const path = pathArg("create_dir", args);
      host(
        `Cannot create directory '${path}'`,
        [path],
        () => Deno.mkdirSync(path, { recursive: true }),
      );
      return true;
    },
  },
  {
    name: "file_size",
    params: "path",
    min: 1,
    doc: "Size of the file in bytes.",
    impl: (args) => {
      const path = pathArg("file_size", args);
      return host(`Cannot get file size for '${path}'`, [path], () => Deno.statSync(path).size);
    },
  },
  {
    name: "delete_file",
    params: "path",
    min: 1,
    doc: "Removes a file (not a directory); returns true.",
    impl: (args) => {
      const path = pathArg("delete_file", args);
      host(`Cannot delete file '${path}'`, [path], () => {
        if (Deno.lstatSync(path).isDirectory) throw osError("Is a directory (os error 21)");
        Deno.removeSync(path);
      });
      return true;
    },
  },
  {
    name: "rename_file",
    params: "old_path, new_path",
    min: 2,
    doc: "Moves or renames a file (replacing an existing target file); returns true.",
    impl: (args) => {
      const [from, to] = args;
      if (typeof from !== "string" || typeof to !== "string") {
        requires("rename_file", "string arguments");
      }
      host(`Cannot rename file '${from}' to '${to}'`, [from, to], () => Deno.renameSync(from, to));
      return true;
    },
  },
  {
    name: "copy_file",
    params: "source, dest",
    min: 2,
    doc: "Copies a file's contents (overwriting dest); returns true.",
    impl: (args) => {
      const [from, to] = args;
      if (typeof from !== "string" || typeof to !== "string") {
        requires("copy_file", "string arguments");
      }
      host(`Cannot copy file '${from}' to '${to}'`, [from, to], () => Deno.copyFileSync(from, to));
      return true;
    },
  },
  {
    name: "read_binary_file",
    params: "path",
    min: 1,
    doc: "The whole file as bytes.",
    impl: (args) => {
      const path = pathArg("read_binary_file", args);
      return new RBytes(
        host(`Cannot read binary file '${path}'`, [path], () => Deno.readFileSync(path)),
      );
    },
  },
  {
    name: "write_binary_file",
    params: "path, bytes",
    min: 2,
    doc: "Creates or truncates the file and writes the bytes; returns true.",
    impl: (args) => {
      const path = args[0];
      const data = args[1];
      if (typeof path !== "string" || !(data instanceof RBytes)) {
        requires("write_binary_file", "path (string) and bytes arguments");
      }
      host(`Cannot write binary file '${path}'`, [path], () => Deno.writeFileSync(path, data.data));
      return true;
    },
  },
  readFileSpec("read_file_sync"),
  writeFileSpec("write_file_sync"),
  listDirSpec("list_dir_sync"),

  // ── binary I/O (§3.14) ──
  {
    name: "io_read_bytes",
    params: "path, count",
    min: 2,
    doc: "Up to count bytes from the start of the file.",
    impl: (args) => {
      const what = "path (string) and count (int) arguments";
      const path = pathArg("io_read_bytes", args, 0, what);
      const count = ioCount("io_read_bytes", args[1], what, "count");
      const file = open(path, { read: true });
      return withFile(file, (f) =>
        new RBytes(
          host(`Cannot read ${count} bytes from '${path}'`, [path], () => readUpTo(f, count)),
        ));
    },
  },
  {
    name: "io_write_bytes",
    params: "path, bytes",
    min: 2,
    doc: "Creates or truncates the file and writes the bytes; returns true.",
    impl: (args) => {
      const what = "path (string) and bytes arguments";
      const path = pathArg("io_write_bytes", args, 0, what);
      const data = bytesArg("io_write_bytes", args[1], what);
      host(`Cannot write bytes to file '${path}'`, [path], () => Deno.writeFileSync(path, data));
      return true;
    },
  },
  {
    name: "io_append_bytes",
    params: "path, bytes",
    min: 2,
    doc: "Appends bytes to the file, creating it if needed; returns true.",
    impl: (args) => {
      const what = "path (string) and bytes arguments";
      const path = pathArg("io_append_bytes", args, 0, what);
      const data = bytesArg("io_append_bytes", args[1], what);
      const file = open(path, { append: true, create: true });
      withFile(
        file,
        (f) => host(`Cannot append bytes to file '${path}'`, [path], () => writeAll(f, data)),
      );
      return true;
    },
  },
  {
    name: "io_read_at",
    params: "path, offset, count",
    min: 3,
    doc: "Up to count bytes starting at offset (empty past the end).",
    impl: (args) => {
      const what = "path (string), offset (int), and count (int) arguments";
      const path = pathArg("io_read_at", args, 0, what);
      const offset = ioCount("io_read_at", args[1], what, "offset");
      const count = ioCount("io_read_at", args[2], what, "count");
      const file = open(path, { read: true });
      return withFile(file, (f) =>
        new RBytes(
          host(`Cannot read ${count} bytes from '${path}'`, [path], () => {
            f.seekSync(offset, Deno.SeekMode.Start);
            return readUpTo(f, count);
          }),
        ));
    },
  },
  {
    name: "io_write_at",
    params: "path, bytes, offset",
    min: 3,
    doc: "Overwrites bytes at offset in an existing file; returns true.",
    impl: (args) => {
      const what = "path (string), bytes, and offset (int) arguments";
      const path = pathArg("io_write_at", args, 0, what);
      const data = bytesArg("io_write_at", args[1], what);
      const offset = ioCount("io_write_at", args[2], what, "offset");
      const file = open(path, { write: true });
      withFile(file, (f) =>
        host(`Cannot write bytes to file '${path}'`, [path], () => {
          f.seekSync(offset, Deno.SeekMode.Start);
          writeAll(f, data);
        }));
      return true;
    },
  },
  {
    name: "io_seek_read",
    params: "path, offset",
    min: 2,
    doc: "The bytes from offset to the end of the file.",
    impl: (args) => {
      const what = "path (string) and offset (int) arguments";
      const path = pathArg("io_seek_read", args, 0, what);
      const offset = ioCount("io_seek_read", args[1], what, "offset");
      const file = open(path, { read: true });
      return withFile(file, (f) =>
        new RBytes(
          host(`Cannot read from '${path}'`, [path], () => {
            f.seekSync(offset, Deno.SeekMode.Start);
            return readUpTo(f, Number.MAX_SAFE_INTEGER);
          }),
        ));
    },
  },
  {
    name: "io_file_metadata",
    params: "path",
    min: 1,
    doc: "Dict with size, is_file, is_dir, readonly and modified/created/accessed Unix seconds.",
    impl: (args) => {
      const path = pathArg("io_file_metadata", args);
      const st = host(`Cannot get metadata for '${path}'`, [path], () => Deno.statSync(path));
      const entries: [string, Value][] = [
        ["size", st.size],
        ["is_file", st.isFile],
        ["is_dir", st.isDirectory],
        ["readonly", st.mode !== null ? (st.mode & 0o222) === 0 : false],
      ];
      const secs = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);
      for (
        const [k, d] of [["modified", st.mtime], ["created", st.birthtime], [
          "accessed",
          st.atime,
        ]] as [string, Date | null][]
      ) {
        const s = secs(d);
        if (s !== null) entries.push([k, s]);
      }
      return dictOf(entries);
    },
  },
  {
    name: "io_truncate",
    params: "path, size",
    min: 2,
    doc: "Sets the length of an existing file (shrinks or zero-extends); returns true.",
    impl: (args) => {
      const what = "path (string) and size (int) arguments";
      const path = pathArg("io_truncate", args, 0, what);
      const size = ioCount("io_truncate", args[1], what, "size");
      const file = open(path, { write: true });
      withFile(
        file,
        (f) =>
          host(
            `Cannot truncate file '${path}' to ${size} bytes`,
            [path],
            () => f.truncateSync(size),
          ),
      );
      return true;
    },
  },
  {
    name: "io_copy_range",
    params: "source, dest, offset, count",
    min: 4,
    doc: "Writes up to count bytes of source from offset as the whole content of dest.",
    impl: (args) => {
      const what = "source (string), dest (string), offset (int), and count (int) arguments";
      const src = pathArg("io_copy_range", args, 0, what);
      const dst = pathArg("io_copy_range", args, 1, what);
      const offset = ioCount("io_copy_range", args[2], what, "offset");
      const count = ioCount("io_copy_range", args[3], what, "count");
      const input = open(src, { read: true }, `Cannot open source file '${src}'`);
      const data = withFile(
        input,
        (f) =>
          host(`Cannot read ${count} bytes from '${src}'`, [src], () => {
            f.seekSync(offset, Deno.SeekMode.Start);
            return readUpTo(f, count);
          }),
      );
      const out = open(
        dst,
        { write: true, create: true, truncate: true },
        `Cannot create file '${dst}'`,
      );
      withFile(
        out,
        (f) => host(`Cannot write bytes to file '${dst}'`, [dst], () => writeAll(f, data)),
      );
      return true;
    },
  },
];

/** The file category. */
export const files: NativeCategory = { name: "files", natives };
