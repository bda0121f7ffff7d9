-- wrk script of bench/portal_bench.py: GET each path of BENCH_PATHS_FILE (one per line) in
-- turn, threads starting at different places; done() prints one "BENCH_RESULT {json}" line.

local paths_file = os.getenv("BENCH_PATHS_FILE") or ""
local thread_count = 0
local prepared = {}
local cursor = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  if paths_file ~= "" then
    for line in io.lines(paths_file) do
      if line ~= "" then
        table.insert(prepared, wrk.format("GET", line))
      end
    end
  end
  if #prepared == 0 then
    table.insert(prepared, wrk.format("GET"))
  end
  cursor = ((thread_id or 0) * 97) % #prepared
end

function request()
  cursor = cursor % #prepared + 1
  return prepared[cursor]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "errors_connect": %d, '
      .. '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout))
end
