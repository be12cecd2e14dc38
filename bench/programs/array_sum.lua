-- Build a 1e6-element array by appending, then sum it with a loop
local function main()
  local xs = {}
  local i = 0
  while i < 1000000 do
    xs[#xs + 1] = i
    i = i + 1
  end
  local total = 0
  local j = 1
  local n = #xs
  while j <= n do
    total = total + xs[j]
    j = j + 1
  end
  print(string.format("%d", total))
end
main()
