-- The done() of bench/answers.lua and bench/portal.lua: wrk's figures as one line
-- "BENCH_RESULT {json}" that bench/harness.py's run_wrk reads. A script takes it with
--   package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
--   done = require("wrk_result").done
-- (the first line finds this file beside the script, whatever wrk's working directory).

local wrk_result = {}

function wrk_result.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "errors_connect": %d, '
      .. '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout))
end

return wrk_result
