# Sieve of Eratosthenes: number of primes below 1,000,000
import sys
import time


def main():
    limit = 1000000
    flags = []
    k = 0
    while k < limit:
        flags.append(True)
        k += 1
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i < limit:
        if flags[i]:
            j = i * i
            while j < limit:
                flags[j] = False
                j += i
        i += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    print(count)


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
