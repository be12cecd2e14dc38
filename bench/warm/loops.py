# Steady state: the nested-loop, array, Float and sieve kernels, each run five times, timed inside.
import time
def nested():
    total = 0
    for i in range(1000):
        for j in range(1000):
            total += i * j
    return total
def arr_sum(xs):
    t = 0
    j = 0
    n = len(xs)
    while j < n:
        t += xs[j]
        j += 1
    return t
def mandel():
    total = 0
    for py in range(200):
        cy = -1.5 + 3.0 * py / 200.0
        for px in range(200):
            cx = -2.0 + 3.0 * px / 200.0
            x = 0.0
            y = 0.0
            it = 0
            while it < 100:
                x2 = x * x
                y2 = y * y
                if x2 + y2 > 4.0:
                    break
                y = 2.0 * x * y + cy
                x = x2 - y2 + cx
                it += 1
            total += it
    return total
def sieve(limit):
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
    return count
xs = []
for i in range(1000000):
    xs.append(i)
for k in range(5):
    t0 = time.perf_counter()
    a = nested()
    t1 = time.perf_counter()
    b = arr_sum(xs)
    t2 = time.perf_counter()
    c = mandel()
    t3 = time.perf_counter()
    d = sieve(1000000)
    t4 = time.perf_counter()
    print("nested", a, (t1 - t0) * 1000, "array_sum", b, (t2 - t1) * 1000, "mandelbrot", c, (t3 - t2) * 1000, "sieve", d, (t4 - t3) * 1000)
