# Iterative Fibonacci, called 100000 times
import sys
import time


def fib(n):
    a = 0
    b = 1
    i = 0
    while i < n:
        t = a + b
        a = b
        b = t
        i += 1
    return a


def main():
    total = 0
    for i in range(100000):
        total += fib(i % 50)
    print(total)


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
