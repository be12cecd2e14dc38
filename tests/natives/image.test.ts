import assert from "node:assert/strict";
import { Resource, typeName, type Value } from "../../lib/values.ts";
import { image as imageNatives, imagePixels } from "../../lib/runtime/image.ts";
import { preload } from "../../lib/runtime/lazy.ts";
import { F, harness, throwsMsg } from "./_helpers.ts";

// The natives read their libraries synchronously once loaded (lib/runtime/lazy.ts).
await preload(["load_image"]);

const { run } = harness(imageNatives);

type Px = [number, number, number, number];

/** The test picture: W×H with pixel (x, y) = [x*60, y*100, 10, 255]. */
const W = 4, H = 2;
const px = (x: number, y: number): Px => [x * 60, y * 100, 10, 255];

/** Writes an RGBA PNG with Python's standard library only (zlib + struct). */
function writePng(path: string, w: number, h: number, at: (x: number, y: number) => Px): void {
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = [];
    for (let x = 0; x < w; x++) row.push(at(x, y));
    rows.push(row);
  }
  const script = `
import json, struct, sys, zlib
rows = json.loads(sys.argv[2])
h, w = len(rows), len(rows[0])
raw = b"".join(b"\\x00" + bytes(c for p in r for c in p) for r in rows)
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
`;
  const out = new Deno.Command("python3", { args: ["-c", script, path, JSON.stringify(rows)] })
    .outputSync();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

const dir = Deno.makeTempDirSync({ prefix: "ruff_image_" });
const pngPath = `${dir}/pic.png`;
writePng(pngPath, W, H, px);

/** Calls method `name` of an image value. */
function call(img: Value, name: string, ...args: Value[]): Value {
  assert.ok(img instanceof Resource);
  const methods = (img.payload as { methods: Record<string, (a: Value[]) => Value> }).methods;
  return methods[name](args);
}

/** Reads field `name` the way the VM does. */
function field(img: Value, name: string): Value {
  assert.ok(img instanceof Resource);
  const fields = (img.payload as { fields: Record<string, Value> }).fields;
  assert.ok(name in fields);
  return fields[name];
}

function size(img: Value): [number, number] {
  const w = field(img, "width"), h = field(img, "height");
  assert.ok(typeof w === "object" && w !== null && "v" in w);
  assert.ok(typeof h === "object" && h !== null && "v" in h);
  return [w.v as number, h.v as number];
}

function pixel(img: Value, x: number, y: number): Px {
  const p = imagePixels(img);
  assert.ok(p);
  const i = (y * p.width + x) * 4;
  return [...p.data.subarray(i, i + 4)] as Px;
}

function allPixels(img: Value): Px[] {
  const p = imagePixels(img)!;
  const out: Px[] = [];
  for (let y = 0; y < p.height; y++) for (let x = 0; x < p.width; x++) out.push(pixel(img, x, y));
  return out;
}

