-- 1000 x 1000 nested loop summing i * j
local function main()
  local total = 0
  for i = 0, 999 do
    for j = 0, 999 do
      total = total + i * j
    end
  end
  print(string.format("%d", total))
end
main()
