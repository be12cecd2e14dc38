-- Iterative Fibonacci, called 100000 times
local function fib(n)
  local a, b, i = 0, 1, 0
  while i < n do
    local t = a + b
    a = b
    b = t
    i = i + 1
  end
  return a
end
local function main()
  local total = 0
  for i = 0, 100000 - 1 do
    total = total + fib(i % 50)
  end
  print(string.format("%d", total))
end
main()
