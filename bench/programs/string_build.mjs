// Build 100000 strings by concatenation, then join them
function main() {
  const rows = [];
  for (let i = 0; i < 100000; i++) {
    rows.push("item-" + String(i) + ":" + String(i * 2));
  }
  const text = rows.join("\n");
  console.log(text.length);
}
const t0 = performance.now();
main();
console.error(`elapsed_ms: ${(performance.now() - t0).toFixed(3)}`);
