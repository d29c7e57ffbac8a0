-- PUT then DELETE /api/creators/<creator>/follow, each fan alternating, fans in turn.
-- Environment: BENCH_CREATOR, BENCH_TOKENS_FILE (one bearer token per line).
local creator = os.getenv("BENCH_CREATOR")
local tokens = {}
for token in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
  tokens[#tokens + 1] = token
end
local path = "/api/creators/" .. creator .. "/follow"
local n = 0
-- wrk's thread count, set by bench/wrk.py: each thread takes every `threads`-th request.
local threads = tonumber(os.getenv("BENCH_WRK_THREADS") or "")
assert(threads, "set BENCH_WRK_THREADS to wrk's -t (make bench does)")

setup = function(thread)
  thread:set("first", n)
  n = n + 1
end

init = function(args)
  n = first
end

request = function()
  local fan = (n % #tokens) + 1
  local method = (math.floor(n / #tokens) % 2 == 0) and "PUT" or "DELETE"
  n = n + threads -- threads take turns, so each fan's PUT and DELETE alternate
  return wrk.format(method, path, { ["Authorization"] = "Bearer " .. tokens[fan] })
end
