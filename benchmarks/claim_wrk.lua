-- wrk script for the claim benchmark: every request carries the token of the next shopper (tokens from
-- the file named by BENCH_TOKENS), so per-user limits do not bite; counts 201s and other 2xx per thread.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    tokens[#tokens + 1] = line
  end
  method = os.getenv("BENCH_METHOD") or "POST"
  counter = (id * 7919) % #tokens
  created = 0
  ok = 0
end

function request()
  counter = counter % #tokens + 1
  return wrk.format(method, nil, { ["Authorization"] = "Token " .. tokens[counter] }, nil)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status >= 200 and status < 300 then
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("ok")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT created=%d ok=%d total=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non_2xx_3xx=%d\n",
    c, o, summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
