// Iterative Fibonacci, called 100000 times
function fib(n) {
  let a = 0;
  let b = 1;
  let i = 0;
  while (i < n) {
    const t = a + b;
    a = b;
    b = t;
    i += 1;
  }
  return a;
}
function main() {
  let total = 0;
  for (let i = 0; i < 100000; i++) {
    total += fib(i % 50);
  }
  console.log(total);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
