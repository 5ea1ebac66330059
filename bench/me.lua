-- me.lua — wrk script: authenticated GET with the session token from $ZX_TOKEN (Bearer).
local token = os.getenv("ZX_TOKEN")
if not token or token == "" then error("ZX_TOKEN is not set") end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
