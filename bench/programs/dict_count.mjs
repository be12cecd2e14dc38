// Count 200000 keys drawn from 1000 distinct strings in a dict (a Map)
function main() {
  const counts = new Map();
  for (let i = 0; i < 200000; i++) {
    const key = `k${i % 1000}`;
    if (counts.has(key)) {
      counts.set(key, counts.get(key) + 1);
    } else {
      counts.set(key, 1);
    }
  }
  let total = 0;
  for (const key of counts.keys()) {
    total += counts.get(key);
  }
  console.log(counts.size, counts.get("k7"), total);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
