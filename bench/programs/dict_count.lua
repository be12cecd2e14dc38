-- Count 200000 keys drawn from 1000 distinct strings in a table
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
local t0 = now()
main()
io.stderr:write(string.format("elapsed_ms: %.3f\n", (now() - t0) * 1000))
