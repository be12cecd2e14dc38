// Core suite, theme D: structs, arrays and dicts — literals and in-place mutation (C39–C43).

import {
  assertBool,
  assertInt,
  assertStr,
  assertStruct,
  expectArray,
  expectDict,
  expectStruct,
  runOk,
} from "./_helpers.ts";

// C39
Deno.test("test_field_assignment_struct", async () => {
  const r = await runOk(`
struct Person {
    name: string,
    age: int
}
p := Person { name: "Alice", age: 25 }
p.age := 26
`);
  const fields = expectStruct(r, "p", "Person");
  assertInt(fields.get("age"), 26, "p.age");
  assertStr(fields.get("name"), "Alice", "p.name");
});

// C40
Deno.test("test_field_assignment_in_array", async () => {
  const r = await runOk(`
struct Todo {
    title: string,
    done: bool
}
todos := [Todo { title: "Task 1", done: false }, Todo { title: "Task 2", done: false }]
todos[0].done := true
`);
  const items = expectArray(r, "todos", 2);
  const first = assertStruct(items[0], "Todo", "todos[0]");
  assertBool(first.get("done"), true, "todos[0].done");
  assertStr(first.get("title"), "Task 1", "todos[0].title");
  const second = assertStruct(items[1], "Todo", "todos[1]");
  assertBool(second.get("done"), false, "todos[1].done");
});

// C41
Deno.test("test_array_index_assignment", async () => {
  const r = await runOk(`
arr := [1, 2, 3]
arr[1] := 20
`);
  const items = expectArray(r, "arr", 3);
  assertInt(items[0], 1, "arr[0]");
  assertInt(items[1], 20, "arr[1]");
  assertInt(items[2], 3, "arr[2]");
});

// C42
Deno.test("test_dict_operations", async () => {
  const r = await runOk(`
person := {"name": "Bob", "age": 30}
person["age"] := 31
`);
  const map = expectDict(r, "person");
  assertInt(map.get("age"), 31, 'person["age"]');
  assertStr(map.get("name"), "Bob", 'person["name"]');
});

// C43
Deno.test("test_struct_field_access", async () => {
  const r = await runOk(`
struct Rectangle {
    width: int,
    height: int
}
rect := Rectangle { width: 5, height: 3 }
`);
  const fields = expectStruct(r, "rect", "Rectangle");
  assertInt(fields.get("width"), 5, "rect.width");
  assertInt(fields.get("height"), 3, "rect.height");
});
