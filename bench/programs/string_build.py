# Build 100000 strings by concatenation, then join them
def main():
    rows = []
    for i in range(100000):
        rows.append("item-" + str(i) + ":" + str(i * 2))
    text = "\n".join(rows)
    print(len(text))


main()
