import assert from "node:assert/strict";
import { mkFloat, RFloat, type Value } from "../../lib/values.ts";
import { time, toFixedHalfEven } from "../../lib/runtime/time.ts";
import { harness, throwsMsg } from "./_helpers.ts";

const { run } = harness(time);
function float(v: Value): number {
  assert.ok(v instanceof RFloat, `expected a Float, got ${String(v)}`);
  return v.v;
}
function busy(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* spin */ }
}

Deno.test("now and current_timestamp (C164, C165, C177)", () => {
  const n = float(run("now"));
  assert.ok(Number.isInteger(n) && n > 1_700_000_000 && n < 2_000_000_000);
  const t1 = run("current_timestamp");
  assert.equal(typeof t1, "number");
  assert.ok((t1 as number) > 1_700_000_000_000 && (t1 as number) < 2_000_000_000_000);
  const t2 = run("current_timestamp") as number;
  assert.ok(t2 >= (t1 as number));
});

Deno.test("performance_now, time_us, time_ns: lazy origins, monotonic (C166–C171)", () => {
  const p1 = float(run("performance_now"));
  const u1 = float(run("time_us"));
  const n1 = float(run("time_ns"));
  assert.ok(p1 >= 0 && p1 < 10000);
  assert.ok(u1 >= 0 && Number.isInteger(u1));
  assert.ok(n1 >= 0 && Number.isInteger(n1));
  let x = 0;
  for (let i = 0; i < 1000; i++) x += i;
  assert.equal(x, 499500);
  const p2 = float(run("performance_now"));
  assert.ok(p2 > p1 && p2 - p1 < 10000);
  busy(3);
  const u2 = float(run("time_us"));
  const n2 = float(run("time_ns"));
  assert.ok(u2 - u1 >= 2000, `${u2} - ${u1}`);
  assert.ok(n2 - n1 >= 2_000_000);
  assert.ok(float(run("performance_now")) >= p2 + 2);
});

Deno.test("format_duration (C172)", () => {
  assert.equal(run("format_duration", mkFloat(5000)), "5.00s");
  assert.equal(run("format_duration", mkFloat(123.45)), "123.45ms");
  assert.equal(run("format_duration", mkFloat(0.567)), "567.00μs");
  assert.equal(run("format_duration", mkFloat(0.0001)), "100ns");
  assert.equal(run("format_duration", -5), "-5000000ns");
  assert.equal(run("format_duration", 1500), "1.50s");
  assert.equal(run("format_duration", 1), "1.00ms");
  assert.equal(toFixedHalfEven(0.125, 2), "0.12");
  assert.equal(toFixedHalfEven(0.375, 2), "0.38");
  assert.equal(toFixedHalfEven(2.5, 0), "2");
  assert.equal(toFixedHalfEven(1.005, 2), "1.00"); // 1.005 is below the tie in binary
  throwsMsg(() => run("format_duration", "x"), "format_duration() requires a number argument");
});

Deno.test("elapsed (C173)", () => {
  assert.deepEqual(run("elapsed", mkFloat(100), mkFloat(250.5)), mkFloat(150.5));
  assert.deepEqual(run("elapsed", 1, 4), mkFloat(3));
  throwsMsg(() => run("elapsed", 1, "x"), "elapsed() requires number arguments");
});

Deno.test("format_date in UTC", () => {
  assert.equal(run("format_date", 1640995200, "YYYY-MM-DD"), "2022-01-01");
  assert.equal(
    run("format_date", mkFloat(1706140800.9), "YYYY/MM/DD HH:mm:ss"),
    "2024/01/25 00:00:00",
  );
  assert.equal(
    run("format_date", 1718454645, "DD.MM.YYYY HH:mm:ss YYYY"),
    "15.06.2024 12:30:45 2024",
  );
  assert.equal(run("format_date", 0, "plain"), "plain");
  throwsMsg(() => run("format_date", "x", "YYYY"), "format_date() requires a number timestamp");
  throwsMsg(
    () => run("format_date", 1, 2),
    "format_date() requires timestamp (number) and format (string)",
  );
  throwsMsg(() => run("format_date", 10 ** 15, "YYYY"), "Timestamp out of range: 1000000000000000");
});

Deno.test("parse_date", () => {
  assert.deepEqual(run("parse_date", "2022-01-01", "YYYY-MM-DD"), mkFloat(1640995200));
  assert.deepEqual(run("parse_date", "2024-02-29", "ignored"), mkFloat(1709164800));
  assert.deepEqual(run("parse_date", "1969-12-31", ""), mkFloat(-86400));
  assert.deepEqual(run("parse_date", "2023-02-29", ""), mkFloat(0));
  assert.deepEqual(run("parse_date", "2022-13-01", ""), mkFloat(0));
  assert.deepEqual(run("parse_date", "2022-01", ""), mkFloat(0));
  assert.deepEqual(run("parse_date", "x-02-01", ""), mkFloat(31 * 86400)); // year falls back to 1970
  throwsMsg(() => run("parse_date", 1, "x"), "parse_date() requires date string and format string");
});
