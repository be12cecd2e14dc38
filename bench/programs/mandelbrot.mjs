// Mandelbrot: total escape iterations over a 200 x 200 grid, at most 100 each
function main() {
  const size = 200;
  const maxIter = 100;
  let total = 0;
  for (let py = 0; py < size; py++) {
    const cy = -1.5 + 3.0 * py / 200.0;
    for (let px = 0; px < size; px++) {
      const cx = -2.0 + 3.0 * px / 200.0;
      let x = 0.0;
      let y = 0.0;
      let it = 0;
      while (it < maxIter) {
        const x2 = x * x;
        const y2 = y * y;
        if (x2 + y2 > 4.0) break;
        y = 2.0 * x * y + cy;
        x = x2 - y2 + cx;
        it += 1;
      }
      total += it;
    }
  }
  console.log(total);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
