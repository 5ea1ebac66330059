-- check.lua — wrk script for POST /api/v1/credit/check (bench/30-credit.sh).
-- Env: CREDIT_KEY (partner API key), CREDIT_IDS (file of listed ID numbers, one per line),
-- CREDIT_SAMPLE (how many to use, default 200000). Every other request asks about an unlisted but
-- valid ID (same prefix, another sequence number, check character recomputed), so about half the
-- answers are "block" and half "allow". Requests are pre-formatted in init (wrk's CPU is shared).
local key = os.getenv("CREDIT_KEY")
local file = os.getenv("CREDIT_IDS")
local sample = tonumber(os.getenv("CREDIT_SAMPLE") or "200000")
local W = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }
local C = { "1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2" }

local function person(id)
  if not id:match("^%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d") then return false end
  local y, m, d = tonumber(id:sub(7, 10)), tonumber(id:sub(11, 12)), tonumber(id:sub(13, 14))
  if y < 1900 or y > 2020 or m < 1 or m > 12 or d < 1 or d > 28 then return false end
  local s = 0
  for i = 1, 17 do s = s + tonumber(id:sub(i, i)) * W[i] end
  return C[(s % 11) + 1] == id:sub(18, 18)
end

-- A unit's 统一社会信用代码 stays as it is (listed); a person's ID gets another sequence number.
local function unlisted(id)
  if not person(id) then return id end
  local d15 = (tonumber(id:sub(16, 16)) + 5) % 10
  local body = id:sub(1, 14) .. "9" .. tostring(d15) .. id:sub(17, 17)
  local s = 0
  for i = 1, 17 do s = s + tonumber(body:sub(i, i)) * W[i] end
  return body .. C[(s % 11) + 1]
end

local reqs = {}
local n = 0
local cats = { "flight", "high_speed_rail", "hotel", "real_estate" }
local f = assert(io.open(file, "r"))
for line in f:lines() do
  if n >= sample then break end
  local id = line:sub(1, 18)
  if n % 2 == 1 then id = unlisted(id) end
  local body = '{"id_number":"' .. id .. '","name":"x","category":"' .. cats[(n % 4) + 1] .. '"}'
  n = n + 1
  reqs[n] = wrk.format("POST", "/api/v1/credit/check",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end
f:close()

local i = 0
request = function()
  i = i + 1
  if i > n then i = 1 end
  return reqs[i]
end
