-- wrk script: each request is one parent's check-in, POST /api/v1/children/{id}/entries.
-- Arguments: targets file (lines "token child provision day"), thread count, run id.
-- Thread t sends lines t, t + n, t + 2n, … so no two requests record the same provision and
-- day: every request is a new entry with its own Idempotency-Key.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  nthreads = tonumber(args[2])
  run = args[3]
  slots = {}
  for line in io.lines(path) do
    local token, child, provision, day = line:match("(%S+) (%S+) (%S+) (%S+)")
    slots[#slots + 1] = { token, child, provision, day }
  end
  i = tid
  created, updated, other = 0, 0, 0
end

local statuses = { "delivered", "delivered", "delivered", "no_opportunity" }

function request()
  local s = slots[(i % #slots) + 1]
  local status = statuses[(i % #statuses) + 1]
  local key = run .. "-" .. i
  i = i + nthreads
  local body = '{"provision":"' .. s[3] .. '","event_date":"' .. s[4]
    .. '","status":"' .. status .. '"}'
  return wrk.format("POST", "/api/v1/children/" .. s[2] .. "/entries", {
    ["Authorization"] = "Bearer " .. s[1],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    updated = updated + 1
  else
    other = other + 1
    if other <= 3 then
      io.stderr:write("unexpected " .. status .. ": " .. body:sub(1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local c, u, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    u = u + t:get("updated")
    o = o + t:get("other")
  end
  io.write(string.format("STATUSES created=%d updated=%d other=%d\n", c, u, o))
end
