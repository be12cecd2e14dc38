-- Steady state: fib(30) five times, each timed inside the program (CPU time via os.clock).
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
for k = 1, 5 do
  local t0 = os.clock()
  local r = fib(30)
  print(r, (os.clock() - t0) * 1000)
end
