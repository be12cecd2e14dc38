// Build a 1e6-element array with push, then sum it with a loop
function main() {
  const xs = [];
  let i = 0;
  while (i < 1000000) {
    xs.push(i);
    i += 1;
  }
  let total = 0;
  let j = 0;
  const n = xs.length;
  while (j < n) {
    total += xs[j];
    j += 1;
  }
  console.log(total);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
