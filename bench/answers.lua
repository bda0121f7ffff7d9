-- wrk script of bench/assessment_bench.py.
--
-- With BENCH_INDICATORS (comma-separated keys) it sends PUT <BENCH_ANSWERS_PATH><indicator>
-- with a bearer token (BENCH_TOKEN) and a JSON answer, rotating over the indicators, the values
-- (levels 1-5, dont_know, not_applicable) and the confidences; without it, GET of the URL given
-- to wrk. Every request is built once in init(), so wrk's own cost is the same in both modes.
-- done() prints one line "BENCH_RESULT {json}" that the Python script reads.

local token = os.getenv("BENCH_TOKEN") or ""
local answers_path = os.getenv("BENCH_ANSWERS_PATH") or ""
local indicator_list = os.getenv("BENCH_INDICATORS") or ""

local thread_count = 0
local prepared = {}
local cursor = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

local function answer_requests(indicators)
  local values = { "1", "2", "3", "4", "5", '"dont_know"', '"not_applicable"' }
  local confidences = { '"low"', '"medium"', '"high"', "null" }
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  for i = 0, #indicators * #values - 1 do
    local indicator = indicators[i % #indicators + 1]
    local value = values[math.floor(i / #indicators) % #values + 1]
    local confidence = confidences[i % #confidences + 1]
    local body = string.format(
      '{"value": %s, "confidence": %s, "comment": "saved by the benchmark (%d)"}',
      value, confidence, i)
    table.insert(prepared, wrk.format("PUT", answers_path .. indicator, headers, body))
  end
end

function init(args)
  local indicators = {}
  for key in string.gmatch(indicator_list, "[^,]+") do
    table.insert(indicators, key)
  end
  if #indicators == 0 then
    table.insert(prepared, wrk.format("GET"))
  else
    answer_requests(indicators)
  end
  -- threads start at different places of the rotation
  cursor = ((thread_id or 0) * 97) % #prepared
end

function request()
  cursor = cursor % #prepared + 1
  return prepared[cursor]
end

-- done(): the "BENCH_RESULT {json}" line, from bench/wrk_result.lua beside this file
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
done = require("wrk_result").done
