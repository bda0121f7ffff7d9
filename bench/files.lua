-- wrk script of bench/files_bench.py: GETs of one path, with the Authorization header of
-- BENCH_AUTH when set (a member's file); prints BENCH_RESULT (bench/wrk_result.lua).
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local result = require("wrk_result")

local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

done = result.done
