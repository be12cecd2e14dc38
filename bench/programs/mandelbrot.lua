-- Mandelbrot: total escape iterations over a 200 x 200 grid, at most 100 each
local function main()
  local size = 200
  local max_iter = 100
  local total = 0
  for py = 0, size - 1 do
    local cy = -1.5 + 3.0 * py / 200.0
    for px = 0, size - 1 do
      local cx = -2.0 + 3.0 * px / 200.0
      local x, y = 0.0, 0.0
      local it = 0
      while it < max_iter do
        local x2 = x * x
        local y2 = y * y
        if x2 + y2 > 4.0 then break end
        y = 2.0 * x * y + cy
        x = x2 - y2 + cx
        it = it + 1
      end
      total = total + it
    end
  end
  print(string.format("%d", total))
end
main()
