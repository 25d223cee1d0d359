-- POSTs of the report form's fields, urlencoded, with its CSRF cookie and token, to the
-- report form or to the bare insert (bench/pages.py). Counts the answers by status class in
-- every thread: a POST that was stored answers 3xx (the redirect to the receipt page); a 2xx
-- is the form shown again (nothing stored), >= 400 an error.
--
-- Arguments after "--", as key=value:
--   token=...        csrfmiddlewaretoken of the report form
--   cookie=...       the csrftoken cookie that goes with it
--   departments=...  department ids (comma-separated), cycled through
--   date=YYYY-MM-DD  the incident date
--   threads=N        wrk's -t, so that the threads' numbers interleave
--   base=N           where this run's numbers start; each request gets its own number, so
--                    its phone (and text) differ from every other's: the duplicate check
--                    (same phone and department within 24 h) never answers a warning page

dofile(debug.getinfo(1, "S").source:sub(2):match("^(.*/)") .. "common.lua")

counts_status = true
local opts = {}
local departments = {}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~ ]", function(c)
    return string.format("%%%02X", string.byte(c))
  end):gsub(" ", "+"))
end

function init(args)
  opts = options(args)
  for d in (opts.departments or ""):gmatch("[^,]+") do table.insert(departments, d) end
  counters_reset()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. opts.cookie
end

function request()
  sent = sent + 1
  -- Consecutive across the threads (tid is set in setup): base, base + 1, ...
  local n = tonumber(opts.base or "0") + (sent - 1) * tonumber(opts.threads or "1") + tid
  local fields = {
    "csrfmiddlewaretoken=" .. urlencode(opts.token),
    "kind=praise",
    "department=" .. departments[(n % #departments) + 1],
    "official_name=" .. urlencode("Official " .. (n % 997)),
    "incident_on=" .. opts.date,
    "channel=visit",
    "text=" .. urlencode("Benchmark praise #" .. n .. ": the official explained every step patiently and kindly."),
    "reporter_name=" .. urlencode("Bench resident"),
    "reporter_phone=" .. string.format("010-%04d-%04d", math.floor(n / 10000) % 10000, n % 10000),
    "website=",
    "consent=on",
  }
  return wrk.format(nil, nil, nil, table.concat(fields, "&"))
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status >= 300 and status < 400 then
    s3xx = s3xx + 1
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  elseif status >= 500 then
    s5xx = s5xx + 1
  else
    sother = sother + 1
  end
end
