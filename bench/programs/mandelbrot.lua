-- Mandelbrot: total escape iterations over a 200 x 200 grid, at most 100 each
-- Wall clock for the elapsed_ms line on stderr: CLOCK_MONOTONIC through LuaJIT's FFI on Linux,
-- else os.clock (CPU time).
local now = os.clock
do
  local ok, ffi = pcall(require, "ffi")
  if ok and ffi.os == "Linux" then
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clock_id, bench_timespec *tp);
    ]]
    local ts = ffi.new("bench_timespec")
    now = function()
      ffi.C.clock_gettime(1, ts)
      return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
    end
  end
end
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
local t0 = now()
main()
io.stderr:write(string.format("elapsed_ms: %.3f\n", (now() - t0) * 1000))
