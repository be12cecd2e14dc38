# Mandelbrot: total escape iterations over a 200 x 200 grid, at most 100 each
import sys
import time


def main():
    size = 200
    max_iter = 100
    total = 0
    for py in range(size):
        cy = -1.5 + 3.0 * py / 200.0
        for px in range(size):
            cx = -2.0 + 3.0 * px / 200.0
            x = 0.0
            y = 0.0
            it = 0
            while it < max_iter:
                x2 = x * x
                y2 = y * y
                if x2 + y2 > 4.0:
                    break
                y = 2.0 * x * y + cy
                x = x2 - y2 + cx
                it += 1
            total += it
    print(total)


t0 = time.perf_counter()
main()
print(f"elapsed_ms: {(time.perf_counter() - t0) * 1000:.3f}", file=sys.stderr)