function expected(w: number, h: number, at: (x: number, y: number) => Px): Px[] {
  const out: Px[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.push(at(x, y));
  return out;
}

const pic = (): Value => run("load_image", pngPath);

Deno.test("load_image reads a PNG: fields, type and pixels", () => {
  const img = pic();
  assert.equal(typeName(img), "image");
  assert.deepEqual(size(img), [W, H]);
  assert.equal(field(img, "format"), "png");
  assert.deepEqual(allPixels(img), expected(W, H, px));
  throwsMsg(() => field(img, "depth"), "Image has no field 'depth'");
  throwsMsg(() => call(img, "sharpen"), "Image has no method 'sharpen'");
});

Deno.test("load_image errors", () => {
  throwsMsg(() => run("load_image", 5), "load_image requires a string path argument");
  throwsMsg(
    () => run("load_image", `${dir}/none.png`),
    `Cannot load image '${dir}/none.png': No such file or directory (os error 2)`,
  );
  Deno.writeTextFileSync(`${dir}/bad.png`, "not a png");
  throwsMsg(() => run("load_image", `${dir}/bad.png`), /^Cannot load image '.*bad\.png': .+/);
  Deno.copyFileSync(pngPath, `${dir}/pic.xyz`);
  throwsMsg(
    () => run("load_image", `${dir}/pic.xyz`),
    `Cannot load image '${dir}/pic.xyz': The file extension .xyz was not recognized as an image format`,
  );
});

Deno.test("crop copies a clipped region; the source is unchanged", () => {
  const img = pic();
  const c = call(img, "crop", F(1), F(0), F(2), F(2));
  assert.deepEqual(size(c), [2, 2]);
  assert.deepEqual(allPixels(c), expected(2, 2, (x, y) => px(x + 1, y)));
  assert.equal(field(c, "format"), "png");
  const clipped = call(img, "crop", F(3), F(1), F(10), F(10));
  assert.deepEqual(size(clipped), [1, 1]);
  assert.deepEqual(pixel(clipped, 0, 0), px(3, 1));
  assert.deepEqual(allPixels(img), expected(W, H, px));
  throwsMsg(
    () => call(img, "crop", F(0), F(0), F(1)),
    "crop requires x, y, width, and height arguments",
  );
  throwsMsg(
    () => call(img, "crop", 0, 0, 1, 1),
    "crop requires numeric x, y, width, and height",
  );
});

Deno.test("rotate turns clockwise by 90, 180 and 270 degrees", () => {
  const img = pic();
  const r90 = call(img, "rotate", 90);
  assert.deepEqual(size(r90), [H, W]);
  assert.deepEqual(allPixels(r90), expected(H, W, (x, y) => px(y, H - 1 - x)));
  const r180 = call(img, "rotate", F(180.7));
  assert.deepEqual(allPixels(r180), expected(W, H, (x, y) => px(W - 1 - x, H - 1 - y)));
  const r270 = call(img, "rotate", 270);
  assert.deepEqual(size(r270), [H, W]);
  assert.deepEqual(allPixels(r270), expected(H, W, (x, y) => px(W - 1 - y, x)));
  assert.deepEqual(allPixels(call(r90, "rotate", 270)), expected(W, H, px));
  throwsMsg(() => call(img, "rotate", 45), "rotate only supports 90, 180, or 270 degrees");
  throwsMsg(() => call(img, "rotate", "90"), "rotate requires a numeric degrees argument");
  throwsMsg(() => call(img, "rotate"), "rotate requires a degrees argument");
});

Deno.test("flip mirrors horizontally or vertically", () => {
  const img = pic();
  const h = call(img, "flip", "horizontal");
  assert.deepEqual(allPixels(h), expected(W, H, (x, y) => px(W - 1 - x, y)));
  const v = call(img, "flip", "vertical");
  assert.deepEqual(allPixels(v), expected(W, H, (x, y) => px(x, H - 1 - y)));
  throwsMsg(
    () => call(img, "flip", "diagonal"),
    "flip direction must be 'horizontal' or 'vertical'",
  );
  throwsMsg(() => call(img, "flip", 1), "flip requires a string direction argument");
  throwsMsg(
    () => call(img, "flip"),
    "flip requires a direction argument ('horizontal' or 'vertical')",
  );
});

Deno.test("to_grayscale uses Rec. 709 luma", () => {
  const g = call(pic(), "to_grayscale");
  const luma = (p: Px) => Math.floor((2126 * p[0] + 7152 * p[1] + 722 * p[2]) / 10000);
  assert.deepEqual(
    allPixels(g),
    expected(W, H, (x, y) => {
      const l = luma(px(x, y));
      return [l, l, l, 255];
    }),
  );
});

Deno.test("adjust_brightness adds trunc(factor*50), clamped", () => {
  const img = pic();
  const b = call(img, "adjust_brightness", F(0.5));
  assert.deepEqual(
    allPixels(b),
    expected(W, H, (x, y) => {
      const [r, g, bl] = px(x, y);
      return [Math.min(255, r + 25), Math.min(255, g + 25), bl + 25, 255];
    }),
  );
  const d = call(img, "adjust_brightness", -1);
  assert.deepEqual(pixel(d, 3, 1), [130, 50, 0, 255]);
  throwsMsg(() => call(img, "adjust_brightness"), "adjust_brightness requires a factor argument");
  throwsMsg(
    () => call(img, "adjust_brightness", "x"),
    "adjust_brightness requires a numeric factor argument",
  );
});

Deno.test("adjust_contrast spreads values away from the middle", () => {
  const img = pic();
  // Amount 0 keeps every value up to single-precision rounding (truncated, so at most −1).
  const same = allPixels(call(img, "adjust_contrast", F(0))).flat();
  expected(W, H, px).flat().forEach((v, i) => assert.ok(v - same[i] === 0 || v - same[i] === 1));
  const c = call(img, "adjust_contrast", F(100));
  // percent = 4: 10 → 0, 100 → trunc(((100/255 − 0.5)·4 + 0.5)·255) = 17, 180 → 255.
  assert.deepEqual(pixel(c, 3, 1), [255, 17, 0, 255]);
  throwsMsg(() => call(img, "adjust_contrast"), "adjust_contrast requires a factor argument");
  throwsMsg(
    () => call(img, "adjust_contrast", null),
    "adjust_contrast requires a numeric factor argument",
  );
});

Deno.test("blur keeps flat areas and smooths edges", () => {
  const flatPath = `${dir}/flat.png`;
  writePng(flatPath, 5, 5, () => [40, 80, 120, 255]);
  const flat = call(run("load_image", flatPath), "blur", F(1.5));
  assert.deepEqual(size(flat), [5, 5]);
  assert.ok(allPixels(flat).every((p) => p.join() === "40,80,120,255"));
  const edgePath = `${dir}/edge.png`;
  writePng(edgePath, 6, 1, (x) => (x < 3 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
  const e = call(run("load_image", edgePath), "blur", 1);
  const reds = allPixels(e).map((p) => p[0]);
  assert.ok(reds[2] > 0 && reds[3] < 255, `edge blurred: ${reds}`);
  for (let i = 1; i < reds.length; i++) assert.ok(reds[i] >= reds[i - 1]);
  throwsMsg(() => call(e, "blur"), "blur requires a sigma argument");
  throwsMsg(() => call(e, "blur", "1"), "blur requires a numeric sigma argument");
});

Deno.test("resize: exact and fit modes; Float sizes only", () => {
  const img = pic();
  const big = call(img, "resize", F(8), F(4));
  assert.deepEqual(size(big), [8, 4]);
  const fit = call(img, "resize", F(2), F(2), "fit");
  assert.deepEqual(size(fit), [2, 1]);
  const exact = call(img, "resize", F(2), F(2), "exact");
  assert.deepEqual(size(exact), [2, 2]);
  const flatPath = `${dir}/flat2.png`;
  writePng(flatPath, 3, 3, () => [200, 100, 50, 255]);
  const flat = call(run("load_image", flatPath), "resize", F(7), F(2));
  assert.ok(allPixels(flat).every((p) => p.join() === "200,100,50,255"));
  throwsMsg(() => call(img, "resize", 8, 4), "resize requires numeric width and height");
  throwsMsg(() => call(img, "resize", F(8)), "resize requires at least width and height arguments");
});

Deno.test("save writes PNG, BMP and JPEG that load back", () => {
  const img = call(pic(), "flip", "vertical");
  const want = expected(W, H, (x, y) => px(x, H - 1 - y));
  assert.equal(call(img, "save", `${dir}/out.png`), true);
  assert.deepEqual(allPixels(run("load_image", `${dir}/out.png`)), want);
  assert.equal(call(img, "save", `${dir}/out.bmp`), true);
  const bmp = run("load_image", `${dir}/out.bmp`);
  assert.equal(field(bmp, "format"), "bmp");
  assert.deepEqual(allPixels(bmp), want);
  assert.equal(call(img, "save", `${dir}/OUT.JPG`), true);
  const jpg = run("load_image", `${dir}/OUT.JPG`);
  assert.equal(field(jpg, "format"), "jpg");
  assert.deepEqual(size(jpg), [W, H]);
  throwsMsg(
    () => call(img, "save", `${dir}/out.xyz`),
    "Failed to save image: The file extension .xyz was not recognized as an image format",
  );
  throwsMsg(() => call(img, "save", 1), "save requires a string path argument");
  throwsMsg(() => call(img, "save"), "save requires a path argument");
});

Deno.test("a semi-transparent image survives a BMP round trip", () => {
  const p = `${dir}/alpha.png`;
  writePng(p, 2, 2, (x, y) => [x * 100, y * 100, 7, 128]);
  call(run("load_image", p), "save", `${dir}/alpha.bmp`);
  const back = run("load_image", `${dir}/alpha.bmp`);
  assert.deepEqual(allPixels(back), expected(2, 2, (x, y) => [x * 100, y * 100, 7, 128]));
});

Deno.test("load_image reads a GIF", () => {
  // The classic 1×1 GIF89a.
  const gif = Uint8Array.from(
    atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"),
    (c) => c.charCodeAt(0),
  );
  Deno.writeFileSync(`${dir}/one.gif`, gif);
  const g = run("load_image", `${dir}/one.gif`);
  assert.deepEqual(size(g), [1, 1]);
  assert.equal(field(g, "format"), "gif");
});

Deno.test("cleanup", () => {
  Deno.removeSync(dir, { recursive: true });
});
