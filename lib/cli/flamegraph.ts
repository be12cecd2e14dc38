/**
 * A self-contained SVG flame graph of a profiler call tree (`ruff profile --flamegraph OUT.svg`):
 * one `<g class="frame">` per distinct stack, holding a `<title>` tooltip, a `<rect>` whose width
 * is proportional to the stack's inclusive time, and a `<text>` label when it fits. The root
 * (`main`, the program's top level) is the bottom row. No scripts, fonts or other external
 * resources.
 *
 * @module
 */

import type { StackNode } from "../profiler.ts";

const WIDTH = 1200;
const PAD = 10;
const ROW = 18;
const TOP = 46;
const CHAR = 6.6; // average glyph width of 11px monospace text

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** A warm colour derived from the name, stable across runs. */
function colour(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  h >>>= 0;
  const r = 205 + (h % 50);
  const g = 80 + ((h >>> 8) % 130);
  const b = (h >>> 16) % 55;
  return `rgb(${r},${g},${b})`;
}

function depth(n: StackNode): number {
  let d = 0;
  for (const c of n.children.values()) d = Math.max(d, depth(c));
  return d + 1;
}

/** Renders the call tree under `root` as an SVG document. */
export function flameGraphSvg(root: StackNode, title: string): string {
  const total = root.totalMs();
  const rows = depth(root);
  const height = TOP + rows * ROW + PAD + 16;
  const inner = WIDTH - 2 * PAD;
  const scale = total > 0 ? inner / total : 0;
  const frames: string[] = [];
  const draw = (n: StackNode, path: string, x: number, level: number) => {
    const ms = n.totalMs();
    const w = ms * scale;
    const y = height - PAD - 16 - (level + 1) * ROW;
    const pct = total > 0 ? (100 * ms) / total : 0;
    const tip = `${n.name} — ${ms.toFixed(3)} ms (${pct.toFixed(2)}%), self ${
      n.selfMs.toFixed(3)
    } ms, ${n.calls} call${n.calls === 1 ? "" : "s"}\n${path.split(";").join(" → ")}`;
    const fit = Math.floor((w - 6) / CHAR);
    let text = "";
    if (fit >= 3) {
      const shown = n.name.length <= fit ? n.name : n.name.slice(0, fit - 2) + "..";
      text = `<text x="${(x + 3).toFixed(2)}" y="${y + ROW - 5}">${xmlEscape(shown)}</text>`;
    }
    frames.push(
      `<g class="frame" data-stack="${xmlEscape(path)}"><title>${xmlEscape(tip)}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${ROW - 1}" ` +
        `fill="${colour(n.name)}" rx="2" ry="2"/>${text}</g>`,
    );
    let cx = x;
    const kids = [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const c of kids) {
      draw(c, `${path};${c.name}`, cx, level + 1);
      cx += c.totalMs() * scale;
    }
  };
  draw(root, root.name, PAD, 0);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
<style>
  text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; fill: #000; }
  .title { font-size: 16px; font-weight: bold; }
  .sub { font-size: 11px; fill: #555; }
  g.frame:hover rect { stroke: #000; stroke-width: 0.8; }
</style>
<rect class="background" x="0" y="0" width="${WIDTH}" height="${height}" fill="#f8f4ec"/>
<text class="title" x="${WIDTH / 2}" y="22" text-anchor="middle">${xmlEscape(title)}</text>
<text class="sub" x="${WIDTH / 2}" y="38" text-anchor="middle">width = inclusive time (${
    total.toFixed(3)
  } ms in all); hover a frame for details</text>
${frames.join("\n")}
<text class="sub" x="${PAD}" y="${height - 8}">ruff profile</text>
</svg>
`;
}
