// Core suite, theme E: string concatenation and interpolation (C44–C59).
// Ruff's `${…}` is written `\${…}` inside these JS template literals.

import { expectStr, runOk } from "./_helpers.ts";

// C44
Deno.test("test_string_concatenation", async () => {
  const r = await runOk(`
result := "Hello " + "World"
`);
  expectStr(r, "result", "Hello World");
});

// C45
Deno.test("test_string_interpolation_basic", async () => {
  const r = await runOk(`
name := "World"
message := "Hello, \${name}!"
`);
  expectStr(r, "message", "Hello, World!");
});

// C46
Deno.test("test_string_interpolation_numbers", async () => {
  const r = await runOk(`
x := 42
result := "The answer is \${x}"
`);
  expectStr(r, "result", "The answer is 42");
});

// C47
Deno.test("test_string_interpolation_expressions", async () => {
  const r = await runOk(`
x := 6
y := 7
result := "\${x} times \${y} equals \${x * y}"
`);
  expectStr(r, "result", "6 times 7 equals 42");
});

// C48
Deno.test("test_string_interpolation_multiple", async () => {
  const r = await runOk(`
first := "John"
last := "Doe"
age := 30
bio := "Name: \${first} \${last}, Age: \${age}"
`);
  expectStr(r, "bio", "Name: John Doe, Age: 30");
});

// C49
Deno.test("test_string_interpolation_booleans", async () => {
  const r = await runOk(`
is_valid := true
status := "Valid: \${is_valid}"
`);
  expectStr(r, "status", "Valid: true");
});

// C50
Deno.test("test_string_interpolation_comparisons", async () => {
  const r = await runOk(`
x := 10
y := 5
result := "x > y: \${x > y}"
`);
  expectStr(r, "result", "x > y: true");
});

// C51
Deno.test("test_string_interpolation_nested_expressions", async () => {
  const r = await runOk(`
a := 2
b := 3
c := 4
result := "Result: \${(a + b) * c}"
`);
  expectStr(r, "result", "Result: 20");
});

// C52
Deno.test("test_string_interpolation_function_call", async () => {
  const r = await runOk(`
func double(v) {
    return v * 2
}
n := 21
result := "Double of \${n} is \${double(n)}"
`);
  expectStr(r, "result", "Double of 21 is 42");
});

// C53
Deno.test("test_string_interpolation_empty", async () => {
  const r = await runOk(`
message := "No interpolation here"
`);
  expectStr(r, "message", "No interpolation here");
});

// C54
Deno.test("test_string_interpolation_only_expression", async () => {
  const r = await runOk(`
x := 100
result := "\${x}"
`);
  expectStr(r, "result", "100");
});

// C55
Deno.test("test_string_interpolation_adjacent_expressions", async () => {
  const r = await runOk(`
a := 1
b := 2
c := 3
result := "\${a}\${b}\${c}"
`);
  expectStr(r, "result", "123");
});

// C56
Deno.test("test_string_interpolation_with_text_between", async () => {
  const r = await runOk(`
x := 10
y := 20
result := "x=\${x}, y=\${y}, sum=\${x + y}"
`);
  expectStr(r, "result", "x=10, y=20, sum=30");
});

// C57
Deno.test("test_string_interpolation_string_concat", async () => {
  const r = await runOk(`
greeting := "Hello"
name := "Alice"
result := "\${greeting}, \${name}!"
`);
  expectStr(r, "result", "Hello, Alice!");
});

// C58
Deno.test("test_string_interpolation_in_function", async () => {
  const r = await runOk(`
func greet(name) {
    return "Hello, \${name}!"
}
message := greet("World")
`);
  expectStr(r, "message", "Hello, World!");
});

// C59
Deno.test("test_string_interpolation_struct_field", async () => {
  const r = await runOk(`
struct Person {
    name: string,
    age: int
}
p := Person { name: "Bob", age: 25 }
bio := "Name: \${p.name}, Age: \${p.age}"
`);
  expectStr(r, "bio", "Name: Bob, Age: 25");
});
