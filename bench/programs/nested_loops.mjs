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
main();
