/**
 * Image natives (builtins.md §3.25 and §4.5). `load_image` decodes a file into an RGBA buffer
 * and wraps it in a {@link Resource} of type `image`; its methods (`resize`, `crop`, `rotate`,
 * `flip`, `to_grayscale`, `blur`, `adjust_brightness`, `adjust_contrast`) work on that buffer
 * and return new images, `save` encodes it again. PNG goes through `npm:pngjs`, JPEG through
 * `npm:jpeg-js`, GIF (first frame, read only) through `npm:omggif`; BMP is handled here. The
 * libraries are loaded only for programs that name `load_image` (see lazy.ts).
 *
 * @module
 */

import { LazyLib } from "./lazy.ts";
import { RuffError } from "../errors.ts";
import { mkFloat, Resource, RFloat, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { hostError } from "./files.ts";

// ───────────────────────────── libraries ─────────────────────────────

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

interface PngLib {
  sync: {
    read(data: Uint8Array): { width: number; height: number; data: Uint8Array };
    write(png: { width: number; height: number; data: Uint8Array }): Uint8Array;
  };
}

interface JpegLib {
  decode(
    data: Uint8Array,
    opts: { useTArray: boolean; formatAsRGBA: boolean; maxMemoryUsageInMB?: number },
  ): Rgba;
  encode(img: Rgba, quality: number): { data: Uint8Array };
}

interface GifReaderLike {
  width: number;
  height: number;
  decodeAndBlitFrameRGBA(frame: number, pixels: Uint8Array): void;
}

interface ImageLibs {
  png: PngLib;
  jpeg: JpegLib;
  GifReader: new (data: Uint8Array) => GifReaderLike;
  /** node:buffer's Buffer (pngjs wants one); loaded here to keep node:buffer off start-up. */
  Buffer: typeof import("node:buffer").Buffer;
}

// deno-lint-ignore no-explicit-any
const dflt = (m: any) => m.default ?? m;

const imageLibs = new LazyLib<ImageLibs>(
  "The image libraries",
  async () => {
    const [png, jpeg, gif, nodeBuffer] = await Promise.all([
      // deno-lint-ignore no-import-prefix
      import("npm:pngjs@7.0.0").then(dflt),
      // deno-lint-ignore no-import-prefix
      import("npm:jpeg-js@0.4.4").then(dflt),
      // deno-lint-ignore no-import-prefix
      import("npm:omggif@1.0.10").then(dflt),
      import("node:buffer"),
    ]);
    return {
      png: png.PNG as PngLib,
      jpeg: jpeg as JpegLib,
      GifReader: gif.GifReader,
      Buffer: nodeBuffer.Buffer,
    };
  },
  ["load_image"],
);

// ───────────────────────────── BMP codec ─────────────────────────────

function decodeBmp(buf: Uint8Array): Rgba {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) {
    throw new Error("Invalid BMP signature");
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const offset = dv.getUint32(10, true);
  const headerSize = dv.getUint32(14, true);
  let width: number, rawHeight: number, bpp: number, compression = 0, colors = 0;
  if (headerSize === 12) {
    width = dv.getUint16(18, true);
    rawHeight = dv.getInt16(20, true);
    bpp = dv.getUint16(24, true);
  } else {
    width = dv.getInt32(18, true);
    rawHeight = dv.getInt32(22, true);
    bpp = dv.getUint16(28, true);
    compression = dv.getUint32(30, true);
    colors = dv.getUint32(46, true);
  }
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw new Error("BMP has invalid dimensions");
  if (compression !== 0 && compression !== 3) throw new Error("Unsupported BMP compression");
  if (![1, 4, 8, 24, 32].includes(bpp)) throw new Error(`Unsupported BMP bit count ${bpp}`);
  // Channel masks for 32-bit images (BI_BITFIELDS or the default BGRA layout).
  let masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
  if (compression === 3 && headerSize >= 40) {
    const at = 54;
    masks = [dv.getUint32(at, true), dv.getUint32(at + 4, true), dv.getUint32(at + 8, true)];
    masks.push(headerSize >= 56 ? dv.getUint32(66, true) : 0);
  }
  const palette: number[][] = [];
  if (bpp <= 8) {
    const n = colors || 1 << bpp;
    const entry = headerSize === 12 ? 3 : 4;
    const start = 14 + headerSize;
    for (let i = 0; i < n; i++) {
      const p = start + i * entry;
      palette.push([buf[p + 2], buf[p + 1], buf[p]]);
    }
  }
  const stride = Math.floor((width * bpp + 31) / 32) * 4;
  if (offset + stride * height > buf.length) throw new Error("BMP pixel data is truncated");
  const out = new Uint8Array(width * height * 4);
  const channel = (v: number, mask: number): number => {
    if (mask === 0) return 255;
    let shift = 0;
    while (((mask >>> shift) & 1) === 0) shift++;
    const max = mask >>> shift;
    return Math.round((((v & mask) >>> shift) * 255) / max);
  };
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bpp === 24) {
        const p = row + x * 3;
        out[o] = buf[p + 2];
        out[o + 1] = buf[p + 1];
        out[o + 2] = buf[p];
        out[o + 3] = 255;
      } else if (bpp === 32) {
        const v = dv.getUint32(row + x * 4, true);
        out[o] = channel(v, masks[0]);
        out[o + 1] = channel(v, masks[1]);
        out[o + 2] = channel(v, masks[2]);
        out[o + 3] = channel(v, masks[3]);
      } else {
        const bit = x * bpp;
        const byte = buf[row + (bit >> 3)];
        const idx = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const c = palette[idx] ?? [0, 0, 0];
        out[o] = c[0];
        out[o + 1] = c[1];
        out[o + 2] = c[2];
        out[o + 3] = 255;
      }
    }
  }
  return { width, height, data: out };
}

