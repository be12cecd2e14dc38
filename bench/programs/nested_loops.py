# 1000 x 1000 nested loop summing i * j
import sys
import time


def main():
    total = 0
    for i in range(1000):
        for j in range(1000):
            total += i * j
    print(total)


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
