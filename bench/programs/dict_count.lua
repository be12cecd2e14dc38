-- Count 200000 keys drawn from 1000 distinct strings in a table
local function main()
  local counts = {}
  local size = 0
  for i = 0, 200000 - 1 do
    local key = "k" .. tostring(i % 1000)
    if counts[key] then
      counts[key] = counts[key] + 1
    else
      counts[key] = 1
      size = size + 1
    end
  end
  local total = 0
  for _, v in pairs(counts) do
    total = total + v
  end
  print(string.format("%d %d %d", size, counts["k7"], total))
end
main()
