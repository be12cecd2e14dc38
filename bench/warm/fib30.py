# Steady state: fib(30) five times, each timed inside the program.
import time
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
for k in range(5):
    t0 = time.perf_counter()
    r = fib(30)
    print(r, (time.perf_counter() - t0) * 1000)
