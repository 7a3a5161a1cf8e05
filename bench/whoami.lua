-- wrk script: each request carries a token drawn at random from the hot-token file given after
-- "--"; done() prints one machine-readable line for http-load.sh.
local tokens = {}

init = function(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  return wrk.format("GET", wrk.path, { ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] })
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors))
end
