-- paced-get.lua: latency of one GET under a steady, light load.
-- Inputs: the URL and any -H headers on wrk's command line; BENCH_DELAY_MS in the environment
--   (each connection waits that long before each request; default 9, so 2 connections give
--   ~200 requests per second whatever the answer time, well below saturation).
-- Output: one line `BENCH_RESULT {json}` with request and error counts, the run's duration and
--   latency percentiles in microseconds (wrk measures from the request's write, so the
--   pacing delay is not counted).

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "9")

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end
