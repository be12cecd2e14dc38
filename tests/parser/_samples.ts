/** Valid Ruff programs used by the example and fuzz tests. */
export const SAMPLE_PROGRAMS: string[] = [
  `name := "Ada"
print("Hi \${name}, \${1 + 2} items, cost \\$\${4 * 5}")
print("tab:\\tend", "quote:\\"", "brace:\${ {"k": "}"}["k"] }")
`,
  `evens := nums
    .filter(func(n) { return n % 2 == 0 })
    .map(func(n) { return n * n })
`,
  `score := 95
label := ""
if score > 90 { label := "A" } else if score > 80 { label = "B" } else { label := "C" }
print(label)
`,
  `func make_counter() {
    count := 0
    return func() { count := count + 1; return count }
}
c := make_counter()
c()
print(c(), c())
fs := []
for i in 3 { fs.push(func() { return i * 10 }) }
print(fs[0](), fs[2]())
`,
  `[first, [x, y], _, ...rest] := [1, [2, 3], 4, 5, 6]
{name, age, ...extra} := {"name": "Ann", "role": "dev", "city": "Oslo"}
print(first, x, y, rest, name, age, extra)
for [k, v] in items({"b": 2, "a": 1}) { print(k, v) }
`,
  `value := 0
try { value := parse_int("abc") } except e { }
print(type(value), value.message)
`,
  `func describe(v) {
    match v {
        case 0: { return "zero" }
        case "stop": { return "string stop" }
        case Ok(x): { return "ok \${x}" }
        case None: return "none"
        case _: { return "other" }
    }
}
print(describe(0), describe("stop"), describe(Ok(2)), describe(None), describe(1.5))
`,
  `struct Counter {
    n: int
    func bump(self) { self.n += 1 }
    func get(self) { return self.n }
}
c := Counter { n: 0 }
c.bump()
d := c
print(c.get(), d.get(), c)
struct Temp {
    celsius: float
    func fahrenheit() { return celsius * 9.0 / 5.0 + 32.0 }
    func zero() { return Temp { celsius: 0.0 } }
}
print(Temp { celsius: 100.0 }.fahrenheit(), Temp.zero())
`,
  `enum Shape { Circle, Rect, Empty }
s := Shape::Rect(2, 3)
match s {
    case Shape::Circle(r): { print("circle", r) }
    case Shape::Rect(w, h): { print("rect", w * h) }
    case Shape::Empty: { print("empty") }
}
print(s, Shape::Empty, type(s))
`,
  `struct V {
    x: int
    y: int
    func op_add(self, o) { return V { x: self.x + o.x, y: self.y + o.y } }
    func op_eq(self, o) { return self.x == o.x }
}
a := V { x: 1, y: 0 }
print(V { x: 1, y: 2 } + V { x: 3, y: 4 }, a == a, a != a)
`,
  `func inner() { throw("disk full") }
func outer() { inner() }
try { outer() } except e {
    print(e)
    print(e.message, e.stack, e.line, e.cause)
}
`,
  `func half(n) {
    if n % 2 != 0 { return Err("odd: \${n}") }
    return Ok(n / 2)
}
func quarter(n) {
    h := half(n)?
    return half(h)
}
print(quarter(8), quarter(6), quarter(5))
`,
  `func* count_up(n) {
    mut i := 0
    while i < n { yield i; i += 1 }
}
for v in count_up(3) { print(v) }
gen := func*() { yield; yield 1 + 2 }
`,
  `x := 1
spawn { x := 100; y := 5; print("task sees", x) }
x := 2
async func compute(x) {
    print("computing", x)
    return x * 2
}
p := compute(21)
print(await p, await 5)
ch := channel()
spawn { ch.send(42) }
print(ch.receive(), ch.receive())
`,
  `export const TAU := 6.283185307179586
export func area(r) { return TAU / 2.0 * r * r }
helper := 1
from geometry import area, TAU
import geometry
import a.b.c
`,
  `test_setup { db := 1 }
test_teardown { db := null }
test "adds" { assert_equal(1 + 1, 2) }
test_group "strings" {
    test "upper" { assert_equal(upper("a"), "A") }
}
`,
  `let total: int = 0
const LIMIT: Array<Result<int, string>> := 10
items: Array<int> := [1, 2, 3]
func add(a: int, b: int) -> int { return a + b }
cfg := {timeout: 30, default: true, (key): 1, ...base}
cfg.default := false
grid[r][c] := 1
game.players[0].score += 10
v := a?.b ?? 0 |> str
n := -9223372036854775807 - 1
w := !done && (x <= 1 || y >= 2)
`,
];
