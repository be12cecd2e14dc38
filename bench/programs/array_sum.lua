-- Build a 1e6-element array by appending, then sum it with a loop
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
local t0 = now()
main()
io.stderr:write(string.format("elapsed_ms: %.3f\n", (now() - t0) * 1000))
