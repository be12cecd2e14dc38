# Build 100000 strings by concatenation, then join them
import sys
import time


def main():
    rows = []
    for i in range(100000):
        rows.append("item-" + str(i) + ":" + str(i * 2))
    text = "\n".join(rows)
    print(len(text))


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
