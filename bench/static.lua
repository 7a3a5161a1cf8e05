-- wrk script for single-token runs: the request is wrk's own, built once (its headers come from
-- -H), so the load generator formats nothing per request; done() prints the line http-load.sh reads.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors,
      summary.errors.status))
end
