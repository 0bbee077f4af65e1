-- chat-request.lua: the request generator and result reporter shared by closed-loop.lua and
-- paced.lua (each loads it with dofile, in wrk's main Lua state and in every thread's state).
--
-- Inputs (wrk script arguments, after the URL): model, stream ("1" or "0"), a run nonce, then
--   any number of "Name: value" request headers.
-- Output: request() POSTs a chat completion whose user message is unique per request (nonce,
--   thread id, counter), so Breakwater's exact cache is looked up and always misses — for every
--   target alike, so bodies stay byte-for-byte comparable. done() prints one line
--   `BENCH_RESULT {json}` with counts, errors and latency percentiles (microseconds), plus the
--   x-breakwater-overhead-ms samples a thread collected in a global `overheads` table, if any,
--   and the count of answers served from a cache (global `cache_answers`, paced runs only).

local threads = {}
local next_thread_id = 1

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
  table.insert(threads, thread)
end

local body_head, body_tail
local counter = 0

function init(args)
  local model, stream, nonce = args[1], args[2] == "1", args[3]
  for index = 4, #args do
    local name, value = args[index]:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  body_head = '{"model":"' .. model .. '","max_tokens":16,' .. (stream and '"stream":true,' or '')
    .. '"messages":[{"role":"system","content":"You are a terse assistant answering a gateway benchmark."},'
    .. '{"role":"user","content":"bench ' .. nonce .. ' t' .. thread_id .. ' n'
  body_tail = ': say hello in five words"}]}'
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, body_head .. counter .. body_tail)
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(char) return string.format("\\u%04x", char:byte()) end) .. '"'
end

-- Nearest-rank percentile of a sorted list.
local function percentile(sorted, p)
  if #sorted == 0 then return "null" end
  local rank = math.max(1, math.ceil(p / 100 * #sorted))
  return string.format("%.4f", sorted[rank])
end

function done(summary, latency, requests)
  local samples, first_error, cache_answers = {}, nil, 0
  for _, thread in ipairs(threads) do
    local values = thread:get("overheads")
    if values then for _, value in ipairs(values) do table.insert(samples, value) end end
    cache_answers = cache_answers + (thread:get("cache_answers") or 0)
    first_error = first_error or thread:get("first_error")
  end
  table.sort(samples)
  local errors = summary.errors
  io.write("BENCH_RESULT {"
    .. '"requests":' .. summary.requests
    .. ',"duration_us":' .. summary.duration
    .. ',"bytes":' .. summary.bytes
    .. ',"non_2xx":' .. errors.status
    .. ',"socket_errors":{"connect":' .. errors.connect .. ',"read":' .. errors.read
    .. ',"write":' .. errors.write .. ',"timeout":' .. errors.timeout .. '}'
    .. ',"latency_us":{"p50":' .. latency:percentile(50) .. ',"p90":' .. latency:percentile(90)
    .. ',"p99":' .. latency:percentile(99) .. ',"mean":' .. string.format("%.1f", latency.mean)
    .. ',"max":' .. latency.max .. '}'
    .. ',"overhead_ms":{"count":' .. #samples .. ',"p50":' .. percentile(samples, 50)
    .. ',"p99":' .. percentile(samples, 99) .. '}'
    .. ',"cache_answers":' .. cache_answers
    .. ',"first_error":' .. (first_error and json_string(first_error) or "null")
    .. "}\n")
end
