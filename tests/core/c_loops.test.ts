// Core suite, theme C: loops and control flow (C25–C38).

import { assert, expectArray, expectBool, expectInt, runOk } from "./_helpers.ts";

// C25 (upstream: no assertion; the printed lines are defined by LANGUAGE.md §4.1)
Deno.test("test_for_in_loop", async () => {
  const r = await runOk(`
items := []
for item in [1, 2, 3] {
    print(item)
}
`);
  assert.equal(r.output, "1\n2\n3\n");
  expectArray(r, "items", 0);
});

// C26
Deno.test("test_while_loop_basic", async () => {
  const r = await runOk(`
x := 0
while x < 5 {
    x := x + 1
}
`);
  expectInt(r, "x", 5);
});

// C27
Deno.test("test_while_loop_with_boolean", async () => {
  const r = await runOk(`
running := true
count := 0
while running {
    count := count + 1
    if count >= 3 {
        running := false
    }
}
`);
  expectInt(r, "count", 3);
  expectBool(r, "running", false);
});

// C28
Deno.test("test_break_in_while_loop", async () => {
  const r = await runOk(`
x := 0
while x < 100 {
    x := x + 1
    if x == 5 {
        break
    }
}
`);
  expectInt(r, "x", 5);
});

// C29
Deno.test("test_break_in_for_loop", async () => {
  const r = await runOk(`
sum := 0
for i in 10 {
    if i > 5 {
        break
    }
    sum := sum + i
}
`);
  expectInt(r, "sum", 15);
});

// C30
Deno.test("test_continue_in_while_loop", async () => {
  const r = await runOk(`
x := 0
sum := 0
while x < 5 {
    x := x + 1
    if x == 3 {
        continue
    }
    sum := sum + x
}
`);
  expectInt(r, "sum", 12);
});

// C31
Deno.test("test_continue_in_for_loop", async () => {
  const r = await runOk(`
sum := 0
for i in 10 {
    if i % 2 == 0 {
        continue
    }
    sum := sum + i
}
`);
  expectInt(r, "sum", 25);
});

// C32
Deno.test("test_nested_loops_with_break", async () => {
  const r = await runOk(`
outer := 0
inner_count := 0
for i in 3 {
    outer := outer + 1
    for j in 5 {
        inner_count := inner_count + 1
        if j == 2 {
            break
        }
    }
}
`);
  expectInt(r, "outer", 3);
  expectInt(r, "inner_count", 9);
});

// C33
Deno.test("test_nested_loops_with_continue", async () => {
  const r = await runOk(`
total := 0
for i in 3 {
    for j in 5 {
        if j == 2 {
            continue
        }
        total := total + 1
    }
}
`);
  expectInt(r, "total", 12);
});

// C34
Deno.test("test_while_with_break_and_continue", async () => {
  const r = await runOk(`
x := 0
sum := 0
while true {
    x := x + 1
    if x > 10 {
        break
    }
    if x % 2 == 0 {
        continue
    }
    sum := sum + x
}
`);
  expectInt(r, "sum", 25);
  expectInt(r, "x", 11);
});

// C35
Deno.test("test_while_false_condition", async () => {
  const r = await runOk(`
executed := false
while false {
    executed := true
}
`);
  expectBool(r, "executed", false);
});

// C36
Deno.test("test_for_loop_with_array_and_break", async () => {
  const r = await runOk(`
numbers := [1, 2, 3, 4, 5]
sum := 0
for n in numbers {
    sum := sum + n
    if n == 3 {
        break
    }
}
`);
  expectInt(r, "sum", 6);
});

// C37
Deno.test("test_for_loop_with_array_and_continue", async () => {
  const r = await runOk(`
numbers := [1, 2, 3, 4, 5]
sum := 0
for n in numbers {
    if n == 3 {
        continue
    }
    sum := sum + n
}
`);
  expectInt(r, "sum", 12);
});

// C38
Deno.test("test_while_with_complex_condition", async () => {
  const r = await runOk(`
x := 0
y := 10
while x < 5 {
    x := x + 1
    y := y - 1
}
`);
  expectInt(r, "x", 5);
  expectInt(r, "y", 5);
});
