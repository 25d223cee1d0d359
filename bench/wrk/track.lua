-- POSTs of the tracking form (bench/pages.py): one report's receipt number and secret, with
-- the form's CSRF cookie and token. A lookup that finds the report answers 200; anything
-- else is counted as an error by bench/pages.py.
--
-- Arguments after "--", as key=value: token, cookie, receipt_no, secret.

dofile(debug.getinfo(1, "S").source:sub(2):match("^(.*/)") .. "common.lua")

counts_status = true
local body = ""

function init(args)
  local opts = options(args)
  counters_reset()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. opts.cookie
  body = "csrfmiddlewaretoken=" .. opts.token .. "&receipt_no=" .. opts.receipt_no
    .. "&secret=" .. opts.secret
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, body)
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
