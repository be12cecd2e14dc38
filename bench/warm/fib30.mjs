// Steady state: fib(30) five times, each timed inside the program.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
for (let k = 0; k < 5; k++) {
  const t0 = performance.now();
  const r = fib(30);
  console.log(r, performance.now() - t0);
}