/** Encodes a 24-bit BMP, or a 32-bit one (BI_BITFIELDS, V4 header) when any pixel is not opaque. */
function encodeBmp(img: Rgba): Uint8Array {
  const { width, height, data } = img;
  let opaque = true;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) opaque = false;
  const bpp = opaque ? 24 : 32;
  const headerSize = opaque ? 40 : 108;
  const stride = Math.floor((width * bpp + 31) / 32) * 4;
  const offset = 14 + headerSize;
  const size = offset + stride * height;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  dv.setUint32(2, size, true);
  dv.setUint32(10, offset, true);
  dv.setUint32(14, headerSize, true);
  dv.setInt32(18, width, true);
  dv.setInt32(22, height, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, bpp, true);
  dv.setUint32(30, opaque ? 0 : 3, true);
  dv.setUint32(34, stride * height, true);
  if (!opaque) {
    dv.setUint32(54, 0x00ff0000, true);
    dv.setUint32(58, 0x0000ff00, true);
    dv.setUint32(62, 0x000000ff, true);
    dv.setUint32(66, 0xff000000, true);
    dv.setUint32(70, 0x73524742, true); // "sRGB"
  }
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const p = row + x * (bpp / 8);
      out[p] = data[i + 2];
      out[p + 1] = data[i + 1];
      out[p + 2] = data[i];
      if (!opaque) out[p + 3] = data[i + 3];
    }
  }
  return out;
}

// ───────────────────────────── formats ─────────────────────────────

function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

function unknownFormat(ext: string): Error {
  return new Error(
    ext === ""
      ? "The image format could not be determined"
      : `The file extension .${ext} was not recognized as an image format`,
  );
}

