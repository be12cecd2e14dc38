// 1000 x 1000 nested loop summing i * j
function main() {
  let total = 0;
  for (let i = 0; i < 1000; i++) {
    for (let j = 0; j < 1000; j++) {
      total += i * j;
    }
  }
  console.log(total);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
