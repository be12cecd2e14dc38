/**
 * Zip archive natives (builtins.md §3.24). A `ZipArchive` is a {@link Resource} (type name
 * `ziparchive`) that collects entries in memory; `zip_close` compresses them with `npm:fflate`
 * (loaded only for programs that name these natives, see lazy.ts) and writes the file.
 *
 * @module
 */

import { LazyLib } from "./lazy.ts";
import { RuffError } from "../errors.ts";
import { arrayOf, Resource, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";
import { hostError } from "./files.ts";

const fflateLib = new LazyLib(
  "The zip library",
  // deno-lint-ignore no-import-prefix
  () => import("npm:fflate@0.8.3"),
  ["zip_create", "zip_add_file", "zip_add_dir", "zip_close", "unzip"],
);

/** What a `ziparchive` resource holds. */
interface ZipState {
  path: string;
  /** Entry name → [data, deflate level] in insertion order. */
  entries: Map<string, [Uint8Array, { level: 0 | 6 }]>;
  closed: boolean;
}

function zipArg(name: string, args: Value[], what: string): ZipState {
  const v = args[0];
  if (!(v instanceof Resource) || v.typeName !== "ziparchive") requires(name, what);
  return v.payload as ZipState;
}

function openZip(name: string, args: Value[]): [ZipState, string] {
  const what = "(ZipArchive, string_path) arguments";
  const z = zipArg(name, args, what);
  const path = args[1];
  if (typeof path !== "string") requires(name, what);
  if (z.closed) throw new RuffError("Zip archive has been closed");
  return [z, path];
}

function baseName(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  return parts.length ? parts[parts.length - 1] : path;
}

function joinPath(dir: string, name: string): string {
  return dir === "" ? name : dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** Adds the contents of `dir` under the entry prefix `prefix` (recursively, sorted). */
function addDir(z: ZipState, dir: string, prefix: string, paths: string[]): void {
  let list: Deno.DirEntry[];
  try {
    list = [...Deno.readDirSync(dir)];
  } catch (e) {
    throw hostError("Failed to read directory", paths, e);
  }
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const ent of list) {
    const full = joinPath(dir, ent.name);
    const entry = prefix + ent.name;
    let isDir = ent.isDirectory;
    if (ent.isSymlink) {
      try {
        isDir = Deno.statSync(full).isDirectory;
      } catch (e) {
        throw hostError(`Failed to read '${full}'`, [full], e);
      }
    }
    if (isDir) {
      z.entries.set(entry + "/", [new Uint8Array(0), { level: 0 }]);
      addDir(z, full, entry + "/", [full]);
    } else {
      let data: Uint8Array;
      try {
        data = Deno.readFileSync(full);
      } catch (e) {
        throw hostError(`Failed to read '${full}'`, [full], e);
      }
      z.entries.set(entry, [data, { level: 6 }]);
    }
  }
}

/**
 * The relative path an entry name is extracted to: like the zip crate's `sanitized_name`,
 * leading slashes, `.` and `..` components are dropped so nothing escapes the output directory.
 */
function safeName(name: string): string {
  return name.replaceAll("\\", "/").split("/").filter((p) => p !== "" && p !== "." && p !== "..")
    .join("/");
}

const natives: NativeSpec[] = [
  {
    name: "zip_create",
    params: "path",
    min: 1,
    doc: "Creates (or truncates) a zip file and returns its ZipArchive writer.",
    impl(args) {
      const [path] = args;
      if (typeof path !== "string") requires("zip_create", "a string path argument");
      try {
        Deno.writeFileSync(path, new Uint8Array(0));
      } catch (e) {
        throw hostError(`Failed to create zip file '${path}'`, [path], e);
      }
      const state: ZipState = { path, entries: new Map(), closed: false };
      return new Resource("ziparchive", state);
    },
  },
  {
    name: "zip_add_file",
    params: "archive, source_path",
    min: 2,
    doc: "Adds a file under its base name (deflate).",
    impl(args) {
      const [z, path] = openZip("zip_add_file", args);
      let data: Uint8Array;
      try {
        data = Deno.readFileSync(path);
      } catch (e) {
        throw hostError(`Failed to read source file '${path}'`, [path], e);
      }
      z.entries.set(baseName(path), [data, { level: 6 }]);
      return true;
    },
  },
  {
    name: "zip_add_dir",
    params: "archive, dir_path",
    min: 2,
    doc: "Adds a directory's contents recursively, relative to the directory.",
    impl(args) {
      const [z, dir] = openZip("zip_add_dir", args);
      addDir(z, dir, "", [dir]);
      return true;
    },
  },
  {
    name: "zip_close",
    params: "archive",
    min: 1,
    doc: "Finishes the archive and writes the zip file.",
    impl(args) {
      const z = zipArg("zip_close", args, "a ZipArchive argument");
      if (z.closed) throw new RuffError("Zip archive has already been closed");
      z.closed = true;
      let data: Uint8Array;
      try {
        data = fflateLib.get().zipSync(Object.fromEntries(z.entries));
      } catch (e) {
        throw new RuffError(`Failed to finalize zip archive: ${(e as Error).message}`);
      }
      try {
        Deno.writeFileSync(z.path, data);
      } catch (e) {
        throw hostError("Failed to finalize zip archive", [z.path], e);
      }
      z.entries.clear();
      return true;
    },
  },
  {
    name: "unzip",
    params: "zip_path, output_dir",
    min: 2,
    doc: "Extracts every entry into a directory; returns the extracted file paths.",
    impl(args) {
      const [zipPath, outDir] = args;
      if (typeof zipPath !== "string" || typeof outDir !== "string") {
        requires("unzip", "(string_zip_path, string_output_dir) arguments");
      }
      let raw: Uint8Array;
      try {
        raw = Deno.readFileSync(zipPath);
      } catch (e) {
        throw hostError(`Failed to open file '${zipPath}'`, [zipPath], e);
      }
      const order: string[] = [];
      let files: Record<string, Uint8Array>;
      try {
        files = fflateLib.get().unzipSync(raw, {
          filter(f) {
            order.push(f.name);
            return true;
          },
        });
      } catch (e) {
        throw new RuffError(`Failed to open zip archive '${zipPath}': ${(e as Error).message}`);
      }
      try {
        Deno.mkdirSync(outDir, { recursive: true });
      } catch (e) {
        throw hostError(`Failed to create output directory '${outDir}'`, [outDir], e);
      }
      const out: Value[] = [];
      for (const name of order) {
        const rel = safeName(name);
        if (rel === "") continue;
        const target = joinPath(outDir, rel);
        if (name.endsWith("/")) {
          try {
            Deno.mkdirSync(target, { recursive: true });
          } catch (e) {
            throw hostError(`Failed to create directory '${target}'`, [target], e);
          }
          continue;
        }
        try {
          const slash = target.lastIndexOf("/");
          if (slash > 0) Deno.mkdirSync(target.slice(0, slash), { recursive: true });
          Deno.writeFileSync(target, files[name]);
        } catch (e) {
          throw hostError(`Failed to extract file '${name}'`, [target], e);
        }
        out.push(target);
      }
      return arrayOf(out);
    },
  },
];

/** The zip archive category. */
export const archive: NativeCategory = { name: "archive", natives };