function decode(ext: string, data: Uint8Array): Rgba {
  const libs = imageLibs.get();
  switch (ext) {
    case "png": {
      const p = libs.png.sync.read(libs.Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      return { width: p.width, height: p.height, data: new Uint8Array(p.data) };
    }
    case "jpg":
    case "jpeg":
    case "jfif":
    case "jpe": {
      const j = libs.jpeg.decode(data, { useTArray: true, formatAsRGBA: true });
      return { width: j.width, height: j.height, data: new Uint8Array(j.data) };
    }
    case "gif": {
      const r = new libs.GifReader(data);
      const px = new Uint8Array(r.width * r.height * 4);
      r.decodeAndBlitFrameRGBA(0, px);
      return { width: r.width, height: r.height, data: px };
    }
    case "bmp":
      return decodeBmp(data);
    default:
      throw unknownFormat(ext);
  }
}

function encode(ext: string, img: Rgba): Uint8Array {
  const libs = imageLibs.get();
  switch (ext) {
    case "png":
      return new Uint8Array(libs.png.sync.write({ ...img, data: libs.Buffer.from(img.data) }));
    case "jpg":
    case "jpeg": {
      // JPEG has no alpha channel: it is dropped.
      return new Uint8Array(libs.jpeg.encode(img, 75).data);
    }
    case "bmp":
      return encodeBmp(img);
    default:
      throw unknownFormat(ext);
  }
}

// ───────────────────────────── pixel operations ─────────────────────────────

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

function lanczos3(x: number): number {
  if (x === 0) return 1;
  if (x <= -3 || x >= 3) return 0;
  const px = Math.PI * x;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
}

/** Resamples along one axis with a Lanczos3 filter (alpha-weighted sums are not used). */
function resample1d(
  src: Float32Array,
  sw: number,
  sh: number,
  nw: number,
  nh: number,
  horizontal: boolean,
): Float32Array {
  const out = new Float32Array(nw * nh * 4);
  const srcLen = horizontal ? sw : sh;
  const dstLen = horizontal ? nw : nh;
  const ratio = srcLen / dstLen;
  const scale = Math.max(ratio, 1);
  const support = 3 * scale;
  const lines = horizontal ? sh : sw;
  for (let d = 0; d < dstLen; d++) {
    const center = (d + 0.5) * ratio;
    const left = Math.max(0, Math.floor(center - support));
    const right = Math.min(srcLen, Math.ceil(center + support));
    const weights: number[] = [];
    let sum = 0;
    for (let s = left; s < right; s++) {
      const w = lanczos3((s + 0.5 - center) / scale);
      weights.push(w);
      sum += w;
    }
    if (sum === 0) sum = 1;
    for (let l = 0; l < lines; l++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let s = left; s < right; s++) {
        const w = weights[s - left] / sum;
        const i = (horizontal ? l * sw + s : s * sw + l) * 4;
        r += src[i] * w;
        g += src[i + 1] * w;
        b += src[i + 2] * w;
        a += src[i + 3] * w;
      }
      const o = (horizontal ? l * nw + d : d * nw + l) * 4;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  return out;
}

function resize(img: Rgba, nw: number, nh: number): Rgba {
  if (nw === img.width && nh === img.height) return { ...img, data: img.data.slice() };
  if (nw === 0 || nh === 0 || img.width === 0 || img.height === 0) {
    return { width: nw, height: nh, data: new Uint8Array(nw * nh * 4) };
  }
  const src = Float32Array.from(img.data);
  const tmp = resample1d(src, img.width, img.height, nw, img.height, true);
  const out = resample1d(tmp, nw, img.height, nw, nh, false);
  const data = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) data[i] = clamp8(Math.round(out[i]));
  return { width: nw, height: nh, data };
}

function crop(img: Rgba, x: number, y: number, w: number, h: number): Rgba {
  x = Math.min(x, img.width);
  y = Math.min(y, img.height);
  w = Math.min(w, img.width - x);
  h = Math.min(h, img.height - y);
  const data = new Uint8Array(w * h * 4);
  for (let r = 0; r < h; r++) {
    const from = ((y + r) * img.width + x) * 4;
    data.set(img.data.subarray(from, from + w * 4), r * w * 4);
  }
  return { width: w, height: h, data };
}

/** Builds an image of size w×h whose pixel (x, y) is the source pixel `at(x, y)`. */
function remap(
  img: Rgba,
  w: number,
  h: number,
  at: (x: number, y: number) => [number, number],
): Rgba {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sx, sy] = at(x, y);
      const s = (sy * img.width + sx) * 4;
      data.set(img.data.subarray(s, s + 4), (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data };
}

function rotate(img: Rgba, deg: 90 | 180 | 270): Rgba {
  const { width: W, height: H } = img;
  if (deg === 90) return remap(img, H, W, (x, y) => [y, H - 1 - x]);
  if (deg === 180) return remap(img, W, H, (x, y) => [W - 1 - x, H - 1 - y]);
  return remap(img, H, W, (x, y) => [W - 1 - y, x]);
}

/** Applies `f` to each colour channel (alpha untouched). */
function mapChannels(img: Rgba, f: (c: number) => number): Rgba {
  const data = img.data.slice();
  for (let i = 0; i < data.length; i += 4) {
    data[i] = f(data[i]);
    data[i + 1] = f(data[i + 1]);
    data[i + 2] = f(data[i + 2]);
  }
  return { width: img.width, height: img.height, data };
}

function grayscale(img: Rgba): Rgba {
  const data = img.data.slice();
  for (let i = 0; i < data.length; i += 4) {
    // Rec. 709 luma in integer arithmetic, as the image crate computes it.
    const l = Math.floor((2126 * data[i] + 7152 * data[i + 1] + 722 * data[i + 2]) / 10000);
    data[i] = data[i + 1] = data[i + 2] = l;
  }
  return { width: img.width, height: img.height, data };
}

function blur(img: Rgba, sigma: number): Rgba {
  const s = Math.abs(sigma);
  if (!(s > 0) || !Number.isFinite(s)) return { ...img, data: img.data.slice() };
  const radius = Math.max(1, Math.ceil(3 * s));
  const kernel: number[] = [];
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * s * s));
    kernel.push(v);
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  const { width: W, height: H } = img;
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let r = 0, g = 0, b = 0, a = 0;
        for (let k = -radius; k <= radius; k++) {
          const sx = horizontal ? Math.min(W - 1, Math.max(0, x + k)) : x;
          const sy = horizontal ? y : Math.min(H - 1, Math.max(0, y + k));
          const i = (sy * W + sx) * 4;
          const w = kernel[k + radius];
          r += src[i] * w;
          g += src[i + 1] * w;
          b += src[i + 2] * w;
          a += src[i + 3] * w;
        }
        const o = (y * W + x) * 4;
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = a;
      }
    }
    return out;
  };
  const res = pass(pass(Float32Array.from(img.data), true), false);
  const data = new Uint8Array(res.length);
  for (let i = 0; i < res.length; i++) data[i] = clamp8(Math.round(res[i]));
  return { width: W, height: H, data };
}

