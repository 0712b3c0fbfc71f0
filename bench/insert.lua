-- wrk script: the reference write, POST /bench/insert (or the path given as the first
-- argument) with a body the size of a check-in.

local counter = 0
local target = "/bench/insert"

function init(args)
  if args[1] then
    target = args[1]
  end
end

function request()
  counter = counter + 1
  local body = '{"provision":"6f1c0d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f","event_date":"2026-11-27",'
    .. '"status":"delivered","n":' .. counter .. '}'
  return wrk.format("POST", target, { ["Content-Type"] = "application/json" }, body)
end
