// Recursive Fibonacci: fib(25)
function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
const t0 = performance.now();
console.log(fib(25));
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
