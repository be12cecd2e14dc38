# Build a 1e6-element array with append, then sum it with a loop
import sys
import time


def main():
    xs = []
    i = 0
    while i < 1000000:
        xs.append(i)
        i += 1
    total = 0
    j = 0
    n = len(xs)
    while j < n:
        total += xs[j]
        j += 1
    print(total)


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
