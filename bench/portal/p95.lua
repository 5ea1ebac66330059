-- bench/portal/p95.lua — wrk script: a header from the environment (PORTAL_HEADER="Name: value") and the
-- p50/p95/p99 latency, req/s and non-2xx count printed at the end (wrk's own report has no p95).
local h = os.getenv("PORTAL_HEADER")
if h then
  local name, value = h:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50=%.2f p95=%.2f p99=%.2f non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
