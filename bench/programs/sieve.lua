-- Sieve of Eratosthenes: number of primes below 1,000,000 (index k + 1 holds number k)
local function main()
  local limit = 1000000
  local flags = {}
  local k = 0
  while k < limit do
    flags[#flags + 1] = true
    k = k + 1
  end
  flags[1] = false
  flags[2] = false
  local i = 2
  while i * i < limit do
    if flags[i + 1] then
      local j = i * i
      while j < limit do
        flags[j + 1] = false
        j = j + i
      end
    end
    i = i + 1
  end
  local count = 0
  for _, f in ipairs(flags) do
    if f then count = count + 1 end
  end
  print(string.format("%d", count))
end
main()
