# Recursive Fibonacci: fib(30)
import sys
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


t0 = time.perf_counter()
print(fib(30))
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
