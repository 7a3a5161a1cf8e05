-- wrk script for bench/scale.sh: each request carries one of the tokens of the file given after
-- "--" (one a line, rank 1 first), drawn with a zipf-like law: rank r with probability
-- proportional to 1 / r^s (s is the second argument, default 1.0). The CDF is computed once per
-- thread in init; each request costs one binary search. done() prints the line scale.sh reads.
-- With S = "seq" each thread walks the list in order instead (from a random start, wrapping
-- around): every token is sent within one pass, as scale.sh's priming wants.
-- Usage: wrk ... -s bench/zipf.lua URL -- TOKEN_FILE [S]
local tokens = {}
local cdf = {}
local headers = {}
local sequential = false
local next_rank = 1

init = function(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  -- each thread has a Lua state of its own: its table addresses tell the threads apart
  math.randomseed(os.time() + math.floor(os.clock() * 1000000) + tonumber(string.match(tostring({}), "%x+$"), 16) % 1000003)
  if args[2] == "seq" then
    sequential = true
    next_rank = math.random(#tokens)
    return
  end
  local s = tonumber(args[2] or "1.0")
  local total = 0
  for r = 1, #tokens do
    total = total + 1 / r ^ s
    cdf[r] = total
  end
  for r = 1, #tokens do
    cdf[r] = cdf[r] / total
  end
  cdf[#tokens] = 1.0
end

local function pick()
  if sequential then
    local token = tokens[next_rank]
    next_rank = next_rank % #tokens + 1
    return token
  end
  local u = math.random()
  local lo, hi = 1, #tokens
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return tokens[lo]
end

request = function()
  headers["Authorization"] = "Bearer " .. pick()
  return wrk.format("GET", wrk.path, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors))
end
