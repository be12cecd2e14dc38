-- Sieve of Eratosthenes: number of primes below 1,000,000 (index k + 1 holds number k)
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
local t0 = now()
main()
io.stderr:write(string.format("elapsed_ms: %.3f\n", (now() - t0) * 1000))
