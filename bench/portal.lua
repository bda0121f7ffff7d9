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

-- done(): the "BENCH_RESULT {json}" line, from bench/wrk_result.lua beside this file
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
done = require("wrk_result").done
