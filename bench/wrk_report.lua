-- Loaded into wrk by bench/pages.sh. wrk's own summary counts 3xx as success and
-- prints latency in mixed units; this prints the one line the script parses,
--   RESULT req/s p50_ms p95_ms p99_ms requests non_2xx first_non_2xx_status socket_errors
-- with every non-2xx response counted (a redirect or a 404 is cheap and would
-- otherwise pass for a fast page).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  first_bad_status = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad_status == 0 then
      first_bad_status = status
    end
  end
end

function done(summary, latency, requests)
  local non, bad = 0, 0
  for _, thread in ipairs(threads) do
    non = non + thread:get("non2xx")
    if bad == 0 then
      bad = thread:get("first_bad_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT %.1f %.2f %.2f %.2f %d %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, non, bad, e.connect + e.read + e.write + e.timeout))
end
