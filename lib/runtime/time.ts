/**
 * Date and time natives (builtins.md §3.10).
 *
 * Wall-clock values are Unix times in UTC: `now()` is whole seconds (a Float),
 * `current_timestamp()` milliseconds (an Int); `format_date` and `parse_date` work in UTC on the
 * proleptic Gregorian calendar. `performance_now`, `time_us` and `time_ns` are monotonic and
 * each measures from its own origin, set lazily at its first call (LANGUAGE.md §15.8), so the
 * first call returns 0.
 *
 * @module
 */

import { RuffError } from "../errors.ts";
import { formatFloat, mkFloat, RFloat, type Value } from "../values.ts";
import type { NativeCategory, NativeSpec } from "./registry.ts";
import { requires } from "./registry.ts";

/** The argument as a JS number, or null when it is not an Int or Float. */
function numOrNull(v: Value | undefined): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof RFloat) return v.v;
  return null;
}

// ───────────────────────────── monotonic clocks ─────────────────────────────

const origins = new Map<string, bigint>();

/** Nanoseconds elapsed since the first call with this clock name. */
function sinceOrigin(clock: string): bigint {
  const t = BigInt(Math.round(performance.now() * 1e6));
  const o = origins.get(clock);
  if (o === undefined) {
    origins.set(clock, t);
    return 0n;
  }
  return t - o;
}

// ───────────────────────────── exact decimal rounding ─────────────────────────────

/**
 * `x` with `d` decimals, rounding the exact binary value half to even (Rust's `{:.d}`), which
 * differs from `toFixed` on exact ties (`0.125` → `0.12`).
 */
export function toFixedHalfEven(x: number, d: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const neg = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  const scaled = mant * 10n ** BigInt(d);
  let q: bigint;
  if (exp >= 0) q = scaled << BigInt(exp);
  else {
    const den = 1n << BigInt(-exp);
    q = scaled / den;
    const r2 = (scaled % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q++;
  }
  let s = q.toString().padStart(d + 1, "0");
  if (d > 0) s = s.slice(0, s.length - d) + "." + s.slice(s.length - d);
  return (neg ? "-" : "") + s;
}

// ───────────────────────────── calendar ─────────────────────────────

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Replaces YYYY, MM, DD, HH, mm, ss (in that order) with the UTC fields of `seconds`. */
export function formatDate(seconds: number, pattern: string): string {
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(seconds) || Number.isNaN(date.getTime())) {
    throw new RuffError(`Timestamp out of range: ${formatFloat(seconds)}`);
  }
  const y = date.getUTCFullYear();
  const year = y >= 0 ? String(y).padStart(4, "0") : "-" + String(-y).padStart(3, "0");
  return pattern
    .replaceAll("YYYY", year)
    .replaceAll("MM", pad2(date.getUTCMonth() + 1))
    .replaceAll("DD", pad2(date.getUTCDate()))
    .replaceAll("HH", pad2(date.getUTCHours()))
    .replaceAll("mm", pad2(date.getUTCMinutes()))
    .replaceAll("ss", pad2(date.getUTCSeconds()));
}

/**
 * Unix seconds of `YYYY-MM-DD` at 00:00 UTC; a part that is not a number falls back to
 * 1970 / 1 / 1; a text without exactly three parts or an impossible date gives 0.
 */
export function parseDate(text: string): number {
  const parts = text.split("-");
  if (parts.length !== 3) return 0;
  const parse = (s: string, signed: boolean, fallback: number, max: number) => {
    if (!(signed ? /^[+-]?\d+$/ : /^\+?\d+$/).test(s)) return fallback;
    const n = Number(s);
    return Math.abs(n) <= max ? n : fallback;
  };
  const y = parse(parts[0], true, 1970, 2147483647);
  const m = parse(parts[1], false, 1, 4294967295);
  const d = parse(parts[2], false, 1, 4294967295);
  if (Math.abs(y) > 262142 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return 0;
  return daysFromCivil(y, m, d) * 86400;
}

// ───────────────────────────── natives ─────────────────────────────

const natives: NativeSpec[] = [
  {
    name: "now",
    params: "",
    min: 0,
    doc: "Current Unix time in whole seconds (UTC), as a Float.",
    impl: () => mkFloat(Math.floor(Date.now() / 1000)),
  },
  {
    name: "current_timestamp",
    params: "",
    min: 0,
    doc: "Milliseconds since the Unix epoch, as an Int.",
    impl: () => Date.now(),
  },
  {
    name: "performance_now",
    params: "",
    min: 0,
    doc: "Milliseconds (Float) elapsed since the first call of performance_now.",
    impl: () => mkFloat(Number(sinceOrigin("ms")) / 1e6),
  },
  {
    name: "time_us",
    params: "",
    min: 0,
    doc: "Whole microseconds (Float) elapsed since the first call of time_us.",
    impl: () => mkFloat(Number(sinceOrigin("us") / 1000n)),
  },
  {
    name: "time_ns",
    params: "",
    min: 0,
    doc: "Nanoseconds (Float) elapsed since the first call of time_ns.",
    impl: () => mkFloat(Number(sinceOrigin("ns"))),
  },
  {
    name: "format_duration",
    params: "ms",
    min: 1,
    doc: 'Human-readable duration of milliseconds: "5.00s", "123.45ms", "567.00μs", "100ns".',
    impl: (args) => {
      const ms = numOrNull(args[0]);
      if (ms === null) requires("format_duration", "a number argument");
      if (ms >= 1000) return toFixedHalfEven(ms / 1000, 2) + "s";
      if (ms >= 1) return toFixedHalfEven(ms, 2) + "ms";
      if (ms >= 0.001) return toFixedHalfEven(ms * 1000, 2) + "μs";
      return toFixedHalfEven(ms * 1_000_000, 0) + "ns";
    },
  },
  {
    name: "elapsed",
    params: "start, end",
    min: 2,
    doc: "end - start, as a Float.",
    impl: (args) => {
      const a = numOrNull(args[0]), b = numOrNull(args[1]);
      if (a === null || b === null) requires("elapsed", "number arguments");
      return mkFloat(b - a);
    },
  },
  {
    name: "format_date",
    params: "timestamp, pattern",
    min: 2,
    doc: "Formats Unix seconds in UTC, replacing YYYY, MM, DD, HH, mm and ss in the pattern.",
    impl: (args) => {
      const ts = numOrNull(args[0]);
      if (ts === null) requires("format_date", "a number timestamp");
      const pattern = args[1];
      if (typeof pattern !== "string") {
        requires("format_date", "timestamp (number) and format (string)");
      }
      return formatDate(Math.trunc(ts), pattern);
    },
  },
  {
    name: "parse_date",
    params: "text, pattern",
    min: 2,
    doc: "Unix seconds (Float) of a YYYY-MM-DD date at 00:00 UTC; the pattern is ignored.",
    impl: (args) => {
      const [text, pattern] = args;
      if (typeof text !== "string" || typeof pattern !== "string") {
        requires("parse_date", "date string and format string");
      }
      return mkFloat(parseDate(text));
    },
  },
];

/** The date and time category. */
export const time: NativeCategory = { name: "time", natives };