function contrast(img: Rgba, c: number): Rgba {
  // Single-precision arithmetic and truncation, as the image crate computes it.
  const f = Math.fround;
  const p = f(f(f(100 + c) / 100) ** 2);
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const d = f(f(f(f(f(v / 255) - 0.5) * p) + 0.5) * 255);
    table[v] = clamp8(Math.trunc(d));
  }
  return mapChannels(img, (v) => table[v]);
}

// ───────────────────────────── the image resource ─────────────────────────────

/** A Float or Int argument as a JS number, or null for other kinds. */
function numArg(v: Value | undefined): number | null {
  if (v instanceof RFloat) return v.v;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/** A Float argument converted like Rust's `as u32` (saturating, NaN → 0). */
function floatU32(v: Value | undefined): number | null {
  if (!(v instanceof RFloat)) return null;
  const x = v.v;
  if (Number.isNaN(x) || x <= 0) return 0;
  return Math.min(Math.trunc(x), 0xffffffff);
}

const fail = (msg: string): never => {
  throw new RuffError(msg);
};

type Method = (args: Value[]) => Value;

/** Wraps an RGBA image as a Ruff `image` value. */
function makeImage(img: Rgba, format: string): Resource {
  const derive = (next: Rgba) => makeImage(next, format);
  const methods: Record<string, Method> = {
    resize(args) {
      if (args.length < 2) fail("resize requires at least width and height arguments");
      const w = floatU32(args[0]);
      const h = floatU32(args[1]);
      if (w === null || h === null) fail("resize requires numeric width and height");
      let nw = w as number, nh = h as number;
      if (args[2] === "fit") {
        const ratio = Math.min(nw / img.width, nh / img.height);
        nw = Math.max(Math.round(img.width * ratio), 1);
        nh = Math.max(Math.round(img.height * ratio), 1);
      }
      return derive(resize(img, nw, nh));
    },
    crop(args) {
      if (args.length < 4) fail("crop requires x, y, width, and height arguments");
      const n = args.slice(0, 4).map(floatU32);
      if (n.some((v) => v === null)) fail("crop requires numeric x, y, width, and height");
      const [x, y, w, h] = n as number[];
      return derive(crop(img, x, y, w, h));
    },
    rotate(args) {
      if (args.length < 1) fail("rotate requires a degrees argument");
      const d = numArg(args[0]);
      if (d === null) fail("rotate requires a numeric degrees argument");
      const deg = Math.trunc(d as number);
      if (deg !== 90 && deg !== 180 && deg !== 270) {
        fail("rotate only supports 90, 180, or 270 degrees");
      }
      return derive(rotate(img, deg as 90 | 180 | 270));
    },
    flip(args) {
      if (args.length < 1) fail("flip requires a direction argument ('horizontal' or 'vertical')");
      const dir = args[0];
      if (typeof dir !== "string") fail("flip requires a string direction argument");
      const { width: W, height: H } = img;
      if (dir === "horizontal") return derive(remap(img, W, H, (x, y) => [W - 1 - x, y]));
      if (dir === "vertical") return derive(remap(img, W, H, (x, y) => [x, H - 1 - y]));
      return fail("flip direction must be 'horizontal' or 'vertical'");
    },
    to_grayscale() {
      return derive(grayscale(img));
    },
    blur(args) {
      if (args.length < 1) fail("blur requires a sigma argument");
      const s = numArg(args[0]);
      if (s === null) fail("blur requires a numeric sigma argument");
      return derive(blur(img, s as number));
    },
    adjust_brightness(args) {
      if (args.length < 1) fail("adjust_brightness requires a factor argument");
      const f = numArg(args[0]);
      if (f === null) fail("adjust_brightness requires a numeric factor argument");
      const delta = Math.trunc((f as number) * 50);
      return derive(mapChannels(img, (c) => clamp8(c + delta)));
    },
    adjust_contrast(args) {
      if (args.length < 1) fail("adjust_contrast requires a factor argument");
      const f = numArg(args[0]);
      if (f === null) fail("adjust_contrast requires a numeric factor argument");
      return derive(contrast(img, f as number));
    },
    save(args) {
      if (args.length < 1) fail("save requires a path argument");
      const path = args[0];
      if (typeof path !== "string") return fail("save requires a string path argument");
      try {
        Deno.writeFileSync(path, encode(extensionOf(path), img));
      } catch (e) {
        throw hostError("Failed to save image", [path], e);
      }
      return true;
    },
  };
  const fields: Record<string, Value> = {
    width: mkFloat(img.width),
    height: mkFloat(img.height),
    format,
  };
  return new Resource("image", {
    // Every name is "present" so that unknown ones raise the Image-specific messages.
    fields: new Proxy(fields, {
      has: () => true,
      get: (t, k) =>
        typeof k === "string" && !(k in t) ? fail(`Image has no field '${k}'`) : Reflect.get(t, k),
    }),
    methods: new Proxy(methods, {
      get: (t, k) =>
        typeof k === "string" && !(k in t)
          ? () => fail(`Image has no method '${k}'`)
          : Reflect.get(t, k),
    }),
    rgba: img,
  });
}

/** The RGBA pixels of an `image` value (for tests and other natives), or null. */
export function imagePixels(v: Value): Rgba | null {
  if (!(v instanceof Resource) || v.typeName !== "image") return null;
  return (v.payload as { rgba: Rgba }).rgba;
}

const natives: NativeSpec[] = [
  {
    name: "load_image",
    params: "path",
    min: 1,
    doc: "Loads a PNG, JPEG, GIF or BMP file as an Image (format from the file extension).",
    impl(args) {
      const path = args[0];
      if (typeof path !== "string") return fail("load_image requires a string path argument");
      const ext = extensionOf(path);
      const prefix = `Cannot load image '${path}'`;
      let img: Rgba;
      try {
        img = decode(ext, Deno.readFileSync(path));
      } catch (e) {
        throw hostError(prefix, [path], e);
      }
      return makeImage(img, ext === "" ? "unknown" : ext);
    },
  },
];

/** The image category. */
export const image: NativeCategory = { name: "image", natives };
