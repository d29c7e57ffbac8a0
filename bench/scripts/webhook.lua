-- POST pre-signed, distinct Stripe events, one per request, from BENCH_EVENTS_FILE
-- (one event per line: "<Stripe-Signature>\t<raw body>").
local events = {}
for line in io.lines(os.getenv("BENCH_EVENTS_FILE")) do
  local tab = string.find(line, "\t", 1, true)
  events[#events + 1] = { string.sub(line, 1, tab - 1), string.sub(line, tab + 1) }
end
local n = 0
-- wrk's thread count, set by bench/wrk.py: each thread takes every `threads`-th request.
local threads = tonumber(os.getenv("BENCH_WRK_THREADS") or "")
assert(threads, "set BENCH_WRK_THREADS to wrk's -t (make bench does)")

setup = function(thread)
  thread:set("offset", n)
  n = n + 1
end

init = function(args)
  counter = offset
end

request = function()
  local event = events[(counter % #events) + 1]
  counter = counter + threads -- threads interleave, so no event is sent twice
  return wrk.format("POST", "/api/webhooks/stripe",
    { ["Stripe-Signature"] = event[1], ["Content-Type"] = "application/json" }, event[2])
end
