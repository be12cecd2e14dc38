-- Build 100000 strings by concatenation, then join them
local function main()
  local rows = {}
  for i = 0, 100000 - 1 do
    rows[#rows + 1] = "item-" .. tostring(i) .. ":" .. tostring(i * 2)
  end
  local text = table.concat(rows, "\n")
  print(string.format("%d", #text))
end
main()
