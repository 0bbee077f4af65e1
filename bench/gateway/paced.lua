-- paced.lua: latency under a steady, moderate load. Each connection waits delay() ms before
-- each request, so 8 connections give ~500 RPS minus the time spent waiting for answers,
-- well below every target's saturation point: the latency measured is the gateway's, not a queue's.
-- The wait is drawn from an exponential distribution with mean BENCH_DELAY_MS, as the think
-- time of independent clients is: a fixed wait keeps the 8 connections in the phase they
-- started in, so their requests land as one burst of 8 every ~16 ms and each request's latency
-- then includes the CPU time of the ones ahead of it in the burst (a queue, not the gateway).
-- Inputs: as chat-request.lua, plus BENCH_DELAY_MS in the environment (default 16).
-- Output: as chat-request.lua; response() collects x-breakwater-overhead-ms (the gateway's own
--   time, as Breakwater measures it), counts answers served from a cache (x-breakwater-cache
--   neither miss nor bypass) and keeps the first error answer (status >= 400) for the report.
-- The overhead samples are collected here rather than by a separate undici client afterwards:
--   they then come from exactly the requests whose latency is reported, under the same load, and
--   done() gets every sample (thread:get copies each thread's table), so none is lost or sampled.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "chat-request.lua")

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "16")

local seeded = false

function delay()
  if not seeded then
    math.randomseed(os.time() * 1000 + (thread_id or 0))
    seeded = true
  end
  -- wrk truncates to whole milliseconds; the mean stays within 0.5 ms of delay_ms.
  return -math.log(1 - math.random()) * delay_ms
end

-- Globals, not locals: done() reads them from each thread with thread:get().
overheads = {}
cache_answers = 0
first_error = nil

function response(status, headers, body)
  for name, value in pairs(headers) do
    local lower = name:lower()
    if lower == "x-breakwater-overhead-ms" then table.insert(overheads, tonumber(value)) end
    -- Every body is unique, so any cache answer means the cache matched two different requests.
    if lower == "x-breakwater-cache" and value ~= "miss" and value ~= "bypass" then cache_answers = cache_answers + 1 end
  end
  if status >= 400 and first_error == nil then first_error = status .. " " .. body:sub(1, 300) end
end
