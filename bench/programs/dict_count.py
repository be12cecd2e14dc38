# Count 200000 keys drawn from 1000 distinct strings in a dict
import sys
import time


def main():
    counts = {}
    for i in range(200000):
        key = f"k{i % 1000}"
        if key in counts:
            counts[key] += 1
        else:
            counts[key] = 1
    total = 0
    for key in counts:
        total += counts[key]
    print(len(counts), counts["k7"], total)


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
