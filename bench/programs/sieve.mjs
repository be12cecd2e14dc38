// Sieve of Eratosthenes: number of primes below 1,000,000
function main() {
  const limit = 1000000;
  const flags = [];
  let k = 0;
  while (k < limit) {
    flags.push(true);
    k += 1;
  }
  flags[0] = false;
  flags[1] = false;
  let i = 2;
  while (i * i < limit) {
    if (flags[i]) {
      let j = i * i;
      while (j < limit) {
        flags[j] = false;
        j += i;
      }
    }
    i += 1;
  }
  let count = 0;
  for (const f of flags) {
    if (f) count += 1;
  }
  console.log(count);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
