-- Build 100000 strings by concatenation, then join them
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
  local rows = {}
  for i = 0, 100000 - 1 do
    rows[#rows + 1] = "item-" .. tostring(i) .. ":" .. tostring(i * 2)
  end
  local text = table.concat(rows, "\n")
  print(string.format("%d", #text))
end
local t0 = now()
main()
io.stderr:write(string.format("elapsed_ms: %.3f\n", (now() - t0) * 1000))
