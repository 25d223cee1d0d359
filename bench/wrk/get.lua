-- GETs of one page (bench/pages.py). No response() function on purpose: with one, wrk
-- hands every response body to Lua, which costs wrk (on the same CPUs as the server) in
-- proportion to the page's size. Responses other than 2xx or 3xx are counted by wrk itself
-- (summary.errors.status); bench/pages.py checks each page answers 200 before the run.

dofile(debug.getinfo(1, "S").source:sub(2):match("^(.*/)") .. "common.lua")
