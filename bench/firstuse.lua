-- wrk script: every request a token never used before. The file given after "--" lists tokens in
-- order; thread k of N sends lines FIRST + k, FIRST + k + N, ... (each once), so no token is sent
-- twice in a run. done() prints one machine-readable line for http-load.sh, with the requests that
-- ran past the end of the list (reused tokens: the run was longer than the list allows).
local threads = {}
local next_id = 0

setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

init = function(args)
  local first, count = tonumber(args[2]), tonumber(args[3])
  local stride = tonumber(args[4])
  tokens = {}
  local line_no = 0
  for line in io.lines(args[1]) do
    if line_no >= first and line_no < first + count and (line_no - first) % stride == id then
      tokens[#tokens + 1] = line
    end
    line_no = line_no + 1
  end
  if #tokens == 0 then
    tokens[1] = "syt_firstuse_none_left" -- an empty slice: every request is refused, and counted as errors
  end
  sent = 0
  reused = 0
end

request = function()
  sent = sent + 1
  if sent > #tokens then
    reused = reused + 1
  end
  local token = tokens[(sent - 1) % #tokens + 1]
  return wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  local reused_all = 0
  for _, thread in ipairs(threads) do
    reused_all = reused_all + thread:get("reused")
  end
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d reused=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors, reused_all))
end
