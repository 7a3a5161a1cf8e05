-- wrk script: a flood of guessed tokens, a new random one per request (FLOOD rules); done()
-- prints one machine-readable line for http-load.sh's flood scenario, with the answers that
-- were not 2xx (here: 401 for the checked guesses, 429 for the refused ones).
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  return wrk.format("GET", wrk.path, {
    ["Authorization"] = string.format("Bearer guess_%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  })
end

done = function(summary, latency, requests)
  io.write(string.format("FLOOD requests=%d duration_us=%d non2xx=%d\n",
      summary.requests, summary.duration, summary.errors.status))
end
