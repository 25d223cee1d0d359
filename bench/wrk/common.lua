-- Shared by get.lua and post.lua (bench/pages.py): numbers the threads, and in done()
-- prints one line "PAGES-JSON {...}" with wrk's totals, its error counts, the latency
-- percentiles and the threads' own counters, which bench/pages.py parses.

threads = {}
counters = { "sent", "s2xx", "s3xx", "s4xx", "s5xx", "sother" }

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function counters_reset()
  for _, name in ipairs(counters) do
    _G[name] = 0
  end
end

-- key=value arguments given after "--" on wrk's command line.
function options(args)
  local opts = {}
  for _, kv in ipairs(args) do
    local k, v = kv:match("^([^=]+)=(.*)$")
    if k then opts[k] = v end
  end
  return opts
end

function done(summary, latency, requests)
  local status = "null"
  if counts_status then
    local total = {}
    for _, name in ipairs(counters) do
      total[name] = 0
      for _, thread in ipairs(threads) do
        total[name] = total[name] + (thread:get(name) or 0)
      end
    end
    status = string.format(
      '{"sent": %d, "2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d, "other": %d}',
      total.sent, total.s2xx, total.s3xx, total.s4xx, total.s5xx, total.sother)
  end
  local e = summary.errors
  io.write(string.format(
    'PAGES-JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}, ' ..
    '"status": %s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    status))
end
