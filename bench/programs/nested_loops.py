# 1000 x 1000 nested loop summing i * j
def main():
    total = 0
    for i in range(1000):
        for j in range(1000):
            total += i * j
    print(total)


main()
